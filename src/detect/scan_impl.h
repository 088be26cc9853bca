/*
 * Internals of the space-time permutation scan (see fangkong/scan.h), shared by its files:
 * scan_input.c (locations and cases), scan_geo.c (distances and circles), scan.c (the study's
 * margins, the observed clusters), scan_mc.c (the Monte Carlo replicates), scan_eval.c (every
 * circle's best cylinder), scan_llr.c (the LLR) and the readers. Calls between them run one
 * way, never back: each of scan.c, scan_mc.c, scan_eval.c and scan_llr.c calls only files
 * after it in that list (and scan.c scan_geo.c, which calls none); the readers call
 * scan_input.c. So each file can be read, and tested, knowing only those below it.
 */
#ifndef FK_DETECT_SCAN_IMPL_H
#define FK_DETECT_SCAN_IMPL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strmap.h"
#include "fangkong/scan.h"

/*
 * A floor: a count a cylinder must reach to be scored. Two bytes, so a table of floors for every
 * circle size stays in cache; a floor above FK__SCAN_FLOOR_MAX is stored as that, which only
 * scores a few more cylinders than needed (a floor is safe whenever it is not above the true
 * one). All bits set is the maximum, so memset(0xff) fills a table with it.
 */
typedef uint16_t fk__scan_floor;
#define FK__SCAN_FLOOR_MAX 65535

static inline fk__scan_floor fk__scan_floor_of(int64_t c)
{
  return c < FK__SCAN_FLOOR_MAX ? (fk__scan_floor)c : FK__SCAN_FLOOR_MAX;
}

/* Cases added at one location on one day (not merged: the study period picks them later). */
struct fk__scan_cell {
  uint32_t loc;
  fk_date day;
  int64_t n;
};

struct fk_scan_input {
  struct fk__strmap index; /* id -> location index */
  char **ids;
  double *lat, *lon;
  size_t nloc, loccap;
  struct fk__scan_cell *cells;
  size_t ncells, cellcap;
  int64_t total; /* cases over all days */
};

/*
 * The study, once the margins are known: what the observed scan and every replicate share,
 * read-only. Locations without cases in the period are left out of the circles' hot lists
 * (they change neither count) but kept when a cluster's members are listed.
 */
struct fk__scan_study {
  const struct fk_scan_input *in;
  size_t nloc;
  int ndays, k; /* days in the period; cylinder lengths 1..k */
  int kp;       /* rows of obs and of floors: k rounded up to 8, padded with 0 and
                   FK__SCAN_FLOOR_MAX, so the common k <= 8 is one fixed-width step */
  fk_date start, end;
  int64_t C;                   /* cases in the period */
  int64_t *cz;                 /* cases per location over the period */
  int64_t s[FK_SCAN_MAX_DAYS]; /* s[a]: cases on the last a+1 days */
  int64_t recent;              /* s[k-1]: the cases a replicate re-deals */
  int32_t *obs;                /* observed: cases at location z aged <= a, at obs[z*kp + a] */
  uint32_t *cases;             /* C entries: the location of every case, grouped by location */
  /* Circles: centre i's neighbours with cases, nearest first, within the size limit. */
  size_t *nb_off; /* nloc + 1 offsets into nb */
  uint32_t *nb;
  /* The LLR by table lookups (when C is small enough to tabulate, else NULL: direct logs). */
  double *xlogx;   /* x ln x for x in 0..C */
  double *logi;    /* ln x for x in 0..maxcz (ln 0 unused) */
  double *logrest; /* ln(C^2 - cz s[a]) at [a*(maxcz+1) + cz] */
  double logs[FK_SCAN_MAX_DAYS];
  int64_t maxcz; /* the most cases a circle may hold */
  /* With the tables: floor0[cz * kp + a], the least count above the expected of a cylinder of
   * a+1 days holding cz cases of the period (cz s[a] / C), so no cylinder below scores. */
  fk__scan_floor *floor0;
};

/* Above this many cases (or table entries) the LLR is computed with logs instead of tables, to
 * bound memory; a test lowers it to cover that path. Read when a study is prepared. */
extern int64_t fk__scan_table_max;

