/*
 * The entrance check on a hand-built city. G1 (小店区) is the home of P1, a case sampled
 * 2022-07-10 10:00, and of P2 in the same household (a close contact: 7 days of centralized
 * quarantine from 07-11, red); P3 lives in G3 (迎泽区) under no measure (green). R1 is a
 * restaurant in G1 (high from 07-10), R3 one in G3. One tick at 07-11 08:00; checks at 07-11.
 * Rule variants made here from the built-in protocol-9 switch single rules off, so that each
 * reason is seen alone.
 */
#include "fangkong/alloc.h"
#include "fangkong/entrance.h"
#include "fangkong/loop.h"
#include "trace/city.h"

static void the_city(struct city *c)
{
  static const char grids[] = "grid_id,name,community,street,district,lat,lon\n"
                              "G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n"
                              "G3,三网格,柳巷社区,柳巷街道,迎泽区,37.86,112.56\n";
  char path[600];
  struct fk_diag d;
  struct fk_trace_index *ix = NULL;
  city_init(c, "entrance");
  person_in(c, "P1", "H1", "G1");
  person_in(c, "P2", "H1", "G1");
  person_in(c, "P3", "H3", "G3");
  place_in(c, "R1", "restaurant", "G1");
  place_in(c, "R3", "restaurant", "G3");
  a_case(c, "P1", "asymptomatic", NULL, "2022-07-10 10:00", "2022-07-10 18:00");
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/city.db", c->dir);
  if (fk_store_open(path, &c->st, &d)) fail_msg("open %s: %s", path, d.reason);
  import_text(c, "grids", "grids.csv", grids, sizeof grids - 1);
  import_all(c, "");
  if (fk_tick(c->st, &ix, &c->rules, T("2022-07-11 08:00"), NULL, &d))
    fail_msg("tick: %s", d.reason);
  fk_trace_index_free(ix);
}

/* The built-in rules with `from` replaced by `to` in their text. */
static void variant(struct fk_rules *r, const char *from, const char *to)
{
  size_t n;
  const char *text = fk_rules_default_text(&n);
  const char *at = strstr(text, from);
  struct sb b = {0};
  struct fk_diag d;
  if (!at) fail_msg("no '%s' in the rules", from);
  sb_add(&b, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
  fk_diag_clear(&d);
  if (fk_rules_parse(b.s, b.n, "variant", r, NULL, NULL, &d)) fail_msg("variant: %s", d.reason);
  sb_free(&b);
}

/* Checks and returns the reason keys, ';'-separated, "pass" when none (static storage). */
static const char *check(struct city *c, const struct fk_rules *r, const char *person,
                         const char *place, const char *at, double celsius, int mask,
                         struct fk_entrance_result *out)
{
  static char keys[256];
  struct fk_entrance_result local;
  struct fk_diag d;
  out = out ? out : &local;
  fk_diag_clear(&d);
  if (fk_entrance_check(c->st, r, person, place, T(at), celsius, mask, out, &d))
    fail_msg("check %s at %s: %s", person, place, d.reason);
  keys[0] = '\0';
  for (int i = 0; i < FK_ENTRANCE_NREASONS; i++)
    if (out->reasons & (1u << i))
      snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s", keys[0] ? ";" : "",
               fk_entrance_reasons[i]);
  assert_int_equal(out->pass, !out->reasons);
  return out->reasons ? keys : "pass";
}

static int count_checkins(void *arg, const struct fk_checkin_row *row)
{
  (void)row;
  ++*(int *)arg;
  return 0;
}

static int checkins(struct city *c)
{
  int n = 0;
  if (fk_store_each_checkin(c->st, 0, count_checkins, &n)) fail_msg("checkins");
  return n;
}

