/* IRLS for the quasi-Poisson log-linear model with seasonal levels and a trend (see glm.h). */
#include <assert.h>
#include <float.h>
#include <math.h>

#include "detect/glm.h"

#define GLM_EPSILON 1e-8
#define GLM_MAXIT 25

static double prior_of(const struct fk__glm_data *data, size_t i)
{
  return data->prior ? data->prior[i] : 1.0;
}

/* One row's share of the Poisson deviance (R's poisson()$dev.resids), log(mu) given. */
static double dev_resid(const struct fk__glm_data *data, size_t i, double mu, double logmu)
{
  double y = data->y[i], r = y > 0 ? data->ylogy[i] - y * logmu - (y - mu) : mu;
  return 2 * prior_of(data, i) * r;
}

/* One IRLS step: the working weights w = prior mu and responses z = eta + (y - mu) / mu from
   the current fit (z replaces eta), then the weighted least-squares regression of z on the
   levels (and t), leaving the coefficients and the sums in fit. Returns 0 or -1. */
static int wls(const struct fk__glm_data *data, struct fk__glm_fit *fit)
{
  double *z = fit->eta;
  double zs[FK__GLM_MAXLEVELS] = {0}, ts[FK__GLM_MAXLEVELS] = {0};
  int L = data->nlevels;
  for (int l = 0; l < L; l++)
    fit->d[l] = 0;
  for (size_t i = 0; i < data->n; i++) {
    int l = data->level[i];
    double mu = fit->mu[i], w = prior_of(data, i) * mu;
    z[i] = fit->eta[i] + (data->y[i] - mu) / mu, fit->w[i] = w;
    fit->d[l] += w, ts[l] += w * data->t[i], zs[l] += w * z[i];
  }
  for (int l = 0; l < L; l++) {
    if (!(fit->d[l] > 0)) return -1;
    fit->tbar[l] = ts[l] / fit->d[l], zs[l] /= fit->d[l];
  }
  fit->beta_t = 0, fit->s = 0;
  if (fit->trend) {
    double q = 0;
    for (size_t i = 0; i < data->n; i++) {
      int l = data->level[i];
      double dt = data->t[i] - fit->tbar[l];
      fit->s += fit->w[i] * dt * dt, q += fit->w[i] * dt * (z[i] - zs[l]);
    }
    if (!(fit->s > 0)) return -1;
    fit->beta_t = q / fit->s;
  }
  for (int l = 0; l < L; l++)
    fit->beta[l] = zs[l] - fit->beta_t * fit->tbar[l];
  return 0;
}

/* exp(beta_t)^t for t = 0..tmax into pw: a true exp every 16 steps, products between. */
static void power_table(double beta_t, size_t tmax, double *pw)
{
  double r = exp(beta_t);
  for (size_t t = 0; t <= tmax; t++)
    pw[t] = t % 16 ? pw[t - 1] * r : exp(beta_t * (double)t);
}

/* Sets eta and mu from the coefficients; returns the deviance. */
static double predict(const struct fk__glm_data *data, struct fk__glm_fit *fit)
{
  double el[FK__GLM_MAXLEVELS], dev = 0;
  size_t tmax = (size_t)data->t[data->n - 1];
  for (int l = 0; l < data->nlevels; l++)
    el[l] = exp(fit->beta[l]);
  if (fit->trend) power_table(fit->beta_t, tmax, fit->pw);
  for (size_t i = 0; i < data->n; i++) {
    int l = data->level[i];
    double eta = fit->beta[l] + fit->beta_t * data->t[i];
    double m = fit->trend ? el[l] * fit->pw[(size_t)data->t[i]] : el[l];
    if (!(m >= DBL_EPSILON && m <= DBL_MAX)) m = exp(eta);
    double logmu = eta;
    if (!(m >= DBL_EPSILON)) m = DBL_EPSILON, logmu = log(DBL_EPSILON);
    fit->eta[i] = eta, fit->mu[i] = m;
    dev += dev_resid(data, i, m, logmu);
  }
  return dev;
}

int fk__glm_fit(const struct fk__glm_data *data, int trend, struct fk__glm_fit *fit)
{
  assert(data && fit && fit->eta && fit->mu && fit->w);
  assert(data->nlevels >= 1 && data->nlevels <= FK__GLM_MAXLEVELS);
  fit->trend = trend, fit->converged = 0;
  fit->df = (double)data->n - data->nlevels - trend;
  double devold = 0;
  for (size_t i = 0; i < data->n; i++) {
    fit->eta[i] = data->ly01[i], fit->mu[i] = data->y[i] + 0.1;
    devold += dev_resid(data, i, fit->mu[i], fit->eta[i]);
  }
  for (int iter = 0; iter < GLM_MAXIT; iter++) {
    if (wls(data, fit)) return -1;
    double dev = predict(data, fit);
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

double fk__glm_var0(const struct fk__glm_fit *fit, int level, double t)
{
  double v = 1 / fit->d[level];
  if (fit->trend) {
    double dt = t - fit->tbar[level];
    v += dt * dt / fit->s;
  }
  return v;
}

double fk__glm_hat(const struct fk__glm_data *data, const struct fk__glm_fit *fit, size_t i)
{
  double h = fit->w[i] * fk__glm_var0(fit, data->level[i], data->t[i]);
  return h > 1 - 10 * DBL_EPSILON ? 1 : h;
}
