/* Rule sets: the shipped ones load with the protocol's numbers; mistakes are named by path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/rules.h"
#include "testutil.h"

static int kind(const char *name)
{
  for (int k = 0; fk_place_kinds[k]; k++)
    if (!strcmp(fk_place_kinds[k], name)) return k;
  fail_msg("no kind %s", name);
  return -1;
}

static void the_built_in_default_is_the_ninth_edition(void **state)
{
  (void)state;
  struct fk_rules r;
  assert_int_equal(fk_rules_default(&r), 0);
  assert_string_equal(r.name, "protocol-9");
  assert_int_equal(r.trace.window_days, 4);
  assert_int_equal(r.trace.secondary_contacts, 1);
  static const char *const close[] = {
      "restaurant", "office", "factory",           "school",     "gym", "cinema",
      "theatre",    "hotel",  "construction_site", "cold_store", NULL};
  for (int i = 0; close[i]; i++)
    assert_int_equal(r.trace.kinds[kind(close[i])].category, FK_CAT_CLOSE);
  assert_int_equal(r.trace.kinds[kind("supermarket")].category, FK_CAT_GENERAL);
  assert_int_equal(r.trace.kinds[kind("park")].category, FK_CAT_GENERAL);
  assert_int_equal(r.trace.kinds[kind("park")].dwell, 60 * 60);
  assert_int_equal(r.trace.kinds[kind("park")].min_overlap, 0);
  assert_true(strlen(r.trace.kinds[kind("restaurant")].source) > 0);
  assert_true(r.companion.cell_meters == 800);
  assert_int_equal(r.companion.min_overlap, 10 * 60);
  assert_int_equal(r.companion.dwell, 30 * 3600);
  assert_int_equal(r.companion.lookback_days, 14);
}

static void the_shipped_files_load_and_protocol_10_drops_secondary_contacts(void **state)
{
  (void)state;
  const char *src = getenv("FK_SRC");
  char path[1024];
  struct fk_rules r;
  struct fk_diag d;
  snprintf(path, sizeof path, "%s/rules/protocol-10.json", src ? src : ".");
  assert_int_equal(fk_rules_load(path, &r, NULL, NULL, &d), 0);
  assert_string_equal(r.name, "protocol-10");
  assert_int_equal(r.trace.secondary_contacts, 0);
  snprintf(path, sizeof path, "%s/rules/protocol-9.json", src ? src : ".");
  assert_int_equal(fk_rules_load(path, &r, NULL, NULL, &d), 0);
  assert_int_equal(r.trace.secondary_contacts, 1);
}

struct seen {
  int n;
  char all[8192];
};

static void collect(void *arg, const char *path, const char *reason)
{
  struct seen *s = arg;
  size_t at = strlen(s->all);
  snprintf(s->all + at, sizeof s->all - at, "%s: %s\n", path, reason);
  s->n++;
}

static void every_mistake_is_reported_with_its_path(void **state)
{
  (void)state;
  const char bad[] =
      "{\"name\": \"x\", \"colour\": 1,"
      " \"trace\": {\"source\": \"s\", \"window_days_before_onset\": -1,"
      "  \"default_dwell_minutes\": 60, \"secondary_contacts\": \"yes\","
      "  \"kinds\": {\"gym\": {\"category\": \"closeish\"}, \"spaceport\": {},"
      "              \"bus\": {\"dwell_minutes\": \"thirty\"}}},"
      " \"companion\": {\"source\": \"s\", \"cell_meters\": 800, \"min_minutes\": 10,"
      "  \"dwell_hours\": 30}}";
  struct fk_rules r;
  struct fk_diag d;
  struct seen s = {0};
  fk_diag_clear(&d);
  assert_int_equal(fk_rules_parse(bad, strlen(bad), "bad.json", &r, collect, &s, &d), FK_EINVAL);
  assert_int_equal(s.n, 7);
  assert_non_null(strstr(s.all, "colour: unknown key"));
  assert_non_null(strstr(s.all, "trace.window_days_before_onset: -1 is outside 0..60"));
  assert_non_null(strstr(s.all, "trace.secondary_contacts: must be true or false"));
  assert_non_null(strstr(s.all, "trace.kinds.gym.category: must be \"close\" or \"general\""));
  assert_non_null(strstr(s.all, "trace.kinds.spaceport: not a place kind"));
  assert_non_null(strstr(s.all, "trace.kinds.bus.dwell_minutes: must be a number"));
  assert_non_null(strstr(s.all, "companion.lookback_days: required"));
  assert_string_equal(d.file, "bad.json");
}

static void load(struct fk_rules *r, const char *name)
{
  const char *src = getenv("FK_SRC");
  char path[1024];
  struct fk_diag d;
  snprintf(path, sizeof path, "%s/rules/%s.json", src ? src : ".", name);
  if (fk_rules_load(path, r, NULL, NULL, &d)) fail_msg("%s: %s: %s", path, d.field, d.reason);
}

static void expect_measure(const struct fk_measure_rules *m, enum fk_anchor anchor, int nphases,
                           enum fk_measure_kind kind0, int days0, const char *tests0)
{
  char got[128] = "";
  assert_int_equal(m->applies, 1);
  assert_int_equal(m->anchor, anchor);
  assert_int_equal(m->nphases, nphases);
  assert_int_equal(m->phases[0].kind, kind0);
  assert_int_equal(m->phases[0].days, days0);
  for (int i = 0; i < m->phases[0].ntests; i++) {
    size_t at = strlen(got);
    snprintf(got + at, sizeof got - at, "%s%d", i ? "," : "", m->phases[0].test_days[i]);
  }
  assert_string_equal(got, tests0);
  assert_true(strlen(m->source) > 0);
  assert_true(strlen(m->release.source) > 0);
}

static void the_shipped_files_carry_the_measures_areas_and_codes_of_their_edition(void **state)
{
  (void)state;
  struct fk_rules r;
  load(&r, "protocol-9");
  assert_int_equal(r.sections, FK_RULES_HAS_MEASURES | FK_RULES_HAS_AREAS | FK_RULES_HAS_CODES |
                                   FK_RULES_HAS_LOOP | FK_RULES_HAS_SITES | FK_RULES_HAS_BRIEFING |
                                   FK_RULES_HAS_ALERTS);
  assert_int_equal(r.alerts.verify_hours, 24); /* CIDARS: verified within 24 h */
  assert_int_equal(r.alerts.nsources, 5);
  assert_string_equal(r.alerts.sources[0].channel, "fever_clinic");
  assert_int_equal(r.alerts.sources[0].methods[1].method, FK_DETECT_EARS_C2);
  assert_true(r.alerts.sources[0].methods[0].params.minSigma == 1);
  assert_int_equal(r.sites.households_together, 1);
  assert_int_equal(r.briefing.placed_within_hours, 24);
  assert_int_equal(r.sites.accessible_from_age, 65);

  assert_string_equal(r.issued, "2022-06-28");
  const struct fk_measure_rules *m = r.measures;
  expect_measure(&m[FK_PERSON_CLOSE_CONTACT], FK_ANCHOR_LAST_EXPOSURE, 2,
                 FK_MEASURE_CENTRALIZED_QUARANTINE, 7, "1,2,3,5,7");
  assert_int_equal(m[FK_PERSON_CLOSE_CONTACT].phases[1].kind, FK_MEASURE_HOME_HEALTH_MONITORING);
  assert_int_equal(m[FK_PERSON_CLOSE_CONTACT].phases[1].days, 3);
  assert_int_equal(m[FK_PERSON_CLOSE_CONTACT].phases[1].ntests, 1);
  assert_int_equal(m[FK_PERSON_CLOSE_CONTACT].phases[1].test_days[0], 3);
  assert_int_equal(m[FK_PERSON_CLOSE_CONTACT].release.all_tests_negative, 1);
  expect_measure(&m[FK_PERSON_SECONDARY_CONTACT], FK_ANCHOR_LAST_EXPOSURE, 1,
                 FK_MEASURE_HOME_QUARANTINE, 7, "1,4,7");
  expect_measure(&m[FK_PERSON_INBOUND_INTERNATIONAL], FK_ANCHOR_ARRIVAL, 2,
                 FK_MEASURE_CENTRALIZED_QUARANTINE, 7, "1,2,3,5,7");
  expect_measure(&m[FK_PERSON_HIGH_RISK_AREA], FK_ANCHOR_LEFT_AREA, 1,
                 FK_MEASURE_CENTRALIZED_QUARANTINE, 7, "1,2,3,5,7");
  expect_measure(&m[FK_PERSON_MEDIUM_RISK_AREA], FK_ANCHOR_LEFT_AREA, 1, FK_MEASURE_HOME_QUARANTINE,
                 7, "1,4,7");
  expect_measure(&m[FK_PERSON_LOW_RISK_AREA], FK_ANCHOR_LEFT_AREA, 1,
                 FK_MEASURE_THREE_DAYS_TWO_TESTS, 3, "1,3");
  expect_measure(&m[FK_PERSON_COMPANION], FK_ANCHOR_IDENTIFIED, 1, FK_MEASURE_THREE_DAYS_TWO_TESTS,
                 3, "1,3");
  expect_measure(&m[FK_PERSON_CASE], FK_ANCHOR_IDENTIFIED, 1, FK_MEASURE_HOSPITAL, 0, "");
  assert_true(m[FK_PERSON_CLOSE_CONTACT].rank > m[FK_PERSON_SECONDARY_CONTACT].rank);
  const struct fk_area_level_rules *hi = &r.areas.levels[FK_AREA_HIGH];
  assert_int_equal(r.areas.restart_on_new_infection, 1);
  assert_int_equal(hi->nsteps, 2);
  assert_int_equal(hi->steps[0].to, FK_AREA_MEDIUM);
  assert_int_equal(hi->steps[0].days, 7);
  assert_int_equal(hi->steps[0].screening_day, 7);
  assert_int_equal(hi->steps[1].to, FK_AREA_LOW);
  assert_int_equal(hi->steps[1].days, 3);
  assert_int_equal(r.areas.levels[FK_AREA_MEDIUM].steps[0].days, 7);
  assert_int_equal(r.areas.levels[FK_AREA_LOW].nsteps, 0);
  assert_int_equal(r.codes.none, FK_CODE_GREEN);
  assert_int_equal(r.codes.states[FK_PERSON_CLOSE_CONTACT].code, FK_CODE_RED);
  assert_int_equal(r.codes.states[FK_PERSON_COMPANION].code, FK_CODE_YELLOW);

  load(&r, "protocol-10");
  expect_measure(&m[FK_PERSON_CLOSE_CONTACT], FK_ANCHOR_LAST_EXPOSURE, 2,
                 FK_MEASURE_CENTRALIZED_QUARANTINE, 5, "1,2,3,5");
  assert_int_equal(m[FK_PERSON_CLOSE_CONTACT].phases[1].days, 3);
  assert_int_equal(m[FK_PERSON_SECONDARY_CONTACT].applies, 0);
  assert_int_equal(m[FK_PERSON_MEDIUM_RISK_AREA].applies, 0);
  assert_int_equal(r.areas.levels[FK_AREA_MEDIUM].used, 0);
  assert_int_equal(r.areas.levels[FK_AREA_HIGH].nsteps, 1);
  assert_int_equal(r.areas.levels[FK_AREA_HIGH].steps[0].to, FK_AREA_LOW);
  assert_int_equal(r.areas.levels[FK_AREA_HIGH].steps[0].days, 5);
}

