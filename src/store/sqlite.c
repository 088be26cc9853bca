/*
 * The SQLite backend of the store (see fangkong/store.h and store_impl.h).
 *
 * One connection in WAL mode with foreign keys on. Feed rows are written through prepared
 * statements, one per feed, built from the feed descriptors and the column map below, with
 * `ON CONFLICT DO NOTHING` so a re-run skips what is already stored; a skipped row is then
 * compared with the stored one to tell a harmless duplicate from a conflict. References
 * (person_id -> persons.id ...) are resolved through in-memory maps loaded on first use, since
 * a lookup per check-in through SQL would double the cost of an import.
 */
#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "base/strmap.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/time.h"
#include "store/schema.h"
#include "store/store_impl.h"

/* Where each feed lands: the table, and the stored column for each feed column in order. */
struct feed_map {
  const char *table;
  const char *cols[FK_FEED_MAXCOLS];
};

static const struct feed_map maps[FK_FEED_COUNT] = {
    [FK_FEED_GRIDS] = {"regions", {"code", "name", NULL, NULL, NULL, "lat", "lon"}},
    [FK_FEED_PERSONS] = {"persons",
                         {"person_id", "id_number", "name", "sex", "birth_date", "phone",
                          "household_id", "grid", "address"}},
    [FK_FEED_PLACES] = {"places", {"place_id", "name", "kind", "grid", "lat", "lon", "capacity"}},
    [FK_FEED_SITES] = {"sites",
                       {"site_id", "name", "grid", "lat", "lon", "clean_zone", "buffer_zone",
                        "contaminated_zone", "staff_channel", "resident_channel", "staff",
                        "allows_households"}},
    [FK_FEED_ROOMS] = {"rooms", {"site", "room_id", "kind", "beds"}},
    [FK_FEED_CHECKINS] = {"checkins", {"person", "place", "checkin_at", "checkout_at"}},
    [FK_FEED_CASES] = {"cases", {"person", "kind", "onset_date", "sampled_at", "isolated_at"}},
    [FK_FEED_SAMPLES] = {"samples",
                         {"sample_id", "pool_id", "person", "sampled_at", "site_id", "result",
                          "reported_at"}},
    [FK_FEED_ARRIVALS] = {"arrivals",
                          {"person", "arrived_at", "origin", "port", "international", "left_at"}},
    [FK_FEED_VACCINATIONS] = {"vaccinations", {"person", "dose", "vaccinated_at"}},
    [FK_FEED_PINGS] = {"pings", {"person", "at", "lat", "lon"}},
    [FK_FEED_DUTY] = {"duty", {"unit", "from_at", "to_at", "officer", "phone"}},
    [FK_FEED_CLINIC_VISITS] = {"clinic_visits", {"person", "visited_at", "place", "syndrome"}},
    [FK_FEED_PHARMACY_SALES] = {"pharmacy_sales",
                                {"person", "sold_at", "place", "drug_class", "quantity"}},
    [FK_FEED_SCHOOL_ABSENCES] = {"school_absences", {"place", "date", "class", "count"}},
    [FK_FEED_COUNTS] = {"signal_counts", {"date", "region", "channel", "count"}},
};

/* Grid feed columns that name its place in the hierarchy, and the region levels. */
enum { G_ID, G_NAME, G_COMMUNITY, G_STREET, G_DISTRICT, G_LAT, G_LON };
enum { LEVEL_DISTRICT = 1, LEVEL_STREET, LEVEL_COMMUNITY, LEVEL_GRID };

struct sqlite_store {
  struct fk_store base;
  sqlite3 *db;
  sqlite3_stmt *insert[FK_FEED_COUNT];
  sqlite3_stmt *same[FK_FEED_COUNT];
  sqlite3_stmt *region_insert, *region_id;
  struct fk__strmap keys[FK_FEED_COUNT]; /* natural key -> row id, for referenced feeds */
  int loaded[FK_FEED_COUNT];
  struct cached {
    char *sql;
    sqlite3_stmt *q;
  } cache[FK__SQLITE_CACHE]; /* statements the engines run again and again (fk__sqlite_cached) */
  int ncache;
  int depth; /* open transactions: the outer one a BEGIN, each inner one a SAVEPOINT */
  char err[512];
};

