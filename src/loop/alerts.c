/*
 * The alert scan (see fangkong/alerts.h): the rules' methods over each watched channel and
 * level, and each alarm joined to the open alert of its channel and region or raising one.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alerts.h"
#include "fangkong/alloc.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "fangkong/signals.h"

/* An alarm found by the scan, before it is joined or raised. */
struct found {
  const char *channel; /* the rule's (borrowed) */
  int64_t region;
  int level;
  char code[168];
  struct fk_alarm_row al;
};

struct alarms {
  struct found *a;
  size_t n, cap;
};

static int keep(struct alarms *v, const struct found *f)
{
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    struct found *p = fk_realloc(v->a, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    v->a = p, v->cap = cap;
  }
  v->a[v->n++] = *f;
  return 0;
}

/* The first point with a count in any series of c (c->n when none): the channel's counts begin
 * there, and the days before are unknown, not zero. */
static size_t first_count(const struct fk_counts *c)
{
  size_t first = c->n;
  for (size_t i = 0; i < c->nseries; i++)
    for (size_t t = 0; t < first; t++)
      if (c->series[i].observed[t] > 0) first = t;
  return first;
}

/* Runs every method of src over the series of c from point `from` on; keeps the alarms. */
static int detect(const struct fk_alert_source *src, int level, const struct fk_counts *c,
                  const int64_t *ids, size_t from, struct alarms *v, struct fk_diag *diag)
{
  size_t f0 = first_count(c);
  if (from < f0) from = f0;
  if (from >= c->n) return 0;
  size_t len = c->n - from;
  struct fk_detect_point *pt = fk_calloc(len, sizeof *pt);
  int rc = pt ? 0 : FK_ENOMEM;
  for (size_t i = 0; !rc && i < c->nseries; i++)
    for (int m = 0; !rc && m < src->nmethods; m++) {
      const struct fk_alert_method *am = &src->methods[m];
      struct fk_series s = {c->series[i].observed + f0, c->n - f0,
                            c->start + (fk_date)(f0 * (size_t)c->step), c->step};
      if ((rc = fk_detect_run((enum fk_detect_method)am->method, &s, &am->params, from - f0,
                              s.n - 1, pt, diag)))
        break;
      for (size_t t = 0; !rc && t < len; t++) {
        if (!pt[t].alarm) continue;
        struct found f = {src->channel,
                          ids[i],
                          level,
                          "",
                          {0, c->start + (fk_date)(from + t), am->method,
                           c->series[i].observed[from + t], pt[t].expected, pt[t].upperbound,
                           pt[t].score}};
        snprintf(f.code, sizeof f.code, "%s", c->series[i].region_id);
        rc = keep(v, &f);
      }
    }
  fk_free(pt);
  return rc;
}

/* Scans one channel at one level over the days first..last with history from hist. */
static int scan_level(struct fk_store *st, const struct fk_alert_source *src, int level,
                      fk_date hist, fk_date first, fk_date last, struct alarms *v,
                      struct fk_alerts_stats *stats, struct fk_diag *diag)
{
  struct fk_counts *c = NULL;
  int64_t *ids = NULL;
  struct fk_diag quiet;
  fk_diag_clear(&quiet);
  int rc = fk_signal_counts(st, src->channel, level, hist, last, &c, &ids, &quiet);
  if (rc == FK_ENOTFOUND) return 0; /* nothing counted: nothing to detect */
  if (rc) return fk_diag_set(diag, rc, "channel", "%s: %s", src->channel, quiet.reason);
  stats->series += (long)c->nseries;
  rc = detect(src, level, c, ids, (size_t)(first - hist), v, diag);
  fk_counts_free(c);
  fk_free(ids);
  return rc;
}

static int by_series(const void *a, const void *b)
{
  const struct found *x = a, *y = b;
  int k = strcmp(x->channel, y->channel);
  if (k) return k;
  if (x->region != y->region) return x->region < y->region ? -1 : 1;
  if (x->level != y->level) return x->level - y->level;
  if (x->al.date != y->al.date) return x->al.date < y->al.date ? -1 : 1;
  return x->al.method - y->al.method;
}

static int same_series(const struct found *x, const struct found *y)
{
  return !strcmp(x->channel, y->channel) && x->region == y->region;
}

static int latest(void *arg, const struct fk_alert_row *a)
{
  *(struct fk_alert_row *)arg = *a; /* id order: the last one given is the latest */
  return 0;
}

