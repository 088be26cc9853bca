/*
 * Places (场所): about 100,000 at scale 1 in a realistic mix of kinds -- many restaurants,
 * shops, offices and housing estates, few hospitals, stations and one airport -- with
 * heavy-tailed (lognormal) capacities, so that a few malls, stations and campuses draw crowds.
 * Places are stored by district, then kind, so each (district, kind) is one run of the array
 * with running capacities for weighted choice.
 */
#include <math.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "gen/city.h"
#include "gen/names.h"

struct kind_model {
  double at_scale_1; /* places in the whole city at scale 1 */
  double median;     /* median capacity */
  double sigma;      /* lognormal spread of capacity */
  int essential;     /* at least one per district (people need one near home) */
  int urban_only;    /* only in the six city districts */
};

/* Indexed by enum fk__kind. Famous places (names.c) come on top of these counts. */
static const struct kind_model models[FK__NKINDS] = {
    [K_SUPERMARKET] = {9000, 40, 1.0, 1, 0},   [K_MARKET] = {1500, 150, 0.8, 1, 0},
    [K_RESTAURANT] = {26000, 30, 0.8, 1, 0},   [K_OFFICE] = {13000, 80, 1.2, 1, 0},
    [K_FACTORY] = {3500, 200, 1.2, 1, 0},      [K_SCHOOL] = {1100, 900, 0.5, 1, 0},
    [K_HOSPITAL] = {300, 800, 1.0, 1, 0},      [K_FEVER_CLINIC] = {60, 60, 0.5, 0, 0},
    [K_PHARMACY] = {3500, 10, 0.6, 1, 0},      [K_BUS] = {2500, 60, 0.3, 1, 0},
    [K_METRO] = {17, 2000, 0.6, 0, 1},         [K_RAILWAY] = {0, 20000, 0.5, 0, 0},
    [K_AIRPORT] = {0, 30000, 0.3, 0, 0},       [K_HOTEL] = {2500, 100, 0.9, 0, 0},
    [K_GYM] = {1500, 60, 0.7, 0, 0},           [K_CINEMA] = {150, 300, 0.5, 0, 1},
    [K_THEATRE] = {30, 800, 0.5, 0, 1},        [K_PARK] = {250, 2000, 1.0, 1, 0},
    [K_SCENIC] = {60, 3000, 1.0, 0, 0},        [K_MALL] = {200, 3000, 0.8, 0, 0},
    [K_BANK] = {1800, 30, 0.6, 1, 0},          [K_GOVERNMENT] = {1200, 80, 0.8, 1, 0},
    [K_CONSTRUCTION] = {1500, 150, 0.9, 0, 0}, [K_COLD_STORE] = {100, 40, 0.7, 0, 0},
    [K_KINDERGARTEN] = {1400, 150, 0.4, 1, 0}, [K_UNIVERSITY] = {45, 15000, 0.6, 0, 1},
    [K_RESIDENTIAL] = {28000, 500, 1.0, 1, 0},
};

/* Places of kind k in district d: the kind's city total shared by population. */
static uint32_t count_of(const struct fk__city *c, int d, int k, long urban_pop, long total_pop)
{
  const struct kind_model *m = &models[k];
  const struct fk__district *dist = &fk__districts[d];
  double n = 0;
  if (!m->urban_only)
    n = m->at_scale_1 * c->opts->scale * (double)dist->population / (double)total_pop;
  else if (dist->urban)
    n = m->at_scale_1 * c->opts->scale * (double)dist->population / (double)urban_pop;
  long count = lround(n);
  if (m->essential && count < 1) count = 1;
  return (uint32_t)count;
}

int fk__gen_places(struct fk__city *c)
{
  long total = 0, urban = 0;
  for (int d = 0; d < FK__NDISTRICTS; d++) {
    total += fk__districts[d].population;
    if (fk__districts[d].urban) urban += fk__districts[d].population;
  }
  uint32_t n = 0;
  for (int d = 0; d < FK__NDISTRICTS; d++)
    for (int k = 0; k < FK__NKINDS; k++) {
      uint32_t want = count_of(c, d, k, urban, total), famous = fk__famous_count(k, d);
      c->bucket[d][k] = n;
      n += want > famous ? want : famous;
    }
  for (int d = 0; d < FK__NDISTRICTS; d++)
    c->bucket[d][FK__NKINDS] = d + 1 < FK__NDISTRICTS ? c->bucket[d + 1][0] : n;
  c->nplaces = n;
  c->places = fk_calloc(n, sizeof *c->places);
  c->place_cum = fk_calloc(n, sizeof *c->place_cum);
  if (!c->places || !c->place_cum) return FK_ENOMEM;
  for (int d = 0; d < FK__NDISTRICTS; d++) {
    uint32_t g0 = c->grid_first[d], ng = c->grid_first[d + 1] - g0;
    for (int k = 0; k < FK__NKINDS; k++) {
      uint64_t cum = 0;
      for (uint32_t i = c->bucket[d][k]; i < c->bucket[d][k + 1]; i++) {
        struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_PLACES, i, 0);
        struct fk__place *p = &c->places[i];
        double cap = models[k].median * exp(models[k].sigma * fk__rng_normal(&r));
        p->capacity = cap < 1 ? 1 : cap > 1e6 ? 1000000u : (uint32_t)lround(cap);
        p->kind = (uint8_t)k;
        p->district = (uint8_t)d;
        p->grid = g0 + fk__rng_below(&r, ng);
        p->lat = c->grids[p->grid].lat + (fk__rng_unit(&r) - 0.5) * 0.006;
        p->lon = c->grids[p->grid].lon + (fk__rng_unit(&r) - 0.5) * 0.008;
        cum += p->capacity;
        c->place_cum[i] = cum;
      }
    }
  }
  return 0;
}

uint32_t fk__city_pick(const struct fk__city *c, struct fk__rng *r, int d, int k)
{
  /* Fall back to the other districts in order of population share near the home one. */
  for (int step = 0; step < FK__NDISTRICTS; step++) {
    int dd = (d + step) % FK__NDISTRICTS;
    uint32_t lo = c->bucket[dd][k], hi = c->bucket[dd][k + 1];
    if (lo == hi) continue;
    return lo + fk__rng_pick_cum(r, c->place_cum + lo, hi - lo);
  }
  return FK__NOPLACE;
}

int fk__city_pick_district(const struct fk__city *c, struct fk__rng *r)
{
  uint32_t i = fk__rng_pick_cum(r, c->district_cum, FK__NDISTRICTS);
  return (int)i;
}

int fk__write_places(const struct fk__city *c, struct fk__csv *w)
{
  char name[256];
  unsigned ordinal = 0;
  for (uint32_t i = 0; i < c->nplaces; i++) {
    const struct fk__place *p = &c->places[i];
    if (i == c->bucket[p->district][p->kind]) ordinal = 0;
    struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_PLACES, i, 1);
    size_t n = fk__name_place(&r, p->kind, p->district, ordinal++, name, sizeof name);
    fk__csv_row(w);
    fk__csv_id(w, 'L', i + 1);
    fk__csv_c(w, ',');
    fk__csv_text(w, name, n);
    fk__csv_c(w, ',');
    fk__csv_str(w, fk_place_kinds[p->kind]);
    fk__csv_c(w, ',');
    fk__put_grid_id(w, c, p->grid);
    fk__csv_c(w, ',');
    fk__csv_deg(w, p->lat);
    fk__csv_c(w, ',');
    fk__csv_deg(w, p->lon);
    fk__csv_c(w, ',');
    fk__csv_u64(w, p->capacity);
    fk__csv_end(w);
  }
  return w->err;
}
