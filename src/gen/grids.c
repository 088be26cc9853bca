/*
 * Grids (网格): about 5,000 at scale 1, shared among the districts by population (at least one
 * each), grouped into communities and those into the district's real streets and towns.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/geo.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "gen/city.h"
#include "gen/names.h"

#define GRIDS_AT_SCALE_1 5000.0

/*
 * The flat map on which grids are scattered about their district's seat: a round 111 km to a
 * degree of latitude (the sphere of base/geo.h gives 111.195) and pi to 15 digits (7 ulps below
 * FK__GEO_PI). Both are part of every city generated so far, which the same arguments must give
 * byte for byte: the sphere's figure would move grids by up to tens of metres, and even the
 * exact pi, which moves a grid by far less than a micrometre, could change a printed
 * microdegree somewhere in a large city.
 */
#define MAP_KM_PER_DEG 111.0
#define MAP_PI 3.14159265358979

static long city_population(void)
{
  long total = 0;
  for (int d = 0; d < FK__NDISTRICTS; d++)
    total += fk__districts[d].population;
  return total;
}

/* Communities in district d when it has n grids: about four grids each, at most the real count. */
static uint32_t communities_of(int d, uint32_t n)
{
  uint32_t want = (n + 3) / 4;
  uint32_t real = (uint32_t)fk__districts[d].communities;
  return want < 1 ? 1 : want > real ? real : want;
}

int fk__gen_grids(struct fk__city *c)
{
  const double scale = c->opts->scale;
  const long total = city_population();
  uint32_t counts[FK__NDISTRICTS];
  uint64_t cum = 0;
  c->ngrids = 0;
  for (int d = 0; d < FK__NDISTRICTS; d++) {
    double share = (double)fk__districts[d].population / (double)total;
    long n = lround(GRIDS_AT_SCALE_1 * scale * share);
    counts[d] = n < 1 ? 1 : (uint32_t)n;
    c->grid_first[d] = c->ngrids;
    c->ngrids += counts[d];
    cum += (uint64_t)fk__districts[d].population;
    c->district_cum[d] = cum;
  }
  c->grid_first[FK__NDISTRICTS] = c->ngrids;
  c->grids = fk_calloc(c->ngrids, sizeof *c->grids);
  if (!c->grids) return FK_ENOMEM;
  for (int d = 0; d < FK__NDISTRICTS; d++) {
    const struct fk__district *dist = &fk__districts[d];
    uint32_t ncomm = communities_of(d, counts[d]);
    uint32_t nstreet = ncomm < (uint32_t)dist->nstreets ? ncomm : (uint32_t)dist->nstreets;
    /* Most people live near the seat: radii shrink toward the centre of the district's disc. */
    double radius_km = sqrt(dist->area_km2 / MAP_PI) * (dist->urban ? 0.8 : 0.6);
    for (uint32_t i = 0; i < counts[d]; i++) {
      struct fk__grid *g = &c->grids[c->grid_first[d] + i];
      struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_GRIDS, (uint64_t)d, i);
      g->district = (uint8_t)d;
      g->community = (uint16_t)(i % ncomm);
      g->street = (uint16_t)(g->community % nstreet);
      double rr = radius_km * pow(fk__rng_unit(&r), 0.75);
      double theta = 2 * FK__GEO_PI * fk__rng_unit(&r);
      g->lat = dist->lat + rr * sin(theta) / MAP_KM_PER_DEG;
      g->lon = dist->lon + rr * cos(theta) / (MAP_KM_PER_DEG * cos(dist->lat * MAP_PI / 180));
    }
  }
  return 0;
}

static int rural_street(const char *street)
{
  size_t n = strlen(street);
  return n >= 3 && (!strcmp(street + n - 3, "镇") || !strcmp(street + n - 3, "乡"));
}

int fk__write_grids(const struct fk__city *c, struct fk__csv *w)
{
  char comm[96];
  for (int d = 0; d < FK__NDISTRICTS; d++) {
    const struct fk__district *dist = &fk__districts[d];
    uint32_t n = c->grid_first[d + 1] - c->grid_first[d];
    uint32_t ncomm = communities_of(d, n);
    uint32_t nstreet = ncomm < (uint32_t)dist->nstreets ? ncomm : (uint32_t)dist->nstreets;
    for (uint32_t i = 0; i < n; i++) {
      const struct fk__grid *g = &c->grids[c->grid_first[d] + i];
      const char *street = dist->streets[g->street];
      size_t cn = fk__name_community(g->community / nstreet + (unsigned)(d * 97 + g->street * 31),
                                     rural_street(street), comm, sizeof comm);
      fk__csv_row(w);
      fk__put_grid_id(w, c, c->grid_first[d] + i);
      fk__csv_c(w, ',');
      fk__csv_mem(w, comm, cn);
      fk__csv_str(w, "第");
      fk__csv_u64(w, i / ncomm + 1);
      fk__csv_str(w, "网格,");
      fk__csv_mem(w, comm, cn);
      fk__csv_c(w, ',');
      fk__csv_str(w, street);
      fk__csv_c(w, ',');
      fk__csv_str(w, dist->name);
      fk__csv_c(w, ',');
      fk__csv_deg(w, g->lat);
      fk__csv_c(w, ',');
      fk__csv_deg(w, g->lon);
      fk__csv_end(w);
    }
  }
  return w->err;
}

