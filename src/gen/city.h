/*
 * The synthetic city held in memory while its feeds are written: grids, places indexed by
 * (district, kind) for capacity-weighted choice, and persons with what their days need (home,
 * role, anchor place). About 40 bytes a person and 40 a place; names, ID numbers and phones are
 * not stored but drawn again from each person's own stream when the row is written.
 */
#ifndef FK_GEN_CITY_H
#define FK_GEN_CITY_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/gen.h"
#include "base/rng.h"
#include "gen/divisions.h"
#include "gen/topics.h"
#include "gen/writer.h"

#define FK__NOPLACE UINT32_MAX

/* Kinds of place, in the order of fk_place_kinds (checked by a test against the names). */
enum fk__kind {
  K_SUPERMARKET,
  K_MARKET,
  K_RESTAURANT,
  K_OFFICE,
  K_FACTORY,
  K_SCHOOL,
  K_HOSPITAL,
  K_FEVER_CLINIC,
  K_PHARMACY,
  K_BUS,
  K_METRO,
  K_RAILWAY,
  K_AIRPORT,
  K_HOTEL,
  K_GYM,
  K_CINEMA,
  K_THEATRE,
  K_PARK,
  K_SCENIC,
  K_MALL,
  K_BANK,
  K_GOVERNMENT,
  K_CONSTRUCTION,
  K_COLD_STORE,
  K_KINDERGARTEN,
  K_UNIVERSITY,
  K_RESIDENTIAL,
  FK__NKINDS
};

/* What a person does on a weekday. */
enum fk__role {
  R_TODDLER,  /* 0-2, stays near home */
  R_INFANT_K, /* 3-5 in kindergarten */
  R_PUPIL,    /* 6-17 at school */
  R_STUDENT,  /* university */
  R_WORKER,   /* has a workplace */
  R_HOME,     /* adult without a workplace */
  R_RETIRED   /* 60 and over */
};

struct fk__grid {
  uint8_t district;
  uint16_t street;    /* index into the district's streets */
  uint16_t community; /* index within the district (names unique within the street) */
  double lat, lon;
};

struct fk__place {
  uint32_t grid;
  uint32_t capacity;
  uint8_t kind, district;
  double lat, lon;
};

struct fk__person {
  uint32_t household;
  uint32_t home;   /* residential place (its grid is the person's grid) */
  uint32_t anchor; /* workplace, school or campus, or FK__NOPLACE */
  fk_date birth;
  uint8_t district, sex /* 0 M, 1 F */, role, dorm /* lives in a collective household */;
};

struct fk__city {
  const struct fk_gen_opts *opts;
  uint32_t ngrids, nplaces, npersons, nhouseholds;
  struct fk__grid *grids;
  uint32_t grid_first[FK__NDISTRICTS + 1]; /* grids of district d: [grid_first[d], [d+1]) */
  struct fk__place *places;                /* ordered by district, then kind */
  uint64_t *place_cum;                     /* running capacity within each (district, kind) */
  uint32_t bucket[FK__NDISTRICTS][FK__NKINDS + 1]; /* places of (d, k): [bucket[d][k], [k+1]) */
  uint64_t district_cum[FK__NDISTRICTS];           /* running population, for choosing districts */
  struct fk__person *persons;
};

/* Builds grids (grids.c); returns 0 or FK_ENOMEM. */
int fk__gen_grids(struct fk__city *c);
/* Builds places (places.c), after grids; returns 0 or FK_ENOMEM. */
int fk__gen_places(struct fk__city *c);
/* Builds households and persons (people.c), after places; returns 0 or FK_ENOMEM. */
int fk__gen_people(struct fk__city *c);

/*
 * Returns a place of kind k chosen by capacity, in district d when it has one (else in the
 * nearest district that does), or FK__NOPLACE when the city has none of that kind.
 */
uint32_t fk__city_pick(const struct fk__city *c, struct fk__rng *r, int d, int k);
/* Returns a district drawn by population. */
int fk__city_pick_district(const struct fk__city *c, struct fk__rng *r);

/* Appends grid g's identifier ("G1401050001": district code and ordinal). */
void fk__put_grid_id(struct fk__csv *w, const struct fk__city *c, uint32_t g);

/* Writes grid g's "district street community" (小店区坞城街道东苑社区) into out; returns length. */
size_t fk__grid_locality(const struct fk__city *c, uint32_t g, char *out, size_t size);

/* Writers, one per feed; each returns 0 or an FK_E* code with diag set. */
int fk__write_grids(const struct fk__city *c, struct fk__csv *w);
int fk__write_places(const struct fk__city *c, struct fk__csv *w);
int fk__write_persons(const struct fk__city *c, struct fk__csv *w);
/* Writes check-ins, and pings into `pings` when not NULL (from the same day plans). */
int fk__write_checkins(const struct fk__city *c, struct fk__csv *w, struct fk__csv *pings);
/* Duty rosters (duty.csv): three shifts a day for the city, each district, street and
 * community, over the generated days and four weeks after (grids.c). */
int fk__write_duty(const struct fk__city *c, struct fk__csv *w);
int fk__write_vaccinations(const struct fk__city *c, struct fk__csv *w);
/* Writes quarantine sites and their rooms (sites.c), sized to the persons. */
int fk__write_sites(const struct fk__city *c, struct fk__csv *sites, struct fk__csv *rooms);
/* Where and when the seeded outbreak began: an index case's home grid and onset date. */
struct fk__focus {
  uint32_t grid;
  fk_date onset;
};

/*
 * Writes cases, samples and arrivals together, since they share the outbreak; *foci (freed by
 * the caller with fk_free) gets the index cases' grids and onsets, *nfoci of them.
 */
int fk__write_outbreak(const struct fk__city *c, struct fk__csv *cases, struct fk__csv *samples,
                       struct fk__csv *arrivals, struct fk__focus **foci, uint32_t *nfoci);

/* Writes the signal line lists (signals.c): fever-clinic visits, pharmacy sales and school
 * absences with a baseline, raised around the foci, and districts' ILI counts (counts.csv).
 * Returns 0, FK_ENOMEM or a write error. */
int fk__write_signals(const struct fk__city *c, const struct fk__focus *foci, uint32_t nfoci,
                      struct fk__csv *clinic, struct fk__csv *sales, struct fk__csv *absences,
                      struct fk__csv *counts);

/* Age in whole years on date `on` of someone born on `birth`. */
int fk__age_on(fk_date birth, fk_date on);

#endif
