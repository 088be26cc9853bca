/*
 * The trace index's layout, shared by the files of src/trace/ (see fangkong/trace.h).
 *
 * Stays are 12 bytes: person, start and end as 32-bit seconds after FK__TRACE_EPOCH. They are
 * grouped by place (CSR: place_off) and sorted by start within a place, so the stays that can
 * overlap [a, b) at a place are one binary search and a short scan: starts in
 * [a - longest stay at that place, b). Each person's stays are 4-byte indexes into that array
 * (CSR: person_off). 16 bytes a check-in in all.
 *
 * Check-ins that arrive after a build go to `pending` (unsorted, with their place) and are
 * scanned linearly by queries until there are enough of them to merge, which re-lays the CSR
 * arrays in memory (never from the store).
 */
#ifndef FK_TRACE_INDEX_H
#define FK_TRACE_INDEX_H

#include <stdint.h>

#include "base/strmap.h"
#include "fangkong/rules.h"
#include "fangkong/site_store.h"
#include "fangkong/store.h"
#include "fangkong/trace.h"

/* Stay times are 32-bit seconds after FK_TRACE_EPOCH (2000-01-01T00:00:00Z), as in results. */
#define FK__TRACE_EPOCH FK_TRACE_EPOCH

struct fk__stay {
  uint32_t person, start, end;
};

/* A person's time in a quarantine site (集中隔离), from the store's site stays: a close contact
   stops propagating when it begins. Index time; `to` is UINT32_MAX while the stay is open. */
struct fk__isolation {
  uint32_t person, from, to;
};

struct fk__pending {
  struct fk__stay stay;
  uint32_t place;
};

/* A growable array of fixed-size items. */
struct fk__vec {
  void *data;
  size_t n, cap, size;
};

struct fk_trace_index {
  const struct fk_rules *rules;

  /* persons, by store id (index 0 unused) */
  uint32_t nperson;    /* highest person id + 1 */
  uint32_t *household; /* household number, 0 for none */
  uint32_t *name_off;  /* person_id text: names + name_off[p] */
  int32_t *case_of;    /* index into cases, or -1 */
  struct fk__strmap by_name;
  struct fk__vec names; /* char */

  /* households: CSR of members */
  uint32_t nhousehold;
  uint32_t *hh_off, *hh_members;
  struct fk__strmap households; /* household_id -> number */

  /* places, by store id */
  uint32_t nplace;
  uint8_t *kind;
  uint32_t *place_name_off;
  struct fk__vec place_names; /* char */
  uint32_t *maxdur;           /* longest stay at the place, seconds */

  /* stays */
  uint32_t csr_places, csr_persons; /* how many places and persons the CSR arrays cover */
  uint32_t *place_off;              /* csr_places + 1 */
  uint32_t *place_step; /* the place of every FK__PLACE_STEP-th stay, and of the last: where
                           fk__trace_place_of starts (nstays / FK__PLACE_STEP + 2) */
  struct fk__stay *stays;
  size_t nstays;
  uint32_t *person_off; /* csr_persons + 1 */
  uint32_t *person_stays;
  struct fk__vec pending; /* struct fk__pending */
  long skipped;           /* check-ins outside the index's time range */

  struct fk__vec cases;                    /* struct fk_case_row */
  struct fk__vec isolations;               /* struct fk__isolation, by person then from */
  struct fk_stays_version isolations_read; /* the stays' version when they were read */

  int64_t last_checkin, last_person, last_place;
};

/* Makes room for n items in v (growing geometrically); returns 0 or FK_ENOMEM. */
int fk__vec_reserve(struct fk__vec *v, size_t n);
/* Appends one item (copied) to v; returns 0 or FK_ENOMEM. */
int fk__vec_push(struct fk__vec *v, const void *item);
void fk__vec_free(struct fk__vec *v);
#define FK__VEC_AT(v, type, i) (((type *)(v)->data)[i])

/* Every how many stays the index notes the place (place_step): a stay's place is then searched
   among the few places between two notes, not among all of them. */
#define FK__PLACE_STEP 4096

/* Returns the place of stay index i (the CSR group holding it); i < nstays. */
uint32_t fk__trace_place_of(const struct fk_trace_index *ix, uint32_t i);

/* Returns the first of the stays s[lo, hi) (in order of start) that starts at or after from,
   or hi; a binary search, inline for the tracer's inner loop. */
static inline uint32_t fk__stays_first_start(const struct fk__stay *s, uint32_t lo, uint32_t hi,
                                             uint32_t from)
{
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (s[mid].start < from)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Returns the earliest start of a stay at place p that can still overlap time x: x less the
   place's longest stay (0 at the least). */
static inline uint32_t fk__trace_reach(const struct fk_trace_index *ix, uint32_t p, uint32_t x)
{
  return x > ix->maxdur[p] ? x - ix->maxdur[p] : 0;
}

/* Returns the first stay in [lo, hi) (one place's run, in order of start) that starts at or
 * after from, or hi. */
static inline uint32_t fk__trace_first_start(const struct fk_trace_index *ix, uint32_t lo,
                                             uint32_t hi, uint32_t from)
{
  return fk__stays_first_start(ix->stays, lo, hi, from);
}

/*
 * Returns the first stay of place p (p < csr_places) that can end after x: the first one
 * starting at or after x minus the longest stay at p. Stays before it all end by x.
 */
uint32_t fk__trace_first_overlap(const struct fk_trace_index *ix, uint32_t p, uint32_t x);

/* Returns the moment close contact `person`, first exposed at `first`, was isolated in a
   quarantine site from then on (`first` itself when it was in one then), or `end` when that
   is not before `end`: where its degree-2 window ends. */
uint32_t fk__trace_isolated(const struct fk_trace_index *ix, uint32_t person, uint32_t first,
                            uint32_t end);

/* Returns 1 when person's bit is set in the bitmap bits (a bit per person), else 0. */
static inline uint32_t fk__marked(const uint64_t *bits, uint32_t person)
{
  return (uint32_t)(bits[person >> 6] >> (person & 63) & 1);
}

/* Converts an instant to index time, clamped (fk_trace_time converts back). */
uint32_t fk__trace_t32(fk_time t);

#endif
