/*
 * fangkong alert scan|list|verify|report: alerts (预警信号) from the signal channels, their
 * verification and the response report (fangkong/alerts.h). Officers' names and phones are
 * masked.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/alerts.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "fangkong/table.h"

static const char help[] =
    "usage: fangkong alert scan --now T [--db PATH] [--rules FILE]\n"
    "       fangkong alert list [--status S] [--format json|text] [--db PATH]\n"
    "       fangkong alert verify ID --as outbreak|not_outbreak|watch --now T [--note TEXT]\n"
    "       fangkong alert report --from D --to D [--format table|csv|json] [--db PATH]\n"
    "\n"
    "Alerts (预警信号) from the signal channels (多点触发): fever clinics (发热门诊), pharmacies\n"
    "(药店), schools (因病缺勤), entrances, positive samples and counts.csv channels.\n"
    "`scan` runs the methods the rules' alerts section names for each channel and level over\n"
    "the days before --now; each alarm joins the open alert of its channel and region or raises\n"
    "a new one for the officer on duty (值班人员), who must verify it (核实) within the rules'\n"
    "hours (CIDARS: 24 h); an unverified alert escalates as an overdue task does.\n"
    "`list` shows each alert with why it fired: method, observed, baseline (expected) and\n"
    "threshold (upperbound) of its first alarm; status open, outbreak (暴发), not_outbreak\n"
    "(排除) or watch (持续关注). `verify` records the judgement and the time it took.\n"
    "`report` gives, for alerts raised from D to D, by channel and in total: signals, verified,\n"
    "share verified in time (及时核实率) and median hours to verify, as CIDARS publishes.\n"
    "\n"
    "Exit status: 0, 1 on error, 2 on wrong usage.\n";

static void json_str(const char *s)
{
  fk_json_string(stdout, s, strlen(s));
}

static void json_num(double v)
{
  if (isfinite(v))
    printf("%.10g", v);
  else
    fputs("null", stdout);
}

static void masked(const char *name, const char *phone, char *mn, size_t mns, char *mp, size_t mps)
{
  fk_mask_name(name, strlen(name), mn, mns);
  fk_mask_phone(phone, strlen(phone), mp, mps);
}

static int print_escalation(void *arg, const struct fk_escalation_row *e)
{
  int *n = arg;
  char at[FK_TIME_BUFSZ], officer[96], phone[32];
  masked(e->officer, e->phone, officer, sizeof officer, phone, sizeof phone);
  printf("%s{\"level\":", (*n)++ ? "," : "");
  json_str(fk_levels[e->level]);
  fputs(",\"at\":", stdout);
  json_str(fk_time_format(e->at, at));
  fputs(",\"unit\":", stdout);
  json_str(e->unit);
  fputs(",\"officer\":", stdout);
  e->officer[0] ? json_str(officer) : (void)fputs("null", stdout);
  fputs(",\"phone\":", stdout);
  e->phone[0] ? json_str(phone) : (void)fputs("null", stdout);
  fputs("}", stdout);
  return 0;
}

static int print_alarm(void *arg, const struct fk_alarm_row *al)
{
  int *n = arg;
  char d[FK_DATE_BUFSZ];
  printf("%s{\"date\":\"%s\",\"method\":", (*n)++ ? "," : "", fk_date_format(al->date, d));
  json_str(fk_detect_method_name((enum fk_detect_method)al->method));
  printf(",\"observed\":%.10g,\"expected\":", al->observed);
  json_num(al->expected);
  fputs(",\"upperbound\":", stdout);
  json_num(al->upperbound);
  fputs("}", stdout);
  return 0;
}

struct listing {
  struct fk_store *st;
  int json, n;
  struct fk_table *tab;
};

/* "pharmacy_fever 57 on /小店区/北营街道, threshold 44.62 (baseline 12.14), ears-c2" */
static void why(const struct fk_alert_row *a, char *out, size_t size)
{
  char base[48] = "no baseline";
  if (isfinite(a->expected)) snprintf(base, sizeof base, "baseline %.2f", a->expected);
  snprintf(out, size, "%s %.0f on %s, threshold %.2f (%s), %s", a->channel, a->observed,
           a->region_code, a->upperbound, base,
           fk_detect_method_name((enum fk_detect_method)a->method));
}

static int list_text(struct listing *l, const struct fk_alert_row *a)
{
  char id[24], first[FK_DATE_BUFSZ], last[FK_DATE_BUFSZ], created[FK_TIME_BUFSZ], officer[96],
      phone[32], hours[32] = "", reason[400];
  snprintf(id, sizeof id, "%lld", (long long)a->id);
  masked(a->officer, a->phone, officer, sizeof officer, phone, sizeof phone);
  if (a->verified != FK_TIME_NONE)
    snprintf(hours, sizeof hours, "%.1f", (double)(a->verified - a->created) / 3600.0);
  why(a, reason, sizeof reason);
  const char *row[] = {id,
                       a->channel,
                       a->region_code,
                       fk_levels[a->region_level],
                       fk_date_format(a->first, first),
                       fk_date_format(a->last, last),
                       fk_time_format(a->created, created),
                       a->officer[0] ? officer : "",
                       fk_alert_statuses[a->status],
                       fk_levels[a->level],
                       hours,
                       reason};
  return fk_table_add(l->tab, row);
}

