/*
 * `fangkong stats` for the SQLite backend: rows and date range per feed, and the hierarchy and
 * its people, places and check-ins per district. Check-ins are counted per district in one
 * pass over the table (a GROUP BY through a join would sort millions of rows).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/time.h"
#include "store/sqlite_impl.h"

/* Per feed: its count, and the first and last of its time column (times as epoch seconds
   unless `dates`). */
static const struct {
  const char *feed, *sql;
  int dates;
} feed_sql[] = {
    {"grids", "SELECT count(*), NULL, NULL FROM regions WHERE level=4", 0},
    {"persons", "SELECT count(*), NULL, NULL FROM persons", 0},
    {"places", "SELECT count(*), NULL, NULL FROM places", 0},
    {"sites", "SELECT count(*), NULL, NULL FROM sites", 0},
    {"rooms", "SELECT count(*), NULL, NULL FROM rooms", 0},
    {"checkins", "SELECT count(*), min(checkin_at), max(checkin_at) FROM checkins", 0},
    {"cases", "SELECT count(*), min(sampled_at), max(sampled_at) FROM cases", 0},
    {"samples", "SELECT count(*), min(sampled_at), max(sampled_at) FROM samples", 0},
    {"arrivals", "SELECT count(*), min(arrived_at), max(arrived_at) FROM arrivals", 0},
    {"vaccinations", "SELECT count(*), min(vaccinated_at), max(vaccinated_at) FROM vaccinations",
     1},
    {"pings", "SELECT count(*), min(at), max(at) FROM pings", 0},
    {"clinic_visits", "SELECT count(*), min(visited_at), max(visited_at) FROM clinic_visits", 0},
    {"pharmacy_sales", "SELECT count(*), min(sold_at), max(sold_at) FROM pharmacy_sales", 0},
    {"school_absences", "SELECT count(*), min(date), max(date) FROM school_absences", 1},
    {"counts", "SELECT count(*), min(date), max(date) FROM signal_counts", 1},
};

/* Formats column i of q as a time (or passes a date through) into buf; NULL when empty. */
static const char *when(sqlite3_stmt *q, int i, int dates, char *buf)
{
  if (sqlite3_column_type(q, i) == SQLITE_NULL) return NULL;
  if (dates) return (const char *)sqlite3_column_text(q, i);
  return fk_time_format(sqlite3_column_int64(q, i), buf);
}

/* One row per feed into *out (the caller frees it). Returns 0, FK_ENOMEM or FK_ESTORE. */
static int feed_table(struct fk_store *st, struct fk_table **out)
{
  static const char *const names[] = {"feed", "#rows", "first", "last"};
  struct fk_table *t = fk_table_new(4, names);
  int rc = t ? 0 : FK_ENOMEM;
  for (size_t i = 0; !rc && i < sizeof feed_sql / sizeof feed_sql[0]; i++) {
    sqlite3_stmt *q = NULL;
    char rows[24], first[FK_TIME_BUFSZ], last[FK_TIME_BUFSZ];
    int own = fk__sqlite_cached(st, feed_sql[i].sql, &q), step;
    if (own < 0) {
      rc = own;
      break;
    }
    if ((step = sqlite3_step(q)) == SQLITE_ROW) {
      snprintf(rows, sizeof rows, "%lld", (long long)sqlite3_column_int64(q, 0));
      const char *cells[4] = {feed_sql[i].feed, rows, when(q, 1, feed_sql[i].dates, first),
                              when(q, 2, feed_sql[i].dates, last)};
      rc = fk_table_add(t, cells);
    }
    rc = fk__sqlite_end(st, q, own, rc, step, "counting a feed's rows");
  }
  if (rc)
    fk_table_free(t);
  else
    *out = t;
  return rc;
}

/* The district of every grid, and counts per district, in SQL (small tables). */
static const char *const district_sql =
    "WITH g AS (SELECT grid.id gid, d.id did FROM regions grid"
    "  JOIN regions c ON grid.parent = c.id JOIN regions s ON c.parent = s.id"
    "  JOIN regions d ON s.parent = d.id WHERE grid.level = 4)"
    " SELECT d.id, d.name,"
    "  (SELECT count(*) FROM regions s WHERE s.parent = d.id),"
    "  (SELECT count(*) FROM regions s JOIN regions c ON c.parent = s.id WHERE s.parent = d.id),"
    "  (SELECT count(*) FROM g WHERE g.did = d.id),"
    "  (SELECT count(*) FROM persons p JOIN g ON p.grid = g.gid WHERE g.did = d.id),"
    "  (SELECT count(*) FROM places p JOIN g ON p.grid = g.gid WHERE g.did = d.id)"
    " FROM regions d WHERE d.level = 1 ORDER BY d.id";
