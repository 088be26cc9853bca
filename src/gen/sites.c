/*
 * Centralized quarantine sites (集中隔离点) and their rooms, sized to the city: 20 rooms per
 * 10,000 residents (the 2022 national guidance for provincial capitals, our reading), shared among
 * the districts by population, about 150 rooms to a site (a requisitioned hotel), at least one
 * site a district. Most rooms are single (单人单间); about 10 % are family rooms of 2-4 beds and 5
 * % accessible rooms. Seven sites in ten take households. Each site names its three zones and two
 * channels (三区两通道).
 */
#include <math.h>
#include <stdio.h>

#include "fangkong/error.h"
#include "gen/city.h"

#define ROOMS_PER_10000 20.0
#define ROOMS_PER_SITE 150
#define MIN_ROOMS 4

static const char *const buildings[] = {"东", "西", "南", "北"};

/* Appends the printf-formatted text as one CSV field (quoted when needed). */
static void field(struct fk__csv *w, const char *fmt, const char *a, int n)
{
  char buf[256];
  int len = snprintf(buf, sizeof buf, fmt, a, n);
  fk__csv_text(w, buf, (size_t)(len < (int)sizeof buf ? len : (int)sizeof buf - 1));
  fk__csv_c(w, ',');
}

static void write_site(const struct fk__city *c, struct fk__csv *w, int d, int ordinal, uint32_t id,
                       int rooms, struct fk__rng *r)
{
  uint32_t g0 = c->grid_first[d], ng = c->grid_first[d + 1] - g0;
  uint32_t g = g0 + fk__rng_below(r, ng);
  const char *staff_side = buildings[fk__rng_below(r, 4)];
  const char *res_side =
      buildings[(fk__rng_below(r, 3) + 1 + (unsigned)(staff_side - buildings[0])) % 4];
  int floors = 2 + rooms / 20;
  fk__csv_row(w);
  fk__csv_id(w, 'Q', id);
  fk__csv_c(w, ',');
  field(w, "%s集中隔离点%d号", fk__districts[d].name, ordinal);
  fk__put_grid_id(w, c, g);
  fk__csv_c(w, ',');
  fk__csv_deg(w, c->grids[g].lat + (fk__rng_unit(r) - 0.5) * 0.004);
  fk__csv_c(w, ',');
  fk__csv_deg(w, c->grids[g].lon + (fk__rng_unit(r) - 0.5) * 0.005);
  fk__csv_c(w, ',');
  field(w, "清洁区 clean zone: %s楼%d层 staff quarters", staff_side, 1);
  field(w, "缓冲区 buffer zone: %s楼%d层连廊 changing and disinfection", staff_side, 2);
  field(w, "污染区 contaminated zone: 主楼%s2-%d层 guest floors", "", floors);
  field(w, "员工通道 staff channel: %s门 (gate %d)", staff_side, 1);
  field(w, "隔离人员通道 residents' channel: %s门 (gate %d)", res_side, 2);
  fk__csv_u64(w, (uint64_t)(rooms / 8 > 6 ? rooms / 8 : 6));
  fk__csv_c(w, ',');
  fk__csv_c(w, fk__rng_chance(r, 0.7) ? '1' : '0');
  fk__csv_end(w);
}

static void write_rooms(struct fk__csv *w, uint32_t id, int rooms, struct fk__rng *r)
{
  for (int i = 0; i < rooms; i++) {
    double u = fk__rng_unit(r);
    int family = u < 0.10, accessible = !family && u < 0.15;
    fk__csv_row(w);
    fk__csv_id(w, 'Q', id);
    fk__csv_c(w, ',');
    fk__csv_u64(w, (uint64_t)((2 + i / 20) * 100 + i % 20 + 1));
    fk__csv_str(w, family ? ",family," : accessible ? ",accessible," : ",single,");
    fk__csv_u64(w, family ? (uint64_t)fk__rng_range(r, 2, 4) : 1);
    fk__csv_end(w);
  }
}

int fk__write_sites(const struct fk__city *c, struct fk__csv *sites, struct fk__csv *rooms)
{
  long total = 0;
  uint32_t id = 0;
  for (int d = 0; d < FK__NDISTRICTS; d++)
    total += fk__districts[d].population;
  double all = (double)c->npersons * ROOMS_PER_10000 / 10000.0;
  for (int d = 0; d < FK__NDISTRICTS; d++) {
    long want = lround(all * (double)fk__districts[d].population / (double)total);
    int nsites = (int)((want + ROOMS_PER_SITE - 1) / ROOMS_PER_SITE);
    if (nsites < 1) nsites = 1;
    for (int s = 0; s < nsites; s++) {
      struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_SITES, (uint64_t)d, (uint64_t)s);
      int n = (int)(want / nsites + (s < want % nsites));
      if (n < MIN_ROOMS) n = MIN_ROOMS;
      write_site(c, sites, d, s + 1, ++id, n, &r);
      write_rooms(rooms, id, n, &r);
    }
  }
  return sites->err ? sites->err : rooms->err;
}
