/*
 * Risk areas (风险区): designated from cases, counted down, restarted by new infections inside,
 * downgraded step by step as the rules' `areas` section says, lifted; and the level an area had
 * at any time, so that a person who left it is matched to the area as it was (docs/AREAS.md).
 *
 * An area is a grid (网格: the feeds know a person's grid, not their compound) or a district
 * (the rest of a county, low while it holds a higher area). Designation (areas.designate): a
 * case's home grid gets designate.home's level, the grid of each place where the case stayed in
 * its tracing window (of the kinds designate.stayed names) gets designate.stayed's level, both
 * from the day the case is known (its positive sample; a later stay from its own day). Any
 * such case is a new infection inside the grid: it restarts the count (restart_on_new_infection)
 * and raises the level when its own is higher. Day 0 of a count is the day of the last new
 * infection (or the last day at the level before a downgrade); a step of N days takes effect on
 * day N + 1, once the screening its `screening_day` asks for passed: on that day of the count, or
 * on the first later day, at least one resident sampled and every resident's sample that day
 * negative (a positive or a pending sample fails it). No day count lives in code.
 *
 * Costs grow with the cases, their stays and the designated grids' residents' samples, not with
 * the city: stays come from the trace index (the store has no person-first index of check-ins,
 * which would slow imports), grids and samples from indexed store lookups.
 */
#ifndef FANGKONG_AREAS_H
#define FANGKONG_AREAS_H

#include "fangkong/export.h"

#include <stddef.h>

#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/time.h"

struct fk_diag;
struct fk_trace_index;

struct fk_areas_stats {
  long cases;                     /* cases known by now */
  long events;                    /* new infections inside a grid (home and stays) */
  long areas;                     /* areas computed (grids and districts ever designated) */
  long in_force[FK_AREA_NLEVELS]; /* areas in force today, by level */
  long written;                   /* areas written (0 when nothing changed) */
};

/*
 * Brings every area up to date as of now from the cases the store holds (sampled by now), their
 * stays in the index ix (built over st under rules, borrowed; NULL: one is built for the call,
 * which costs the whole city's check-ins) and the samples of the designated grids' residents;
 * writes the areas whose history changed, in one transaction. Running it twice with the same
 * now writes nothing. stats may be NULL.
 * Returns 0, FK_ENOMEM or FK_ESTORE (diag says why).
 */
FK_API int fk_areas_update(struct fk_store *st, const struct fk_trace_index *ix,
                           const struct fk_rules *rules, fk_time now, struct fk_areas_stats *stats,
                           struct fk_diag *diag);

/*
 * As fk_areas_update, reading each case's stays as the tick kept them when it traced the case
 * (fk_store_put_case_stays), so that no trace index is needed: what `fangkong tick` runs.
 * Returns as fk_areas_update.
 */
FK_API int fk_areas_update_traced(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                                  struct fk_areas_stats *stats, struct fk_diag *diag);

/* The stored areas, loaded once for many questions. */
struct fk_areas {
  struct fk_area_row *a; /* by area_id (strcmp order) */
  int n;
};

/* Loads every stored area into *out (free with fk_areas_free). Returns 0, FK_ENOMEM or
 * FK_ESTORE (diag says why); on failure *out is empty. */
FK_API int fk_areas_load(struct fk_store *st, struct fk_areas *out, struct fk_diag *diag);

/* Frees what fk_areas_load gave (the struct itself is the caller's). */
FK_API void fk_areas_free(struct fk_areas *as);

/* The stored area named area_id, or NULL. Borrowed from as. */
FK_API const struct fk_area_row *fk_areas_find(const struct fk_areas *as, const char *area_id);

/* The span of a in force on date d, or NULL (not in force then). Borrowed from a. */
FK_API const struct fk_area_span *fk_area_span_at(const struct fk_area_row *a, fk_date d);

/*
 * The level of area_id at time t (the city's date of t), as the stored history says: a grid's
 * own level when it is high or medium then, else its district's (low, or none). Sets *level to
 * an enum fk_area_level, or -1 when no risk area holds it then. *span (may be NULL) gets the
 * span that decided, borrowed from as, or NULL.
 */
FK_API void fk_areas_level_at(const struct fk_areas *as, const char *area_id, fk_time t, int *level,
                              const struct fk_area_span **span);

/*
 * The same from the store: loads the areas, answers, frees. Returns 0, FK_ENOMEM or FK_ESTORE.
 */
FK_API int fk_area_level_at(struct fk_store *st, const char *area_id, fk_time t, int *level,
                            struct fk_diag *diag);

/*
 * What an origin text names among the areas: a grid area's id or a district area's name
 * directly, else (through the store) a grid_id or place_id whose grid or district is an area.
 * Sets *level to the level it had at t (or -1) and writes the area_id that decided to
 * area_id (size FK_AREA_ID; "" when none). Returns 0 or FK_ESTORE.
 */
FK_API int fk_areas_match(const struct fk_areas *as, struct fk_store *st, const char *origin,
                          fk_time t, int *level, char *area_id);

#endif
