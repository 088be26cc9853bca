/*
 * Alerts (预警信号) as JSON, shared by `fangkong alert list --format json` and GET /v1/alerts:
 * which alerts (the filters, and the token's node), and each alert with why it fired, who has
 * it (masked), its verification, its alarms and escalations.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alerts.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "fangkong/table.h"
#include "fangkong/token_store.h"
#include "present/present.h"

static void json_str(FILE *out, const char *s)
{
  fk_json_string(out, s, strlen(s));
}

/* A string, or null when it is empty. */
static void json_text(FILE *out, const char *s)
{
  if (s[0])
    json_str(out, s);
  else
    fputs("null", out);
}

static void json_num(FILE *out, double v)
{
  if (isfinite(v))
    fprintf(out, "%.10g", v);
  else
    fputs("null", out);
}

/* The officer's name and phone, masked, into mn and mp; "" stays "". */
static void masked(const char *name, const char *phone, char *mn, size_t mns, char *mp, size_t mps)
{
  fk_mask_name(name, strlen(name), mn, mns);
  fk_mask_phone(phone, strlen(phone), mp, mps);
  if (!name[0]) mn[0] = '\0';
  if (!phone[0]) mp[0] = '\0';
}

struct printing {
  FILE *out;
  int n;
  struct fk_store *st; /* for print_listed */
};

static int print_escalation(void *arg, const struct fk_escalation_row *e)
{
  struct printing *p = arg;
  char at[FK_TIME_BUFSZ], officer[96], phone[32];
  masked(e->officer, e->phone, officer, sizeof officer, phone, sizeof phone);
  fprintf(p->out, "%s{\"level\":", p->n++ ? "," : "");
  json_str(p->out, fk_levels[e->level]);
  fputs(",\"at\":", p->out);
  json_str(p->out, fk_time_format(e->at, at));
  fputs(",\"unit\":", p->out);
  json_str(p->out, e->unit);
  fputs(",\"officer\":", p->out);
  json_text(p->out, officer);
  fputs(",\"phone\":", p->out);
  json_text(p->out, phone);
  fputs("}", p->out);
  return 0;
}

static int print_alarm(void *arg, const struct fk_alarm_row *al)
{
  struct printing *p = arg;
  char d[FK_DATE_BUFSZ];
  fprintf(p->out, "%s{\"date\":\"%s\",\"method\":", p->n++ ? "," : "", fk_date_format(al->date, d));
  json_str(p->out, fk_detect_method_name((enum fk_detect_method)al->method));
  fprintf(p->out, ",\"observed\":%.10g,\"expected\":", al->observed);
  json_num(p->out, al->expected);
  fputs(",\"upperbound\":", p->out);
  json_num(p->out, al->upperbound);
  fputs("}", p->out);
  return 0;
}

/* What fired it: the region, the first alarm's method, observed count, baseline, threshold. */
static void print_why(FILE *out, const struct fk_alert_row *a)
{
  char d[FK_DATE_BUFSZ];
  fprintf(out, "{\"alert_id\":%lld,\"channel\":", (long long)a->id);
  json_str(out, a->channel);
  fputs(",\"region\":", out);
  json_str(out, a->region_code);
  fputs(",\"region_level\":", out);
  json_str(out, fk_levels[a->region_level]);
  fputs(",\"method\":", out);
  json_str(out, fk_detect_method_name((enum fk_detect_method)a->method));
  fprintf(out, ",\"first_date\":\"%s\"", fk_date_format(a->first, d));
  fprintf(out, ",\"last_date\":\"%s\",\"observed\":%.10g,\"expected\":", fk_date_format(a->last, d),
          a->observed);
  json_num(out, a->expected);
  fputs(",\"upperbound\":", out);
  json_num(out, a->upperbound);
}

