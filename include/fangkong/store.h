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

#include "fangkong/export.h"

#include "fangkong/feed.h"
#include "fangkong/table.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;
struct fk_store;

/* The schema version this program writes (PRAGMA user_version for SQLite). */
#define FK_STORE_SCHEMA_VERSION 12

/*
 * Opens (creating and migrating when needed) the store at `location`: a file path for SQLite.
 * On success *out owns the store; close it with fk_store_close. Returns 0, FK_EIO when the file
 * cannot be opened, FK_ESCHEMA when it was written by a newer program, FK_ESTORE otherwise;
 * diag says why.
 */
FK_API int fk_store_open(const char *location, struct fk_store **out, struct fk_diag *diag);

/* Closes the store, rolling back an open transaction. NULL is fine. */
FK_API void fk_store_close(struct fk_store *st);

/* Transactions. Each returns 0 or FK_ESTORE (diag-less; fk_store_errmsg tells more). */
FK_API int fk_store_begin(struct fk_store *st);
FK_API int fk_store_commit(struct fk_store *st);
FK_API int fk_store_rollback(struct fk_store *st);
/* Ends the transaction begun: commits when rc is 0, else rolls back. Returns rc, or the
 * commit's error. */
FK_API int fk_store_end(struct fk_store *st, int rc);
/* When rc is an error and diag says nothing yet, says "<what>: <the store's message or rc's>".
 * Returns rc. */
FK_API int fk_store_fail(struct fk_store *st, int rc, struct fk_diag *diag, const char *what);

/* Returns the backend's last error message (static or owned by st); never NULL. */
FK_API const char *fk_store_errmsg(struct fk_store *st);

/*
 * Stores one row of `feed` (row[i] is column i, parsed by fk_value_parse and checked by
 * feed->check). Returns 0 when stored, FK_EDUP when an identical row is already stored (skipped),
 * FK_ECONFLICT when a stored row has the same natural key and other values, FK_ENOREF when a
 * reference names nothing stored (diag->field names the column), FK_ESTORE on a backend error.
 * Borrows row for the call only.
 */
FK_API int fk_store_put(struct fk_store *st, const struct fk_feed *feed, const struct fk_value *row,
                        struct fk_diag *diag);

/*
 * Calls row(arg, cells) for every stored row of feed in the order stored, cells[i] being column
 * i of the feed as text in the feed's own format (references back as natural keys, times as
 * ISO 8601 in the city's zone; NULL for an empty field). Cells are borrowed for the call. Stops
 * at the first non-zero return of row, and returns it; else 0, or FK_ESTORE.
 */
FK_API int fk_store_scan(struct fk_store *st, const struct fk_feed *feed,
                         int (*row)(void *arg, const char *const *cells), void *arg);

/*
 * Declares that the writes that follow are a bulk load (1) or not (0). In a bulk load the
 * backend may skip its own re-check of references, since fk_store_put resolves every reference
 * against the stored keys before writing (a row naming nothing is refused with FK_ENOREF
 * either way). Call outside a transaction. Returns 0 or FK_ESTORE.
 */
FK_API int fk_store_set_bulk(struct fk_store *st, int bulk);

/*
 * Checks the store's consistency: the backend's integrity check and that every reference names
 * a stored row. Returns 0, or FK_ESTORE with the first problem in diag.
 */
FK_API int fk_store_verify(struct fk_store *st, struct fk_diag *diag);

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
FK_API int fk_store_each_checkin(struct fk_store *st, int64_t after_id,
                                 int (*fn)(void *arg, const struct fk_checkin_row *row), void *arg);
FK_API int fk_store_each_person(struct fk_store *st, int64_t after_id,
                                int (*fn)(void *arg, const struct fk_person_row *row), void *arg);
FK_API int fk_store_each_place(struct fk_store *st, int64_t after_id,
                               int (*fn)(void *arg, const struct fk_place_row *row), void *arg);
FK_API int fk_store_each_case(struct fk_store *st,
                              int (*fn)(void *arg, const struct fk_case_row *row), void *arg);
FK_API int fk_store_each_ping(struct fk_store *st, int64_t after_id,
                              int (*fn)(void *arg, const struct fk_ping_row *row), void *arg);

/* An arrival, as the measures engine reads it. */
struct fk_arrival_row {
  int64_t id;
  int64_t person;
  fk_time arrived;
  int international;  /* 1: from abroad */
  const char *origin; /* as written in the feed, borrowed for the callback */
  fk_time left;       /* left_at: when the person left the origin; FK_TIME_NONE if not given */
};

/* A sample, as the measures engine reads it. */
struct fk_sample_row {
  int64_t id;
  int64_t person;
  fk_time sampled;
  int result;            /* 1 positive, 0 negative, -1 pending */
  const char *sample_id; /* borrowed for the callback */
};

/*
 * Arrivals (id order, after after_id) and samples: of one person (person > 0) or of everyone
 * (person 0), in id order. As the iterators above.
 */
FK_API int fk_store_each_arrival(struct fk_store *st, int64_t after_id,
                                 int (*fn)(void *arg, const struct fk_arrival_row *row), void *arg);
FK_API int fk_store_each_sample(struct fk_store *st, int64_t person,
                                int (*fn)(void *arg, const struct fk_sample_row *row), void *arg);

/* ---- Measures placed on persons (the stored vocabulary; see fangkong/measures.h) ---- */

#define FK_MEASURE_TEXT 512

struct fk_measure_test {
  int phase; /* index of the phase in the plan; -1 for a test kept from an earlier anchor */
  int day;   /* the test day within its phase */
  fk_date due;
  enum fk_test_status status;
  char sample_id[32]; /* "" when no sample answers it (a longer id is cut) */
};

