/*
 * An alert's life after it is raised (see fangkong/alerts.h): escalation while unverified, the
 * verification, and the response report CIDARS publishes.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alerts.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "loop/escalate.h"

struct rows {
  struct fk_alert_row *a;
  size_t n, cap;
};

static int collect(void *arg, const struct fk_alert_row *a)
{
  struct rows *r = arg;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    struct fk_alert_row *p = fk_realloc(r->a, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    r->a = p, r->cap = cap;
  }
  r->a[r->n++] = *a;
  return 0;
}

/* Escalates the collected open alerts past due; the caller holds the transaction. */
static int escalate_all(struct fk_store *st, const struct fk_rules *rules, struct rows *r,
                        fk_time now, struct fk_alerts_stats *stats, struct fk_diag *diag)
{
  struct fk__chains *cs = fk__chains_new();
  int rc = cs ? 0 : FK_ENOMEM;
  for (size_t i = 0; !rc && i < r->n; i++) {
    struct fk_alert_row *a = &r->a[i];
    int level = a->level;
    if (now <= a->due) continue;
    rc = fk__escalate(st, cs, &rules->loop.escalation, a->id, a->region, &a->level, a->due, now,
                      fk_store_put_alert_escalation, &stats->escalations, diag);
    if (!rc && a->level != level) rc = fk_store_put_alert(st, a, diag);
  }
  fk__chains_free(cs);
  return rc;
}

int fk_alerts_advance(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                      struct fk_alerts_stats *stats, struct fk_diag *diag)
{
  struct rows r = {0};
  struct fk_alerts_stats none;
  struct fk_alert_filter f = {0, FK_ALERT_OPEN, NULL, -1, 0, 0};
  int rc;
  if (!stats) stats = &none;
  if (!(rules->sections & FK_RULES_HAS_LOOP)) return 0; /* no escalation section */
  if ((rc = fk_store_each_alert(st, &f, collect, &r)) || !r.n) goto out;
  if ((rc = fk_store_begin(st))) goto out;
  rc = escalate_all(st, rules, &r, now, stats, diag);
  rc = rc ? (fk_store_rollback(st), rc) : fk_store_commit(st);
out:
  fk_free(r.a);
  return rc;
}

int fk_alert_verify(struct fk_store *st, int64_t id, enum fk_alert_status status, const char *note,
                    fk_time now, struct fk_diag *diag)
{
  struct rows r = {0};
  struct fk_alert_filter f = {id, -1, NULL, -1, 0, 0};
  int rc;
  if (status <= FK_ALERT_OPEN || status >= FK_ALERT_NSTATUS)
    return fk_diag_set(diag, FK_EINVAL, "as", "verify as outbreak, not_outbreak or watch");
  if ((rc = fk_store_each_alert(st, &f, collect, &r))) goto out;
  if (r.n != 1) {
    rc = fk_diag_set(diag, FK_ENOTFOUND, NULL, "no alert %lld", (long long)id);
    goto out;
  }
  struct fk_alert_row *a = &r.a[0];
  if (now < a->created) {
    rc = fk_diag_set(diag, FK_EINVAL, "now", "the alert was raised after that time");
    goto out;
  }
  a->status = status;
  if (a->verified == FK_TIME_NONE) a->verified = now;
  if (note) snprintf(a->note, sizeof a->note, "%s", note);
  rc = fk_store_put_alert(st, a, diag);
out:
  fk_free(r.a);
  return rc;
}

/* What the report needs of one alert. */
struct judged {
  const char *channel; /* into the collected rows */
  double hours;        /* to verify; NaN when not verified */
  int in_time, outbreak;
};

static int by_channel(const void *a, const void *b)
{
  return strcmp(((const struct judged *)a)->channel, ((const struct judged *)b)->channel);
}

static int by_value(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The figures of j[0..n) into *out; hours is scratch of n doubles. */
static void figures(const struct judged *j, size_t n, double *hours, struct fk_alert_report *out)
{
  size_t nh = 0;
  for (size_t i = 0; i < n; i++) {
    out->signals++;
    out->in_time += j[i].in_time;
    out->outbreaks += j[i].outbreak;
    if (!isnan(j[i].hours)) hours[nh++] = j[i].hours;
  }
  out->verified = (long)nh;
  out->share_in_time = n ? (double)out->in_time / (double)n : NAN;
  qsort(hours, nh, sizeof *hours, by_value);
  out->median_hours = !nh ? NAN : nh % 2 ? hours[nh / 2] : (hours[nh / 2 - 1] + hours[nh / 2]) / 2;
}

int fk_alerts_report(struct fk_store *st, const struct fk_rules *rules, fk_date from, fk_date to,
                     struct fk_alert_report **rows, size_t *n, struct fk_diag *diag)
{
  struct rows r = {0};
  struct fk_alert_filter f = {0, -1, NULL, -1, fk_date_start(from), fk_date_start(to + 1)};
  struct judged *j = NULL;
  double *hours = NULL;
  struct fk_alert_report *out = NULL;
  size_t nout = 0;
  int rc;
  assert(st && rules && rows && n);
  *rows = NULL, *n = 0;
  (void)diag;
  if ((rc = fk_store_each_alert(st, &f, collect, &r))) goto out;
  j = fk_calloc(r.n + 1, sizeof *j);
  hours = fk_calloc(r.n + 1, sizeof *hours);
  out = fk_calloc(r.n + 1, sizeof *out);
  if (!j || !hours || !out) {
    rc = FK_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < r.n; i++) {
    const struct fk_alert_row *a = &r.a[i];
    double h = a->verified == FK_TIME_NONE ? NAN : (double)(a->verified - a->created) / 3600.0;
    j[i] = (struct judged){a->channel, h, !isnan(h) && h <= rules->alerts.verify_hours,
                           a->status == FK_ALERT_OUTBREAK};
  }
  qsort(j, r.n, sizeof *j, by_channel);
  for (size_t i = 0, k; i < r.n; i = k) {
    for (k = i; k < r.n && !strcmp(j[k].channel, j[i].channel); k++)
      ;
    snprintf(out[nout].channel, sizeof out[nout].channel, "%s", j[i].channel);
    figures(j + i, k - i, hours, &out[nout++]);
  }
  figures(j, r.n, hours, &out[nout++]); /* the total, channel "" */
  *rows = out, *n = nout, out = NULL;
out:
  fk_free(out);
  fk_free(hours);
  fk_free(j);
  fk_free(r.a);
  return rc;
}
