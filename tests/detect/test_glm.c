/*
 * Farrington's quasi-Poisson fit (src/detect/glm.c, anscombe.c) against a textbook IRLS written
 * here: the full design matrix (one indicator per level and the time), the normal equations
 * solved by elimination, R's start, stopping rule and 25 iterations. On seeded data of 1 to 12
 * levels, with and without a trend and with prior weights, the fitted values, the convergence
 * verdict, both dispersions and the Anscombe weights agree to 1e-9; and the vector loops agree
 * with the careful row-by-row path they fall back to.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "detect/glm.h"
#include "testutil.h"

#define MAXROWS 400
#define ROOM (MAXROWS + FK__GLM_LANES * FK__GLM_MAXLEVELS + 64)

/* One data set laid out as farrington.c lays it out: rows grouped by level, padded. */
struct set {
  struct fk__glm_data d;
  double y[ROOM], t[ROOM], prior[ROOM], ylogy[ROOM], ly01[ROOM], y23[ROOM];
  int ti[ROOM], level[ROOM];
  size_t start[FK__GLM_MAXLEVELS + 1];
};

static struct fk__rng state;

static double uniform(void)
{
  return fk__rng_unit(&state);
}

/* Counts over times 0..ntimes-1, each time at a random level (every level used), the mean
   seasonal by level with a trend; prior weights 1 or random. */
static void make_set(struct set *s, int nlevels, size_t ntimes, int weighted)
{
  int lv[MAXROWS];
  double yt[MAXROWS];
  for (size_t t = 0; t < ntimes; t++) {
    lv[t] = t < (size_t)nlevels ? (int)t : (int)(uniform() * nlevels);
    double mean = exp(0.5 + 1.5 * sin(lv[t]) + 0.004 * (double)t);
    yt[t] = floor(mean * 2 * uniform() * uniform() * 2);
  }
  size_t r = 0;
  for (int l = 0; l < nlevels; l++) {
    s->start[l] = r;
    for (size_t t = 0; t < ntimes; t++) {
      if (lv[t] != l) continue;
      s->y[r] = yt[t], s->t[r] = (double)t, s->ti[r] = (int)t, s->level[r] = l;
      s->prior[r] = weighted ? 0.2 + 3 * uniform() : 1;
      r++;
    }
    for (double last = s->t[r - 1]; r % FK__GLM_LANES; r++) {
      s->y[r] = 0, s->t[r] = last, s->ti[r] = (int)last, s->level[r] = l, s->prior[r] = 0;
    }
  }
  s->start[nlevels] = r;
  for (size_t i = 0; i < r; i++) {
    s->ylogy[i] = s->y[i] > 0 ? s->y[i] * log(s->y[i]) : 0;
    s->ly01[i] = log(s->y[i] + 0.1), s->y23[i] = pow(s->y[i], 2.0 / 3);
  }
  s->d = (struct fk__glm_data){.n = r,
                               .rows = ntimes,
                               .y = s->y,
                               .t = s->t,
                               .ti = s->ti,
                               .level = s->level,
                               .start = s->start,
                               .nlevels = nlevels,
                               .tmax = (double)(ntimes - 1),
                               .prior = s->prior,
                               .ylogy = s->ylogy,
                               .ly01 = s->ly01};
}

/* The textbook fit: mu and the weights of the last step for every row, the inverse of X'WX
   (p x p, p = nlevels + trend), the verdict. */
struct brute {
  double mu[ROOM], w[ROOM], inv[FK__GLM_MAXLEVELS + 1][FK__GLM_MAXLEVELS + 1];
  int converged;
};

static void row_of(const struct set *s, size_t i, int trend, double *x)
{
  for (int l = 0; l < s->d.nlevels; l++)
    x[l] = s->level[i] == l;
  if (trend) x[s->d.nlevels] = s->t[i];
}

