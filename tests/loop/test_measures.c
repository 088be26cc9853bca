/*
 * From cases to measures on a hand-built city: P1 a confirmed case (onset 07-10, sampled 07-10
 * 10:00, isolated 07-10 18:00); P2 ate with P1 at R1 on 07-10 12:00-13:00 (close contact, last
 * exposure 07-10); P3 worked with P2 at O1 on 07-10 14:00-17:00 (secondary contact via P2, last
 * exposure 07-10); P4 met nobody. Measures are applied at 2022-07-11 09:00 (UTC+8) unless a test
 * says otherwise; the dates expected were worked out by hand from docs/RULES.md.
 */
#include "fangkong/alloc.h"
#include "fangkong/measure.h"
#include "fangkong/measures.h"
#include "trace/city.h"

#define NOW "2022-07-11 09:00"

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

static void the_city(struct city *c, const char *tag, const char *rules)
{
  city_init(c, tag);
  if (rules) city_rules(&c->rules, rules);
  small_town(c);
  person(c, "P4", "H4");
  city_load(c);
}

static struct fk_measures_stats apply(struct city *c, const char *now)
{
  struct fk_measures_stats s;
  struct fk_diag d;
  fk_diag_clear(&d);
  int rc = fk_measures_apply(c->st, c->ix, &c->rules, T(now), &s, &d);
  if (rc) fail_msg("apply: rc %d: %s", rc, d.reason);
  return s;
}

/* The person's stored measures (free with fk_free); *n of them. */
static struct fk_measure_row *measures(struct city *c, const char *pid, int *n)
{
  struct fk_measure_row *m;
  struct fk_diag d;
  int64_t person;
  fk_diag_clear(&d);
  if (fk_store_person_id(c->st, pid, &person) || !person) fail_msg("no person %s", pid);
  if (fk_measures_of(c->st, person, FK_TIME_NONE, &m, n, &d)) fail_msg("measures: %s", d.reason);
  return m;
}

/* The tests as "phase:day:YYYY-MM-DD:status" joined by spaces. */
static const char *tests_of(const struct fk_measure_row *m)
{
  static char buf[2048];
  char day[FK_DATE_BUFSZ];
  size_t n = 0;
  buf[0] = '\0';
  for (int i = 0; i < m->ntests; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%d:%d:%s:%s", i ? " " : "", m->tests[i].phase,
                          m->tests[i].day, fk_date_format(m->tests[i].due, day),
                          fk_test_statuses[m->tests[i].status]);
  return buf;
}

/* Asserts the person has exactly one measure, and what it is. */
static void expect_one(struct city *c, const char *pid, const char *cat, const char *status,
                       const char *anchor, const char *start, const char *end, const char *tests)
{
  int n;
  struct fk_measure_row *m = measures(c, pid, &n);
  if (n != 1) fail_msg("%s has %d measures, want 1", pid, n);
  assert_string_equal(fk_person_cats[m->category], cat);
  assert_string_equal(fk_measure_statuses[m->status], status);
  assert_int_equal(m->anchor, D(anchor));
  assert_int_equal(m->placed, D("2022-07-11"));
  assert_int_equal(m->start, D(start));
  if (end)
    assert_int_equal(m->end, D(end));
  else
    assert_int_equal(m->end, FK_DATE_NONE);
  assert_string_equal(tests_of(m), tests);
  assert_true(m->rule[0] != '\0');
  fk_free(m);
}

static enum fk_code code_of(struct city *c, const char *pid, const char *now, char *reason,
                            size_t size)
{
  int n;
  struct fk_measure_row *m = measures(c, pid, &n);
  enum fk_code code = fk_person_code(&c->rules, m, n, T(now), reason, size);
  fk_free(m);
  return code;
}

