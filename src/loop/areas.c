/*
 * Bringing the risk areas up to date (see fk_areas_update in fangkong/areas.h): the new
 * infections inside each grid from the cases and their stays, each grid's countdown, the
 * districts that hold them, and the stored areas rewritten where their history changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/areas.h"
#include "fangkong/tasks.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/measure.h"
#include "fangkong/trace.h"
#include "loop/areas_impl.h"

/* A located grid. */
struct grid_ref {
  int64_t grid;
  char grid_id[FK_AREA_ID];
  char district[FK_AREA_ID];
};

/* Screening results of one grid by day. */
struct day_tally {
  int n, pos, pending;
};

struct upd {
  struct fk_store *st;
  const struct fk_trace_index *ix;
  const struct fk_rules *rules;
  fk_time now;
  fk_date today;
  struct fk_areas_stats *stats;
  struct fk__area_event *ev;
  size_t nev, capev;
  struct grid_ref *g;
  size_t ng, capg;
  struct fk_area_row *out; /* the areas as of now: grids, then districts */
  size_t nout, capout;
  int stored; /* 1: read cases' stays from the store (as the tick kept them) */
  char cid[72];
  const char *case_id; /* the case whose stays are read */
  fk_date known;       /* the day that case was known */
  int64_t sgrid;       /* the grid whose screening is tallied, or 0 */
  fk_date sfrom;
  struct day_tally *sd;
  int nsd;
};

/* Grows *p (of *cap items of size) to hold n + 1. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
  if (n < *cap) return 0;
  size_t c = *cap ? *cap * 2 : 64;
  void *q = fk_realloc(*p, c * size);
  if (!q) return FK_ENOMEM;
  *p = q;
  *cap = c;
  return 0;
}

static int add_event(struct upd *u, int64_t grid, int64_t place, fk_date d, int level,
                     const char *reason)
{
  if (grow((void **)&u->ev, &u->capev, u->nev, sizeof *u->ev)) return FK_ENOMEM;
  struct fk__area_event *e = &u->ev[u->nev++];
  e->grid = grid;
  e->place = place;
  e->date = d;
  e->level = level;
  snprintf(e->reason, sizeof e->reason, "%s", reason);
  return 0;
}

static int add_grid(struct upd *u, const struct fk_location *l)
{
  if (grow((void **)&u->g, &u->capg, u->ng, sizeof *u->g)) return FK_ENOMEM;
  struct grid_ref *g = &u->g[u->ng++];
  g->grid = l->grid;
  snprintf(g->grid_id, sizeof g->grid_id, "%s", l->grid_id);
  snprintf(g->district, sizeof g->district, "%s", l->district);
  return 0;
}

static int stay_event(struct upd *u, const struct fk_stay *s, const char *pid)
{
  const struct fk_area_designation *d = &u->rules->areas.stayed;
  char reason[160], day[FK_DATE_BUFSZ];
  fk_date on = fk_time_date(s->start);
  if (on < u->known) on = u->known; /* designated when the case is known */
  snprintf(reason, sizeof reason, "case %s stayed at %s (%s) on %s", u->case_id, pid ? pid : "?",
           fk_place_kinds[s->kind], fk_date_format(fk_time_date(s->start), day));
  int level = d->used && d->kinds[s->kind] ? (int)d->level : -1;
  return add_event(u, 0, s->place, on, level, reason);
}

static int on_stay(void *arg, const struct fk_stay *s)
{
  struct upd *u = arg;
  return stay_event(u, s, fk_trace_place_id(u->ix, s->place));
}

static int on_stored_stay(void *arg, const struct fk_stay *s, const char *place_id)
{
  return stay_event(arg, s, place_id);
}

/* The case's person_id into u->cid: from the index, else the store. */
static int case_name(struct upd *u, int64_t person)
{
  u->case_id = u->cid;
  return fk_trace_person_name(u->ix, u->st, person, u->cid, sizeof u->cid);
}

static int each_case(void *arg, const struct fk_case_row *row)
{
  struct upd *u = arg;
  struct fk_location l;
  char reason[160], day[FK_DATE_BUFSZ];
  fk_time ws, we;
  if (row->sampled > u->now) return 0; /* not known yet */
  int rc = case_name(u, row->person);
  if (rc) return rc;
  u->known = fk_time_date(row->sampled);
  if (u->stats) u->stats->cases++;
  rc = fk_store_locate(u->st, FK_LOCATE_PERSON, row->person, NULL, &l);
  if (rc) return rc == FK_ENOTFOUND ? 0 : rc;
  snprintf(reason, sizeof reason, "home of case %s (sampled %s)", u->case_id,
           fk_date_format(u->known, day));
  if ((rc = add_grid(u, &l)) ||
      (rc = add_event(u, l.grid, 0, u->known, (int)u->rules->areas.home.level, reason)))
    return rc;
  fk_case_window(row, u->rules->trace.window_days, u->now, &ws, &we);
  if (we > u->now) we = u->now;
  if (u->stored) return fk_store_each_case_stay(u->st, row->person, ws, we, on_stored_stay, u);
  return fk_trace_each_stay(u->ix, row->person, ws, we, on_stay, u);
}

