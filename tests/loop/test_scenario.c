/*
 * Scenarios (fangkong/scenario.h): the line parser's answers and errors, a replay run twice, and
 * a replay cut by every allocation failure in turn, then resumed, ending as a clean replay ends.
 * The dates of the loop itself are checked by hand in scenario_p9.sh and scenario_p10.sh.
 */
#include "fangkong/alloc.h"
#include "fangkong/loop.h"
#include "fangkong/scenario.h"
#include "fangkong/tasks.h"
#include "trace/city.h"

/* Parses line; returns its result, with the event in *ev (freed) and the diag in *d. */
static int parse(const char *line, struct fk_scenario_event *ev, struct fk_diag *d)
{
  fk_diag_clear(d);
  int rc = fk_scenario_parse(line, strlen(line), ev, d);
  fk_scenario_event_free(ev);
  return rc;
}

static void feed_rows_are_named_by_feed_or_row(void **state)
{
  static struct fk_scenario_event ev;
  struct fk_diag d;
  (void)state;
  assert_int_equal(parse("{\"at\":\"2022-07-10T12:00:00+08:00\",\"type\":\"checkin\","
                         "\"person_id\":\"P1\",\"place_id\":\"R1\","
                         "\"checkin_at\":\"2022-07-10T12:00:00+08:00\"}",
                         &ev, &d),
                   0);
  assert_int_equal(ev.type, FK_SCENARIO_FEED);
  assert_string_equal(ev.feed->name, "checkins");
  assert_true(ev.at == T("2022-07-10 12:00"));
  assert_true(ev.row[2].i == T("2022-07-10 12:00"));
  assert_false(ev.row[3].present);
  assert_int_equal(parse("{\"at\":\"2022-07-10T12:00:00Z\",\"type\":\"duty\",\"unit\":\"city\","
                         "\"from\":\"2022-07-10T00:00:00Z\",\"to\":\"2022-07-11T00:00:00Z\","
                         "\"officer\":\"王\"}",
                         &ev, &d),
                   0);
  assert_string_equal(ev.feed->name, "duty");
  assert_int_equal(parse("{\"at\":\"2022-07-10T12:00:00Z\",\"type\":\"tick\"}", &ev, &d), 0);
  assert_int_equal(ev.type, FK_SCENARIO_TICK);
}

static void tasks_are_named_by_person_kind_and_day(void **state)
{
  static struct fk_scenario_event ev;
  struct fk_diag d;
  fk_date day;
  (void)state;
  assert_int_equal(parse("{\"at\":\"2022-07-12T10:00:00+08:00\",\"type\":\"task_done\","
                         "\"person_id\":\"P4\",\"kind\":\"sample\",\"day\":\"2022-07-12\","
                         "\"proof\":\"sample S9\"}",
                         &ev, &d),
                   0);
  assert_int_equal(ev.type, FK_SCENARIO_TASK_DONE);
  assert_string_equal(ev.person_id, "P4");
  assert_int_equal(ev.task_kind, FK_TASK_SAMPLE);
  assert_int_equal(fk_date_parse("2022-07-12", 10, &day, NULL), 0);
  assert_int_equal(ev.day, day);
  assert_string_equal(ev.proof, "sample S9");
  assert_int_equal(parse("{\"at\":\"2022-07-12T10:00:00+08:00\",\"type\":\"task_ack\","
                         "\"person_id\":\"P4\",\"kind\":\"notify\"}",
                         &ev, &d),
                   0);
  assert_int_equal(ev.type, FK_SCENARIO_TASK_ACK);
  assert_int_equal(ev.day, FK_DATE_NONE);
  assert_string_equal(ev.proof, "");
}

