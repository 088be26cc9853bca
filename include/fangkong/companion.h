/*
 * Spatiotemporal companions (时空伴随者): persons whose phones were in the same square cell as a
 * case's phone, long enough and in a cell where one of them lives or works (docs/TRACING.md,
 * "Spatiotemporal companions", is the definition; this is its summary).
 *
 * Cells are squares of `cell_meters` on an equirectangular projection fixed at 37.87 N,
 * 112.55 E (Taiyuan's centre), so a cell id ("800:3:-2": side, column east, row north of the
 * centre) means the same place in every run and every store. A person's pings, in time order,
 * make presences: a run of pings in one cell, each within `max_gap` of the previous, is present
 * from the first ping until `ping` seconds after the last, or until the next ping elsewhere if
 * sooner. A person is a companion of a case when one of their presences overlaps one of the
 * case's (cut to the case's tracing window) by more than `min_overlap` seconds, and either of
 * the two was present in that cell for more than `dwell` seconds in the `lookback_days` x 24
 * hours that end when that overlap ends.
 *
 * The index holds every presence twice (by person and by cell, sorted by time), about 32 bytes
 * a presence and typically 3 to 8 bytes a ping since a stay's pings collapse into one presence.
 * It is built from the store in one pass and is read-only afterwards: any number of concurrent
 * fk_companions_case calls on one index are fine. It is not refreshed incrementally (yet):
 * rebuild it to see new pings.
 */
#ifndef FANGKONG_COMPANION_H
#define FANGKONG_COMPANION_H

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/time.h"

struct fk_diag;
struct fk_store;
struct fk_companion_index;

/* Pass as `now` when there is none: then only an isolated case can be traced. */
#define FK_COMPANION_NO_NOW FK_TIME_NONE

/* Cell ids as text: "800:3:-2" (side in meters, column, row); 48 bytes always suffice. */
#define FK_COMPANION_CELLSZ 48

/*
 * Builds the index of every ping and case in st under rules (copied: rules.companion and
 * rules.trace.window_days are what it uses). On success *out owns it; free it with
 * fk_companion_index_free. Returns 0, FK_ENOMEM or FK_ESTORE (diag says why).
 */
FK_API int fk_companion_index_build(struct fk_store *st, const struct fk_rules *rules,
                                    struct fk_companion_index **out, struct fk_diag *diag);

/* Frees the index (NULL is fine). */
FK_API void fk_companion_index_free(struct fk_companion_index *ix);

struct fk_companion_index_stats {
  long pings;     /* pings read */
  long skipped;   /* pings outside 2000..2135 or off the map, not indexed */
  long presences; /* presences made of them */
  long cells;     /* cells with any presence */
  long cases;
  size_t bytes; /* everything the index holds */
};

/* Fills *out with the index's sizes. */
FK_API void fk_companion_index_stats(const struct fk_companion_index *ix,
                                     struct fk_companion_index_stats *out);

/* Calls fn(arg, person) for every case in the index, in person order. */
FK_API void fk_companion_each_case(const struct fk_companion_index *ix,
                                   void (*fn)(void *arg, int64_t person), void *arg);

/* Writes cell's text id ("800:3:-2") into buf (FK_COMPANION_CELLSZ bytes); returns buf. */
FK_API char *fk_companion_cell_format(const struct fk_companion_index *ix, int64_t cell, char *buf);

/* Which party was in the cell more than `dwell` over the lookback. */
enum fk_companion_party { FK_PARTY_INDEX = 0, FK_PARTY_CONTACT = 1 };

/* One companion in one cell: the case and the person met there, and why. */
struct fk_companion {
  int64_t index_person, person; /* the store's internal person ids */
  int64_t cell;                 /* see fk_companion_cell_format */
  fk_time first, last;          /* start of the first qualifying overlap, end of the last */
  fk_time together;             /* seconds of the qualifying overlaps in this cell */
  int overlaps;                 /* how many qualifying overlaps */
  /* The dwell rule at the first qualifying overlap: who met it (the case if both did) and
   * each party's seconds in the cell over the lookback ending with that overlap. */
  enum fk_companion_party dwell_party;
  fk_time index_dwell, contact_dwell;
};

struct fk_companion_result {
  int64_t index_person;
  fk_time window_start, window_end;
  struct fk_companion *companions; /* by person, then cell */
  size_t ncompanions;
};

/*
 * Finds the companions of one case as of `now` (FK_COMPANION_NO_NOW: the case must be
 * isolated). On success the caller frees *out with fk_companion_result_free. Returns 0,
 * FK_ENOTFOUND (not a case), FK_EINVAL (the case is not isolated and there is no now) or
 * FK_ENOMEM, with the reason in diag.
 */
FK_API int fk_companions_case(const struct fk_companion_index *ix, int64_t case_person, fk_time now,
                              struct fk_companion_result *out, struct fk_diag *diag);

/* Frees what a result holds (the struct itself is the caller's). */
FK_API void fk_companion_result_free(struct fk_companion_result *r);

#endif