static int by_place(const void *a, const void *b)
{
  const struct fk__area_event *p = a, *q = b;
  return p->place < q->place ? -1 : p->place > q->place;
}

/* Sets the grid of every stay's event, one lookup per place. */
static int locate_places(struct upd *u)
{
  struct fk_location l = {0};
  int rc = 0;
  if (u->nev) qsort(u->ev, u->nev, sizeof *u->ev, by_place);
  for (size_t i = 0; !rc && i < u->nev; i++) {
    if (!u->ev[i].place) continue;
    if (i == 0 || u->ev[i].place != u->ev[i - 1].place) {
      rc = fk_store_locate(u->st, FK_LOCATE_PLACE, u->ev[i].place, NULL, &l);
      if (rc == FK_ENOTFOUND) l.grid = 0, rc = 0;
      if (!rc && l.grid) rc = add_grid(u, &l);
    }
    u->ev[i].grid = l.grid;
  }
  return rc;
}

/* By grid, date, the higher level first, then reason: one order, so one answer. */
static int by_grid(const void *a, const void *b)
{
  const struct fk__area_event *p = a, *q = b;
  if (p->grid != q->grid) return p->grid < q->grid ? -1 : 1;
  if (p->date != q->date) return p->date < q->date ? -1 : 1;
  if (p->level != q->level) return p->level > q->level ? -1 : 1;
  return strcmp(p->reason, q->reason);
}

static int by_ref(const void *a, const void *b)
{
  const struct grid_ref *p = a, *q = b;
  return p->grid < q->grid ? -1 : p->grid > q->grid;
}

static const struct grid_ref *find_grid(const struct upd *u, int64_t grid)
{
  struct grid_ref key = {.grid = grid};
  return u->ng ? bsearch(&key, u->g, u->ng, sizeof *u->g, by_ref) : NULL;
}

static int tally(void *arg, const struct fk_sample_row *s)
{
  struct upd *u = arg;
  int i = fk_time_date(s->sampled) - u->sfrom;
  if (i < 0 || i >= u->nsd) return 0;
  u->sd[i].n++;
  u->sd[i].pos += s->result == 1;
  u->sd[i].pending += s->result == -1;
  return 0;
}

/* The screening callback of fk__area_count: the residents' samples of the grid being counted,
 * tallied by day on first use (from the grid's first infection until yesterday). */
static int screening(void *arg, fk_date d, int *ok, char *why, size_t size)
{
  struct upd *u = arg;
  *ok = 0;
  if (!u->sd) {
    u->nsd = u->today - u->sfrom;
    if (!(u->sd = fk_calloc(u->nsd > 0 ? (size_t)u->nsd : 1, sizeof *u->sd))) return FK_ENOMEM;
    int rc = fk_store_each_grid_sample(u->st, u->sgrid, fk_date_start(u->sfrom),
                                       fk_date_start(u->today), tally, u);
    if (rc) return rc;
  }
  int i = d - u->sfrom;
  const struct day_tally *t = i >= 0 && i < u->nsd ? &u->sd[i] : &(struct day_tally){0, 0, 0};
  *ok = t->n > 0 && !t->pos && !t->pending;
  snprintf(why, size, "%s (%d samples, %d positive, %d pending)",
           *ok    ? "negative"
           : t->n ? "not all negative"
                  : "missing",
           t->n, t->pos, t->pending);
  return 0;
}

static struct fk_area_row *new_area(struct upd *u)
{
  if (grow((void **)&u->out, &u->capout, u->nout, sizeof *u->out)) return NULL;
  struct fk_area_row *a = &u->out[u->nout++];
  memset(a, 0, sizeof *a);
  return a;
}

