/*
 * The store's side of signals (fangkong/signals.h says what each channel counts): the counts of a
 * signal source per day and region at one level of the hierarchy, as the store works them out
 * from its line lists (clinic visits, pharmacy sales, school absences, entrance checks, samples)
 * and the reported counts.
 */
#ifndef FANGKONG_SIGNAL_STORE_H
#define FANGKONG_SIGNAL_STORE_H

#include <stdint.h>

#include "fangkong/export.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_store;

enum fk_signal_source {
  FK_SIGNAL_CLINIC,
  FK_SIGNAL_PHARMACY,
  FK_SIGNAL_SCHOOL,
  FK_SIGNAL_ENTRANCE,
  FK_SIGNAL_POSITIVE,
  FK_SIGNAL_POOL,
  FK_SIGNAL_COUNTS,
  FK_SIGNAL_NSOURCES
};

/* What fk_store_each_signal counts. */
struct fk_signal_query {
  enum fk_signal_source source;
  const char *arg;  /* pharmacy: the drug class; counts: the channel; else unused */
  int level;        /* enum fk_level, FK_LEVEL_DISTRICT .. FK_LEVEL_GRID */
  fk_date from, to; /* days counted, inclusive */
};

/*
 * Calls fn(arg, day, region, code, n) for each (day, region at q->level) with a count n > 0,
 * by day then region; code is the region's code (borrowed for the call).
 * Returns 0, fn's first non-zero return, or FK_ESTORE.
 */
FK_API int fk_store_each_signal(struct fk_store *st, const struct fk_signal_query *q,
                                int (*fn)(void *arg, fk_date day, int64_t region, const char *code,
                                          double n),
                                void *arg);

#endif