static struct sqlite_store *S(struct fk_store *st)
{
  return (struct sqlite_store *)st;
}

/* Records SQLite's message and returns FK_ESTORE. */
static int fail(struct sqlite_store *s, const char *what)
{
  snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
  return FK_ESTORE;
}

static int exec(struct sqlite_store *s, const char *sql)
{
  return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(s, sql);
}

static int prepare(struct sqlite_store *s, const char *sql, sqlite3_stmt **out)
{
  if (*out) return 0;
  return sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) == SQLITE_OK
             ? 0
             : fail(s, "prepare");
}

/* ---- schema ---------------------------------------------------------------------------- */

static int user_version(struct sqlite_store *s, int *v)
{
  sqlite3_stmt *q = NULL;
  int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL);
  if (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    *v = sqlite3_column_int(q, 0);
  else
    rc = SQLITE_ERROR;
  sqlite3_finalize(q);
  return rc == SQLITE_OK ? 0 : fail(s, "reading the schema version");
}

static int migrate(struct sqlite_store *s, struct fk_diag *diag)
{
  int v, rc = user_version(s, &v);
  if (rc) return rc;
  if (v > fk__sqlite_migration_count)
    return fk_diag_set(diag, FK_ESCHEMA, NULL,
                       "store schema version %d is newer than this program's (%d)", v,
                       fk__sqlite_migration_count);
  for (; v < fk__sqlite_migration_count; v++) {
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
    if ((rc = exec(s, "BEGIN IMMEDIATE"))) return rc;
    if ((rc = exec(s, fk__sqlite_migrations[v])) || (rc = exec(s, pragma))) {
      exec(s, "ROLLBACK");
      return fk_diag_set(diag, rc, NULL, "migration %d failed: %s", v + 1, s->err);
    }
    if ((rc = exec(s, "COMMIT"))) return rc;
  }
  return 0;
}

/* ---- references ------------------------------------------------------------------------ */

/* Loads natural key -> id for a referenced feed once. */
static int load_keys(struct sqlite_store *s, enum fk_feed_id feed)
{
  static const char *const sql[FK_FEED_COUNT] = {
      [FK_FEED_GRIDS] = "SELECT code, id FROM regions",
      [FK_FEED_PERSONS] = "SELECT person_id, id FROM persons",
      [FK_FEED_PLACES] = "SELECT place_id, id FROM places",
      [FK_FEED_SITES] = "SELECT site_id, id FROM sites",
  };
  sqlite3_stmt *q = NULL;
  int rc = 0;
  if (s->loaded[feed]) return 0;
  assert(sql[feed]);
  if (sqlite3_prepare_v2(s->db, sql[feed], -1, &q, NULL) != SQLITE_OK) return fail(s, sql[feed]);
  while (!rc && sqlite3_step(q) == SQLITE_ROW)
    rc = fk__strmap_put(&s->keys[feed], (const char *)sqlite3_column_text(q, 0),
                        (size_t)sqlite3_column_bytes(q, 0), sqlite3_column_int64(q, 1));
  sqlite3_finalize(q);
  if (!rc) s->loaded[feed] = 1;
  return rc;
}

static void forget_keys(struct sqlite_store *s)
{
  for (int i = 0; i < FK_FEED_COUNT; i++) {
    fk__strmap_clear(&s->keys[i]);
    s->loaded[i] = 0;
  }
}

/*
 * Looks a key missing from feed's map up in the table, adding it to the map when found: another
 * connection may have stored it since the map was loaded (a place imported while the server
 * runs). *id is 0 when the table lacks it too. Returns 0, FK_ENOMEM or FK_ESTORE.
 */
static int find_key(struct sqlite_store *s, enum fk_feed_id feed, const char *key, size_t n,
                    int64_t *id)
{
  static const char *const sql[FK_FEED_COUNT] = {
      [FK_FEED_GRIDS] = "SELECT id FROM regions WHERE code = ?1",
      [FK_FEED_PERSONS] = "SELECT id FROM persons WHERE person_id = ?1",
      [FK_FEED_PLACES] = "SELECT id FROM places WHERE place_id = ?1",
      [FK_FEED_SITES] = "SELECT id FROM sites WHERE site_id = ?1",
  };
  sqlite3_stmt *q = NULL;
  int own, step;
  assert(sql[feed]);
  *id = 0;
  if ((own = fk__sqlite_cached(&s->base, sql[feed], &q)) < 0) return own;
  sqlite3_bind_text(q, 1, key, (int)n, SQLITE_STATIC);
  step = sqlite3_step(q);
  if (step == SQLITE_ROW) *id = sqlite3_column_int64(q, 0);
  fk__sqlite_done(q, own);
  if (step != SQLITE_ROW && step != SQLITE_DONE) return fail(s, "looking up a reference");
  return *id ? fk__strmap_put(&s->keys[feed], key, n, *id) : 0;
}

