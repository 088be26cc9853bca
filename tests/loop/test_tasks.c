/*
 * Tasks and their escalation on a hand-built town, ticked with fk_tick: P1 a confirmed case
 * (onset 07-10, sampled 07-10 10:00, isolated 07-10 18:00); P2 ate with P1 at R1 on 07-10
 * 12:00-13:00 (close contact, last exposure 07-10); P3 worked with P2 at O1 on 07-10 14:00-17:00
 * (secondary contact via P2). Grid G1 lies in 坞城社区, 坞城街道, 小店区. The duty roster names
 * one officer per level for all of July.
 *
 * Worked out by hand from rules/protocol-9.json:
 *   - P2 (close contact, anchor 07-10): centralized quarantine 07-11..07-17, tests on days
 *     1, 2, 3, 5, 7 = 07-11, 07-12, 07-13, 07-15, 07-17; home health monitoring 07-18..07-20,
 *     test on its day 3 = 07-20. Six sample tasks, one per date, each due by 24:00 of its date.
 *   - P3 (secondary contact, anchor 07-10): home quarantine 07-11..07-17, days 1, 4, 7 = 07-11,
 *     07-14, 07-17: three sample tasks; home quarantine needs no transfer.
 *   - P1 (case): hospital; a transfer due 120 minutes after placement, no sample task.
 *   - Placed at the 07-11 09:00 tick: notify due 11:00 (120 min); P2's transfer to centralized
 *     quarantine due 21:00 (720 min).
 *   - Escalation (after_minutes community 120, street 360, district 720, city 1440): a notify
 *     due 11:00 and not done reaches community at 13:00, street at 17:00, district 07-11 23:00,
 *     city 07-12 11:00. A 07-11 sample task due 07-12 00:00 reaches community 02:00, street 06:00.
 */
#include "fangkong/alloc.h"
#include "fangkong/loop.h"
#include "fangkong/tasks.h"
#include "trace/city.h"

static const char duty[] =
    "unit,from,to,officer,phone\n"
    "/小店区/坞城街道/"
    "坞城社区,2022-07-01T00:00:00+08:00,2022-08-01T00:00:00+08:00,社区甲,13900000001\n"
    "/小店区/坞城街道,2022-07-01T00:00:00+08:00,2022-08-01T00:00:00+08:00,街道乙,13900000002\n"
    "/小店区,2022-07-01T00:00:00+08:00,2022-07-12T00:00:00+08:00,区丙,13900000003\n"
    "city,2022-07-01T00:00:00+08:00,2022-08-01T00:00:00+08:00,市丁,13900000004\n";

static void the_town(struct city *c, const char *tag)
{
  city_init(c, tag);
  small_town(c);
  city_load(c);
  import_text(c, "duty", "duty.csv", duty, sizeof duty - 1);
}

static struct fk_tick_stats tick(struct city *c, const char *now)
{
  struct fk_tick_stats s;
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_tick(c->st, &c->ix, &c->rules, T(now), &s, &d)) fail_msg("tick %s: %s", now, d.reason);
  return s;
}

struct found {
  struct fk_task_row t[64];
  int n;
};

static int keep(void *arg, const struct fk_task_row *t)
{
  struct found *f = arg;
  if (f->n < 64) f->t[f->n++] = *t;
  return 0;
}

/* The tasks of person pid (every one when pid is NULL), in id order. */
static struct found tasks_of(struct city *c, const char *pid)
{
  struct found f = {.n = 0};
  int64_t person = 0;
  if (pid && (fk_store_person_id(c->st, pid, &person) || !person)) fail_msg("no %s", pid);
  struct fk_task_filter q = {0, 0, person, 0, -1, NULL, 0};
  if (fk_store_each_task(c->st, &q, keep, &f)) fail_msg("tasks");
  return f;
}

/* The one task of kind (and, for samples, day "YYYY-MM-DD") of pid. */
static struct fk_task_row task(struct city *c, const char *pid, int kind, const char *day)
{
  struct found f = tasks_of(c, pid);
  fk_date d = FK_DATE_NONE;
  if (day && fk_date_parse(day, strlen(day), &d, NULL)) fail_msg("bad day %s", day);
  for (int i = 0; i < f.n; i++)
    if (f.t[i].kind == kind && f.t[i].day == d) return f.t[i];
  fail_msg("%s has no %s task %s", pid, fk_task_kinds[kind], day ? day : "");
  return f.t[0];
}

static int count(const struct found *f, int kind)
{
  int n = 0;
  for (int i = 0; i < f->n; i++)
    n += f->t[i].kind == kind;
  return n;
}

