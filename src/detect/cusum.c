/*
 * CUSUM as surveillance's algo.cusum: each count is standardised against a reference mean m
 * (by default the mean of every point before the first evaluated one), S_t = max(0, S_{t-1} +
 * z_t - k), an alarm when S_t >= h, no reset after an alarm. The upper bound is the count that
 * would bring S_t to h, transformed back as R does (ceil for the standard transform).
 */
#include <assert.h>
#include <math.h>

#include "detect/detect_impl.h"
#include "fangkong/error.h"

static double standardise(const struct fk_detect_params *p, double x, double m)
{
  switch (p->trans) {
  case FK_CUSUM_STANDARD:
    return (x - m) / sqrt(m);
  case FK_CUSUM_ROSSI:
    return (x - 3 * m + 2 * sqrt(x * m)) / (2 * sqrt(m));
  case FK_CUSUM_ANSCOMBE:
    return 1.5 * (pow(x, 2.0 / 3) - pow(m, 2.0 / 3)) / pow(m, 1.0 / 6);
  case FK_CUSUM_ANSCOMBE2ND:
    return (pow(x, 2.0 / 3) - (pow(m, 2.0 / 3) - pow(m, -1.0 / 3) / 9)) /
           (2.0 / 3 * pow(m, 1.0 / 6));
  case FK_CUSUM_PEARSONNB:
    return (x - m) / sqrt(m + p->cusum_alpha * m * m);
  case FK_CUSUM_NONE:
    return x;
  }
  return NAN;
}

/* The count that brings the sum from prev to h, as algo.cusum transforms it back. */
static double bound(const struct fk_detect_params *p, double m, double prev, double now)
{
  double h = p->h, k = p->k, r = h + k - prev, v;
  switch (p->trans) {
  case FK_CUSUM_STANDARD:
    v = ceil(sqrt(m) * r + m);
    break;
  case FK_CUSUM_ROSSI:
    v = 2 * h * sqrt(m) + 2 * k * sqrt(m) - 2 * prev * sqrt(m) + 5 * m -
        2 * sqrt(4 * m * m + 2 * pow(m, 1.5) * r);
    break;
  case FK_CUSUM_ANSCOMBE:
    v = 2.0 / 3 * pow(m, 1.0 / 6) * r + pow(m, 2.0 / 3);
    v = v < 0 ? 0 : pow(v, 1.5);
    break;
  case FK_CUSUM_ANSCOMBE2ND:
    v = 2.0 / 3 * pow(m, 1.0 / 6) * r + (pow(m, 2.0 / 3) - pow(m, 1.0 / 3) / 9);
    v = v < 0 ? 0 : pow(v, 1.5);
    break;
  case FK_CUSUM_PEARSONNB:
    v = sqrt(m + p->cusum_alpha * m * m) * r + m;
    break;
  default:
    v = h - now;
  }
  return isnan(v) || v < 0 ? 0 : v;
}

int fk_detect_cusum(const struct fk_series *s, const struct fk_detect_params *p, size_t from,
                    size_t to, struct fk_detect_point *out, struct fk_diag *diag)
{
  assert(s && p && out && from <= to && to < s->n);
  double m = p->m;
  if (isnan(m)) {
    if (from == 0)
      return fk_diag_set(diag, FK_EINVAL, "m",
                         "no points before the range to take the reference mean from; give m");
    m = fk__mean(s->observed, from);
  }
  if (!(m > 0) && p->trans != FK_CUSUM_NONE)
    return fk_diag_set(diag, FK_EINVAL, "m",
                       "the reference mean is %g; the transform needs it above 0", m);
  double sum = 0;
  for (size_t t = from; t <= to; t++) {
    struct fk_detect_point *o = &out[t - from];
    fk__point_na(o);
    double prev = sum, z = standardise(p, s->observed[t], m);
    sum = prev + z - p->k > 0 ? prev + z - p->k : 0;
    o->expected = m;
    o->upperbound = bound(p, m, prev, sum);
    o->score = sum;
    o->alarm = sum >= p->h;
    o->evaluated = 1;
  }
  return 0;
}
