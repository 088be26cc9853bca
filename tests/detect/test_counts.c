/*
 * counts.csv into series: one date axis for the whole file, zeros where a date has no row,
 * weekly when every gap is a multiple of 7 days, bad rows rejected with line and field, and no
 * leak or crash when any allocation fails.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "testutil.h"

struct seen {
  int n;
  long line[8];
  char field[8][64];
};

static void on_reject(void *arg, const struct fk_diag *why)
{
  struct seen *s = arg;
  if (s->n < 8) {
    s->line[s->n] = why->line;
    snprintf(s->field[s->n], sizeof s->field[0], "%s", why->field);
  }
  s->n++;
}

static const char daily[] = "region_id,date,count,channel\n"
                            "g2,2022-07-03,4,fever\n"
                            "g1,2022-07-01,1,fever\n"
                            "g1,2022-07-04,2,fever\n"
                            "g1,2022-07-02,-1,fever\n"
                            "g1,2022-07-31,1,pharmacy\n"
                            "g1,2022-07-01,9,fever\n"
                            "g1,2022-02-30,1,fever\n";

static void series_share_one_axis_with_zeros(void **state)
{
  (void)state;
  struct fk_counts *c;
  struct seen s = {0};
  long rejected;
  struct fk_diag d;
  assert_int_equal(
      fk_counts_parse(daily, sizeof daily - 1, "c.csv", &c, on_reject, &s, &rejected, &d), 0);
  assert_int_equal(rejected, 3);
  assert_int_equal(s.n, 3);
  /* the bad count and the impossible date while reading; the duplicate after */
  assert_int_equal(s.line[0], 5);
  assert_string_equal(s.field[0], "count");
  assert_int_equal(s.line[1], 8);
  assert_string_equal(s.field[1], "date");
  assert_int_equal(s.line[2], 7);
  assert_int_equal(c->step, 1);
  assert_int_equal(c->n, 31);
  assert_int_equal(c->nseries, 3);
  assert_string_equal(c->series[0].region_id, "g1");
  assert_string_equal(c->series[0].channel, "fever");
  assert_string_equal(c->series[1].channel, "pharmacy");
  assert_string_equal(c->series[2].region_id, "g2");
  double want[] = {1, 0, 0, 2, 0};
  for (int i = 0; i < 5; i++)
    assert_true(c->series[0].observed[i] == want[i]);
  assert_true(c->series[1].observed[30] == 1 && c->series[2].observed[2] == 4);
  fk_counts_free(c);
}

static void weekly_dates_make_a_weekly_series(void **state)
{
  (void)state;
  static const char weekly[] = "date,count\n2022-01-03,1\n2022-01-17,3\n2022-01-10,2\n";
  struct fk_counts *c;
  assert_int_equal(fk_counts_parse(weekly, sizeof weekly - 1, "w.csv", &c, NULL, NULL, NULL, NULL),
                   0);
  assert_int_equal(c->step, 7);
  assert_int_equal(c->n, 3);
  assert_int_equal(c->nseries, 1);
  assert_string_equal(c->series[0].region_id, "");
  assert_true(c->series[0].observed[1] == 2);
  fk_counts_free(c);
}

static void ndjson_counts_read_alike(void **state)
{
  (void)state;
  static const char nd[] = "{\"date\": \"2022-07-01\", \"channel\": \"fever\", \"count\": 3}\n"
                           "{\"date\": \"2022-07-03\", \"channel\": \"fever\", \"count\": 1.5}\n";
  struct fk_counts *c;
  long rejected;
  assert_int_equal(fk_counts_parse(nd, sizeof nd - 1, "c.ndjson", &c, NULL, NULL, &rejected, NULL),
                   0);
  assert_int_equal(rejected, 1);
  assert_int_equal(c->n, 1);
  assert_string_equal(c->series[0].channel, "fever");
  assert_true(c->series[0].observed[0] == 3);
  fk_counts_free(c);
}

static void header_without_count_is_refused(void **state)
{
  (void)state;
  static const char bad[] = "date,region_id\n2022-01-03,a\n";
  static const char none[] = "date,count\n2022-01-03,x\n";
  struct fk_counts *c;
  struct fk_diag d;
  fk_diag_clear(&d);
  assert_int_equal(fk_counts_parse(bad, sizeof bad - 1, "b.csv", &c, NULL, NULL, NULL, &d),
                   FK_EPARSE);
  assert_null(c);
  assert_string_equal(d.field, "count");
  assert_int_equal(fk_counts_parse(none, sizeof none - 1, "n.csv", &c, NULL, NULL, NULL, &d),
                   FK_EPARSE);
  assert_non_null(strstr(d.reason, "no valid row"));
}

/* 4,000 series over 100 years would be 146 M counts in memory: refused before allocating. */
static void too_many_counts_are_refused(void **state)
{
  (void)state;
  size_t cap = 64 * 4000 + 64, at = 0;
  char *buf = malloc(cap);
  at += (size_t)snprintf(buf + at, cap - at, "date,region_id,count\n1925-01-02,r0,1\n");
  for (int i = 0; i < 4000; i++)
    at += (size_t)snprintf(buf + at, cap - at, "2024-12-30,r%d,1\n", i);
  struct fk_counts *c;
  struct fk_diag d;
  fk_diag_clear(&d);
  assert_int_equal(fk_counts_parse(buf, at, "big.csv", &c, NULL, NULL, NULL, &d), FK_ERANGE);
  assert_null(c);
  assert_non_null(strstr(d.reason, "split the file"));
  free(buf);
}

static void every_allocation_failure_is_clean(void **state)
{
  (void)state;
  int ok = 0;
  for (long n = 1; n < 200 && !ok; n++) {
    struct fk_counts *c;
    fk_alloc_fail_after(n);
    int rc = fk_counts_parse(daily, sizeof daily - 1, "c.csv", &c, NULL, NULL, NULL, NULL);
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM);
    if (rc == 0) ok = 1;
    fk_counts_free(c);
  }
  assert_true(ok);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(series_share_one_axis_with_zeros),
      cmocka_unit_test(weekly_dates_make_a_weekly_series),
      cmocka_unit_test(ndjson_counts_read_alike),
      cmocka_unit_test(header_without_count_is_refused),
      cmocka_unit_test(too_many_counts_are_refused),
      cmocka_unit_test(every_allocation_failure_is_clean),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
