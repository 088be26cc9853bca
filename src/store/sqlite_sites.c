/*
 * Quarantine sites in the SQLite store (fangkong/site_store.h): sites, rooms, stays and waits,
 * and the active measures with what allocation needs of their persons. Dates come out as days
 * since the epoch (julianday), times as epoch seconds.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/vocab.h"
#include "fangkong/site_store.h"
#include "fangkong/store.h"
#include "store/store_impl.h"

#define DAYS(col) "julianday(" col ") - 2440587.5"

static const char *const stay_cols =
    "SELECT s.id, s.person, s.room, s.measure, s.from_at, s.to_at, s.reason, s.end_reason,"
    " p.household_id, m.status, m.category, " DAYS("m.anchor_date") ", " DAYS(
        "m.placed_date") " FROM stays s JOIN persons p ON p.id = s.person LEFT JOIN measures m ON "
                         "m.id = s.measure";
static const char *const wait_cols =
    "SELECT s.id, s.person, s.measure, s.site, s.since, s.until, s.end_reason FROM site_waits s";

/* The WHERE clause of each view, for stays (from_at, to_at) and waits (since, until). */
static const char *const stay_where[] = {
    [FK_STAYS_OPEN] = " WHERE s.to_at IS NULL ORDER BY s.id",
    [FK_STAYS_OF] = " WHERE s.person = ?1 ORDER BY s.id",
    [FK_STAYS_BETWEEN] =
        " WHERE s.from_at < ?3 AND (s.to_at IS NULL OR s.to_at > ?2) ORDER BY s.id",
};
static const char *const wait_where[] = {
    [FK_STAYS_OPEN] = " WHERE s.until IS NULL ORDER BY s.id",
    [FK_STAYS_OF] = " WHERE s.person = ?1 ORDER BY s.id",
    [FK_STAYS_BETWEEN] = " WHERE s.since < ?3 AND (s.until IS NULL OR s.until > ?2) ORDER BY s.id",
};

static const char *const fixed_sql[] = {
    [FK__SITES_SITES] = "SELECT s.id, s.site_id, s.name, g.code, s.lat, s.lon, s.staff,"
                        " s.allows_households, s.clean_zone, s.buffer_zone, s.contaminated_zone,"
                        " s.staff_channel, s.resident_channel FROM sites s"
                        " JOIN regions g ON g.id = s.grid ORDER BY s.id",
    [FK__SITES_ROOMS] = "SELECT id, site, room_id, kind, beds FROM rooms ORDER BY id",
    [FK__SITES_STAYS_VERSION] = "SELECT (SELECT coalesce(max(id), 0) FROM stays),"
                                " (SELECT count(*) FROM stays WHERE to_at IS NOT NULL)",
    [FK__SITES_NEEDS] = "SELECT m.id, m.person, m.category, " DAYS("m.anchor_date") ", " DAYS(
        "m.placed_date") ", p.household_id, " DAYS("p.birth_date") ", g.lat, g.lon"
                                                                   " FROM measures m JOIN persons "
                                                                   "p ON p.id = m.person"
                                                                   " JOIN regions g ON g.id = "
                                                                   "p.grid WHERE m.status = "
                                                                   "'active' ORDER BY m.id",
};

static int name_index(const char *const *names, const char *s)
{
  for (int i = 0; s && names[i]; i++)
    if (!strcmp(names[i], s)) return i;
  return -1;
}

static const char *text(sqlite3_stmt *q, int i)
{
  return (const char *)sqlite3_column_text(q, i);
}

static fk_time opt_time(sqlite3_stmt *q, int i)
{
  return sqlite3_column_type(q, i) == SQLITE_NULL ? FK_TIME_NONE : sqlite3_column_int64(q, i);
}

static int deliver_site(sqlite3_stmt *q, int (*fn)(void *, const void *), void *arg)
{
  struct fk_site_row r = {sqlite3_column_int64(q, 0),
                          text(q, 1),
                          text(q, 2),
                          text(q, 3),
                          sqlite3_column_double(q, 4),
                          sqlite3_column_double(q, 5),
                          sqlite3_column_int(q, 6),
                          sqlite3_column_int(q, 7),
                          {text(q, 8), text(q, 9), text(q, 10), text(q, 11), text(q, 12)}};
  return fn(arg, &r);
}