static void protocol_9_close_contact_secondary_contact_and_case(void **state)
{
  struct city c;
  char why[512];
  (void)state;
  the_city(&c, "m9", NULL);
  struct fk_measures_stats s = apply(&c, NOW);
  assert_int_equal(s.placed[FK_PERSON_CASE], 1);
  assert_int_equal(s.placed[FK_PERSON_CLOSE_CONTACT], 1);
  assert_int_equal(s.placed[FK_PERSON_SECONDARY_CONTACT], 1);
  expect_one(&c, "P2", "close_contact", "active", "2022-07-10", "2022-07-11", "2022-07-20",
             "0:1:2022-07-11:due 0:2:2022-07-12:due 0:3:2022-07-13:due 0:5:2022-07-15:due "
             "0:7:2022-07-17:due 1:3:2022-07-20:due");
  expect_one(&c, "P3", "secondary_contact", "active", "2022-07-10", "2022-07-11", "2022-07-17",
             "0:1:2022-07-11:due 0:4:2022-07-14:due 0:7:2022-07-17:due");
  expect_one(&c, "P1", "case", "active", "2022-07-10", "2022-07-11", NULL, "");
  int n;
  struct fk_measure_row *m = measures(&c, "P2", &n);
  assert_string_equal(fk_measure_kinds[m->kind], "centralized_quarantine");
  assert_non_null(strstr(m->reason, "close contact of P1 at R1 2022-07-10"));
  fk_free(m);
  m = measures(&c, "P3", &n);
  assert_string_equal(fk_measure_kinds[m->kind], "home_quarantine");
  fk_free(m);
  assert_int_equal(measures(&c, "P4", &n) != NULL || n == 0, 1);
  assert_int_equal(code_of(&c, "P2", NOW, why, sizeof why), FK_CODE_RED);
  assert_int_equal(code_of(&c, "P3", NOW, why, sizeof why), FK_CODE_YELLOW);
  assert_int_equal(code_of(&c, "P4", NOW, why, sizeof why), FK_CODE_GREEN);
  assert_int_equal(code_of(&c, "P1", NOW, why, sizeof why), FK_CODE_RED);
  city_free(&c);
}

static void protocol_10_gives_five_plus_three_and_no_secondary_contacts(void **state)
{
  struct city c;
  int n;
  (void)state;
  the_city(&c, "m10", "protocol-10");
  struct fk_measures_stats s = apply(&c, NOW);
  assert_int_equal(s.placed[FK_PERSON_SECONDARY_CONTACT], 0);
  expect_one(&c, "P2", "close_contact", "active", "2022-07-10", "2022-07-11", "2022-07-18",
             "0:1:2022-07-11:due 0:2:2022-07-12:due 0:3:2022-07-13:due 0:5:2022-07-15:due "
             "1:1:2022-07-16:due 1:3:2022-07-18:due");
  struct fk_measure_row *m = measures(&c, "P3", &n);
  assert_int_equal(n, 0);
  fk_free(m);
  city_free(&c);
}

static void applying_twice_with_the_same_now_changes_nothing(void **state)
{
  struct city c;
  int n1, n2;
  (void)state;
  the_city(&c, "mtwice", NULL);
  struct fk_measures_stats s = apply(&c, NOW);
  assert_true(s.written > 0);
  struct fk_measure_row *a = measures(&c, "P2", &n1);
  s = apply(&c, NOW);
  assert_int_equal(s.written, 0);
  assert_int_equal(s.replanned + s.superseded + s.released, 0);
  for (int k = 0; k < FK_PERSON_NCATS; k++)
    assert_int_equal(s.placed[k], 0);
  struct fk_measure_row *b = measures(&c, "P2", &n2);
  assert_int_equal(n1, n2);
  assert_int_equal(a[0].id, b[0].id);
  assert_string_equal(tests_of(&a[0]), tests_of(&b[0]));
  fk_free(a);
  fk_free(b);
  city_free(&c);
}

