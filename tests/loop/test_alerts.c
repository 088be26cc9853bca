/*
 * Signals and alerts on a hand-built city of four grids:
 *   G1 坞城社区 and G2 东苑社区 in 坞城街道, G3 北营社区 in 北营街道 (all 小店区), G4 柳巷社区 in
 *   柳巷街道 (迎泽区); P1..P4 live in G1..G4.
 * Counts are worked out by hand below; alerts come from a counts.csv channel "ili" at G1 that is
 * 2 a day, with 10 on 07-10, 07-11, 07-20 and 07-22. Two methods watch it at grid level:
 *   threshold (threshold 5): alarms on every 10;
 *   ears-c1 (minSigma 1): baseline of 7 days of 2 (sd 0, floored at 1) gives 2 + qnorm(0.999) =
 *   5.09, so it alarms on 07-10 and 07-20 only (the day after a 10, the baseline holds it:
 *   mean 22/7, sd 3.02, bound 12.5).
 * Escalation from protocol-9: community 120 min, street 360 min past due.
 */
#include <math.h>

#include "fangkong/alerts.h"
#include "fangkong/alloc.h"
#include "fangkong/detect.h"
#include "fangkong/signals.h"
#include "trace/city.h"

static const char grids[] = "grid_id,name,community,street,district,lat,lon\n"
                            "G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n"
                            "G2,二网格,东苑社区,坞城街道,小店区,37.74,112.56\n"
                            "G3,三网格,北营社区,北营街道,小店区,37.74,112.56\n"
                            "G4,四网格,柳巷社区,柳巷街道,迎泽区,37.74,112.56\n";

static void the_city(struct city *c, const char *tag)
{
  char path[600];
  struct fk_diag d;
  city_init(c, tag);
  person_in(c, "P1", "H1", "G1");
  person_in(c, "P2", "H2", "G2");
  person_in(c, "P3", "H3", "G3");
  person_in(c, "P4", "H4", "G4");
  place_in(c, "C1", "fever_clinic", "G4");
  place_in(c, "F1", "pharmacy", "G1");
  place_in(c, "S1", "school", "G3");
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/city.db", c->dir);
  if (fk_store_open(path, &c->st, &d)) fail_msg("open %s: %s", path, d.reason);
  import_text(c, "grids", "grids.csv", grids, sizeof grids - 1);
  import_all(c, "");
}

static void city_done(struct city *c)
{
  fk_store_close(c->st);
  sb_free(&c->persons);
  sb_free(&c->places);
  sb_free(&c->checkins);
  sb_free(&c->cases);
}

static void the_signals(struct city *c)
{
  static const char visits[] = "person_id,visited_at,place_id,syndrome\n"
                               "P1,2022-07-01T10:00:00+08:00,C1,fever\n"
                               "P2,2022-07-01T11:00:00+08:00,C1,respiratory\n"
                               "P3,2022-07-01T23:30:00+08:00,C1,fever\n"  /* still 07-01 */
                               "P4,2022-07-02T00:30:00+08:00,C1,other\n"; /* 07-02 */
  static const char sales[] = "person_id,sold_at,place_id,drug_class,quantity\n"
                              "P1,2022-07-01T09:00:00+08:00,F1,fever,2\n"
                              "P1,2022-07-01T09:00:00+08:00,F1,cough,1\n"
                              "P2,2022-07-02T09:00:00+08:00,F1,fever,\n";
  static const char absences[] = "place_id,date,class,count\n"
                                 "S1,2022-07-01,1-1,4\n"
                                 "S1,2022-07-01,2-1,3\n";
  static const char counts[] = "date,region_id,channel,count\n"
                               "2022-07-01,G1,ili,5\n"
                               "2022-07-01,/小店区/坞城街道,ili,2\n";
  import_text(c, "clinic_visits", "clinic_visits.csv", visits, sizeof visits - 1);
  import_text(c, "pharmacy_sales", "pharmacy_sales.csv", sales, sizeof sales - 1);
  import_text(c, "school_absences", "school_absences.csv", absences, sizeof absences - 1);
  import_text(c, "counts", "counts.csv", counts, sizeof counts - 1);
}

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