/* Raises a new alert for alarm f, to the officer on duty for its region now. */
static int raise_alert(struct fk_store *st, const struct fk_alert_rules *ar, const struct found *f,
                       fk_time now, struct fk_alert_row *a, struct fk_diag *diag)
{
  memset(a, 0, sizeof *a);
  snprintf(a->channel, sizeof a->channel, "%s", f->channel);
  snprintf(a->region_code, sizeof a->region_code, "%s", f->code);
  a->region = f->region;
  a->region_level = a->level = f->level;
  a->method = f->al.method;
  a->first = a->last = f->al.date;
  a->observed = f->al.observed, a->expected = f->al.expected, a->upperbound = f->al.upperbound;
  a->alarms = 1;
  a->created = now;
  a->due = now + 3600 * (fk_time)ar->verify_hours;
  a->status = FK_ALERT_OPEN;
  a->verified = FK_TIME_NONE;
  int rc =
      fk_store_duty_at(st, f->code, now, a->officer, sizeof a->officer, a->phone, sizeof a->phone);
  if (!rc) rc = fk_store_put_alert(st, a, diag);
  struct fk_alarm_row al = f->al;
  al.alert = a->id;
  return rc ? rc : fk_store_put_alarm(st, &al, NULL, diag);
}

/* Joins alarm f to alert a (when not there already), widening its dates. */
static int join(struct fk_store *st, const struct found *f, struct fk_alert_row *a,
                struct fk_alerts_stats *stats, struct fk_diag *diag)
{
  struct fk_alarm_row al = f->al;
  int added = 0, rc;
  al.alert = a->id;
  if ((rc = fk_store_put_alarm(st, &al, &added, diag))) return rc;
  if (!added) return stats->known++, 0;
  stats->joined++;
  a->alarms++;
  if (f->al.date < a->first) a->first = f->al.date;
  if (f->al.date > a->last) a->last = f->al.date;
  return fk_store_put_alert(st, a, diag);
}

/* Joins or raises each alarm, in series order: cur is the latest alert of the current series. */
static int settle(struct fk_store *st, const struct fk_alert_rules *ar, struct alarms *v,
                  fk_time now, struct fk_alerts_stats *stats, struct fk_diag *diag)
{
  struct fk_alert_row cur;
  int rc = 0;
  qsort(v->a, v->n, sizeof *v->a, by_series);
  for (size_t i = 0; !rc && i < v->n; i++) {
    const struct found *f = &v->a[i];
    if (!i || !same_series(f, &v->a[i - 1])) { /* a new series: its latest alert */
      struct fk_alert_filter q = {0, -1, f->channel, f->region, 0, 0};
      cur.id = 0;
      if ((rc = fk_store_each_alert(st, &q, latest, &cur))) break;
    }
    if (cur.id && cur.status == FK_ALERT_NOT_OUTBREAK && f->al.date <= cur.last)
      stats->known++; /* judged already */
    else if (cur.id && cur.status != FK_ALERT_NOT_OUTBREAK &&
             (cur.status == FK_ALERT_OPEN || f->al.date <= cur.last + ar->join_days))
      rc = join(st, f, &cur, stats, diag);
    else if (!(rc = raise_alert(st, ar, f, now, &cur, diag)))
      stats->raised++;
  }
  return rc;
}

int fk_alerts_scan(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                   struct fk_alerts_stats *stats, struct fk_diag *diag)
{
  const struct fk_alert_rules *ar = &rules->alerts;
  struct fk_alerts_stats none;
  struct alarms v = {0};
  int rc = 0;
  assert(st && rules);
  if (!stats) stats = &none;
  memset(stats, 0, sizeof *stats);
  if (!(rules->sections & FK_RULES_HAS_ALERTS))
    return fk_diag_set(diag, FK_EINVAL, "alerts", "the rules have no alerts section");
  fk_date today = fk_time_date(now), first = today - ar->scan_days, last = today - 1;
  fk_date hist = first - ar->history_days;
  for (int s = 0; !rc && s < ar->nsources; s++)
    for (int l = 0; !rc && l < FK_LEVEL_N; l++)
      if (ar->sources[s].levels[l])
        rc = scan_level(st, &ar->sources[s], l, hist, first, last, &v, stats, diag);
  stats->alarms = (long)v.n;
  if (!rc && v.n && !(rc = fk_store_begin(st))) {
    rc = settle(st, ar, &v, now, stats, diag);
    rc = rc ? (fk_store_rollback(st), rc) : fk_store_commit(st);
  }
  fk_free(v.a);
  if (!rc) rc = fk_alerts_advance(st, rules, now, stats, diag);
  if (rc && diag && !diag->reason[0])
    fk_diag_set(diag, rc, NULL, "alert scan: %s",
                rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  return rc;
}
