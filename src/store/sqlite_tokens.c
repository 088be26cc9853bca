/* API tokens and the scope of the hierarchy in the SQLite store (fangkong/token_store.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/token_store.h"
#include "store/sqlite_impl.h"

/* The rest of "the row lies in region ?2", after the row's grid is found. */
#define UP                                                                                         \
  " UNION ALL SELECT r.parent FROM regions r JOIN up ON r.id = up.id WHERE r.parent IS NOT NULL)"  \
  " SELECT 1 FROM up WHERE id = ?2 LIMIT 1"

static const char *const sql[] = {
    "INSERT INTO api_tokens(hash, role, scope, created_at, site)"
    " VALUES(?1, ?2, NULLIF(?3, 0), ?4, NULLIF(?5, 0))",
    "SELECT id, role, ifnull(scope, 0), created_at, ifnull(site, 0) FROM api_tokens WHERE hash = "
    "?1",
    "SELECT id, level FROM regions WHERE code = ?1",
    "WITH RECURSIVE up(id) AS (SELECT grid FROM places WHERE place_id = ?1"
    " UNION ALL SELECT r.parent FROM regions r JOIN up ON r.id = up.id WHERE r.parent IS NOT NULL)"
    " SELECT 1 FROM up WHERE id = ?2 LIMIT 1",
    "INSERT INTO audit_log(at, token, role, action, object, peer) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    /* the log's own rows and the checks posted to the API (their own audit records), by time;
       within a second the checks first, each kind in the order stored */
    "SELECT id, at, ifnull(token, 0), role, action, object, peer FROM ("
    " SELECT 1 AS kind, id, at, token, role, action, object, peer FROM audit_log UNION ALL"
    " SELECT 0, e.id, e.audit_at, e.token, e.role, 'POST /v1/entrance-checks',"
    "  'person ' || p.person_id || ' at place ' || l.place_id, e.peer FROM entrance_checks e"
    "  JOIN persons p ON p.id = e.person JOIN places l ON l.id = e.place"
    "  WHERE e.audit_at IS NOT NULL) ORDER BY at, kind, id",
    "WITH RECURSIVE up(id) AS (SELECT grid FROM persons WHERE id = ?1"
    " UNION ALL SELECT r.parent FROM regions r JOIN up ON r.id = up.id WHERE r.parent IS NOT NULL)"
    " SELECT 1 FROM up WHERE id = ?2 LIMIT 1",
    "SELECT name, id_number, ifnull(phone, '') FROM persons WHERE id = ?1",
    "SELECT id, grid FROM sites WHERE site_id = ?1",
    "SELECT 1 FROM stays s JOIN rooms r ON r.id = s.room"
    " WHERE s.person = ?1 AND r.site = ?2 AND s.to_at IS NULL LIMIT 1",
    "WITH RECURSIVE up(id) AS (SELECT id FROM regions WHERE code = ?1" UP,
    "WITH RECURSIVE up(id) AS (SELECT grid FROM persons WHERE person_id = ?1" UP,
    "WITH RECURSIVE up(id) AS (SELECT grid FROM sites WHERE site_id = ?1" UP,
};
enum {
  PUT,
  GET,
  REGION,
  IN,
  AUDIT_PUT,
  AUDIT_SEL,
  PERSON_IN,
  PRIVATE,
  SITE,
  AT_SITE,
  CODE_IN,
  PID_IN,
  SITE_IN
};

/* Copies column i of q into buf (size bytes), cut if longer. */
static void text_col(sqlite3_stmt *q, int i, char *buf, size_t size)
{
  fk__sqlite_copy_text(buf, size, sqlite3_column_text(q, i));
}

int fk__sqlite_put_token(struct fk_store *st, const char *hash, int role, int64_t scope,
                         int64_t site, fk_time created_at, int64_t *id)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[PUT], &q), rc = 0, step;
  if (own < 0) return own;
  sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, fk_roles[role], -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, scope);
  sqlite3_bind_int64(q, 4, created_at);
  sqlite3_bind_int64(q, 5, site);
  if ((step = sqlite3_step(q)) == SQLITE_CONSTRAINT)
    rc = FK_EDUP;
  else if (step == SQLITE_DONE && id)
    *id = sqlite3_last_insert_rowid(fk__sqlite_db(st));
  return fk__sqlite_end(st, q, own, rc, step, "storing a token");
}

int fk__sqlite_token(struct fk_store *st, const char *hash, struct fk_token_row *out)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[GET], &q), rc = 0, step; /* every request */
  memset(out, 0, sizeof *out);
  if (own < 0) return own;
  sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) {
    out->id = sqlite3_column_int64(q, 0);
    out->scope = sqlite3_column_int64(q, 2);
    out->created_at = sqlite3_column_int64(q, 3);
    out->site = sqlite3_column_int64(q, 4);
    rc = fk__sqlite_col_name(st, q, 1, fk_roles, "api_tokens.role", &out->role);
  }
  rc = fk__sqlite_end(st, q, own, rc, step, "reading a token");
  return rc ? rc : step == SQLITE_ROW ? 0 : FK_ENOTFOUND;
}