/* Resolves the key in v against feed `ref`; 0 and *id, or FK_ENOREF. */
static int resolve(struct sqlite_store *s, const struct fk_column *col, const struct fk_value *v,
                   int64_t *id, struct fk_diag *diag)
{
  int rc = load_keys(s, col->ref);
  if (rc) return rc;
  if (fk__strmap_get(&s->keys[col->ref], v->s, v->n, id)) return 0;
  if ((rc = find_key(s, col->ref, v->s, v->n, id)) || *id) return rc;
  return fk_diag_set(diag, FK_ENOREF, col->name, "unknown %s '%.*s' (not in %s)", col->name,
                     (int)(v->n > 64 ? 64 : v->n), v->s, fk_feed_get(col->ref)->name);
}

/* ---- binding --------------------------------------------------------------------------- */

static int bind_value(sqlite3_stmt *q, int idx, const struct fk_column *col,
                      const struct fk_value *v, int64_t ref)
{
  char buf[FK_DATE_BUFSZ];
  if (!v->present) return sqlite3_bind_null(q, idx);
  if (col->ref != FK_FEED_NONE) return sqlite3_bind_int64(q, idx, ref);
  switch (col->type) {
  case FK_COL_DATE:
  case FK_COL_DAY:
    return sqlite3_bind_text(q, idx, fk_date_format((fk_date)v->i, buf), -1, SQLITE_TRANSIENT);
  case FK_COL_TIME:
  case FK_COL_INT:
  case FK_COL_BOOL:
    return sqlite3_bind_int64(q, idx, v->i);
  case FK_COL_REAL:
    return sqlite3_bind_double(q, idx, v->d);
  default:
    return sqlite3_bind_text(q, idx, v->s, (int)v->n, SQLITE_STATIC);
  }
}

/* Builds "INSERT ... ON CONFLICT DO NOTHING" and "SELECT count(*) ... WHERE c IS ?" for feed. */
static int feed_statements(struct sqlite_store *s, const struct fk_feed *feed)
{
  const struct feed_map *m = &maps[feed->id];
  char ins[1024], same[1024], marks[128] = "";
  int ni, ns, n = 0, rc;
  if (s->insert[feed->id]) return 0;
  ni = snprintf(ins, sizeof ins, "INSERT INTO %s(", m->table);
  ns = snprintf(same, sizeof same, "SELECT count(*) FROM %s WHERE 1", m->table);
  for (int i = 0; i < feed->ncols; i++) {
    if (!m->cols[i]) continue;
    n++;
    ni += snprintf(ins + ni, sizeof ins - (size_t)ni, "%s%s", n > 1 ? "," : "", m->cols[i]);
    ns += snprintf(same + ns, sizeof same - (size_t)ns, " AND %s IS ?%d", m->cols[i], n);
    snprintf(marks + strlen(marks), sizeof marks - strlen(marks), "%s?%d", n > 1 ? "," : "", n);
  }
  if (feed->id == FK_FEED_GRIDS) { /* a grid is a region of level 4 under its community */
    ni += snprintf(ins + ni, sizeof ins - (size_t)ni, ",level,parent");
    ns += snprintf(same + ns, sizeof same - (size_t)ns, " AND level IS ?%d AND parent IS ?%d",
                   n + 1, n + 2);
    snprintf(marks + strlen(marks), sizeof marks - strlen(marks), ",?%d,?%d", n + 1, n + 2);
  }
  snprintf(ins + ni, sizeof ins - (size_t)ni, ") VALUES(%s) ON CONFLICT DO NOTHING", marks);
  if ((rc = prepare(s, ins, &s->insert[feed->id]))) return rc;
  return prepare(s, same, &s->same[feed->id]);
}

