/*
 * A degree-2 trace's own copies of busy places (see trace/hot.h).
 */
#include <assert.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "trace/group.h"
#include "trace/hot.h"

int fk__hot_copies = 1;

/* Grows *arr to hold n uint32 (new ones zeroed); returns 0 or FK_ENOMEM. */
static int grow_zeroed(uint32_t **arr, uint32_t have, uint32_t n)
{
  uint32_t *q = fk_realloc(*arr, (size_t)n * sizeof *q);
  if (!q) return FK_ENOMEM;
  memset(q + have, 0, (size_t)(n - have) * sizeof *q);
  *arr = q;
  return 0;
}

int fk__hot_reset(struct fk__hot *h, const struct fk_trace_index *ix, const uint64_t *skip,
                  uint32_t from, uint32_t to)
{
  for (size_t i = 0; i < h->touched.n; i++) {
    uint32_t p = ((const uint32_t *)h->touched.data)[i];
    h->left[p] = h->copy[p] = 0;
  }
  h->touched.size = sizeof(uint32_t);
  h->stays.size = sizeof(struct fk__stay);
  h->runs.size = sizeof(struct fk__hot_run);
  h->touched.n = h->stays.n = h->runs.n = 0;
  h->skip = skip;
  h->from = from;
  h->to = to;
  if (ix->csr_places <= h->cap) return 0;
  if (grow_zeroed(&h->left, h->cap, ix->csr_places) ||
      grow_zeroed(&h->copy, h->cap, ix->csr_places))
    return FK_ENOMEM; /* cap unchanged: the arrays hold at least cap, zeroed */
  h->cap = ix->csr_places;
  return 0;
}

/* Sets *lo, *hi to the range of place p's stays that the trace can meet: those starting in
   [reach of h->from, h->to). */
static void span(const struct fk__hot *h, const struct fk_trace_index *ix, uint32_t p, uint32_t *lo,
                 uint32_t *hi)
{
  *lo = fk__trace_first_start(ix, ix->place_off[p], ix->place_off[p + 1],
                              fk__trace_reach(ix, p, h->from));
  *hi = fk__trace_first_start(ix, *lo, ix->place_off[p + 1], h->to);
}

/* Copies place p's stays within the trace's span but the skipped persons' into h; returns 0
   or FK_ENOMEM. */
static int make_copy(struct fk__hot *h, const struct fk_trace_index *ix, uint32_t p)
{
  uint32_t lo, hi;
  span(h, ix, p, &lo, &hi);
  if (fk__vec_reserve(&h->stays, h->stays.n + (hi - lo)) ||
      fk__vec_reserve(&h->runs, h->runs.n + 1))
    return FK_ENOMEM;
  struct fk__stay *out = (struct fk__stay *)h->stays.data + h->stays.n;
  size_t k = 0;
  for (uint32_t i = lo; i < hi; i++) { /* written always, kept or not: no branch to mispredict */
    out[k] = ix->stays[i];
    k += !fk__marked(h->skip, ix->stays[i].person);
  }
  ((struct fk__hot_run *)h->runs.data)[h->runs.n++] = (struct fk__hot_run){h->stays.n, k};
  h->stays.n += k;
  h->copy[p] = (uint32_t)h->runs.n;
  return 0;
}

int fk__hot_scanned(struct fk__hot *h, const struct fk_trace_index *ix, uint32_t p, size_t scanned)
{
  assert(p < h->cap && !h->copy[p]);
  if (!scanned || !fk__hot_copies) return 0;
  if (!h->left[p]) { /* first met in this trace: as many to scan as the place has stays (those
                       within the span would be fewer, but searching for them on every place met
                       cost more than it saved: 5 % of a trace at scale 1) */
    if (fk__vec_reserve(&h->touched, h->touched.n + 1)) return FK_ENOMEM;
    ((uint32_t *)h->touched.data)[h->touched.n++] = p;
    h->left[p] = ix->place_off[p + 1] - ix->place_off[p] + 1;
  }
  h->left[p] = h->left[p] - 1 > scanned ? h->left[p] - (uint32_t)scanned : 1;
  return h->left[p] == 1 || fk__hot_copies == 2 ? make_copy(h, ix, p) : 0;
}

void fk__hot_free(struct fk__hot *h)
{
  fk_free(h->left);
  fk_free(h->copy);
  fk__vec_free(&h->touched);
  fk__vec_free(&h->stays);
  fk__vec_free(&h->runs);
  memset(h, 0, sizeof *h);
}