static void each_reason_alone_and_all_at_once(void **state)
{
  (void)state;
  struct city c;
  struct fk_rules no_code, no_confined;
  struct fk_entrance_result r;
  the_city(&c);
  variant(&no_code, "\"deny_codes\": [\"yellow\", \"red\"]", "\"deny_codes\": []");
  variant(&no_confined, "\"deny_confined\": true", "\"deny_confined\": false");
  assert_string_equal(check(&c, &c.rules, "P3", "R3", "2022-07-11 09:00", 36.5, 1, &r), "pass");
  assert_int_equal(r.code, FK_CODE_GREEN);
  assert_string_equal(check(&c, &c.rules, "P3", "R3", "2022-07-11 09:01", 37.3, 1, &r), "fever");
  assert_true(r.fever);
  assert_string_equal(check(&c, &c.rules, "P3", "R3", "2022-07-11 09:02", 36.5, 0, NULL),
                      "no_mask");
  assert_string_equal(check(&c, &c.rules, "P3", "R1", "2022-07-11 09:03", 36.5, 1, &r),
                      "area_high");
  assert_int_equal(r.area_level, FK_AREA_HIGH);
  assert_string_equal(r.grid_id, "G1");
  assert_string_equal(check(&c, &no_confined, "P2", "R3", "2022-07-11 09:04", 36.5, 1, &r),
                      "code_red");
  assert_int_equal(r.code, FK_CODE_RED);
  assert_string_equal(check(&c, &no_code, "P2", "R3", "2022-07-11 09:05", 36.5, 1, &r), "confined");
  assert_non_null(strstr(r.text[FK_ENTRANCE_CONFINED], "until 2022-07-17"));
  assert_string_equal(check(&c, &c.rules, "P2", "R1", "2022-07-11 09:06", 39.0, 0, NULL),
                      "fever;no_mask;code_red;area_high;confined");
  city_free(&c);
}

static void the_threshold_is_the_rules_and_is_a_fever_at_or_above(void **state)
{
  (void)state;
  struct city c;
  struct fk_rules hot, maskless;
  the_city(&c);
  assert_string_equal(check(&c, &c.rules, "P3", "R3", "2022-07-11 10:00", 37.2, 1, NULL), "pass");
  assert_string_equal(check(&c, &c.rules, "P3", "R3", "2022-07-11 10:01", 37.3, 1, NULL), "fever");
  variant(&hot, "\"fever_celsius\": 37.3", "\"fever_celsius\": 38.0");
  assert_string_equal(check(&c, &hot, "P3", "R3", "2022-07-11 10:02", 37.9, 1, NULL), "pass");
  assert_string_equal(check(&c, &hot, "P3", "R3", "2022-07-11 10:03", 38.0, 1, NULL), "fever");
  variant(&maskless, "\"mask_required\": true", "\"mask_required\": false");
  assert_string_equal(check(&c, &maskless, "P3", "R3", "2022-07-11 10:04", 36.5, 0, NULL), "pass");
  city_free(&c);
}

static void a_pass_records_its_checkin_once_and_a_deny_none(void **state)
{
  (void)state;
  struct city c;
  struct fk_entrance_result r;
  the_city(&c);
  int before = checkins(&c);
  check(&c, &c.rules, "P3", "R3", "2022-07-11 11:00", 36.5, 1, &r);
  assert_true(r.recorded);
  assert_int_equal(checkins(&c), before + 1);
  check(&c, &c.rules, "P3", "R3", "2022-07-11 11:00", 36.5, 1, &r);
  assert_false(r.recorded);
  assert_true(r.pass);
  assert_int_equal(checkins(&c), before + 1);
  check(&c, &c.rules, "P3", "R1", "2022-07-11 11:05", 36.5, 1, &r);
  assert_false(r.pass);
  assert_int_equal(checkins(&c), before + 1);
  city_free(&c);
}

static int count_fever(void *arg, const struct fk_entrance_row *row)
{
  int *n = arg;
  n[0]++;
  n[1] += row->fever;
  n[2] += row->reasons == ((1u << FK_ENTRANCE_FEVER) | (1u << FK_ENTRANCE_NO_MASK));
  return 0;
}

static void checks_are_read_back_with_their_fever_and_reasons(void **state)
{
  (void)state;
  struct city c;
  int n[3] = {0, 0, 0};
  the_city(&c);
  check(&c, &c.rules, "P3", "R3", "2022-07-11 12:00", 38.2, 0, NULL);
  check(&c, &c.rules, "P3", "R3", "2022-07-11 13:00", 36.2, 1, NULL);
  check(&c, &c.rules, "P3", "R3", "2022-07-12 13:00", 38.2, 1, NULL); /* outside the window */
  if (fk_store_each_entrance(c.st, T("2022-07-11 00:00"), T("2022-07-12 00:00"), count_fever, n))
    fail_msg("each_entrance");
  assert_int_equal(n[0], 2);
  assert_int_equal(n[1], 1);
  assert_int_equal(n[2], 1);
  city_free(&c);
}