/* Binds the row (refs already resolved into ids[]) to q, skipping unmapped columns. */
static int bind_row(sqlite3_stmt *q, const struct fk_feed *feed, const struct fk_value *row,
                    const int64_t *ids, int *next)
{
  const struct feed_map *m = &maps[feed->id];
  int n = 0;
  sqlite3_reset(q);
  for (int i = 0; i < feed->ncols; i++) {
    if (!m->cols[i]) continue;
    if (bind_value(q, ++n, &feed->cols[i], &row[i], ids[i]) != SQLITE_OK) return FK_ESTORE;
  }
  *next = n + 1;
  return 0;
}

/* ---- the hierarchy --------------------------------------------------------------------- */

/*
 * Returns in *id the region with code `code` (district "/d", street "/d/s", community
 * "/d/s/c": a grid_id never holds '/', so codes cannot collide), creating it when missing.
 */
static int region(struct sqlite_store *s, int level, const char *code, size_t codelen,
                  const struct fk_value *name, int64_t parent, int64_t *id)
{
  int rc = load_keys(s, FK_FEED_GRIDS);
  if (rc || fk__strmap_get(&s->keys[FK_FEED_GRIDS], code, codelen, id)) return rc;
  if ((rc = prepare(s, "INSERT INTO regions(level, code, name, parent) VALUES(?1,?2,?3,?4)",
                    &s->region_insert)))
    return rc;
  sqlite3_stmt *q = s->region_insert;
  sqlite3_reset(q);
  sqlite3_bind_int(q, 1, level);
  sqlite3_bind_text(q, 2, code, (int)codelen, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, name->s, (int)name->n, SQLITE_STATIC);
  if (parent)
    sqlite3_bind_int64(q, 4, parent);
  else
    sqlite3_bind_null(q, 4);
  if (sqlite3_step(q) != SQLITE_DONE) return fail(s, "adding a region");
  *id = sqlite3_last_insert_rowid(s->db);
  return fk__strmap_put(&s->keys[FK_FEED_GRIDS], code, codelen, *id);
}

/* Resolves (creating) the community of a grid row, through its district and street. */
static int community_of(struct sqlite_store *s, const struct fk_value *row, int64_t *id)
{
  static const int parts[3] = {G_DISTRICT, G_STREET, G_COMMUNITY};
  char code[3 * 130 + 4];
  size_t len = 0;
  int64_t parent = 0;
  for (int level = 0; level < 3; level++) {
    const struct fk_value *v = &row[parts[level]];
    assert(v->n <= 128);
    code[len++] = '/';
    memcpy(code + len, v->s, v->n);
    len += v->n;
    int rc = region(s, LEVEL_DISTRICT + level, code, len, v, parent, &parent);
    if (rc) return rc;
  }
  *id = parent;
  return 0;
}

/* ---- put ------------------------------------------------------------------------------- */

/* After an insert did nothing: is the stored row identical (FK_EDUP) or not (FK_ECONFLICT)? */
static int compare_stored(struct sqlite_store *s, const struct fk_feed *feed,
                          const struct fk_value *row, const int64_t *ids, int64_t parent,
                          struct fk_diag *diag)
{
  sqlite3_stmt *q = s->same[feed->id];
  int next, rc = bind_row(q, feed, row, ids, &next);
  if (rc) return fail(s, "binding");
  if (feed->id == FK_FEED_GRIDS) {
    sqlite3_bind_int(q, next, LEVEL_GRID);
    sqlite3_bind_int64(q, next + 1, parent);
  }
  if (sqlite3_step(q) != SQLITE_ROW) return fail(s, "comparing with the stored row");
  int64_t same = sqlite3_column_int64(q, 0);
  sqlite3_reset(q); /* left stepped, it would hold a read transaction open (and, once another
                       connection has committed, make this one's next BEGIN IMMEDIATE fail) */
  if (same > 0) return FK_EDUP;
  return fk_diag_set(diag, FK_ECONFLICT, feed->cols[0].name,
                     "a stored %s row has the same key (%s...) with other values", feed->name,
                     feed->cols[0].name);
}

