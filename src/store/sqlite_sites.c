/*
 * Quarantine sites in the SQLite store (fangkong/site_store.h): sites, rooms, stays and waits,
 * and the active measures with what allocation needs of their persons. Dates come out as days
 * since the epoch (julianday), times as epoch seconds.
 */
#include <sqlite3.h>
#include <stdio.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/vocab.h"
#include "fangkong/site_store.h"
#include "fangkong/store.h"
#include "store/sqlite_impl.h"

/* Dates come out as day numbers: julianday(x) - 2440587.5. */
#define STAY_COLS                                                                                  \
  "SELECT s.id, s.person, s.room, s.measure, s.from_at, s.to_at, s.reason, s.end_reason,"          \
  " p.household_id, m.status, m.category, julianday(m.anchor_date) - 2440587.5,"                   \
  " julianday(m.placed_date) - 2440587.5 FROM stays s JOIN persons p ON p.id = s.person"           \
  " LEFT JOIN measures m ON m.id = s.measure"
#define WAIT_COLS                                                                                  \
  "SELECT s.id, s.person, s.measure, s.site, s.since, s.until, s.end_reason FROM site_waits s"

/* Each view of stays (from_at, to_at) and of waits (since, until). */
static const char *const stays_sql[] = {
    [FK_STAYS_OPEN] = STAY_COLS " WHERE s.to_at IS NULL ORDER BY s.id",
    [FK_STAYS_OF] = STAY_COLS " WHERE s.person = ?1 ORDER BY s.id",
    [FK_STAYS_BETWEEN] =
        STAY_COLS " WHERE s.from_at < ?3 AND (s.to_at IS NULL OR s.to_at > ?2) ORDER BY s.id",
};
static const char *const waits_sql[] = {
    [FK_STAYS_OPEN] = WAIT_COLS " WHERE s.until IS NULL ORDER BY s.id",
    [FK_STAYS_OF] = WAIT_COLS " WHERE s.person = ?1 ORDER BY s.id",
    [FK_STAYS_BETWEEN] =
        WAIT_COLS " WHERE s.since < ?3 AND (s.until IS NULL OR s.until > ?2) ORDER BY s.id",
};

static const char *const sites_sql =
    "SELECT s.id, s.site_id, s.name, g.code, s.lat, s.lon, s.staff, s.allows_households,"
    " s.clean_zone, s.buffer_zone, s.contaminated_zone, s.staff_channel, s.resident_channel"
    " FROM sites s JOIN regions g ON g.id = s.grid ORDER BY s.id";
static const char *const rooms_sql = "SELECT id, site, room_id, kind, beds FROM rooms ORDER BY id";
static const char *const version_sql = "SELECT (SELECT coalesce(max(id), 0) FROM stays),"
                                       " (SELECT count(*) FROM stays WHERE to_at IS NOT NULL)";
/* A stay or wait stored (id 0) or ended. */
static const char *const stay_insert_sql =
    "INSERT INTO stays(person, room, measure, from_at, to_at, reason, end_reason)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char *const stay_end_sql =
    "UPDATE stays SET to_at = ?2, end_reason = ?3 WHERE id = ?1";
static const char *const wait_insert_sql =
    "INSERT INTO site_waits(person, measure, site, since, until, end_reason)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
static const char *const wait_end_sql =
    "UPDATE site_waits SET until = ?2, end_reason = ?3 WHERE id = ?1";
static const char *const needs_sql =
    "SELECT m.id, m.person, m.category, julianday(m.anchor_date) - 2440587.5,"
    " julianday(m.placed_date) - 2440587.5, p.household_id, julianday(p.birth_date) - 2440587.5,"
    " g.lat, g.lon FROM measures m JOIN persons p ON p.id = m.person"
    " JOIN regions g ON g.id = p.grid WHERE m.status = 'active' ORDER BY m.id";

static const char *text(sqlite3_stmt *q, int i)
{
  return (const char *)sqlite3_column_text(q, i);
}

int fk__sqlite_each_site(struct fk_store *st, int (*fn)(void *arg, const struct fk_site_row *row),
                         void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sites_sql, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_site_row r = {sqlite3_column_int64(q, 0),
                            text(q, 1),
                            text(q, 2),
                            text(q, 3),
                            sqlite3_column_double(q, 4),
                            sqlite3_column_double(q, 5),
                            sqlite3_column_int(q, 6),
                            sqlite3_column_int(q, 7),
                            {text(q, 8), text(q, 9), text(q, 10), text(q, 11), text(q, 12)}};
    rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading sites");
}

