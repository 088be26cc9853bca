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

/* The Poisson deviance, as R's poisson()$dev.resids summed. */
static double deviance(const struct fk__glm_data *data, const double *mu)
{
  double dev = 0;
  for (size_t i = 0; i < data->n; i++) {
    double y = data->y[i], r = y > 0 ? y * log(y / mu[i]) - (y - mu[i]) : mu[i];
    dev += 2 * prior_of(data, i) * r;
  }
  return dev;
}

/* One weighted least-squares step: regresses z on the levels (and t) with the weights in
   fit->w, leaving the coefficients and the sums in fit. Returns 0 or -1. */
static int wls(const struct fk__glm_data *data, const double *z, struct fk__glm_fit *fit)
{
  double zs[FK__GLM_MAXLEVELS] = {0}, ts[FK__GLM_MAXLEVELS] = {0};
  int L = data->nlevels;
  for (int l = 0; l < L; l++)
    fit->d[l] = 0;
  for (size_t i = 0; i < data->n; i++) {
    int l = data->level[i];
    fit->d[l] += fit->w[i], ts[l] += fit->w[i] * data->t[i], zs[l] += fit->w[i] * z[i];
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

static void predict(const struct fk__glm_data *data, struct fk__glm_fit *fit)
{
  for (size_t i = 0; i < data->n; i++) {
    fit->eta[i] = fit->beta[data->level[i]] + fit->beta_t * data->t[i];
    double m = exp(fit->eta[i]);
    fit->mu[i] = m > DBL_EPSILON ? m : DBL_EPSILON;
  }
}

int fk__glm_fit(const struct fk__glm_data *data, int trend, struct fk__glm_fit *fit)
{
  assert(data && fit && fit->eta && fit->mu && fit->w);
  assert(data->nlevels >= 1 && data->nlevels <= FK__GLM_MAXLEVELS);
  double *z = fit->eta; /* z overwrites eta: eta is recomputed from the coefficients */
  fit->trend = trend, fit->converged = 0;
  fit->df = (double)data->n - data->nlevels - trend;
  for (size_t i = 0; i < data->n; i++) {
    fit->eta[i] = log(data->y[i] + 0.1);
    double m = exp(fit->eta[i]);
    fit->mu[i] = m > DBL_EPSILON ? m : DBL_EPSILON;
  }
  double devold = deviance(data, fit->mu);
  for (int iter = 0; iter < GLM_MAXIT; iter++) {
    for (size_t i = 0; i < data->n; i++) {
      fit->w[i] = prior_of(data, i) * fit->mu[i];
      z[i] = fit->eta[i] + (data->y[i] - fit->mu[i]) / fit->mu[i];
    }
    if (wls(data, z, fit)) return -1;
    predict(data, fit);
    double dev = deviance(data, fit->mu);
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