static int sqlite_put(struct fk_store *st, const struct fk_feed *feed, const struct fk_value *row,
                      struct fk_diag *diag)
{
  struct sqlite_store *s = S(st);
  int64_t ids[FK_FEED_MAXCOLS] = {0}, parent = 0;
  int rc, next;
  for (int i = 0; i < feed->ncols; i++)
    if (feed->cols[i].ref != FK_FEED_NONE && row[i].present &&
        (rc = resolve(s, &feed->cols[i], &row[i], &ids[i], diag)))
      return rc;
  if ((rc = feed_statements(s, feed))) return rc;
  if (feed->id == FK_FEED_GRIDS && (rc = community_of(s, row, &parent))) return rc;
  sqlite3_stmt *q = s->insert[feed->id];
  if ((rc = bind_row(q, feed, row, ids, &next))) return fail(s, "binding");
  if (feed->id == FK_FEED_GRIDS) {
    sqlite3_bind_int(q, next, LEVEL_GRID);
    sqlite3_bind_int64(q, next + 1, parent);
  }
  int step = sqlite3_step(q);
  if (step == SQLITE_CONSTRAINT)
    return fk_diag_set(diag, FK_ECONFLICT, NULL, "refused by the store: %s", sqlite3_errmsg(s->db));
  if (step != SQLITE_DONE) return fail(s, "storing a row");
  if (sqlite3_changes(s->db) == 0) return compare_stored(s, feed, row, ids, parent, diag);
  /* Keep the key map of a referenced feed complete once it has been loaded. */
  if (s->loaded[feed->id] && (feed->id <= FK_FEED_PLACES || feed->id == FK_FEED_SITES))
    return fk__strmap_put(&s->keys[feed->id], row[0].s, row[0].n, sqlite3_last_insert_rowid(s->db));
  return 0;
}

/* ---- transactions, open, close ----------------------------------------------------------- */

/*
 * Transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT, each inner one a savepoint, so
 * a caller may group many self-contained writes (each with its own begin/commit) into one commit
 * (the server's group commit of entrance checks). An inner rollback undoes only its own writes.
 */
/* Runs a statement without rows kept prepared: the server opens and releases a savepoint or two
 * per entrance check, and parsing them each time cost more than the check's inserts. */
static int run_cached(struct sqlite_store *s, const char *sql)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(&s->base, sql, &q), step;
  if (own < 0) return own;
  step = sqlite3_step(q);
  fk__sqlite_done(q, own);
  return step == SQLITE_DONE ? 0 : fail(s, sql);
}

static int sqlite_begin(struct fk_store *st)
{
  struct sqlite_store *s = S(st);
  int rc = run_cached(s, s->depth ? "SAVEPOINT fk_inner" : "BEGIN IMMEDIATE");
  if (!rc) s->depth++;
  return rc;
}

static int sqlite_commit(struct fk_store *st)
{
  struct sqlite_store *s = S(st);
  int rc = run_cached(s, s->depth > 1 ? "RELEASE fk_inner" : "COMMIT");
  if (!rc && s->depth > 0) s->depth--;
  return rc;
}

static int sqlite_rollback(struct fk_store *st)
{
  struct sqlite_store *s = S(st);
  forget_keys(s); /* the maps may hold ids of rows that no longer exist */
  if (s->depth > 1) {
    s->depth--;
    return exec(s, "ROLLBACK TO fk_inner; RELEASE fk_inner");
  }
  s->depth = 0;
  return sqlite3_get_autocommit(s->db) ? 0 : exec(s, "ROLLBACK");
}

/*
 * SQLite's own foreign key check costs a B-tree search of the parent table per reference, which
 * doubles the cost of a check-in import (measured: docs/PERFORMANCE.md); sqlite_put has already
 * resolved each reference through the key maps loaded from those very tables, so a bulk load
 * turns it off for its connection. Persons, places and grids are never deleted.
 */
static int sqlite_set_bulk(struct fk_store *st, int bulk)
{
  return exec(S(st), bulk ? "PRAGMA foreign_keys=OFF" : "PRAGMA foreign_keys=ON");
}

/* Reports the first row of a check query, if any, as the problem. */
static int first_problem(struct sqlite_store *s, const char *sql, const char *ok,
                         struct fk_diag *diag)
{
  sqlite3_stmt *q = NULL;
  int rc = 0;
  if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) return fail(s, sql);
  if (sqlite3_step(q) == SQLITE_ROW) {
    const char *a = (const char *)sqlite3_column_text(q, 0);
    if (!ok || !a || strcmp(a, ok))
      rc = fk_diag_set(diag, FK_ESTORE, NULL, "%s: %s %s", sql, a ? a : "",
                       sqlite3_column_count(q) > 1 && sqlite3_column_text(q, 1)
                           ? (const char *)sqlite3_column_text(q, 1)
                           : "");
  }
  sqlite3_finalize(q);
  return rc;
}

