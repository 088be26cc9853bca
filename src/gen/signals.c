/*
 * The signal line lists of the synthetic city (多点触发): fever-clinic visits, real-name pharmacy
 * sales and school sick absences, from SIGNAL_HISTORY days before the window to its end, so that
 * detection has a baseline. Each person has a small daily chance of each; around the seeded
 * outbreak the chances rise: residents of an index case's grid from three days before its onset
 * (people with a fever buy antipyretics and visit clinics before they are tested), growing day
 * by day, and half as much in the rest of its street; sentinel hospitals' influenza-like illness
 * counts by district (counts.csv, channel ili) rise a little with it. Every draw comes from the
 * stream (seed, SIGNALS, person, day), so the files are a pure function of the options.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "gen/city.h"

#define SIGNAL_HISTORY 28 /* days of signals before the window */
#define PRODROME 3        /* days before onset that the excess starts */
#define BOOST_STEP 3.0    /* excess rate (multiples of the base) gained per day */
#define BOOST_MAX 30.0
#define CLINIC_RATE 0.0004 /* fever-clinic visits a person a day */
#define ABSENCE_RATE 0.004 /* sick absences a pupil a day */
#define ILI_RATE 0.00015   /* influenza-like illness at sentinel hospitals, a resident a day */
#define ILI_DISTRICT 0.2   /* share of a focus's excess that reaches its district's ILI count */
#define NONE_DAY INT32_MAX

/* Base sales a person a day by drug class (fever, cough, antiviral, antibiotic, cold), and
 * whether an outbreak of a respiratory fever raises them. */
static const double sale_rate[5] = {0.0012, 0.0010, 0.0002, 0.0006, 0.0010};
static const int sale_raised[5] = {1, 1, 0, 0, 1};
/* Syndromes of a visit (fk_syndromes order) by cumulative share. */
static const double syndrome_cum[5] = {0.45, 0.7, 0.9, 0.95, 1.0};

/* The excess factor on day d for a focus with onset `onset` (NONE_DAY: none). */
static double excess(fk_date d, fk_date onset)
{
  if (onset == NONE_DAY || d < onset - PRODROME) return 0;
  double b = BOOST_STEP * (d - (onset - PRODROME) + 1);
  return b > BOOST_MAX ? BOOST_MAX : b;
}

/* Earliest focus onset by grid, by the street of each grid and by district; residents by
 * district. */
struct foci_map {
  fk_date *grid, *street;
  fk_date district[FK__NDISTRICTS];
  uint32_t residents[FK__NDISTRICTS];
};

static int map_foci(const struct fk__city *c, const struct fk__focus *f, uint32_t n,
                    struct foci_map *m)
{
  m->grid = fk_malloc(c->ngrids * sizeof *m->grid);
  m->street = fk_malloc(c->ngrids * sizeof *m->street);
  if (!m->grid || !m->street) return FK_ENOMEM;
  for (uint32_t g = 0; g < c->ngrids; g++)
    m->grid[g] = m->street[g] = NONE_DAY;
  for (int d = 0; d < FK__NDISTRICTS; d++)
    m->district[d] = NONE_DAY, m->residents[d] = 0;
  for (uint32_t p = 0; p < c->npersons; p++)
    m->residents[c->persons[p].district]++;
  for (uint32_t i = 0; i < n; i++) {
    const struct fk__grid *fg = &c->grids[f[i].grid];
    if (f[i].onset < m->district[fg->district]) m->district[fg->district] = f[i].onset;
    if (f[i].onset < m->grid[f[i].grid]) m->grid[f[i].grid] = f[i].onset;
    for (uint32_t g = c->grid_first[fg->district]; g < c->grid_first[fg->district + 1]; g++)
      if (c->grids[g].street == fg->street && f[i].onset < m->street[g]) m->street[g] = f[i].onset;
  }
  return 0;
}

static double boost(const struct foci_map *m, uint32_t grid, fk_date d)
{
  return 1.0 + excess(d, m->grid[grid]) + 0.5 * excess(d, m->street[grid]);
}

/* Appends ",<time on day d between h0 and h1 o'clock>," etc.: one row of a person at a place. */
static void person_place_row(struct fk__csv *w, uint32_t person, const char prefix[11], int32_t sec,
                             uint32_t place)
{
  fk__csv_row(w);
  fk__csv_id(w, 'P', person + 1);
  fk__csv_c(w, ',');
  fk__csv_daytime(w, prefix, sec);
  fk__csv_c(w, ',');
  fk__csv_id(w, 'L', place + 1);
  fk__csv_c(w, ',');
}

