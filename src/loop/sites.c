/*
 * Allocation of quarantine-site rooms (see fangkong/sites.h): who needs a room as of now, who
 * leaves, who gets which room, who waits. Reads the active measures, the open stays and waits,
 * the sites and rooms; writes only what changed, in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/geo.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/site_store.h"
#include "fangkong/sites.h"
#include "fangkong/store.h"
#include "loop/sites_impl.h"

#define REASON 256

/* A person under an active measure: what the run knows of them. */
struct person {
  int64_t person, measure;
  int category, kind;     /* the measure's, and the kind of its phase current today (-1: over) */
  int need;               /* 1: the current phase is centralized quarantine */
  fk_date anchor, placed; /* the measure's */
  fk_date end;            /* last day of the current phase (FK_DATE_NONE: open) */
  int age;
  double lat, lon;
  char household[FK__HOUSEHOLD_MAX];
  int room;                /* room index once housed, else -1 */
  struct fk_wait_row wait; /* the open wait (id 0: none) */
};

struct run {
  struct fk_store *st;
  const struct fk_rules *rules;
  fk_time now;
  fk_date today;
  struct fk_sites_stats *stats;
  struct fk_diag *diag;
  struct fk__sites s;
  struct person *p; /* by person */
  int np, capp;
  int *order; /* those who need a room, housed or not, by household (see serve) */
  int norder;
  struct fk_stay_row *ws; /* stays to write (begun or ended), with their reason text */
  char (*wtext)[REASON];
  int nws, capws, captext;
  struct fk_wait_row *ww; /* waits to write */
  int nww, capww;
};

static int grow(void **p, int *cap, int n, size_t size)
{
  if (n < *cap) return 0;
  int ncap = *cap ? *cap * 2 : 64;
  void *q = fk_realloc(*p, (size_t)ncap * size);
  if (!q) return FK_ENOMEM;
  *p = q;
  *cap = ncap;
  return 0;
}

/* Queues a stay to write (new when r->id is 0, else its end) with its reason or end reason. */
static int queue_stay(struct run *x, const struct fk_stay_row *r, const char *text)
{
  if (grow((void **)&x->ws, &x->capws, x->nws, sizeof *x->ws) ||
      grow((void **)&x->wtext, &x->captext, x->nws, sizeof *x->wtext))
    return FK_ENOMEM;
  x->ws[x->nws] = *r;
  snprintf(x->wtext[x->nws++], REASON, "%s", text);
  return 0;
}

static int queue_wait(struct run *x, const struct fk_wait_row *r)
{
  if (grow((void **)&x->ww, &x->capww, x->nww, sizeof *x->ww)) return FK_ENOMEM;
  x->ww[x->nww++] = *r;
  return 0;
}

/* Writes what the run queued; the text pointers are set now that the arrays no longer move. */
static int flush(struct run *x)
{
  for (int i = 0; i < x->nws; i++) {
    struct fk_stay_row *r = &x->ws[i];
    r->reason = r->id ? NULL : x->wtext[i];
    r->end_reason = r->id ? x->wtext[i] : NULL;
  }
  int rc = fk_store_put_stays(x->st, x->ws, x->nws, x->diag);
  return rc ? rc : fk_store_put_waits(x->st, x->ww, x->nww, x->diag);
}

/* ---- Who needs a room ---------------------------------------------------------------- */

static int keep_need(void *arg, const struct fk_need_row *r)
{
  struct run *x = arg;
  struct fk_plan plan;
  if (r->placed > x->today) return 0; /* placed after now: not known yet */
  if (fk_measure_plan(x->rules, (enum fk_person_cat)r->category, r->anchor, r->placed, &plan))
    return 0;
  int ph = fk__phase_on(&plan, x->today);
  if (grow((void **)&x->p, &x->capp, x->np, sizeof *x->p)) return FK_ENOMEM;
  struct person *p = &x->p[x->np++];
  memset(p, 0, sizeof *p);
  p->person = r->person;
  p->measure = r->measure;
  p->category = r->category;
  p->kind = ph < 0 ? -1 : (int)plan.phases[ph].kind;
  p->need = p->kind == FK_MEASURE_CENTRALIZED_QUARANTINE;
  p->anchor = r->anchor;
  p->placed = r->placed;
  p->end = ph < 0 ? FK_DATE_NONE : plan.phases[ph].end;
  p->age = fk__age_years(r->birth, x->today);
  p->lat = r->lat;
  p->lon = r->lon;
  p->room = -1;
  snprintf(p->household, sizeof p->household, "%s", r->household_id ? r->household_id : "");
  return 0;
}