static void every_measure_gets_its_tasks_with_deadlines_from_the_rules(void **state)
{
  (void)state;
  struct city c;
  the_town(&c, "tasks_made");
  tick(&c, "2022-07-11 09:00");
  struct found p1 = tasks_of(&c, "P1"), p2 = tasks_of(&c, "P2"), p3 = tasks_of(&c, "P3");
  assert_int_equal(count(&p1, FK_TASK_NOTIFY), 1);
  assert_int_equal(count(&p1, FK_TASK_TRANSFER), 1);
  assert_int_equal(count(&p1, FK_TASK_SAMPLE), 0);
  assert_int_equal(task(&c, "P1", FK_TASK_TRANSFER, NULL).due, T("2022-07-11 11:00"));
  assert_int_equal(count(&p2, FK_TASK_SAMPLE), 6);
  assert_int_equal(task(&c, "P2", FK_TASK_TRANSFER, NULL).due, T("2022-07-11 21:00"));
  assert_int_equal(task(&c, "P2", FK_TASK_NOTIFY, NULL).due, T("2022-07-11 11:00"));
  static const char *const days[] = {"2022-07-11", "2022-07-12", "2022-07-13",
                                     "2022-07-15", "2022-07-17", "2022-07-20"};
  for (int i = 0; i < 6; i++) {
    struct fk_task_row t = task(&c, "P2", FK_TASK_SAMPLE, days[i]);
    fk_date d;
    fk_date_parse(days[i], 10, &d, NULL);
    assert_int_equal(t.due, fk_date_start(d + 1)); /* by 24:00 of its day */
    assert_int_equal(t.status, i == 0 ? FK_TSTATUS_DUE : FK_TSTATUS_CREATED);
    assert_string_equal(t.unit, "G1");
    assert_int_equal(t.level, FK_LEVEL_GRID);
  }
  assert_int_equal(count(&p3, FK_TASK_SAMPLE), 3);
  assert_int_equal(count(&p3, FK_TASK_TRANSFER), 0);
  task(&c, "P3", FK_TASK_SAMPLE, "2022-07-14");
  assert_non_null(strstr(task(&c, "P3", FK_TASK_NOTIFY, NULL).reason, "via P2"));
  city_free(&c);
}

/* Every task's id, status, level and proof, and every escalation, as one text. */
static char *dump(struct city *c)
{
  struct found f = tasks_of(c, NULL);
  struct sb b = {0};
  for (int i = 0; i < f.n; i++)
    sb_add(&b, "%lld %d %d %d %s\n", (long long)f.t[i].id, f.t[i].kind, f.t[i].status, f.t[i].level,
           f.t[i].proof);
  return b.s;
}

static void the_same_now_twice_changes_nothing(void **state)
{
  (void)state;
  struct city c;
  the_town(&c, "tasks_twice");
  tick(&c, "2022-07-11 09:00");
  tick(&c, "2022-07-12 15:00");
  char *before = dump(&c);
  struct fk_tick_stats s = tick(&c, "2022-07-12 15:00");
  char *after = dump(&c);
  assert_string_equal(before, after);
  assert_int_equal(s.traced, 0);
  assert_int_equal(s.measures.written, 0);
  assert_int_equal(s.tasks.escalations, 0);
  for (int k = 0; k < FK_TASK_NKINDS; k++)
    assert_int_equal(s.tasks.created[k], 0);
  fk_free(before);
  fk_free(after);
  city_free(&c);
}

struct steps {
  struct fk_escalation_row e[8];
  int n;
};

static int keep_step(void *arg, const struct fk_escalation_row *e)
{
  struct steps *s = arg;
  if (s->n < 8) s->e[s->n++] = *e;
  return 0;
}

static struct steps steps_of(struct city *c, int64_t task_id)
{
  struct steps s = {.n = 0};
  if (fk_store_each_escalation(c->st, task_id, keep_step, &s)) fail_msg("escalations");
  return s;
}

