/*
 * Day counting against plans worked out by hand from the protocol text (issue 4): day 0 is the
 * anchor; a phase of N days covers its days 1..N; test day k of a phase is due on its start + k - 1
 * (for the first phase, anchor + k); a test due before placement is due on placement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/rules.h"
#include "testutil.h"

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

static void load(struct fk_rules *r, const char *name)
{
  const char *src = getenv("FK_SRC");
  char path[1024];
  struct fk_diag d;
  snprintf(path, sizeof path, "%s/rules/%s.json", src ? src : ".", name);
  if (fk_rules_load(path, r, NULL, NULL, &d)) fail_msg("%s: %s: %s", path, d.field, d.reason);
}

static void expect_phase(const struct fk_plan *p, int i, enum fk_measure_kind kind,
                         const char *start, const char *end)
{
  assert_true(i < p->nphases);
  assert_int_equal(p->phases[i].kind, kind);
  assert_int_equal(p->phases[i].start, D(start));
  assert_int_equal(p->phases[i].end, D(end));
}

/* The tests' due dates, in order, as "phase:day:YYYY-MM-DD" joined by spaces. */
static void expect_tests(const struct fk_plan *p, const char *want)
{
  char got[2048] = "";
  for (int i = 0; i < p->ntests; i++) {
    char due[FK_DATE_BUFSZ];
    size_t at = strlen(got);
    snprintf(got + at, sizeof got - at, "%s%d:%d:%s", i ? " " : "", p->tests[i].phase,
             p->tests[i].day, fk_date_format(p->tests[i].due, due));
  }
  assert_string_equal(got, want);
}

static void a_close_contact_under_protocol_9_is_7_plus_3_from_the_last_exposure(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_plan p;
  assert_int_equal(fk_rules_default(&r), 0);
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_CLOSE_CONTACT, D("2022-07-10"), D("2022-07-11"), &p), 0);
  assert_int_equal(p.anchor_kind, FK_ANCHOR_LAST_EXPOSURE);
  assert_int_equal(p.nphases, 2);
  expect_phase(&p, 0, FK_MEASURE_CENTRALIZED_QUARANTINE, "2022-07-11", "2022-07-17");
  expect_phase(&p, 1, FK_MEASURE_HOME_HEALTH_MONITORING, "2022-07-18", "2022-07-20");
  expect_tests(&p, "0:1:2022-07-11 0:2:2022-07-12 0:3:2022-07-13 0:5:2022-07-15 0:7:2022-07-17 "
                   "1:3:2022-07-20");
  assert_int_equal(p.end, D("2022-07-20"));
  for (int i = 0; i < p.ntests; i++) {
    assert_int_equal(p.tests[i].due, p.tests[i].nominal);
    assert_int_equal(p.tests[i].done_on, FK_DATE_NONE);
  }
}

static void tests_due_before_placement_are_due_on_placement(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_plan p;
  assert_int_equal(fk_rules_default(&r), 0);
  /* Exposed 07-10, found and placed only on 07-13: days 1, 2 (07-11, 07-12) move to 07-13;
   * day 3 is 07-13 anyway; the phases still run from the anchor. */
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_CLOSE_CONTACT, D("2022-07-10"), D("2022-07-13"), &p), 0);
  expect_phase(&p, 0, FK_MEASURE_CENTRALIZED_QUARANTINE, "2022-07-11", "2022-07-17");
  expect_tests(&p, "0:1:2022-07-13 0:2:2022-07-13 0:3:2022-07-13 0:5:2022-07-15 0:7:2022-07-17 "
                   "1:3:2022-07-20");
  assert_int_equal(p.tests[0].nominal, D("2022-07-11"));
  assert_int_equal(p.tests[1].nominal, D("2022-07-12"));
  /* Placed before the anchor (a person already in a site): nothing moves. */
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_CLOSE_CONTACT, D("2022-07-10"), D("2022-07-09"), &p), 0);
  assert_int_equal(p.tests[0].due, D("2022-07-11"));
}

