/*
 * A trace as the store keeps it (fangkong/trace.h traces; this is what it gives back): the stays
 * of a person, a case's contacts with the exposures that made each one, and the links between
 * cases, then the store's calls that keep them with their evidence. Plain structs and internal
 * ids: the tracer fills them, the store writes them, chains and risk areas read them.
 */
#ifndef FANGKONG_TRACE_STORE_H
#define FANGKONG_TRACE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/export.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;
struct fk_store;

/* One stay of a person at a place, as the index holds it (end = start + dwell when the exit
 * was not scanned). */
struct fk_stay {
  int64_t place; /* internal place id */
  int kind;      /* the place's kind, index in fk_place_kinds */
  fk_time start, end;
};

/* 2000-01-01T00:00:00Z: the times of contacts and exposures are 32-bit seconds after it (as the
   index keeps them; good until 2136), so that a depth-2 answer of millions of rows stays small. */
#define FK_TRACE_EPOCH INT64_C(946684800)

/* Returns the instant of t, a time of a contact or an exposure (seconds after FK_TRACE_EPOCH). */
static inline fk_time fk_trace_time(uint32_t t)
{
  return FK_TRACE_EPOCH + (fk_time)t;
}

/* One reason a person is a contact: a shared place and time, or the household (place 0).
   16 bytes. */
struct fk_exposure {
  uint32_t place;            /* internal place id; 0 for the household */
  uint32_t start, end;       /* seconds after FK_TRACE_EPOCH: fk_trace_time() */
  enum fk_category category; /* the place's kind's; close for the household */
};

/* A contact of the case the result traced (fk_trace_result.index_person). 32 bytes. */
struct fk_contact {
  uint32_t person;      /* internal person id */
  uint32_t via;         /* degree 2: the close contact through whom; 0 for degree 1 */
  uint32_t first, last; /* first exposure start, last exposure end: fk_trace_time() */
  uint32_t nexp;
  uint8_t degree;   /* 1: contact of the case; 2: secondary contact (密接的密接) */
  uint8_t category; /* enum fk_category */
  const struct fk_exposure *exp; /* owned by the result */
};

/* A case found among another case's contacts: an edge for transmission chains. */
struct fk_case_link {
  int64_t from, to; /* `to` was exposed to `from` within from's window */
  fk_time first, last;
  size_t nexp;
  const struct fk_exposure *exp;
};

struct fk_trace_result {
  int64_t index_person;
  int depth; /* the depth traced: the one asked, or 1 when the rules drop secondary contacts */
  fk_time window_start, window_end;
  struct fk_contact *contacts; /* degree 1 by person, then degree 2 by (via, person) */
  size_t ncontacts;
  struct fk_case_link *links;
  size_t nlinks;
  void *storage_; /* exposures; internal */
};

/*
 * Writes a trace back with its evidence: the run (index case, now -- FK_TIME_NONE for none --,
 * the depth traced, rule set, window),
 * every contact and every exposure, and the links to other cases. Replaces what an earlier
 * run saved for the same index case, in one transaction, so re-running is safe. Borrows r.
 * Returns 0 or FK_ESTORE (diag says why).
 */
FK_API int fk_store_save_trace(struct fk_store *st, const struct fk_trace_result *r, fk_time now,
                               const char *rules, struct fk_diag *diag);

/*
 * A traced case's stays (what risk areas read of it): replacing them (the stays over the window
 * the case was traced over, s[0..n)), and reading those overlapping [from, to) with the place's
 * id (borrowed for the call). Return 0, fn's first non-zero return, or FK_ESTORE.
 */
FK_API int fk_store_put_case_stays(struct fk_store *st, int64_t person, const struct fk_stay *s,
                                   size_t n);
FK_API int fk_store_each_case_stay(struct fk_store *st, int64_t person, fk_time from, fk_time to,
                                   int (*fn)(void *arg, const struct fk_stay *s,
                                             const char *place_id),
                                   void *arg);

#endif