static int sqlite_verify(struct fk_store *st, struct fk_diag *diag)
{
  int rc = first_problem(S(st), "PRAGMA quick_check", "ok", diag);
  return rc ? rc : first_problem(S(st), "PRAGMA foreign_key_check", NULL, diag);
}

static const char *sqlite_errmsg(struct fk_store *st)
{
  return S(st)->err[0] ? S(st)->err : sqlite3_errmsg(S(st)->db);
}

static int sqlite_version(struct fk_store *st, int *version)
{
  return user_version(S(st), version);
}

static void sqlite_close(struct fk_store *st)
{
  struct sqlite_store *s = S(st);
  for (int i = 0; i < FK_FEED_COUNT; i++) {
    sqlite3_finalize(s->insert[i]);
    sqlite3_finalize(s->same[i]);
  }
  sqlite3_finalize(s->region_insert);
  sqlite3_finalize(s->region_id);
  for (int i = 0; i < s->ncache; i++) {
    sqlite3_finalize(s->cache[i].q);
    fk_free(s->cache[i].sql);
  }
  forget_keys(s);
  sqlite3_close(s->db);
  fk_free(s);
}

int fk__sqlite_stats(struct fk_store *st, sqlite3 *db, struct fk_table **feeds,
                     struct fk_table **districts);

static int sqlite_stats(struct fk_store *st, struct fk_table **feeds, struct fk_table **districts)
{
  return fk__sqlite_stats(st, S(st)->db, feeds, districts);
}

int fk__sqlite_scan(sqlite3 *db, const struct fk_feed *feed,
                    int (*row)(void *arg, const char *const *cells), void *arg);

static int sqlite_scan(struct fk_store *st, const struct fk_feed *feed,
                       int (*row)(void *arg, const char *const *cells), void *arg)
{
  int rc = fk__sqlite_scan(S(st)->db, feed, row, arg);
  if (rc == FK_ESTORE) fail(S(st), "reading rows");
  return rc;
}

int fk__sqlite_save_trace(sqlite3 *db, const struct fk_trace_result *r, fk_time now,
                          const char *rules, struct fk_diag *diag);

static int sqlite_save_trace(struct fk_store *st, const struct fk_trace_result *r, fk_time now,
                             const char *rules, struct fk_diag *diag)
{
  return fk__sqlite_save_trace(S(st)->db, r, now, rules, diag);
}

int fk__sqlite_each_measure(struct fk_store *st, int64_t person,
                            int (*fn)(void *arg, const struct fk_measure_row *m), void *arg);
int fk__sqlite_put_measure(struct fk_store *st, struct fk_measure_row *m, struct fk_diag *diag);
int fk__sqlite_person_id(struct fk_store *st, const char *person_id, int64_t *person);

static int sqlite_each_measure(struct fk_store *st, int64_t person,
                               int (*fn)(void *arg, const struct fk_measure_row *m), void *arg)
{
  int rc = fk__sqlite_each_measure(st, person, fn, arg);
  if (rc == FK_ESTORE) fail(S(st), "reading measures");
  return rc;
}

static int sqlite_put_measure(struct fk_store *st, struct fk_measure_row *m, struct fk_diag *diag)
{
  return fk__sqlite_put_measure(st, m, diag);
}

static int sqlite_person_id(struct fk_store *st, const char *person_id, int64_t *person)
{
  int rc = fk__sqlite_person_id(st, person_id, person);
  if (rc) fail(S(st), "finding a person");
  return rc;
}