/* One person's day: perhaps a clinic visit, perhaps a sale (one draw decides which). */
static void person_day(const struct fk__city *c, uint32_t p, fk_date d, const char prefix[11],
                       double b, struct fk__csv *clinic, struct fk__csv *sales)
{
  struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_SIGNALS, p, (uint64_t)d);
  double rate[6], total = 0, u = fk__rng_unit(&r);
  rate[0] = CLINIC_RATE * b;
  for (int k = 0; k < 5; k++)
    rate[k + 1] = sale_rate[k] * (sale_raised[k] ? b : 1.0);
  for (int k = 0; k < 6; k++)
    total += rate[k];
  if (u >= total) return;
  const struct fk__person *ps = &c->persons[p];
  int k = 0;
  for (double acc = rate[0]; u >= acc && k < 5; acc += rate[++k])
    ;
  uint32_t place = fk__city_pick(c, &r, ps->district, k ? K_PHARMACY : K_FEVER_CLINIC);
  if (place == FK__NOPLACE) return;
  int32_t sec = fk__rng_range(&r, 8 * 3600, 21 * 3600);
  if (!k) {
    double s = fk__rng_unit(&r);
    int y = 0;
    while (y < 4 && s >= syndrome_cum[y])
      y++;
    person_place_row(clinic, p, prefix, sec, place);
    fk__csv_str(clinic, fk_syndromes[y]);
    fk__csv_end(clinic);
    return;
  }
  person_place_row(sales, p, prefix, sec, place);
  fk__csv_str(sales, fk_drug_classes[k - 1]);
  fk__csv_c(sales, ',');
  fk__csv_u64(sales, (uint64_t)fk__rng_range(&r, 1, 3));
  fk__csv_end(sales);
}

/* A Poisson deviate (Knuth's product for small means, a rounded normal for large ones). */
static uint32_t poisson(struct fk__rng *r, double mean)
{
  if (mean > 30) {
    double x = mean + sqrt(mean) * fk__rng_normal(r) + 0.5;
    return x < 0 ? 0 : (uint32_t)x;
  }
  double l = exp(-mean), p = 1.0;
  uint32_t k = 0;
  while ((p *= fk__rng_unit(r)) > l)
    k++;
  return k;
}

/* A school's sick absences on a weekday, spread over six grades (class "G-1"). */
static void school_day(const struct fk__city *c, uint32_t s, fk_date d, const struct foci_map *m,
                       struct fk__csv *w)
{
  const struct fk__place *pl = &c->places[s];
  struct fk__rng r =
      fk__rng_make(c->opts->seed, FK__RNG_SIGNALS, (uint64_t)s | 1ULL << 40, (uint64_t)d);
  uint32_t n = poisson(&r, pl->capacity * ABSENCE_RATE * boost(m, pl->grid, d)), by[6] = {0};
  for (uint32_t i = 0; i < n; i++)
    by[fk__rng_below(&r, 6)]++;
  for (int g = 0; g < 6; g++) {
    if (!by[g]) continue;
    fk__csv_row(w);
    fk__csv_id(w, 'L', s + 1);
    fk__csv_c(w, ',');
    fk__csv_date(w, d);
    fk__csv_c(w, ',');
    fk__csv_u64(w, (uint64_t)g + 1);
    fk__csv_str(w, "-1,");
    fk__csv_u64(w, by[g]);
    fk__csv_end(w);
  }
}

/* Each district's sentinel ILI count (counts.csv, channel ili) on day d. */
static void ili_day(const struct fk__city *c, fk_date d, const struct foci_map *m,
                    struct fk__csv *w)
{
  for (int k = 0; k < FK__NDISTRICTS; k++) {
    struct fk__rng r =
        fk__rng_make(c->opts->seed, FK__RNG_SIGNALS, (uint64_t)k | 1ULL << 41, (uint64_t)d);
    double mean = m->residents[k] * ILI_RATE * (1.0 + ILI_DISTRICT * excess(d, m->district[k]));
    uint32_t n = poisson(&r, mean);
    if (!n || !m->residents[k]) continue;
    fk__csv_row(w);
    fk__csv_date(w, d);
    fk__csv_str(w, ",/");
    fk__csv_str(w, fk__districts[k].name);
    fk__csv_str(w, ",ili,");
    fk__csv_u64(w, n);
    fk__csv_end(w);
  }
}

int fk__write_signals(const struct fk__city *c, const struct fk__focus *foci, uint32_t nfoci,
                      struct fk__csv *clinic, struct fk__csv *sales, struct fk__csv *absences,
                      struct fk__csv *counts)
{
  struct foci_map m;
  memset(&m, 0, sizeof m);
  int rc = map_foci(c, foci, nfoci, &m);
  const fk_date first = c->opts->start - SIGNAL_HISTORY, last = c->opts->start + c->opts->days - 1;
  for (fk_date d = first; !rc && d <= last; d++) {
    char prefix[11];
    fk__csv_day_prefix(d, prefix);
    for (uint32_t p = 0; p < c->npersons; p++) {
      uint32_t grid = c->places[c->persons[p].home].grid;
      person_day(c, p, d, prefix, boost(&m, grid, d), clinic, sales);
    }
    if ((d + 3) % 7 < 5) /* 1970-01-01 was a Thursday: Monday .. Friday */
      for (uint32_t s = 0; s < c->nplaces; s++)
        if (c->places[s].kind == K_SCHOOL || c->places[s].kind == K_KINDERGARTEN)
          school_day(c, s, d, &m, absences);
    ili_day(c, d, &m, counts);
    rc = clinic->err     ? clinic->err
         : sales->err    ? sales->err
         : absences->err ? absences->err
                         : counts->err;
  }
  fk_free(m.grid);
  fk_free(m.street);
  return rc;
}