/* Solves a b = rhs (p x p, Gauss-Jordan with partial pivoting) and inverts a into inv. */
static void solve(int p, double a[][FK__GLM_MAXLEVELS + 1], double *rhs,
                  double inv[][FK__GLM_MAXLEVELS + 1])
{
  double m[FK__GLM_MAXLEVELS + 1][2 * (FK__GLM_MAXLEVELS + 1) + 1];
  for (int i = 0; i < p; i++) {
    for (int j = 0; j < p; j++)
      m[i][j] = a[i][j], m[i][p + j] = i == j;
    m[i][2 * p] = rhs[i];
  }
  for (int c = 0; c < p; c++) {
    int piv = c;
    for (int i = c + 1; i < p; i++)
      if (fabs(m[i][c]) > fabs(m[piv][c])) piv = i;
    for (int j = 0; j <= 2 * p; j++) {
      double tmp = m[c][j];
      m[c][j] = m[piv][j], m[piv][j] = tmp;
    }
    double d = m[c][c];
    for (int j = 0; j <= 2 * p; j++)
      m[c][j] /= d;
    for (int i = 0; i < p; i++) {
      if (i == c) continue;
      double f = m[i][c];
      for (int j = 0; j <= 2 * p; j++)
        m[i][j] -= f * m[c][j];
    }
  }
  for (int i = 0; i < p; i++) {
    rhs[i] = m[i][2 * p];
    for (int j = 0; j < p; j++)
      inv[i][j] = m[i][p + j];
  }
}

static double deviance(const struct set *s, const double *mu)
{
  double dev = 0;
  for (size_t i = 0; i < s->d.n; i++)
    if (s->prior[i] > 0)
      dev += 2 * s->prior[i] * (s->ylogy[i] - s->y[i] * log(mu[i]) - (s->y[i] - mu[i]));
  return dev;
}

static void brute_fit(const struct set *s, int trend, struct brute *b)
{
  int p = s->d.nlevels + trend;
  double eta[ROOM], x[FK__GLM_MAXLEVELS + 1];
  for (size_t i = 0; i < s->d.n; i++)
    b->mu[i] = s->y[i] + 0.1, eta[i] = log(s->y[i] + 0.1);
  double devold = deviance(s, b->mu);
  b->converged = 0;
  for (int iter = 0; iter < 25 && !b->converged; iter++) {
    double a[FK__GLM_MAXLEVELS + 1][FK__GLM_MAXLEVELS + 1] = {{0}},
                                                        rhs[FK__GLM_MAXLEVELS + 1] = {0};
    for (size_t i = 0; i < s->d.n; i++) {
      b->w[i] = s->prior[i] * b->mu[i];
      double z = eta[i] + (s->y[i] - b->mu[i]) / b->mu[i];
      row_of(s, i, trend, x);
      for (int j = 0; j < p; j++) {
        rhs[j] += b->w[i] * x[j] * z;
        for (int k = 0; k < p; k++)
          a[j][k] += b->w[i] * x[j] * x[k];
      }
    }
    solve(p, a, rhs, b->inv);
    for (size_t i = 0; i < s->d.n; i++) {
      row_of(s, i, trend, x);
      eta[i] = 0;
      for (int j = 0; j < p; j++)
        eta[i] += x[j] * rhs[j];
      b->mu[i] = fmax(exp(eta[i]), DBL_EPSILON);
    }
    double dev = deviance(s, b->mu);
    b->converged = fabs(dev - devold) / (fabs(dev) + 0.1) < 1e-8;
    devold = dev;
  }
}

static int close_to(double got, double want, double tol)
{
  return fabs(got - want) <= tol * fmax(fabs(want), 1e-12);
}

struct fitted {
  struct fk__glm_fit fit;
  double mu[ROOM], w[ROOM], w2[ROOM], pw[ROOM], u[ROOM], usum, disp_w, disp_p;
};

/* Fits s as farrington.c does (careful or not), then its dispersions and Anscombe weights. */
static void fit_set(struct set *s, int trend, int careful, double threshold, struct fitted *f)
{
  s->d.careful = careful;
  f->fit.mu = f->mu, f->fit.w = f->w, f->fit.w2 = f->w2, f->fit.pw = f->pw;
  assert_int_equal(fk__glm_fit(&s->d, trend, &f->fit), 0);
  fk__glm_dispersions(&s->d, &f->fit, &f->disp_w, &f->disp_p);
  f->usum = fk__glm_anscombe(&s->d, &f->fit, fmax(f->disp_w, 1), threshold, s->y23, f->u);
}

