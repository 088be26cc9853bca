/* IRLS for the quasi-Poisson log-linear model with seasonal levels and a trend (see glm.h). */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "detect/glm.h"
#include "detect/lanes.h"

#define GLM_EPSILON 1e-8
#define GLM_MAXIT 25

/* The weighted sums of one least-squares step: per level sum w, sum w t, sum w z; overall sum
   w t^2 and sum w t z (t centred). */
struct sums {
  double d[FK__GLM_MAXLEVELS], tw[FK__GLM_MAXLEVELS], zw[FK__GLM_MAXLEVELS], tt, tz;
};

/* Solves the least-squares step from its sums into fit's coefficients and covariance sums.
   Returns 0 or -1 (a level without weight, no spread in time). */
static int solve(const struct fk__glm_data *data, const struct sums *sm, struct fk__glm_fit *fit)
{
  double zbar[FK__GLM_MAXLEVELS], q = sm->tz;
  fit->s = sm->tt;
  for (int l = 0; l < data->nlevels; l++) {
    if (!(sm->d[l] > 0)) return -1;
    fit->d[l] = sm->d[l];
    fit->tbar[l] = sm->tw[l] / sm->d[l], zbar[l] = sm->zw[l] / sm->d[l];
    fit->s -= sm->tw[l] * fit->tbar[l], q -= sm->tw[l] * zbar[l];
  }
  fit->beta_t = 0;
  if (fit->trend) {
    if (!(fit->s > 0)) return -1;
    fit->beta_t = q / fit->s;
  }
  for (int l = 0; l < data->nlevels; l++)
    fit->beta[l] = zbar[l] - fit->beta_t * fit->tbar[l];
  return 0;
}

/*
 * exp(beta_t (t - c)) for t = 0..tmax into pw (and on to the next multiple of 64): an anchor
 * every 64 steps times a power of exp(beta_t) below 64, that power the product of x^(8i) and x^j
 * (i, j < 8; x^8 a true exp too, each table at most seven products from its exp); the anchors a
 * true exp every 512 steps and products of x^64 (a true exp) between, so an entry is some
 * twenty units in the last place from exp's: four exps for 300 weeks, the products four at a
 * time.
 */
FK__LANES_CLONES
static void power_table(double beta_t, double c, size_t tmax, double *pw)
{
  double lo[8], mid[8], p[64];
  lo[0] = mid[0] = 1, lo[1] = exp(beta_t), mid[1] = exp(8 * beta_t);
  for (int j = 2; j < 8; j++)
    lo[j] = lo[j - 1] * lo[1], mid[j] = mid[j - 1] * mid[1];
  fk__vd lo0, lo4, v;
  FK__VLOAD(lo0, lo), FK__VLOAD(lo4, lo + 4);
  for (int j = 0; j < 8; j++) {
    v = FK__VSPLAT(mid[j]) * lo0, FK__VSTORE(p + 8 * j, v);
    v = FK__VSPLAT(mid[j]) * lo4, FK__VSTORE(p + 8 * j + 4, v);
  }
  double x64 = exp(64 * beta_t), anchor = 0;
  for (size_t a = 0; a <= tmax; a += 64) {
    anchor = a % 512 ? anchor * x64 : exp(beta_t * ((double)a - c));
    fk__vd e = FK__VSPLAT(anchor);
    for (size_t j = 0; j < 64; j += FK__LANES) {
      FK__VLOAD(v, p + j);
      v *= e, FK__VSTORE(pw + a + j, v);
    }
  }
}

void fk__glm_exp_tables(const struct fk__glm_data *data, const struct fk__glm_fit *fit, double k,
                        double *el, double *pw)
{
  size_t tmax = (size_t)data->tmax;
  for (int l = 0; l < data->nlevels; l++)
    el[l] = exp(k * fit->beta[l]);
  if (fit->trend)
    power_table(k * fit->beta_t, fit->c, tmax, pw);
  else
    for (size_t t = 0; t < (tmax + 64) / 64 * 64; t++)
      pw[t] = 1;
}

/*
 * One row of a step: sets mu from the coefficients (init: R's start, mu = y + 0.1), the next
 * step's weight (into fit->w2) and adds the row to the sums; returns its deviance term (R's
 * poisson()$dev.resids over 2). The careful path: mu below DBL_EPSILON floored, as R's linkinv.
 */