/* The count of region code on date in channel at level over 07-01..07-02 (-1: no series). */
static double count_of(struct city *c, const char *channel, int level, const char *code,
                       const char *date)
{
  struct fk_counts *k = NULL;
  struct fk_diag d;
  double v = -1;
  fk_diag_clear(&d);
  int rc = fk_signal_counts(c->st, channel, level, D("2022-07-01"), D("2022-07-02"), &k, NULL, &d);
  if (rc == FK_ENOTFOUND) return -1;
  if (rc) fail_msg("counts %s: %s", channel, d.reason);
  assert_int_equal(k->n, 2);
  for (size_t i = 0; i < k->nseries; i++)
    if (!strcmp(k->series[i].region_id, code)) v = k->series[i].observed[D(date) - k->start];
  fk_counts_free(k);
  return v;
}

static void counts_roll_up_the_hierarchy(void **state)
{
  (void)state;
  struct city c;
  the_city(&c, "signals_rollup");
  the_signals(&c);
  /* Fever-clinic visits count at the visitor's home grid, by civil day. */
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_GRID, "G3", "2022-07-01") == 1);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_GRID, "G4", "2022-07-01") == 0);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_GRID, "G4", "2022-07-02") == 1);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_COMMUNITY, "/小店区/坞城街道/东苑社区",
                       "2022-07-01") == 1);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_STREET, "/小店区/坞城街道", "2022-07-01") == 2);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_STREET, "/小店区/北营街道", "2022-07-01") == 1);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_DISTRICT, "/小店区", "2022-07-01") == 3);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_DISTRICT, "/迎泽区", "2022-07-02") == 1);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_CITY, "city", "2022-07-01") == 3);
  assert_true(count_of(&c, "fever_clinic", FK_LEVEL_CITY, "city", "2022-07-02") == 1);
  /* Pharmacy sales by drug class, at the buyer's grid; one sale is one, whatever the quantity. */
  assert_true(count_of(&c, "pharmacy_fever", FK_LEVEL_DISTRICT, "/小店区", "2022-07-01") == 1);
  assert_true(count_of(&c, "pharmacy_fever", FK_LEVEL_DISTRICT, "/小店区", "2022-07-02") == 1);
  assert_true(count_of(&c, "pharmacy_cough", FK_LEVEL_GRID, "G1", "2022-07-01") == 1);
  assert_true(count_of(&c, "pharmacy_antiviral", FK_LEVEL_GRID, "G1", "2022-07-01") == -1);
  /* School absences add their counts, at the school's grid. */
  assert_true(count_of(&c, "school_absence", FK_LEVEL_STREET, "/小店区/北营街道", "2022-07-01") ==
              7);
  /* Reported counts roll up; a street's count cannot be split down to its grids. */
  assert_true(count_of(&c, "ili", FK_LEVEL_GRID, "G1", "2022-07-01") == 5);
  assert_true(count_of(&c, "ili", FK_LEVEL_STREET, "/小店区/坞城街道", "2022-07-01") == 7);
  assert_true(count_of(&c, "ili", FK_LEVEL_DISTRICT, "/小店区", "2022-07-01") == 7);
  /* A drug class that does not exist is refused. */
  struct fk_counts *k = NULL;
  assert_int_equal(fk_signal_counts(c.st, "pharmacy_aspirin", FK_LEVEL_GRID, D("2022-07-01"),
                                    D("2022-07-02"), &k, NULL, NULL),
                   FK_EINVAL);
  city_done(&c);
}

/* ---- alerts ---- */

static const char duty[] =
    "unit,from,to,officer,phone\n"
    "G1,2022-07-11T20:00:00+08:00,2022-07-12T08:00:00+08:00,夜班乙,13900000009\n"
    "G1,2022-07-12T08:00:00+08:00,2022-07-12T20:00:00+08:00,网格甲,13900000001\n"
    "/小店区/坞城街道/坞城社区,2022-07-01T00:00:00+08:00,2022-08-01T00:00:00+08:00,社区丙,"
    "13900000002\n";

