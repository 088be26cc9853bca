/*
 * R's own distribution functions, from libRmath (Debian r-mathlib), so that quantiles and tail
 * probabilities are those R computes. The only file that includes Rmath.h: its short macro names
 * (pt, beta, ...) stay out of the rest of the library.
 */
#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#include "detect/detect_impl.h"

double fk__qnorm(double p, double mean, double sd)
{
  return qnorm(p, mean, sd, 1, 0);
}

double fk__pnorm_upper(double x, double mean, double sd)
{
  return pnorm(x, mean, sd, 0, 0);
}

double fk__pt_lower(double t, double df)
{
  return pt(t, df, 1, 0);
}

double fk__qnbinom(double p, double size, double prob)
{
  return qnbinom(p, size, prob, 1, 0);
}

double fk__pnbinom_upper(double q, double size, double prob)
{
  return pnbinom(q, size, prob, 0, 0);
}

double fk__qpois(double p, double lambda)
{
  return qpois(p, lambda, 1, 0);
}

double fk__ppois_upper(double q, double lambda)
{
  return ppois(q, lambda, 0, 0);
}