int fk__alert_print_json(FILE *out, struct fk_store *st, const struct fk_alert_row *a)
{
  struct printing p = {out, 0, st};
  char t[FK_TIME_BUFSZ], officer[96], phone[32];
  int rc;
  assert(out && st && a);
  masked(a->officer, a->phone, officer, sizeof officer, phone, sizeof phone);
  print_why(out, a);
  fprintf(out, ",\"created_at\":\"%s\"", fk_time_format(a->created, t));
  fprintf(out, ",\"due_at\":\"%s\",\"officer\":", fk_time_format(a->due, t));
  json_text(out, officer);
  fputs(",\"phone\":", out);
  json_text(out, phone);
  fputs(",\"status\":", out);
  json_str(out, fk_alert_statuses[a->status]);
  fputs(",\"level\":", out);
  json_str(out, fk_levels[a->level]);
  fputs(",\"verified_at\":", out);
  json_text(out, a->verified != FK_TIME_NONE ? fk_time_format(a->verified, t) : "");
  fputs(",\"hours_to_verify\":", out);
  json_num(out, a->verified != FK_TIME_NONE ? (double)(a->verified - a->created) / 3600.0 : NAN);
  fputs(",\"note\":", out);
  json_text(out, a->note);
  fputs(",\"alarms\":[", out);
  rc = fk_store_each_alarm(st, a->id, print_alarm, &p);
  fputs("],\"escalations\":[", out);
  p.n = 0;
  if (!rc) rc = fk_store_each_alert_escalation(st, a->id, print_escalation, &p);
  fputs("]}", out);
  return rc;
}

int fk__alert_query_parse(struct fk_store *st, const struct fk__alert_args *args,
                          struct fk__alert_query *q, char *why, size_t whysz)
{
  int rc;
  assert(st && args && q && why && whysz);
  memset(q, 0, sizeof *q);
  q->status = q->level = -1;
  q->region = -1;
  q->since = FK_TIME_NONE;
  q->channel = args->channel;
  why[0] = '\0';
  if (args->status && (q->status = fk_vocab_index(fk_alert_statuses, args->status)) < 0)
    return snprintf(why, whysz, "status: one of open, outbreak, not_outbreak, watch"), FK_EINVAL;
  if (args->level && (q->level = fk_vocab_index(fk_levels, args->level)) < 0)
    return snprintf(why, whysz, "level: one of city, district, street, community, grid"), FK_EINVAL;
  if (args->since && fk_time_parse(args->since, strlen(args->since), &q->since, NULL))
    return snprintf(why, whysz, "since: must be an ISO 8601 time with its offset"), FK_EINVAL;
  if (!args->region) return 0;
  if (!strcmp(args->region, "city")) return q->region = 0, 0;
  if ((rc = fk_store_region_by_code(st, args->region, &q->region, NULL))) return rc;
  if (!q->region)
    return snprintf(why, whysz,
                    "region: no region %.200s (a grid_id, a name path such as "
                    "/小店区/坞城街道, or city)",
                    args->region),
           FK_EINVAL;
  return 0;
}

struct selecting {
  struct fk_store *st;
  const struct fk__alert_query *q;
  int (*fn)(void *arg, const struct fk_alert_row *a);
  void *arg;
};

/* Passes a on when it stands at the asked level and lies in the asked region and the node. */
static int select_one(void *arg, const struct fk_alert_row *a)
{
  struct selecting *s = arg;
  int in = 1, rc = 0;
  if (s->q->level >= 0 && a->level != s->q->level) return 0;
  if (s->q->region >= 0 && (rc = fk_store_region_in(s->st, a->region, s->q->region, &in)))
    return rc;
  if (in && (rc = fk_store_region_in(s->st, a->region, s->q->scope, &in))) return rc;
  return in ? s->fn(s->arg, a) : 0;
}

int fk__alerts_each(struct fk_store *st, const struct fk__alert_query *q,
                    int (*fn)(void *arg, const struct fk_alert_row *a), void *arg)
{
  struct fk_alert_filter f = {0, q->status, q->channel, -1, 0, 0};
  struct selecting s = {st, q, fn, arg};
  assert(st && q && fn);
  if (q->since != FK_TIME_NONE) f.created_from = q->since, f.created_to = INT64_MAX;
  return fk_store_each_alert(st, &f, select_one, &s);
}

static int print_listed(void *arg, const struct fk_alert_row *a)
{
  struct printing *p = arg;
  fprintf(p->out, "%s\n", p->n++ ? "," : "");
  return fk__alert_print_json(p->out, p->st, a);
}

int fk__alerts_print_json(FILE *out, struct fk_store *st, const struct fk__alert_query *q)
{
  struct printing p = {out, 0, st};
  int rc;
  assert(out && st && q);
  fputs("[", out);
  rc = fk__alerts_each(st, q, print_listed, &p);
  fputs(p.n ? "\n]\n" : "]\n", out);
  return rc;
}
