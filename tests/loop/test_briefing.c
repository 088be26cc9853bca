/*
 * The daily briefing on a hand-built city, figures worked out by hand. G1 (小店区) is the home of
 * P1, a case sampled 2022-07-10 10:00, and of P2 in the same household: a close contact
 * (protocol-9: centralized quarantine days 1..7 = 07-11..07-17, tests on days 1, 2, 3, 5, 7).
 * P3 lives in G3 (迎泽区). R3 is a restaurant in G3. The tick that traces P1 comes at `tick`;
 * the briefing at the same time covers the 24 hours before it.
 */
#include "fangkong/alloc.h"
#include "fangkong/briefing.h"
#include "fangkong/entrance.h"
#include "fangkong/loop.h"
#include "trace/city.h"

static void the_city(struct city *c, const char *tick)
{
  static const char grids[] = "grid_id,name,community,street,district,lat,lon\n"
                              "G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n"
                              "G3,三网格,柳巷社区,柳巷街道,迎泽区,37.86,112.56\n";
  char path[600];
  struct fk_diag d;
  struct fk_trace_index *ix = NULL;
  city_init(c, "briefing");
  person_in(c, "P1", "H1", "G1");
  person_in(c, "P2", "H1", "G1");
  person_in(c, "P3", "H3", "G3");
  place_in(c, "R3", "restaurant", "G3");
  a_case(c, "P1", "confirmed", "2022-07-10", "2022-07-10 10:00", "2022-07-10 18:00");
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/city.db", c->dir);
  if (fk_store_open(path, &c->st, &d)) fail_msg("open %s: %s", path, d.reason);
  import_text(c, "grids", "grids.csv", grids, sizeof grids - 1);
  import_all(c, "");
  if (fk_tick(c->st, &ix, &c->rules, T(tick), NULL, &d)) fail_msg("tick: %s", d.reason);
  fk_trace_index_free(ix);
}

static void brief(struct city *c, const char *now, struct fk_briefing *b)
{
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_briefing(c->st, &c->rules, T(now), b, &d)) fail_msg("briefing: %s", d.reason);
}

static void a_contact_placed_the_evening_after_the_sample_is_on_time(void **state)
{
  (void)state;
  struct city c;
  struct fk_briefing b;
  struct fk_entrance_result r;
  struct fk_diag d;
  the_city(&c, "2022-07-10 20:00");
  fk_diag_clear(&d);
  if (fk_entrance_check(c.st, &c.rules, "P3", "R3", T("2022-07-10 19:00"), 37.5, 1, &r, &d))
    fail_msg("check: %s", d.reason);
  brief(&c, "2022-07-10 20:00", &b);
  assert_int_equal(b.cases.new_cases, 1);
  assert_int_equal(b.cases.new_confirmed, 1);
  assert_int_equal(b.cases.total, 1);
  assert_int_equal(b.contacts.close_placed, 1); /* P2, 10 hours after P1's sample */
  assert_int_equal(b.contacts.close_on_time, 1);
  assert_int_equal(b.contacts.within_hours, 24);
  assert_true(b.contacts.share == 1.0);
  assert_int_equal(b.measures.total, 2);
  assert_int_equal(b.measures.cell[FK_PERSON_CASE][FK_MEASURE_HOSPITAL], 1);
  /* Placed 07-10, day 1 is 07-11: the days before day 1 count as the first phase. */
  assert_int_equal(b.measures.cell[FK_PERSON_CLOSE_CONTACT][FK_MEASURE_CENTRALIZED_QUARANTINE], 1);
  assert_int_equal(b.tests.due_today, 0); /* P2's day-1 test is due 07-11 */
  assert_int_equal(b.areas_in_force[FK_AREA_HIGH], 1);
  assert_int_equal(b.areas_in_force[FK_AREA_LOW], 1);
  assert_int_equal(b.nareas, 2);
  assert_string_equal(b.areas[0].area_id, "G1"); /* highest first */
  assert_string_equal(b.areas[1].area_id, "小店区");
  assert_int_equal(b.entrance.checks, 1);
  assert_int_equal(b.entrance.fevers, 1);
  assert_int_equal(b.entrance.denied, 1);
  fk_briefing_free(&b);

  brief(&c, "2022-07-11 21:00", &b); /* the next evening, no tick between */
  assert_int_equal(b.cases.new_cases, 0);
  assert_int_equal(b.cases.total, 1);
  assert_int_equal(b.contacts.close_placed, 0);
  assert_true(b.contacts.share < 0);
  assert_int_equal(b.tests.due_today, 1);
  assert_int_equal(b.tests.open_today, 1);
  assert_int_equal(b.entrance.checks, 0);
  fk_briefing_free(&b);
  city_free(&c);
}

