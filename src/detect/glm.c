/* IRLS for the quasi-Poisson log-linear model with seasonal levels and a trend (see glm.h). */
#include <assert.h>
#include <float.h>
#include <math.h>

#include "detect/glm.h"

#define GLM_EPSILON 1e-8
#define GLM_MAXIT 25

static double prior_of(const struct fk__glm_data *data, size_t i)
{
  return data->prior[i];
}

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

/* exp(beta_t (t - c)) for t = 0..tmax into pw: a true exp every 16 steps times a power of
   exp(beta_t) below 16, so no product depends on the one before. */
static void power_table(double beta_t, double c, size_t tmax, double *pw)
{
  double p[16];
  p[0] = 1, p[1] = exp(beta_t);
  for (int j = 2; j < 16; j++)
    p[j] = p[j - 1] * p[1];
  for (size_t a = 0; a <= tmax; a += 16) {
    double e = exp(beta_t * ((double)a - c));
    size_t end = a + 16 <= tmax + 1 ? 16 : tmax + 1 - a;
    for (size_t j = 0; j < end; j++)
      pw[a + j] = e * p[j];
  }
}

/*
 * Sets mu from the coefficients (init: R's start, mu = y + 0.1), the next step's weights (into
 * fit->w2) and sums; returns the deviance (R's poisson()$dev.resids summed). Rows come in runs
 * of one level, so the level's sums are kept in registers until the level changes.
 */
static double step(const struct fk__glm_data *data, struct fk__glm_fit *fit, int init,
                   struct sums *sm)
{
  double el[FK__GLM_MAXLEVELS], dev = 0, tt = 0, tz = 0, d = 0, tw = 0, zw = 0;
  double *restrict w2 = fit->w2, *restrict mu = fit->mu, *restrict pw = fit->pw;
  const double *restrict prior = data->prior, *restrict ts = data->t, *restrict ys = data->y;
  const int *restrict lv = data->level;
  size_t tmax = (size_t)data->tmax;
  if (!init) {
    for (int l = 0; l < data->nlevels; l++)
      el[l] = exp(fit->beta[l]);
    if (fit->trend)
      power_table(fit->beta_t, fit->c, tmax, pw);
    else
      for (size_t t = 0; t <= tmax; t++)
        pw[t] = 1;
  }
  *sm = (struct sums){{0}, {0}, {0}, 0, 0};
  int cur = lv[0];
  for (size_t i = 0; i < data->n; i++) {
    int l = lv[i];
    if (l != cur) {
      sm->d[cur] += d, sm->tw[cur] += tw, sm->zw[cur] += zw;
      d = tw = zw = 0, cur = l;
    }
    double tc = ts[i] - fit->c, y = ys[i], eta, logmu, m;
    if (init) {
      m = y + 0.1, eta = logmu = data->ly01[i];
    } else {
      eta = logmu = fit->beta[l] + fit->beta_t * tc;
      m = el[l] * pw[(int)ts[i]];
      if (!(m >= DBL_EPSILON && m <= DBL_MAX)) {
        m = exp(eta);
        if (!(m >= DBL_EPSILON)) m = DBL_EPSILON, logmu = log(DBL_EPSILON);
      }
    }
    /* w z with w = prior m and z = eta + (y - m) / m, without the division */
    double wi = prior[i] * m, wz = prior[i] * (m * eta + (y - m));
    double r = data->ylogy[i] - y * logmu - (y - m); /* m itself when y = 0 */
    mu[i] = m, w2[i] = wi;
    d += wi, tw += wi * tc, zw += wz, tt += wi * tc * tc, tz += wz * tc;
    dev += 2 * prior[i] * r;
  }
  sm->d[cur] += d, sm->tw[cur] += tw, sm->zw[cur] += zw;
  sm->tt = tt, sm->tz = tz;
  return dev;
}

int fk__glm_fit(const struct fk__glm_data *data, int trend, struct fk__glm_fit *fit)
{
  assert(data && fit && fit->mu && fit->w && fit->w2 && fit->pw && data->n > 0);
  assert(data->nlevels >= 1 && data->nlevels <= FK__GLM_MAXLEVELS);
  struct sums sm;
  fit->trend = trend, fit->converged = 0;
  fit->df = (double)data->n - data->nlevels - trend;
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

double fk__glm_dispersion(const struct fk__glm_data *data, const struct fk__glm_fit *fit,
                          int proper)
{
  if (!(fit->df > 0)) return NAN;
  double sum = 0;
  for (size_t i = 0; i < data->n; i++) {
    double r = (data->y[i] - fit->mu[i]) / fit->mu[i], w = proper ? fit->w[i] : prior_of(data, i);
    if (w > 0) sum += w * r * r;
  }
  return sum / fit->df;
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