/* Each grid's countdown over its events e[0..n). */
static int count_grids(struct upd *u)
{
  int rc = 0;
  if (u->nev) qsort(u->ev, u->nev, sizeof *u->ev, by_grid);
  if (u->ng) qsort(u->g, u->ng, sizeof *u->g, by_ref);
  for (size_t i = 0, k; !rc && i < u->nev; i = k) {
    for (k = i; k < u->nev && u->ev[k].grid == u->ev[i].grid;)
      k++;
    const struct grid_ref *g = find_grid(u, u->ev[i].grid);
    if (!g) continue; /* a place with no grid: nothing to designate */
    struct fk_area_row *a = new_area(u);
    if (!a) return FK_ENOMEM;
    a->kind = FK_AREA_GRID;
    snprintf(a->area_id, sizeof a->area_id, "%s", g->grid_id);
    snprintf(a->district, sizeof a->district, "%s", g->district);
    u->sgrid = g->grid;
    u->sfrom = u->ev[i].date;
    rc = fk__area_count(&u->rules->areas, &u->ev[i], (int)(k - i), u->today, screening, u, a);
    fk_free(u->sd);
    u->sd = NULL;
    if (u->stats) u->stats->events += (long)(k - i);
    if (!rc && !a->nspans) u->nout--; /* only restarts, never designated */
  }
  return rc;
}

static int by_district(const void *a, const void *b)
{
  const struct fk_area_row *p = a, *q = b;
  int c = strcmp(p->district, q->district);
  return c ? c : strcmp(p->area_id, q->area_id);
}

/* A stretch of time some grid of a district is above low: [from, to), to NONE if open. */
struct stretch {
  fk_date from, to;
  int level;
  const char *by; /* the grid's area_id */
};

static int by_from(const void *a, const void *b)
{
  const struct stretch *p = a, *q = b;
  return p->from < q->from ? -1 : p->from > q->from;
}

/* Adds stretch s to district d: extends the span in force when they overlap or touch. */
static void add_stretch(struct fk_area_row *d, const struct stretch *s)
{
  char day[FK_DATE_BUFSZ];
  struct fk_area_span *last = d->nspans ? &d->spans[d->nspans - 1] : NULL;
  if (last && (last->to == FK_DATE_NONE || last->to >= s->from)) {
    if (last->to != FK_DATE_NONE && (s->to == FK_DATE_NONE || s->to > last->to)) last->to = s->to;
    return;
  }
  if (d->nspans == FK_AREA_MAXSPANS) { /* the oldest go */
    memmove(d->spans, d->spans + 1, (FK_AREA_MAXSPANS - 1) * sizeof *d->spans);
    d->nspans--;
  }
  struct fk_area_span *sp = &d->spans[d->nspans++];
  sp->level = FK_AREA_LOW;
  sp->from = s->from;
  sp->to = s->to;
  snprintf(sp->reason, sizeof sp->reason, "rest of %s, which holds a %s area from %s (%s)",
           d->district, fk_area_levels[s->level], fk_date_format(s->from, day), s->by);
}

/* The district area of the grid areas g[0..n) (one district): low while one is above low;
 * lifted with the last of them. */
static void district(const struct fk_area_row *g, size_t n, struct stretch *s,
                     struct fk_area_row *d)
{
  size_t ns = 0;
  for (size_t i = 0; i < n; i++)
    for (int j = 0; j < g[i].nspans; j++)
      s[ns++] =
          (struct stretch){g[i].spans[j].from, g[i].spans[j].to, g[i].spans[j].level, g[i].area_id};
  qsort(s, ns, sizeof *s, by_from);
  memset(d, 0, sizeof *d);
  d->kind = FK_AREA_DISTRICT;
  snprintf(d->area_id, sizeof d->area_id, "%s", g[0].district);
  snprintf(d->district, sizeof d->district, "%s", g[0].district);
  d->lifts_on = FK_DATE_NONE;
  for (size_t i = 0; i < ns; i++)
    add_stretch(d, &s[i]);
  if (d->nspans && d->spans[d->nspans - 1].to == FK_DATE_NONE)
    for (size_t i = 0; i < n; i++)
      if (g[i].lifts_on != FK_DATE_NONE &&
          (d->lifts_on == FK_DATE_NONE || g[i].lifts_on > d->lifts_on))
        d->lifts_on = g[i].lifts_on;
}

static int districts(struct upd *u)
{
  size_t ngrids = u->nout, k;
  struct stretch *s = NULL;
  struct fk_area_row *d = NULL;
  int rc = 0;
  if (!ngrids) return 0;
  qsort(u->out, ngrids, sizeof *u->out, by_district);
  s = fk_malloc(ngrids * FK_AREA_MAXSPANS * sizeof *s);
  d = fk_malloc(sizeof *d);
  for (size_t i = 0; s && d && !rc && i < ngrids; i = k) {
    for (k = i; k < ngrids && !strcmp(u->out[k].district, u->out[i].district);)
      k++;
    district(&u->out[i], k - i, s, d);
    struct fk_area_row *a = new_area(u); /* may move u->out: d was built first */
    if (a)
      *a = *d;
    else
      rc = FK_ENOMEM;
  }
  if (!s || !d) rc = FK_ENOMEM;
  fk_free(s);
  fk_free(d);
  return rc;
}

