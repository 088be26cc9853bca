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
#include "present/present.h"

static const char help[] =
    "usage: fangkong alert scan --now T [--db PATH] [--rules FILE]\n"
    "       fangkong alert list [--status S] [--level L] [--channel C] [--region R] [--since T]\n"
    "                           [--format json|text] [--db PATH]\n"
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
    "(排除) or watch (持续关注). Filters: --status, --level (where the alert stands now: city,\n"
    "district, street ...), --channel, --region (a region code or grid_id: alerts there or under\n"
    "it; city), --since T (raised at or after T). JSON is GET /v1/alerts's too.\n"
    "`verify` records the judgement and the time it took; an alert may be judged again (its first\n"
    "verification time stays).\n"
    "`report` gives, for alerts raised from D to D, by channel and in total: signals, verified,\n"
    "share verified in time (及时核实率) and median hours to verify, as CIDARS publishes.\n"
    "\n"
    "Exit status: 0, 1 on error, 2 on wrong usage.\n";

static void masked(const char *name, const char *phone, char *mn, size_t mns, char *mp, size_t mps)
{
  fk_mask_name(name, strlen(name), mn, mns);
  fk_mask_phone(phone, strlen(phone), mp, mps);
}

/* "pharmacy_fever 57 on /小店区/北营街道, threshold 44.62 (baseline 12.14), ears-c2" */
static void why(const struct fk_alert_row *a, char *out, size_t size)
{
  char base[48] = "no baseline";
  if (isfinite(a->expected)) snprintf(base, sizeof base, "baseline %.2f", a->expected);
  snprintf(out, size, "%s %.0f on %s, threshold %.2f (%s), %s", a->channel, a->observed,
           a->region_code, a->upperbound, base,
           fk_detect_method_name((enum fk_detect_method)a->method));
}

/* Adds alert a as a row of the table arg. */
static int list_text(void *arg, const struct fk_alert_row *a)
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
  return fk_table_add(arg, row);
}

static int status_of(const char *s)
{
  int i = fk_vocab_index(fk_alert_statuses, s);
  return i < 0 ? -2 : i;
}

static int alert_list(struct fk_store *st, const struct fk__alert_args *args, const char *format)
{
  static const char *const cols[] = {"alert_id",   "channel",   "region", "region_level",
                                     "first_date", "last_date", "raised", "officer",
                                     "status",     "standing",  "hours",  "why"};
  struct fk__alert_query q;
  struct fk_table *tab;
  char bad[512];
  int rc = fk__alert_query_parse(st, args, &q, bad, sizeof bad);
  if (rc == FK_EINVAL) return fk__usage("alert", "--%s", bad);
  if (rc) return fk__fail("listing alerts: %s", fk_store_errmsg(st));
  if (!strcmp(format, "json")) {
    rc = fk__alerts_print_json(stdout, st, &q);
  } else {
    if (!(tab = fk_table_new(12, cols))) return fk__fail("out of memory");
    rc = fk__alerts_each(st, &q, list_text, tab);
    if (!rc) fk_table_print(tab, FK_FORMAT_TABLE, "alerts (预警信号)", stdout);
    fk_table_free(tab);
  }
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
  const char *db = FK_DEFAULT_DB, *rules = NULL, *format = NULL, *now_text = NULL, *as = NULL,
             *note = NULL, *from = NULL, *to = NULL, *pos[1] = {NULL};
  struct fk__alert_args filters = {NULL, NULL, NULL, NULL, NULL};
  struct fk__opt opts[] = {{"--db", &db, NULL},
                           {"--rules", &rules, NULL},
                           {"--status", &filters.status, NULL},
                           {"--level", &filters.level, NULL},
                           {"--channel", &filters.channel, NULL},
                           {"--region", &filters.region, NULL},
                           {"--since", &filters.since, NULL},
                           {"--format", &format, NULL},
                           {"--now", &now_text, NULL},
                           {"--as", &as, NULL},
                           {"--note", &note, NULL},
                           {"--from", &from, NULL},
                           {"--to", &to, NULL},
                           {0}};
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
    rc = alert_list(t.st, &filters, format ? format : "text");
  else if (verify)
    rc = alert_verify(&t, npos ? pos[0] : NULL, as, note, now);
  else
    rc = alert_report(&t, from, to, format);
out:
  fk__traced_close(&t);
  return rc;
}
