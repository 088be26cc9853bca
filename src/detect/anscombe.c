/* Farrington's reweighting: the weights of the refit from the Anscombe residuals of a
   quasi-Poisson fit (see glm.h). */
#include <assert.h>
#include <float.h>
#include <math.h>

#include "detect/glm.h"
#include "detect/lanes.h"

/* The weight of row i before scaling: 1 / a^2 when its Anscombe residual a (standardised by
   phi and the hat value) is above the threshold, else 1; 0 on padding rows. The careful path:
   an exp when the tables fall out of range, a pow when mu was floored. */
static double anscombe_row(const struct fk__glm_data *d, const struct fk__glm_fit *fit, double phi,
                           size_t i, double threshold, const double *el6, const double *pw6,
                           const double *y23)
{
  if (d->prior[i] == 0) return 0;
  double mu = fit->mu[i], h = fk__glm_hat(d, fit, i);
  /* mu^(-1/6) = exp(-eta / 6) from tables as mu itself, unless mu was floored */
  double m6 = mu > DBL_EPSILON ? el6[d->level[i]] * pw6[d->ti[i]] : pow(mu, -1.0 / 6);
  if (!(m6 >= DBL_MIN && m6 <= DBL_MAX))
    m6 = mu > DBL_EPSILON ? exp(-fk__glm_eta(fit, d->level[i], d->t[i]) / 6) : m6;
  double a = 1.5 * (y23[i] * m6 - sqrt(mu)) / sqrt(phi * (1 - h));
  return a > threshold ? 1 / (a * a) : 1;
}

/*
 * The same for every row, FK__LANES at a time, into u; returns their sum, or NAN when some row
 * needs anscombe_row's careful path. Without a square root or a division but one: with
 * a = r / sqrt(q), r = 1.5 (y^(2/3) mu^(-1/6) - mu^(1/2)) and q = phi (1 - h), a above a
 * threshold c >= 0 is r > 0 and r^2 > c^2 q (also when q is 0: a infinite, weight 0), and
 * 1 / a^2 is q / r^2; mu^(1/2) is mu (mu^(-1/6))^3. fk__glm_anscombe takes negative
 * thresholds through anscombe_row.
 */
FK__LANES_CLONES
static double anscombe_lanes(const struct fk__glm_data *d, const struct fk__glm_fit *fit,
                             double phi, double threshold, const double *el6, const double *pw6,
                             const double *y23, double *u)
{
  const struct fk__glm_fit *f = fit;
  fk__vd sum = FK__VSPLAT(0.0), zero = sum, one = FK__VSPLAT(1.0), c = FK__VSPLAT(f->c);
  fk__vd hmax = FK__VSPLAT(1 - 10 * DBL_EPSILON), vphi = FK__VSPLAT(phi);
  fk__vd thr2 = FK__VSPLAT(threshold * threshold), eps = FK__VSPLAT(DBL_EPSILON);
  fk__vd inv_s = FK__VSPLAT(f->trend ? 1 / f->s : 0);
  fk__vd lo = FK__VSPLAT(DBL_MIN), hi = FK__VSPLAT(DBL_MAX);
  fk__vl bad = {0, 0, 0, 0};
  for (int l = 0; l < d->nlevels; l++) {
    fk__vd inv_d = FK__VSPLAT(1 / f->d[l]), tbar = FK__VSPLAT(f->tbar[l]);
    fk__vd e6 = FK__VSPLAT(el6[l]);
    for (size_t i = d->start[l]; i < d->start[l + 1]; i += FK__LANES) {
      fk__vd t, w, mu, y, pr;
      FK__VLOAD(t, d->t + i), FK__VLOAD(w, f->w + i), FK__VLOAD(mu, f->mu + i);
      FK__VLOAD(y, y23 + i), FK__VLOAD(pr, d->prior + i);
      fk__vd dt = t - c - tbar, h = w * (inv_d + dt * dt * inv_s);
      h = FK__VSELECT(h > hmax, one, h);
      fk__vd m6 = e6 * FK__VGATHER(pw6, d->ti, i);
      bad |= ~((mu > eps) & (m6 >= lo) & (m6 <= hi));
      fk__vd r = 1.5 * (y * m6 - mu * (m6 * m6 * m6)), q = vphi * (one - h);
      fk__vd ui = FK__VSELECT((r > zero) & (r * r > thr2 * q), q / (r * r), one);
      ui = FK__VSELECT(pr > zero, ui, zero);
      FK__VSTORE(u + i, ui);
      sum += ui;
    }
  }
  return FK__VANY(bad) ? NAN : FK__VSUM(sum);
}

double fk__glm_anscombe(const struct fk__glm_data *data, struct fk__glm_fit *fit, double phi,
                        double threshold, const double *y23, double *u)
{
  assert(data && fit && y23 && u && data->n % FK__LANES == 0);
  double el6[FK__GLM_MAXLEVELS], *pw6 = fit->pw; /* the fit's table is free now */
  fk__glm_exp_tables(data, fit, -1.0 / 6, el6, pw6);
  double sum = NAN;
  if (threshold >= 0 && !data->careful)
    sum = anscombe_lanes(data, fit, phi, threshold, el6, pw6, y23, u);
  if (isnan(sum)) {
    sum = 0;
    for (size_t i = 0; i < data->n; i++)
      sum += u[i] = anscombe_row(data, fit, phi, i, threshold, el6, pw6, y23);
  }
  return sum;
}