static int list_one(void *arg, const struct fk_alert_row *a)
{
  struct listing *l = arg;
  char d[FK_DATE_BUFSZ], t[FK_TIME_BUFSZ], officer[96], phone[32];
  int n = 0, rc;
  if (!l->json) return list_text(l, a);
  masked(a->officer, a->phone, officer, sizeof officer, phone, sizeof phone);
  printf("%s\n{\"alert_id\":%lld,\"channel\":", l->n++ ? "," : "", (long long)a->id);
  json_str(a->channel);
  fputs(",\"region\":", stdout);
  json_str(a->region_code);
  fputs(",\"region_level\":", stdout);
  json_str(fk_levels[a->region_level]);
  fputs(",\"method\":", stdout);
  json_str(fk_detect_method_name((enum fk_detect_method)a->method));
  printf(",\"first_date\":\"%s\"", fk_date_format(a->first, d));
  printf(",\"last_date\":\"%s\",\"observed\":%.10g,\"expected\":", fk_date_format(a->last, d),
         a->observed);
  json_num(a->expected);
  fputs(",\"upperbound\":", stdout);
  json_num(a->upperbound);
  printf(",\"created_at\":\"%s\"", fk_time_format(a->created, t));
  printf(",\"due_at\":\"%s\",\"officer\":", fk_time_format(a->due, t));
  a->officer[0] ? json_str(officer) : (void)fputs("null", stdout);
  fputs(",\"phone\":", stdout);
  a->phone[0] ? json_str(phone) : (void)fputs("null", stdout);
  fputs(",\"status\":", stdout);
  json_str(fk_alert_statuses[a->status]);
  fputs(",\"level\":", stdout);
  json_str(fk_levels[a->level]);
  fputs(",\"verified_at\":", stdout);
  a->verified != FK_TIME_NONE ? json_str(fk_time_format(a->verified, t))
                              : (void)fputs("null", stdout);
  fputs(",\"hours_to_verify\":", stdout);
  json_num(a->verified != FK_TIME_NONE ? (double)(a->verified - a->created) / 3600.0 : NAN);
  fputs(",\"note\":", stdout);
  a->note[0] ? json_str(a->note) : (void)fputs("null", stdout);
  fputs(",\"alarms\":[", stdout);
  rc = fk_store_each_alarm(l->st, a->id, print_alarm, &n);
  fputs("],\"escalations\":[", stdout);
  n = 0;
  if (!rc) rc = fk_store_each_alert_escalation(l->st, a->id, print_escalation, &n);
  fputs("]}", stdout);
  return rc;
}

static int status_of(const char *s)
{
  for (int i = 0; fk_alert_statuses[i]; i++)
    if (!strcmp(fk_alert_statuses[i], s)) return i;
  return -2;
}

static int alert_list(struct fk_store *st, const char *status, const char *format)
{
  static const char *const cols[] = {"alert_id",   "channel",   "region", "region_level",
                                     "first_date", "last_date", "raised", "officer",
                                     "status",     "standing",  "hours",  "why"};
  struct fk_alert_filter f = {0, status ? status_of(status) : -1, NULL, -1, 0, 0};
  struct listing l = {st, !strcmp(format, "json"), 0, NULL};
  int rc;
  if (f.status == -2)
    return fk__usage("alert", "--status is one of open, outbreak, not_outbreak, watch");
  if (!l.json && !(l.tab = fk_table_new(12, cols))) return fk__fail("out of memory");
  if (l.json) fputs("[", stdout);
  rc = fk_store_each_alert(st, &f, list_one, &l);
  if (l.json) fputs(l.n ? "\n]\n" : "]\n", stdout);
  if (!rc && l.tab) fk_table_print(l.tab, FK_FORMAT_TABLE, "alerts (预警信号)", stdout);
  fk_table_free(l.tab);
  return rc ? fk__fail("listing alerts: %s", fk_store_errmsg(st)) : FK_EXIT_OK;
}

