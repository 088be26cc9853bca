/* Civil dates and ISO 8601 instants, checked against libc's timegm/gmtime as a reference. */
#define _DEFAULT_SOURCE
#include <string.h>
#include <time.h>

#include "fangkong/error.h"
#include "fangkong/time.h"
#include "testutil.h"

static fk_time parse_ok(const char *s)
{
  fk_time t = 0;
  struct fk_diag d;
  fk_diag_clear(&d);
  int rc = fk_time_parse(s, strlen(s), &t, &d);
  if (rc) fail_msg("%s: %s", s, d.reason);
  return t;
}

static int parse_rc(const char *s)
{
  fk_time t;
  return fk_time_parse(s, strlen(s), &t, NULL);
}

static void offsets_and_zulu_name_the_same_instant(void **state)
{
  (void)state;
  struct tm tm = {.tm_year = 122, .tm_mon = 6, .tm_mday = 14, .tm_hour = 1, .tm_min = 31};
  fk_time want = (fk_time)timegm(&tm);
  assert_int_equal(parse_ok("2022-07-14T09:31:00+08:00"), want);
  assert_int_equal(parse_ok("2022-07-14T01:31:00Z"), want);
  assert_int_equal(parse_ok("2022-07-14T01:31Z"), want);
  assert_int_equal(parse_ok("2022-07-14 09:31:00+0800"), want);
  assert_int_equal(parse_ok("2022-07-13T20:31:00.250-05:00"), want);
}

static void a_time_without_offset_is_refused(void **state)
{
  (void)state;
  struct fk_diag d;
  fk_time t;
  assert_int_equal(fk_time_parse("2022-07-14T09:31:00", 19, &t, &d), FK_EPARSE);
  assert_non_null(strstr(d.reason, "offset"));
}

static void impossible_dates_and_times_are_refused(void **state)
{
  (void)state;
  fk_date day;
  assert_int_equal(fk_date_parse("2022-02-30", 10, &day, NULL), FK_ERANGE);
  assert_int_equal(fk_date_parse("2023-02-29", 10, &day, NULL), FK_ERANGE);
  assert_int_equal(fk_date_parse("2024-02-29", 10, &day, NULL), 0);
  assert_int_equal(fk_date_parse("1900-02-29", 10, &day, NULL), FK_ERANGE);
  assert_int_equal(fk_date_parse("2000-02-29", 10, &day, NULL), 0);
  assert_int_equal(fk_date_parse("2022-7-14", 9, &day, NULL), FK_EPARSE);
  assert_int_equal(parse_rc("2022-02-30T00:00:00+08:00"), FK_ERANGE);
  assert_int_equal(parse_rc("2022-07-14T24:00:00+08:00"), FK_ERANGE);
  assert_int_equal(parse_rc("2022-07-14T09:60:00+08:00"), FK_ERANGE);
  assert_int_equal(parse_rc("2022-07-14T09:31:00+8"), FK_EPARSE);
  assert_int_equal(parse_rc("2022-07-14T09:31:00+08:00x"), FK_EPARSE);
  assert_int_equal(parse_rc("2022-07-14X09:31:00+08:00"), FK_EPARSE);
  assert_int_equal(parse_rc(""), FK_EPARSE);
}

/* Every day from 1900 to 2100 round-trips and agrees with gmtime. */
static void every_day_agrees_with_libc(void **state)
{
  (void)state;
  fk_date first, last;
  assert_int_equal(fk_date_from_ymd(1900, 1, 1, &first), 0);
  assert_int_equal(fk_date_from_ymd(2100, 12, 31, &last), 0);
  for (fk_date d = first; d <= last; d++) {
    time_t secs = (time_t)d * 86400;
    struct tm tm;
    gmtime_r(&secs, &tm);
    int y, m, dd;
    fk_date_to_ymd(d, &y, &m, &dd);
    assert_int_equal(y, tm.tm_year + 1900);
    assert_int_equal(m, tm.tm_mon + 1);
    assert_int_equal(dd, tm.tm_mday);
    fk_date back;
    assert_int_equal(fk_date_from_ymd(y, m, dd, &back), 0);
    assert_int_equal(back, d);
  }
}

static void city_days_start_at_local_midnight(void **state)
{
  (void)state;
  fk_date d;
  char buf[FK_TIME_BUFSZ];
  assert_int_equal(fk_date_parse("2022-07-14", 10, &d, NULL), 0);
  assert_string_equal(fk_time_format(fk_date_start(d), buf), "2022-07-14T00:00:00+08:00");
  /* 23:59 on the 13th in UTC is already the 14th in the city. */
  assert_int_equal(fk_time_date(parse_ok("2022-07-13T16:00:00Z")), d);
  assert_int_equal(fk_time_date(parse_ok("2022-07-13T15:59:59Z")), d - 1);
  assert_string_equal(fk_time_format(parse_ok("2022-07-14T01:31:00Z"), buf),
                      "2022-07-14T09:31:00+08:00");
  assert_int_equal(fk_date_at(d, 9, 31, 0), parse_ok("2022-07-14T09:31:00+08:00"));
  /* Before the epoch too. */
  assert_string_equal(fk_time_format(parse_ok("1969-12-31T23:59:59+08:00"), buf),
                      "1969-12-31T23:59:59+08:00");
}

/* Formatting agrees with gmtime and strftime at instants spread over 1900..2100, and years that
   four digits cannot hold are still written whole. */
static void formatting_agrees_with_libc(void **state)
{
  (void)state;
  char buf[FK_TIME_BUFSZ], want[64];
  fk_date first, last, far;
  assert_int_equal(fk_date_from_ymd(1900, 1, 1, &first), 0);
  assert_int_equal(fk_date_from_ymd(2100, 12, 31, &last), 0);
  for (fk_time t = fk_date_start(first); t < fk_date_start(last); t += 86400 * 3 + 3671) {
    time_t city = (time_t)(t + FK_CITY_UTC_OFFSET);
    struct tm tm;
    gmtime_r(&city, &tm);
    strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    assert_string_equal(fk_time_format(t, buf), want);
  }
  assert_int_equal(fk_date_from_ymd(9999, 12, 31, &far), 0);
  assert_string_equal(fk_time_format(fk_date_start(far + 2) + 3723, buf),
                      "10000-01-02T01:02:03+08:00");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(offsets_and_zulu_name_the_same_instant),
      cmocka_unit_test(a_time_without_offset_is_refused),
      cmocka_unit_test(impossible_dates_and_times_are_refused),
      cmocka_unit_test(every_day_agrees_with_libc),
      cmocka_unit_test(city_days_start_at_local_midnight),
      cmocka_unit_test(formatting_agrees_with_libc),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