static double step_row(const struct fk__glm_data *data, struct fk__glm_fit *fit, int init,
                       const double *el, int l, size_t i, double *acc)
{
  double tc = data->t[i] - fit->c, y = data->y[i], eta, logmu, m, prior = data->prior[i];
  if (init) {
    m = y + 0.1, eta = logmu = data->ly01[i];
  } else {
    eta = logmu = fit->beta[l] + fit->beta_t * tc;
    m = el[l] * fit->pw[data->ti[i]];
    if (!(m >= DBL_EPSILON && m <= DBL_MAX)) {
      m = exp(eta);
      if (!(m >= DBL_EPSILON)) m = DBL_EPSILON, logmu = log(DBL_EPSILON);
    }
  }
  /* w z with w = prior m and z = eta + (y - m) / m, without the division */
  double wi = prior * m, wz = prior * (m * eta + (y - m));
  fit->mu[i] = m, fit->w2[i] = wi;
  acc[0] += wi, acc[1] += wi * tc, acc[2] += wz, acc[3] += wi * tc * tc, acc[4] += wz * tc;
  return prior * (data->ylogy[i] - y * logmu - (y - m)); /* m itself when y = 0 */
}

/* A step row by row (see step_row); returns the deviance. */
static double step_rows(const struct fk__glm_data *data, struct fk__glm_fit *fit, int init,
                        const double *el, struct sums *sm)
{
  double dev = 0, acc[5] = {0};
  for (int l = 0; l < data->nlevels; l++) {
    acc[0] = acc[1] = acc[2] = 0;
    for (size_t i = data->start[l]; i < data->start[l + 1]; i++)
      dev += step_row(data, fit, init, el, l, i, acc);
    sm->d[l] = acc[0], sm->tw[l] = acc[1], sm->zw[l] = acc[2];
  }
  sm->tt = acc[3], sm->tz = acc[4];
  return 2 * dev;
}

/*
 * The same step FK__GLM_LANES rows at a time, each lane summing its own rows (so sums differ
 * from step_rows' in the last bits), for step_lanes and start_lanes with init a constant; only
 * when no mu can fall outside [DBL_EPSILON, DBL_MAX] (see step). Returns the deviance. Bounds and
 * pointers are read once: the stores (memcpy, lanes.h) may alias anything.
 */
static inline __attribute__((always_inline)) double lanes(const struct fk__glm_data *data,
                                                          struct fk__glm_fit *fit, int init,
                                                          const double *el, struct sums *sm)
{
  const double *restrict ts = data->t, *restrict ys = data->y, *restrict prior = data->prior;
  const double *restrict ylogy = data->ylogy, *restrict ly01 = data->ly01, *restrict pw = fit->pw;
  const int *restrict ti = data->ti;
  const size_t *start = data->start;
  double *restrict mu = fit->mu, *restrict w2 = fit->w2;
  const double *beta = fit->beta;
  int nlevels = data->nlevels;
  fk__vd c = FK__VSPLAT(fit->c), bt = FK__VSPLAT(fit->beta_t), tt = FK__VSPLAT(0.0), tz = tt,
         dev = tt;
  for (int l = 0; l < nlevels; l++) {
    fk__vd d = FK__VSPLAT(0.0), tw = d, zw = d, bl = FK__VSPLAT(beta[l]), ell = FK__VSPLAT(el[l]);
    for (size_t i = start[l], end = start[l + 1]; i < end; i += FK__GLM_LANES) {
      fk__vd tc, y, pr, ylly, eta, m;
      FK__VLOAD(tc, ts + i), FK__VLOAD(y, ys + i), FK__VLOAD(pr, prior + i),
          FK__VLOAD(ylly, ylogy + i);
      tc -= c;
      if (init) {
        m = y + 0.1;
        FK__VLOAD(eta, ly01 + i);
      } else {
        eta = bl + bt * tc;
        m = ell * FK__VGATHER(pw, ti, i);
      }
      fk__vd wi = pr * m, wz = pr * (m * eta + (y - m));
      FK__VSTORE(mu + i, m), FK__VSTORE(w2 + i, wi);
      d += wi, tw += wi * tc, zw += wz, tt += wi * tc * tc, tz += wz * tc;
      dev += pr * (ylly - y * eta - (y - m));
    }
    sm->d[l] = FK__VSUM(d), sm->tw[l] = FK__VSUM(tw), sm->zw[l] = FK__VSUM(zw);
  }
  sm->tt = FK__VSUM(tt), sm->tz = FK__VSUM(tz);
  return 2 * FK__VSUM(dev);
}

FK__LANES_CLONES
static double step_lanes(const struct fk__glm_data *data, struct fk__glm_fit *fit, const double *el,
                         struct sums *sm)
{
  return lanes(data, fit, 0, el, sm);
}

FK__LANES_CLONES
static double start_lanes(const struct fk__glm_data *data, struct fk__glm_fit *fit,
                          const double *el, struct sums *sm)
{
  return lanes(data, fit, 1, el, sm);
}

/*
 * Whether every mu = el[l] pw[t] lies in [DBL_EPSILON, DBL_MAX], so the vector step needs no
 * test per row: exp(beta_t (t - c)) is monotone in t and the table is within some twenty units
 * in the last place of it, so its entries lie within half and twice its two ends.
 */