static void an_overdue_task_climbs_to_the_officer_on_duty(void **state)
{
  (void)state;
  struct city c;
  the_town(&c, "tasks_escalate");
  tick(&c, "2022-07-11 09:00");
  tick(&c, "2022-07-11 12:59");
  struct fk_task_row n = task(&c, "P2", FK_TASK_NOTIFY, NULL);
  assert_int_equal(n.level, FK_LEVEL_GRID); /* overdue since 11:00, community at 13:00 */
  assert_int_equal(steps_of(&c, n.id).n, 0);
  tick(&c, "2022-07-11 17:30");
  n = task(&c, "P2", FK_TASK_NOTIFY, NULL);
  assert_int_equal(n.level, FK_LEVEL_STREET);
  struct steps s = steps_of(&c, n.id);
  assert_int_equal(s.n, 2);
  assert_int_equal(s.e[0].level, FK_LEVEL_COMMUNITY);
  assert_int_equal(s.e[0].at, T("2022-07-11 13:00"));
  assert_string_equal(s.e[0].unit, "/小店区/坞城街道/坞城社区");
  assert_string_equal(s.e[0].officer, "社区甲");
  assert_int_equal(s.e[1].level, FK_LEVEL_STREET);
  assert_int_equal(s.e[1].at, T("2022-07-11 17:00"));
  assert_string_equal(s.e[1].officer, "街道乙");
  /* Ticking late records each step at the moment it was reached, whatever the tick times. */
  tick(&c, "2022-07-12 12:00");
  s = steps_of(&c, task(&c, "P2", FK_TASK_NOTIFY, NULL).id);
  assert_int_equal(s.n, 4);
  assert_int_equal(s.e[2].level, FK_LEVEL_DISTRICT);
  assert_int_equal(s.e[2].at, T("2022-07-11 23:00"));
  assert_string_equal(s.e[2].officer, "区丙");
  assert_int_equal(s.e[3].level, FK_LEVEL_CITY);
  assert_int_equal(s.e[3].at, T("2022-07-12 11:00"));
  assert_string_equal(s.e[3].unit, "city");
  assert_string_equal(s.e[3].officer, "市丁");
  city_free(&c);
}

static void a_sample_closes_its_task_and_a_missed_one_escalates(void **state)
{
  (void)state;
  struct city c;
  static const char *const taken[] = {"P2 2022-07-11 negative"};
  the_town(&c, "tasks_samples");
  tick(&c, "2022-07-11 09:00");
  city_samples(&c, "_1", taken, 1);
  tick(&c, "2022-07-12 09:00");
  struct fk_task_row t2 = task(&c, "P2", FK_TASK_SAMPLE, "2022-07-11");
  assert_int_equal(t2.status, FK_TSTATUS_DONE);
  assert_non_null(strstr(t2.proof, "sample"));
  assert_int_equal(steps_of(&c, t2.id).n, 0);
  struct fk_task_row t3 = task(&c, "P3", FK_TASK_SAMPLE, "2022-07-11");
  assert_int_equal(t3.status, FK_TSTATUS_DUE); /* missed: still open, escalating */
  assert_int_equal(t3.level, FK_LEVEL_STREET);
  struct steps s = steps_of(&c, t3.id);
  assert_int_equal(s.n, 2);
  assert_int_equal(s.e[0].at, T("2022-07-12 02:00"));
  assert_int_equal(s.e[1].at, T("2022-07-12 06:00"));
  /* The next day's task fell due at 00:00. */
  assert_int_equal(task(&c, "P2", FK_TASK_SAMPLE, "2022-07-12").status, FK_TSTATUS_DUE);
  city_free(&c);
}

static void units_acknowledge_and_close_tasks_with_proof(void **state)
{
  (void)state;
  struct city c;
  struct fk_diag d;
  the_town(&c, "tasks_hand");
  tick(&c, "2022-07-11 09:00");
  struct fk_task_row n = task(&c, "P3", FK_TASK_NOTIFY, NULL);
  fk_diag_clear(&d);
  assert_int_equal(fk_task_ack(c.st, n.id, T("2022-07-11 09:30"), &d), 0);
  assert_int_equal(task(&c, "P3", FK_TASK_NOTIFY, NULL).status, FK_TSTATUS_ACKNOWLEDGED);
  assert_int_equal(fk_task_close(c.st, n.id, FK_TSTATUS_DONE, "", T("2022-07-11 10:00"), &d),
                   FK_EINVAL); /* no proof */
  assert_int_equal(fk_task_close(c.st, n.id, FK_TSTATUS_DONE, "phoned, read the notice",
                                 T("2022-07-11 10:00"), &d),
                   0);
  assert_int_equal(fk_task_close(c.st, n.id, FK_TSTATUS_FAILED, "x", T("2022-07-11 10:05"), &d),
                   FK_EINVAL); /* closed already */
  assert_int_equal(fk_task_ack(c.st, 999999, T("2022-07-11 10:00"), &d), FK_ENOTFOUND);
  tick(&c, "2022-07-11 18:00"); /* done before its deadline: never escalates */
  n = task(&c, "P3", FK_TASK_NOTIFY, NULL);
  assert_int_equal(n.status, FK_TSTATUS_DONE);
  assert_string_equal(n.proof, "phoned, read the notice");
  assert_int_equal(steps_of(&c, n.id).n, 0);
  assert_int_equal(task(&c, "P2", FK_TASK_NOTIFY, NULL).level, FK_LEVEL_STREET);
  city_free(&c);
}