/* Each bad line, the field its error names (NULL: the whole line). */
static void errors_name_the_field(void **state)
{
  static struct fk_scenario_event ev;
  static const struct {
    const char *line, *field;
  } bad[] = {
      {"not json", ""},
      {"[1]", ""},
      {"{\"type\":\"tick\"}", "at"},
      {"{\"at\":\"2022-07-10\",\"type\":\"tick\"}", "at"},
      {"{\"at\":\"2022-07-10T00:00:00Z\"}", "type"},
      {"{\"at\":\"2022-07-10T00:00:00Z\",\"type\":\"vaccine\"}", "type"},
      {"{\"at\":\"2022-07-10T00:00:00Z\",\"type\":\"s\"}", "type"},
      {"{\"at\":\"2022-07-10T00:00:00Z\",\"type\":\"case\",\"person_id\":\"P1\","
       "\"kind\":\"mild\",\"sampled_at\":\"2022-07-10T00:00:00Z\"}",
       "kind"},
      {"{\"at\":\"2022-07-10T00:00:00Z\",\"type\":\"checkin\",\"person_id\":[1]}", "person_id"},
      {"{\"at\":\"2022-07-10T00:00:00Z\",\"type\":\"task_done\",\"person_id\":\"P1\","
       "\"kind\":\"notify\"}",
       "proof"},
      {"{\"at\":\"2022-07-10T00:00:00Z\",\"type\":\"task_ack\",\"person_id\":\"P1\","
       "\"kind\":\"sample\"}",
       "day"},
      {"{\"at\":\"2022-07-10T00:00:00Z\",\"type\":\"task_ack\",\"person_id\":\"P1\","
       "\"kind\":\"notify\",\"day\":\"2022-07-10\"}",
       "day"},
      {"{\"at\":\"2022-07-10T00:00:00Z\",\"type\":\"task_ack\",\"person_id\":\"P1\","
       "\"kind\":\"visit\"}",
       "kind"},
  };
  (void)state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct fk_diag d;
    int rc = parse(bad[i].line, &ev, &d);
    if (!rc || strcmp(d.field, bad[i].field) || !d.reason[0])
      fail_msg("%s: rc %d, field '%s' (want '%s'): %s", bad[i].line, rc, d.field, bad[i].field,
               d.reason);
  }
}

/* A town: P1 a case who ate with P2 at R1 on 07-10; P2's samples; a unit's hand. */
static const char scenario[] =
    "{\"at\":\"2022-07-10T12:00:00+08:00\",\"type\":\"checkin\",\"person_id\":\"P1\","
    "\"place_id\":\"R1\",\"checkin_at\":\"2022-07-10T12:00:00+08:00\","
    "\"checkout_at\":\"2022-07-10T13:00:00+08:00\"}\n"
    "{\"at\":\"2022-07-10T12:00:00+08:00\",\"type\":\"checkin\",\"person_id\":\"P2\","
    "\"place_id\":\"R1\",\"checkin_at\":\"2022-07-10T12:00:00+08:00\","
    "\"checkout_at\":\"2022-07-10T13:00:00+08:00\"}\n"
    "\n"
    "{\"at\":\"2022-07-10T20:00:00+08:00\",\"type\":\"case\",\"person_id\":\"P1\","
    "\"kind\":\"confirmed\",\"onset_date\":\"2022-07-10\","
    "\"sampled_at\":\"2022-07-10T10:00:00+08:00\",\"isolated_at\":\"2022-07-10T18:00:00+08:00\"}\n"
    "{\"at\":\"2022-07-11T16:00:00+08:00\",\"type\":\"sample\",\"sample_id\":\"S1\","
    "\"person_id\":\"P2\",\"sampled_at\":\"2022-07-11T10:00:00+08:00\",\"site_id\":\"X\","
    "\"result\":\"negative\"}\n"
    "{\"at\":\"2022-07-11T10:00:00+08:00\",\"type\":\"task_done\",\"person_id\":\"P2\","
    "\"kind\":\"notify\",\"proof\":\"phoned\"}\n"
    "{\"at\":\"2022-07-12T10:00:00+08:00\",\"type\":\"task_ack\",\"person_id\":\"P2\","
    "\"kind\":\"sample\",\"day\":\"2022-07-12\"}\n"
    "{\"at\":\"2022-07-12T21:00:00+08:00\",\"type\":\"tick\"}\n"
    "{\"at\":\"2022-07-13T16:00:00+08:00\",\"type\":\"sample\",\"sample_id\":\"S3\","
    "\"person_id\":\"P2\",\"sampled_at\":\"2022-07-13T10:00:00+08:00\",\"site_id\":\"X\","
    "\"result\":\"negative\"}\n";

