/* What the methods share: points not evaluated, baseline mean and sd, a year back, quantiles. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "detect/detect_impl.h"

void fk__point_na(struct fk_detect_point *out)
{
  assert(out);
  out->expected = out->upperbound = out->score = out->pvalue = out->phi = NAN;
  out->alarm = out->trend = out->evaluated = 0;
}

/* Two passes in long double, as R's mean() (and var()), so sums agree with R's to the last bit
   nearly always. */
static long double mean_ld(const double *x, size_t n)
{
  long double s = 0, t = 0;
  for (size_t i = 0; i < n; i++)
    s += x[i];
  s /= (long double)n;
  for (size_t i = 0; i < n; i++)
    t += x[i] - s;
  return s + t / (long double)n;
}

double fk__mean(const double *x, size_t n)
{
  assert(x && n >= 1);
  return (double)mean_ld(x, n);
}

void fk__mean_sd(const double *x, size_t n, double *mean, double *sd)
{
  assert(x && n >= 2 && mean && sd);
  long double s = mean_ld(x, n), ss = 0;
  for (size_t i = 0; i < n; i++)
    ss += (x[i] - s) * (x[i] - s);
  *mean = (double)s;
  *sd = sqrt((double)(ss / (long double)(n - 1)));
}

/* Day of the week, 0 = Sunday (R's %w); 1970-01-01 was a Thursday. */
static int weekday(fk_date d)
{
  return (int)(((d % 7) + 7 + 4) % 7);
}

static fk_date same_day_years_back(fk_date d, int years)
{
  int y, m, day;
  fk_date out;
  fk_date_to_ymd(d, &y, &m, &day);
  y -= years;
  if (m == 2 && day == 29 && !fk_is_leap_year(y)) m = 3, day = 1;
  if (fk_date_from_ymd(y, m, day, &out)) return d; /* cannot happen for years in range */
  return out;
}

long fk__year_back(const struct fk_series *s, size_t t, int years)
{
  assert(s && t < s->n && years >= 0);
  fk_date now = s->start + (fk_date)(t * (size_t)s->step);
  fk_date ref = same_day_years_back(now, years);
  if (s->step == 7) {
    fk_date a = ref - (weekday(ref) - weekday(now));
    fk_date b = a + (a > ref ? -7 : 7);
    ref = abs(a - ref) > abs(b - ref) ? b : a;
  }
  if (ref < s->start || (ref - s->start) % s->step) return -1;
  return (long)((ref - s->start) / s->step);
}

double fk__quantile7(const double *sorted, size_t n, double prob)
{
  assert(sorted && n > 0 && prob >= 0 && prob <= 1);
  double h = (double)(n - 1) * prob;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= n) return sorted[n - 1];
  return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}