int fk__sqlite_each_room(struct fk_store *st, int (*fn)(void *arg, const struct fk_room_row *row),
                         void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, rooms_sql, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_room_row r = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), text(q, 2), 0,
                            sqlite3_column_int(q, 4)};
    if (!(rc = fk__sqlite_col_name(st, q, 3, fk_room_kinds, "rooms.kind", &r.kind)))
      rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading rooms");
}

int fk__sqlite_stays_version(struct fk_store *st, struct fk_stays_version *out)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, version_sql, &q), step;
  *out = (struct fk_stays_version){0, 0};
  if (own < 0) return own;
  if ((step = sqlite3_step(q)) == SQLITE_ROW)
    *out = (struct fk_stays_version){sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)};
  return fk__sqlite_end(st, q, own, 0, step, "reading the stays' version");
}

int fk__sqlite_each_need(struct fk_store *st, int (*fn)(void *arg, const struct fk_need_row *row),
                         void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, needs_sql, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_need_row r = {sqlite3_column_int64(q, 0),
                            sqlite3_column_int64(q, 1),
                            0,
                            (fk_date)sqlite3_column_int64(q, 3),
                            (fk_date)sqlite3_column_int64(q, 4),
                            text(q, 5),
                            (fk_date)sqlite3_column_int64(q, 6),
                            sqlite3_column_double(q, 7),
                            sqlite3_column_double(q, 8)};
    if (!(rc = fk__sqlite_col_name(st, q, 2, fk_person_cats, "measures.category", &r.category)))
      rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading the active measures");
}

/* Binds the view's parameters: ?1 person (FK_STAYS_OF), ?2 ?3 the times (FK_STAYS_BETWEEN). */
static void bind_view(sqlite3_stmt *q, enum fk_stay_view view, int64_t person, fk_time t0,
                      fk_time t1)
{
  if (view == FK_STAYS_OF) sqlite3_bind_int64(q, 1, person);
  if (view == FK_STAYS_BETWEEN) {
    sqlite3_bind_int64(q, 2, t0);
    sqlite3_bind_int64(q, 3, t1);
  }
}

int fk__sqlite_each_stay(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                         fk_time t1, int (*fn)(void *arg, const struct fk_stay_row *row), void *arg)
{
  sqlite3_stmt *q = NULL;
  int own, rc = 0, step = SQLITE_DONE;
  if (view < FK_STAYS_OPEN || view > FK_STAYS_BETWEEN) return FK_EINVAL;
  if ((own = fk__sqlite_cached(st, stays_sql[view], &q)) < 0) return own;
  bind_view(q, view, person, t0, t1);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_stay_row r = {sqlite3_column_int64(q, 0),
                            sqlite3_column_int64(q, 1),
                            sqlite3_column_int64(q, 2),
                            sqlite3_column_int64(q, 3),
                            sqlite3_column_int64(q, 4),
                            fk__sqlite_col_time(q, 5),
                            text(q, 6),
                            text(q, 7),
                            text(q, 8),
                            -1,
                            -1,
                            (fk_date)sqlite3_column_int64(q, 11),
                            (fk_date)sqlite3_column_int64(q, 12)};
    if (sqlite3_column_type(q, 9) != SQLITE_NULL && /* else the measure is gone */
        ((rc = fk__sqlite_col_name(st, q, 9, fk_measure_statuses, "measures.status",
                                   &r.measure_status)) ||
         (rc = fk__sqlite_col_name(st, q, 10, fk_person_cats, "measures.category",
                                   &r.measure_category))))
      break;
    rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading stays");
}

