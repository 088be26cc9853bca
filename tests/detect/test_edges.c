/*
 * The methods on series built by hand, where the answer is known without R: constant
 * baselines (sd 0), too little history, all zeros, a CUSUM path worked out by hand, CIDARS
 * baselines gathered by calendar arithmetic in the test, an obvious outbreak.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "base/rng.h"
#include "testutil.h"

#define N 600

static double y[N];
static struct fk_detect_point out[N];

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

static void run(enum fk_detect_method m, size_t n, int step, const char *key, const char *value,
                size_t from, size_t to)
{
  struct fk_series s = {y, n, D("2020-01-06"), step};
  struct fk_detect_params p;
  struct fk_diag d;
  fk_detect_defaults(m, step, &p);
  if (key && fk_detect_param_set(m, &p, key, value, &d)) fail_msg("%s", d.reason);
  if (fk_detect_run(m, &s, &p, from, to, out, &d)) fail_msg("%s", d.reason);
}

static void constant_baseline_alarms_on_any_rise(void **state)
{
  (void)state;
  for (int i = 0; i < 20; i++)
    y[i] = 5;
  y[12] = 6;
  for (int m = FK_DETECT_EARS_C1; m <= FK_DETECT_EARS_C3; m++) {
    run((enum fk_detect_method)m, 20, 1, NULL, NULL, 11, 12);
    assert_int_equal(out[0].alarm, 0);
    assert_true(out[0].score == 0);
    assert_int_equal(out[1].alarm, 1);
    assert_true(isinf(out[1].score) && out[1].score > 0);
  }
  run(FK_DETECT_EARS_C1, 20, 1, NULL, NULL, 11, 12);
  assert_true(out[1].upperbound == 5 && out[1].expected == 5);
}

static void min_sigma_floors_the_sd(void **state)
{
  (void)state;
  for (int i = 0; i < 20; i++)
    y[i] = 5;
  y[12] = 8;
  run(FK_DETECT_EARS_C1, 20, 1, "minSigma", "1", 12, 12);
  assert_true(fabs(out[0].upperbound - (5 + 3.090232306167813)) < 1e-12);
  assert_int_equal(out[0].alarm, 0);
  assert_true(fabs(out[0].score - 3) < 1e-12);
}

static void too_short_history_is_not_evaluated(void **state)
{
  (void)state;
  for (int i = 0; i < 20; i++)
    y[i] = i % 3;
  run(FK_DETECT_EARS_C1, 20, 1, NULL, NULL, 0, 19);
  for (int i = 0; i < 20; i++)
    assert_int_equal(out[i].evaluated, i >= 7);
  run(FK_DETECT_EARS_C2, 20, 1, NULL, NULL, 0, 19);
  for (int i = 0; i < 20; i++)
    assert_int_equal(out[i].evaluated, i >= 9);
  run(FK_DETECT_EARS_C3, 20, 1, NULL, NULL, 0, 19);
  for (int i = 0; i < 20; i++) {
    assert_int_equal(out[i].evaluated, i >= 11);
    if (!out[i].evaluated) assert_true(isnan(out[i].upperbound) && out[i].alarm == 0);
  }
  /* farrington needs b = 5 years of history: 2 years of weeks are not enough */
  for (int i = 0; i < 110; i++)
    y[i] = 3;
  run(FK_DETECT_FARRINGTON, 110, 7, NULL, NULL, 0, 109);
  for (int i = 0; i < 110; i++)
    assert_int_equal(out[i].evaluated, 0);
  run(FK_DETECT_FARRINGTON, 110, 7, "b", "1", 0, 109);
  assert_int_equal(out[109].evaluated, 1);
  assert_int_equal(out[30].evaluated, 0);
  /* one reference week and no trend: one row for one parameter, no dispersion to estimate */
  struct fk_series s = {y, 110, D("2020-01-06"), 7};
  struct fk_detect_params p;
  fk_detect_defaults(FK_DETECT_FARRINGTON, 7, &p);
  p.b = 1, p.w = 0, p.trend = 0, p.pastWeeksNotIncluded = 0;
  assert_int_equal(fk_detect_run(FK_DETECT_FARRINGTON, &s, &p, 109, 109, out, NULL), 0);
  assert_int_equal(out[0].evaluated, 0);
  p.w = 1; /* three rows */
  assert_int_equal(fk_detect_run(FK_DETECT_FARRINGTON, &s, &p, 109, 109, out, NULL), 0);
  assert_int_equal(out[0].evaluated, 1);
  assert_true(out[0].phi == 1 && out[0].alarm == 0);
}