int fk__sqlite_cached(struct fk_store *st, const char *sql, sqlite3_stmt **out)
{
  struct sqlite_store *s = S(st);
  int i = 0;
  while (i < s->ncache && strcmp(s->cache[i].sql, sql))
    i++;
  if (i < s->ncache && sqlite3_stmt_busy(s->cache[i].q)) /* in use further up: a fresh one */
    return sqlite3_prepare_v2(s->db, sql, -1, out, NULL) == SQLITE_OK ? 1 : fail(s, sql);
  if (i < s->ncache) {
    sqlite3_reset(s->cache[i].q);
    sqlite3_clear_bindings(s->cache[i].q);
    *out = s->cache[i].q;
    return 0;
  }
  if (s->ncache == FK__SQLITE_CACHE) /* full: prepared for this use only */
    return sqlite3_prepare_v2(s->db, sql, -1, out, NULL) == SQLITE_OK ? 1 : fail(s, sql);
  size_t n = strlen(sql) + 1;
  char *copy = fk_malloc(n);
  if (!copy) return FK_ENOMEM;
  memcpy(copy, sql, n);
  if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
    fk_free(copy);
    return fail(s, sql);
  }
  s->cache[s->ncache++] = (struct cached){copy, *out};
  return 0;
}

void fk__sqlite_done(sqlite3_stmt *q, int rc)
{
  if (rc == 1)
    sqlite3_finalize(q);
  else if (q)
    sqlite3_reset(q);
}

int fk__sqlite_key(struct fk_store *st, int feed, const char *key, int64_t *id)
{
  struct sqlite_store *s = S(st);
  assert(feed >= 0 && feed < FK_FEED_COUNT);
  return s->loaded[feed] && fk__strmap_get(&s->keys[feed], key, strlen(key), id);
}

static int sqlite_data_version(struct fk_store *st, uint64_t *v)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, "PRAGMA data_version", &q), step;
  if (own < 0) return own;
  step = sqlite3_step(q);
  if (step == SQLITE_ROW) *v = (uint64_t)sqlite3_column_int64(q, 0);
  fk__sqlite_done(q, own);
  return step == SQLITE_ROW ? 0 : fail(S(st), "reading the data version");
}

sqlite3 *fk__sqlite_db(struct fk_store *st)
{
  return S(st)->db;
}

int fk__sqlite_fail(struct fk_store *st, const char *what)
{
  return fail(S(st), what);
}

int fk__sqlite_each_area(struct fk_store *st, int (*fn)(void *arg, const struct fk_area_row *a),
                         void *arg);
int fk__sqlite_put_area(sqlite3 *db, struct fk_area_row *a, struct fk_diag *diag);
int fk__sqlite_locate(struct fk_store *st, enum fk_locate what, int64_t id, const char *text,
                      struct fk_location *out);
int fk__sqlite_each_grid_sample(sqlite3 *db, int64_t grid, fk_time from, fk_time to,
                                int (*fn)(void *arg, const struct fk_sample_row *row), void *arg);

static int sqlite_each_area(struct fk_store *st, int (*fn)(void *arg, const struct fk_area_row *a),
                            void *arg)
{
  int rc = fk__sqlite_each_area(st, fn, arg);
  if (rc == FK_ESTORE) fail(S(st), "reading areas");
  return rc;
}

static int sqlite_put_area(struct fk_store *st, struct fk_area_row *a, struct fk_diag *diag)
{
  return fk__sqlite_put_area(S(st)->db, a, diag);
}

static int sqlite_locate(struct fk_store *st, enum fk_locate what, int64_t id, const char *text,
                         struct fk_location *out)
{
  int rc = fk__sqlite_locate(st, what, id, text, out);
  if (rc == FK_ESTORE) fail(S(st), "locating");
  return rc;
}

static int sqlite_each_grid_sample(struct fk_store *st, int64_t grid, fk_time from, fk_time to,
                                   int (*fn)(void *arg, const struct fk_sample_row *row), void *arg)
{
  int rc = fk__sqlite_each_grid_sample(S(st)->db, grid, from, to, fn, arg);
  if (rc == FK_ESTORE) fail(S(st), "reading a grid's samples");
  return rc;
}

