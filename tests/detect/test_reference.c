/*
 * The methods against R's own outputs (surveillance 1.20.3, ../shared/reference/surveillance,
 * made by make-references.R there): every alarm equal, every upper bound, expected count,
 * p-value and dispersion within 1e-6 relative (1e-9 absolute near zero).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "reftable.h"
#include "testutil.h"

#define RTOL 1e-6

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

/* Compares a number with R's: both NA, or close. Returns 1 when they agree. */
static int same(double got, double want)
{
  if (isnan(want) || isnan(got)) return isnan(want) && isnan(got);
  if (isinf(want) || isinf(got)) return got == want;
  return fabs(got - want) <= RTOL * fabs(want) + 1e-9;
}

struct check {
  const char *what;
  int bad;
};

/* The largest relative difference seen, printed at the end (R writes 15 digits). */
static double worst;

static void expect(struct check *c, size_t row, const char *field, double got, double want)
{
  if (!isnan(want) && !isinf(want) && want != 0 && fabs(got - want) / fabs(want) > worst)
    worst = fabs(got - want) / fabs(want);
  if (same(got, want)) return;
  if (c->bad++ < 10)
    printf("%s row %zu %s: got %.15g, R %.15g\n", c->what, row + 1, field, got, want);
}

struct run {
  struct reftable t;
  double *y;
  struct fk_series s;
  size_t from, to; /* evaluated rows (0-based) */
  struct fk_detect_point *out;
};

/* Loads a reference file whose evaluated rows are those where column `marker` is not NA. */
static void load(struct run *r, const char *file, const char *datecol, int step, const char *marker)
{
  reftable_load(&r->t, file);
  const double *obs = reftable_col(&r->t, "observed"), *m = reftable_col(&r->t, marker);
  r->y = calloc(r->t.nrows, sizeof *r->y);
  r->from = r->t.nrows, r->to = 0;
  for (size_t i = 0; i < r->t.nrows; i++) {
    r->y[i] = REF(&r->t, obs, i);
    if (!isnan(REF(&r->t, m, i))) {
      if (r->from == r->t.nrows) r->from = i;
      r->to = i;
    }
  }
  assert_true(r->from < r->to);
  r->s = (struct fk_series){r->y, r->t.nrows, D(datecol), step};
  r->out = calloc(r->t.nrows, sizeof *r->out);
}

static void unload(struct run *r)
{
  reftable_free(&r->t);
  free(r->y);
  free(r->out);
}

static void run_method(struct run *r, enum fk_detect_method m, const char *const *params)
{
  struct fk_detect_params p;
  struct fk_diag d;
  fk_detect_defaults(m, r->s.step, &p);
  for (int i = 0; params && params[i]; i += 2)
    if (fk_detect_param_set(m, &p, params[i], params[i + 1], &d)) fail_msg("%s", d.reason);
  if (fk_detect_run(m, &r->s, &p, r->from, r->to, r->out, &d)) fail_msg("%s", d.reason);
}

/* Upper bounds and alarms of columns PREFIX_upperbound and PREFIX_alarm (alarm column may be
   another, e.g. the textbook C3). */
static int compare_ub_alarm(struct run *r, const char *what, const char *ub, const char *alarm)
{
  struct check c = {what, 0};
  const double *u = ub ? reftable_col(&r->t, ub) : NULL, *a = reftable_col(&r->t, alarm);
  for (size_t i = r->from; i <= r->to; i++) {
    const struct fk_detect_point *o = &r->out[i - r->from];
    if (u) expect(&c, i, ub, o->upperbound, REF(&r->t, u, i));
    expect(&c, i, alarm, o->alarm, REF(&r->t, a, i));
  }
  return c.bad;
}

static void ears_daily(void **state)
{
  (void)state;
  struct run r;
  load(&r, "ears_daily_synth.csv", "2023-01-01", 1, "C1_upperbound");
  int bad = 0;
  run_method(&r, FK_DETECT_EARS_C1, NULL);
  bad += compare_ub_alarm(&r, "C1", "C1_upperbound", "C1_alarm");
  run_method(&r, FK_DETECT_EARS_C2, NULL);
  bad += compare_ub_alarm(&r, "C2", "C2_upperbound", "C2_alarm");
  static const char *const pkg[] = {"C3", "surveillance", NULL};
  run_method(&r, FK_DETECT_EARS_C3, pkg);
  bad += compare_ub_alarm(&r, "C3 package", "C3_upperbound", "C3_alarm");
  bad += compare_ub_alarm(&r, "C3 package = lag-only", NULL, "C3_alarm_pkg_equiv_lagonly");
  run_method(&r, FK_DETECT_EARS_C3, NULL);
  bad += compare_ub_alarm(&r, "C3 published", NULL, "C3_alarm_textbook_z1.96");
  struct check c = {"C3 published statistic", 0};
  const double *st = reftable_col(&r.t, "C3_stat_textbook");
  for (size_t i = r.from; i <= r.to; i++)
    expect(&c, i, "score", r.out[i - r.from].score, REF(&r.t, st, i));
  bad += c.bad;
  unload(&r);
  assert_int_equal(bad, 0);
}

