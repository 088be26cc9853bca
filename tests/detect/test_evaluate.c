/*
 * fangkong evaluate's numbers on series where they are known: false alarms counted exactly on
 * a baseline with planted high days, every large outbreak found on its first day by a
 * threshold, the same seed giving the same outbreaks, and ranges that cannot hold one refused.
 */
#include <math.h>
#include <string.h>

#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "testutil.h"

#define DAYS 400

static double y[2][DAYS];
static struct fk_counts_series series[2] = {{"g1", "fever", y[0]}, {"g2", "fever", y[1]}};
static struct fk_counts counts = {0, 1, DAYS, 2, series};

static void fill(void)
{
  for (int s = 0; s < 2; s++)
    for (int i = 0; i < DAYS; i++)
      y[s][i] = 5;
}

static void false_alarms_are_counted_per_100_series_weeks(void **state)
{
  (void)state;
  fill();
  y[0][300] = y[0][301] = y[1][350] = 6; /* in the range */
  y[1][10] = 9;                          /* before it */
  struct fk_detect_params p;
  struct fk_eval_setup e;
  struct fk_eval_result r;
  fk_detect_defaults(FK_DETECT_THRESHOLD, 1, &p);
  p.threshold = 6;
  fk_eval_defaults(1, &e);
  assert_int_equal(fk_evaluate(&counts, FK_DETECT_THRESHOLD, &p, 280, 349, &e, &r, NULL), 0);
  assert_int_equal(r.false_alarms, 2); /* day 350 lies after the range */
  assert_true(fabs(r.series_weeks - 2 * 70 / 7.0) < 1e-12);
  assert_true(fabs(r.false_alarms_per_100_weeks - 100.0 * 2 / 20) < 1e-12);
  assert_int_equal(r.outbreaks, 2 * e.replicates);
}

static void large_outbreaks_are_found_at_once(void **state)
{
  (void)state;
  fill();
  struct fk_detect_params p;
  struct fk_eval_setup e;
  struct fk_eval_result r, again;
  fk_detect_defaults(FK_DETECT_THRESHOLD, 1, &p);
  p.threshold = 6;
  fk_eval_defaults(1, &e);
  e.k = 200, e.replicates = 25; /* sd 0 counts as 1: 200 cases over 7 days */
  assert_int_equal(fk_evaluate(&counts, FK_DETECT_THRESHOLD, &p, 300, 399, &e, &r, NULL), 0);
  assert_int_equal(r.outbreaks, 50);
  assert_int_equal(r.detected, 50);
  assert_true(r.sensitivity == 1);
  assert_true(r.median_days == 0);
  assert_int_equal(r.false_alarms, 0);
  assert_int_equal(fk_evaluate(&counts, FK_DETECT_THRESHOLD, &p, 300, 399, &e, &again, NULL), 0);
  assert_memory_equal(&r, &again, sizeof r);
  /* an outbreak of size 0 is never found, and the median delay is then not available */
  e.k = 0;
  assert_int_equal(fk_evaluate(&counts, FK_DETECT_THRESHOLD, &p, 300, 399, &e, &r, NULL), 0);
  assert_int_equal(r.detected, 0);
  assert_true(isnan(r.median_days));
}

static void ranges_that_cannot_hold_an_outbreak_are_refused(void **state)
{
  (void)state;
  fill();
  struct fk_detect_params p;
  struct fk_eval_setup e;
  struct fk_eval_result r;
  struct fk_diag d;
  fk_detect_defaults(FK_DETECT_EARS_C1, 1, &p);
  fk_eval_defaults(1, &e);
  assert_int_equal(fk_evaluate(&counts, FK_DETECT_EARS_C1, &p, 0, 100, &e, &r, &d), FK_EINVAL);
  assert_int_equal(fk_evaluate(&counts, FK_DETECT_EARS_C1, &p, 100, 103, &e, &r, &d), FK_EINVAL);
  assert_int_equal(fk_evaluate(&counts, FK_DETECT_EARS_C1, &p, 100, 106, &e, &r, &d), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(false_alarms_are_counted_per_100_series_weeks),
      cmocka_unit_test(large_outbreaks_are_found_at_once),
      cmocka_unit_test(ranges_that_cannot_hold_an_outbreak_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
