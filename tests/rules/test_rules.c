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
  char all[2048];
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
      cmocka_unit_test(text_that_is_not_json_says_where),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