static void a_close_contact_under_protocol_10_is_5_plus_3(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_plan p;
  load(&r, "protocol-10");
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_CLOSE_CONTACT, D("2022-11-20"), D("2022-11-21"), &p), 0);
  assert_int_equal(p.nphases, 2);
  expect_phase(&p, 0, FK_MEASURE_CENTRALIZED_QUARANTINE, "2022-11-21", "2022-11-25");
  expect_phase(&p, 1, FK_MEASURE_HOME_QUARANTINE, "2022-11-26", "2022-11-28");
  expect_tests(&p, "0:1:2022-11-21 0:2:2022-11-22 0:3:2022-11-23 0:5:2022-11-25 "
                   "1:1:2022-11-26 1:3:2022-11-28");
  assert_int_equal(p.end, D("2022-11-28"));
  /* No secondary contacts, no medium areas. */
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_SECONDARY_CONTACT, D("2022-11-20"), D("2022-11-21"), &p),
      FK_ENOTFOUND);
  assert_int_equal(p.nphases, 0);
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_MEDIUM_RISK_AREA, D("2022-11-20"), D("2022-11-21"), &p),
      FK_ENOTFOUND);
}

static void a_secondary_contact_is_7_days_at_home_tested_on_days_1_4_7(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_plan p;
  assert_int_equal(fk_rules_default(&r), 0);
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_SECONDARY_CONTACT, D("2022-07-12"), D("2022-07-13"), &p), 0);
  assert_int_equal(p.nphases, 1);
  expect_phase(&p, 0, FK_MEASURE_HOME_QUARANTINE, "2022-07-13", "2022-07-19");
  expect_tests(&p, "0:1:2022-07-13 0:4:2022-07-16 0:7:2022-07-19");
  assert_int_equal(r.measures[FK_PERSON_SECONDARY_CONTACT].release.linked_negative_tests, 2);
  assert_int_equal(r.measures[FK_PERSON_SECONDARY_CONTACT].release.on_linked_positive,
                   FK_PERSON_CLOSE_CONTACT);
}

static void a_high_risk_area_is_counted_from_leaving_it(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_plan p;
  assert_int_equal(fk_rules_default(&r), 0);
  /* Left the area on 07-05, arrived and placed on 07-08: days 1..3 (07-06..07-08) fall due on
   * placement, and the quarantine ends 7 days after leaving, on 07-12. */
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_HIGH_RISK_AREA, D("2022-07-05"), D("2022-07-08"), &p), 0);
  assert_int_equal(p.anchor_kind, FK_ANCHOR_LEFT_AREA);
  expect_phase(&p, 0, FK_MEASURE_CENTRALIZED_QUARANTINE, "2022-07-06", "2022-07-12");
  expect_tests(&p, "0:1:2022-07-08 0:2:2022-07-08 0:3:2022-07-08 0:5:2022-07-10 0:7:2022-07-12");
  /* Under protocol-10 the same person quarantines at home, tested on days 1, 3, 5, 7. */
  load(&r, "protocol-10");
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_HIGH_RISK_AREA, D("2022-07-05"), D("2022-07-06"), &p), 0);
  expect_phase(&p, 0, FK_MEASURE_HOME_QUARANTINE, "2022-07-06", "2022-07-12");
  expect_tests(&p, "0:1:2022-07-06 0:3:2022-07-08 0:5:2022-07-10 0:7:2022-07-12");
}

static void three_days_two_tests_and_the_open_ended_hospital(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_plan p;
  assert_int_equal(fk_rules_default(&r), 0);
  assert_int_equal(fk_measure_plan(&r, FK_PERSON_COMPANION, D("2022-07-14"), D("2022-07-14"), &p),
                   0);
  expect_phase(&p, 0, FK_MEASURE_THREE_DAYS_TWO_TESTS, "2022-07-15", "2022-07-17");
  assert_int_equal(p.phases[0].confined, 1);
  assert_int_equal(r.measures[FK_PERSON_COMPANION].release.negative_tests, 2);
  assert_int_equal(r.measures[FK_PERSON_COMPANION].release.min_gap_hours, 24);
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_LOW_RISK_AREA, D("2022-07-14"), D("2022-07-14"), &p), 0);
  assert_int_equal(p.phases[0].confined, 0);
  assert_int_equal(fk_measure_plan(&r, FK_PERSON_CASE, D("2022-07-14"), D("2022-07-14"), &p), 0);
  assert_int_equal(p.phases[0].kind, FK_MEASURE_HOSPITAL);
  assert_int_equal(p.phases[0].start, D("2022-07-15"));
  assert_int_equal(p.phases[0].end, FK_DATE_NONE);
  assert_int_equal(p.end, FK_DATE_NONE);
}