/* By person; of one person's active measures the one needing a room first, then the latest. */
static int by_person(const void *a, const void *b)
{
  const struct person *p = a, *q = b;
  if (p->person != q->person) return p->person < q->person ? -1 : 1;
  if (p->need != q->need) return q->need - p->need;
  return p->measure > q->measure ? -1 : p->measure < q->measure;
}

/* Sorts x->p by person and keeps one entry a person. */
static void one_per_person(struct run *x)
{
  int n = 0;
  if (x->np) qsort(x->p, (size_t)x->np, sizeof *x->p, by_person);
  for (int i = 0; i < x->np; i++)
    if (!n || x->p[n - 1].person != x->p[i].person) x->p[n++] = x->p[i];
  x->np = n;
}

static struct person *find(struct run *x, int64_t person)
{
  int lo = 0, hi = x->np;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (x->p[mid].person < person)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < x->np && x->p[lo].person == person ? &x->p[lo] : NULL;
}

/* ---- Who leaves ------------------------------------------------------------------------ */

/*
 * The last day of a centralized phase of the measure (category, anchor, placed) that ended
 * before today and not before `from` (the day the stay began), or FK_DATE_NONE.
 */
static fk_date ended_phase(const struct run *x, int category, fk_date anchor, fk_date placed,
                           fk_date from)
{
  struct fk_plan plan;
  fk_date last = FK_DATE_NONE;
  if (category < 0 ||
      fk_measure_plan(x->rules, (enum fk_person_cat)category, anchor, placed, &plan))
    return FK_DATE_NONE;
  for (int i = 0; i < plan.nphases; i++) {
    const struct fk_plan_phase *ph = &plan.phases[i];
    if (ph->kind == FK_MEASURE_CENTRALIZED_QUARANTINE && ph->end != FK_DATE_NONE &&
        ph->end < x->today && ph->end >= from)
      last = ph->end;
  }
  return last;
}

/*
 * Why and when the open stay r ends, given that its person needs no room now: at 00:00 after
 * the last day of the centralized phase that kept them (of their measure now, or of the one
 * that sent them: a stricter measure may have taken over the stay), else at now.
 */
static fk_time leaving(struct run *x, const struct fk_stay_row *r, char *why, size_t n)
{
  char day[FK_DATE_BUFSZ];
  const struct person *now_p = find(x, r->person);
  fk_date from = fk_time_date(r->from), end = FK_DATE_NONE;
  if (now_p) end = ended_phase(x, now_p->category, now_p->anchor, now_p->placed, from);
  if (end == FK_DATE_NONE && r->measure_status >= 0)
    end = ended_phase(x, r->measure_category, r->anchor, r->placed, from);
  if (end != FK_DATE_NONE) {
    snprintf(why, n, "centralized quarantine ended %s (its last day)", fk_date_format(end, day));
    fk_time t = fk_date_start(end + 1);
    return t > r->from ? t : r->from;
  }
  if (r->measure_status == FK_MSTATUS_RELEASED)
    snprintf(why, n, "measure released");
  else if (r->measure_status == FK_MSTATUS_SUPERSEDED && now_p && now_p->kind >= 0)
    snprintf(why, n, "measure superseded: now %s under %s", fk_person_cats[now_p->category],
             fk_measure_kinds[now_p->kind]);
  else if (r->measure_status == FK_MSTATUS_SUPERSEDED)
    snprintf(why, n, "measure superseded");
  else if (now_p && now_p->kind >= 0)
    snprintf(why, n, "no longer in centralized quarantine: %s", fk_measure_kinds[now_p->kind]);
  else
    snprintf(why, n, "no measure in force");
  return x->now > r->from ? x->now : r->from;
}