int fk__sqlite_each_wait(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                         fk_time t1, int (*fn)(void *arg, const struct fk_wait_row *row), void *arg)
{
  sqlite3_stmt *q = NULL;
  int own, rc = 0, step = SQLITE_DONE;
  if (view < FK_STAYS_OPEN || view > FK_STAYS_BETWEEN) return FK_EINVAL;
  if ((own = fk__sqlite_cached(st, waits_sql[view], &q)) < 0) return own;
  bind_view(q, view, person, t0, t1);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_wait_row r = {sqlite3_column_int64(q, 0),
                            sqlite3_column_int64(q, 1),
                            sqlite3_column_int64(q, 2),
                            sqlite3_column_int64(q, 3),
                            sqlite3_column_int64(q, 4),
                            fk__sqlite_col_time(q, 5),
                            text(q, 6)};
    rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading waits");
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

/* Binds and runs the insert (id 0) or the end (update) of a stay or a wait; returns the step. */
static int put_stay(sqlite3_stmt *q, const struct fk_stay_row *r)
{
  sqlite3_reset(q);
  if (r->id) {
    sqlite3_bind_int64(q, 1, r->id);
    fk__sqlite_bind_time(q, 2, r->to);
    bind_opt_text(q, 3, r->end_reason);
  } else {
    sqlite3_bind_int64(q, 1, r->person);
    sqlite3_bind_int64(q, 2, r->room);
    bind_opt_id(q, 3, r->measure);
    sqlite3_bind_int64(q, 4, r->from);
    fk__sqlite_bind_time(q, 5, r->to);
    sqlite3_bind_text(q, 6, r->reason ? r->reason : "", -1, SQLITE_STATIC);
    bind_opt_text(q, 7, r->end_reason);
  }
  return sqlite3_step(q);
}

/* As put_stay, for a wait. */
static int put_wait(sqlite3_stmt *q, const struct fk_wait_row *r)
{
  sqlite3_reset(q);
  if (r->id) {
    sqlite3_bind_int64(q, 1, r->id);
    fk__sqlite_bind_time(q, 2, r->until);
    bind_opt_text(q, 3, r->end_reason);
  } else {
    sqlite3_bind_int64(q, 1, r->person);
    bind_opt_id(q, 2, r->measure);
    bind_opt_id(q, 3, r->site);
    sqlite3_bind_int64(q, 4, r->since);
    fk__sqlite_bind_time(q, 5, r->until);
    bind_opt_text(q, 6, r->end_reason);
  }
  return sqlite3_step(q);
}

/* A batch of stays or waits: its insert (q[0]) and end (q[1]) statements, kept prepared. */
struct batch {
  sqlite3_stmt *q[2];
  int own[2];
};

/* Takes the batch's two statements. Returns 0, or as fk__sqlite_cached. */
static int batch_start(struct fk_store *st, const char *insert, const char *end, struct batch *b)
{
  int rc;
  *b = (struct batch){{NULL, NULL}, {0, 0}};
  if ((rc = b->own[0] = fk__sqlite_cached(st, insert, &b->q[0])) < 0) return rc;
  if ((rc = b->own[1] = fk__sqlite_cached(st, end, &b->q[1])) < 0) return rc;
  return 0;
}

/* After a row's step: sets *id of a row just inserted. Returns 0, or FK_ESTORE recorded as
 * what. */
static int batch_row(struct fk_store *st, int step, int64_t *id, const char *what)
{
  if (step != SQLITE_DONE) return fk__sqlite_fail(st, what);
  if (!*id) *id = sqlite3_last_insert_rowid(fk__sqlite_db(st));
  return 0;
}

/* Gives the statements back; says a failure in diag. Returns rc. */
static int batch_end(struct fk_store *st, struct batch *b, int rc, struct fk_diag *diag)
{
  fk__sqlite_done(b->q[0], b->own[0]);
  fk__sqlite_done(b->q[1], b->own[1]);
  return fk__sqlite_diag(st, diag, rc);
}

int fk__sqlite_put_stays(struct fk_store *st, struct fk_stay_row *rows, int n, struct fk_diag *diag)
{
  struct batch b;
  int rc = batch_start(st, stay_insert_sql, stay_end_sql, &b);
  for (int i = 0; !rc && i < n; i++)
    rc = batch_row(st, put_stay(b.q[rows[i].id != 0], &rows[i]), &rows[i].id, "storing a stay");
  return batch_end(st, &b, rc, diag);
}

int fk__sqlite_put_waits(struct fk_store *st, struct fk_wait_row *rows, int n, struct fk_diag *diag)
{
  struct batch b;
  int rc = batch_start(st, wait_insert_sql, wait_end_sql, &b);
  for (int i = 0; !rc && i < n; i++)
    rc = batch_row(st, put_wait(b.q[rows[i].id != 0], &rows[i]), &rows[i].id, "storing a wait");
  return batch_end(st, &b, rc, diag);
}
