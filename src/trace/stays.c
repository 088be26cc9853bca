/* A person's own stays from the trace index (see fk_trace_each_stay in fangkong/trace.h). */
#include "trace/index.h"

/* Delivers stay s at place p when it overlaps [a, b). */
static int deliver(const struct fk_trace_index *ix, const struct fk__stay *s, uint32_t p,
                   uint32_t a, uint32_t b, int (*fn)(void *arg, const struct fk_stay *s), void *arg)
{
  if (s->start >= b || s->end <= a) return 0;
  struct fk_stay out = {p, p < ix->nplace ? ix->kind[p] : 0, fk_trace_time(s->start),
                        fk_trace_time(s->end)};
  return fn(arg, &out);
}

int fk_trace_each_stay(const struct fk_trace_index *ix, int64_t person, fk_time from, fk_time to,
                       int (*fn)(void *arg, const struct fk_stay *s), void *arg)
{
  uint32_t a = fk__trace_t32(from), b = fk__trace_t32(to);
  int rc = 0;
  if (person <= 0 || person >= (int64_t)ix->nperson) return 0;
  uint32_t who = (uint32_t)person;
  if (who < ix->csr_persons)
    for (uint32_t i = ix->person_off[who]; !rc && i < ix->person_off[who + 1]; i++) {
      uint32_t s = ix->person_stays[i];
      rc = deliver(ix, &ix->stays[s], fk__trace_place_of(ix, s), a, b, fn, arg);
    }
  for (size_t i = 0; !rc && i < ix->pending.n; i++) {
    const struct fk__pending *q = &FK__VEC_AT(&ix->pending, struct fk__pending, i);
    if (q->stay.person == who) rc = deliver(ix, &q->stay, q->place, a, b, fn, arg);
  }
  return rc;
}
