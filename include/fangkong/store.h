/*
 * The store: the one source of truth. Callers see only this interface; the SQLite backend (the
 * embedded default, WAL journal) lives in src/store/ and a PostgreSQL backend will implement the
 * same operations (src/store/store_impl.h) without touching any caller.
 *
 * Rows go in as feed rows (struct fk_value arrays laid out as the feed's columns, see feed.h).
 * The store resolves references (person_id -> person), enforces foreign keys and natural keys,
 * and tells the caller whether a row was stored, was a duplicate, or conflicted. Writes are
 * grouped into explicit transactions so an import commits in batches: a crash at any instant
 * leaves every committed batch and nothing of the one in flight.
 */
#ifndef FANGKONG_STORE_H
#define FANGKONG_STORE_H

#include "fangkong/feed.h"
#include "fangkong/table.h"
#include "fangkong/time.h"

struct fk_diag;
struct fk_store;

/* The schema version this program writes (PRAGMA user_version for SQLite). */
#define FK_STORE_SCHEMA_VERSION 3

/*
 * Opens (creating and migrating when needed) the store at `location`: a file path for SQLite.
 * On success *out owns the store; close it with fk_store_close. Returns 0, FK_EIO when the file
 * cannot be opened, FK_ESCHEMA when it was written by a newer program, FK_ESTORE otherwise;
 * diag says why.
 */
int fk_store_open(const char *location, struct fk_store **out, struct fk_diag *diag);

/* Closes the store, rolling back an open transaction. NULL is fine. */
void fk_store_close(struct fk_store *st);

/* Transactions. Each returns 0 or FK_ESTORE (diag-less; fk_store_errmsg tells more). */
int fk_store_begin(struct fk_store *st);
int fk_store_commit(struct fk_store *st);
int fk_store_rollback(struct fk_store *st);

/* Returns the backend's last error message (static or owned by st); never NULL. */
const char *fk_store_errmsg(struct fk_store *st);

/*
 * Stores one row of `feed` (row[i] is column i, parsed by fk_value_parse and checked by
 * feed->check). Returns 0 when stored, FK_EDUP when an identical row is already stored (skipped),
 * FK_ECONFLICT when a stored row has the same natural key and other values, FK_ENOREF when a
 * reference names nothing stored (diag->field names the column), FK_ESTORE on a backend error.
 * Borrows row for the call only.
 */
int fk_store_put(struct fk_store *st, const struct fk_feed *feed, const struct fk_value *row,
                 struct fk_diag *diag);

/*
 * Calls row(arg, cells) for every stored row of feed in the order stored, cells[i] being column
 * i of the feed as text in the feed's own format (references back as natural keys, times as
 * ISO 8601 in the city's zone; NULL for an empty field). Cells are borrowed for the call. Stops
 * at the first non-zero return of row, and returns it; else 0, or FK_ESTORE.
 */
int fk_store_scan(struct fk_store *st, const struct fk_feed *feed,
                  int (*row)(void *arg, const char *const *cells), void *arg);

/*
 * Declares that the writes that follow are a bulk load (1) or not (0). In a bulk load the
 * backend may skip its own re-check of references, since fk_store_put resolves every reference
 * against the stored keys before writing (a row naming nothing is refused with FK_ENOREF
 * either way). Call outside a transaction. Returns 0 or FK_ESTORE.
 */
int fk_store_set_bulk(struct fk_store *st, int bulk);

/*
 * Checks the store's consistency: the backend's integrity check and that every reference names
 * a stored row. Returns 0, or FK_ESTORE with the first problem in diag.
 */
int fk_store_verify(struct fk_store *st, struct fk_diag *diag);

struct fk_trace_result;

/*
 * Writes a trace back with its evidence: the run (index case, now -- FK_TIME_NONE for none --,
 * the depth traced, rule set, window),
 * every contact and every exposure, and the links to other cases. Replaces what an earlier
 * run saved for the same index case, in one transaction, so re-running is safe. Borrows r.
 * Returns 0 or FK_ESTORE (diag says why).
 */
int fk_store_save_trace(struct fk_store *st, const struct fk_trace_result *r, fk_time now,
                        const char *rules, struct fk_diag *diag);

/* Rows as derived indexes read them: internal ids, epoch seconds, no text conversions. */
struct fk_checkin_row {
  int64_t id; /* the event id: increases with every check-in stored */
  int64_t person, place;
  fk_time in, out;
  int has_out;
};

struct fk_person_row {
  int64_t id;
  const char *person_id, *household_id; /* borrowed for the callback */
};

struct fk_place_row {
  int64_t id;
  const char *place_id; /* borrowed for the callback */
  int kind;             /* index in fk_place_kinds */
};

struct fk_ping_row {
  int64_t id; /* increases with every ping stored */
  int64_t person;
  fk_time at;
  double lat, lon;
};

struct fk_case_row {
  int64_t person;
  int asymptomatic;
  int has_onset, has_isolated;
  fk_date onset;
  fk_time sampled, isolated;
};

/*
 * Calls fn for every row with an id above after_id (0 for all), in id order; cases come all,
 * in person order. Stops at the first non-zero return of fn and returns it; else 0 or
 * FK_ESTORE. Rows are borrowed for the call.
 */
int fk_store_each_checkin(struct fk_store *st, int64_t after_id,
                          int (*fn)(void *arg, const struct fk_checkin_row *row), void *arg);
int fk_store_each_person(struct fk_store *st, int64_t after_id,
                         int (*fn)(void *arg, const struct fk_person_row *row), void *arg);
int fk_store_each_place(struct fk_store *st, int64_t after_id,
                        int (*fn)(void *arg, const struct fk_place_row *row), void *arg);
int fk_store_each_case(struct fk_store *st, int (*fn)(void *arg, const struct fk_case_row *row),
                       void *arg);
int fk_store_each_ping(struct fk_store *st, int64_t after_id,
                       int (*fn)(void *arg, const struct fk_ping_row *row), void *arg);

/* Sets *version to the schema version found in the store. Returns 0 or FK_ESTORE. */
int fk_store_version(struct fk_store *st, int *version);

/*
 * Summaries for `fangkong stats`: *feeds gets one row per feed (feed, rows, first, last: the
 * date range where the feed has times), *districts one row per district (district, streets,
 * communities, grids, persons, places, checkins). The caller frees both with fk_table_free.
 * Returns 0, FK_ENOMEM or FK_ESTORE.
 */
int fk_store_stats(struct fk_store *st, struct fk_table **feeds, struct fk_table **districts);

#endif
