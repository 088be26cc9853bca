/*
 * The tick (see fangkong/loop.h): trace what is new, apply the measures with their tasks, then
 * advance and escalate the open tasks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/companion.h"
#include "fangkong/loop.h"
#include "fangkong/site_store.h"
#include "fangkong/trace.h"

struct pending {
  struct fk_store *st;
  const struct fk_rules *rules;
  fk_time now;
  int64_t *person;
  fk_time *end;
  size_t n, cap;
};

/* Keeps a case known by now whose window end differs from the one it was last traced over. */
static int pending_case(void *arg, const struct fk_case_row *row)
{
  struct pending *p = arg;
  fk_time start, end, traced;
  if (row->sampled > p->now) return 0;
  fk_case_window(row, p->rules->trace.window_days, p->now, &start, &end);
  int rc = fk_store_case_traced(p->st, row->person, &traced);
  if (rc || traced == end) return rc;
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 64;
    int64_t *a = fk_realloc(p->person, cap * sizeof *a);
    if (!a) return FK_ENOMEM;
    p->person = a;
    fk_time *b = fk_realloc(p->end, cap * sizeof *b);
    if (!b) return FK_ENOMEM;
    p->end = b;
    p->cap = cap;
  }
  p->person[p->n] = row->person;
  p->end[p->n++] = end;
  return 0;
}

/* The companion index over the store's pings when the rules place companions and there are
 * pings (*out stays NULL otherwise). Built only on a tick with cases to trace. */
static int companion_index(struct fk_store *st, const struct fk_rules *rules,
                           struct fk_companion_index **out, struct fk_diag *diag)
{
  struct fk_companion_index_stats s;
  if (!rules->measures[FK_PERSON_COMPANION].applies) return 0;
  int rc = fk_companion_index_build(st, rules, out, diag);
  if (rc) return rc;
  fk_companion_index_stats(*out, &s);
  if (!s.pings) {
    fk_companion_index_free(*out);
    *out = NULL;
  }
  return 0;
}

struct hook {
  struct fk_store *st;
  const struct fk_rules *rules;
  fk_time now;
  struct fk_tasks_stats *stats;
  struct fk_diag *diag;
};

static int written(void *arg, const struct fk_measure_row *m, int was_new)
{
  struct hook *h = arg;
  return fk_tasks_sync(h->st, h->rules, m, was_new, h->now, h->stats, h->diag);
}

struct stays {
  struct fk_stay *s;
  size_t n, cap;
};

static int keep_stay(void *arg, const struct fk_stay *s)
{
  struct stays *v = arg;
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    struct fk_stay *p = fk_realloc(v->s, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    v->s = p;
    v->cap = cap;
  }
  v->s[v->n++] = *s;
  return 0;
}

/* Keeps the stays of every case to trace over its window, for risk areas: one transaction. */
static int keep_case_stays(struct fk_store *st, const struct fk_trace_index *ix,
                           const struct pending *p)
{
  struct stays v = {0};
  int rc = fk_store_begin(st);
  for (size_t i = 0; !rc && i < p->n; i++) {
    fk_time start, end;
    v.n = 0;
    rc = fk_trace_window(ix, p->person[i], p->now, &start, &end);
    if (rc == FK_ENOTFOUND) { /* not in the index: no stays */
      rc = fk_store_put_case_stays(st, p->person[i], NULL, 0);
      continue;
    }
    if (!rc) rc = fk_trace_each_stay(ix, p->person[i], start, end, keep_stay, &v);
    if (!rc) rc = fk_store_put_case_stays(st, p->person[i], v.s, v.n);
  }
  fk_free(v.s);
  return fk_store_end(st, rc);
}

/* Open transfer tasks, and the persons in a room now (sorted), to close the first by the second. */
struct transfers {
  struct fk_task_row *t;
  size_t n, cap;
  int64_t *housed;
  size_t nh, caph;
};