static void unknown_persons_and_places_are_errors(void **state)
{
  (void)state;
  struct city c;
  struct fk_entrance_result r;
  struct fk_diag d;
  the_city(&c);
  fk_diag_clear(&d);
  assert_int_equal(
      fk_entrance_check(c.st, &c.rules, "P9", "R3", T("2022-07-11 09:00"), 36.5, 1, &r, &d),
      FK_ENOTFOUND);
  assert_string_equal(d.field, "person_id");
  assert_int_equal(
      fk_entrance_check(c.st, &c.rules, "P3", "R9", T("2022-07-11 09:00"), 36.5, 1, &r, &d),
      FK_ENOTFOUND);
  assert_string_equal(d.field, "place_id");
  city_free(&c);
}

static void allocation_failures_are_clean_errors(void **state)
{
  (void)state;
  struct city c;
  struct fk_entrance_result r;
  struct fk_diag d;
  int ok_at = 0;
  the_city(&c);
  for (long n = 1; n < 200 && !ok_at; n++) {
    fk_diag_clear(&d);
    fk_alloc_fail_after(n);
    int rc = fk_entrance_check(c.st, &c.rules, "P2", "R1", T("2022-07-11 14:00"), 36.5, 1, &r, &d);
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM);
    if (!rc) ok_at = (int)n;
  }
  assert_true(ok_at > 1);
  assert_false(r.pass);
  city_free(&c);
}

/* Stores grid G3 as a high-risk area from 2022-07-11 through st (lifted from `lift` when that
 * is not FK_DATE_NONE), as `fangkong areas update` would from another process. */
static void g3_high(struct fk_store *st, struct fk_area_row *a, fk_date lift)
{
  struct fk_diag d;
  fk_diag_clear(&d);
  a->kind = FK_AREA_GRID;
  snprintf(a->area_id, sizeof a->area_id, "G3");
  snprintf(a->district, sizeof a->district, "迎泽区");
  a->lifts_on = lift;
  a->nspans = 1;
  a->spans[0] = (struct fk_area_span){FK_AREA_HIGH, fk_time_date(T("2022-07-11 00:00")), lift, ""};
  snprintf(a->spans[0].reason, sizeof a->spans[0].reason, "a case stayed here");
  if (fk_store_put_area(st, a, &d)) fail_msg("put area: %s", d.reason);
}

/* Checks with the memo and without it (a second of its own each) and holds the answers equal. */
static const char *both(struct city *c, struct fk_entrance_memo *m, const char *person,
                        const char *place, const char *at, double celsius, int mask)
{
  static char keys[256];
  struct fk_entrance_result with, without;
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_entrance_check_memo(c->st, &c->rules, m, NULL, person, place, T(at), celsius, mask, &with,
                             &d))
    fail_msg("check %s at %s: %s", person, place, d.reason);
  snprintf(keys, sizeof keys, "%s",
           check(c, &c->rules, person, place, at, celsius, mask, &without));
  assert_int_equal(with.pass, without.pass);
  assert_int_equal(with.reasons, without.reasons);
  assert_int_equal(with.code, without.code);
  assert_int_equal(with.area_level, without.area_level);
  assert_string_equal(with.grid_id, without.grid_id);
  for (int i = 0; i < FK_ENTRANCE_NREASONS; i++) /* a text is set with its reason only */
    if (with.reasons & (1u << i)) assert_string_equal(with.text[i], without.text[i]);
  return keys;
}

