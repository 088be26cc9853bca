/*
 * Risk areas on a hand-built city. Grids G1 and G2 in 小店区, G3 in 迎泽区. P1 (home G1) is an
 * asymptomatic case sampled 2022-07-10 10:00, isolated 18:00 (window from 07-06); in its window
 * it stayed at restaurant R2 (G2) on 07-09, rode bus B2 (G2) on 07-09 and worked at office O3
 * (G3) on 07-08. P2, P4, P5 live in G1, P3 in G2, P6 in G3.
 *
 * Dates worked out by hand from the protocol text (docs/AREAS.md, day 0 = the day of the last
 * infection; a step of N days takes effect on day N + 1):
 *   protocol-9, high: days 1..7 = 07-11..07-17, everyone negative on day 7 (07-17) -> medium
 *   from 07-18; 3 more days (07-18..07-20) -> low from 07-21. Medium: negative on 07-17 -> low
 *   from 07-18. protocol-10, high: days 1..5 = 07-11..07-15 -> low from 07-16; no medium; only
 *   workplaces (the office) designate besides the home.
 */
#include "fangkong/alloc.h"
#include "fangkong/areas.h"
#include "fangkong/measure.h"
#include "fangkong/measures.h"
#include "trace/city.h"

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

/* The city above under the rule set `rules` (NULL: the built-in protocol-9); `more` adds rows
 * before the import. */
static void the_city(struct city *c, const char *rules, void (*more)(struct city *))
{
  static const char grids[] = "grid_id,name,community,street,district,lat,lon\n"
                              "G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n"
                              "G2,二网格,坞城社区,坞城街道,小店区,37.74,112.56\n"
                              "G3,三网格,柳巷社区,柳巷街道,迎泽区,37.86,112.56\n";
  char path[600];
  struct fk_diag d;
  city_init(c, "areas");
  if (rules) city_rules(&c->rules, rules);
  person_in(c, "P1", "H1", "G1");
  person_in(c, "P2", "H1", "G1");
  person_in(c, "P4", "H4", "G1");
  person_in(c, "P5", "H5", "G1");
  person_in(c, "P3", "H3", "G2");
  person_in(c, "P6", "H6", "G3");
  person_in(c, "P7", "H7", "G3");
  person_in(c, "P8", "H8", "G3");
  person_in(c, "P9", "H9", "G3");
  person_in(c, "P10", "H10", "G3");
  person_in(c, "P11", "H11", "G3");
  person_in(c, "P12", "H12", "G3");
  place_in(c, "R2", "restaurant", "G2");
  place_in(c, "B2", "bus", "G2");
  place_in(c, "O3", "office", "G3");
  a_case(c, "P1", "asymptomatic", NULL, "2022-07-10 10:00", "2022-07-10 18:00");
  visit(c, "P1", "R2", "2022-07-09 12:00", "2022-07-09 13:00");
  visit(c, "P1", "B2", "2022-07-09 08:00", "2022-07-09 08:30");
  visit(c, "P1", "O3", "2022-07-08 09:00", "2022-07-08 17:00");
  if (more) more(c);
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/city.db", c->dir);
  if (fk_store_open(path, &c->st, &d)) fail_msg("open %s: %s", path, d.reason);
  import_text(c, "grids", "grids.csv", grids, sizeof grids - 1);
  import_all(c, "");
  if (fk_trace_index_build(c->st, &c->rules, &c->ix, &d)) fail_msg("index: %s", d.reason);
}

/* One update as of now, with the city's index (or, every other call, none: the update builds
   its own, and must give the same answer). */
static struct fk_areas_stats update(struct city *c, const char *now)
{
  static int calls;
  struct fk_areas_stats s;
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_areas_update(c->st, calls++ % 2 ? NULL : c->ix, &c->rules, T(now), &s, &d))
    fail_msg("update: %s", d.reason);
  return s;
}

/* The stored area (its spans as "level:from:to" joined by spaces, to "-" while in force). */
static const char *spans(struct city *c, const char *area_id, char *lifts)
{
  static char buf[1024];
  struct fk_areas as;
  char a[FK_DATE_BUFSZ], b[FK_DATE_BUFSZ];
  size_t n = 0;
  if (fk_areas_load(c->st, &as, NULL)) fail_msg("load");
  const struct fk_area_row *r = fk_areas_find(&as, area_id);
  snprintf(buf, sizeof buf, "%s", r ? "" : "none");
  for (int i = 0; r && i < r->nspans; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s:%s:%s", i ? " " : "",
                          fk_area_levels[r->spans[i].level], fk_date_format(r->spans[i].from, a),
                          r->spans[i].to == FK_DATE_NONE ? "-" : fk_date_format(r->spans[i].to, b));
  if (lifts)
    strcpy(lifts, r && r->lifts_on != FK_DATE_NONE ? fk_date_format(r->lifts_on, a) : "none");
  fk_areas_free(&as);
  return buf;
}

