/*
 * CIDARS moving percentile method (移动百分位数法, China's national early-warning system,
 * Yang et al. 2011): the count of the current period (the last 7 days) against the counts of the
 * same period and `w` periods either side of it in each of the past `b` years; a signal when the
 * current count is above the baseline's `percentile` (P50 by default, tuned per disease from P50
 * to P90). Quantiles are R's default (type 7). The same period a year back is the same calendar
 * date (for weekly series the nearest same weekday), as farringtonFlexible finds it.
 */
#include <assert.h>
#include <stdlib.h>

#include "detect/detect_impl.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sum of the period ending at point end (inclusive), or -1 when it starts before the series. */
static double period_sum(const struct fk_series *s, long end, int period)
{
  if (end < period - 1 || end >= (long)s->n) return -1;
  double sum = 0;
  for (long i = end - period + 1; i <= end; i++)
    sum += s->observed[i];
  return sum;
}

/* Fills base with the baseline periods' counts of point t; returns how many, or 0 when any
   lies outside the history. */
static size_t baseline_of(const struct fk_series *s, const struct fk_detect_params *p, size_t t,
                          double *base)
{
  size_t nb = 0;
  for (int y = 1; y <= p->b; y++) {
    long r = fk__year_back(s, t, y);
    if (r < 0) return 0;
    for (int j = -p->w; j <= p->w; j++) {
      long end = r + (long)j * p->period;
      if (end > (long)t - p->period) return 0; /* would overlap the current period */
      double v = period_sum(s, end, p->period);
      if (v < 0) return 0;
      base[nb++] = v;
    }
  }
  return nb;
}

int fk_detect_cidars_mpm(const struct fk_series *s, const struct fk_detect_params *p, size_t from,
                         size_t to, struct fk_detect_point *out, struct fk_diag *diag)
{
  assert(s && p && out && from <= to && to < s->n);
  if (p->b < 1 || p->w < 0 || p->period < 1 || !(p->percentile >= 0 && p->percentile <= 1))
    return fk_diag_set(diag, FK_EINVAL, "b", "b >= 1, w >= 0, period >= 1, 0 <= percentile <= 1");
  double *base = fk_malloc(sizeof *base * (size_t)p->b * (size_t)(2 * p->w + 1));
  if (!base) return FK_ENOMEM;
  for (size_t t = from; t <= to; t++) {
    struct fk_detect_point *o = &out[t - from];
    fk__point_na(o);
    double now = period_sum(s, (long)t, p->period);
    size_t nb = now < 0 ? 0 : baseline_of(s, p, t, base);
    if (!nb) continue;
    qsort(base, nb, sizeof *base, cmp_double);
    o->expected = fk__quantile7(base, nb, 0.5);
    o->upperbound = fk__quantile7(base, nb, p->percentile);
    o->score = now;
    o->alarm = now > o->upperbound;
    o->evaluated = 1;
  }
  fk_free(base);
  return 0;
}