/* An open stay: its person keeps the room while they need it, else leaves. */
static int settle_stay(struct run *x, const struct fk_stay_row *r)
{
  struct person *p = find(x, r->person);
  int room = fk__sites_room_at(&x->s, r->room);
  if (p && p->need && room >= 0) { /* still needs it: stays */
    p->room = room;
    if (x->s.room[room].occupants++ == 0)
      snprintf(x->s.room[room].household, sizeof x->s.room[room].household, "%s", p->household);
    return 0;
  }
  char why[REASON];
  struct fk_stay_row end = *r;
  end.to = leaving(x, r, why, sizeof why);
  int rc = queue_stay(x, &end, why);
  if (!rc && x->stats) x->stats->discharged++;
  return rc;
}

/* An open wait: kept while its person needs a room and has none, else ended. */
static int settle_wait(struct run *x, const struct fk_wait_row *r)
{
  struct person *p = find(x, r->person);
  if (p && p->need && p->room < 0 && !p->wait.id) {
    p->wait = *r;
    p->wait.end_reason = NULL;
    return 0;
  }
  struct fk_wait_row end = *r;
  end.until = x->now > r->since ? x->now : r->since;
  end.end_reason = !p || !p->need ? "no longer needs a room"
                   : p->room >= 0 ? "has a room"
                                  : "a second wait of the same person";
  return queue_wait(x, &end);
}

/* The open stays and waits, copied out (the store is written only after reading them). */
struct open_rows {
  struct fk_stay_row *stay;
  int nstay, capstay;
  struct fk_wait_row *wait;
  int nwait, capwait;
};

static int keep_stay(void *arg, const struct fk_stay_row *r)
{
  struct open_rows *o = arg;
  if (grow((void **)&o->stay, &o->capstay, o->nstay, sizeof *o->stay)) return FK_ENOMEM;
  o->stay[o->nstay] = *r;
  o->stay[o->nstay].reason = o->stay[o->nstay].end_reason = o->stay[o->nstay].household_id = NULL;
  o->nstay++;
  return 0;
}

static int keep_wait(void *arg, const struct fk_wait_row *r)
{
  struct open_rows *o = arg;
  if (grow((void **)&o->wait, &o->capwait, o->nwait, sizeof *o->wait)) return FK_ENOMEM;
  o->wait[o->nwait] = *r;
  o->wait[o->nwait++].end_reason = NULL;
  return 0;
}

/* Reads the open stays and waits, then settles each. */
static int settle_open(struct run *x)
{
  struct open_rows o;
  memset(&o, 0, sizeof o);
  int rc = fk_store_each_stay(x->st, FK_STAYS_OPEN, 0, 0, 0, keep_stay, &o);
  if (!rc) rc = fk_store_each_wait(x->st, FK_STAYS_OPEN, 0, 0, 0, keep_wait, &o);
  for (int i = 0; !rc && i < o.nstay; i++)
    rc = settle_stay(x, &o.stay[i]);
  for (int i = 0; !rc && i < o.nwait; i++)
    rc = settle_wait(x, &o.wait[i]);
  fk_free(o.stay);
  fk_free(o.wait);
  return rc;
}

/* ---- Who gets which room ------------------------------------------------------------- */

/* The first free room of kind k at site x with at least `beds` beds, or -1. */
static int free_room(struct fk__sites *s, int site, int k, int beds)
{
  struct fk__site *si = &s->site[site];
  if (!si->nfree[k]) return -1;
  while (si->cursor[k] < si->nrooms[k] && s->room[si->rooms[k][si->cursor[k]]].occupants)
    si->cursor[k]++;
  for (int i = si->cursor[k]; i < si->nrooms[k]; i++) {
    const struct fk__room *r = &s->room[si->rooms[k][i]];
    if (!r->occupants && r->beds >= beds) return si->rooms[k][i];
  }
  return -1;
}

