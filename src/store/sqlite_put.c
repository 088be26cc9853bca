/*
 * Feed rows into the SQLite store (fk_store_put). Each feed's rows are written through a
 * statement built from the feed descriptors and the column map below, prepared once per
 * connection, with `ON CONFLICT DO NOTHING` so a re-run skips what is already stored; a skipped
 * row is then compared with the stored one to tell a harmless duplicate from a conflict.
 * References (person_id -> persons.id ...) are resolved through the connection's key maps,
 * loaded on first use, since a lookup per check-in through SQL would double the cost of an
 * import.
 */
#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "base/strmap.h"
#include "fangkong/error.h"
#include "fangkong/vocab.h"
#include "fangkong/time.h"
#include "store/sqlite_impl.h"

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

/* Grid feed columns that name its place in the hierarchy (regions.level is enum fk_level). */
enum { G_ID, G_NAME, G_COMMUNITY, G_STREET, G_DISTRICT, G_LAT, G_LON };

/* Prepares sql, built from the feed descriptors, into *out for the connection's life, unless
 * done already: kept in the connection (insert[], same[]) rather than in the cache, which is
 * for fixed text. */
static int prepare(struct fk_store *st, const char *sql, sqlite3_stmt **out)
{
  if (*out) return 0;
  return sqlite3_prepare_v3(fk__sqlite_db(st), sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) ==
                 SQLITE_OK
             ? 0
             : fk__sqlite_fail(st, sql);
}

/* Resolves the key in v against feed `ref`; 0 and *id, or FK_ENOREF. */
static int resolve(struct fk_store *st, const struct fk_column *col, const struct fk_value *v,
                   int64_t *id, struct fk_diag *diag)
{
  struct fk__sqlite_conn *c = fk__sqlite_conn_of(st);
  int rc;
  if (!c->loaded[col->ref] && (rc = fk__sqlite_keys_load(st, col->ref))) return rc;
  if (fk__strmap_get(&c->keys[col->ref], v->s, v->n, id)) return 0;
  if ((rc = fk__sqlite_key_find(st, col->ref, v->s, v->n, id)) || *id) return rc;
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
static int feed_statements(struct fk_store *st, const struct fk_feed *feed)
{
  struct fk__sqlite_conn *s = fk__sqlite_conn_of(st);
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
  if ((rc = prepare(st, ins, &s->insert[feed->id]))) return rc;
  return prepare(st, same, &s->same[feed->id]);
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
static int region(struct fk_store *st, int level, const char *code, size_t codelen,
                  const struct fk_value *name, int64_t parent, int64_t *id)
{
  struct fk__sqlite_conn *s = fk__sqlite_conn_of(st);
  sqlite3_stmt *q = NULL;
  int own, rc = fk__sqlite_keys_load(st, FK_FEED_GRIDS);
  if (rc || fk__strmap_get(&s->keys[FK_FEED_GRIDS], code, codelen, id)) return rc;
  if ((own = fk__sqlite_cached(
           st, "INSERT INTO regions(level, code, name, parent) VALUES(?1,?2,?3,?4)", &q)) < 0)
    return own;
  sqlite3_bind_int(q, 1, level);
  sqlite3_bind_text(q, 2, code, (int)codelen, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, name->s, (int)name->n, SQLITE_STATIC);
  if (parent) sqlite3_bind_int64(q, 4, parent); /* else NULL */
  if (sqlite3_step(q) != SQLITE_DONE) rc = fk__sqlite_fail(st, "adding a region");
  fk__sqlite_done(q, own);
  if (rc) return rc;
  *id = sqlite3_last_insert_rowid(s->db);
  return fk__strmap_put(&s->keys[FK_FEED_GRIDS], code, codelen, *id);
}

/* Resolves (creating) the community of a grid row, through its district and street. */
static int community_of(struct fk_store *st, const struct fk_value *row, int64_t *id)
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
    int rc = region(st, FK_LEVEL_DISTRICT + level, code, len, v, parent, &parent);
    if (rc) return rc;
  }
  *id = parent;
  return 0;
}

/* ---- put ------------------------------------------------------------------------------- */

/* After an insert did nothing: is the stored row identical (FK_EDUP) or not (FK_ECONFLICT)? */
static int compare_stored(struct fk_store *st, const struct fk_feed *feed,
                          const struct fk_value *row, const int64_t *ids, int64_t parent,
                          struct fk_diag *diag)
{
  sqlite3_stmt *q = fk__sqlite_conn_of(st)->same[feed->id];
  int next, rc = bind_row(q, feed, row, ids, &next);
  if (rc) return fk__sqlite_fail(st, "binding a row");
  if (feed->id == FK_FEED_GRIDS) {
    sqlite3_bind_int(q, next, FK_LEVEL_GRID);
    sqlite3_bind_int64(q, next + 1, parent);
  }
  if (sqlite3_step(q) != SQLITE_ROW) return fk__sqlite_fail(st, "comparing with the stored row");
  int64_t same = sqlite3_column_int64(q, 0);
  sqlite3_reset(q); /* left stepped, it would hold a read transaction open (and, once another
                       connection has committed, make this one's next BEGIN IMMEDIATE fail) */
  if (same > 0) return FK_EDUP;
  return fk_diag_set(diag, FK_ECONFLICT, feed->cols[0].name,
                     "a stored %s row has the same key (%s...) with other values", feed->name,
                     feed->cols[0].name);
}

int fk__sqlite_put(struct fk_store *st, const struct fk_feed *feed, const struct fk_value *row,
                   struct fk_diag *diag)
{
  struct fk__sqlite_conn *s = fk__sqlite_conn_of(st);
  int64_t ids[FK_FEED_MAXCOLS] = {0}, parent = 0;
  sqlite3_stmt *q;
  int rc = 0, next, step;
  for (int i = 0; !rc && i < feed->ncols; i++)
    if (feed->cols[i].ref != FK_FEED_NONE && row[i].present)
      rc = resolve(st, &feed->cols[i], &row[i], &ids[i], diag);
  if (rc || (rc = feed_statements(st, feed))) goto out;
  if (feed->id == FK_FEED_GRIDS && (rc = community_of(st, row, &parent))) goto out;
  q = s->insert[feed->id];
  if (bind_row(q, feed, row, ids, &next)) {
    rc = fk__sqlite_fail(st, "binding a row");
    goto out;
  }
  if (feed->id == FK_FEED_GRIDS) {
    sqlite3_bind_int(q, next, FK_LEVEL_GRID);
    sqlite3_bind_int64(q, next + 1, parent);
  }
  if ((step = sqlite3_step(q)) == SQLITE_CONSTRAINT)
    rc = fk_diag_set(diag, FK_ECONFLICT, NULL, "refused by the store: %s", sqlite3_errmsg(s->db));
  else if (step != SQLITE_DONE)
    rc = fk__sqlite_fail(st, "storing a row");
  else if (sqlite3_changes(s->db) == 0)
    rc = compare_stored(st, feed, row, ids, parent, diag);
  else if (s->loaded[feed->id] && (feed->id <= FK_FEED_PLACES || feed->id == FK_FEED_SITES))
    /* keep the key map of a referenced feed complete once it has been loaded */
    rc = fk__sqlite_key_add(st, feed->id, row[0].s, row[0].n, sqlite3_last_insert_rowid(s->db));
out:
  return fk__sqlite_diag(st, diag, rc);
}
