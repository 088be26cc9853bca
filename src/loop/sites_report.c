/*
 * Reading quarantine sites back: each site's occupancy at an instant, per day over a range, and
 * one person's stay (see fangkong/sites.h). Read only; the census of a day is taken at its end
 * (24:00 in the city), so someone discharged at 00:00 after the last day of their phase is not
 * counted on that day.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/site_store.h"
#include "fangkong/sites.h"
#include "fangkong/store.h"
#include "loop/sites_impl.h"

#define MAX_DAYS 366

static void copy(char *dst, size_t size, const char *src)
{
  snprintf(dst, size, "%s", src ? src : "");
}

/* Sites with their names, and the room model (for room -> site). */
struct picture {
  struct fk_site_status *st;
  int n, cap;
  struct fk__sites s;
  long unsited;
  fk_time at;
};

static int keep_status(void *arg, const struct fk_site_row *r)
{
  struct picture *p = arg;
  if (p->n == p->cap) {
    int cap = p->cap ? p->cap * 2 : 16;
    struct fk_site_status *q = fk_realloc(p->st, (size_t)cap * sizeof *q);
    if (!q) return FK_ENOMEM;
    p->st = q;
    p->cap = cap;
  }
  struct fk_site_status *x = &p->st[p->n++];
  memset(x, 0, sizeof *x);
  x->id = r->id;
  copy(x->site_id, sizeof x->site_id, r->site_id);
  copy(x->grid_id, sizeof x->grid_id, r->grid_id);
  copy(x->name, sizeof x->name, r->name);
  for (int z = 0; z < FK_SITE_ZONES; z++)
    copy(x->zones[z], sizeof x->zones[z], r->zones[z]);
  x->lat = r->lat;
  x->lon = r->lon;
  x->staff = r->staff;
  x->allows_households = r->allows_households;
  return 0;
}

static int load_picture(struct fk_store *st, struct picture *p)
{
  int rc = fk_store_each_site(st, keep_status, p);
  if (!rc) rc = fk__sites_load(st, &p->s);
  for (int i = 0; !rc && i < p->s.nrooms; i++) {
    struct fk_site_status *x = &p->st[p->s.room[i].site];
    x->rooms[p->s.room[i].kind]++;
    x->nrooms++;
    x->beds += p->s.room[i].beds;
  }
  return rc;
}

/* 1 when [from, to) holds instant t; to FK_TIME_NONE is open. */
static int holds(fk_time from, fk_time to, fk_time t)
{
  return from <= t && (to == FK_TIME_NONE || to > t);
}

static int count_stay(void *arg, const struct fk_stay_row *r)
{
  struct picture *p = arg;
  int room = fk__sites_room_at(&p->s, r->room);
  if (room < 0 || (p->at != FK_TIME_NONE && !holds(r->from, r->to, p->at))) return 0;
  struct fk_site_status *x = &p->st[p->s.room[room].site];
  x->persons++;
  if (p->s.room[room].occupants++ == 0) x->rooms_occupied++;
  return 0;
}

static int count_wait(void *arg, const struct fk_wait_row *r)
{
  struct picture *p = arg;
  if (p->at != FK_TIME_NONE && !holds(r->since, r->until, p->at)) return 0;
  int site = r->site ? fk__sites_site_at(&p->s, r->site) : -1;
  if (site < 0)
    p->unsited++;
  else
    p->st[site].waiting++;
  return 0;
}

