/*
 * The daily briefing (see fangkong/briefing.h), its units: overdue tasks by district and the
 * level each reached, risk areas in force and their lift dates, quarantine site occupancy, and
 * the day's entrance checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/areas.h"
#include "fangkong/entrance.h"
#include "fangkong/error.h"
#include "fangkong/sites.h"
#include "fangkong/tasks.h"
#include "loop/briefing_impl.h"

/* A grid seen, and the index of its district in b->districts. */
struct grid_district {
  int64_t grid;
  int district;
};

struct overdue {
  struct fk_store *st;
  struct fk_briefing *b;
  struct grid_district *g;
  int ng, capg, capd;
};

/* The name of the district above region (a grid), into name; "" when it has none. */
static int district_name(struct fk_store *st, int64_t region, char *name, size_t size)
{
  struct fk_region_row r;
  name[0] = '\0';
  for (int hops = 0; region && hops < FK_LEVEL_N; hops++) {
    int rc = fk_store_region(st, region, &r);
    if (rc) return rc == FK_ENOTFOUND ? 0 : rc;
    if (r.level == FK_LEVEL_DISTRICT) {
      snprintf(name, size, "%s", r.name);
      return 0;
    }
    region = r.parent;
  }
  return 0;
}

/* The index of the district of grid in b->districts, adding it when new; -1 on no memory. */
static int district_of(struct overdue *o, int64_t grid, int *rc)
{
  struct fk_briefing *b = o->b;
  char name[FK_AREA_ID];
  for (int i = 0; i < o->ng; i++)
    if (o->g[i].grid == grid) return o->g[i].district;
  if ((*rc = district_name(o->st, grid, name, sizeof name))) return -1;
  int d = 0;
  while (d < b->ndistricts && strcmp(b->districts[d].district, name))
    d++;
  if (d == b->ndistricts) {
    if (d == o->capd) {
      int cap = o->capd ? o->capd * 2 : 16;
      struct fk_briefing_district *p = fk_realloc(b->districts, (size_t)cap * sizeof *p);
      if (!p) return *rc = FK_ENOMEM, -1;
      b->districts = p;
      o->capd = cap;
    }
    memset(&b->districts[d], 0, sizeof b->districts[d]);
    snprintf(b->districts[d].district, sizeof b->districts[d].district, "%s", name);
    b->ndistricts++;
  }
  if (o->ng == o->capg) {
    int cap = o->capg ? o->capg * 2 : 64;
    struct grid_district *p = fk_realloc(o->g, (size_t)cap * sizeof *p);
    if (!p) return *rc = FK_ENOMEM, -1;
    o->g = p;
    o->capg = cap;
  }
  o->g[o->ng++] = (struct grid_district){grid, d};
  return d;
}

static int open_task(void *arg, const struct fk_task_row *t)
{
  struct overdue *o = arg;
  int rc = 0;
  o->b->tasks_open++;
  if (t->due >= o->b->now) return 0;
  o->b->tasks_overdue++;
  int d = district_of(o, t->region, &rc);
  if (d < 0) return rc;
  o->b->districts[d].overdue++;
  if (t->level >= 0 && t->level < FK_LEVEL_N) o->b->districts[d].by_level[t->level]++;
  return 0;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(((const struct fk_briefing_district *)a)->district,
                ((const struct fk_briefing_district *)b)->district);
}

static int tasks(struct fk_store *st, struct fk_briefing *b)
{
  struct overdue o = {st, b, NULL, 0, 0, 0};
  struct fk_task_filter f = {.open_only = 1, .status = -1};
  int rc = fk_store_each_task(st, &f, open_task, &o);
  fk_free(o.g);
  if (!rc && b->ndistricts)
    qsort(b->districts, (size_t)b->ndistricts, sizeof *b->districts, by_name);
  return rc;
}

static int by_level(const void *a, const void *b)
{
  const struct fk_briefing_area *x = a, *y = b;
  if (x->level != y->level) return y->level - x->level;
  return strcmp(x->area_id, y->area_id);
}

static int areas(struct fk_store *st, struct fk_briefing *b, struct fk_diag *diag)
{
  struct fk_areas as = {0};
  int rc = fk_areas_load(st, &as, diag);
  if (rc) return rc;
  if (as.n && !(b->areas = fk_calloc((size_t)as.n, sizeof *b->areas))) rc = FK_ENOMEM;
  for (int i = 0; !rc && i < as.n; i++) {
    const struct fk_area_span *s = fk_area_span_at(&as.a[i], b->today);
    if (!s || s->level < 0 || s->level >= FK_AREA_NLEVELS) continue;
    struct fk_briefing_area *a = &b->areas[b->nareas++];
    snprintf(a->area_id, sizeof a->area_id, "%s", as.a[i].area_id);
    a->kind = as.a[i].kind;
    a->level = s->level;
    a->since = s->from;
    a->lifts_on = as.a[i].lifts_on;
    b->areas_in_force[s->level]++;
  }
  if (b->nareas) qsort(b->areas, (size_t)b->nareas, sizeof *b->areas, by_level);
  fk_areas_free(&as);
  return rc;
}

static int sites(struct fk_store *st, struct fk_briefing *b, struct fk_diag *diag)
{
  struct fk_site_status *s = NULL;
  int n = 0, rc = fk_sites_status(st, b->now, &s, &n, &b->unsited, diag);
  if (!rc && n && !(b->sites = fk_calloc((size_t)n, sizeof *b->sites))) rc = FK_ENOMEM;
  for (int i = 0; !rc && i < n; i++) {
    struct fk_briefing_site *x = &b->sites[b->nsites++];
    snprintf(x->site_id, sizeof x->site_id, "%s", s[i].site_id);
    x->rooms = s[i].nrooms;
    x->rooms_occupied = s[i].rooms_occupied;
    x->beds = s[i].beds;
    x->persons = s[i].persons;
    x->waiting = s[i].waiting;
    b->site_rooms += x->rooms;
    b->site_rooms_occupied += x->rooms_occupied;
    b->site_beds += x->beds;
    b->site_persons += x->persons;
    b->site_waiting += x->waiting;
  }
  fk_free(s);
  return rc;
}

static int entrance(void *arg, const struct fk_entrance_row *r)
{
  struct fk_briefing_entrance *e = arg;
  e->checks++;
  e->passed += r->pass != 0;
  e->denied += r->pass == 0;
  e->fevers += r->fever != 0;
  return 0;
}

int fk__briefing_units(struct fk_store *st, struct fk_briefing *b, struct fk_diag *diag)
{
  int rc = tasks(st, b);
  if (!rc) rc = areas(st, b, diag);
  if (!rc) rc = sites(st, b, diag);
  if (!rc) rc = fk_store_each_entrance(st, b->from + 1, b->now + 1, entrance, &b->entrance);
  return rc;
}
