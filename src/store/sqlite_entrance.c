/*
 * Entrance checks in the SQLite store (fangkong/entrance.h): one row per time, person and place;
 * reasons kept as ';'-separated keys so that a reader of the table needs no code to read them.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/entrance_store.h"
#include "fangkong/error.h"
#include "fangkong/token_store.h"
#include "fangkong/vocab.h"
#include "store/sqlite_impl.h"

static const char *const sql[] = {
    "INSERT INTO entrance_checks(person, place, at, temperature, mask, decision, code, reasons,"
    " fever, audit_at, token, role, peer) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?13) ON CONFLICT(at, person, place) DO NOTHING",
    "SELECT e.person, e.place, p.grid, e.at, e.temperature, e.mask, e.decision, e.code, e.reasons,"
    " e.fever FROM entrance_checks e JOIN places p ON p.id = e.place"
    " WHERE e.at >= ?1 AND e.at < ?2 ORDER BY e.at, e.id",
    "SELECT id FROM places WHERE place_id = ?1",
};
enum { INS, SEL, PLACE };

/* The reason keys of bits, ';'-separated, into buf. */
static void keys_of(unsigned bits, char *buf, size_t size)
{
  size_t n = 0;
  buf[0] = '\0';
  for (int i = 0; i < FK_ENTRANCE_NREASONS && n < size; i++)
    if (bits & (1u << i))
      n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ";" : "", fk_entrance_reasons[i]);
}

/* Sets *bits from the ';'-separated reason keys of column i. Returns 0 or FK_ESTORE, a key
 * being none of fk_entrance_reasons. */
static int bits_of(struct fk_store *st, sqlite3_stmt *q, int i, unsigned *bits)
{
  const char *s = (const char *)sqlite3_column_text(q, i);
  char key[32];
  *bits = 0;
  while (s && *s) {
    size_t n = strcspn(s, ";");
    int k = FK_ENOTFOUND;
    if (n < sizeof key) {
      memcpy(key, s, n);
      key[n] = '\0';
      k = fk_vocab_index(fk_entrance_reasons, key);
    }
    if (k < 0)
      return fk__sqlite_failf(st, "entrance_checks.reasons: unknown name '%.*s'",
                              (int)(n > 64 ? 64 : n), s);
    *bits |= 1u << k;
    s += n + (s[n] == ';');
  }
  return 0;
}

int fk__sqlite_put_entrance(struct fk_store *st, const struct fk_entrance_row *r, int *stored)
{
  sqlite3_stmt *q = NULL;
  char keys[256];
  int own = fk__sqlite_cached(st, sql[INS], &q), step; /* kept prepared: the server's hot path */
  if (own < 0) return own;
  keys_of(r->reasons, keys, sizeof keys);
  sqlite3_bind_int64(q, 1, r->person);
  sqlite3_bind_int64(q, 2, r->place);
  sqlite3_bind_int64(q, 3, r->at);
  sqlite3_bind_double(q, 4, r->temperature);
  sqlite3_bind_int(q, 5, r->mask);
  sqlite3_bind_text(q, 6, fk_entrance_decisions[r->pass != 0], -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 7, fk_codes[r->code], -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 8, keys, -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 9, r->fever);
  if (r->who) { /* the audit log's record of the check (fk__sqlite_each_audit) */
    sqlite3_bind_int64(q, 10, r->who->at);
    if (r->who->token) sqlite3_bind_int64(q, 11, r->who->token);
    sqlite3_bind_text(q, 12, fk_roles[r->who->role], -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 13, r->who->peer, -1, SQLITE_STATIC);
  }
  if ((step = sqlite3_step(q)) == SQLITE_DONE && stored)
    *stored = sqlite3_changes(fk__sqlite_db(st)) > 0;
  return fk__sqlite_end(st, q, own, 0, step, "storing an entrance check");
}

int fk__sqlite_each_entrance(struct fk_store *st, fk_time from, fk_time to,
                             int (*fn)(void *arg, const struct fk_entrance_row *r), void *arg)
{
  sqlite3_stmt *q = NULL;
  struct fk_entrance_row r;
  int own = fk__sqlite_cached(st, sql[SEL], &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  sqlite3_bind_int64(q, 1, from);
  sqlite3_bind_int64(q, 2, to);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    memset(&r, 0, sizeof r);
    r.person = sqlite3_column_int64(q, 0);
    r.place = sqlite3_column_int64(q, 1);
    r.grid = sqlite3_column_int64(q, 2);
    r.at = sqlite3_column_int64(q, 3);
    r.temperature = sqlite3_column_double(q, 4);
    r.mask = sqlite3_column_int(q, 5);
    r.fever = sqlite3_column_int(q, 9);
    if (!(rc = fk__sqlite_col_name(st, q, 6, fk_entrance_decisions, "entrance_checks.decision",
                                   &r.pass)) &&
        !(rc = fk__sqlite_col_name(st, q, 7, fk_codes, "entrance_checks.code", &r.code)) &&
        !(rc = bits_of(st, q, 8, &r.reasons)))
      rc = fn(arg, &r);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading entrance checks");
}

int fk__sqlite_place_id(struct fk_store *st, const char *place_id, int64_t *place)
{
  sqlite3_stmt *q = NULL;
  int own, step;
  *place = 0;
  if (fk__sqlite_key(st, FK_FEED_PLACES, place_id, place)) return 0; /* places never change */
  if ((own = fk__sqlite_cached(st, sql[PLACE], &q)) < 0) return own;
  sqlite3_bind_text(q, 1, place_id, -1, SQLITE_STATIC);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) *place = sqlite3_column_int64(q, 0);
  return fk__sqlite_end(st, q, own, 0, step, "looking up a place");
}
