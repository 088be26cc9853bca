/* areas.designate: the shipped editions' readings, and mistakes named by path. */
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

static void load(const char *name, struct fk_rules *r)
{
  const char *src = getenv("FK_SRC");
  char path[1024];
  struct fk_diag d;
  snprintf(path, sizeof path, "%s/rules/%s.json", src ? src : ".", name);
  if (fk_rules_load(path, r, NULL, NULL, &d)) fail_msg("%s: %s", path, d.reason);
}

static void protocol_9_draws_homes_high_and_stays_medium_but_not_rides(void **state)
{
  (void)state;
  struct fk_rules r;
  load("protocol-9", &r);
  assert_int_equal(r.areas.home.used, 1);
  assert_int_equal(r.areas.home.level, FK_AREA_HIGH);
  assert_int_equal(r.areas.stayed.used, 1);
  assert_int_equal(r.areas.stayed.level, FK_AREA_MEDIUM);
  assert_int_equal(r.areas.stayed.kinds[kind("restaurant")], 1);
  assert_int_equal(r.areas.stayed.kinds[kind("residential")], 1);
  assert_int_equal(r.areas.stayed.kinds[kind("bus")], 0);
  assert_int_equal(r.areas.stayed.kinds[kind("metro")], 0);
  assert_true(strlen(r.areas.designate_source) > 0);
}

static void protocol_10_draws_only_homes_and_workplaces_high(void **state)
{
  (void)state;
  struct fk_rules r;
  load("protocol-10", &r);
  assert_int_equal(r.areas.home.level, FK_AREA_HIGH);
  assert_int_equal(r.areas.stayed.level, FK_AREA_HIGH);
  int n = 0;
  for (int k = 0; fk_place_kinds[k]; k++)
    n += r.areas.stayed.kinds[k];
  assert_int_equal(n, 4);
  assert_int_equal(r.areas.stayed.kinds[kind("office")], 1);
  assert_int_equal(r.areas.stayed.kinds[kind("restaurant")], 0);
}

struct seen {
  char all[4096];
};

static void collect(void *arg, const char *path, const char *reason)
{
  struct seen *s = arg;
  size_t at = strlen(s->all);
  snprintf(s->all + at, sizeof s->all - at, "%s: %s\n", path, reason);
}

static void mistakes_in_designate_are_named_by_path(void **state)
{
  (void)state;
  const char bad[] =
      "{\"name\": \"x\","
      " \"trace\": {\"source\": \"s\", \"window_days_before_onset\": 4,"
      "  \"default_dwell_minutes\": 60},"
      " \"companion\": {\"source\": \"s\", \"cell_meters\": 800, \"min_minutes\": 10,"
      "  \"dwell_hours\": 30, \"lookback_days\": 14},"
      " \"areas\": {\"source\": \"s\", \"restart_on_new_infection\": true, \"levels\": {"
      "  \"high\": {\"source\": \"s\", \"steps\": [{\"to\": \"low\", \"days_without_infection\": "
      "5}]},"
      "  \"low\": {\"source\": \"s\", \"steps\": []}},"
      "  \"designate\": {\"source\": \"s\", \"colour\": 1,"
      "   \"stayed\": {\"source\": \"s\", \"level\": \"medium\", \"kinds\": [\"spaceport\"],"
      "    \"except_kinds\": [\"bus\"]}}}}";
  const char no_home_level[] =
      "{\"name\": \"x\","
      " \"trace\": {\"source\": \"s\", \"window_days_before_onset\": 4,"
      "  \"default_dwell_minutes\": 60},"
      " \"companion\": {\"source\": \"s\", \"cell_meters\": 800, \"min_minutes\": 10,"
      "  \"dwell_hours\": 30, \"lookback_days\": 14},"
      " \"areas\": {\"source\": \"s\", \"restart_on_new_infection\": true, \"levels\": {"
      "  \"high\": {\"source\": \"s\", \"steps\": []},"
      "  \"low\": {\"source\": \"s\", \"steps\": []}},"
      "  \"designate\": {\"source\": \"s\", \"home\": {\"source\": \"s\", \"level\": \"low\"}}}}";
  struct fk_rules r;
  struct fk_diag d;
  struct seen s = {""};
  fk_diag_clear(&d);
  assert_int_equal(fk_rules_parse(bad, strlen(bad), "bad.json", &r, collect, &s, &d), FK_EINVAL);
  assert_non_null(strstr(s.all, "areas.designate.colour: unknown key"));
  assert_non_null(strstr(s.all, "areas.designate.home: required"));
  assert_non_null(strstr(s.all, "areas.designate.stayed.level: areas.levels has no medium areas"));
  assert_non_null(strstr(s.all, "areas.designate.stayed.kinds[0]: not a place kind"));
  assert_non_null(strstr(s.all, "areas.designate.stayed: give kinds or except_kinds, not both"));
  memset(&s, 0, sizeof s);
  assert_int_equal(
      fk_rules_parse(no_home_level, strlen(no_home_level), "x.json", &r, collect, &s, &d),
      FK_EINVAL);
  assert_non_null(strstr(s.all, "areas.designate.home.level: must be medium or high"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(protocol_9_draws_homes_high_and_stays_medium_but_not_rides),
      cmocka_unit_test(protocol_10_draws_only_homes_and_workplaces_high),
      cmocka_unit_test(mistakes_in_designate_are_named_by_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