static void expect(struct city *c, const char *area_id, const char *want, const char *lifts)
{
  char got_lifts[FK_DATE_BUFSZ];
  const char *got = spans(c, area_id, got_lifts);
  if (strcmp(got, want) || strcmp(got_lifts, lifts))
    fail_msg("%s: spans '%s' lifts %s, want '%s' lifts %s", area_id, got, got_lifts, want, lifts);
}

static int level_at(struct city *c, const char *area_id, const char *t)
{
  int level;
  if (fk_area_level_at(c->st, area_id, T(t), &level, NULL)) fail_msg("level_at");
  return level;
}

static void a_case_designates_its_home_high_its_stays_medium_and_its_county_low(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, NULL, NULL);
  struct fk_areas_stats s = update(&c, "2022-07-10 09:00");
  assert_int_equal(s.cases, 0); /* not known before its sample */
  expect(&c, "G1", "none", "none");
  s = update(&c, "2022-07-10 12:00");
  assert_int_equal(s.cases, 1);
  expect(&c, "G1", "high:2022-07-10:-", "2022-07-21");
  expect(&c, "G2", "medium:2022-07-10:-", "2022-07-18"); /* the restaurant; the bus draws none */
  expect(&c, "G3", "medium:2022-07-10:-", "2022-07-18");
  expect(&c, "小店区", "low:2022-07-10:-", "2022-07-21");
  expect(&c, "迎泽区", "low:2022-07-10:-", "2022-07-18");
  assert_int_equal(s.in_force[FK_AREA_HIGH], 1);
  assert_int_equal(s.in_force[FK_AREA_MEDIUM], 2);
  assert_int_equal(s.in_force[FK_AREA_LOW], 2);
  city_free(&c);
}

static void negative_screenings_on_day_7_take_high_to_medium_to_low_on_time(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, NULL, NULL);
  const char *const rows[] = {"P2 2022-07-17 negative", "P5 2022-07-17 negative",
                              "P3 2022-07-17 negative", "P6 2022-07-17 negative"};
  city_samples(&c, "_1", rows, 4);
  update(&c, "2022-07-22 09:00");
  expect(&c, "G1", "high:2022-07-10:2022-07-18 medium:2022-07-18:2022-07-21", "none");
  expect(&c, "G2", "medium:2022-07-10:2022-07-18", "none");
  expect(&c, "小店区", "low:2022-07-10:2022-07-21", "none");
  assert_int_equal(level_at(&c, "G1", "2022-07-17 23:59"), FK_AREA_HIGH);
  assert_int_equal(level_at(&c, "G1", "2022-07-18 00:00"), FK_AREA_MEDIUM);
  assert_int_equal(level_at(&c, "G1", "2022-07-20 12:00"), FK_AREA_MEDIUM);
  assert_int_equal(level_at(&c, "G1", "2022-07-21 00:00"), -1);
  assert_int_equal(level_at(&c, "G2", "2022-07-19 12:00"), FK_AREA_LOW); /* its county's */
  assert_int_equal(level_at(&c, "G2", "2022-07-09 12:00"), -1);
  city_free(&c);
}

static void a_missing_or_pending_screening_holds_the_downgrade(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, NULL, NULL);
  /* 07-17: one negative, one pending in G1: not everyone negative; 07-18: nobody sampled. */
  const char *const rows[] = {"P2 2022-07-17 negative", "P5 2022-07-17 pending",
                              "P3 2022-07-17 negative"};
  city_samples(&c, "_2", rows, 3);
  update(&c, "2022-07-18 12:00");
  /* Held; if the screening of today passes, medium from 07-19 and low 3 days later. */
  expect(&c, "G1", "high:2022-07-10:-", "2022-07-22");
  expect(&c, "G2", "medium:2022-07-10:2022-07-18", "none");
  const char *const later[] = {"P4 2022-07-19 negative"};
  city_samples(&c, "_3", later, 1);
  update(&c, "2022-07-21 12:00");
  expect(&c, "G1", "high:2022-07-10:2022-07-20 medium:2022-07-20:-", "2022-07-23");
  city_free(&c);
}