/* Kinds in the order a person tries them at a site. */
static const int plain_order[] = {FK_ROOM_SINGLE, FK_ROOM_ACCESSIBLE, FK_ROOM_FAMILY};
static const int accessible_order[] = {FK_ROOM_ACCESSIBLE, FK_ROOM_SINGLE, FK_ROOM_FAMILY};

/*
 * The room for a party of `beds` (a household when family is set) from (lat, lon): at the
 * nearest site with a suitable free room; *km gets the distance. With `only` >= 0 only rooms of
 * that kind count. Returns the room index, or -1.
 */
static int nearest(struct run *x, double lat, double lon, int beds, int family, int only,
                   const int *order, double *km)
{
  int best = -1;
  double best_km = 0;
  for (int i = 0; i < x->s.nsites; i++) {
    const struct fk__site *si = &x->s.site[i];
    int room = -1;
    if (family && !si->allows_households) continue;
    if (family)
      room = free_room(&x->s, i, FK_ROOM_FAMILY, beds);
    else
      for (int k = 0; k < FK_ROOM_NKINDS && room < 0; k++)
        if (only < 0 || order[k] == only) room = free_room(&x->s, i, order[k], beds);
    if (room < 0) continue;
    double d = fk__geo_km(lat, lon, si->lat, si->lon);
    if (best < 0 || d < best_km) {
      best = room;
      best_km = d;
    }
  }
  *km = best_km;
  return best;
}

/* The nearest site at all (for a wait: where the demand is), or -1. */
static int nearest_site(const struct run *x, double lat, double lon)
{
  int best = -1;
  double best_km = 0;
  for (int i = 0; i < x->s.nsites; i++) {
    double d = fk__geo_km(lat, lon, x->s.site[i].lat, x->s.site[i].lon);
    if (best < 0 || d < best_km) {
      best = i;
      best_km = d;
    }
  }
  return best;
}

static int admit(struct run *x, struct person *p, int room, const char *how, double km)
{
  struct fk__room *r = &x->s.room[room];
  char why[REASON], day[FK_DATE_BUFSZ];
  int rc;
  if (r->occupants++ == 0) {
    x->s.site[r->site].nfree[r->kind]--;
    snprintf(r->household, sizeof r->household, "%s", p->household);
  }
  p->room = room;
  if (p->end == FK_DATE_NONE)
    snprintf(day, sizeof day, "open");
  else
    fk_date_format(p->end, day);
  snprintf(why, sizeof why, "%s under centralized_quarantine to %s: %s, %.1f km from home",
           fk_person_cats[p->category], day, how, km);
  struct fk_stay_row s = {.person = p->person,
                          .room = r->id,
                          .measure = p->measure,
                          .from = x->now,
                          .to = FK_TIME_NONE};
  if ((rc = queue_stay(x, &s, why))) return rc;
  if (p->wait.id) {
    p->wait.until = x->now;
    p->wait.end_reason = "placed";
    if ((rc = queue_wait(x, &p->wait))) return rc;
    p->wait.id = 0;
  }
  if (x->stats) x->stats->admitted++;
  return 0;
}

static int wait_for_room(struct run *x, struct person *p)
{
  if (p->wait.id) return 0; /* already waiting: nothing changes */
  int site = nearest_site(x, p->lat, p->lon);
  struct fk_wait_row w = {0,      p->person,    p->measure, site >= 0 ? x->s.site[site].id : 0,
                          x->now, FK_TIME_NONE, NULL};
  int rc = queue_wait(x, &w);
  p->wait = w; /* id 0: opened by this run */
  if (!rc && x->stats) x->stats->new_waits++;
  return rc;
}