static void mistakes_in_measures_areas_and_codes_are_named_by_path(void **state)
{
  (void)state;
  const char bad[] =
      "{\"name\": \"x\", \"issued\": \"2022-13-01\","
      " \"trace\": {\"source\": \"s\", \"window_days_before_onset\": 4,"
      "  \"default_dwell_minutes\": 60},"
      " \"companion\": {\"source\": \"s\", \"cell_meters\": 800, \"min_minutes\": 10,"
      "  \"dwell_hours\": 30, \"lookback_days\": 14},"
      " \"measures\": {\"close_contact\": {\"source\": \"s\", \"anchor\": \"last_exposure\","
      "   \"rank\": 80, \"phases\": [{\"kind\": \"centralised\", \"days\": -7, \"test_days\": []},"
      "   {\"kind\": \"home_health_monitoring\", \"days\": 3, \"test_days\": [3, 2, 9]}],"
      "   \"release\": {\"source\": \"s\", \"all_tests_negative\": true}},"
      "  \"secondary_contact\": {\"source\": \"s\", \"applies\": false, \"rank\": 1},"
      "  \"cousin\": {}},"
      " \"areas\": {\"source\": \"s\", \"restart_on_new_infection\": true, \"levels\": {"
      "  \"high\": {\"source\": \"s\", \"steps\": [{\"to\": \"high\", \"days_without_infection\": "
      "7}]},"
      "  \"low\": {\"source\": \"s\", \"steps\": []}}},"
      " \"codes\": {\"source\": \"s\", \"none\": \"blue\", \"states\": {}}}";
  struct fk_rules r;
  struct fk_diag d;
  struct seen s = {0};
  fk_diag_clear(&d);
  assert_int_equal(fk_rules_parse(bad, strlen(bad), "bad.json", &r, collect, &s, &d), FK_EINVAL);
  assert_non_null(strstr(s.all, "issued: must be a date"));
  assert_non_null(strstr(s.all, "measures.cousin: unknown key"));
  assert_non_null(strstr(s.all, "measures.close_contact.phases[0].kind: must be one of hospital,"));
  assert_non_null(strstr(s.all, "measures.close_contact.phases[0].days: -7 is outside 0..366"));
  assert_non_null(strstr(s.all, "measures.close_contact.phases[1].test_days[1]: test days must "
                                "increase"));
  assert_non_null(strstr(s.all, "measures.close_contact.phases[1].test_days[2]: must be a day of "
                                "the phase, 1..3"));
  assert_non_null(strstr(s.all, "measures.secondary_contact.rank: a category that is given no "
                                "measure"));
  assert_non_null(strstr(s.all, "measures.case: required"));
  assert_non_null(strstr(s.all, "areas.levels.high.steps[0].to: must be a lower level than high"));
  assert_non_null(strstr(s.all, "codes.none: must be one of green, yellow, red"));
  assert_non_null(strstr(s.all, "codes.states.test_overdue: required"));
  assert_string_equal(d.field, "issued");
}

