/*
 * Reading feed rows back out of the SQLite store, in the feed's own text format: the inverse
 * of put, used by `fangkong export` and by round-trip tests.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/time.h"
#include "store/sqlite_impl.h"

/* The SELECT giving every column of each feed in order, references turned back into keys. */
static const char *const scan_sql[FK_FEED_COUNT] = {
    [FK_FEED_GRIDS] = "SELECT g.code, g.name, c.name, s.name, d.name, g.lat, g.lon FROM regions g"
                      " JOIN regions c ON g.parent = c.id JOIN regions s ON c.parent = s.id"
                      " JOIN regions d ON s.parent = d.id WHERE g.level = 4 ORDER BY g.id",
    [FK_FEED_PERSONS] = "SELECT p.person_id, p.id_number, p.name, p.sex, p.birth_date, p.phone,"
                        " p.household_id, g.code, p.address FROM persons p"
                        " JOIN regions g ON p.grid = g.id ORDER BY p.id",
    [FK_FEED_PLACES] = "SELECT p.place_id, p.name, p.kind, g.code, p.lat, p.lon, p.capacity"
                       " FROM places p JOIN regions g ON p.grid = g.id ORDER BY p.id",
    [FK_FEED_SITES] = "SELECT s.site_id, s.name, g.code, s.lat, s.lon, s.clean_zone, s.buffer_zone,"
                      " s.contaminated_zone, s.staff_channel, s.resident_channel, s.staff,"
                      " s.allows_households FROM sites s JOIN regions g ON s.grid = g.id"
                      " ORDER BY s.id",
    [FK_FEED_ROOMS] = "SELECT s.site_id, r.room_id, r.kind, r.beds FROM rooms r"
                      " JOIN sites s ON r.site = s.id ORDER BY r.id",
    [FK_FEED_CHECKINS] = "SELECT p.person_id, pl.place_id, c.checkin_at, c.checkout_at"
                         " FROM checkins c JOIN persons p ON c.person = p.id"
                         " JOIN places pl ON c.place = pl.id ORDER BY c.id",
    [FK_FEED_CASES] = "SELECT p.person_id, c.kind, c.onset_date, c.sampled_at, c.isolated_at"
                      " FROM cases c JOIN persons p ON c.person = p.id ORDER BY c.rowid",
    [FK_FEED_SAMPLES] = "SELECT s.sample_id, s.pool_id, p.person_id, s.sampled_at, s.site_id,"
                        " s.result, s.reported_at FROM samples s JOIN persons p"
                        " ON s.person = p.id ORDER BY s.id",
    [FK_FEED_ARRIVALS] = "SELECT p.person_id, a.arrived_at, a.origin, a.port, a.international,"
                         " a.left_at"
                         " FROM arrivals a JOIN persons p ON a.person = p.id ORDER BY a.id",
    [FK_FEED_VACCINATIONS] = "SELECT p.person_id, v.dose, v.vaccinated_at FROM vaccinations v"
                             " JOIN persons p ON v.person = p.id ORDER BY p.id, v.dose",
    [FK_FEED_DUTY] = "SELECT unit, from_at, to_at, officer, phone FROM duty ORDER BY unit, from_at",
    [FK_FEED_PINGS] = "SELECT p.person_id, g.at, g.lat, g.lon FROM pings g"
                      " JOIN persons p ON g.person = p.id ORDER BY g.id",
    [FK_FEED_CLINIC_VISITS] = "SELECT p.person_id, v.visited_at, pl.place_id, v.syndrome"
                              " FROM clinic_visits v JOIN persons p ON v.person = p.id"
                              " JOIN places pl ON v.place = pl.id ORDER BY v.visited_at, p.id",
    [FK_FEED_PHARMACY_SALES] = "SELECT p.person_id, s.sold_at, pl.place_id, s.drug_class,"
                               " s.quantity FROM pharmacy_sales s JOIN persons p"
                               " ON s.person = p.id JOIN places pl ON s.place = pl.id"
                               " ORDER BY s.sold_at, p.id, s.drug_class",
    [FK_FEED_SCHOOL_ABSENCES] = "SELECT pl.place_id, a.date, a.class, a.count"
                                " FROM school_absences a JOIN places pl ON a.place = pl.id"
                                " ORDER BY a.date, pl.id, a.class",
    [FK_FEED_COUNTS] = "SELECT c.date, r.code, c.channel, c.count FROM signal_counts c"
                       " JOIN regions r ON c.region = r.id ORDER BY c.date, r.id, c.channel",
};

/* Text of column i as the feed writes it; buf holds formatted numbers and times. */
static const char *cell(sqlite3_stmt *q, int i, const struct fk_column *col, char *buf, size_t size)
{
  if (sqlite3_column_type(q, i) == SQLITE_NULL) return NULL;
  if (col->type == FK_COL_TIME) return fk_time_format(sqlite3_column_int64(q, i), buf);
  if (col->type == FK_COL_REAL) {
    double d = sqlite3_column_double(q, i);
    for (int prec = 15; prec <= 17; prec++) { /* shortest text that reads back the same */
      snprintf(buf, size, "%.*g", prec, d);
      double back;
      if (sscanf(buf, "%lf", &back) == 1 && back == d) break;
    }
    return buf;
  }
  return (const char *)sqlite3_column_text(q, i);
}

int fk__sqlite_scan(struct fk_store *st, const struct fk_feed *feed,
                    int (*row)(void *arg, const char *const *cells), void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, scan_sql[feed->id], &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    char bufs[FK_FEED_MAXCOLS][FK_TIME_BUFSZ];
    const char *cells[FK_FEED_MAXCOLS];
    for (int i = 0; i < feed->ncols; i++)
      cells[i] = cell(q, i, &feed->cols[i], bufs[i], sizeof bufs[i]);
    rc = row(arg, cells);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading rows");
}