static void a_sample_marks_a_test_done_and_none_marks_it_missed(void **state)
{
  struct city c;
  char why[512];
  (void)state;
  the_city(&c, "mmissed", NULL);
  apply(&c, NOW);
  static const char *const rows[] = {"P2 2022-07-11 negative", "P3 2022-07-11 negative"};
  city_samples(&c, "", rows, 2);
  apply(&c, "2022-07-13 09:00");
  expect_one(&c, "P2", "close_contact", "active", "2022-07-10", "2022-07-11", "2022-07-20",
             "0:1:2022-07-11:done 0:2:2022-07-12:missed 0:3:2022-07-13:due "
             "0:5:2022-07-15:due 0:7:2022-07-17:due 1:3:2022-07-20:due");
  /* Under its measure the close contact is red anyway (the reddest state). */
  assert_int_equal(code_of(&c, "P2", "2022-07-13 09:00", why, sizeof why),
                   c.rules.codes.states[FK_PERSON_CLOSE_CONTACT].code);
  /* Every later test taken but the one of 07-12: after the measure ends it is not released,
   * and the missed test alone decides the code (test_overdue), not green. */
  static const char *const more[] = {"P2 2022-07-13 negative", "P2 2022-07-15 negative",
                                     "P2 2022-07-17 negative", "P2 2022-07-20 negative",
                                     "P3 2022-07-14 negative", "P3 2022-07-17 negative"};
  city_samples(&c, "_2", more, 6);
  struct fk_measures_stats s = apply(&c, "2022-07-21 09:00");
  assert_int_equal(s.released, 1); /* P3: every test taken */
  expect_one(&c, "P3", "secondary_contact", "released", "2022-07-10", "2022-07-11", "2022-07-17",
             "0:1:2022-07-11:done 0:4:2022-07-14:done 0:7:2022-07-17:done");
  expect_one(&c, "P2", "close_contact", "active", "2022-07-10", "2022-07-11", "2022-07-20",
             "0:1:2022-07-11:done 0:2:2022-07-12:missed 0:3:2022-07-13:done "
             "0:5:2022-07-15:done 0:7:2022-07-17:done 1:3:2022-07-20:done");
  assert_int_equal(code_of(&c, "P2", "2022-07-21 09:00", why, sizeof why),
                   c.rules.codes.states[FK_CODE_STATE_TEST_OVERDUE].code);
  assert_non_null(strstr(why, "2022-07-12"));
  assert_int_equal(code_of(&c, "P3", "2022-07-21 09:00", why, sizeof why), c.rules.codes.none);
  city_free(&c);
}

static void a_measure_over_when_placed_waits_for_its_tests(void **state)
{
  struct city c;
  char why[512];
  (void)state;
  the_city(&c, "mlate", NULL);
  /* Traced on 07-25: the secondary contact's 7 days (07-11..07-17) are over; every test falls
   * due on the placement date, and the measure stays open until the sample is given. */
  struct fk_measures_stats s = apply(&c, "2022-07-25 09:00");
  assert_int_equal(s.released, 0);
  int n;
  struct fk_measure_row *m = measures(&c, "P3", &n);
  assert_int_equal(n, 1);
  assert_int_equal(m->placed, D("2022-07-25"));
  assert_string_equal(tests_of(m), "0:1:2022-07-25:due 0:4:2022-07-25:due 0:7:2022-07-25:due");
  assert_string_equal(fk_measure_statuses[m->status], "active");
  fk_free(m);
  assert_int_equal(code_of(&c, "P3", "2022-07-26 09:00", why, sizeof why), c.rules.codes.none);
  apply(&c, "2022-07-26 09:00");
  assert_int_equal(code_of(&c, "P3", "2022-07-26 09:00", why, sizeof why),
                   c.rules.codes.states[FK_CODE_STATE_TEST_OVERDUE].code);
  static const char *const rows[] = {"P3 2022-07-25 negative"};
  city_samples(&c, "", rows, 1);
  s = apply(&c, "2022-07-26 09:00");
  assert_int_equal(s.released, 1); /* P3 only: P2 gave no sample, P1 is in hospital */
  m = measures(&c, "P3", &n);
  assert_string_equal(fk_measure_statuses[m->status], "released");
  fk_free(m);
  city_free(&c);
}

static void a_household_member_is_exposed_until_the_close_contact_is_placed(void **state)
{
  struct city c;
  struct fk_diag d;
  (void)state;
  the_city(&c, "mhouse", NULL);
  apply(&c, NOW);
  /* P7 lives with P2: the tracer exposes them from P2's first exposure until now. */
  city_next_batch(&c);
  person(&c, "P7", "H2");
  city_more(&c, "_2");
  fk_diag_clear(&d);
  if (fk_trace_index_refresh(c.ix, c.st, NULL, &d)) fail_msg("refresh: %s", d.reason);
  apply(&c, "2022-07-12 09:00");
  /* P2 was placed (centralized quarantine) on 07-11: P7's last exposure is 07-11, not 07-12. */
  struct fk_measures_stats s = apply(&c, "2022-07-14 09:00");
  assert_int_equal(s.replanned, 0);
  int n;
  struct fk_measure_row *m = measures(&c, "P7", &n);
  assert_int_equal(n, 1);
  assert_string_equal(fk_person_cats[m->category], "secondary_contact");
  assert_int_equal(m->anchor, D("2022-07-11"));
  assert_int_equal(m->placed, D("2022-07-12"));
  assert_non_null(strstr(m->reason, "via P2"));
  fk_free(m);
  city_free(&c);
}