/* Tests kept per measure: a plan of the shipped rules has at most 6; beyond this the oldest
 * tests kept from earlier anchors are dropped first. */
#define FK_MEASURE_MAXTESTS 32

struct fk_measure_row {
  int64_t id;     /* 0 for a measure not yet stored */
  int64_t person; /* internal person id */
  int64_t linked; /* a close contact's case, a secondary contact's close contact (internal
                     id), or 0 */
  int category;   /* enum fk_person_cat */
  int kind;       /* enum fk_measure_kind: the phase current when last applied */
  fk_date anchor, placed, start;
  fk_date end; /* INT32_MIN (FK_DATE_NONE) when open-ended */
  enum fk_measure_status status;
  char rule[FK_MEASURE_TEXT]; /* the rule's source clause */
  char reason[256];           /* why the person was placed */
  fk_time created;
  int ntests;
  struct fk_measure_test tests[FK_MEASURE_MAXTESTS];
};

/*
 * Calls fn for every stored measure of person (0: of everyone), in id order, tests in due order.
 * The row is borrowed for the call. Returns 0, fn's first non-zero return, or FK_ESTORE.
 */
FK_API int fk_store_each_measure(struct fk_store *st, int64_t person,
                                 int (*fn)(void *arg, const struct fk_measure_row *m), void *arg);

/*
 * Stores m: inserts it when m->id is 0 (setting m->id), else updates the row and replaces its
 * tests. Call inside a transaction to group writes. Returns 0 or FK_ESTORE (diag says why).
 */
FK_API int fk_store_put_measure(struct fk_store *st, struct fk_measure_row *m,
                                struct fk_diag *diag);

/* ---- Risk areas and their level history (see fangkong/areas.h) ---- */

#define FK_AREA_ID 132      /* a grid_id or a district's name, with its NUL */
#define FK_AREA_MAXSPANS 32 /* level changes kept per area; the oldest go first */

/* One stretch of time at one level: the dates [from, to), to FK_DATE_NONE while in force. */
struct fk_area_span {
  int level; /* enum fk_area_level */
  fk_date from, to;
  char reason[256];
};

struct fk_area_row {
  int64_t id; /* 0 for an area not yet stored */
  int kind;   /* enum fk_area_kind */
  char area_id[FK_AREA_ID];
  char district[FK_AREA_ID]; /* the district's name (the area_id of a district) */
  fk_date lifts_on;          /* projected lift if nothing new happens; FK_DATE_NONE: lifted */
  fk_time updated;           /* the `now` of the update that last changed it */
  int nspans;
  struct fk_area_span spans[FK_AREA_MAXSPANS]; /* by date */
};

/* Calls fn for every stored area, in id order. As fk_store_each_measure. */
FK_API int fk_store_each_area(struct fk_store *st,
                              int (*fn)(void *arg, const struct fk_area_row *a), void *arg);

/* Stores a (inserting when a->id is 0, setting it; else replacing the row and its spans). Call
 * inside a transaction to group writes. Returns 0 or FK_ESTORE (diag says why). */
FK_API int fk_store_put_area(struct fk_store *st, struct fk_area_row *a, struct fk_diag *diag);

/* Where something is: its grid (0 and "" for a district) and its district. */
struct fk_location {
  int64_t grid;
  char grid_id[FK_AREA_ID];
  char district[FK_AREA_ID];
};

enum fk_locate { FK_LOCATE_PERSON = 0, FK_LOCATE_PLACE, FK_LOCATE_TEXT };

/*
 * Locates a person's home grid (FK_LOCATE_PERSON, internal id), a place's grid
 * (FK_LOCATE_PLACE, internal id) or a name (FK_LOCATE_TEXT: text is a grid_id, a place_id or a
 * district's name, tried in that order). Returns 0, FK_ENOTFOUND or FK_ESTORE.
 */
FK_API int fk_store_locate(struct fk_store *st, enum fk_locate what, int64_t id, const char *text,
                           struct fk_location *out);

/* Calls fn for every sample taken in [from, to) by a person living in grid (internal region
 * id), in no particular order. As the iterators above. */
FK_API int fk_store_each_grid_sample(struct fk_store *st, int64_t grid, fk_time from, fk_time to,
                                     int (*fn)(void *arg, const struct fk_sample_row *row),
                                     void *arg);

/* Sets *person to the internal id of person_id, or 0 when unknown. Returns 0 or FK_ESTORE. */
FK_API int fk_store_person_id(struct fk_store *st, const char *person_id, int64_t *person);

/*
 * Sets *v to a number that changes whenever another connection (another process, or another
 * fk_store_open of the same file) has committed to the store since st last asked; commits made
 * through st itself do not change it. What a cache of rarely changed rows (the risk areas of the
 * entrance check) asks to know that it must read them again. Returns 0 or FK_ESTORE.
 */
FK_API int fk_store_data_version(struct fk_store *st, uint64_t *v);

/* Sets *version to the schema version found in the store. Returns 0 or FK_ESTORE. */
FK_API int fk_store_version(struct fk_store *st, int *version);

/*
 * Summaries for `fangkong stats`: *feeds gets one row per feed (feed, rows, first, last: the
 * date range where the feed has times), *districts one row per district (district, streets,
 * communities, grids, persons, places, checkins). The caller frees both with fk_table_free.
 * Returns 0, FK_ENOMEM or FK_ESTORE.
 */
FK_API int fk_store_stats(struct fk_store *st, struct fk_table **feeds,
                          struct fk_table **districts);

#endif
