/*
 * Evaluation of a detection method on a CDC's own data (issue 5, item 6), in the way of
 * Noufaily et al. (2013): the series are taken as baselines without outbreaks; the false alarm
 * rate is what the method flags on them, the sensitivity and the delay come from outbreaks
 * injected one at a time (Poisson(k sd) cases spread over `duration` points). Each point's
 * verdict uses only the counts up to it, so an injected outbreak needs the method run only over
 * its own points (CUSUM, whose path starts at `from`, from there).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "detect/detect_impl.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

#define EVAL_TOPIC 0x45 /* the streams of evaluation, apart from the generator's topics */

void fk_eval_defaults(int step, struct fk_eval_setup *e)
{
  assert(e);
  e->k = 5, e->duration = step == 7 ? 2 : 7, e->replicates = 10, e->seed = 1;
}

/* Poisson by inversion in chunks of 500 (no underflow of exp(-mu)). */
static long poisson(struct fk__rng *r, double mu)
{
  long k = 0;
  while (mu > 0) {
    double m = mu > 500 ? 500 : mu, l = exp(-m), p = fk__rng_unit(r);
    mu -= m;
    while (p > l)
      p *= fk__rng_unit(r), k++;
  }
  return k;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

struct eval {
  const struct fk_counts *c;
  enum fk_detect_method method;
  const struct fk_detect_params *p;
  const struct fk_eval_setup *e;
  size_t from, to;
  double *y;                   /* a copy of the series with the outbreak */
  struct fk_detect_point *out; /* to - from + 1 */
  double *delays;
  long ndelays;
};

/* The sd of the series before `from` (at least 1): the outbreak's scale. */
static double history_sd(const double *y, size_t from)
{
  double mean, sd;
  if (from < 2) return 1;
  fk__mean_sd(y, from, &mean, &sd);
  return sd > 1 ? sd : 1;
}

/* Injects outbreak r into series s and records whether and when it is found. */
static int one_outbreak(struct eval *ev, size_t s, int r, struct fk_eval_result *res,
                        struct fk_diag *diag)
{
  const double *base = ev->c->series[s].observed;
  size_t n = ev->c->n, dur = (size_t)ev->e->duration;
  struct fk__rng rng = fk__rng_make(ev->e->seed, EVAL_TOPIC, s, (uint64_t)r);
  size_t start = ev->from + fk__rng_below(&rng, (uint32_t)(ev->to - ev->from + 2 - dur));
  long cases = poisson(&rng, ev->e->k * history_sd(base, ev->from));
  memcpy(ev->y, base, n * sizeof *ev->y);
  for (long i = 0; i < cases; i++)
    ev->y[start + fk__rng_below(&rng, (uint32_t)dur)] += 1;
  struct fk_series series = {ev->y, n, ev->c->start, ev->c->step};
  size_t first = ev->method == FK_DETECT_CUSUM ? ev->from : start, last = start + dur - 1;
  int rc = fk_detect_run(ev->method, &series, ev->p, first, last, ev->out, diag);
  if (rc) return rc;
  res->outbreaks++;
  for (size_t t = start; t <= last; t++)
    if (ev->out[t - first].alarm) {
      res->detected++;
      ev->delays[ev->ndelays++] = (double)((t - start) * (size_t)ev->c->step);
      break;
    }
  return 0;
}

/* Counts the alarms on series s as it is. */
static int clean_run(struct eval *ev, size_t s, struct fk_eval_result *res, struct fk_diag *diag)
{
  struct fk_series series = {ev->c->series[s].observed, ev->c->n, ev->c->start, ev->c->step};
  int rc = fk_detect_run(ev->method, &series, ev->p, ev->from, ev->to, ev->out, diag);
  if (rc) return rc;
  for (size_t t = 0; t <= ev->to - ev->from; t++)
    res->false_alarms += ev->out[t].alarm;
  return 0;
}

int fk_evaluate(const struct fk_counts *c, enum fk_detect_method method,
                const struct fk_detect_params *p, size_t from, size_t to,
                const struct fk_eval_setup *e, struct fk_eval_result *out, struct fk_diag *diag)
{
  assert(c && p && e && out);
  memset(out, 0, sizeof *out);
  out->median_days = NAN;
  if (from < 1 || to >= c->n || from > to || e->duration < 1 ||
      to - from + 1 < (size_t)e->duration || e->replicates < 1 || !(e->k >= 0))
    return fk_diag_set(diag, FK_EINVAL, "range",
                       "need history before the range, a range at least as long as an outbreak "
                       "(%d points), replicates >= 1 and k >= 0",
                       e->duration);
  struct eval ev = {c, method, p, e, from, to, NULL, NULL, NULL, 0};
  size_t nout = c->nseries * (size_t)e->replicates;
  ev.y = fk_malloc(c->n * sizeof *ev.y);
  ev.out = fk_malloc((to - from + 1) * sizeof *ev.out);
  ev.delays = fk_malloc((nout ? nout : 1) * sizeof *ev.delays);
  int rc = ev.y && ev.out && ev.delays ? 0 : FK_ENOMEM;
  for (size_t s = 0; s < c->nseries && !rc; s++) {
    rc = clean_run(&ev, s, out, diag);
    for (int r = 0; r < e->replicates && !rc; r++)
      rc = one_outbreak(&ev, s, r, out, diag);
  }
  if (rc) goto out;
  out->sensitivity = out->outbreaks ? (double)out->detected / (double)out->outbreaks : NAN;
  out->series_weeks = (double)c->nseries * (double)(to - from + 1) * c->step / 7.0;
  out->false_alarms_per_100_weeks = 100.0 * (double)out->false_alarms / out->series_weeks;
  if (ev.ndelays) {
    qsort(ev.delays, (size_t)ev.ndelays, sizeof *ev.delays, cmp_double);
    out->median_days = fk__quantile7(ev.delays, (size_t)ev.ndelays, 0.5);
  }
out:
  fk_free(ev.y), fk_free(ev.out), fk_free(ev.delays);
  return rc;
}