static void a_secondary_contact_is_released_on_the_close_contacts_first_two_negatives(void **state)
{
  struct city c;
  (void)state;
  the_city(&c, "mlinkneg", NULL);
  apply(&c, NOW);
  static const char *const one[] = {"P2 2022-07-11 negative"};
  city_samples(&c, "", one, 1);
  apply(&c, "2022-07-12 09:00");
  expect_one(&c, "P3", "secondary_contact", "active", "2022-07-10", "2022-07-11", "2022-07-17",
             "0:1:2022-07-11:missed 0:4:2022-07-14:due 0:7:2022-07-17:due");
  static const char *const two[] = {"P2 2022-07-12 negative"};
  city_samples(&c, "_2", two, 1);
  struct fk_measures_stats s = apply(&c, "2022-07-12 20:00");
  assert_int_equal(s.released, 1);
  expect_one(&c, "P3", "secondary_contact", "released", "2022-07-10", "2022-07-11", "2022-07-17",
             "0:1:2022-07-11:missed 0:4:2022-07-14:due 0:7:2022-07-17:due");
  s = apply(&c, "2022-07-12 20:00");
  assert_int_equal(s.written, 0);
  city_free(&c);
}

static void a_secondary_contact_becomes_a_close_contact_when_theirs_is_positive(void **state)
{
  struct city c;
  (void)state;
  the_city(&c, "mlinkpos", NULL);
  apply(&c, NOW);
  static const char *const rows[] = {"P2 2022-07-11 negative", "P2 2022-07-12 positive"};
  city_samples(&c, "", rows, 2);
  struct fk_measures_stats s = apply(&c, "2022-07-13 09:00");
  assert_int_equal(s.superseded, 1);
  assert_int_equal(s.placed[FK_PERSON_CLOSE_CONTACT], 1);
  int n;
  struct fk_measure_row *m = measures(&c, "P3", &n);
  assert_int_equal(n, 2);
  assert_string_equal(fk_measure_statuses[m[0].status], "superseded");
  assert_string_equal(fk_person_cats[m[1].category], "close_contact");
  assert_string_equal(fk_measure_statuses[m[1].status], "active");
  /* anchored on the last exposure to P2 (07-10), placed 07-13: tests of days 1-3 due 07-13 */
  assert_int_equal(m[1].anchor, D("2022-07-10"));
  assert_int_equal(m[1].placed, D("2022-07-13"));
  assert_string_equal(tests_of(&m[1]), "0:1:2022-07-13:due 0:2:2022-07-13:due 0:3:2022-07-13:due "
                                       "0:5:2022-07-15:due 0:7:2022-07-17:due 1:3:2022-07-20:due");
  assert_non_null(strstr(m[1].reason, "P2, who tested positive on 2022-07-12"));
  fk_free(m);
  s = apply(&c, "2022-07-13 09:00");
  assert_int_equal(s.written, 0);
  city_free(&c);
}

static void a_positive_sample_marks_the_test_positive(void **state)
{
  struct city c;
  (void)state;
  the_city(&c, "mpos", NULL);
  static const char *const rows[] = {"P3 2022-07-11 positive"};
  city_samples(&c, "", rows, 1);
  apply(&c, NOW);
  expect_one(&c, "P3", "secondary_contact", "active", "2022-07-10", "2022-07-11", "2022-07-17",
             "0:1:2022-07-11:positive 0:4:2022-07-14:due 0:7:2022-07-17:due");
  city_free(&c);
}

static void a_later_exposure_moves_the_anchor(void **state)
{
  struct city c;
  struct fk_diag d;
  int n;
  (void)state;
  the_city(&c, "manchor", NULL);
  static const char *const rows[] = {"P2 2022-07-11 negative"};
  city_samples(&c, "", rows, 1);
  apply(&c, NOW);
  /* P5, a case sampled 07-13, ate with P2 on 07-12. */
  city_next_batch(&c);
  person(&c, "P5", "H5");
  a_case(&c, "P5", "confirmed", "2022-07-13", "2022-07-13 08:00", "2022-07-13 08:30");
  visit(&c, "P5", "R1", "2022-07-12 12:00", "2022-07-12 13:00");
  visit(&c, "P2", "R1", "2022-07-12 12:00", "2022-07-12 13:00");
  city_more(&c, "_2");
  fk_diag_clear(&d);
  if (fk_trace_index_refresh(c.ix, c.st, NULL, &d)) fail_msg("refresh: %s", d.reason);
  struct fk_measures_stats s = apply(&c, "2022-07-13 09:00");
  assert_int_equal(s.replanned, 1);
  assert_int_equal(s.placed[FK_PERSON_CLOSE_CONTACT], 0);
  /* Day 0 is now 07-12: quarantine 07-13..07-19, monitoring 07-20..07-22; the test taken on
   * 07-11 is kept as the record (phase -1), and the 07-12 test of the old plan is gone. */
  expect_one(&c, "P2", "close_contact", "active", "2022-07-12", "2022-07-13", "2022-07-22",
             "-1:1:2022-07-11:done 0:1:2022-07-13:due 0:2:2022-07-14:due 0:3:2022-07-15:due "
             "0:5:2022-07-17:due 0:7:2022-07-19:due 1:3:2022-07-22:due");
  struct fk_measure_row *m = measures(&c, "P2", &n);
  assert_non_null(strstr(m->reason, "P5"));
  fk_free(m);
  s = apply(&c, "2022-07-13 09:00");
  assert_int_equal(s.written, 0);
  city_free(&c);
}