static void second_case(struct city *c)
{
  a_case(c, "P4", "confirmed", "2022-07-13", "2022-07-14 09:00", "2022-07-14 15:00");
}

static void a_new_infection_inside_restarts_the_count(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, NULL, second_case);
  const char *const rows[] = {"P2 2022-07-17 negative", "P3 2022-07-17 negative",
                              "P6 2022-07-17 negative", "P2 2022-07-21 negative"};
  city_samples(&c, "_4", rows, 4);
  /* P4 lives in G1, known 07-14: day 0 moves to 07-14, screening on 07-21, medium from 07-22,
     low from 07-25. G2 and G3 are untouched. */
  update(&c, "2022-07-26 00:00");
  expect(&c, "G1", "high:2022-07-10:2022-07-22 medium:2022-07-22:2022-07-25", "none");
  expect(&c, "G2", "medium:2022-07-10:2022-07-18", "none");
  expect(&c, "小店区", "low:2022-07-10:2022-07-25", "none");
  struct fk_areas as;
  if (fk_areas_load(c.st, &as, NULL)) fail_msg("load");
  assert_non_null(strstr(fk_areas_find(&as, "G1")->spans[0].reason,
                         "count restarted 2022-07-14: home of case P4"));
  fk_areas_free(&as);
  city_free(&c);
}

static void a_case_living_in_a_medium_grid(struct city *c)
{
  a_case(c, "P3", "asymptomatic", NULL, "2022-07-12 09:00", "2022-07-12 15:00");
}

static void a_case_living_in_a_medium_grid_raises_it_to_high(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, NULL, a_case_living_in_a_medium_grid);
  /* G2, medium since 07-10, is P3's home: high from 07-12 (day 0), medium from 07-20, lifted
     07-23; 小店区 holds on until then. */
  update(&c, "2022-07-13 12:00");
  expect(&c, "G2", "medium:2022-07-10:2022-07-12 high:2022-07-12:-", "2022-07-23");
  expect(&c, "小店区", "low:2022-07-10:-", "2022-07-23");
  struct fk_areas as;
  if (fk_areas_load(c.st, &as, NULL)) fail_msg("load");
  assert_string_equal(fk_areas_find(&as, "G2")->spans[1].reason,
                      "home of case P3 (sampled 2022-07-12)");
  fk_areas_free(&as);
  city_free(&c);
}

static void protocol_10_has_high_areas_lifted_after_5_days_and_no_medium(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, "protocol-10", NULL);
  update(&c, "2022-07-10 12:00");
  expect(&c, "G1", "high:2022-07-10:-", "2022-07-16");
  expect(&c, "G2", "none", "none"); /* a restaurant is not a workplace */
  expect(&c, "G3", "high:2022-07-10:-", "2022-07-16");
  expect(&c, "小店区", "low:2022-07-10:-", "2022-07-16");
  update(&c, "2022-07-16 00:00");
  expect(&c, "G1", "high:2022-07-10:2022-07-16", "none");
  assert_int_equal(level_at(&c, "G3", "2022-07-15 23:00"), FK_AREA_HIGH);
  assert_int_equal(level_at(&c, "G3", "2022-07-16 00:00"), -1);
  city_free(&c);
}

static void updating_twice_with_the_same_now_writes_nothing(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, NULL, second_case);
  struct fk_areas_stats s = update(&c, "2022-07-15 12:00");
  assert_true(s.written >= 5);
  s = update(&c, "2022-07-15 12:00");
  assert_int_equal(s.written, 0);
  /* No screening on 07-17: G2 and G3 are held, their lifts move from 07-18 to 07-20, and so
     does 迎泽区's; 小店区 still waits for G1 (07-25). */
  s = update(&c, "2022-07-19 12:00");
  assert_int_equal(s.written, 3);
  city_free(&c);
}

/* The measure of pid: category and anchor. */
static void expect_measure(struct city *c, const char *pid, const char *cat, const char *anchor)
{
  struct fk_measure_row *m;
  struct fk_diag d;
  int64_t person;
  int n;
  fk_diag_clear(&d);
  if (fk_store_person_id(c->st, pid, &person) || !person) fail_msg("no person %s", pid);
  if (fk_measures_of(c->st, person, FK_TIME_NONE, &m, &n, &d)) fail_msg("measures: %s", d.reason);
  if (!cat) {
    assert_int_equal(n, 0);
  } else {
    if (n != 1) fail_msg("%s has %d measures", pid, n);
    assert_string_equal(fk_person_cats[m[0].category], cat);
    assert_int_equal(m[0].anchor, D(anchor));
  }
  fk_free(m);
}

