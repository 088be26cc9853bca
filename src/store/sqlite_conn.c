/*
 * The SQLite backend's connection core (see sqlite_impl.h): statements kept prepared, the
 * message of the last failure, the natural key maps, transactions and close. A leaf: it calls
 * no other file of the backend, so that every one of them may call it.
 */
#include <assert.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/strmap.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "store/sqlite_impl.h"

/* ---- statements and failures ---------------------------------------------------------- */

int fk__sqlite_fail(struct fk_store *st, const char *what)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  snprintf(c->err, sizeof c->err, "%s: %s", what, sqlite3_errmsg(c->db));
  return FK_ESTORE;
}

int fk__sqlite_failf(struct fk_store *st, const char *fmt, ...)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, sizeof c->err, fmt, ap);
  va_end(ap);
  return FK_ESTORE;
}

int fk__sqlite_fail_diag(struct fk_store *st, struct fk_diag *diag, const char *what)
{
  return fk__sqlite_diag(st, diag, fk__sqlite_fail(st, what));
}

int fk__sqlite_end(struct fk_store *st, sqlite3_stmt *q, int own, int rc, int step,
                   const char *what)
{
  if (!rc && step != SQLITE_ROW && step != SQLITE_DONE) rc = fk__sqlite_fail(st, what);
  fk__sqlite_done(q, own);
  return rc;
}

int fk__sqlite_exec(struct fk_store *st, const char *sql)
{
  return sqlite3_exec(fk__sqlite_db(st), sql, NULL, NULL, NULL) == SQLITE_OK
             ? 0
             : fk__sqlite_fail(st, sql);
}

/* A hash of the n bytes of s, eight at a time: the cache is searched at every use of one of
 * its statements, on the hottest paths (an entrance check uses a dozen). */
static uint64_t hash_text(const char *s, size_t n)
{
  uint64_t h = n, w;
  for (; n >= 8; s += 8, n -= 8) {
    memcpy(&w, s, 8);
    h = (h ^ w) * 0x9E3779B97F4A7C15u;
    h ^= h >> 29;
  }
  w = 0;
  memcpy(&w, s, n);
  h = (h ^ w) * 0x9E3779B97F4A7C15u;
  return h ^ h >> 32;
}

int fk__sqlite_cached(struct fk_store *st, const char *sql, sqlite3_stmt **out)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  size_t len = strlen(sql), slot;
  uint64_t h = hash_text(sql, len);
  struct fk__sqlite_cached *e;
  for (slot = h & (FK__SQLITE_SLOTS - 1); c->slots[slot];
       slot = (slot + 1) & (FK__SQLITE_SLOTS - 1)) {
    e = &c->cache[c->slots[slot] - 1];
    if (e->hash != h || e->len != len || memcmp(e->sql, sql, len)) continue;
    if (sqlite3_stmt_busy(e->q)) /* in use further up the stack: a fresh one for this use */
      return sqlite3_prepare_v2(c->db, sql, -1, out, NULL) == SQLITE_OK ? 1
                                                                        : fk__sqlite_fail(st, sql);
    sqlite3_reset(e->q);
    sqlite3_clear_bindings(e->q);
    *out = e->q;
    return 0;
  }
  if (c->ncache == FK__SQLITE_CACHE) /* full: prepared for this use only */
    return sqlite3_prepare_v2(c->db, sql, -1, out, NULL) == SQLITE_OK ? 1
                                                                      : fk__sqlite_fail(st, sql);
  char *copy = fk_malloc(len + 1);
  if (!copy) return FK_ENOMEM;
  memcpy(copy, sql, len + 1);
  if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
    fk_free(copy);
    return fk__sqlite_fail(st, sql);
  }
  c->cache[c->ncache] = (struct fk__sqlite_cached){copy, len, h, *out};
  c->slots[slot] = (uint16_t)++c->ncache;
  return 0;
}

/* Runs sql, a statement without rows, kept prepared. Returns 0 or FK_ESTORE, recorded as sql. */
static int run_cached(struct fk_store *st, const char *sql)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql, &q);
  return own < 0 ? own : fk__sqlite_end(st, q, own, 0, sqlite3_step(q), sql);
}

void fk__sqlite_done(sqlite3_stmt *q, int rc)
{
  if (rc == 1)
    sqlite3_finalize(q);
  else if (q)
    sqlite3_reset(q);
}

const char *fk__sqlite_errmsg(struct fk_store *st)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  return c->err[0] ? c->err : sqlite3_errmsg(c->db);
}

/* ---- references ------------------------------------------------------------------------ */

int fk__sqlite_keys_load(struct fk_store *st, enum fk_feed_id feed)
{
  static const char *const sql[FK_FEED_COUNT] = {
      [FK_FEED_GRIDS] = "SELECT code, id FROM regions",
      [FK_FEED_PERSONS] = "SELECT person_id, id FROM persons",
      [FK_FEED_PLACES] = "SELECT place_id, id FROM places",
      [FK_FEED_SITES] = "SELECT site_id, id FROM sites",
  };
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  sqlite3_stmt *q = NULL;
  int own, rc = 0, step = SQLITE_DONE;
  if (c->loaded[feed]) return 0;
  assert(sql[feed]);
  if ((own = fk__sqlite_cached(st, sql[feed], &q)) < 0) return own;
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW)
    rc = fk__strmap_put(&c->keys[feed], (const char *)sqlite3_column_text(q, 0),
                        (size_t)sqlite3_column_bytes(q, 0), sqlite3_column_int64(q, 1));
  if (!(rc = fk__sqlite_end(st, q, own, rc, step, "loading the stored keys")))
    c->loaded[feed] = 1;
  else
    fk__strmap_clear(&c->keys[feed]); /* partly loaded: looked up in SQL until loaded whole */
  return rc;
}

