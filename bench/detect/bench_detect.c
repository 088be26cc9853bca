/*
 * bench/detect: a detection method over many weekly series, as a city would run it: every grid
 * x 3 channels, 3 years evaluated week by week, each with the history the method needs. The
 * series are seeded negative binomial counts with a yearly season and injected outbreaks.
 * Prints the time per evaluated week (wall and CPU) on 1..THREADS threads; with --csv writes the
 * first --csv-series series as counts.csv, so R can be timed on the same data (bench/detect/run).
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rng.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"

struct job {
  const struct fk_detect_params *p;
  enum fk_detect_method method;
  double **series;
  size_t nseries, n, from, to;
  fk_date start;
  size_t next; /* next series to take */
  pthread_mutex_t lock;
  long alarms, evaluated;
};

/* Poisson by inversion for small means, normal approximation above 50. */
static double poisson(struct fk__rng *r, double mu)
{
  if (mu > 50) {
    double u1 = fk__rng_unit(r), u2 = fk__rng_unit(r);
    double z = sqrt(-2 * log(u1 + 1e-300)) * cos(2 * 3.141592653589793 * u2);
    double v = floor(mu + sqrt(mu) * z + 0.5);
    return v < 0 ? 0 : v;
  }
  double l = exp(-mu), p = 1;
  int k = 0;
  do {
    k++;
    p *= fk__rng_unit(r);
  } while (p > l);
  return k - 1;
}

/* Gamma(shape, 1) by Marsaglia and Tsang (shape >= 1). */
static double gamma1(struct fk__rng *r, double shape)
{
  double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
  for (;;) {
    double u1 = fk__rng_unit(r), u2 = fk__rng_unit(r);
    double z = sqrt(-2 * log(u1 + 1e-300)) * cos(2 * 3.141592653589793 * u2), v = 1 + c * z;
    if (v <= 0) continue;
    v = v * v * v;
    if (log(fk__rng_unit(r) + 1e-300) < 0.5 * z * z + d - d * v + d * log(v)) return d * v;
  }
}

static void make_series(double *y, size_t n, size_t eval_from, uint64_t seed, size_t id)
{
  struct fk__rng r = fk__rng_make(seed, 1, id, 0);
  double base = exp(log(0.5) + fk__rng_unit(&r) * (log(12.0) - log(0.5))), size = 2;
  for (size_t t = 0; t < n; t++) {
    double mu = base * exp(0.5 * sin(2 * 3.141592653589793 * (double)t / 52.18));
    y[t] = poisson(&r, mu * gamma1(&r, size) / size);
  }
  if (fk__rng_unit(&r) < 0.3) { /* an outbreak in the evaluated years */
    size_t at = eval_from + fk__rng_below(&r, (uint32_t)(n - eval_from - 4));
    for (size_t k = 0; k < 4; k++)
      y[at + k] += poisson(&r, base * 3);
  }
}

static void *worker(void *arg)
{
  struct job *j = arg;
  size_t len = j->to - j->from + 1;
  struct fk_detect_point *out = calloc(len, sizeof *out);
  long alarms = 0, evaluated = 0;
  for (;;) {
    pthread_mutex_lock(&j->lock);
    size_t i = j->next++;
    pthread_mutex_unlock(&j->lock);
    if (i >= j->nseries) break;
    struct fk_series s = {j->series[i], j->n, j->start, 7};
    struct fk_diag d;
    if (fk_detect_run(j->method, &s, j->p, j->from, j->to, out, &d)) {
      fprintf(stderr, "bench_detect: %s\n", d.reason);
      exit(1);
    }
    for (size_t t = 0; t < len; t++)
      alarms += out[t].alarm, evaluated += out[t].evaluated;
  }
  pthread_mutex_lock(&j->lock);
  j->alarms += alarms, j->evaluated += evaluated;
  pthread_mutex_unlock(&j->lock);
  free(out);
  return NULL;
}

static double now_s(clockid_t clock)
{
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void write_csv(const char *path, struct job *j, size_t k)
{
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(1);
  }
  fprintf(f, "date,region_id,channel,count\n");
  for (size_t i = 0; i < k && i < j->nseries; i++)
    for (size_t t = 0; t < j->n; t++) {
      char d[FK_DATE_BUFSZ];
      fprintf(f, "%s,g%05zu,c%zu,%.0f\n", fk_date_format(j->start + (fk_date)(7 * t), d), i / 3,
              i % 3, j->series[i][t]);
    }
  fclose(f);
}

int main(int argc, char **argv)
{
  size_t nseries = 15000, csv_series = 0;
  int threads = 2, years = 3;
  const char *method = "farrington-noufaily", *csv = NULL;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--series"))
      nseries = (size_t)atol(argv[i + 1]);
    else if (!strcmp(argv[i], "--threads"))
      threads = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--years"))
      years = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--method"))
      method = argv[i + 1];
    else if (!strcmp(argv[i], "--csv"))
      csv = argv[i + 1];
    else if (!strcmp(argv[i], "--csv-series"))
      csv_series = (size_t)atol(argv[i + 1]);
    else {
      fprintf(stderr, "usage: bench_detect [--series N] [--threads T] [--years Y] [--method M] "
                      "[--csv FILE --csv-series K]\n");
      return 2;
    }
  }
  int m = fk_detect_method_find(method);
  if (m < 0 || threads < 1 || years < 1 || nseries < 1)
    return fprintf(stderr, "bad arguments\n"), 2;
  struct fk_detect_params p;
  fk_detect_defaults((enum fk_detect_method)m, 7, &p);
  if (m == FK_DETECT_CUSUM) p.m = 3;
  struct job j = {.p = &p, .method = (enum fk_detect_method)m, .nseries = nseries};
  size_t history = 6 * 52, eval = (size_t)years * 52;
  j.n = history + eval, j.from = history, j.to = j.n - 1;
  fk_date_parse("2014-01-06", 10, &j.start, NULL); /* a Monday */
  j.series = malloc(nseries * sizeof *j.series);
  for (size_t i = 0; i < nseries; i++) {
    j.series[i] = malloc(j.n * sizeof(double));
    make_series(j.series[i], j.n, j.from, 20240601, i);
  }
  if (csv) write_csv(csv, &j, csv_series);
  printf("%s: %zu weekly series x %zu weeks evaluated (history %zu weeks)\n", method, nseries, eval,
         history);
  for (int t = 1; t <= threads; t *= 2) {
    pthread_mutex_init(&j.lock, NULL);
    j.next = 0, j.alarms = j.evaluated = 0;
    pthread_t tid[64];
    double w0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    for (int k = 0; k < t && k < 64; k++)
      pthread_create(&tid[k], NULL, worker, &j);
    for (int k = 0; k < t && k < 64; k++)
      pthread_join(tid[k], NULL);
    double wall = now_s(CLOCK_MONOTONIC) - w0, cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    double weeks = (double)nseries * (double)eval;
    printf("threads %d: %.2f s wall, %.2f s CPU; %.2f us wall and %.2f us CPU per evaluated week; "
           "%ld evaluated, %ld alarms\n",
           t, wall, cpu, 1e6 * wall / weeks, 1e6 * cpu / weeks, j.evaluated, j.alarms);
    pthread_mutex_destroy(&j.lock);
  }
  for (size_t i = 0; i < nseries; i++)
    free(j.series[i]);
  free(j.series);
  return 0;
}
