/*
 * A degree-2 trace's own copies of the places its walk keeps coming back to (src/trace/hot.c).
 *
 * At degree 2 everyone at a place is met against the persons never reported (the case and its
 * degree-1 contacts: a bitmap), and in the case's own office, school or factory those are most
 * of the people there, met again by every close contact on every day. Once the stays a trace
 * has scanned at a place outnumber the place's stays, its stays within the trace's span (its
 * walks' earliest start to latest end) are copied without those persons (the bitmap does not
 * change during a trace); later meetings there scan the copy: fewer stays, and no bitmap to
 * look up. A copy costs at most what was already spent scanning, so a trace never scans more
 * than about twice what it did without copies (a ski rental), and where it pays is the crowded
 * workplace every close contact shares.
 */
#ifndef FK_TRACE_HOT_H
#define FK_TRACE_HOT_H

#include <stddef.h>
#include <stdint.h>

#include "trace/index.h"

/* One thread's copies, kept from trace to trace (its arrays only grow). */
struct fk__hot {
  uint32_t *left;         /* per place: 0 not met yet in this trace, else 1 + stays to scan
                             there before it is copied */
  uint32_t *copy;         /* per place: 1 + its copy's number in runs, or 0 */
  uint32_t cap;           /* places the two arrays hold */
  struct fk__vec touched; /* uint32_t: the places whose left or copy is set */
  struct fk__vec stays;   /* struct fk__stay: the copies, one after another */
  struct fk__vec runs;    /* struct fk__hot_run: where each copy is in stays */
  const uint64_t *skip;   /* the persons left out of the copies (borrowed) */
  uint32_t from, to;      /* the trace's span: the walks' earliest start and latest end */
};

struct fk__hot_run {
  size_t off, n;
};

/* Starts a trace whose walks all fall within [from, to) (index time): no place scanned or
   copied, copies leaving out the persons marked in skip (borrowed until the next reset), for
   the index's sorted places. Returns 0 or FK_ENOMEM. */
int fk__hot_reset(struct fk__hot *h, const struct fk_trace_index *ix, const uint64_t *skip,
                  uint32_t from, uint32_t to);

/* Returns place p's copy (sorted by start; *n stays), or NULL when p has none. */
static inline const struct fk__stay *fk__hot_copy(const struct fk__hot *h, uint32_t p, size_t *n)
{
  if (p >= h->cap || !h->copy[p]) return NULL;
  const struct fk__hot_run *r = (const struct fk__hot_run *)h->runs.data + (h->copy[p] - 1);
  *n = r->n;
  return (const struct fk__stay *)h->stays.data + r->off;
}

/* Counts `scanned` more stays scanned at place p (one of the index's sorted places, not
   copied), copying it once they outnumber its stays. Returns 0 or FK_ENOMEM. */
int fk__hot_scanned(struct fk__hot *h, const struct fk_trace_index *ix, uint32_t p, size_t scanned);

/* When places are copied: 1 (the default) once a trace's scans there outnumber its stays, 0
   never, 2 at the first scan (for tests holding every way to the same answers). Set before
   tracing, not while. */
extern int fk__hot_copies;

/* Frees what h holds. */
void fk__hot_free(struct fk__hot *h);

#endif