static void check_against_brute(struct set *s, int trend, const struct fitted *f,
                                const struct brute *b, double threshold)
{
  int p = s->d.nlevels + trend;
  double sw = 0, sp = 0, x[FK__GLM_MAXLEVELS + 1];
  assert_int_equal(f->fit.converged, b->converged);
  for (size_t i = 0; i < s->d.n; i++) {
    if (s->prior[i] == 0) continue;
    if (!close_to(f->mu[i], b->mu[i], 1e-9))
      fail_msg("row %zu: mu %.17g, textbook %.17g", i, f->mu[i], b->mu[i]);
    double r = (s->y[i] - b->mu[i]) / b->mu[i];
    sw += b->w[i] * r * r, sp += s->prior[i] * r * r;
  }
  double df = (double)s->d.rows - p;
  assert_true(close_to(f->disp_w, sw / df, 1e-9) && close_to(f->disp_p, sp / df, 1e-9));
  double phi = fmax(sw / df, 1), usum = 0;
  for (size_t i = 0; i < s->d.n; i++) {
    if (s->prior[i] == 0) {
      assert_true(f->u[i] == 0);
      continue;
    }
    row_of(s, i, trend, x);
    double h = 0;
    for (int j = 0; j < p; j++)
      for (int k = 0; k < p; k++)
        h += x[j] * b->inv[j][k] * x[k];
    h *= b->w[i];
    double a = 1.5 * (s->y23[i] * pow(b->mu[i], -1.0 / 6) - sqrt(b->mu[i])) / sqrt(phi * (1 - h));
    double u = a > threshold ? 1 / (a * a) : 1;
    if (!close_to(f->u[i], u, 1e-9))
      fail_msg("row %zu: weight %.17g, textbook %.17g", i, f->u[i], u);
    usum += u;
  }
  assert_true(close_to(f->usum, usum, 1e-9));
}

static void check_same(const struct set *s, const struct fitted *a, const struct fitted *b)
{
  assert_int_equal(a->fit.converged, b->fit.converged);
  for (size_t i = 0; i < s->d.n; i++)
    if (s->prior[i] > 0)
      assert_true(close_to(a->mu[i], b->mu[i], 1e-12) && close_to(a->u[i], b->u[i], 1e-12));
  assert_true(close_to(a->disp_w, b->disp_w, 1e-12) && close_to(a->disp_p, b->disp_p, 1e-12));
}

static void fit_matches_the_textbook_irls(void **st)
{
  (void)st;
  static struct set s;
  static struct fitted lanes, rows;
  static struct brute b;
  const int levels[] = {1, 2, 3, 10, 12};
  const double thresholds[] = {2.58, 1, 0.5};
  state.s = 20240601;
  int checked = 0;
  for (int k = 0; k < 5; k++)
    for (int trend = 0; trend <= 1; trend++)
      for (int weighted = 0; weighted <= 1; weighted++) {
        size_t ntimes = 60 + (size_t)(uniform() * 300);
        double thr = thresholds[(k + weighted) % 3];
        make_set(&s, levels[k], ntimes, weighted);
        fit_set(&s, trend, 0, thr, &lanes);
        fit_set(&s, trend, 1, thr, &rows);
        check_same(&s, &lanes, &rows);
        brute_fit(&s, trend, &b);
        check_against_brute(&s, trend, &lanes, &b, thr);
        checked++;
      }
  assert_int_equal(checked, 20);
}

/* A negative threshold (every residual above it) goes the careful way and still agrees. */
static void negative_threshold_takes_the_careful_path(void **st)
{
  (void)st;
  static struct set s;
  static struct fitted f;
  static struct brute b;
  state.s = 7;
  make_set(&s, 4, 200, 0);
  fit_set(&s, 1, 0, -0.5, &f);
  brute_fit(&s, 1, &b);
  check_against_brute(&s, 1, &f, &b, -0.5);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fit_matches_the_textbook_irls),
      cmocka_unit_test(negative_threshold_takes_the_careful_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
