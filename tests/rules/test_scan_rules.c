/* The `scan` section of a rule set: the shipped editions carry SaTScan's daily defaults, and a
 * wrong value is reported with its path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "testutil.h"

static void load(struct fk_rules *r, const char *name)
{
  const char *src = getenv("FK_SRC");
  char path[1024];
  struct fk_diag d;
  snprintf(path, sizeof path, "%s/rules/%s.json", src ? src : ".", name);
  if (fk_rules_load(path, r, NULL, NULL, &d)) fail_msg("%s: %s: %s", path, d.field, d.reason);
}

static void the_shipped_files_carry_satscans_daily_defaults(void **state)
{
  (void)state;
  static const char *const names[] = {"protocol-9", "protocol-10"};
  for (int i = 0; i < 2; i++) {
    struct fk_rules r;
    load(&r, names[i]);
    assert_int_equal(r.scan.max_days, 7);
    assert_true(r.scan.max_share == 0.5);
    assert_int_equal(r.scan.replicates, 999);
    assert_non_null(strstr(r.scan.source, "Kulldorff"));
  }
}

struct problems {
  int n;
  char text[8][256];
};

static void on_problem(void *arg, const char *path, const char *reason)
{
  struct problems *p = arg;
  if (p->n < 8) snprintf(p->text[p->n++], 256, "%s: %s", path, reason);
}

static void a_wrong_scan_section_is_reported_with_its_path(void **state)
{
  (void)state;
  static const char text[] =
      "{\"name\": \"x\","
      " \"trace\": {\"source\": \"s\", \"window_days_before_onset\": 4,"
      "             \"default_dwell_minutes\": 60},"
      " \"companion\": {\"source\": \"s\", \"cell_meters\": 800, \"min_minutes\": 10,"
      "                 \"dwell_hours\": 30, \"lookback_days\": 14},"
      " \"scan\": {\"source\": \"s\", \"max_days\": 7.5, \"max_share\": 0, \"replicates\": 999,"
      "          \"seed\": 1, \"radius\": 3}}";
  struct fk_rules r;
  struct problems p = {0};
  struct fk_diag d;
  assert_int_equal(fk_rules_parse(text, strlen(text), "x.json", &r, on_problem, &p, &d), FK_EINVAL);
  int days = 0, share = 0, unknown = 0;
  for (int i = 0; i < p.n; i++) {
    days += !strcmp(p.text[i], "scan.max_days: must be a whole number");
    share += !strcmp(p.text[i], "scan.max_share: must be above 0");
    unknown += strstr(p.text[i], "scan.radius") != NULL;
  }
  assert_int_equal(days + share + unknown, 3);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_shipped_files_carry_satscans_daily_defaults),
      cmocka_unit_test(a_wrong_scan_section_is_reported_with_its_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