static void a_contact_placed_more_than_a_day_after_the_sample_is_late(void **state)
{
  (void)state;
  struct city c;
  struct fk_briefing b;
  the_city(&c, "2022-07-11 10:00"); /* 24 h after 07-10 10:00: still on time */
  brief(&c, "2022-07-11 10:00", &b);
  assert_int_equal(b.contacts.close_on_time, 1);
  fk_briefing_free(&b);
  city_free(&c);
  the_city(&c, "2022-07-11 10:01");
  brief(&c, "2022-07-11 10:01", &b);
  assert_int_equal(b.cases.new_cases, 0); /* sampled more than 24 hours ago */
  assert_int_equal(b.contacts.close_placed, 1);
  assert_int_equal(b.contacts.close_late, 1);
  assert_true(b.contacts.share == 0.0);
  fk_briefing_free(&b);
  city_free(&c);
}

static void overdue_tasks_are_counted_by_district_and_level(void **state)
{
  (void)state;
  struct city c;
  struct fk_briefing b;
  struct fk_diag d;
  struct fk_trace_index *ix = NULL;
  the_city(&c, "2022-07-10 20:00");
  fk_diag_clear(&d);
  /* At 07-11 12:00 nobody has done anything: the notify tasks of P1 and P2 and P1's transfer to
     hospital (each due 2 h after placement, 07-10 22:00) are 14 h overdue, past the district's
     delay (12 h), not the city's (24 h); P2's transfer to a site (12 h: due 07-11 08:00) is 4 h
     overdue, past the community's (2 h), not the street's (6 h). The day-1 sample (due by the
     end of 07-11) is not overdue. */
  if (fk_tick(c.st, &ix, &c.rules, T("2022-07-11 12:00"), NULL, &d)) fail_msg("%s", d.reason);
  fk_trace_index_free(ix);
  brief(&c, "2022-07-11 12:00", &b);
  assert_int_equal(b.tasks_overdue, 4);
  assert_int_equal(b.ndistricts, 1);
  assert_string_equal(b.districts[0].district, "小店区");
  assert_int_equal(b.districts[0].overdue, b.tasks_overdue);
  long levels = 0;
  for (int l = 0; l < FK_LEVEL_N; l++)
    levels += b.districts[0].by_level[l];
  assert_int_equal(levels, b.tasks_overdue);
  assert_int_equal(b.districts[0].by_level[FK_LEVEL_DISTRICT], 3);
  assert_int_equal(b.districts[0].by_level[FK_LEVEL_COMMUNITY], 1);
  fk_briefing_free(&b);
  city_free(&c);
}

static void allocation_failures_are_clean_errors(void **state)
{
  (void)state;
  struct city c;
  struct fk_briefing b;
  struct fk_diag d;
  int ok_at = 0;
  the_city(&c, "2022-07-10 20:00");
  for (long n = 1; n < 500 && !ok_at; n++) {
    fk_diag_clear(&d);
    fk_alloc_fail_after(n);
    int rc = fk_briefing(c.st, &c.rules, T("2022-07-11 23:00"), &b, &d);
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM);
    fk_briefing_free(&b);
    if (!rc) ok_at = (int)n;
  }
  assert_true(ok_at > 1);
  city_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_contact_placed_the_evening_after_the_sample_is_on_time),
      cmocka_unit_test(a_contact_placed_more_than_a_day_after_the_sample_is_late),
      cmocka_unit_test(overdue_tasks_are_counted_by_district_and_level),
      cmocka_unit_test(allocation_failures_are_clean_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