static void town(struct city *c, const char *tag, const char **path)
{
  city_init(c, tag);
  person(c, "P1", "H1");
  person(c, "P2", "H2");
  place(c, "R1", "restaurant");
  city_load(c);
  *path = fk_test_write(c->dir, "outbreak.ndjson", scenario, sizeof scenario - 1);
}

static int run(struct city *c, const char *path, const char *until, struct fk_scenario_stats *s)
{
  struct fk_scenario_opts o = {9 * 3600, until ? T(until) : FK_TIME_NONE, NULL, NULL, NULL};
  struct fk_diag d;
  return fk_scenario_run(c->st, &c->rules, path, &o, s, &d);
}

static void a_second_run_changes_nothing(void **state)
{
  struct city c;
  struct fk_scenario_stats s;
  const char *path;
  fk_time last;
  (void)state;
  town(&c, "scenario_twice", &path);
  assert_int_equal(run(&c, path, NULL, &s), 0);
  /* Daily ticks 07-11 .. 07-14 09:00 (the first at or after 07-13 16:00), and the explicit one
     at 07-12 21:00. */
  assert_int_equal(s.read, 8);
  assert_int_equal(s.applied, 8 - 1);
  assert_int_equal(s.ticks, 5);
  assert_true(s.first == T("2022-07-11 09:00") && s.last == T("2022-07-14 09:00"));
  assert_int_equal(fk_store_last_tick(c.st, &last), 0);
  assert_true(last == T("2022-07-14 09:00"));
  assert_int_equal(run(&c, path, NULL, &s), 0);
  assert_int_equal(s.applied, 0);
  assert_int_equal(s.already, 8 - 1);
  assert_int_equal(s.ticks, 0);
  assert_int_equal(s.skipped, 5);
  city_free(&c);
}

static int digest_task(void *arg, const struct fk_task_row *t)
{
  sb_add(arg, "%d %s %d %d %d %lld %s|", t->kind, t->person_id, t->day, t->status, t->level,
         (long long)t->due, t->proof);
  return 0;
}

static int digest_measure(void *arg, const struct fk_measure_row *m)
{
  sb_add(arg, "%lld %d %d %d %d %d|", (long long)m->person, m->category, m->anchor, m->end,
         m->status, m->ntests);
  for (int i = 0; i < m->ntests; i++)
    sb_add(arg, "%d:%d ", m->tests[i].due, m->tests[i].status);
  return 0;
}

/* What the loop left in the store, as text. */
static char *digest(struct city *c)
{
  struct sb b = {0};
  assert_int_equal(
      fk_store_each_task(c->st, &(struct fk_task_filter){.status = -1}, digest_task, &b), 0);
  assert_int_equal(fk_store_each_measure(c->st, 0, digest_measure, &b), 0);
  return b.s;
}

static void a_replay_cut_by_any_allocation_failure_resumes(void **state)
{
  struct city clean, cut;
  struct fk_scenario_stats s;
  const char *path;
  int rc = FK_ENOMEM, cuts = 0;
  (void)state;
  town(&clean, "scenario_clean", &path);
  assert_int_equal(run(&clean, path, "2022-07-14 12:00", &s), 0);
  char *want = digest(&clean);
  town(&cut, "scenario_cut", &path);
  for (long n = 1; rc && n < 1000000; n += n / 16 + 1) {
    fk_alloc_fail_after(n);
    rc = run(&cut, path, "2022-07-14 12:00", &s);
    fk_alloc_fail_after(0);
    if (rc && rc != FK_ENOMEM) fail_msg("cut at %ld: %s", n, fk_errname(rc));
    assert_int_equal(s.rejected, 0); /* no good line is refused for want of memory */
    cuts += rc != 0;
  }
  assert_int_equal(rc, 0);
  if (cuts < 50) fail_msg("only %d runs were cut", cuts);
  assert_int_equal(run(&cut, path, "2022-07-14 12:00", &s), 0);
  char *got = digest(&cut);
  assert_string_equal(got, want);
  free(got);
  free(want);
  city_free(&clean);
  city_free(&cut);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(feed_rows_are_named_by_feed_or_row),
      cmocka_unit_test(tasks_are_named_by_person_kind_and_day),
      cmocka_unit_test(errors_name_the_field),
      cmocka_unit_test(a_second_run_changes_nothing),
      cmocka_unit_test(a_replay_cut_by_any_allocation_failure_resumes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
