/*
 * EARS C1, C2 and C3 (Hutwagner et al. 2003), as surveillance's earsC: the baseline is the
 * `baseline` points before the current one (C1) or before a guard band of two points (C2);
 * the statistic is (y - mean) / sd with the sample sd floored at minSigma; C1 and C2 alarm when
 * y exceeds mean + qnorm(1 - alpha) sd (alpha 0.001, z = 3.09, where EARS used 3).
 *
 * C3 as published sums max(0, C2 - 1) over the current point and the two before it and alarms
 * above qnorm(1 - alpha) (alpha 0.025, z = 1.96). surveillance 1.20.3 instead computes an upper
 * bound y + sd (z - lags) from the two earlier points only, so its alarm ignores the current
 * count; C3=surveillance reproduces that. A baseline with sd 0 (and minSigma 0) makes R divide
 * by zero; here the statistic is +Inf above the mean, 0 at it and -Inf below, so a constant
 * baseline alarms on any rise, as C1 and C2's bounds (the mean itself) already do in R.
 */
#include <assert.h>
#include <math.h>

#include "detect/detect_impl.h"
#include "fangkong/error.h"

struct stat {
  double mean, sd, value; /* sd floored at minSigma */
};

/* The statistic of point t against the `baseline` points ending `lag` points before it; 0 when
   the baseline starts before the series. */
static int stat_at(const struct fk_series *s, const struct fk_detect_params *p, long t, int lag,
                   struct stat *st)
{
  long first = t - lag - p->baseline + 1;
  if (first < 0) return 0;
  fk__mean_sd(s->observed + first, (size_t)p->baseline, &st->mean, &st->sd);
  if (st->sd < p->minSigma) st->sd = p->minSigma;
  double y = s->observed[t];
  if (st->sd > 0)
    st->value = (y - st->mean) / st->sd;
  else
    st->value = y > st->mean ? INFINITY : y < st->mean ? -INFINITY : 0;
  return 1;
}

static double excess(double c2)
{
  return c2 - 1 > 0 ? c2 - 1 : 0;
}

/* C1 (lag 1) and C2 (lag 3): upper bound mean + z sd. */
static int c12(const struct fk_series *s, const struct fk_detect_params *p, size_t t, int lag,
               double z, struct fk_detect_point *o)
{
  struct stat st;
  if (!stat_at(s, p, (long)t, lag, &st)) return 0;
  o->expected = st.mean;
  o->upperbound = st.mean + z * st.sd;
  o->score = st.value;
  o->alarm = s->observed[t] > o->upperbound;
  return 1;
}

static int c3(const struct fk_series *s, const struct fk_detect_params *p, size_t t, double z,
              struct fk_detect_point *o)
{
  struct stat st[3]; /* C2 at t-2, t-1, t */
  for (int i = 0; i < 3; i++)
    if (!stat_at(s, p, (long)t - 2 + i, 3, &st[i])) return 0;
  double lags = excess(st[0].value) + excess(st[1].value), y = s->observed[t];
  o->expected = st[2].mean;
  if (p->c3_package) {
    double ub = st[2].sd > 0 ? y + st[2].sd * (z - lags) : y;
    o->upperbound = ub > 0 ? ub : 0;
    o->score = lags;
    o->alarm = y > o->upperbound;
  } else {
    double ub = st[2].sd > 0 ? st[2].mean + st[2].sd * (1 + z - lags) : st[2].mean;
    o->upperbound = ub > 0 ? ub : 0;
    o->score = lags + excess(st[2].value);
    o->alarm = o->score > z;
  }
  return 1;
}

int fk_detect_ears(int c, const struct fk_series *s, const struct fk_detect_params *p, size_t from,
                   size_t to, struct fk_detect_point *out, struct fk_diag *diag)
{
  assert(s && p && out && from <= to && to < s->n && c >= 1 && c <= 3);
  if (p->baseline < 3) return fk_diag_set(diag, FK_EINVAL, "baseline", "must be at least 3");
  if (!(p->minSigma >= 0)) return fk_diag_set(diag, FK_EINVAL, "minSigma", "must be >= 0");
  if (!(p->alpha > 0 && p->alpha < 1))
    return fk_diag_set(diag, FK_EINVAL, "alpha", "must lie in (0, 1)");
  double z = fk__qnorm(1 - p->alpha, 0, 1);
  for (size_t t = from; t <= to; t++) {
    struct fk_detect_point *o = &out[t - from];
    fk__point_na(o);
    o->evaluated = c == 3 ? c3(s, p, t, z, o) : c12(s, p, t, c == 1 ? 1 : 3, z, o);
  }
  return 0;
}