/* The ili series: 2 a day from 06-01 to 07-31, 10 on the given days. */
static void ili(struct city *c)
{
  struct sb b = {0};
  sb_add(&b, "date,region_id,channel,count\n");
  for (fk_date d = D("2022-06-01"); d <= D("2022-07-31"); d++) {
    char s[FK_DATE_BUFSZ];
    fk_date_format(d, s);
    int spike = !strcmp(s, "2022-07-10") || !strcmp(s, "2022-07-11") || !strcmp(s, "2022-07-20") ||
                !strcmp(s, "2022-07-22");
    if (strcmp(s, "2022-07-01")) sb_add(&b, "%s,G1,ili,%d\n", s, spike ? 10 : 2);
  }
  sb_add(&b, "2022-07-01,G1,ili,2\n");
  import_text(c, "counts", "counts_ili.csv", b.s, b.n);
  sb_free(&b);
}

static void alert_rules(struct city *c)
{
  struct fk_alert_rules *a = &c->rules.alerts;
  struct fk_diag d;
  city_rules(&c->rules, "protocol-9");
  memset(a, 0, sizeof *a);
  a->verify_hours = 24, a->scan_days = 7, a->history_days = 56, a->join_days = 3;
  a->nsources = 1;
  snprintf(a->sources[0].channel, sizeof a->sources[0].channel, "ili");
  a->sources[0].levels[FK_LEVEL_GRID] = 1;
  a->sources[0].nmethods = 2;
  a->sources[0].methods[0].method = FK_DETECT_THRESHOLD;
  fk_detect_defaults(FK_DETECT_THRESHOLD, 1, &a->sources[0].methods[0].params);
  a->sources[0].methods[0].params.threshold = 5;
  a->sources[0].methods[1].method = FK_DETECT_EARS_C1;
  fk_detect_defaults(FK_DETECT_EARS_C1, 1, &a->sources[0].methods[1].params);
  fk_diag_clear(&d);
  assert_int_equal(
      fk_detect_param_set(FK_DETECT_EARS_C1, &a->sources[0].methods[1].params, "minSigma", "1", &d),
      0);
}

struct alerts {
  struct fk_alert_row a[16];
  int n;
};

static int keep_alert(void *arg, const struct fk_alert_row *a)
{
  struct alerts *v = arg;
  if (v->n < 16) v->a[v->n++] = *a;
  return 0;
}

static struct alerts all_alerts(struct city *c)
{
  struct alerts v = {.n = 0};
  struct fk_alert_filter f = {0, -1, NULL, -1, 0, 0};
  if (fk_store_each_alert(c->st, &f, keep_alert, &v)) fail_msg("alerts");
  return v;
}

static struct fk_alerts_stats scan(struct city *c, const char *now)
{
  struct fk_alerts_stats s;
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_alerts_scan(c->st, &c->rules, T(now), &s, &d)) fail_msg("scan %s: %s", now, d.reason);
  return s;
}

struct alarms {
  struct fk_alarm_row al[16];
  int n;
};

static int keep_alarm(void *arg, const struct fk_alarm_row *al)
{
  struct alarms *v = arg;
  if (v->n < 16) v->al[v->n++] = *al;
  return 0;
}

struct escs {
  struct fk_escalation_row e[8];
  int n;
};

static int keep_esc(void *arg, const struct fk_escalation_row *e)
{
  struct escs *v = arg;
  if (v->n < 8) v->e[v->n++] = *e;
  return 0;
}

static void town_with_ili(struct city *c, const char *tag)
{
  the_city(c, tag);
  ili(c);
  import_text(c, "duty", "duty.csv", duty, sizeof duty - 1);
  alert_rules(c);
}

