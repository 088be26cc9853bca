/* API tokens and the scope of the hierarchy in the SQLite store (fangkong/tokens.h). */
#include <sqlite3.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/tokens.h"
#include "store/sqlite_cols.h"
#include "store/store_impl.h"

static const char *const sql[] = {
    "INSERT INTO api_tokens(hash, role, scope, created_at) VALUES(?1, ?2, NULLIF(?3, 0), ?4)",
    "SELECT id, role, ifnull(scope, 0), created_at FROM api_tokens WHERE hash = ?1",
    "SELECT id, level FROM regions WHERE code = ?1",
    "WITH RECURSIVE up(id) AS (SELECT grid FROM places WHERE place_id = ?1"
    " UNION ALL SELECT r.parent FROM regions r JOIN up ON r.id = up.id WHERE r.parent IS NOT NULL)"
    " SELECT 1 FROM up WHERE id = ?2 LIMIT 1",
};
enum { PUT, GET, REGION, IN };

int fk__sqlite_put_token(struct fk_store *st, const char *hash, int role, int64_t scope,
                         fk_time created_at, int64_t *id)
{
  sqlite3 *db = fk__sqlite_db(st);
  sqlite3_stmt *q = NULL;
  int rc = 0, step;
  if (sqlite3_prepare_v2(db, sql[PUT], -1, &q, NULL) != SQLITE_OK)
    return fk__sqlite_fail(st, "storing a token");
  sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, fk_roles[role], -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, scope);
  sqlite3_bind_int64(q, 4, created_at);
  step = sqlite3_step(q);
  if (step == SQLITE_CONSTRAINT)
    rc = FK_EDUP;
  else if (step != SQLITE_DONE)
    rc = FK_ESTORE;
  else if (id)
    *id = sqlite3_last_insert_rowid(db);
  sqlite3_finalize(q);
  return rc == FK_ESTORE ? fk__sqlite_fail(st, "storing a token") : rc;
}

int fk__sqlite_token(struct fk_store *st, const char *hash, struct fk_token_row *out)
{
  sqlite3 *db = fk__sqlite_db(st);
  sqlite3_stmt *q = NULL;
  int rc = FK_ENOTFOUND, step;
  memset(out, 0, sizeof *out);
  if (sqlite3_prepare_v2(db, sql[GET], -1, &q, NULL) != SQLITE_OK)
    return fk__sqlite_fail(st, "reading a token");
  sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
  step = sqlite3_step(q);
  if (step == SQLITE_ROW) {
    out->id = sqlite3_column_int64(q, 0);
    out->role = fk__sqlite_name_index(fk_roles, (const char *)sqlite3_column_text(q, 1));
    out->scope = sqlite3_column_int64(q, 2);
    out->created_at = sqlite3_column_int64(q, 3);
    rc = out->role < 0 ? FK_ENOTFOUND : 0;
  } else if (step != SQLITE_DONE)
    rc = FK_ESTORE;
  sqlite3_finalize(q);
  return rc == FK_ESTORE ? fk__sqlite_fail(st, "reading a token") : rc;
}

int fk__sqlite_region_by_code(struct fk_store *st, const char *code, int64_t *id, int *level)
{
  sqlite3 *db = fk__sqlite_db(st);
  sqlite3_stmt *q = NULL;
  int rc = 0, step;
  *id = 0;
  if (sqlite3_prepare_v2(db, sql[REGION], -1, &q, NULL) != SQLITE_OK)
    return fk__sqlite_fail(st, "looking up a region");
  sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
  step = sqlite3_step(q);
  if (step == SQLITE_ROW) {
    *id = sqlite3_column_int64(q, 0);
    if (level) *level = sqlite3_column_int(q, 1);
  } else if (step != SQLITE_DONE)
    rc = FK_ESTORE;
  sqlite3_finalize(q);
  return rc ? fk__sqlite_fail(st, "looking up a region") : 0;
}

int fk__sqlite_place_in(struct fk_store *st, const char *place_id, int64_t region, int *in)
{
  sqlite3 *db = fk__sqlite_db(st);
  sqlite3_stmt *q = NULL;
  int rc = 0, step;
  *in = 0;
  if (sqlite3_prepare_v2(db, sql[IN], -1, &q, NULL) != SQLITE_OK)
    return fk__sqlite_fail(st, "placing a place in a region");
  sqlite3_bind_text(q, 1, place_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, region);
  step = sqlite3_step(q);
  if (step == SQLITE_ROW)
    *in = 1;
  else if (step != SQLITE_DONE)
    rc = FK_ESTORE;
  sqlite3_finalize(q);
  return rc ? fk__sqlite_fail(st, "placing a place in a region") : 0;
}
