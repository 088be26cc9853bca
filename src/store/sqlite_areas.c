/*
 * Risk areas in the SQLite store: areas with their level history, where persons, places and
 * names are, and the samples of a grid's residents (see fk_store_each_area, fk_store_locate,
 * fk_store_each_grid_sample). Dates are TEXT 'YYYY-MM-DD'; levels and kinds are stored by name.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/vocab.h"
#include "fangkong/store.h"
#include "fangkong/time.h"
#include "store/sqlite_impl.h"

/* A grid's district: grid -> community -> street -> district in `regions`. */
#define GRID_DISTRICT                                                                              \
  " FROM regions g JOIN regions c ON c.id = g.parent JOIN regions s ON s.id = c.parent"            \
  " JOIN regions d ON d.id = s.parent"

static const char *const sql[] = {
    "SELECT id, area_id, kind, district, julianday(lifts_on) - 2440587.5, updated_at"
    " FROM areas ORDER BY id",
    "SELECT level, julianday(from_date) - 2440587.5, julianday(to_date) - 2440587.5, reason"
    " FROM area_levels WHERE area = ?1 ORDER BY rowid",
    "INSERT INTO areas(area_id, kind, district, lifts_on, updated_at) VALUES(?1, ?2, ?3, ?4, ?5)",
    "UPDATE areas SET area_id = ?1, kind = ?2, district = ?3, lifts_on = ?4, updated_at = ?5"
    " WHERE id = ?6",
    "DELETE FROM area_levels WHERE area = ?1",
    "INSERT INTO area_levels(area, level, from_date, to_date, reason) VALUES(?1, ?2, ?3, ?4, ?5)",
    "SELECT g.id, g.code, d.name" GRID_DISTRICT " WHERE g.id = (SELECT grid FROM persons"
    " WHERE id = ?1)",
    "SELECT g.id, g.code, d.name" GRID_DISTRICT " WHERE g.id = (SELECT grid FROM places"
    " WHERE id = ?1)",
    "SELECT g.id, g.code, d.name" GRID_DISTRICT " WHERE g.code = ?1 AND g.level = 4",
    "SELECT g.id, g.code, d.name" GRID_DISTRICT " WHERE g.id = (SELECT grid FROM places"
    " WHERE place_id = ?1)",
    "SELECT 0, '', name FROM regions WHERE level = 1 AND name = ?1",
    "SELECT s.id, s.person, s.sampled_at, s.result, s.sample_id FROM persons p"
    " JOIN samples s ON s.person = p.id WHERE p.grid = ?1 AND s.sampled_at >= ?2"
    " AND s.sampled_at < ?3",
};
enum {
  SEL,
  SEL_SPANS,
  INS,
  UPD,
  DEL_SPANS,
  INS_SPAN,
  OF_PERSON,
  OF_PLACE,
  BY_GRID,
  BY_PLACE,
  BY_DISTRICT,
  GRID_SAMPLES,
  NSTMT
};

/* Reads a's level history with q (SEL_SPANS). Returns 0 or FK_ESTORE (a failed step, or a name
 * it does not know). */
static int load_spans(struct fk_store *st, sqlite3_stmt *q, struct fk_area_row *a)
{
  int step, rc;
  sqlite3_reset(q);
  sqlite3_bind_int64(q, 1, a->id);
  a->nspans = 0;
  while ((step = sqlite3_step(q)) == SQLITE_ROW && a->nspans < FK_AREA_MAXSPANS) {
    struct fk_area_span *s = &a->spans[a->nspans++];
    s->from = fk__sqlite_col_date(q, 1);
    s->to = fk__sqlite_col_date(q, 2);
    fk__sqlite_copy_text(s->reason, sizeof s->reason, sqlite3_column_text(q, 3));
    if ((rc = fk__sqlite_col_name(st, q, 0, fk_area_levels, "area_levels.level", &s->level)))
      return rc;
  }
  return step == SQLITE_DONE || step == SQLITE_ROW
             ? 0
             : fk__sqlite_fail(st, "reading an area's levels");
}

int fk__sqlite_each_area(struct fk_store *st, int (*fn)(void *arg, const struct fk_area_row *a),
                         void *arg)
{
  sqlite3_stmt *q = NULL, *t = NULL;
  struct fk_area_row *a = NULL;
  int rc, step = SQLITE_DONE, own_q = 0, own_t = 0;
  if ((rc = fk__sqlite_cached(st, sql[SEL], &q)) < 0) goto out;
  own_q = rc;
  if ((rc = fk__sqlite_cached(st, sql[SEL_SPANS], &t)) < 0) goto out;
  own_t = rc;
  if (!(a = fk_malloc(sizeof *a))) {
    rc = FK_ENOMEM;
    goto out;
  }
  rc = 0;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(q, 0);
    fk__sqlite_copy_text(a->area_id, sizeof a->area_id, sqlite3_column_text(q, 1));
    fk__sqlite_copy_text(a->district, sizeof a->district, sqlite3_column_text(q, 3));
    a->lifts_on = fk__sqlite_col_date(q, 4);
    a->updated = sqlite3_column_int64(q, 5);
    if (!(rc = fk__sqlite_col_name(st, q, 2, fk_area_kinds, "areas.kind", &a->kind)) &&
        !(rc = load_spans(st, t, a)))
      rc = fn(arg, a);
  }
  if (!rc && step != SQLITE_DONE) rc = fk__sqlite_fail(st, "reading areas");