int fk_sites_status(struct fk_store *st, fk_time at, struct fk_site_status **out, int *n,
                    long *unsited, struct fk_diag *diag)
{
  struct picture p;
  memset(&p, 0, sizeof p);
  p.at = at;
  enum fk_stay_view v = at == FK_TIME_NONE ? FK_STAYS_OPEN : FK_STAYS_BETWEEN;
  int rc = load_picture(st, &p);
  if (!rc) rc = fk_store_each_stay(st, v, 0, at, at + 1, count_stay, &p);
  if (!rc) rc = fk_store_each_wait(st, v, 0, at, at + 1, count_wait, &p);
  for (int i = 0; !rc && i < p.n; i++)
    p.st[i].rooms_free = p.st[i].nrooms - p.st[i].rooms_occupied;
  fk__sites_free(&p.s);
  if (rc) {
    fk_free(p.st);
    return fk_diag_set(diag, rc, NULL, "reading sites: %s",
                       rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  }
  *out = p.st;
  *n = p.n;
  if (unsited) *unsited = p.unsited;
  return 0;
}

/* ---- Occupancy per day ------------------------------------------------------------------ */

struct days {
  struct picture p;
  fk_date from;
  int ndays;
  struct fk_site_day *d; /* nsites x ndays */
  int *mark;             /* per room: the last day it was counted occupied, for distinct rooms */
  struct fk_stay_row *stay;
  int nstay, capstay;
};

static int keep_stay(void *arg, const struct fk_stay_row *r)
{
  struct days *x = arg;
  if (x->nstay == x->capstay) {
    int cap = x->capstay ? x->capstay * 2 : 64;
    struct fk_stay_row *q = fk_realloc(x->stay, (size_t)cap * sizeof *q);
    if (!q) return FK_ENOMEM;
    x->stay = q;
    x->capstay = cap;
  }
  x->stay[x->nstay] = *r;
  x->stay[x->nstay].reason = x->stay[x->nstay].end_reason = x->stay[x->nstay].household_id = NULL;
  x->nstay++;
  return 0;
}

static int wait_day(void *arg, const struct fk_wait_row *r)
{
  struct days *x = arg;
  int site = r->site ? fk__sites_site_at(&x->p.s, r->site) : -1;
  if (site < 0) return 0;
  for (int k = 0; k < x->ndays; k++) {
    fk_time end = fk_date_start(x->from + k + 1);
    if (r->since < end && (r->until == FK_TIME_NONE || r->until > end))
      x->d[site * x->ndays + k].waiting++;
  }
  return 0;
}

/* Counts the stays into x->d, day by day. */
static void count_days(struct days *x)
{
  for (int k = 0; k < x->ndays; k++) {
    fk_time start = fk_date_start(x->from + k), end = fk_date_start(x->from + k + 1);
    for (int i = 0; i < x->nstay; i++) {
      const struct fk_stay_row *r = &x->stay[i];
      int room = fk__sites_room_at(&x->p.s, r->room);
      if (room < 0) continue;
      struct fk_site_day *d = &x->d[x->p.s.room[room].site * x->ndays + k];
      if (r->from >= start && r->from < end) d->admitted++;
      if (r->to != FK_TIME_NONE && r->to > start && r->to <= end) d->discharged++;
      if (r->from < end && (r->to == FK_TIME_NONE || r->to > end)) {
        d->persons++;
        if (x->mark[room] != k) d->rooms_occupied++;
        x->mark[room] = k;
      }
    }
  }
}

int fk_sites_occupancy(struct fk_store *st, fk_date from, fk_date to, struct fk_site_day **out,
                       int *n, struct fk_diag *diag)
{
  struct days x;
  int rc;
  memset(&x, 0, sizeof x);
  *out = NULL;
  *n = 0;
  if (to < from || to - from >= MAX_DAYS)
    return fk_diag_set(diag, FK_EINVAL, NULL, "the range must be 1..%d days, from before to",
                       MAX_DAYS);
  x.from = from;
  x.ndays = to - from + 1;
  rc = load_picture(st, &x.p);
  if (!rc && x.p.n) {
    x.d = fk_calloc((size_t)x.p.n * (size_t)x.ndays, sizeof *x.d);
    x.mark = fk_malloc(sizeof *x.mark * (size_t)(x.p.s.nrooms + 1));
    if (!x.d || !x.mark) rc = FK_ENOMEM;
  }
  fk_time t0 = fk_date_start(from), t1 = fk_date_start(to + 1);
  if (!rc && x.p.n) rc = fk_store_each_stay(st, FK_STAYS_BETWEEN, 0, t0, t1, keep_stay, &x);
  if (!rc && x.p.n) rc = fk_store_each_wait(st, FK_STAYS_BETWEEN, 0, t0, t1, wait_day, &x);
  if (!rc && x.p.n) {
    for (int i = 0; i < x.p.s.nrooms; i++)
      x.mark[i] = -1;
    count_days(&x);
    for (int s = 0; s < x.p.n; s++)
      for (int k = 0; k < x.ndays; k++) {
        struct fk_site_day *d = &x.d[s * x.ndays + k];
        d->site = s;
        d->date = from + k;
        d->rooms_free = x.p.st[s].nrooms - d->rooms_occupied;
      }
  }
  fk__sites_free(&x.p.s);
  fk_free(x.p.st);
  fk_free(x.mark);
  fk_free(x.stay);
  if (rc) {
    fk_free(x.d);
    return fk_diag_set(diag, rc, NULL, "reading occupancy: %s",
                       rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  }
  *out = x.d;
  *n = x.p.n * x.ndays;
  return 0;
}

/* ---- One person's stay ------------------------------------------------------------------ */

struct pick {
  fk_time at;
  struct fk_site_stay *out;
  int found; /* 2: in force at `at`, 1: the latest so far */
  int64_t room, site;
};

static int pick_stay(void *arg, const struct fk_stay_row *r)
{
  struct pick *k = arg;
  int now = k->at == FK_TIME_NONE ? r->to == FK_TIME_NONE : holds(r->from, r->to, k->at);
  if (k->found == 2 || (!now && k->at != FK_TIME_NONE && r->from > k->at)) return 0;
  struct fk_site_stay *o = k->out;
  memset(o, 0, sizeof *o);
  o->from = r->from;
  o->to = r->to;
  copy(o->reason, sizeof o->reason, r->reason);
  copy(o->end_reason, sizeof o->end_reason, r->end_reason);
  k->room = r->room;
  k->found = now ? 2 : 1;
  return 0;
}

static int pick_wait(void *arg, const struct fk_wait_row *r)
{
  struct pick *k = arg;
  int now = k->at == FK_TIME_NONE ? r->until == FK_TIME_NONE : holds(r->since, r->until, k->at);
  if (!now || k->found == 2) return 0;
  struct fk_site_stay *o = k->out;
  memset(o, 0, sizeof *o);
  o->waiting = 1;
  o->from = r->since;
  o->to = r->until;
  copy(o->reason, sizeof o->reason, "waiting for a free room");
  copy(o->end_reason, sizeof o->end_reason, r->end_reason);
  k->site = r->site;
  k->room = 0;
  k->found = 2;
  return 0;
}

static int name_room(void *arg, const struct fk_room_row *r)
{
  struct pick *k = arg;
  if (r->id != k->room) return 0;
  copy(k->out->room_id, sizeof k->out->room_id, r->room_id);
  k->out->room_kind = r->kind;
  k->site = r->site;
  return 0;
}

static int name_site(void *arg, const struct fk_site_row *r)
{
  struct pick *k = arg;
  if (r->id != k->site) return 0;
  copy(k->out->site_id, sizeof k->out->site_id, r->site_id);
  copy(k->out->site_name, sizeof k->out->site_name, r->name);
  return 0;
}

int fk_sites_stay_of(struct fk_store *st, int64_t person, fk_time at, struct fk_site_stay *out,
                     struct fk_diag *diag)
{
  struct pick k = {at, out, 0, 0, 0};
  int rc = fk_store_each_stay(st, FK_STAYS_OF, person, 0, 0, pick_stay, &k);
  if (!rc) rc = fk_store_each_wait(st, FK_STAYS_OF, person, 0, 0, pick_wait, &k);
  if (!rc && k.found && k.room) rc = fk_store_each_room(st, name_room, &k);
  if (!rc && k.found && k.site) rc = fk_store_each_site(st, name_site, &k);
  if (rc)
    return fk_diag_set(diag, rc, NULL, "reading stays: %s",
                       rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  return k.found ? 0 : FK_ENOTFOUND;
}
