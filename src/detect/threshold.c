/*
 * Fixed threshold (固定阈值法): a signal when the count over the last `window` points reaches
 * `threshold`. With the defaults (1 and 1) a single case is a signal, as CIDARS does for
 * plague, cholera, SARS and other diseases where one case is one too many.
 */
#include <assert.h>
#include <math.h>

#include "detect/detect_impl.h"
#include "fangkong/error.h"

int fk_detect_threshold(const struct fk_series *s, const struct fk_detect_params *p, size_t from,
                        size_t to, struct fk_detect_point *out, struct fk_diag *diag)
{
  assert(s && p && out && from <= to && to < s->n);
  if (p->window < 1) return fk_diag_set(diag, FK_EINVAL, "window", "must be at least 1");
  for (size_t t = from; t <= to; t++) {
    struct fk_detect_point *o = &out[t - from];
    fk__point_na(o);
    if (t + 1 < (size_t)p->window) continue;
    double sum = 0;
    for (size_t i = t + 1 - (size_t)p->window; i <= t; i++)
      sum += s->observed[i];
    o->upperbound = p->threshold;
    o->score = sum;
    o->alarm = sum >= p->threshold;
    o->evaluated = 1;
  }
  return 0;
}
