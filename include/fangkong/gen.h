/*
 * The synthetic city: every feed of a city shaped like Taiyuan (太原市), written as CSV files that
 * the importer accepts row for row. Its ten districts and counties carry their real names,
 * division codes, populations and areas; grids, places, persons and households scale linearly
 * with `scale` (1 is about 5.4 million people, 5,000 grids and 100,000 places); each person moves
 * through a plausible day (home, work or school, transit, shops, restaurants, clinics, parks).
 *
 * Output is a pure function of the options: the same options give byte-identical files on any
 * run, since every random draw comes from a stream keyed by (seed, what, who, day). Nothing here
 * reads the clock or keeps global state. Cost: at scale 0.1 for 14 days about 22 million
 * check-ins (1.7 GB), written in well under a minute; memory about 80 bytes a person.
 * It does not model disease spread: an outbreak is a few seeded cases and their households.
 */
#ifndef FANGKONG_GEN_H
#define FANGKONG_GEN_H

#include "fangkong/export.h"

#include <stdint.h>

#include "feed.h"
#include "time.h"

struct fk_diag;

struct fk_gen_opts {
  double scale;  /* share of the real city to generate, in (0, 2]; 0.01 is ~54,000 people */
  int days;      /* days of mobility, samples and arrivals, 1..366 */
  fk_date start; /* first day of the window (a civil date in the city) */
  uint64_t seed; /* any value; equal options give equal bytes */
  int outbreak;  /* index cases to seed (0..100000); 0 writes a header-only cases.csv */
  int pings;     /* 1: phone pings (pings.csv) at every stay and at home overnight; 0: none,
                    a header-only pings.csv. About 51 a person a day (2.8 M a day at 0.01). */
};

/* What was written, by feed (indexes are enum fk_feed_id). */
struct fk_gen_stats {
  uint64_t rows[FK_FEED_COUNT];  /* data rows, header not counted */
  uint64_t bytes[FK_FEED_COUNT]; /* file size, header included */
};

/* Fills opts with the defaults: scale 0.01, 14 days from 2022-07-01, seed 1, no outbreak, no
 * pings. */
FK_API void fk_gen_opts_init(struct fk_gen_opts *opts);

/*
 * Checks opts (ranges above); returns 0 or FK_ERANGE with the reason in diag (may be NULL).
 */
FK_API int fk_gen_opts_check(const struct fk_gen_opts *opts, struct fk_diag *diag);

/*
 * Writes grids.csv, persons.csv, places.csv, sites.csv, rooms.csv, checkins.csv, cases.csv,
 * samples.csv, arrivals.csv, vaccinations.csv and pings.csv into outdir (created if missing;
 * existing files of those names are replaced). opts and outdir are borrowed for the call; stats
 * (may be NULL) receives the rows and bytes of each file. Returns 0, or FK_ERANGE (bad options),
 * FK_ENOMEM or FK_EIO, with the file and reason in diag (may be NULL). On failure, files may be
 * partly written.
 */
FK_API int fk_gen_city(const struct fk_gen_opts *opts, const char *outdir,
                       struct fk_gen_stats *stats, struct fk_diag *diag);

#endif