static void consecutive_alarms_and_two_methods_make_one_alert(void **state)
{
  (void)state;
  struct city c;
  town_with_ili(&c, "alerts_dedup");
  struct fk_alerts_stats s = scan(&c, "2022-07-12 09:00");
  /* 07-10: threshold and ears-c1; 07-11: threshold. One alert. */
  assert_int_equal(s.alarms, 3);
  assert_int_equal(s.raised, 1);
  assert_int_equal(s.joined, 2);
  struct alerts v = all_alerts(&c);
  assert_int_equal(v.n, 1);
  const struct fk_alert_row *a = &v.a[0];
  assert_string_equal(a->channel, "ili");
  assert_string_equal(a->region_code, "G1");
  assert_int_equal(a->region_level, FK_LEVEL_GRID);
  assert_int_equal(a->alarms, 3);
  assert_int_equal(a->first, D("2022-07-10"));
  assert_int_equal(a->last, D("2022-07-11"));
  assert_int_equal(a->method, FK_DETECT_THRESHOLD);
  assert_true(a->observed == 10 && a->upperbound == 5);
  assert_int_equal(a->status, FK_ALERT_OPEN);
  /* To the officer on duty for G1 at the scan (the day shift), verify within 24 h. */
  assert_string_equal(a->officer, "网格甲");
  assert_true(a->created == T("2022-07-12 09:00"));
  assert_true(a->due == T("2022-07-13 09:00"));
  struct alarms al = {.n = 0};
  assert_int_equal(fk_store_each_alarm(c.st, a->id, keep_alarm, &al), 0);
  assert_int_equal(al.n, 3);
  assert_int_equal(al.al[0].date, D("2022-07-10"));
  assert_int_equal(al.al[1].date, D("2022-07-10"));
  assert_int_equal(al.al[2].date, D("2022-07-11"));
  /* ears-c1's bound on 07-10: mean 2, sd 0 floored at minSigma 1, z = qnorm(0.999). */
  const struct fk_alarm_row *c1 = al.al[0].method == FK_DETECT_EARS_C1 ? &al.al[0] : &al.al[1];
  assert_int_equal(c1->method, FK_DETECT_EARS_C1);
  assert_true(fabs(c1->upperbound - (2 + 3.090232306167813)) < 1e-9);
  /* The same scan again changes nothing. */
  s = scan(&c, "2022-07-12 09:00");
  assert_int_equal(s.raised + s.joined, 0);
  assert_int_equal(s.known, 3);
  assert_int_equal(all_alerts(&c).a[0].alarms, 3);
  city_done(&c);
}

static void unverified_alert_escalates_verified_one_does_not(void **state)
{
  (void)state;
  struct city c;
  town_with_ili(&c, "alerts_escalate");
  scan(&c, "2022-07-12 09:00");
  /* Due 07-13 09:00; community at 11:00 (120 min), street at 15:00 (360 min). */
  struct fk_alerts_stats s = scan(&c, "2022-07-13 10:59");
  assert_int_equal(s.escalations, 0);
  s = scan(&c, "2022-07-13 11:00");
  assert_int_equal(s.escalations, 1);
  struct alerts v = all_alerts(&c);
  assert_int_equal(v.a[0].level, FK_LEVEL_COMMUNITY);
  struct escs e = {.n = 0};
  assert_int_equal(fk_store_each_alert_escalation(c.st, v.a[0].id, keep_esc, &e), 0);
  assert_int_equal(e.n, 1);
  assert_int_equal(e.e[0].level, FK_LEVEL_COMMUNITY);
  assert_true(e.e[0].at == T("2022-07-13 11:00"));
  assert_string_equal(e.e[0].unit, "/小店区/坞城街道/坞城社区");
  assert_string_equal(e.e[0].officer, "社区丙");
  /* Verified before the street's delay: it climbs no further. */
  struct fk_diag d;
  fk_diag_clear(&d);
  assert_int_equal(fk_alert_verify(c.st, v.a[0].id, FK_ALERT_NOT_OUTBREAK, "influenza season",
                                   T("2022-07-13 14:00"), &d),
                   0);
  s = scan(&c, "2022-07-13 16:00");
  assert_int_equal(s.escalations, 0);
  assert_int_equal(all_alerts(&c).a[0].level, FK_LEVEL_COMMUNITY);
  city_done(&c);
}

