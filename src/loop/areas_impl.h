/*
 * What the files of the risk-area engine share (see fangkong/areas.h): a new infection inside a
 * grid, and the countdown that turns a grid's infections into its level history.
 */
#ifndef FK_LOOP_AREAS_IMPL_H
#define FK_LOOP_AREAS_IMPL_H

#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/time.h"

/* A new infection inside a grid, known on `date`. */
struct fk__area_event {
  int64_t grid;  /* internal region id (0 until a stay's place is located) */
  int64_t place; /* a stay's place (internal id), 0 for the home */
  fk_date date;
  int level; /* the level it designates (enum fk_area_level), or -1: it only restarts the count */
  char reason[160];
};

/*
 * Whether the screening of the grid on day d passed (at least one resident sampled, none
 * positive, none pending): *ok 1 or 0, why says so in words. Returns 0 or an error code.
 */
typedef int (*fk__screening_fn)(void *arg, fk_date d, int *ok, char *why, size_t size);

/*
 * The level history of one grid from its events e[0..n) (by date) as of today, under r: spans
 * (levels above low) and the projected lift into out->spans, out->nspans, out->lifts_on.
 * screening answers the steps' screening days (only days before today are asked). Returns 0 or
 * the first error of screening.
 */
int fk__area_count(const struct fk_area_rules *r, const struct fk__area_event *e, int n,
                   fk_date today, fk__screening_fn screening, void *arg, struct fk_area_row *out);

#endif