/* The best cylinder found about one centre. */
struct fk__scan_best {
  double stat;  /* comparable LLR (fk__scan_stat); 0 when none beats its expectation */
  uint32_t pos; /* neighbours in the hot list, 1-based (0: none) */
  int a;        /* days - 1 */
  int64_t c, cz;
};

/* The LLR of c cases in a cylinder holding cz cases of the period over its last a+1 days, as
 * compared between the observed data and the replicates (0 unless c exceeds the expected);
 * defined at the end of this file, inline, for the hot loop. */
static inline double fk__scan_stat(const struct fk__scan_study *s, int64_t c, int64_t cz, int a);

/*
 * Scans every circle with counts obs (laid out as study->obs). With best != NULL, writes the
 * best cylinder of each centre there; returns the greatest statistic. A cylinder of a+1 days
 * holding cz cases of the period is skipped when its count is below floor[cz * kp + a] (see
 * scan_mc.c; floor NULL: study->floor0, when there are tables); with floors above floor0 the
 * result is exact only when above the threshold they were made for.
 */
double fk__scan_circles(const struct fk__scan_study *s, const int32_t *obs,
                        const fk__scan_floor *floor, struct fk__scan_best *best);

/* The circle about centre i through location `last`: the locations nearer than it, or as near
 * and before it, nearest first (ties by index) into order, their distances in km into dist;
 * returns how many (last is the final one). xyz holds unit vectors, 3 a location; order, dist
 * and scratch have room for nloc (scratch: FK__SCAN_SCRATCH bytes a location). */
#define FK__SCAN_SCRATCH 32
size_t fk__scan_prefix(const double *xyz, size_t nloc, size_t i, size_t last, uint32_t *order,
                       double *dist, void *scratch);

/* Unit vectors of the locations of in (3 doubles each) into xyz. */
void fk__scan_xyz(const struct fk_scan_input *in, double *xyz);

/* Builds the circles' hot lists of the study (nb_off, nb). Returns 0 or FK_ENOMEM. */
int fk__scan_circles_build(struct fk__scan_study *s, const double *xyz);

/* Replicates run in full before the others are pruned, and the share of the least of their
 * maxima that the others' floors are made for (see scan_mc.c). A replicate whose maximum is
 * below the level is scanned twice, so the level is set low; the floors stay high enough to
 * skip almost every cylinder. A test raises the share to 1 to rescan more. */
#define FK__SCAN_PILOT 4
extern double fk__scan_level_share;

/*
 * Runs the Monte Carlo: writes the maximum statistic of replicate r into null[r] for r in
 * 0..replicates-1, on `threads` threads; the first `pilot` in full, the others pruned (the
 * maxima are the same either way). Returns 0, FK_ENOMEM or FK_EIO (a thread could not start);
 * diag says why.
 */
int fk__scan_replicates(const struct fk__scan_study *s, int replicates, int pilot, uint64_t seed,
                        int threads, double *null, struct fk_diag *diag);

/* Prepares the study of in over start..end with p (see fk_scan_run): margins, tables, circles.
 * Returns 0 or FK_ENOMEM; *outside gets the cases outside the period. Free with
 * fk__scan_study_free, also after a failure. */
int fk__scan_study_init(struct fk__scan_study *s, const struct fk_scan_input *in, fk_date start,
                        fk_date end, const struct fk_scan_params *p, int64_t *outside);
void fk__scan_study_free(struct fk__scan_study *s);

static inline double fk__scan_stat(const struct fk__scan_study *s, int64_t c, int64_t cz, int a)
{
  int64_t C = s->C;
  /* c > mu = cz s[a] / C, in integers (each product below 2^63 as C <= FK_SCAN_MAX_CASES): no
   * rounding decides whether a cylinder counts. */
  if (c * C <= cz * s->s[a]) return 0;
  if (s->xlogx) {
    return s->xlogx[c] + s->xlogx[C - c] - (double)c * (s->logi[cz] + s->logs[a]) -
           (double)(C - c) * s->logrest[(size_t)a * (size_t)(s->maxcz + 1) + (size_t)cz] +
           s->xlogx[C];
  }
  return fk_scan_llr(c, (double)cz * (double)s->s[a] / (double)C, C);
}

#endif