static void verification_timing_and_the_report(void **state)
{
  (void)state;
  struct city c;
  struct fk_diag d;
  town_with_ili(&c, "alerts_report");
  fk_diag_clear(&d);
  scan(&c, "2022-07-12 09:00");
  struct alerts v = all_alerts(&c);
  /* Verified 30 h after it was raised: late. */
  assert_int_equal(
      fk_alert_verify(c.st, v.a[0].id, FK_ALERT_NOT_OUTBREAK, NULL, T("2022-07-13 15:00"), &d), 0);
  assert_int_equal(fk_alert_verify(c.st, v.a[0].id, FK_ALERT_OPEN, NULL, T("2022-07-13 15:00"), &d),
                   FK_EINVAL);
  /* 07-20 alarms again after the alert was judged not an outbreak: a new alert. */
  struct fk_alerts_stats s = scan(&c, "2022-07-21 09:00");
  assert_int_equal(s.raised, 1);
  v = all_alerts(&c);
  assert_int_equal(v.n, 2);
  assert_int_equal(v.a[1].first, D("2022-07-20"));
  assert_int_equal(v.a[1].alarms, 2); /* threshold and ears-c1 */
  /* Verified in 4 h as needing watching; 07-22's alarm (within join_days) joins it. */
  assert_int_equal(
      fk_alert_verify(c.st, v.a[1].id, FK_ALERT_WATCH, "watch", T("2022-07-21 13:00"), &d), 0);
  s = scan(&c, "2022-07-23 09:00");
  assert_int_equal(s.raised, 0);
  assert_int_equal(s.joined, 1);
  v = all_alerts(&c);
  assert_int_equal(v.n, 2);
  assert_int_equal(v.a[1].alarms, 3);
  assert_int_equal(v.a[1].last, D("2022-07-22"));
  assert_true(v.a[1].verified == T("2022-07-21 13:00"));
  /* The report, by hand: 2 signals, both verified, 1 within 24 h; median of 30 h and 4 h. */
  struct fk_alert_report *r = NULL;
  size_t n = 0;
  assert_int_equal(fk_alerts_report(c.st, &c.rules, D("2022-07-12"), D("2022-07-31"), &r, &n, &d),
                   0);
  assert_int_equal(n, 2); /* ili, then the total */
  assert_string_equal(r[0].channel, "ili");
  assert_string_equal(r[1].channel, "");
  for (int i = 0; i < 2; i++) {
    assert_int_equal(r[i].signals, 2);
    assert_int_equal(r[i].verified, 2);
    assert_int_equal(r[i].in_time, 1);
    assert_true(r[i].share_in_time == 0.5);
    assert_true(r[i].median_hours == 17.0);
  }
  fk_free(r);
  /* Only the first alert was raised on 07-12. */
  assert_int_equal(fk_alerts_report(c.st, &c.rules, D("2022-07-12"), D("2022-07-12"), &r, &n, &d),
                   0);
  assert_int_equal(r[n - 1].signals, 1);
  assert_true(r[n - 1].median_hours == 30.0);
  assert_int_equal(r[n - 1].in_time, 0);
  fk_free(r);
  city_done(&c);
}

/* Every allocation of a scan failing in turn: an error or success, never a half-written alert
   (the alerts are one transaction, escalation another, as the tick's steps), and the next scan
   completes what a failed one left. */
static void allocation_failures_leave_no_half_alert(void **state)
{
  (void)state;
  struct city c;
  town_with_ili(&c, "alerts_alloc");
  int rc = -1;
  for (long n = 1; rc && n < 10000; n++) {
    struct fk_diag d;
    fk_diag_clear(&d);
    fk_alloc_fail_after(n);
    rc = fk_alerts_scan(c.st, &c.rules, T("2022-07-12 09:00"), NULL, &d);
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM);
    struct alerts v = all_alerts(&c);
    assert_true(v.n == (rc ? v.n : 1) && v.n <= 1);
    if (v.n) assert_int_equal(v.a[0].alarms, 3);
  }
  assert_int_equal(rc, 0);
  assert_int_equal(scan(&c, "2022-07-12 09:00").raised, 0);
  assert_int_equal(all_alerts(&c).n, 1);
  city_done(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(counts_roll_up_the_hierarchy),
      cmocka_unit_test(consecutive_alarms_and_two_methods_make_one_alert),
      cmocka_unit_test(unverified_alert_escalates_verified_one_does_not),
      cmocka_unit_test(verification_timing_and_the_report),
      cmocka_unit_test(allocation_failures_leave_no_half_alert),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