out:
  fk_free(a);
  fk__sqlite_done(q, own_q);
  fk__sqlite_done(t, own_t);
  return rc;
}

/* Writes a (its row, then its spans anew) with the statements q. Returns 0 or FK_ESTORE. */
static int put(struct fk_store *st, sqlite3_stmt **q, struct fk_area_row *a)
{
  char what[64 + FK_AREA_ID];
  sqlite3_stmt *w = q[a->id ? UPD : INS];
  int ok;
  sqlite3_bind_text(w, 1, a->area_id, -1, SQLITE_STATIC);
  sqlite3_bind_text(w, 2, fk_area_kinds[a->kind], -1, SQLITE_STATIC);
  sqlite3_bind_text(w, 3, a->district, -1, SQLITE_STATIC);
  fk__sqlite_bind_date(w, 4, a->lifts_on);
  sqlite3_bind_int64(w, 5, a->updated);
  if (a->id) sqlite3_bind_int64(w, 6, a->id);
  if ((ok = sqlite3_step(w) == SQLITE_DONE)) {
    if (!a->id) a->id = sqlite3_last_insert_rowid(fk__sqlite_db(st));
    sqlite3_bind_int64(q[DEL_SPANS], 1, a->id);
    ok = sqlite3_step(q[DEL_SPANS]) == SQLITE_DONE;
  }
  for (int i = 0; ok && i < a->nspans; i++) {
    const struct fk_area_span *s = &a->spans[i];
    sqlite3_stmt *x = q[INS_SPAN];
    sqlite3_reset(x);
    sqlite3_bind_int64(x, 1, a->id);
    sqlite3_bind_text(x, 2, fk_area_levels[s->level], -1, SQLITE_STATIC);
    fk__sqlite_bind_date(x, 3, s->from);
    fk__sqlite_bind_date(x, 4, s->to);
    sqlite3_bind_text(x, 5, s->reason, -1, SQLITE_STATIC);
    ok = sqlite3_step(x) == SQLITE_DONE;
  }
  if (ok) return 0;
  snprintf(what, sizeof what, "storing area %s", a->area_id);
  return fk__sqlite_fail(st, what);
}

int fk__sqlite_put_area(struct fk_store *st, struct fk_area_row *a, struct fk_diag *diag)
{
  sqlite3_stmt *q[NSTMT] = {0};
  int own[NSTMT] = {0}, rc = 0;
  for (int i = INS; !rc && i <= INS_SPAN; i++)
    if ((rc = own[i] = fk__sqlite_cached(st, sql[i], &q[i])) > 0) rc = 0;
  if (!rc) rc = put(st, q, a);
  for (int i = 0; i < NSTMT; i++)
    fk__sqlite_done(q[i], own[i]);
  return fk__sqlite_diag(st, diag, rc);
}

/* Runs statement `which` (kept prepared: the entrance check's path) with its one parameter; 0
 * when it gave a row (copied to out). */
static int locate_by(struct fk_store *st, int which, int64_t id, const char *text,
                     struct fk_location *out)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[which], &q), rc, step;
  if (own < 0) return own;
  if (text)
    sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64(q, 1, id);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) {
    out->grid = sqlite3_column_int64(q, 0);
    fk__sqlite_copy_text(out->grid_id, sizeof out->grid_id, sqlite3_column_text(q, 1));
    fk__sqlite_copy_text(out->district, sizeof out->district, sqlite3_column_text(q, 2));
  }
  rc = fk__sqlite_end(st, q, own, 0, step, "locating");
  return rc ? rc : step == SQLITE_ROW ? 0 : FK_ENOTFOUND;
}

int fk__sqlite_locate(struct fk_store *st, enum fk_locate what, int64_t id, const char *text,
                      struct fk_location *out)
{
  static const int by_text[] = {BY_GRID, BY_PLACE, BY_DISTRICT};
  memset(out, 0, sizeof *out);
  if (what == FK_LOCATE_PERSON) return locate_by(st, OF_PERSON, id, NULL, out);
  if (what == FK_LOCATE_PLACE) return locate_by(st, OF_PLACE, id, NULL, out);
  int rc = FK_ENOTFOUND;
  for (int i = 0; rc == FK_ENOTFOUND && i < 3; i++)
    rc = locate_by(st, by_text[i], 0, text, out);
  return rc;
}

int fk__sqlite_each_grid_sample(struct fk_store *st, int64_t grid, fk_time from, fk_time to,
                                int (*fn)(void *arg, const struct fk_sample_row *row), void *arg)
{
  struct fk__sqlite_results results;
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[GRID_SAMPLES], &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  fk__sqlite_results(&results);
  sqlite3_bind_int64(q, 1, grid);
  sqlite3_bind_int64(q, 2, from);
  sqlite3_bind_int64(q, 3, to);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_sample_row r = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
                              sqlite3_column_int64(q, 2), 0,
                              (const char *)sqlite3_column_text(q, 4)};
    if (!(rc = fk__sqlite_col_result(st, q, 3, &results, &r.result))) rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading a grid's samples");
}
