/* Internals shared by the detection methods: R's distribution functions, baseline statistics,
   reference points a year back, and the quasi-Poisson fit behind Farrington. */
#ifndef FK_DETECT_IMPL_H
#define FK_DETECT_IMPL_H

#include <stddef.h>

#include "fangkong/detect.h"

/* R's distribution functions (libRmath, dist.c), named and ordered as in R. */
double fk__qnorm(double p, double mean, double sd);
double fk__pnorm_upper(double x, double mean, double sd);
double fk__pt_lower(double t, double df);
double fk__qnbinom(double p, double size, double prob);
double fk__pnbinom_upper(double q, double size, double prob);
double fk__qpois(double p, double lambda);
double fk__ppois_upper(double q, double lambda);

/* Marks out as not evaluated: every number NaN, alarm and trend 0. */
void fk__point_na(struct fk_detect_point *out);

/* The mean of the n >= 1 values at x, as R's mean(). */
double fk__mean(const double *x, size_t n);

/* Mean and sample sd (n - 1) of the n >= 2 values at x, as R's mean and sd. */
void fk__mean_sd(const double *x, size_t n, double *mean, double *sd);

/*
 * Returns the index of the point `years` years before point t of s, or -1 when it falls before
 * the series. As farringtonFlexible: the same calendar date (29 February becomes 1 March, as
 * R's seq by "-1 year"); for a weekly series the nearest date on the same weekday.
 */
long fk__year_back(const struct fk_series *s, size_t t, int years);

/* The quantile of type 7 (R's default) of the n sorted values at x, 0 <= prob <= 1. */
double fk__quantile7(const double *sorted, size_t n, double prob);

#endif
