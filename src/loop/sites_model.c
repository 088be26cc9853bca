/* Sites and rooms in memory for allocation and reports (see sites_impl.h). */
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/site_store.h"
#include "loop/sites_impl.h"

/* Grows *p (of *cap elements of size bytes) to hold n + 1; returns 0 or FK_ENOMEM. */
static int room_for(void **p, int *cap, int n, size_t size)
{
  if (n < *cap) return 0;
  int ncap = *cap ? *cap * 2 : 16;
  void *q = fk_realloc(*p, (size_t)ncap * size);
  if (!q) return FK_ENOMEM;
  *p = q;
  *cap = ncap;
  return 0;
}

static int keep_site(void *arg, const struct fk_site_row *r)
{
  struct fk__sites *s = arg;
  if (room_for((void **)&s->site, &s->capsites, s->nsites, sizeof *s->site)) return FK_ENOMEM;
  struct fk__site *x = &s->site[s->nsites++];
  memset(x, 0, sizeof *x);
  x->id = r->id;
  x->lat = r->lat;
  x->lon = r->lon;
  x->allows_households = r->allows_households;
  return 0;
}

static int keep_room(void *arg, const struct fk_room_row *r)
{
  struct fk__sites *s = arg;
  int site = fk__sites_site_at(s, r->site);
  if (site < 0) return 0; /* cannot happen: rooms reference stored sites */
  if (room_for((void **)&s->room, &s->caprooms, s->nrooms, sizeof *s->room)) return FK_ENOMEM;
  struct fk__room *x = &s->room[s->nrooms++];
  memset(x, 0, sizeof *x);
  x->id = r->id;
  x->site = site;
  x->kind = r->kind;
  x->beds = r->beds;
  return 0;
}

int fk__sites_load(struct fk_store *st, struct fk__sites *s)
{
  int rc = fk_store_each_site(st, keep_site, s);
  return rc ? rc : fk_store_each_room(st, keep_room, s);
}

/* The room array, for the comparison below (qsort passes no context). */
static int by_beds(const void *a, const void *b, const struct fk__room *room)
{
  const struct fk__room *p = &room[*(const int *)a], *q = &room[*(const int *)b];
  if (p->beds != q->beds) return p->beds - q->beds;
  return p->id < q->id ? -1 : p->id > q->id;
}

/* Insertion sort: a site's rooms of one kind come in id order, mostly with equal beds. */
static void sort_rooms(int *ix, int n, const struct fk__room *room)
{
  for (int i = 1; i < n; i++) {
    int v = ix[i], j = i;
    while (j > 0 && by_beds(&ix[j - 1], &v, room) > 0) {
      ix[j] = ix[j - 1];
      j--;
    }
    ix[j] = v;
  }
}

int fk__sites_index(struct fk__sites *s)
{
  for (int i = 0; i < s->nrooms; i++)
    s->site[s->room[i].site].nrooms[s->room[i].kind]++;
  for (int i = 0; i < s->nsites; i++)
    for (int k = 0; k < FK_ROOM_NKINDS; k++) {
      struct fk__site *x = &s->site[i];
      x->rooms[k] = fk_malloc(sizeof *x->rooms[k] * (size_t)(x->nrooms[k] + 1));
      if (!x->rooms[k]) return FK_ENOMEM;
      x->nrooms[k] = 0;
      x->nfree[k] = 0;
    }
  for (int i = 0; i < s->nrooms; i++) {
    struct fk__site *x = &s->site[s->room[i].site];
    int k = s->room[i].kind;
    x->rooms[k][x->nrooms[k]++] = i;
    x->nfree[k] += s->room[i].occupants == 0;
  }
  for (int i = 0; i < s->nsites; i++)
    for (int k = 0; k < FK_ROOM_NKINDS; k++)
      sort_rooms(s->site[i].rooms[k], s->site[i].nrooms[k], s->room);
  return 0;
}

void fk__sites_free(struct fk__sites *s)
{
  for (int i = 0; i < s->nsites; i++)
    for (int k = 0; k < FK_ROOM_NKINDS; k++)
      fk_free(s->site[i].rooms[k]);
  fk_free(s->site);
  fk_free(s->room);
  memset(s, 0, sizeof *s);
}

int fk__sites_room_at(const struct fk__sites *s, int64_t id)
{
  int lo = 0, hi = s->nrooms;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (s->room[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < s->nrooms && s->room[lo].id == id ? lo : -1;
}

int fk__sites_site_at(const struct fk__sites *s, int64_t id)
{
  int lo = 0, hi = s->nsites;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (s->site[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < s->nsites && s->site[lo].id == id ? lo : -1;
}

int fk__phase_on(const struct fk_plan *p, fk_date today)
{
  for (int i = 0; i < p->nphases; i++)
    if (p->phases[i].end == FK_DATE_NONE || today <= p->phases[i].end) return i;
  return -1;
}

int fk__age_years(fk_date birth, fk_date on)
{
  int by, bm, bd, y, m, d;
  fk_date_to_ymd(birth, &by, &bm, &bd);
  fk_date_to_ymd(on, &y, &m, &d);
  return y - by - (m < bm || (m == bm && d < bd));
}