static void all_zeros_never_alarm(void **state)
{
  (void)state;
  memset(y, 0, sizeof y);
  for (int m = 0; m < FK_DETECT_METHOD_COUNT; m++) {
    if (m == FK_DETECT_CUSUM) continue; /* its reference mean would be 0 */
    run((enum fk_detect_method)m, 400, 7, NULL, NULL, 300, 399);
    for (int i = 0; i < 100; i++)
      assert_int_equal(out[i].alarm, 0);
  }
  /* the farrington family holds back below limit54: no upper bound at all */
  run(FK_DETECT_FARRINGTON_NOUFAILY, 400, 7, NULL, NULL, 300, 399);
  for (int i = 0; i < 100; i++)
    assert_true(isnan(out[i].upperbound));
}

static void cusum_follows_the_hand_computed_path(void **state)
{
  (void)state;
  double ys[] = {4, 4, 2, 6, 0, 9};
  memcpy(y, ys, sizeof ys);
  run(FK_DETECT_CUSUM, 6, 1, "m", "2", 0, 5);
  double s = 0;
  for (int i = 0; i < 6; i++) {
    double prev = s, z = (ys[i] - 2) / sqrt(2);
    s = fmax(0, s + z - 1.04);
    assert_true(fabs(out[i].score - s) < 1e-12);
    assert_int_equal(out[i].alarm, s >= 2.26);
    assert_true(out[i].upperbound == ceil(sqrt(2) * (2.26 + 1.04 - prev) + 2));
  }
  assert_int_equal(out[5].alarm, 1);
}

static void threshold_sums_the_window(void **state)
{
  (void)state;
  double ys[] = {0, 1, 0, 2, 0, 0, 0};
  memcpy(y, ys, sizeof ys);
  run(FK_DETECT_THRESHOLD, 7, 1, NULL, NULL, 0, 6);
  for (int i = 0; i < 7; i++)
    assert_int_equal(out[i].alarm, ys[i] >= 1);
  struct fk_series s = {y, 7, D("2020-01-01"), 1};
  struct fk_detect_params p;
  fk_detect_defaults(FK_DETECT_THRESHOLD, 1, &p);
  p.threshold = 3, p.window = 3;
  assert_int_equal(fk_detect_run(FK_DETECT_THRESHOLD, &s, &p, 0, 6, out, NULL), 0);
  int want[] = {-1, -1, 0, 1, 0, 0, 0};
  for (int i = 0; i < 7; i++) {
    assert_int_equal(out[i].evaluated, want[i] >= 0);
    if (want[i] >= 0) assert_int_equal(out[i].alarm, want[i]);
  }
}

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, z = *(const double *)b;
  return (x > z) - (x < z);
}

/* The CIDARS baseline gathered the slow way: dates a year back by the calendar. */
static void cidars_matches_calendar_baseline(void **state)
{
  (void)state;
  enum { DAYS = 4 * 366 };
  static double big[DAYS];
  struct fk__rng rng = fk__rng_make(7, 0, 0, 0);
  for (int i = 0; i < DAYS; i++)
    big[i] = fk__rng_below(&rng, 20);
  fk_date start = D("2019-03-01");
  struct fk_series s = {big, DAYS, start, 1};
  struct fk_detect_params p;
  struct fk_detect_point o[1];
  fk_detect_defaults(FK_DETECT_CIDARS_MPM, 1, &p);
  p.percentile = 0.8;
  /* three years back and two periods before lie before the series: not evaluated */
  assert_int_equal(fk_detect_run(FK_DETECT_CIDARS_MPM, &s, &p, 3 * 366, 3 * 366, o, NULL), 0);
  assert_int_equal(o[0].evaluated, 0);
  for (int t = 3 * 366 + 20; t < DAYS; t += 37) {
    assert_int_equal(fk_detect_run(FK_DETECT_CIDARS_MPM, &s, &p, (size_t)t, (size_t)t, o, NULL), 0);
    double base[15], now = 0;
    int nb = 0, yy, mm, dd;
    for (int i = t - 6; i <= t; i++)
      now += big[i];
    for (int back = 1; back <= 3; back++) {
      fk_date_to_ymd(start + t, &yy, &mm, &dd);
      if (mm == 2 && dd == 29) mm = 3, dd = 1;
      fk_date ref;
      assert_int_equal(fk_date_from_ymd(yy - back, mm, dd, &ref), 0);
      for (int j = -2; j <= 2; j++) {
        double sum = 0;
        for (int i = 0; i < 7; i++)
          sum += big[ref - start + 7 * j - i];
        base[nb++] = sum;
      }
    }
    qsort(base, 15, sizeof *base, cmp);
    assert_int_equal(o[0].evaluated, 1);
    double h = 14 * 0.8, q = base[(int)h] + (h - floor(h)) * (base[(int)h + 1] - base[(int)h]);
    assert_true(fabs(o[0].upperbound - q) < 1e-9);
    assert_true(o[0].score == now);
    assert_int_equal(o[0].alarm, now > q);
  }
}