static const char *const places_sql = "SELECT coalesce(max(id), 0) FROM places";
static const char *const checkins_sql = "SELECT place FROM checkins";
static const char *const district_places_sql =
    "SELECT p.id FROM places p JOIN regions grid ON p.grid = grid.id"
    " JOIN regions c ON grid.parent = c.id JOIN regions s ON c.parent = s.id WHERE s.parent = ?1";

/* Counts check-ins per place id into a calloc'd array of *n entries (the caller frees it, also
 * on failure). Returns 0, FK_ENOMEM or FK_ESTORE. */
static int checkins_per_place(struct fk_store *st, int64_t **counts, int64_t *n)
{
  sqlite3_stmt *q = NULL;
  int rc, own, step;
  *counts = NULL;
  *n = 0;
  if ((own = fk__sqlite_cached(st, places_sql, &q)) < 0) return own;
  if ((step = sqlite3_step(q)) == SQLITE_ROW) *n = sqlite3_column_int64(q, 0) + 1;
  if ((rc = fk__sqlite_end(st, q, own, 0, step, "counting places"))) return rc;
  if (!(*counts = fk_calloc((size_t)*n, sizeof **counts))) return FK_ENOMEM;
  if ((own = fk__sqlite_cached(st, checkins_sql, &q)) < 0) return own;
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t p = sqlite3_column_int64(q, 0);
    if (p >= 0 && p < *n) (*counts)[p]++;
  }
  return fk__sqlite_end(st, q, own, 0, step, "counting check-ins");
}

/* Adds up into *sum the per-place check-ins of district `did`. Returns 0 or FK_ESTORE. */
static int district_checkins(struct fk_store *st, int64_t did, const int64_t *counts, int64_t n,
                             int64_t *sum)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, district_places_sql, &q), step;
  *sum = 0;
  if (own < 0) return own;
  sqlite3_bind_int64(q, 1, did);
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t p = sqlite3_column_int64(q, 0);
    if (p >= 0 && p < n) *sum += counts[p];
  }
  return fk__sqlite_end(st, q, own, 0, step, "counting a district's check-ins");
}

/* One row per district into *out (the caller frees it). Returns 0, FK_ENOMEM or FK_ESTORE. */
static int district_table(struct fk_store *st, struct fk_table **out)
{
  static const char *const names[] = {"district", "#streets", "#communities", "#grids",
                                      "#persons", "#places",  "#checkins"};
  struct fk_table *t = fk_table_new(7, names);
  sqlite3_stmt *q = NULL;
  int64_t *counts = NULL, n = 0, sum;
  int own = 0, step = SQLITE_DONE, rc = t ? checkins_per_place(st, &counts, &n) : FK_ENOMEM;
  if (!rc && (own = fk__sqlite_cached(st, district_sql, &q)) < 0) rc = own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    char num[6][24];
    const char *cells[7] = {(const char *)sqlite3_column_text(q, 1)};
    for (int i = 0; i < 5; i++) {
      snprintf(num[i], sizeof num[i], "%lld", (long long)sqlite3_column_int64(q, 2 + i));
      cells[1 + i] = num[i];
    }
    if (!(rc = district_checkins(st, sqlite3_column_int64(q, 0), counts, n, &sum))) {
      snprintf(num[5], sizeof num[5], "%lld", (long long)sum);
      cells[6] = num[5];
      rc = fk_table_add(t, cells);
    }
  }
  rc = fk__sqlite_end(st, q, own, rc, step, "counting per district");
  fk_free(counts);
  if (rc)
    fk_table_free(t);
  else
    *out = t;
  return rc;
}

int fk__sqlite_stats(struct fk_store *st, struct fk_table **feeds, struct fk_table **districts)
{
  int rc = feed_table(st, feeds);
  if (rc) return rc;
  if ((rc = district_table(st, districts))) {
    fk_table_free(*feeds);
    *feeds = NULL;
  }
  return rc;
}
