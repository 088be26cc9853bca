/*
 * Taiyuan's ten districts and counties as data (2020 census, /work/shared/design/CITY.md): real
 * names, GB/T 2260 codes, populations, areas, seats and their streets and towns, plus division
 * codes of other places for residents registered elsewhere. Read-only tables; no state.
 */
#ifndef FK_GEN_DIVISIONS_H
#define FK_GEN_DIVISIONS_H

#define FK__NDISTRICTS 10

struct fk__district {
  const char *code;           /* GB/T 2260 division code, 6 digits */
  const char *name;           /* 小店区 ... */
  long population;            /* 2020 census */
  double area_km2;            /* land area */
  double lon, lat;            /* seat of government */
  int urban;                  /* 1 for the six city districts, 0 for the counties */
  int communities;            /* communities and villages, real count (approximate) */
  const char *const *streets; /* streets (街道), towns (镇) and townships (乡), real names */
  int nstreets;
};

extern const struct fk__district fk__districts[FK__NDISTRICTS];

/* Division codes of places outside Taiyuan (Shanxi's other cities, other provinces). */
extern const char *const fk__other_codes[];
extern const int fk__n_other_codes;

#endif