/* Empties every key map, to be loaded again when next used. */
static void forget_keys(struct fk__sqlite_conn *c)
{
  for (int i = 0; i < FK_FEED_COUNT; i++) {
    fk__strmap_clear(&c->keys[i]);
    c->loaded[i] = 0;
  }
}

int fk__sqlite_key(struct fk_store *st, enum fk_feed_id feed, const char *key, int64_t *id)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  assert(feed >= 0 && feed < FK_FEED_COUNT);
  return c->loaded[feed] && fk__strmap_get(&c->keys[feed], key, strlen(key), id);
}

int fk__sqlite_key_find(struct fk_store *st, enum fk_feed_id feed, const char *key, size_t n,
                        int64_t *id)
{
  static const char *const sql[FK_FEED_COUNT] = {
      [FK_FEED_GRIDS] = "SELECT id FROM regions WHERE code = ?1",
      [FK_FEED_PERSONS] = "SELECT id FROM persons WHERE person_id = ?1",
      [FK_FEED_PLACES] = "SELECT id FROM places WHERE place_id = ?1",
      [FK_FEED_SITES] = "SELECT id FROM sites WHERE site_id = ?1",
  };
  sqlite3_stmt *q = NULL;
  int own, rc, step;
  assert(sql[feed]);
  *id = 0;
  if ((own = fk__sqlite_cached(st, sql[feed], &q)) < 0) return own;
  sqlite3_bind_text(q, 1, key, (int)n, SQLITE_STATIC);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) *id = sqlite3_column_int64(q, 0);
  if ((rc = fk__sqlite_end(st, q, own, 0, step, "looking up a reference"))) return rc;
  return *id ? fk__strmap_put(&fk__sqlite_conn_of(st)->keys[feed], key, n, *id) : 0;
}

int fk__sqlite_key_add(struct fk_store *st, enum fk_feed_id feed, const char *key, size_t n,
                       int64_t id)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  return c->loaded[feed] ? fk__strmap_put(&c->keys[feed], key, n, id) : 0;
}

/* ---- transactions ------------------------------------------------------------------------ */

/*
 * Transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT, each inner one a savepoint, so
 * a caller may group many self-contained writes (each with its own begin/commit) into one commit
 * (the server's group commit of entrance checks). An inner rollback undoes only its own writes.
 * Their statements are kept prepared: the server opens and releases a savepoint or two per
 * entrance check, and parsing them each time cost more than the check's inserts.
 */
int fk__sqlite_keep_transactions(struct fk_store *st)
{
  static const char *const sql[] = {"BEGIN IMMEDIATE", "SAVEPOINT fk_inner",   "RELEASE fk_inner",
                                    "COMMIT",          "ROLLBACK TO fk_inner", "ROLLBACK"};
  for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
    sqlite3_stmt *q = NULL;
    int own = fk__sqlite_cached(st, sql[i], &q);
    if (own < 0) return own;
    fk__sqlite_done(q, own);
  }
  return 0;
}

int fk__sqlite_begin(struct fk_store *st)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  int rc = run_cached(st, c->depth ? "SAVEPOINT fk_inner" : "BEGIN IMMEDIATE");
  if (!rc) c->depth++;
  return rc;
}

int fk__sqlite_commit(struct fk_store *st)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  int rc = run_cached(st, c->depth > 1 ? "RELEASE fk_inner" : "COMMIT");
  if (!rc && c->depth > 0) c->depth--;
  return rc;
}

int fk__sqlite_rollback(struct fk_store *st)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  forget_keys(c); /* the maps may hold ids of rows that no longer exist */
  if (c->depth > 1) {
    c->depth--;
    int rc = run_cached(st, "ROLLBACK TO fk_inner");
    return rc ? rc : run_cached(st, "RELEASE fk_inner");
  }
  c->depth = 0;
  return sqlite3_get_autocommit(c->db) ? 0 : run_cached(st, "ROLLBACK");
}

/*
 * SQLite's own foreign key check costs a B-tree search of the parent table per reference, which
 * doubles the cost of a check-in import (measured: docs/PERFORMANCE.md); fk__sqlite_put has
 * already resolved each reference through the key maps loaded from those very tables, so a bulk
 * load turns it off for its connection. Persons, places and grids are never deleted.
 */
int fk__sqlite_set_bulk(struct fk_store *st, int bulk)
{
  return run_cached(st, bulk ? "PRAGMA foreign_keys=OFF" : "PRAGMA foreign_keys=ON");
}

int fk__sqlite_data_version(struct fk_store *st, uint64_t *v)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, "PRAGMA data_version", &q), step;
  if (own < 0) return own;
  if ((step = sqlite3_step(q)) == SQLITE_ROW) *v = (uint64_t)sqlite3_column_int64(q, 0);
  return fk__sqlite_end(st, q, own, 0, step, "reading the data version");
}

/* ---- close ------------------------------------------------------------------------------ */

void fk__sqlite_close(struct fk_store *st)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  for (int i = 0; i < FK_FEED_COUNT; i++) {
    sqlite3_finalize(c->insert[i]);
    sqlite3_finalize(c->same[i]);
  }
  for (int i = 0; i < c->ncache; i++) {
    sqlite3_finalize(c->cache[i].q);
    fk_free(c->cache[i].sql);
  }
  forget_keys(c);
  sqlite3_close(c->db);
  fk_free(c);
}