static void a_memo_answers_as_the_store_and_sees_areas_another_connection_wrote(void **state)
{
  (void)state;
  struct city c;
  struct fk_entrance_memo *m = NULL;
  struct fk_store *other = NULL;
  struct fk_area_row *a = fk_calloc(1, sizeof *a);
  struct fk_diag d;
  char path[600];
  the_city(&c);
  assert_non_null(a);
  assert_int_equal(fk_entrance_memo_new(&m), 0);
  assert_string_equal(both(&c, m, "P3", "R3", "2022-07-11 09:00", 36.5, 1), "pass");
  assert_string_equal(both(&c, m, "P3", "R1", "2022-07-11 09:01", 36.5, 1), "area_high");
  assert_string_equal(both(&c, m, "P2", "R1", "2022-07-11 09:02", 39.0, 0),
                      "fever;no_mask;code_red;area_high;confined");
  /* G3 turns high, written by another connection: the memo reads the areas again. */
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/city.db", c.dir);
  if (fk_store_open(path, &other, &d)) fail_msg("open %s: %s", path, d.reason);
  g3_high(other, a, FK_DATE_NONE);
  assert_string_equal(both(&c, m, "P3", "R3", "2022-07-11 09:03", 36.5, 1), "area_high");
  /* Lifted through the memo's own connection: not seen until the memo forgets its areas. */
  g3_high(c.st, a, fk_time_date(T("2022-07-11 00:00")) + 1);
  struct fk_entrance_result r;
  fk_diag_clear(&d);
  assert_int_equal(fk_entrance_check_memo(c.st, &c.rules, m, NULL, "P3", "R3",
                                          T("2022-07-12 09:00"), 36.5, 1, &r, &d),
                   0);
  assert_int_equal(r.area_level, FK_AREA_HIGH);
  fk_entrance_memo_forget(m);
  assert_string_equal(both(&c, m, "P3", "R3", "2022-07-12 09:01", 36.5, 1), "pass");
  /* Unknown ids are the same errors through the memo. */
  assert_int_equal(fk_entrance_check_memo(c.st, &c.rules, m, NULL, "P3", "R9",
                                          T("2022-07-12 09:02"), 36.5, 1, &r, &d),
                   FK_ENOTFOUND);
  assert_string_equal(d.field, "place_id");
  fk_store_close(other);
  fk_entrance_memo_free(m);
  fk_free(a);
  city_free(&c);
}

static void a_repeated_check_leaves_the_store_writable_after_others_wrote(void **state)
{
  (void)state;
  struct city c;
  struct fk_entrance_result r;
  struct fk_store *other = NULL;
  struct fk_area_row *a = fk_calloc(1, sizeof *a);
  struct fk_diag d;
  char path[600];
  the_city(&c);
  assert_non_null(a);
  check(&c, &c.rules, "P3", "R3", "2022-07-11 11:00", 36.5, 1, &r);
  check(&c, &c.rules, "P3", "R3", "2022-07-11 11:00", 36.5, 1, &r); /* its check-in a duplicate */
  assert_false(r.recorded);
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/city.db", c.dir);
  if (fk_store_open(path, &other, &d)) fail_msg("open %s: %s", path, d.reason);
  g3_high(other, a, FK_DATE_NONE); /* another process writes */
  assert_string_equal(check(&c, &c.rules, "P3", "R3", "2022-07-11 11:01", 36.5, 1, &r),
                      "area_high");
  assert_true(r.recorded);
  fk_store_close(other);
  fk_free(a);
  city_free(&c);
}

static void a_memo_fails_cleanly_when_memory_runs_out(void **state)
{
  (void)state;
  struct city c;
  struct fk_entrance_result r;
  struct fk_diag d;
  int ok_at = 0;
  the_city(&c);
  for (long n = 1; n < 200 && !ok_at; n++) {
    struct fk_entrance_memo *m = NULL;
    fk_diag_clear(&d);
    fk_alloc_fail_after(n);
    int rc = fk_entrance_memo_new(&m);
    if (!rc)
      rc = fk_entrance_check_memo(c.st, &c.rules, m, NULL, "P2", "R1", T("2022-07-11 14:00"), 36.5,
                                  1, &r, &d);
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM);
    if (!rc) ok_at = (int)n;
    if (!rc) { /* and again from what it kept */
      assert_int_equal(fk_entrance_check_memo(c.st, &c.rules, m, NULL, "P2", "R1",
                                              T("2022-07-11 14:01"), 36.5, 1, &r, &d),
                       0);
      assert_true(r.reasons & (1u << FK_ENTRANCE_AREA_HIGH));
    }
    fk_entrance_memo_free(m);
  }
  assert_true(ok_at > 1);
  assert_false(r.pass);
  city_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(each_reason_alone_and_all_at_once),
      cmocka_unit_test(the_threshold_is_the_rules_and_is_a_fever_at_or_above),
      cmocka_unit_test(a_pass_records_its_checkin_once_and_a_deny_none),
      cmocka_unit_test(checks_are_read_back_with_their_fever_and_reasons),
      cmocka_unit_test(unknown_persons_and_places_are_errors),
      cmocka_unit_test(allocation_failures_are_clean_errors),
      cmocka_unit_test(a_memo_answers_as_the_store_and_sees_areas_another_connection_wrote),
      cmocka_unit_test(a_repeated_check_leaves_the_store_writable_after_others_wrote),
      cmocka_unit_test(a_memo_fails_cleanly_when_memory_runs_out),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