void fk__put_grid_id(struct fk__csv *w, const struct fk__city *c, uint32_t g)
{
  int d = c->grids[g].district;
  fk__csv_c(w, 'G');
  fk__csv_str(w, fk__districts[d].code);
  fk__csv_u64w(w, g - c->grid_first[d] + 1, 4);
}

size_t fk__grid_locality(const struct fk__city *c, uint32_t g, char *out, size_t size)
{
  const struct fk__grid *grid = &c->grids[g];
  int d = grid->district;
  const struct fk__district *dist = &fk__districts[d];
  uint32_t ncomm = communities_of(d, c->grid_first[d + 1] - c->grid_first[d]);
  uint32_t nstreet = ncomm < (uint32_t)dist->nstreets ? ncomm : (uint32_t)dist->nstreets;
  const char *street = dist->streets[grid->street];
  size_t a = strlen(dist->name), b = strlen(street);
  if (a + b + 1 >= size) return 0;
  memcpy(out, dist->name, a);
  memcpy(out + a, street, b);
  return a + b +
         fk__name_community(grid->community / nstreet + (unsigned)(d * 97 + grid->street * 31),
                            rural_street(street), out + a + b, size - a - b);
}

/* ---- Duty rosters ---- */

#define DUTY_EXTRA_DAYS 28 /* the roster runs past the generated days, for replays */
#define DUTY_SHIFTS 3      /* 00-08, 08-16, 16-24 */

/* Writes the shifts of one unit (its code in code[0..n)) for every day, officers rotating. */
static void duty_unit(const struct fk__city *c, struct fk__csv *w, const char *code, size_t n,
                      uint64_t who)
{
  const struct fk_gen_opts *o = c->opts;
  char names[DUTY_SHIFTS][32], at[FK_TIME_BUFSZ];
  uint64_t phones[DUTY_SHIFTS];
  size_t nn[DUTY_SHIFTS];
  for (int k = 0; k < DUTY_SHIFTS; k++) { /* a unit has one officer per shift of the day */
    struct fk__rng r = fk__rng_make(o->seed, FK__RNG_DUTY, who, (uint64_t)k);
    nn[k] = fk__name_person(&r, (int)fk__rng_below(&r, 2), names[k], sizeof names[k]);
    phones[k] = 13900000000ULL + fk__rng_below(&r, 100000000);
  }
  for (int day = 0; day < o->days + DUTY_EXTRA_DAYS; day++) {
    for (int k = 0; k < DUTY_SHIFTS; k++) {
      int hours = 24 / DUTY_SHIFTS;
      int who_k = (k + day) % DUTY_SHIFTS;
      fk__csv_row(w);
      fk__csv_mem(w, code, n);
      fk__csv_c(w, ',');
      fk__csv_str(w, fk_time_format(fk_date_at(o->start + day, k * hours, 0, 0), at));
      fk__csv_c(w, ',');
      fk__csv_str(
          w, fk_time_format(fk_date_at(o->start + day, 0, 0, 0) + (fk_time)(k + 1) * hours * 3600,
                            at));
      fk__csv_c(w, ',');
      fk__csv_mem(w, names[who_k], nn[who_k]);
      fk__csv_c(w, ',');
      fk__csv_u64(w, phones[who_k]);
      fk__csv_end(w);
    }
  }
}

int fk__write_duty(const struct fk__city *c, struct fk__csv *w)
{
  char code[512], comm[96];
  uint64_t who = 0;
  duty_unit(c, w, "city", 4, who++);
  for (int d = 0; d < FK__NDISTRICTS && !w->err; d++) {
    const struct fk__district *dist = &fk__districts[d];
    uint32_t n = c->grid_first[d + 1] - c->grid_first[d];
    uint32_t ncomm = communities_of(d, n);
    uint32_t nstreet = ncomm < (uint32_t)dist->nstreets ? ncomm : (uint32_t)dist->nstreets;
    int len = snprintf(code, sizeof code, "/%s", dist->name);
    duty_unit(c, w, code, (size_t)len, who++);
    uint8_t *seen = fk_calloc((size_t)nstreet + ncomm, 1);
    if (!seen) return FK_ENOMEM;
    for (uint32_t i = 0; i < n; i++) { /* every street, then community, once, as grids name them */
      const struct fk__grid *g = &c->grids[c->grid_first[d] + i];
      const char *street = dist->streets[g->street];
      if (!seen[g->street]) {
        seen[g->street] = 1;
        len = snprintf(code, sizeof code, "/%s/%s", dist->name, street);
        duty_unit(c, w, code, (size_t)len, who++);
      }
      if (seen[nstreet + g->community]) continue;
      seen[nstreet + g->community] = 1;
      fk__name_community(g->community / nstreet + (unsigned)(d * 97 + g->street * 31),
                         rural_street(street), comm, sizeof comm);
      len = snprintf(code, sizeof code, "/%s/%s/%s", dist->name, street, comm);
      duty_unit(c, w, code, (size_t)len, who++);
    }
    fk_free(seen);
  }
  return w->err;
}
