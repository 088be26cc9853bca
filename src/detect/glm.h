/*
 * The quasi-Poisson GLM behind Farrington: log mu = beta[level] + beta_t * t, fitted by
 * iteratively reweighted least squares exactly as R's glm.fit does it (start mu = y + 0.1,
 * mu floored at DBL_EPSILON, convergence when the deviance changes by less than 1e-8 relative,
 * at most 25 iterations). The design is one indicator per seasonal level plus an optional trend,
 * so each least-squares step is a within-level regression solved in O(n) instead of a QR of an
 * n x p matrix; fitted values, dispersion, hat values and standard errors are R's (the
 * parametrisation differs from R's intercept and contrasts, the fit does not).
 *
 * Speed: times are whole numbers, so exp(beta_l + beta_t t) is computed as exp(beta_l) times a
 * table of exp(beta_t (t - c)) (products of small tables of powers, a true exp every 512 steps:
 * some twenty units in the last place), and the deviance takes y log y and log(y + 0.1)
 * precomputed per row: one exp per level instead of one per row and iteration. Each iteration
 * is one pass over the rows, FK__GLM_LANES rows at a time (lanes.h; each level's rows padded to
 * a multiple with rows of prior weight 0): the new fitted values, the deviance and the sums of
 * the next least-squares step together (time centred, so the uncentred sums lose no precision
 * that matters). When a fitted value could leave [DBL_EPSILON, DBL_MAX] (judged from the
 * tables' ends), or data->careful asks for it, the step goes row by row with R's floor. Fitted
 * values differ from R's by a few units in the last place (tests/detect/test_glm.c holds them
 * to a textbook IRLS).
 */
#ifndef FK_DETECT_GLM_H
#define FK_DETECT_GLM_H

#include <stddef.h>

#include "detect/lanes.h"

#define FK__GLM_MAXLEVELS 64
#define FK__GLM_LANES FK__LANES /* rows a vector step takes at once */

/*
 * The data of one fit, borrowed: n rows grouped by level, level l's rows start[l] ..
 * start[l + 1] - 1 with start[l] a multiple of FK__GLM_LANES. Each level's rows are padded to a
 * multiple of FK__GLM_LANES with rows of prior weight 0 (y 0, a time of the level's, finite
 * everything), which add nothing to any sum; `rows` counts the others.
 */
struct fk__glm_data {
  size_t n, rows;
  const double *y;     /* counts */
  const double *t;     /* time (wtime) */
  const int *ti;       /* the same time as an int */
  const int *level;    /* 0 .. nlevels-1 */
  const size_t *start; /* nlevels + 1 offsets, start[nlevels] = n */
  int nlevels;         /* at most FK__GLM_MAXLEVELS */
  double tmax;         /* the largest t (a whole number) */
  const double *prior; /* prior weights, 0 on padding rows */
  const double *ylogy; /* y log y (0 for y = 0) */
  const double *ly01;  /* log(y + 0.1), R's starting linear predictor */
  int careful;         /* nonzero: every row loop row by row, on the careful path the vector
                          loops fall back to (tests compare the two) */
};

/* A fit; mu, w, w2 and pw point into caller-owned arrays of n doubles (pw: the largest t + 64). */
struct fk__glm_fit {
  int trend, converged;
  double beta[FK__GLM_MAXLEVELS], beta_t; /* in time centred at c */
  double c;
  double *mu;     /* fitted values */
  double *w, *w2; /* the working weights of the last least-squares step (R's weights), and room
                     for the next step's; the fit may swap the two pointers */
  double *pw;     /* room for exp(beta_t)^t, t = 0 .. the largest time */
  /* sums of the last step, for the covariance: weight and weighted mean (centred) time per
     level, and the within-level weighted sum of squares of time */
  double d[FK__GLM_MAXLEVELS], tbar[FK__GLM_MAXLEVELS], s;
  double df; /* residual degrees of freedom */
};

/* Fits data with (trend 1) or without a time trend into *fit (whose mu, w, w2, pw the caller
   set). Returns 0, or -1 when the fit breaks down (a level without weight, a non-finite
   deviance); fit->converged says whether IRLS converged. */
int fk__glm_fit(const struct fk__glm_data *data, int trend, struct fk__glm_fit *fit);

/* The two dispersions sum(w r^2) / df, r the working residuals (y - mu) / mu and w R's weights:
   the working weights (into *working) or the prior weights (into *prior; see farrington.c); NAN
   without residual degrees of freedom. */
void fk__glm_dispersions(const struct fk__glm_data *data, const struct fk__glm_fit *fit,
                         double *working, double *prior);

/* Farrington's reweighting (anscombe.c): for each row the weight before scaling, 1 / a^2 when
   the row's Anscombe residual a = 1.5 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 - h)) (h its
   hat value) is above the threshold, else 1; 0 on padding rows. y23 holds y^(2/3) per row, u
   receives the weights (n doubles); fit->pw is used as room. Returns the sum of the weights. */
double fk__glm_anscombe(const struct fk__glm_data *data, struct fk__glm_fit *fit, double phi,
                        double threshold, const double *y23, double *u);

/* exp(k eta) as a product: el[l] = exp(k beta[l]) for each level, pw[t] = exp(k beta_t (t - c))
   for t = 0 .. tmax and on to the next multiple of 64 (see the file's comment; a few units in the
   last place from exp's). */
void fk__glm_exp_tables(const struct fk__glm_data *data, const struct fk__glm_fit *fit, double k,
                        double *el, double *pw);

/* The linear predictor at level `level` and time t. */
double fk__glm_eta(const struct fk__glm_fit *fit, int level, double t);

/* x0' (X'WX)^-1 x0 for a point of level `level` at time t: the unscaled variance of its linear
   predictor. */
double fk__glm_var0(const struct fk__glm_fit *fit, int level, double t);

/* The hat value of row i. */
double fk__glm_hat(const struct fk__glm_data *data, const struct fk__glm_fit *fit, size_t i);

#endif