static int mu_in_range(const struct fk__glm_data *data, const struct fk__glm_fit *fit,
                       const double *el)
{
  double lo = el[0], hi = el[0], p0 = fit->pw[0], p1 = fit->pw[(size_t)data->tmax];
  for (int l = 1; l < data->nlevels; l++) /* no fmin and fmax: calls where NaN has a meaning */
    lo = el[l] < lo ? el[l] : lo, hi = el[l] > hi ? el[l] : hi;
  if (p1 < p0) {
    double p = p0;
    p0 = p1, p1 = p;
  }
  return lo * p0 >= 2 * DBL_EPSILON && hi * p1 <= DBL_MAX / 2;
}

/* Sets mu from the coefficients (init: R's start, mu = y + 0.1), the next step's weights and
   sums; returns the deviance. */
static double step(const struct fk__glm_data *data, struct fk__glm_fit *fit, int init,
                   struct sums *sm)
{
  double el[FK__GLM_MAXLEVELS];
  if (init) {
    for (int l = 0; l < data->nlevels; l++)
      el[l] = 1;
    return data->careful ? step_rows(data, fit, 1, el, sm) : start_lanes(data, fit, el, sm);
  }
  fk__glm_exp_tables(data, fit, 1, el, fit->pw);
  if (data->careful || !mu_in_range(data, fit, el)) return step_rows(data, fit, 0, el, sm);
  return step_lanes(data, fit, el, sm);
}

int fk__glm_fit(const struct fk__glm_data *data, int trend, struct fk__glm_fit *fit)
{
  assert(data && fit && fit->mu && fit->w && fit->w2 && fit->pw && data->n > 0);
  assert(data->nlevels >= 1 && data->nlevels <= FK__GLM_MAXLEVELS);
  struct sums sm;
  fit->trend = trend, fit->converged = 0;
  fit->df = (double)data->rows - data->nlevels - trend;
  fit->c = floor(data->tmax / 2);
  double devold = step(data, fit, 1, &sm);
  for (int iter = 0; iter < GLM_MAXIT; iter++) {
    double *w = fit->w2;
    fit->w2 = fit->w, fit->w = w; /* the weights of this step */
    if (solve(data, &sm, fit)) return -1;
    double dev = step(data, fit, 0, &sm);
    if (!isfinite(dev)) return -1;
    if (fabs(dev - devold) / (fabs(dev) + 0.1) < GLM_EPSILON) {
      fit->converged = 1;
      break;
    }
    devold = dev;
  }
  return 0;
}

/* sum(w r^2) over the rows with w > 0, r the working residuals, w the working weights (into *sw)
   and the prior weights (into *sp). */
FK__LANES_CLONES
static void dispersion_sums(const struct fk__glm_data *data, const struct fk__glm_fit *fit,
                            double *sw, double *sp)
{
  fk__vd a = FK__VSPLAT(0.0), b = a, zero = a;
  for (size_t i = 0; i < data->n; i += FK__LANES) {
    fk__vd y, mu, w, pr;
    FK__VLOAD(y, data->y + i), FK__VLOAD(mu, fit->mu + i), FK__VLOAD(w, fit->w + i);
    FK__VLOAD(pr, data->prior + i);
    fk__vd r = (y - mu) / mu;
    a += FK__VSELECT(w > zero, w * r * r, zero), b += FK__VSELECT(pr > zero, pr * r * r, zero);
  }
  *sw = FK__VSUM(a), *sp = FK__VSUM(b);
}

void fk__glm_dispersions(const struct fk__glm_data *data, const struct fk__glm_fit *fit,
                         double *working, double *prior)
{
  assert(data->n % FK__LANES == 0);
  double sw, sp;
  dispersion_sums(data, fit, &sw, &sp);
  *working = fit->df > 0 ? sw / fit->df : NAN;
  *prior = fit->df > 0 ? sp / fit->df : NAN;
}

double fk__glm_eta(const struct fk__glm_fit *fit, int level, double t)
{
  return fit->beta[level] + fit->beta_t * (t - fit->c);
}

double fk__glm_var0(const struct fk__glm_fit *fit, int level, double t)
{
  double v = 1 / fit->d[level];
  if (fit->trend) {
    double dt = t - fit->c - fit->tbar[level];
    v += dt * dt / fit->s;
  }
  return v;
}

double fk__glm_hat(const struct fk__glm_data *data, const struct fk__glm_fit *fit, size_t i)
{
  double h = fit->w[i] * fk__glm_var0(fit, data->level[i], data->t[i]);
  return h > 1 - 10 * DBL_EPSILON ? 1 : h;
}