/* 1 when a and b say the same (ids and update times aside). */
static int same_area(const struct fk_area_row *a, const struct fk_area_row *b)
{
  if (a->kind != b->kind || a->lifts_on != b->lifts_on || a->nspans != b->nspans ||
      strcmp(a->district, b->district))
    return 0;
  for (int i = 0; i < a->nspans; i++) {
    const struct fk_area_span *p = &a->spans[i], *q = &b->spans[i];
    if (p->level != q->level || p->from != q->from || p->to != q->to ||
        strcmp(p->reason, q->reason))
      return 0;
  }
  return 1;
}

/* Writes the computed areas that differ from the stored ones (stored: as), and empties the
 * stored areas the data no longer designates. */
static int write_changes(struct upd *u, struct fk_areas *as, struct fk_diag *diag)
{
  int rc = 0;
  for (size_t i = 0; !rc && i < u->nout; i++) {
    struct fk_area_row *a = &u->out[i];
    const struct fk_area_row *found = fk_areas_find(as, a->area_id);
    struct fk_area_row *old = found ? &as->a[found - as->a] : NULL; /* as is ours to mark */
    if (old) {
      old->updated = -1; /* seen */
      if (same_area(old, a)) continue;
      a->id = old->id;
    }
    a->updated = u->now;
    rc = fk_store_put_area(u->st, a, diag);
    if (!rc && u->stats) u->stats->written++;
  }
  for (int i = 0; !rc && i < as->n; i++) {
    struct fk_area_row *old = &as->a[i];
    if (old->updated == -1 || (!old->nspans && old->lifts_on == FK_DATE_NONE)) continue;
    old->nspans = 0;
    old->lifts_on = FK_DATE_NONE;
    old->updated = u->now;
    rc = fk_store_put_area(u->st, old, diag);
    if (!rc && u->stats) u->stats->written++;
  }
  return rc;
}

static void count_in_force(struct upd *u)
{
  u->stats->areas = (long)u->nout;
  for (size_t i = 0; i < u->nout; i++) {
    const struct fk_area_span *s = fk_area_span_at(&u->out[i], u->today);
    if (s) u->stats->in_force[s->level]++;
  }
}

static int update(struct fk_store *st, const struct fk_trace_index *ix, int stored,
                  const struct fk_rules *rules, fk_time now, struct fk_areas_stats *stats,
                  struct fk_diag *diag);

int fk_areas_update(struct fk_store *st, const struct fk_trace_index *ix,
                    const struct fk_rules *rules, fk_time now, struct fk_areas_stats *stats,
                    struct fk_diag *diag)
{
  return update(st, ix, 0, rules, now, stats, diag);
}

int fk_areas_update_traced(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                           struct fk_areas_stats *stats, struct fk_diag *diag)
{
  return update(st, NULL, 1, rules, now, stats, diag);
}

static int update(struct fk_store *st, const struct fk_trace_index *ix, int from_store,
                  const struct fk_rules *rules, fk_time now, struct fk_areas_stats *stats,
                  struct fk_diag *diag)
{
  struct upd u = {
      .st = st, .ix = ix, .stored = from_store, .rules = rules, .now = now, .stats = stats};
  struct fk_areas stored = {0};
  struct fk_trace_index *own = NULL;
  int rc = 0, began = 0;
  u.today = fk_time_date(now);
  if (stats) memset(stats, 0, sizeof *stats);
  if (!ix && !from_store && rules->areas.home.used &&
      !(rc = fk_trace_index_build(st, rules, &own, diag)))
    u.ix = own;
  if (!rc && rules->areas.home.used) rc = fk_store_each_case(st, each_case, &u);
  if (!rc) rc = locate_places(&u);
  if (!rc) rc = count_grids(&u);
  if (!rc) rc = districts(&u);
  if (!rc) rc = fk_areas_load(st, &stored, diag);
  if (!rc) {
    if (stats) count_in_force(&u);
    rc = fk_store_begin(st);
    began = !rc;
  }
  if (!rc) rc = write_changes(&u, &stored, diag);
  if (began) rc = fk_store_end(st, rc);
  fk_store_fail(st, rc, diag, "updating risk areas");
  fk_areas_free(&stored);
  fk_trace_index_free(own);
  fk_free(u.ev);
  fk_free(u.g);
  fk_free(u.out);
  fk_free(u.sd);
  return rc;
}