/* A seasonal weekly series with an outbreak five times its usual level: every Farrington
   setting alarms on it and not on the quiet weeks before. */
static void farrington_sees_an_outbreak(void **state)
{
  (void)state;
  for (int i = 0; i < 400; i++)
    y[i] = round(10 + 4 * sin(2 * 3.141592653589793 * i / 52.0) + (i * 7 % 5));
  y[390] = 60;
  for (int m = FK_DETECT_FARRINGTON; m <= FK_DETECT_FARRINGTON_NOUFAILY; m++) {
    run((enum fk_detect_method)m, 400, 7, NULL, NULL, 380, 390);
    assert_int_equal(out[10].alarm, 1);
    assert_true(out[10].upperbound < 60 && out[10].expected > 5 && out[10].expected < 20);
    int quiet = 0;
    for (int i = 0; i < 10; i++)
      quiet += out[i].alarm;
    assert_int_equal(quiet, 0);
  }
}

/* Each week is a fit of its own: evaluating a week alone gives the same bits as evaluating it
   inside a range that starts earlier, also when the earlier weeks lack the history (their
   reference points before the series) and the week itself is the first that has it. */
static void farrington_week_does_not_depend_on_the_range(void **state)
{
  (void)state;
  static struct fk_detect_point all[N];
  for (int i = 0; i < 400; i++)
    y[i] = (i * 7919 % 13) + (i % 52 < 10 ? 6 : 0);
  const char *w[] = {"3", "20"};
  for (int m = FK_DETECT_FARRINGTON; m <= FK_DETECT_FARRINGTON_NOUFAILY; m++)
    for (int k = 0; k < 2; k++) {
      run((enum fk_detect_method)m, 400, 7, "w", w[k], 0, 399);
      memcpy(all, out, 400 * sizeof *out);
      int evaluated = 0;
      for (size_t i = 0; i < 400; i++) {
        run((enum fk_detect_method)m, 400, 7, "w", w[k], i, i);
        assert_int_equal(out[0].evaluated, all[i].evaluated);
        assert_memory_equal(&out[0].upperbound, &all[i].upperbound, sizeof(double));
        assert_memory_equal(&out[0].expected, &all[i].expected, sizeof(double));
        evaluated += all[i].evaluated;
      }
      assert_true(evaluated > 100 && evaluated < 400); /* the first weeks lack history */
    }
}

static void bad_parameters_are_refused(void **state)
{
  (void)state;
  struct fk_detect_params p;
  struct fk_diag d;
  fk_detect_defaults(FK_DETECT_FARRINGTON, 7, &p);
  assert_int_equal(fk_detect_param_set(FK_DETECT_FARRINGTON, &p, "k", "1", &d), FK_EINVAL);
  assert_non_null(strstr(d.reason, "no parameter 'k'"));
  assert_int_equal(fk_detect_param_set(FK_DETECT_FARRINGTON, &p, "thresholdMethod", "x", &d),
                   FK_EINVAL);
  assert_non_null(strstr(d.reason, "delta, nbPlugin, muan"));
  assert_int_equal(fk_detect_param_set(FK_DETECT_FARRINGTON, &p, "limit54", "5,0", &d), FK_EINVAL);
  assert_int_equal(fk_detect_param_set(FK_DETECT_FARRINGTON, &p, "limit54", "3,2", &d), 0);
  assert_true(p.limit54[0] == 3 && p.limit54[1] == 2);
  assert_int_equal(fk_detect_param_set(FK_DETECT_FARRINGTON, &p, "reweight", "FALSE", &d), 0);
  assert_int_equal(p.reweight, 0);
  assert_int_equal(fk_detect_method_find("farrington-noufaily"), FK_DETECT_FARRINGTON_NOUFAILY);
  assert_int_equal(fk_detect_method_find("farington"), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(constant_baseline_alarms_on_any_rise),
      cmocka_unit_test(min_sigma_floors_the_sd),
      cmocka_unit_test(too_short_history_is_not_evaluated),
      cmocka_unit_test(all_zeros_never_alarm),
      cmocka_unit_test(cusum_follows_the_hand_computed_path),
      cmocka_unit_test(threshold_sums_the_window),
      cmocka_unit_test(cidars_matches_calendar_baseline),
      cmocka_unit_test(farrington_sees_an_outbreak),
      cmocka_unit_test(farrington_week_does_not_depend_on_the_range),
      cmocka_unit_test(bad_parameters_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
