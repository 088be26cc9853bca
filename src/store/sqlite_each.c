/*
 * Raw row iteration for derived indexes (tracing): internal ids and integers straight from
 * SQLite, no text formatting, so the whole city's check-ins stream at millions of rows a second.
 * One function per row type, each with its own loop: the row is filled and handed to fn with
 * fn's own type, and nothing is done per row beyond reading its columns (a stored name looked up
 * in its vocabulary, an unknown one an error).
 */
#include <sqlite3.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/vocab.h"
#include "store/sqlite_impl.h"

static const char *const checkins_sql = "SELECT id, person, place, checkin_at, checkout_at"
                                        " FROM checkins WHERE id > ?1 ORDER BY id";
static const char *const persons_sql =
    "SELECT id, person_id, household_id FROM persons WHERE id > ?1 ORDER BY id";
static const char *const places_sql =
    "SELECT id, place_id, kind FROM places WHERE id > ?1 ORDER BY id";
static const char *const cases_sql =
    "SELECT person, kind, julianday(onset_date) - 2440587.5, sampled_at,"
    " isolated_at FROM cases WHERE person > ?1 ORDER BY person";
static const char *const pings_sql =
    "SELECT id, person, at, lat, lon FROM pings WHERE id > ?1 ORDER BY id";
static const char *const arrivals_sql = "SELECT id, person, arrived_at, international, origin,"
                                        " left_at FROM arrivals WHERE id > ?1 ORDER BY id";
static const char *const samples_sql = "SELECT id, person, sampled_at, result, sample_id"
                                       " FROM samples WHERE id > ?1 ORDER BY id";
static const char *const samples_of_sql = "SELECT id, person, sampled_at, result, sample_id"
                                          " FROM samples WHERE person = ?1 ORDER BY id";

/* The statement for sql, kept prepared, with ?1 bound to key. Returns as fk__sqlite_cached. */
static int start(struct fk_store *st, const char *sql, int64_t key, sqlite3_stmt **q)
{
  int own = fk__sqlite_cached(st, sql, q);
  if (own >= 0) sqlite3_bind_int64(*q, 1, key);
  return own;
}

int fk__sqlite_each_checkin(struct fk_store *st, int64_t after_id,
                            int (*fn)(void *arg, const struct fk_checkin_row *row), void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = start(st, checkins_sql, after_id, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_checkin_row r = {
        sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
        sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3),
        sqlite3_column_int64(q, 4), sqlite3_column_type(q, 4) != SQLITE_NULL};
    rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading check-ins");
}

int fk__sqlite_each_person(struct fk_store *st, int64_t after_id,
                           int (*fn)(void *arg, const struct fk_person_row *row), void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = start(st, persons_sql, after_id, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_person_row r = {sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
                              (const char *)sqlite3_column_text(q, 2)};
    rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading persons");
}

int fk__sqlite_each_place(struct fk_store *st, int64_t after_id,
                          int (*fn)(void *arg, const struct fk_place_row *row), void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = start(st, places_sql, after_id, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_place_row r = {sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
                             0};
    if (!(rc = fk__sqlite_col_name(st, q, 2, fk_place_kinds, "places.kind", &r.kind)))
      rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading places");
}

int fk__sqlite_each_case(struct fk_store *st, int (*fn)(void *arg, const struct fk_case_row *row),
                         void *arg)
{
  const char *const *kinds = fk__sqlite_feed_names(FK_FEED_CASES, "kind");
  int asymptomatic = fk_vocab_index(kinds, "asymptomatic"), kind;
  sqlite3_stmt *q = NULL;
  int own = start(st, cases_sql, 0, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    if ((rc = fk__sqlite_col_name(st, q, 1, kinds, "cases.kind", &kind))) break;
    struct fk_case_row r = {.person = sqlite3_column_int64(q, 0),
                            .asymptomatic = kind == asymptomatic,
                            .has_onset = sqlite3_column_type(q, 2) != SQLITE_NULL,
                            .has_isolated = sqlite3_column_type(q, 4) != SQLITE_NULL,
                            .onset = (fk_date)sqlite3_column_int64(q, 2),
                            .sampled = sqlite3_column_int64(q, 3),
                            .isolated = sqlite3_column_int64(q, 4)};
    rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading cases");
}

int fk__sqlite_each_ping(struct fk_store *st, int64_t after_id,
                         int (*fn)(void *arg, const struct fk_ping_row *row), void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = start(st, pings_sql, after_id, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_ping_row r = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
                            sqlite3_column_int64(q, 2), sqlite3_column_double(q, 3),
                            sqlite3_column_double(q, 4)};
    rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading pings");
}

int fk__sqlite_each_arrival(struct fk_store *st, int64_t after_id,
                            int (*fn)(void *arg, const struct fk_arrival_row *row), void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = start(st, arrivals_sql, after_id, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_arrival_row r = {
        sqlite3_column_int64(q, 0),
        sqlite3_column_int64(q, 1),
        sqlite3_column_int64(q, 2),
        sqlite3_column_int(q, 3),
        (const char *)sqlite3_column_text(q, 4),
        sqlite3_column_type(q, 5) == SQLITE_NULL ? FK_TIME_NONE : sqlite3_column_int64(q, 5)};
    rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading arrivals");
}

int fk__sqlite_each_sample(struct fk_store *st, int64_t person,
                           int (*fn)(void *arg, const struct fk_sample_row *row), void *arg)
{
  struct fk__sqlite_results results;
  sqlite3_stmt *q = NULL;
  int own = start(st, person ? samples_of_sql : samples_sql, person, &q), rc = 0,
      step = SQLITE_DONE;
  if (own < 0) return own;
  fk__sqlite_results(&results);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_sample_row r = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
                              sqlite3_column_int64(q, 2), 0,
                              (const char *)sqlite3_column_text(q, 4)};
    if (!(rc = fk__sqlite_col_result(st, q, 3, &results, &r.result))) rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading samples");
}