static void a_new_exposure_moves_the_anchor_and_keeps_tests_taken(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_plan p, q;
  assert_int_equal(fk_rules_default(&r), 0);
  assert_int_equal(
      fk_measure_plan(&r, FK_PERSON_CLOSE_CONTACT, D("2022-07-10"), D("2022-07-11"), &p), 0);
  p.tests[0].done_on = D("2022-07-11");
  p.tests[1].done_on = D("2022-07-12");
  /* Exposed again on 07-12 (a household member turned positive): day 0 is now 07-12. */
  assert_int_equal(fk_measure_replan(&r, &p, D("2022-07-12"), &q), 0);
  assert_int_equal(q.anchor, D("2022-07-12"));
  assert_int_equal(q.placed, D("2022-07-11"));
  expect_phase(&q, 0, FK_MEASURE_CENTRALIZED_QUARANTINE, "2022-07-13", "2022-07-19");
  expect_phase(&q, 1, FK_MEASURE_HOME_HEALTH_MONITORING, "2022-07-20", "2022-07-22");
  expect_tests(&q, "-1:1:2022-07-11 -1:2:2022-07-12 0:1:2022-07-13 0:2:2022-07-14 "
                   "0:3:2022-07-15 0:5:2022-07-17 0:7:2022-07-19 1:3:2022-07-22");
  assert_int_equal(q.tests[0].done_on, D("2022-07-11"));
  assert_int_equal(q.tests[2].done_on, FK_DATE_NONE);
  /* Replanning in place, and a sample taken on a new due date answers it. */
  q.tests[2].done_on = D("2022-07-13");
  assert_int_equal(fk_measure_replan(&r, &q, D("2022-07-12"), &q), 0);
  assert_int_equal(q.ntests, 9);
  assert_int_equal(q.tests[3].due, D("2022-07-13"));
  assert_int_equal(q.tests[3].done_on, D("2022-07-13"));
  /* The anchor never moves back. */
  assert_int_equal(fk_measure_replan(&r, &q, D("2022-07-09"), &p), FK_EINVAL);
}

static void the_stricter_measure_wins(void **state)
{
  (void)state;
  struct fk_rules r;
  assert_int_equal(fk_rules_default(&r), 0);
  /* Centralized quarantine beats home quarantine, whichever is named first. */
  assert_int_equal(fk_measure_stricter(&r, FK_PERSON_SECONDARY_CONTACT, FK_PERSON_CLOSE_CONTACT),
                   FK_PERSON_CLOSE_CONTACT);
  assert_int_equal(fk_measure_stricter(&r, FK_PERSON_CLOSE_CONTACT, FK_PERSON_SECONDARY_CONTACT),
                   FK_PERSON_CLOSE_CONTACT);
  assert_int_equal(fk_measure_stricter(&r, FK_PERSON_MEDIUM_RISK_AREA, FK_PERSON_HIGH_RISK_AREA),
                   FK_PERSON_HIGH_RISK_AREA);
  assert_int_equal(fk_measure_stricter(&r, FK_PERSON_COMPANION, FK_PERSON_CASE), FK_PERSON_CASE);
  /* Equal rank: the longer measure (7+3 beats 7). */
  r.measures[FK_PERSON_HIGH_RISK_AREA].rank = r.measures[FK_PERSON_CLOSE_CONTACT].rank;
  assert_int_equal(fk_measure_stricter(&r, FK_PERSON_HIGH_RISK_AREA, FK_PERSON_CLOSE_CONTACT),
                   FK_PERSON_CLOSE_CONTACT);
  /* Under protocol-10 a category with no measure always loses. */
  load(&r, "protocol-10");
  assert_int_equal(fk_measure_stricter(&r, FK_PERSON_SECONDARY_CONTACT, FK_PERSON_LOW_RISK_AREA),
                   FK_PERSON_LOW_RISK_AREA);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_close_contact_under_protocol_9_is_7_plus_3_from_the_last_exposure),
      cmocka_unit_test(tests_due_before_placement_are_due_on_placement),
      cmocka_unit_test(a_close_contact_under_protocol_10_is_5_plus_3),
      cmocka_unit_test(a_secondary_contact_is_7_days_at_home_tested_on_days_1_4_7),
      cmocka_unit_test(a_high_risk_area_is_counted_from_leaving_it),
      cmocka_unit_test(three_days_two_tests_and_the_open_ended_hospital),
      cmocka_unit_test(a_new_exposure_moves_the_anchor_and_keeps_tests_taken),
      cmocka_unit_test(the_stricter_measure_wins),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