static void mistakes_in_the_briefing_section_are_named_by_path(void **state)
{
  (void)state;
  const char bad[] =
      "{\"name\": \"x\","
      " \"trace\": {\"source\": \"s\", \"window_days_before_onset\": 4,"
      "  \"default_dwell_minutes\": 60},"
      " \"companion\": {\"source\": \"s\", \"cell_meters\": 800, \"min_minutes\": 10,"
      "  \"dwell_hours\": 30, \"lookback_days\": 14},"
      " \"briefing\": {\"placed_within_hours\": 0, \"deadline\": 24}}";
  struct fk_rules r;
  struct fk_diag d;
  struct seen s = {0};
  fk_diag_clear(&d);
  assert_int_equal(fk_rules_parse(bad, strlen(bad), "bad.json", &r, collect, &s, &d), FK_EINVAL);
  assert_non_null(strstr(s.all, "briefing.deadline: unknown key"));
  assert_non_null(strstr(s.all, "briefing.placed_within_hours: 0 is outside 1..1000"));
  assert_non_null(strstr(s.all, "briefing.source: required"));
}

static void mistakes_in_tasks_escalation_and_entrance_are_named_by_path(void **state)
{
  (void)state;
  const char bad[] =
      "{\"name\": \"x\","
      " \"trace\": {\"source\": \"s\", \"window_days_before_onset\": 4,"
      "  \"default_dwell_minutes\": 60},"
      " \"companion\": {\"source\": \"s\", \"cell_meters\": 800, \"min_minutes\": 10,"
      "  \"dwell_hours\": 30, \"lookback_days\": 14},"
      " \"tasks\": {\"notify\": {\"due_minutes\": -5, \"source\": \"s\"},"
      "  \"teleport\": {},"
      "  \"transfer\": {\"due_minutes\": 720, \"source\": \"s\","
      "   \"kinds\": {\"spa\": 60, \"hospital\": \"soon\"}},"
      "  \"sample\": {\"due_minutes\": 1440, \"source\": \"s\", \"kinds\": {}}},"
      " \"escalation\": {\"source\": \"s\","
      "  \"after_minutes\": {\"community\": 120, \"street\": 60, \"planet\": 1}},"
      " \"entrance\": {\"fever_celsius\": 45, \"mask_required\": true, \"deny_confined\": 1,"
      "  \"deny_codes\": [\"purple\"], \"deny_area_levels\": \"high\", \"source\": \"s\"}}";
  struct fk_rules r;
  struct fk_diag d;
  struct seen s = {0};
  fk_diag_clear(&d);
  assert_int_equal(fk_rules_parse(bad, strlen(bad), "bad.json", &r, collect, &s, &d), FK_EINVAL);
  assert_non_null(strstr(s.all, "tasks.notify.due_minutes: -5 is outside 0..100000"));
  assert_non_null(strstr(s.all, "tasks.teleport: not a task kind"));
  assert_non_null(strstr(s.all, "tasks.transfer.kinds.spa: not a measure kind"));
  assert_non_null(strstr(s.all, "tasks.transfer.kinds.hospital: must be minutes"));
  assert_non_null(strstr(s.all, "tasks.sample: only a transfer has kinds"));
  assert_non_null(strstr(s.all, "escalation.after_minutes.planet: unknown key"));
  assert_non_null(strstr(s.all, "escalation.after_minutes.street: must come later"));
  assert_non_null(strstr(s.all, "entrance.fever_celsius: 45 is outside 35..42"));
  assert_non_null(strstr(s.all, "entrance.deny_confined: must be true or false"));
  assert_non_null(strstr(s.all, "entrance.deny_codes: item 0 is not one of the names"));
  assert_non_null(strstr(s.all, "entrance.deny_area_levels: required list"));
}

static void text_that_is_not_json_says_where(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_diag d;
  fk_diag_clear(&d);
  assert_int_equal(fk_rules_parse("{\n\"name\": }", 11, "x.json", &r, NULL, NULL, &d), FK_EPARSE);
  assert_int_equal(d.line, 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_built_in_default_is_the_ninth_edition),
      cmocka_unit_test(the_shipped_files_load_and_protocol_10_drops_secondary_contacts),
      cmocka_unit_test(every_mistake_is_reported_with_its_path),
      cmocka_unit_test(mistakes_in_the_briefing_section_are_named_by_path),
      cmocka_unit_test(the_shipped_files_carry_the_measures_areas_and_codes_of_their_edition),
      cmocka_unit_test(mistakes_in_measures_areas_and_codes_are_named_by_path),
      cmocka_unit_test(mistakes_in_tasks_escalation_and_entrance_are_named_by_path),
      cmocka_unit_test(text_that_is_not_json_says_where),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