int fk__sqlite_region_by_code(struct fk_store *st, const char *code, int64_t *id, int *level)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[REGION], &q), step;
  *id = 0;
  if (own < 0) return own;
  sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) {
    *id = sqlite3_column_int64(q, 0);
    if (level) *level = sqlite3_column_int(q, 1);
  }
  return fk__sqlite_end(st, q, own, 0, step, "looking up a region");
}

/* Sets *in to 1 when the statement `which` (?1 the thing, ?2 the region or site) finds a row. */
static int in_region(struct fk_store *st, int which, const char *text, int64_t id, int64_t region,
                     int *in)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[which], &q), step;
  *in = 0;
  if (own < 0) return own;
  if (text)
    sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int64(q, 2, region);
  *in = (step = sqlite3_step(q)) == SQLITE_ROW;
  return fk__sqlite_end(st, q, own, 0, step, "placing in a region");
}

int fk__sqlite_place_in(struct fk_store *st, const char *place_id, int64_t region, int *in)
{
  return in_region(st, IN, place_id, 0, region, in);
}

int fk__sqlite_key_in(struct fk_store *st, enum fk_feed_id feed, const char *key, int64_t region,
                      int *in)
{
  int which = feed == FK_FEED_GRIDS     ? CODE_IN
              : feed == FK_FEED_PERSONS ? PID_IN
              : feed == FK_FEED_PLACES  ? IN
              : feed == FK_FEED_SITES   ? SITE_IN
                                        : -1;
  *in = 0;
  return which < 0 ? FK_EINVAL : in_region(st, which, key, 0, region, in);
}

int fk__sqlite_person_in(struct fk_store *st, int64_t person, int64_t region, int *in)
{
  return in_region(st, PERSON_IN, NULL, person, region, in);
}

int fk__sqlite_person_at_site(struct fk_store *st, int64_t person, int64_t site, int *in)
{
  return in_region(st, AT_SITE, NULL, person, site, in);
}

int fk__sqlite_site_by_code(struct fk_store *st, const char *code, int64_t *id, int64_t *grid)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[SITE], &q), step;
  *id = *grid = 0;
  if (own < 0) return own;
  sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) {
    *id = sqlite3_column_int64(q, 0);
    *grid = sqlite3_column_int64(q, 1);
  }
  return fk__sqlite_end(st, q, own, 0, step, "looking up a site");
}

int fk__sqlite_person_private(struct fk_store *st, int64_t person, struct fk_person_private *out)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[PRIVATE], &q), rc, step;
  memset(out, 0, sizeof *out);
  if (own < 0) return own;
  sqlite3_bind_int64(q, 1, person);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) {
    text_col(q, 0, out->name, sizeof out->name);
    text_col(q, 1, out->id_number, sizeof out->id_number);
    text_col(q, 2, out->phone, sizeof out->phone);
  }
  rc = fk__sqlite_end(st, q, own, 0, step, "reading a person");
  return rc ? rc : step == SQLITE_ROW ? 0 : FK_ENOTFOUND;
}

int fk__sqlite_put_audit(struct fk_store *st, const struct fk_audit_row *r)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql[AUDIT_PUT], &q);
  if (own < 0) return own;
  sqlite3_bind_int64(q, 1, r->at);
  if (r->token) sqlite3_bind_int64(q, 2, r->token);
  sqlite3_bind_text(q, 3, fk_roles[r->role], -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 4, r->action, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 5, r->object, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 6, r->peer, -1, SQLITE_STATIC);
  return fk__sqlite_end(st, q, own, 0, sqlite3_step(q), "appending to the audit log");
}

int fk__sqlite_each_audit(struct fk_store *st, int (*fn)(void *arg, const struct fk_audit_row *r),
                          void *arg)
{
  sqlite3_stmt *q = NULL;
  struct fk_audit_row r;
  int own = fk__sqlite_cached(st, sql[AUDIT_SEL], &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    memset(&r, 0, sizeof r);
    r.id = sqlite3_column_int64(q, 0);
    r.at = sqlite3_column_int64(q, 1);
    r.token = sqlite3_column_int64(q, 2);
    text_col(q, 4, r.action, sizeof r.action);
    text_col(q, 5, r.object, sizeof r.object);
    text_col(q, 6, r.peer, sizeof r.peer);
    if (!(rc = fk__sqlite_col_name(st, q, 3, fk_roles, "audit_log.role", &r.role)))
      rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading the audit log");
}