static int deliver_room(sqlite3_stmt *q, int (*fn)(void *, const void *), void *arg)
{
  int kind = name_index(fk_room_kinds, text(q, 3));
  struct fk_room_row r = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), text(q, 2),
                          kind < 0 ? 0 : kind, sqlite3_column_int(q, 4)};
  return fn(arg, &r);
}

static int deliver_version(sqlite3_stmt *q, int (*fn)(void *, const void *), void *arg)
{
  struct fk_stays_version v = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)};
  return fn(arg, &v);
}

static int deliver_need(sqlite3_stmt *q, int (*fn)(void *, const void *), void *arg)
{
  int cat = name_index(fk_person_cats, text(q, 2));
  struct fk_need_row r = {sqlite3_column_int64(q, 0),
                          sqlite3_column_int64(q, 1),
                          cat,
                          (fk_date)sqlite3_column_int64(q, 3),
                          (fk_date)sqlite3_column_int64(q, 4),
                          text(q, 5),
                          (fk_date)sqlite3_column_int64(q, 6),
                          sqlite3_column_double(q, 7),
                          sqlite3_column_double(q, 8)};
  if (cat < 0) return 0; /* a category this program does not know has no phases to follow */
  return fn(arg, &r);
}

static int deliver_stay(sqlite3_stmt *q, int (*fn)(void *, const void *), void *arg)
{
  int known = sqlite3_column_type(q, 9) != SQLITE_NULL;
  struct fk_stay_row r = {sqlite3_column_int64(q, 0),
                          sqlite3_column_int64(q, 1),
                          sqlite3_column_int64(q, 2),
                          sqlite3_column_int64(q, 3),
                          sqlite3_column_int64(q, 4),
                          opt_time(q, 5),
                          text(q, 6),
                          text(q, 7),
                          text(q, 8),
                          known ? name_index(fk_measure_statuses, text(q, 9)) : -1,
                          known ? name_index(fk_person_cats, text(q, 10)) : -1,
                          (fk_date)sqlite3_column_int64(q, 11),
                          (fk_date)sqlite3_column_int64(q, 12)};
  return fn(arg, &r);
}

static int deliver_wait(sqlite3_stmt *q, int (*fn)(void *, const void *), void *arg)
{
  struct fk_wait_row r = {sqlite3_column_int64(q, 0),
                          sqlite3_column_int64(q, 1),
                          sqlite3_column_int64(q, 2),
                          sqlite3_column_int64(q, 3),
                          sqlite3_column_int64(q, 4),
                          opt_time(q, 5),
                          text(q, 6)};
  return fn(arg, &r);
}

int fk__sqlite_sites_each(sqlite3 *db, int what, int view, int64_t person, fk_time t0, fk_time t1,
                          int (*fn)(void *arg, const void *row), void *arg)
{
  static int (*const deliver[])(sqlite3_stmt *, int (*)(void *, const void *), void *) = {
      deliver_site, deliver_room, deliver_need, deliver_stay, deliver_wait, deliver_version};
  char sql[1024];
  sqlite3_stmt *q = NULL;
  int rc = 0, step = SQLITE_DONE;
  if (what == FK__SITES_STAYS || what == FK__SITES_WAITS) {
    if (view < FK_STAYS_OPEN || view > FK_STAYS_BETWEEN) return FK_EINVAL;
    snprintf(sql, sizeof sql, "%s%s", what == FK__SITES_STAYS ? stay_cols : wait_cols,
             (what == FK__SITES_STAYS ? stay_where : wait_where)[view]);
  } else {
    snprintf(sql, sizeof sql, "%s", fixed_sql[what]);
  }
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) return FK_ESTORE;
  if (sqlite3_bind_parameter_count(q) >= 1) sqlite3_bind_int64(q, 1, person);
  if (sqlite3_bind_parameter_count(q) >= 3) {
    sqlite3_bind_int64(q, 2, t0);
    sqlite3_bind_int64(q, 3, t1);
  }
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW)
    rc = deliver[what](q, fn, arg);
  if (!rc && step != SQLITE_DONE) rc = FK_ESTORE;
  sqlite3_finalize(q);
  return rc;
}

