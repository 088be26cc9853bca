/*
 * The space-time permutation scan statistic (Kulldorff et al. 2005, PLoS Med 2(3):e59), as
 * SaTScan computes it for prospective daily surveillance: which group of nearby locations has
 * had, over the last few days, more cases than its own history and the city's recent days
 * predict? Only cases are needed -- no population -- because the expected count of a location
 * and day comes from the margins: (cases at the location over the study period) x (cases on the
 * day everywhere) / (all cases).
 *
 * Cylinders: a circle centred on each location, grown by nearest neighbours while it holds at
 * most `max_share` of all cases, times the last 1..max_days days ending on the end of the study
 * period. Each is scored by the Poisson generalized log-likelihood ratio for high rates; the
 * best of each centre is a candidate, and candidates sharing no location with a better one are
 * reported (SaTScan's "no geographical overlap"). Significance comes from Monte Carlo
 * replicates in which the case dates are randomly permuted against the locations: p is the rank
 * of a cluster's LLR among the replicates' maxima, divided by replicates + 1.
 *
 * Cost: the expected counts never change under permutation, so a replicate only re-deals the
 * cases of the last max_days days (O(recent cases)) and rescans the circles; 999 replicates of
 * 300 locations take well under a second (docs/PERFORMANCE.md). Replicate r draws from its own
 * random stream, derived from (seed, r), so results do not depend on the number of threads.
 *
 * Not done: other models (Poisson with population, Bernoulli), ellipses, retrospective
 * analyses, covariates, adjustment for earlier analyses. See docs/SCAN.md.
 */
#ifndef FANGKONG_SCAN_H
#define FANGKONG_SCAN_H

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/time.h"

struct fk_diag;
struct fk_store;

/* SaTScan's own Earth radius: it measures latitude/longitude as the chord on a sphere of 6367
 * km. The scan keeps it, rather than the mean radius (6371.0088 km) the rest of fangkong uses,
 * so that its distances, circles and radii are SaTScan's. */
#define FK_SCAN_EARTH_KM 6367.0

/* Limits that bound memory and time for hostile input; beyond them the input is refused. */
#define FK_SCAN_MAX_DAYS 366        /* days of a study period */
#define FK_SCAN_MAX_LOCATIONS 20000 /* locations: circles take up to n^2/2 entries */
#define FK_SCAN_MAX_CASES 100000000 /* cases in the study period */
#define FK_SCAN_MAX_REPLICATES 1000000
#define FK_SCAN_MAX_THREADS 256

/* How to scan. The command fills it from the rule set's `scan` section and its options. */
struct fk_scan_params {
  int max_days;     /* cylinders last 1..max_days days, ending on the end date (>= 1) */
  double max_share; /* a circle holds at most this share of all cases, in (0, 1] */
  int replicates;   /* Monte Carlo replicates (0: no p-values) */
  uint64_t seed;    /* the replicates' random streams derive from it */
  int threads;      /* worker threads; 0: one per online processor */
};

/* The locations and cases to scan: built with fk_scan_add_location and fk_scan_add_cases, or by
 * the readers below. Opaque. */
struct fk_scan_input;

/* Makes an empty input into *out. Returns 0 or FK_ENOMEM. Free with fk_scan_input_free. */
FK_API int fk_scan_input_new(struct fk_scan_input **out);

/* Frees the input (NULL is fine). */
FK_API void fk_scan_input_free(struct fk_scan_input *in);

/*
 * Adds location `id` (the n bytes at id, copied) at latitude lat and longitude lon (degrees).
 * Returns 0, FK_EDUP when the id is already there, FK_ERANGE for a coordinate off the globe or a
 * location beyond FK_SCAN_MAX_LOCATIONS, FK_ENOMEM; diag (may be NULL) says why.
 */
FK_API int fk_scan_add_location(struct fk_scan_input *in, const char *id, size_t n, double lat,
                                double lon, struct fk_diag *diag);

/* Returns the index of location id (n bytes), or -1. */
FK_API long fk_scan_find_location(const struct fk_scan_input *in, const char *id, size_t n);

/* Returns the number of locations, and the id of location i (borrowed from in). */
FK_API size_t fk_scan_nlocations(const struct fk_scan_input *in);
FK_API const char *fk_scan_location_id(const struct fk_scan_input *in, size_t i);

/*
 * Adds n >= 0 cases at location index loc on day `day`. Returns 0, FK_EINVAL for a bad index,
 * FK_ERANGE when the total would pass FK_SCAN_MAX_CASES, FK_ENOMEM.
 */
FK_API int fk_scan_add_cases(struct fk_scan_input *in, size_t loc, fk_date day, int64_t n);

/* Sets *first and *last to the earliest and latest day with cases; returns 0, or FK_ENOTFOUND
 * when there are no cases. */
FK_API int fk_scan_days(const struct fk_scan_input *in, fk_date *first, fk_date *last);

/* A cluster: a circle of locations over days start..end. */
struct fk_scan_cluster {
  size_t centre;    /* index of the centre location */
  double radius_km; /* distance from the centre to the farthest location inside */
  size_t nlocs;     /* locations inside, nearest the centre first */
  size_t *locs;     /* location indexes, owned by the result */
  fk_date start, end;
  int64_t observed; /* cases inside the cylinder */
  double expected;  /* expected cases inside under the null, from the margins */
  double llr;       /* the log-likelihood ratio */
  double p_value;   /* rank among the replicates / (replicates + 1); 1 when none were run */
};