/* One person alone: an accessible room first when old enough, else any room; or a wait. */
static int place_one(struct run *x, struct person *p)
{
  int from = x->rules->sites.accessible_from_age, old = from > 0 && p->age >= from, room;
  double km;
  char how[160];
  const int *order = old ? accessible_order : plain_order;
  room = nearest(x, p->lat, p->lon, 1, 0, old ? FK_ROOM_ACCESSIBLE : -1, order, &km);
  if (room < 0 && old) room = nearest(x, p->lat, p->lon, 1, 0, -1, order, &km);
  if (room < 0) return wait_for_room(x, p);
  const struct fk__room *r = &x->s.room[room];
  snprintf(how, sizeof how, "nearest site with a free %s room", fk_room_kinds[r->kind]);
  if (old && r->kind == FK_ROOM_ACCESSIBLE)
    snprintf(how, sizeof how, "nearest site with a free accessible room (aged %d, from %d)", p->age,
             from);
  return admit(x, p, room, how, km);
}

/* A household: its members who need a room, a run [first, first + n) of x->order. */
struct group {
  int first, n;
  fk_time since; /* the longest wait among those still without a room (0: none waits) */
  fk_date placed;
  int64_t person;
};

/* What x->order is sorted by: household, then person (a copy of the keys, for qsort). */
struct slot {
  const char *household;
  int64_t person;
  int at; /* into x->p */
};

static int by_household(const void *a, const void *b)
{
  const struct slot *p = a, *q = b;
  int c = strcmp(p->household, q->household);
  if (c) return c;
  return p->person < q->person ? -1 : p->person > q->person;
}

/* Groups served by who waited longest, then who was placed first, then person. */
static int by_group(const void *a, const void *b)
{
  const struct group *p = a, *q = b;
  fk_time ps = p->since ? p->since : INT64_MAX, qs = q->since ? q->since : INT64_MAX;
  if (ps != qs) return ps < qs ? -1 : 1;
  if (p->placed != q->placed) return p->placed < q->placed ? -1 : 1;
  return p->person < q->person ? -1 : p->person > q->person;
}

/* Unhoused members of the household join a family room it already holds, while beds last. */
static int join_household(struct run *x, const int *members, int n)
{
  int rc = 0;
  for (int i = 0; !rc && i < n; i++) {
    const struct person *q = &x->p[members[i]];
    if (q->room < 0) continue;
    const struct fk__room *r = &x->s.room[q->room];
    if (r->kind != FK_ROOM_FAMILY || !x->s.site[r->site].allows_households) continue;
    for (int k = 0; !rc && k < n && r->occupants < r->beds; k++) {
      struct person *p = &x->p[members[k]];
      if (p->room >= 0) continue;
      const struct fk__site *si = &x->s.site[r->site];
      rc = admit(x, p, q->room, "joins their household in its family room",
                 fk__geo_km(p->lat, p->lon, si->lat, si->lon));
      if (!rc && x->stats) x->stats->together++;
    }
  }
  return rc;
}

/* The unhoused of a household (n > 1 of them) together in one family room, when one is free. */
static int place_together(struct run *x, const int *members, int n)
{
  int unhoused = 0, first = -1;
  char how[160];
  double km;
  for (int i = 0; i < n; i++)
    if (x->p[members[i]].room < 0) {
      unhoused++;
      if (first < 0) first = members[i];
    }
  if (unhoused < 2) return 0;
  int room = nearest(x, x->p[first].lat, x->p[first].lon, unhoused, 1, -1, plain_order, &km);
  if (room < 0) return 0;
  snprintf(how, sizeof how, "with their household (%d people) in a family room of %d beds",
           unhoused, x->s.room[room].beds);
  for (int i = 0; i < n; i++) {
    if (x->p[members[i]].room >= 0) continue;
    int rc = admit(x, &x->p[members[i]], room, how, km);
    if (rc) return rc;
  }
  if (x->stats) x->stats->together += unhoused;
  return 0;
}

/* Everyone in x->order (those who need a room, housed or not) by household: households first
 * join or share a family room when the rules allow it, the rest go alone. */