static void bind_opt_time(sqlite3_stmt *q, int i, fk_time t)
{
  if (t == FK_TIME_NONE)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_int64(q, i, t);
}

static void bind_opt_id(sqlite3_stmt *q, int i, int64_t id)
{
  if (id)
    sqlite3_bind_int64(q, i, id);
  else
    sqlite3_bind_null(q, i);
}

static void bind_opt_text(sqlite3_stmt *q, int i, const char *s)
{
  if (s)
    sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(q, i);
}

/* Binds and runs the insert (id 0) or the end (update) of a stay or a wait. */
static int put_stay(sqlite3_stmt *q, const struct fk_stay_row *r)
{
  if (r->id) {
    sqlite3_bind_int64(q, 1, r->id);
    bind_opt_time(q, 2, r->to);
    bind_opt_text(q, 3, r->end_reason);
  } else {
    sqlite3_bind_int64(q, 1, r->person);
    sqlite3_bind_int64(q, 2, r->room);
    bind_opt_id(q, 3, r->measure);
    sqlite3_bind_int64(q, 4, r->from);
    bind_opt_time(q, 5, r->to);
    sqlite3_bind_text(q, 6, r->reason ? r->reason : "", -1, SQLITE_STATIC);
    bind_opt_text(q, 7, r->end_reason);
  }
  return sqlite3_step(q) == SQLITE_DONE ? 0 : FK_ESTORE;
}

static int put_wait(sqlite3_stmt *q, const struct fk_wait_row *r)
{
  if (r->id) {
    sqlite3_bind_int64(q, 1, r->id);
    bind_opt_time(q, 2, r->until);
    bind_opt_text(q, 3, r->end_reason);
  } else {
    sqlite3_bind_int64(q, 1, r->person);
    bind_opt_id(q, 2, r->measure);
    bind_opt_id(q, 3, r->site);
    sqlite3_bind_int64(q, 4, r->since);
    bind_opt_time(q, 5, r->until);
    bind_opt_text(q, 6, r->end_reason);
  }
  return sqlite3_step(q) == SQLITE_DONE ? 0 : FK_ESTORE;
}

/* Stores one stay or wait with the insert (ins) or end (upd) statement. */
static int put_one(sqlite3 *db, int stay, void *row, sqlite3_stmt *ins, sqlite3_stmt *upd)
{
  int64_t *id = stay ? &((struct fk_stay_row *)row)->id : &((struct fk_wait_row *)row)->id;
  sqlite3_stmt *q = *id ? upd : ins;
  sqlite3_reset(q);
  int rc = stay ? put_stay(q, row) : put_wait(q, row);
  if (!rc && !*id) *id = sqlite3_last_insert_rowid(db);
  return rc;
}

int fk__sqlite_sites_put(sqlite3 *db, int what, void *rows, int n, struct fk_diag *diag)
{
  static const char *const ins[] = {
      "INSERT INTO stays(person, room, measure, from_at, to_at, reason, end_reason)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "INSERT INTO site_waits(person, measure, site, since, until, end_reason)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)"};
  static const char *const upd[] = {
      "UPDATE stays SET to_at = ?2, end_reason = ?3 WHERE id = ?1",
      "UPDATE site_waits SET until = ?2, end_reason = ?3 WHERE id = ?1"};
  int stay = what == FK__SITES_STAYS, rc = 0;
  size_t size = stay ? sizeof(struct fk_stay_row) : sizeof(struct fk_wait_row);
  sqlite3_stmt *qi = NULL, *qu = NULL;
  if (sqlite3_prepare_v2(db, ins[!stay], -1, &qi, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, upd[!stay], -1, &qu, NULL) != SQLITE_OK)
    rc = FK_ESTORE;
  for (int i = 0; !rc && i < n; i++)
    rc = put_one(db, stay, (char *)rows + (size_t)i * size, qi, qu);
  if (rc)
    fk_diag_set(diag, FK_ESTORE, NULL, "storing a %s: %s", stay ? "stay" : "wait",
                sqlite3_errmsg(db));
  sqlite3_finalize(qi);
  sqlite3_finalize(qu);
  return rc;
}