/* The textbook statistics R recomputed from the definitions, for C1 and C2 scores. */
static void ears_daily_statistics(void **state)
{
  (void)state;
  struct run r;
  load(&r, "ears_daily_synth.csv", "2023-01-01", 1, "C1_upperbound");
  int bad = 0;
  const char *cols[] = {"C1_stat_textbook", "C2_stat_textbook"};
  for (int m = 0; m < 2; m++) {
    run_method(&r, m ? FK_DETECT_EARS_C2 : FK_DETECT_EARS_C1, NULL);
    struct check c = {cols[m], 0};
    const double *st = reftable_col(&r.t, cols[m]);
    for (size_t i = r.from; i <= r.to; i++)
      expect(&c, i, "score", r.out[i - r.from].score, REF(&r.t, st, i));
    bad += c.bad;
  }
  unload(&r);
  assert_int_equal(bad, 0);
}

static void ears_weekly(void **state)
{
  (void)state;
  struct run r;
  load(&r, "ears_cusum_bayes_rki_glr_salmNewport_national.csv", "2004-01-05", 7, "C1_upperbound");
  int bad = 0;
  run_method(&r, FK_DETECT_EARS_C1, NULL);
  bad += compare_ub_alarm(&r, "C1", "C1_upperbound", "C1_alarm");
  run_method(&r, FK_DETECT_EARS_C2, NULL);
  bad += compare_ub_alarm(&r, "C2", "C2_upperbound", "C2_alarm");
  static const char *const pkg[] = {"C3", "surveillance", NULL};
  run_method(&r, FK_DETECT_EARS_C3, pkg);
  bad += compare_ub_alarm(&r, "C3 package", "C3_upperbound", "C3_alarm");
  unload(&r);
  assert_int_equal(bad, 0);
}

static void cusum_weekly(void **state)
{
  (void)state;
  struct run r;
  load(&r, "ears_cusum_bayes_rki_glr_salmNewport_national.csv", "2004-01-05", 7, "cusum_m");
  run_method(&r, FK_DETECT_CUSUM, NULL);
  int bad = compare_ub_alarm(&r, "cusum", "cusum_upperbound", "cusum_alarm");
  struct check c = {"cusum", 0};
  const double *m = reftable_col(&r.t, "cusum_m"), *st = reftable_col(&r.t, "cusum_stat");
  for (size_t i = r.from; i <= r.to; i++) {
    expect(&c, i, "m", r.out[i - r.from].expected, REF(&r.t, m, i));
    expect(&c, i, "stat", r.out[i - r.from].score, REF(&r.t, st, i));
  }
  unload(&r);
  assert_int_equal(bad + c.bad, 0);
}

static int compare_farrington(struct run *r, const char *prefix)
{
  char name[64];
  struct check c = {prefix, 0};
  const char *fields[] = {"upperbound", "alarm", "expected", "pvalue", "phi", "trend"};
  const double *col[6];
  for (int f = 0; f < 6; f++) {
    snprintf(name, sizeof name, "%s_%s", prefix, fields[f]);
    col[f] = reftable_col(&r->t, name);
  }
  for (size_t i = r->from; i <= r->to; i++) {
    const struct fk_detect_point *o = &r->out[i - r->from];
    double got[6] = {o->upperbound, o->alarm, o->expected, o->pvalue, o->phi, o->trend};
    for (int f = 0; f < 6; f++)
      expect(&c, i, fields[f], got[f], REF(&r->t, col[f], i));
  }
  return c.bad;
}

static void farrington_original(void **state)
{
  (void)state;
  struct run r;
  load(&r, "farringtonFlexible_salmNewport_national.csv", "2004-01-05", 7, "orig_phi");
  run_method(&r, FK_DETECT_FARRINGTON, NULL);
  int bad = compare_farrington(&r, "orig");
  unload(&r);
  assert_int_equal(bad, 0);
}

static void farrington_noufaily(void **state)
{
  (void)state;
  struct run r;
  load(&r, "farringtonFlexible_salmNewport_national.csv", "2004-01-05", 7, "nouf_phi");
  run_method(&r, FK_DETECT_FARRINGTON_NOUFAILY, NULL);
  int bad = compare_farrington(&r, "nouf");
  unload(&r);
  assert_int_equal(bad, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ears_daily),          cmocka_unit_test(ears_daily_statistics),
      cmocka_unit_test(ears_weekly),         cmocka_unit_test(cusum_weekly),
      cmocka_unit_test(farrington_original), cmocka_unit_test(farrington_noufaily),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  printf("largest relative difference from R: %.3g\n", worst);
  return rc;
}