/* The case's own measure: the hospital until two negative samples at least 24 h apart
 * (protocol-9's discharge criteria); a positive between them starts the count again. P1 is
 * sampled 07-12 10:00 negative, 07-13 09:00 negative (only 23 h later: does not count),
 * 07-13 11:00 positive, 07-14 10:00 negative, 07-15 10:00 negative: discharged on 07-15. */
static void a_case_is_discharged_on_two_negative_samples_a_day_apart(void **state)
{
  (void)state;
  struct city c;
  static const char *const taken[] = {"P1 2022-07-12 negative"};
  the_town(&c, "tasks_discharge");
  tick(&c, "2022-07-11 09:00");
  city_samples(&c, "_1", taken, 1);
  static const char more[] = "sample_id,pool_id,person_id,sampled_at,site_id,result,reported_at\n"
                             "X2,,P1,2022-07-13T09:00:00+08:00,H,negative,\n"
                             "X3,,P1,2022-07-13T11:00:00+08:00,H,positive,\n"
                             "X4,,P1,2022-07-14T10:00:00+08:00,H,negative,\n";
  import_text(&c, "samples", "samples_2.csv", more, sizeof more - 1);
  struct fk_tick_stats s = tick(&c, "2022-07-14 12:00");
  assert_int_equal(s.measures.released, 0);
  struct found p1 = tasks_of(&c, "P1");
  assert_int_equal(count(&p1, FK_TASK_RELEASE), 0);
  static const char last[] = "sample_id,pool_id,person_id,sampled_at,site_id,result,reported_at\n"
                             "X5,,P1,2022-07-15T10:00:00+08:00,H,negative,\n";
  import_text(&c, "samples", "samples_3.csv", last, sizeof last - 1);
  s = tick(&c, "2022-07-15 12:00");
  assert_int_equal(s.measures.released, 1);
  struct fk_task_row r = task(&c, "P1", FK_TASK_RELEASE, NULL);
  assert_int_equal(r.due, T("2022-07-16 12:00"));
  city_free(&c);
}

/* A spatiotemporal companion (时空伴随者): P5 met nobody at a place, but their phone shared
 * P1's 800 m cell on 07-10 12:00-13:30 while P5 spent 07-09 00:00 - 07-11 00:00 there (48 h,
 * over the rule's 30). The tick tracing P1 places P5 under the companion measure (protocol-9:
 * three days two tests, anchored on the day found: day 0 07-11, tests on days 1 and 3 = 07-12
 * and 07-14) with its notify task. */
static void a_companion_found_by_the_tick_is_placed_and_told(void **state)
{
  (void)state;
  struct city c;
  struct sb pings = {0};
  char at[FK_TIME_BUFSZ];
  the_town(&c, "tasks_companion");
  city_next_batch(&c);
  person(&c, "P5", "H5");
  city_more(&c, "_5");
  sb_add(&pings, "person_id,at,lat,lon\n");
  for (fk_time t = T("2022-07-09 00:00"); t < T("2022-07-11 00:00"); t += 600)
    sb_add(&pings, "P5,%s,37.7405,112.5605\n", fk_time_format(t, at));
  for (fk_time t = T("2022-07-10 12:00"); t <= T("2022-07-10 13:30"); t += 600)
    sb_add(&pings, "P1,%s,37.7406,112.5604\n", fk_time_format(t, at));
  import_text(&c, "pings", "pings.csv", pings.s, pings.n);
  sb_free(&pings);
  tick(&c, "2022-07-11 09:00");
  struct found p5 = tasks_of(&c, "P5");
  assert_int_equal(count(&p5, FK_TASK_NOTIFY), 1);
  assert_non_null(strstr(task(&c, "P5", FK_TASK_NOTIFY, NULL).reason, "companion of P1"));
  task(&c, "P5", FK_TASK_SAMPLE, "2022-07-12");
  task(&c, "P5", FK_TASK_SAMPLE, "2022-07-14");
  assert_int_equal(count(&p5, FK_TASK_SAMPLE), 2);
  city_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_measure_gets_its_tasks_with_deadlines_from_the_rules),
      cmocka_unit_test(the_same_now_twice_changes_nothing),
      cmocka_unit_test(an_overdue_task_climbs_to_the_officer_on_duty),
      cmocka_unit_test(a_sample_closes_its_task_and_a_missed_one_escalates),
      cmocka_unit_test(units_acknowledge_and_close_tasks_with_proof),
      cmocka_unit_test(a_case_is_discharged_on_two_negative_samples_a_day_apart),
      cmocka_unit_test(a_companion_found_by_the_tick_is_placed_and_told),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