static const struct fk__store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .errmsg = sqlite_errmsg,
    .put = sqlite_put,
    .scan = sqlite_scan,
    .each_checkin = fk__sqlite_each_checkin,
    .each_person = fk__sqlite_each_person,
    .each_place = fk__sqlite_each_place,
    .each_case = fk__sqlite_each_case,
    .each_ping = fk__sqlite_each_ping,
    .each_arrival = fk__sqlite_each_arrival,
    .each_sample = fk__sqlite_each_sample,
    .save_trace = sqlite_save_trace,
    .set_bulk = sqlite_set_bulk,
    .verify = sqlite_verify,
    .version = sqlite_version,
    .stats = sqlite_stats,
    .each_measure = sqlite_each_measure,
    .put_measure = sqlite_put_measure,
    .person_id = sqlite_person_id,
    .data_version = sqlite_data_version,
    .each_task = fk__sqlite_each_task,
    .put_task = fk__sqlite_put_task,
    .put_escalation = fk__sqlite_put_escalation,
    .each_escalation = fk__sqlite_each_escalation,
    .duty_at = fk__sqlite_duty_at,
    .region = fk__sqlite_region,
    .person_info = fk__sqlite_person_info,
    .case_traced = fk__sqlite_case_traced,
    .put_case_traced = fk__sqlite_put_case_traced,
    .put_case_stays = fk__sqlite_put_case_stays,
    .each_case_stay = fk__sqlite_each_case_stay,
    .put_tick = fk__sqlite_put_tick,
    .last_tick = fk__sqlite_last_tick,

    .each_site = fk__sqlite_each_site,
    .each_room = fk__sqlite_each_room,
    .each_need = fk__sqlite_each_need,
    .each_stay = fk__sqlite_each_stay,
    .each_wait = fk__sqlite_each_wait,
    .stays_version = fk__sqlite_stays_version,
    .put_stays = fk__sqlite_put_stays,
    .put_waits = fk__sqlite_put_waits,

    .each_area = sqlite_each_area,
    .put_area = sqlite_put_area,
    .locate = sqlite_locate,
    .each_grid_sample = sqlite_each_grid_sample,

    .put_entrance = fk__sqlite_put_entrance,
    .each_entrance = fk__sqlite_each_entrance,
    .place_id = fk__sqlite_place_id,
    .each_signal = fk__sqlite_each_signal,
    .each_alert = fk__sqlite_each_alert,
    .put_alert = fk__sqlite_put_alert,
    .put_alarm = fk__sqlite_put_alarm,
    .each_alarm = fk__sqlite_each_alarm,
    .put_alert_escalation = fk__sqlite_put_alert_escalation,
    .each_alert_escalation = fk__sqlite_each_alert_escalation,

    .put_token = fk__sqlite_put_token,
    .token = fk__sqlite_token,
    .region_by_code = fk__sqlite_region_by_code,
    .place_in = fk__sqlite_place_in,
    .person_in = fk__sqlite_person_in,
    .site_by_code = fk__sqlite_site_by_code,
    .person_at_site = fk__sqlite_person_at_site,
    .key_in = fk__sqlite_key_in,
    .person_private = fk__sqlite_person_private,
    .put_audit = fk__sqlite_put_audit,
    .each_audit = fk__sqlite_each_audit,
};

static const char *const pragmas =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;" /* WAL + NORMAL: a process crash never loses a commit */
    "PRAGMA foreign_keys=ON;"
    "PRAGMA busy_timeout=10000;"
    "PRAGMA cache_size=-262144;" /* 256 MiB: the unique index of check-ins stays in memory */
    "PRAGMA temp_store=MEMORY;";

/* SQLite's memory statistics take a global lock at every allocation and free (a few in each
 * insert); nothing reads them. Set once, before SQLite starts (later it is refused, harmlessly:
 * a program that started SQLite itself keeps its own settings). */
static void configure(void)
{
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int fk__sqlite_open(const char *path, struct fk_store **out, struct fk_diag *diag)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, configure);
  struct sqlite_store *s = fk_calloc(1, sizeof *s);
  int rc;
  if (!s) return FK_ENOMEM;
  s->base.ops = &sqlite_ops;
  for (int i = 0; i < FK_FEED_COUNT; i++)
    fk__strmap_init(&s->keys[i]);
  if (sqlite3_open_v2(path, &s->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    rc = fk_diag_set(diag, FK_EIO, NULL, "cannot open store %s: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : "out of memory");
    goto out;
  }
  sqlite3_extended_result_codes(s->db, 0);
  if ((rc = exec(s, pragmas))) {
    rc = fk_diag_set(diag, FK_EIO, NULL, "cannot use %s as a store: %s", path, s->err);
    goto out;
  }
  rc = migrate(s, diag);
out:
  if (rc)
    sqlite_close(&s->base);
  else
    *out = &s->base;
  return rc;
}