static void a_stricter_category_supersedes_a_weaker_measure(void **state)
{
  struct city c;
  struct fk_diag d;
  int n;
  (void)state;
  the_city(&c, "msuper", NULL);
  apply(&c, NOW);
  /* P6, a case sampled 07-12, shared an office with P3 on 07-11: P3 becomes a close contact. */
  city_next_batch(&c);
  person(&c, "P6", "H6");
  a_case(&c, "P6", "confirmed", "2022-07-12", "2022-07-12 08:00", "2022-07-12 08:30");
  visit(&c, "P6", "O1", "2022-07-11 14:00", "2022-07-11 17:00");
  visit(&c, "P3", "O1", "2022-07-11 14:00", "2022-07-11 17:00");
  city_more(&c, "_2");
  fk_diag_clear(&d);
  if (fk_trace_index_refresh(c.ix, c.st, NULL, &d)) fail_msg("refresh: %s", d.reason);
  struct fk_measures_stats s = apply(&c, "2022-07-12 09:00");
  assert_int_equal(s.superseded, 1);
  struct fk_measure_row *m = measures(&c, "P3", &n);
  assert_int_equal(n, 2);
  assert_string_equal(fk_measure_statuses[m[0].status], "superseded");
  assert_string_equal(fk_person_cats[m[1].category], "close_contact");
  assert_string_equal(fk_measure_statuses[m[1].status], "active");
  assert_int_equal(m[1].anchor, D("2022-07-11"));
  assert_int_equal(m[1].placed, D("2022-07-12"));
  fk_free(m);
  s = apply(&c, "2022-07-12 09:00");
  assert_int_equal(s.written, 0);
  city_free(&c);
}

static void an_international_arrival_is_placed_from_arrival(void **state)
{
  struct city c;
  (void)state;
  the_city(&c, "marrival", NULL);
  static const char arrivals[] = "person_id,arrived_at,origin,port,international\n"
                                 "P4,2022-07-09T15:00:00+08:00,Singapore,TYN,1\n";
  import_text(&c, "arrivals", "arrivals.csv", arrivals, sizeof arrivals - 1);
  apply(&c, NOW);
  expect_one(&c, "P4", "inbound_international", "active", "2022-07-09", "2022-07-10", "2022-07-19",
             "0:1:2022-07-11:due 0:2:2022-07-11:due 0:3:2022-07-12:due 0:5:2022-07-14:due "
             "0:7:2022-07-16:due 1:3:2022-07-19:due");
  city_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(protocol_9_close_contact_secondary_contact_and_case),
      cmocka_unit_test(protocol_10_gives_five_plus_three_and_no_secondary_contacts),
      cmocka_unit_test(applying_twice_with_the_same_now_changes_nothing),
      cmocka_unit_test(a_sample_marks_a_test_done_and_none_marks_it_missed),
      cmocka_unit_test(a_measure_over_when_placed_waits_for_its_tests),
      cmocka_unit_test(a_household_member_is_exposed_until_the_close_contact_is_placed),
      cmocka_unit_test(a_secondary_contact_is_released_on_the_close_contacts_first_two_negatives),
      cmocka_unit_test(a_secondary_contact_becomes_a_close_contact_when_theirs_is_positive),
      cmocka_unit_test(a_positive_sample_marks_the_test_positive),
      cmocka_unit_test(a_later_exposure_moves_the_anchor),
      cmocka_unit_test(a_stricter_category_supersedes_a_weaker_measure),
      cmocka_unit_test(an_international_arrival_is_placed_from_arrival),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
