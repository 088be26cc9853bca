/*
 * The tracer's inner loop (src/trace/meet.c): one stay of the person being walked against the
 * stays of everyone else at the place, in order of start. Every trace spends most of its walk
 * here, so there are two kernels giving the same hits: plain C, and AVX-512 (sixteen stays at a
 * time), chosen at run time when the processor has it.
 */
#ifndef FK_TRACE_MEET_H
#define FK_TRACE_MEET_H

#include <stddef.h>
#include <stdint.h>

#include "trace/group.h"
#include "trace/index.h"

/* Hits a kernel may write past the ones it keeps: room must be made for n + FK__MEET_SLACK. */
#define FK__MEET_SLACK 16

/* What the stays are met against: [x, y) at place p, overlaps longer than min seconds, of
   anyone but self and (skip not NULL) the persons whose bit is set in skip. */
struct fk__meeting {
  uint32_t p, x, y, min, self;
  const uint64_t *skip;
};

/*
 * Writes a hit into h for each of the stays s[0..n) (in order of start) that overlaps as m says,
 * up to the first stay starting at or after m->y; sets *scanned to the number of stays before
 * that one and returns the number of hits. h has room for n + FK__MEET_SLACK hits. Cannot
 * fail.
 */
size_t fk__meet(const struct fk__meeting *m, const struct fk__stay *s, size_t n, struct fk__hit *h,
                size_t *scanned);

/* Which kernel fk__meet uses: -1 (the default) the fastest this processor has, 0 plain C (for
   tests holding both to the same answers). Set before tracing, not while. */
extern int fk__meet_simd;

#endif