struct fk_scan_result {
  fk_date start, end; /* the study period scanned */
  int max_days;       /* the longest cylinder actually tried (max_days, or fewer days held) */
  int64_t cases;      /* cases in the study period */
  int64_t outside;    /* cases outside the study period, not scanned */
  int replicates;
  double *null_llr; /* the replicates' maximum LLR, in replicate order (owned; replicates) */
  size_t nclusters; /* the most likely cluster first, then the secondary ones */
  struct fk_scan_cluster *clusters; /* owned */
};

/*
 * Scans the cases of `in` on days start..end (inclusive; cases on other days are counted in
 * result->outside and otherwise ignored) with the parameters p, writing the clusters into *out
 * (the caller frees it with fk_scan_result_free, also after a failure). No cluster is reported
 * when no cylinder has more cases than expected. Borrows in and p for the call. Returns 0,
 * FK_EINVAL for bad parameters or an empty study period, FK_ERANGE when the period is longer
 * than FK_SCAN_MAX_DAYS, FK_ENOMEM, FK_EIO when a thread cannot start; diag says why.
 */
FK_API int fk_scan_run(const struct fk_scan_input *in, fk_date start, fk_date end,
                       const struct fk_scan_params *p, struct fk_scan_result *out,
                       struct fk_diag *diag);

/* Frees what the result owns and zeroes it (NULL is fine). */
FK_API void fk_scan_result_free(struct fk_scan_result *r);

/*
 * The Poisson generalized log-likelihood ratio of `observed` cases in a cylinder expecting
 * `expected` of `total` cases: c ln(c/e) + (C-c) ln((C-c)/(C-e)) when c > e, else 0.
 */
FK_API double fk_scan_llr(int64_t observed, double expected, int64_t total);

/* Chord distance in km between two points given in degrees, on a sphere of FK_SCAN_EARTH_KM. */
FK_API double fk_scan_distance_km(double lat1, double lon1, double lat2, double lon2);

/* ---- Readers (scan_io.c). Each reads the n bytes at text; `origin` names the file in
 * messages. A bad row is skipped and reported through reject(arg, why) with file, line, field
 * and reason (reject may be NULL), and counted in *rejected; valid rows are kept. Each returns
 * 0, FK_EPARSE for a file that cannot be read at all (a header without a needed column), or
 * FK_ENOMEM; diag says why. ---- */

typedef void fk_scan_reject_fn(void *arg, const struct fk_diag *why);

/* SaTScan's coordinates file (.geo): location id, latitude, longitude, separated by spaces or
 * tabs. */
FK_API int fk_scan_read_geo(struct fk_scan_input *in, const char *text, size_t n,
                            const char *origin, fk_scan_reject_fn *reject, void *arg,
                            long *rejected, struct fk_diag *diag);

/* SaTScan's case file (.cas): location id, number of cases, date YYYY/MM/DD (or YYYY-MM-DD),
 * separated by spaces or tabs. A location must be in the coordinates read before. */
FK_API int fk_scan_read_cas(struct fk_scan_input *in, const char *text, size_t n,
                            const char *origin, fk_scan_reject_fn *reject, void *arg,
                            long *rejected, struct fk_diag *diag);

/* A regions file: CSV with a header naming region_id (or grid_id), lat and lon; other columns
 * are ignored, so grids.csv serves. */
FK_API int fk_scan_read_regions(struct fk_scan_input *in, const char *text, size_t n,
                                const char *origin, fk_scan_reject_fn *reject, void *arg,
                                long *rejected, struct fk_diag *diag);

/* counts.csv: date, region_id, channel, count (header in any order; channel may be absent).
 * Only rows of `channel` are read when it is not NULL; otherwise the file may hold one channel
 * only (FK_EINVAL names two when it holds more). Regions must have been read before. */
FK_API int fk_scan_read_counts(struct fk_scan_input *in, const char *text, size_t n,
                               const char *origin, const char *channel, fk_scan_reject_fn *reject,
                               void *arg, long *rejected, struct fk_diag *diag);

/* Parses the n bytes at s as a day written YYYY/MM/DD (SaTScan) or YYYY-MM-DD into *out.
 * Returns 0 or FK_EPARSE. */
FK_API int fk_scan_date_parse(const char *s, size_t n, fk_date *out);

/* The layouts the readers above take. */
enum fk_scan_layout { FK_SCAN_GEO, FK_SCAN_CAS, FK_SCAN_REGIONS, FK_SCAN_COUNTS };

/* Reads the file at path (borrowed) in `layout` with the reader above (channel: counts only).
 * Returns as that reader does, or FK_EIO when the file cannot be read. */
FK_API int fk_scan_read_file(struct fk_scan_input *in, enum fk_scan_layout layout, const char *path,
                             const char *channel, fk_scan_reject_fn *reject, void *arg,
                             long *rejected, struct fk_diag *diag);

/* The store's grids as locations (grid_id, lat, lon). Returns 0, FK_ESTORE or FK_ENOMEM. */
FK_API int fk_scan_load_grids(struct fk_scan_input *in, struct fk_store *st, struct fk_diag *diag);

/* The store's cases (confirmed and asymptomatic) at their home grid, on their onset date, or
 * the day of sampling when there is none. Grids must have been loaded. Returns 0, FK_ESTORE or
 * FK_ENOMEM. */
FK_API int fk_scan_load_cases(struct fk_scan_input *in, struct fk_store *st, struct fk_diag *diag);

#endif
