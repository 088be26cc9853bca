/*
 * Raw row iteration for derived indexes (tracing): internal ids and integers straight from
 * SQLite, no text formatting, so the whole city's check-ins stream at millions of rows a second.
 */
#include <sqlite3.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "store/sqlite_cols.h"
#include "store/store_impl.h"

static const char *const each_sql[] = {
    [FK__VIEW_CHECKINS] = "SELECT id, person, place, checkin_at, checkout_at FROM checkins"
                          " WHERE id > ?1 ORDER BY id",
    [FK__VIEW_PERSONS] =
        "SELECT id, person_id, household_id FROM persons WHERE id > ?1 ORDER BY id",
    [FK__VIEW_PLACES] = "SELECT id, place_id, kind FROM places WHERE id > ?1 ORDER BY id",
    [FK__VIEW_CASES] = "SELECT person, kind, julianday(onset_date) - 2440587.5, sampled_at,"
                       " isolated_at FROM cases WHERE person > ?1 ORDER BY person",
    [FK__VIEW_PINGS] = "SELECT id, person, at, lat, lon FROM pings WHERE id > ?1 ORDER BY id",
    [FK__VIEW_ARRIVALS] = "SELECT id, person, arrived_at, international, origin, left_at"
                          " FROM arrivals"
                          " WHERE id > ?1 ORDER BY id",
    [FK__VIEW_SAMPLES] = "SELECT id, person, sampled_at, result, sample_id FROM samples"
                         " WHERE id > ?1 ORDER BY id",
    [FK__VIEW_SAMPLES_OF] = "SELECT id, person, sampled_at, result, sample_id FROM samples"
                            " WHERE person = ?1 ORDER BY id",
};

static int kind_index(const char *kind)
{
  for (int k = 0; kind && fk_place_kinds[k]; k++)
    if (!strcmp(fk_place_kinds[k], kind)) return k;
  return 0;
}

/* Fills the view's row struct from the current result row and calls fn. */
static int deliver(sqlite3_stmt *q, int view, int (*fn)(void *, const void *), void *arg)
{
  switch (view) {
  case FK__VIEW_CHECKINS: {
    struct fk_checkin_row r = {
        sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
        sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3),
        sqlite3_column_int64(q, 4), sqlite3_column_type(q, 4) != SQLITE_NULL};
    return fn(arg, &r);
  }
  case FK__VIEW_PERSONS: {
    struct fk_person_row r = {sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
                              (const char *)sqlite3_column_text(q, 2)};
    return fn(arg, &r);
  }
  case FK__VIEW_PLACES: {
    struct fk_place_row r = {sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
                             kind_index((const char *)sqlite3_column_text(q, 2))};
    return fn(arg, &r);
  }
  case FK__VIEW_PINGS: {
    struct fk_ping_row r = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
                            sqlite3_column_int64(q, 2), sqlite3_column_double(q, 3),
                            sqlite3_column_double(q, 4)};
    return fn(arg, &r);
  }
  case FK__VIEW_ARRIVALS: {
    struct fk_arrival_row r = {
        sqlite3_column_int64(q, 0),
        sqlite3_column_int64(q, 1),
        sqlite3_column_int64(q, 2),
        sqlite3_column_int(q, 3),
        (const char *)sqlite3_column_text(q, 4),
        sqlite3_column_type(q, 5) == SQLITE_NULL ? FK_TIME_NONE : sqlite3_column_int64(q, 5)};
    return fn(arg, &r);
  }
  case FK__VIEW_SAMPLES:
  case FK__VIEW_SAMPLES_OF: {
    struct fk_sample_row r = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
                              sqlite3_column_int64(q, 2),
                              fk__sqlite_result_code((const char *)sqlite3_column_text(q, 3)),
                              (const char *)sqlite3_column_text(q, 4)};
    return fn(arg, &r);
  }
  default: {
    const char *kind = (const char *)sqlite3_column_text(q, 1);
    struct fk_case_row r = {.person = sqlite3_column_int64(q, 0),
                            .asymptomatic = kind && !strcmp(kind, "asymptomatic"),
                            .has_onset = sqlite3_column_type(q, 2) != SQLITE_NULL,
                            .has_isolated = sqlite3_column_type(q, 4) != SQLITE_NULL,
                            .onset = (fk_date)sqlite3_column_int64(q, 2),
                            .sampled = sqlite3_column_int64(q, 3),
                            .isolated = sqlite3_column_int64(q, 4)};
    return fn(arg, &r);
  }
  }
}

int fk__sqlite_each(struct fk_store *st, int view, int64_t after_id,
                    int (*fn)(void *, const void *), void *arg)
{
  sqlite3_stmt *q = NULL;
  int rc, step = SQLITE_DONE, own = fk__sqlite_cached(st, each_sql[view], &q);
  if (own < 0) return own;
  rc = 0;
  sqlite3_bind_int64(q, 1, after_id);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW)
    rc = deliver(q, view, fn, arg);
  if (!rc && step != SQLITE_DONE) rc = FK_ESTORE;
  fk__sqlite_done(q, own);
  return rc;
}