static int alert_report(struct fk__traced *t, const char *from_s, const char *to_s,
                        const char *format)
{
  static const char *const cols[] = {"channel",        "#signals",      "#verified", "#in_time",
                                     "#share_in_time", "#median_hours", "#outbreaks"};
  fk_date from, to;
  enum fk_format fmt = FK_FORMAT_TABLE;
  struct fk_alert_report *r = NULL;
  struct fk_table *tab = NULL;
  struct fk_diag diag;
  size_t n = 0;
  int rc = FK_EXIT_OK;
  if (!from_s || !to_s || fk_date_parse(from_s, strlen(from_s), &from, NULL) ||
      fk_date_parse(to_s, strlen(to_s), &to, NULL) || to < from)
    return fk__usage("alert", "report wants --from D --to D, dates YYYY-MM-DD in order");
  if (format && fk_format_parse(format, &fmt))
    return fk__usage("alert", "--format is table, csv or json");
  fk_diag_clear(&diag);
  if (fk_alerts_report(t->st, &t->rules, from, to, &r, &n, &diag) ||
      !(tab = fk_table_new(7, cols))) {
    rc = fk__fail("report: %s", fk_store_errmsg(t->st));
    goto out;
  }
  for (size_t i = 0; i < n && !rc; i++) {
    char c[5][32], share[32] = "", median[32] = "";
    snprintf(c[0], 32, "%ld", r[i].signals);
    snprintf(c[1], 32, "%ld", r[i].verified);
    snprintf(c[2], 32, "%ld", r[i].in_time);
    snprintf(c[3], 32, "%ld", r[i].outbreaks);
    if (!isnan(r[i].share_in_time)) snprintf(share, sizeof share, "%.4f", r[i].share_in_time);
    if (!isnan(r[i].median_hours)) snprintf(median, sizeof median, "%.2f", r[i].median_hours);
    const char *row[] = {r[i].channel[0] ? r[i].channel : "all",
                         c[0],
                         c[1],
                         c[2],
                         share[0] ? share : NULL,
                         median[0] ? median : NULL,
                         c[3]};
    if (fk_table_add(tab, row)) rc = fk__fail("out of memory");
  }
  if (!rc)
    fk_table_print(
        tab, fmt, "alert response (预警信号响应): signals, verified in time, median hours", stdout);
out:
  fk_table_free(tab);
  fk_free(r);
  return rc;
}

static int alert_scan(struct fk__traced *t, fk_time now)
{
  struct fk_alerts_stats s;
  struct fk_diag diag;
  char msg[1024];
  fk_diag_clear(&diag);
  if (fk_alerts_scan(t->st, &t->rules, now, &s, &diag))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  printf("alert scan (预警扫描): %ld series, %ld alarms; %ld alerts raised, %ld alarms joined "
         "to alerts, %ld known; %ld escalations\n",
         s.series, s.alarms, s.raised, s.joined, s.known, s.escalations);
  return FK_EXIT_OK;
}

static int alert_verify(struct fk__traced *t, const char *id_s, const char *as, const char *note,
                        fk_time now)
{
  struct fk_diag diag;
  char msg[1024];
  long id;
  int st = as ? status_of(as) : -2;
  if (!id_s || fk__parse_long(id_s, 1, INT64_MAX, &id))
    return fk__usage("alert", "name the alert by its number (alert_id)");
  if (st <= FK_ALERT_OPEN) return fk__usage("alert", "--as is outbreak, not_outbreak or watch");
  fk_diag_clear(&diag);
  if (fk_alert_verify(t->st, id, (enum fk_alert_status)st, note, now, &diag))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  return FK_EXIT_OK;
}

int fk__cmd_alert(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules = NULL, *status = NULL, *format = NULL, *now_text = NULL,
             *as = NULL, *note = NULL, *from = NULL, *to = NULL, *pos[1] = {NULL};
  struct fk__opt opts[] = {{"--db", &db, NULL},         {"--rules", &rules, NULL},
                           {"--status", &status, NULL}, {"--format", &format, NULL},
                           {"--now", &now_text, NULL},  {"--as", &as, NULL},
                           {"--note", &note, NULL},     {"--from", &from, NULL},
                           {"--to", &to, NULL},         {0}};
  struct fk__traced t;
  fk_time now = FK_TIME_NONE;
  int rc, npos;
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  const char *sub = argv[1];
  int verify = !strcmp(sub, "verify");
  if (!verify && strcmp(sub, "scan") && strcmp(sub, "list") && strcmp(sub, "report"))
    return fk__usage("alert", "unknown subcommand '%s' (scan, list, verify, report)", sub);
  if ((rc = fk__parse_opts("alert", argc - 1, argv + 1, opts, pos, verify ? 1 : 0, &npos)))
    return rc;
  if ((verify || !strcmp(sub, "scan")) &&
      (!now_text || fk_time_parse(now_text, strlen(now_text), &now, NULL)))
    return fk__usage("alert", "give --now T, an ISO 8601 time with offset");
  if (!strcmp(sub, "list") && format && strcmp(format, "json") && strcmp(format, "text"))
    return fk__usage("alert", "--format is json or text");
  if ((rc = fk__ruled_open(&t, db, rules))) goto out;
  if (!strcmp(sub, "scan"))
    rc = alert_scan(&t, now);
  else if (!strcmp(sub, "list"))
    rc = alert_list(t.st, status, format ? format : "text");
  else if (verify)
    rc = alert_verify(&t, npos ? pos[0] : NULL, as, note, now);
  else
    rc = alert_report(&t, from, to, format);
out:
  fk__traced_close(&t);
  return rc;
}