static int serve(struct run *x)
{
  struct group *g = NULL;
  struct slot *sl = NULL;
  int ng = 0, rc = 0;
  if (!x->norder) return 0;
  sl = fk_malloc(sizeof *sl * (size_t)x->norder);
  g = fk_malloc(sizeof *g * (size_t)x->norder);
  if (!sl || !g) {
    rc = FK_ENOMEM;
    goto out;
  }
  for (int i = 0; i < x->norder; i++)
    sl[i] = (struct slot){x->p[x->order[i]].household, x->p[x->order[i]].person, x->order[i]};
  qsort(sl, (size_t)x->norder, sizeof *sl, by_household);
  for (int i = 0; i < x->norder; i++) {
    const struct person *p = &x->p[sl[i].at];
    x->order[i] = sl[i].at;
    if (!ng || strcmp(sl[i - 1].household, p->household))
      g[ng++] = (struct group){i, 0, 0, INT32_MAX, INT64_MAX};
    struct group *c = &g[ng - 1];
    c->n++;
    if (p->room >= 0) continue;
    if (p->wait.id && (!c->since || p->wait.since < c->since)) c->since = p->wait.since;
    if (p->placed < c->placed) c->placed = p->placed;
    if (p->person < c->person) c->person = p->person;
  }
  qsort(g, (size_t)ng, sizeof *g, by_group);
  int together = x->rules->sites.households_together;
  for (int i = 0; !rc && i < ng; i++) {
    const int *members = &x->order[g[i].first];
    if (g[i].person == INT64_MAX) continue; /* everyone of the household has a room */
    if (together) rc = join_household(x, members, g[i].n);
    if (!rc && together) rc = place_together(x, members, g[i].n);
    for (int k = 0; !rc && k < g[i].n; k++)
      if (x->p[members[k]].room < 0) rc = place_one(x, &x->p[members[k]]);
  }
out:
  fk_free(sl);
  fk_free(g);
  return rc;
}

/* ---- The run -------------------------------------------------------------------------- */

static int run_all(struct run *x)
{
  int rc = fk__sites_load(x->st, &x->s);
  if (!rc) rc = fk_store_each_need(x->st, keep_need, x);
  if (rc) return rc;
  one_per_person(x);
  if ((rc = fk_store_begin(x->st))) return rc;
  if (!rc) rc = settle_open(x);
  if (!rc) rc = fk__sites_index(&x->s);
  if (!rc && x->np && !(x->order = fk_malloc(sizeof *x->order * (size_t)x->np))) rc = FK_ENOMEM;
  for (int i = 0; !rc && i < x->np; i++)
    if (x->p[i].need) x->order[x->norder++] = i;
  if (!rc) rc = serve(x);
  if (!rc) rc = flush(x);
  if (!rc) rc = fk_store_commit(x->st);
  if (rc) fk_store_rollback(x->st);
  return rc;
}

int fk_sites_allocate(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                      struct fk_sites_stats *stats, struct fk_diag *diag)
{
  struct run x;
  memset(&x, 0, sizeof x);
  x.st = st;
  x.rules = rules;
  x.now = now;
  x.today = fk_time_date(now);
  x.stats = stats;
  x.diag = diag;
  if (stats) memset(stats, 0, sizeof *stats);
  int rc = run_all(&x);
  if (!rc && stats) {
    stats->written = x.nws + x.nww;
    for (int i = 0; i < x.np; i++) {
      stats->need += x.p[i].need;
      stats->housed += x.p[i].need && x.p[i].room >= 0;
      stats->waiting += x.p[i].need && x.p[i].room < 0;
    }
  }
  if (rc && stats) memset(stats, 0, sizeof *stats);
  fk_store_fail(st, rc, diag, "allocating rooms");
  fk__sites_free(&x.s);
  fk_free(x.order);
  fk_free(x.p);
  fk_free(x.ws);
  fk_free(x.wtext);
  fk_free(x.ww);
  return rc;
}