static void an_arrival_is_matched_to_the_area_as_it_was_when_they_left(void **state)
{
  (void)state;
  struct city c;
  struct fk_measures_stats ms;
  struct fk_diag d;
  the_city(&c, NULL, NULL);
  const char *const rows[] = {"P2 2022-07-17 negative", "P3 2022-07-17 negative",
                              "P6 2022-07-17 negative"};
  city_samples(&c, "_5", rows, 3);
  update(&c, "2022-07-19 12:00");
  /* P7 left G1 on 07-17 (high then), P8 left it on 07-19 (medium by then), P9 came from the
     restaurant R2 on 07-19 (G2 lifted on 07-18, its county still low), P6 from 北京市. */
  static const char arr[] = "person_id,arrived_at,origin,port,international,left_at\n"
                            "P7,2022-07-19T10:00:00+08:00,G1,,0,2022-07-17T09:00:00+08:00\n"
                            "P8,2022-07-19T10:00:00+08:00,G1,,0,\n"
                            "P9,2022-07-19T10:00:00+08:00,R2,,0,\n"
                            "P6,2022-07-19T10:00:00+08:00,北京市,,0,\n"
                            "P10,2022-07-19T10:00:00+08:00,小店区,,0,\n"
                            "P11,2022-07-19T10:00:00+08:00,G1,,0,2022-07-05T09:00:00+08:00\n"
                            "P12,2022-07-19T10:00:00+08:00,G1,,0,2022-07-11T09:00:00+08:00\n";
  import_text(&c, "arrivals", "arrivals.csv", arr, sizeof arr - 1);
  fk_diag_clear(&d);
  if (fk_measures_apply(c.st, c.ix, &c.rules, T("2022-07-19 12:00"), &ms, &d))
    fail_msg("apply: %s", d.reason);
  expect_measure(&c, "P7", "high_risk_area", "2022-07-17");
  expect_measure(&c, "P8", "medium_risk_area", "2022-07-19");
  expect_measure(&c, "P9", "low_risk_area", "2022-07-19");
  expect_measure(&c, "P6", NULL, NULL);
  expect_measure(&c, "P10", "low_risk_area", "2022-07-19"); /* a county named alone: its low */
  expect_measure(&c, "P11", NULL, NULL);                    /* left before G1 was an area */
  expect_measure(&c, "P12", NULL, NULL); /* left on day 0: its 7 days ended 07-18 */
  city_free(&c);
}

/* Every allocation of an update failing in turn: a clean error and nothing half-written; the
   same update afterwards gives the whole answer. */
static void allocation_failures_are_clean_errors(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, NULL, second_case);
  long ok_at = 0;
  for (long n = 1; n < 120 && !ok_at; n++) {
    struct fk_areas_stats s;
    struct fk_diag d;
    fk_diag_clear(&d);
    fk_alloc_fail_after(n);
    int rc = fk_areas_update(c.st, c.ix, &c.rules, T("2022-07-15 12:00"), &s, &d);
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM);
    if (rc) expect(&c, "G1", "none", "none");
    if (!rc) ok_at = n;
  }
  assert_true(ok_at > 1); /* failed until every allocation it makes could be made */
  update(&c, "2022-07-15 12:00");
  expect(&c, "G1", "high:2022-07-10:-", "2022-07-25");
  expect(&c, "小店区", "low:2022-07-10:-", "2022-07-25");
  city_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_case_designates_its_home_high_its_stays_medium_and_its_county_low),
      cmocka_unit_test(negative_screenings_on_day_7_take_high_to_medium_to_low_on_time),
      cmocka_unit_test(a_missing_or_pending_screening_holds_the_downgrade),
      cmocka_unit_test(a_new_infection_inside_restarts_the_count),
      cmocka_unit_test(a_case_living_in_a_medium_grid_raises_it_to_high),
      cmocka_unit_test(protocol_10_has_high_areas_lifted_after_5_days_and_no_medium),
      cmocka_unit_test(updating_twice_with_the_same_now_writes_nothing),
      cmocka_unit_test(an_arrival_is_matched_to_the_area_as_it_was_when_they_left),
      cmocka_unit_test(allocation_failures_are_clean_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