static int open_transfer(void *arg, const struct fk_task_row *t)
{
  struct transfers *x = arg;
  if (t->kind != FK_TASK_TRANSFER) return 0;
  if (x->n == x->cap) {
    size_t cap = x->cap ? x->cap * 2 : 64;
    struct fk_task_row *p = fk_realloc(x->t, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    x->t = p;
    x->cap = cap;
  }
  x->t[x->n++] = *t;
  return 0;
}

static int housed(void *arg, const struct fk_stay_row *s)
{
  struct transfers *x = arg;
  if (x->nh == x->caph) {
    size_t cap = x->caph ? x->caph * 2 : 64;
    int64_t *p = fk_realloc(x->housed, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    x->housed = p;
    x->caph = cap;
  }
  x->housed[x->nh++] = s->person;
  return 0;
}

static int cmp_i64(const void *a, const void *b)
{
  int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;
  return p < q ? -1 : p > q;
}

/* An open transfer is done once the person has a room (found in one pass over the open stays;
 * the room named from the person's stay). */
static int close_transfers(struct hook *h)
{
  struct transfers x = {0};
  int rc = fk_store_each_task(h->st, &(struct fk_task_filter){0, 0, 0, 1, -1, NULL, 0},
                              open_transfer, &x);
  if (!rc && x.n) rc = fk_store_each_stay(h->st, FK_STAYS_OPEN, 0, 0, 0, housed, &x);
  if (x.nh) qsort(x.housed, x.nh, sizeof *x.housed, cmp_i64);
  for (size_t i = 0; !rc && i < x.n; i++) {
    struct fk_task_row *t = &x.t[i];
    struct fk_site_stay s;
    if (!x.nh || !bsearch(&t->person, x.housed, x.nh, sizeof *x.housed, cmp_i64)) continue;
    if ((rc = fk_sites_stay_of(h->st, t->person, h->now, &s, h->diag))) break;
    if (s.waiting || s.from < t->created) continue;
    t->status = FK_TSTATUS_DONE;
    t->closed = h->now;
    snprintf(t->proof, sizeof t->proof, "room %.50s at %.50s", s.room_id, s.site_id);
    h->stats->done_auto++;
    rc = fk_store_put_task(h->st, t, h->diag);
  }
  fk_free(x.t);
  fk_free(x.housed);
  return rc;
}

/* Records the windows traced, advances the open tasks and records the tick: one transaction. */
static int finish(struct fk_store *st, const struct fk_rules *rules, const struct pending *p,
                  struct fk_tick_stats *stats, struct fk_diag *diag)
{
  int rc = fk_store_begin(st);
  if (rc) return rc;
  for (size_t i = 0; !rc && i < p->n; i++)
    rc = fk_store_put_case_traced(st, p->person[i], p->end[i], p->now);
  struct hook h = {st, rules, p->now, &stats->tasks, diag};
  if (!rc) rc = close_transfers(&h);
  if (!rc) rc = fk_tasks_advance(st, rules, p->now, &stats->tasks, diag);
  if (!rc) rc = fk_store_put_tick(st, p->now, rules->name);
  return fk_store_end(st, rc);
}

int fk_tick(struct fk_store *st, struct fk_trace_index **ix, const struct fk_rules *rules,
            fk_time now, struct fk_tick_stats *stats, struct fk_diag *diag)
{
  struct pending p = {st, rules, now, NULL, NULL, 0, 0};
  struct fk_tick_stats none;
  struct fk_companion_index *cx = NULL;
  static int64_t no_case;
  int rc;
  if (!stats) stats = &none;
  memset(stats, 0, sizeof *stats);
  rc = fk_store_each_case(st, pending_case, &p);
  if (!rc && p.n)
    rc = *ix ? fk_trace_index_refresh(*ix, st, NULL, diag)
             : fk_trace_index_build(st, rules, ix, diag);
  if (!rc && p.n) rc = keep_case_stays(st, *ix, &p);
  if (!rc && (rules->sections & FK_RULES_HAS_AREAS))
    rc = fk_areas_update_traced(st, rules, now, &stats->areas, diag);
  if (!rc) {
    struct hook h = {st, rules, now, &stats->tasks, diag};
    struct fk_measures_opts o = {p.n ? p.person : &no_case, p.n, written, &h, NULL};
    if (p.n && (rc = companion_index(st, rules, &cx, diag))) goto out;
    o.companions = cx;
    stats->traced = (long)p.n;
    rc = fk_measures_apply_opts(st, p.n ? *ix : NULL, rules, now, &o, &stats->measures, diag);
  }
  if (!rc) rc = fk_sites_allocate(st, rules, now, &stats->sites, diag);
out:
  if (!rc) rc = finish(st, rules, &p, stats, diag);
  if (!rc) rc = fk_alerts_advance(st, rules, now, &stats->alerts, diag);
  fk_store_fail(st, rc, diag, "tick");
  fk_companion_index_free(cx);
  fk_free(p.person);
  fk_free(p.end);
  return rc;
}
