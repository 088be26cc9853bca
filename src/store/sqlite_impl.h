/*
 * The SQLite backend's private header: its connection and every function its files share.
 *
 * Its files, none calling back into one that calls it: sqlite_conn.c is the connection's core
 * (statements kept prepared, failures, the key maps, transactions, close) and calls no other
 * sqlite file; sqlite_cols.c reads and binds columns (stored names, dates); sqlite.c opens a
 * store (pragmas, the migrations of schema.c) and holds the ops table, which points straight at
 * the functions below, so that nothing calls into sqlite.c; sqlite_put.c stores feed rows; every
 * other sqlite_*.c implements the ops of one subject on the first two. No sqlite file calls the
 * public fk_store_* functions of store.c, which call into them.
 *
 * Its conventions, one each:
 *
 * - Signatures. Every function that uses the connection takes struct fk_store *st first (never
 *   a bare sqlite3 *db; fk__sqlite_db gives the handle); an op's function has the op's own type.
 * - Statements. Every fixed statement goes through fk__sqlite_cached and back through
 *   fk__sqlite_done: prepared once per connection, found again by its text. So do the
 *   statements of the filtered lists (tasks, alerts, signal counts), whose text is one of a few
 *   the filter picks. The feed rows' INSERT and comparison, whose text is built at run time from
 *   the feed descriptors, are prepared once into the connection's own arrays (insert[], same[]).
 *   Scripts of many statements (the pragmas at open, the migrations) run once, through
 *   fk__sqlite_exec.
 * - Errors. A SQLite failure is recorded once, where it happens, with what was being done
 *   (fk__sqlite_fail(st, "storing a stay"): fk_store_errmsg then says "storing a stay: " and
 *   SQLite's message), and FK_ESTORE returned; before the statement is reset (fk__sqlite_end),
 *   which would lose the message. A failure of the backend's own (a stored name it does not
 *   know) is recorded with fk__sqlite_failf. An op that takes a struct fk_diag also says it
 *   there (fk__sqlite_fail_diag; fk__sqlite_diag for a failure a helper recorded). Nothing
 *   returns FK_ESTORE unrecorded, and no caller records over a failure it is handed: what a
 *   callback returns passes through unchanged.
 * - Stored names. Every name read back from the store (a kind, a status, a method, a role ...)
 *   goes through fk_vocab_index, by fk__sqlite_col_name, against the vocabulary of
 *   fangkong/vocab.h (or of a feed) it was written from. A name that is none of them is an
 *   error with the name in the message ("rooms.kind: unknown name 'suite'", FK_ESTORE), never
 *   index 0 nor a row skipped: the store's vocabularies are this program's. A column that may
 *   be NULL (a stay's measure, gone) is tested for NULL first.
 */
#ifndef FK_STORE_SQLITE_IMPL_H
#define FK_STORE_SQLITE_IMPL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strmap.h"
#include "fangkong/error.h"
#include "store/store_impl.h"

/* Statements kept prepared per connection: every fixed statement of the backend (about 150)
 * and the variants of the filtered lists (tasks, alerts) that a process uses. */
#define FK__SQLITE_CACHE 256
#define FK__SQLITE_SLOTS (2 * FK__SQLITE_CACHE) /* the cache's hash index: a power of 2 */

/* The SQLite backend's connection: what a struct fk_store * of this backend points at. */
struct fk__sqlite_conn {
  struct fk_store base; /* first, so that the two pointers convert */
  sqlite3 *db;
  /* The feed rows' INSERT and "is the stored row the same" SELECT, built from the feed
     descriptors at first use (sqlite_put.c) */
  sqlite3_stmt *insert[FK_FEED_COUNT];
  sqlite3_stmt *same[FK_FEED_COUNT];
  struct fk__strmap keys[FK_FEED_COUNT]; /* natural key -> row id, for referenced feeds */
  int loaded[FK_FEED_COUNT];             /* keys[feed] holds every stored key of feed */
  struct fk__sqlite_cached {
    char *sql;
    size_t len;
    uint64_t hash;
    sqlite3_stmt *q;
  } cache[FK__SQLITE_CACHE]; /* statements kept prepared (fk__sqlite_cached) */
  int ncache;
  uint16_t slots[FK__SQLITE_SLOTS]; /* by the text's hash: 1 + its index in cache, 0 none */
  int depth; /* open transactions: the outer one a BEGIN, each inner one a SAVEPOINT */
  char err[512];
};

static inline struct fk__sqlite_conn *fk__sqlite_conn_of(struct fk_store *st)
{
  return (struct fk__sqlite_conn *)st;
}

static inline sqlite3 *fk__sqlite_db(struct fk_store *st)
{
  return fk__sqlite_conn_of(st)->db;
}

/* ---- The connection's core (sqlite_conn.c) ---- */

/*
 * The statement for sql, prepared once per connection and reset with its bindings cleared; it is
 * found again by a hash of its text, so a lookup costs the same however full the cache is.
 * Returns 0 (give it back with fk__sqlite_done(q, 0)), 1 when the cache is full or the cached
 * one is still in use further up the stack (a callback of a loop over its rows running it
 * again) and q was prepared for this use only (fk__sqlite_done(q, 1) finalizes it), FK_ENOMEM,
 * or FK_ESTORE (recorded as sql).
 */
int fk__sqlite_cached(struct fk_store *st, const char *sql, sqlite3_stmt **out);
/* Gives back q (NULL is fine) as fk__sqlite_cached returned it (rc 0 or 1). */
void fk__sqlite_done(sqlite3_stmt *q, int rc);

/* Records "what: SQLite's message" for fk_store_errmsg; returns FK_ESTORE. */
int fk__sqlite_fail(struct fk_store *st, const char *what);
/* Records a message of the backend's own (a stored name it does not know ...), printf-style, for
 * fk_store_errmsg; returns FK_ESTORE. */
int fk__sqlite_failf(struct fk_store *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* As fk__sqlite_fail, and says the same in diag (NULL is fine); returns FK_ESTORE. */
int fk__sqlite_fail_diag(struct fk_store *st, struct fk_diag *diag, const char *what);
/* When rc is FK_ESTORE, says in diag (NULL is fine) the failure recorded already (by the cache,
 * the key maps ...); returns rc. Inline: the exit of fk__sqlite_put, once per row imported. */
static inline int fk__sqlite_diag(struct fk_store *st, struct fk_diag *diag, int rc)
{
  if (rc == FK_ESTORE) fk_diag_set(diag, rc, NULL, "%s", fk__sqlite_conn_of(st)->err);
  return rc;
}
/*
 * Ends a use of q, own being what fk__sqlite_cached returned for it: when rc is 0 and the last
 * step was neither a row nor the end, records the failure as what (before q is reset, which
 * would lose SQLite's message); gives q back. Returns rc (a callback's return passes as it is)
 * or FK_ESTORE.
 */
int fk__sqlite_end(struct fk_store *st, sqlite3_stmt *q, int own, int rc, int step,
                   const char *what);
/* Runs sql, a script of statements without rows. Returns 0 or FK_ESTORE, recorded as sql. */
int fk__sqlite_exec(struct fk_store *st, const char *sql);

/* Loads feed's key map once: every stored natural key of the feed (grids, persons, places,
 * sites) and its row id. Returns 0, FK_ENOMEM or FK_ESTORE (the map stays unloaded). */
int fk__sqlite_keys_load(struct fk_store *st, enum fk_feed_id feed);
/* 1 and *id when key (NUL-terminated) is in feed's key map, which puts of rows that reference
 * the feed load (persons, places ...); 0 when the map is not loaded or lacks the key (ask SQL). */
int fk__sqlite_key(struct fk_store *st, enum fk_feed_id feed, const char *key, int64_t *id);
/*
 * Looks a key missing from feed's map up in the table, adding it to the map when found: another
 * connection may have stored it since the map was loaded (a place imported while the server
 * runs). *id is 0 when the table lacks it too. Returns 0, FK_ENOMEM or FK_ESTORE.
 */
int fk__sqlite_key_find(struct fk_store *st, enum fk_feed_id feed, const char *key, size_t n,
                        int64_t *id);
/* Adds key -> id to feed's map when it is loaded (a map not loaded yet will read it from the
 * table). Returns 0 or FK_ENOMEM. */
int fk__sqlite_key_add(struct fk_store *st, enum fk_feed_id feed, const char *key, size_t n,
                       int64_t id);

/* The ops of the connection itself (fangkong/store.h): as the public functions of the same
 * names. Transactions nest: the outer one is BEGIN IMMEDIATE ... COMMIT, each inner one a
 * savepoint. */
int fk__sqlite_begin(struct fk_store *st);
int fk__sqlite_commit(struct fk_store *st);
int fk__sqlite_rollback(struct fk_store *st);
const char *fk__sqlite_errmsg(struct fk_store *st);
int fk__sqlite_set_bulk(struct fk_store *st, int bulk);
int fk__sqlite_data_version(struct fk_store *st, uint64_t *v);
/* ---- The schema (schema.c): an ordered list of migrations; migration i (1-based) takes the
 * store from version i-1 to i, in one transaction. A store newer than this program is refused,
 * never downgraded. Times are INTEGER seconds since the epoch (UTC); dates TEXT 'YYYY-MM-DD'.
 * (The backend's entry, fk__sqlite_open, is declared in store_impl.h: store.c picks it.) ---- */
extern const char *const fk__sqlite_migrations[];
extern const int fk__sqlite_migration_count;

/* Closes st (any state fk__sqlite_open leaves, opened or not) and frees it. */
void fk__sqlite_close(struct fk_store *st);
/* Prepares the transactions' statements into the cache, so that a rollback never asks fk_malloc
 * for memory: the rollback after a failure to allocate must not fail for the same want. Called
 * once, by fk__sqlite_open. Returns 0, FK_ENOMEM or FK_ESTORE. */
int fk__sqlite_keep_transactions(struct fk_store *st);

/* ---- Columns (sqlite_cols.c): names of the store's vocabularies, text copied with a cap, dates
 * as TEXT 'YYYY-MM-DD' (read back as day numbers through julianday), sample results ---- */

/*
 * Sets *out to the index of column i's text in names (a NULL-terminated vocabulary of
 * fangkong/vocab.h or of a feed, through fk_vocab_index). Returns 0, or FK_ESTORE recorded as
 * "<col>: unknown name '<text>'" when the text is none of them, NULL included (a column that may
 * be NULL is tested before).
 */
int fk__sqlite_col_name(struct fk_store *st, sqlite3_stmt *q, int i, const char *const *names,
                        const char *col, int *out);
/* The names column col of feed may hold (its FK_COL_ENUM values, spelled in feeds.c), or NULL. */
const char *const *fk__sqlite_feed_names(enum fk_feed_id feed, const char *col);
/* The samples' results (the feed's vocabulary) and where positive and negative are in it: looked
 * up once per loop, so that a row costs one fk_vocab_index. */
struct fk__sqlite_results {
  const char *const *names;
  int positive, negative;
};
void fk__sqlite_results(struct fk__sqlite_results *r);
/* Sets *out to column i's result: 1 positive, 0 negative, -1 pending. Returns as
 * fk__sqlite_col_name. */
int fk__sqlite_col_result(struct fk_store *st, sqlite3_stmt *q, int i,
                          const struct fk__sqlite_results *r, int *out);
/* Copies src (NULL: "") into dst of size bytes, cut to fit. */
void fk__sqlite_copy_text(char *dst, size_t size, const unsigned char *src);
/* Column i as a day number (selected as julianday(x) - 2440587.5), FK_DATE_NONE when NULL. */
fk_date fk__sqlite_col_date(sqlite3_stmt *q, int i);
/* Binds d as 'YYYY-MM-DD' to parameter i, NULL when d is FK_DATE_NONE. */
void fk__sqlite_bind_date(sqlite3_stmt *q, int i, fk_date d);
/* Column i as epoch seconds, FK_TIME_NONE when NULL; and binding t so (NULL for FK_TIME_NONE). */
fk_time fk__sqlite_col_time(sqlite3_stmt *q, int i);
void fk__sqlite_bind_time(sqlite3_stmt *q, int i, fk_time t);

/* ---- The ops, each as the public function of the same name (fk_store_*) ---- */

/* sqlite.c: the schema version and the consistency check. */
int fk__sqlite_version(struct fk_store *st, int *version);
int fk__sqlite_verify(struct fk_store *st, struct fk_diag *diag);

/* sqlite_put.c: feed rows in; sqlite_scan.c: feed rows out; sqlite_stats.c: `fangkong stats`. */
int fk__sqlite_put(struct fk_store *st, const struct fk_feed *feed, const struct fk_value *row,
                   struct fk_diag *diag);
int fk__sqlite_scan(struct fk_store *st, const struct fk_feed *feed,
                    int (*row)(void *arg, const char *const *cells), void *arg);
int fk__sqlite_stats(struct fk_store *st, struct fk_table **feeds, struct fk_table **districts);

/* sqlite_each.c: the raw rows of derived indexes. */
int fk__sqlite_each_checkin(struct fk_store *st, int64_t after_id,
                            int (*fn)(void *arg, const struct fk_checkin_row *row), void *arg);
int fk__sqlite_each_person(struct fk_store *st, int64_t after_id,
                           int (*fn)(void *arg, const struct fk_person_row *row), void *arg);
int fk__sqlite_each_place(struct fk_store *st, int64_t after_id,
                          int (*fn)(void *arg, const struct fk_place_row *row), void *arg);
int fk__sqlite_each_case(struct fk_store *st, int (*fn)(void *arg, const struct fk_case_row *row),
                         void *arg);
int fk__sqlite_each_ping(struct fk_store *st, int64_t after_id,
                         int (*fn)(void *arg, const struct fk_ping_row *row), void *arg);
int fk__sqlite_each_arrival(struct fk_store *st, int64_t after_id,
                            int (*fn)(void *arg, const struct fk_arrival_row *row), void *arg);
int fk__sqlite_each_sample(struct fk_store *st, int64_t person,
                           int (*fn)(void *arg, const struct fk_sample_row *row), void *arg);

/* sqlite_trace.c: a trace saved with its evidence. */
int fk__sqlite_save_trace(struct fk_store *st, const struct fk_trace_result *r, fk_time now,
                          const char *rules, struct fk_diag *diag);

/* sqlite_measures.c: measures and their tests; persons by person_id. */
int fk__sqlite_each_measure(struct fk_store *st, int64_t person,
                            int (*fn)(void *arg, const struct fk_measure_row *m), void *arg);
int fk__sqlite_put_measure(struct fk_store *st, struct fk_measure_row *m, struct fk_diag *diag);
int fk__sqlite_person_id(struct fk_store *st, const char *person_id, int64_t *person);

/* sqlite_tasks.c: the loop's tables (fangkong/task_store.h, fangkong/trace_store.h). */
int fk__sqlite_each_task(struct fk_store *st, const struct fk_task_filter *f,
                         int (*fn)(void *arg, const struct fk_task_row *t), void *arg);
int fk__sqlite_put_task(struct fk_store *st, struct fk_task_row *t, struct fk_diag *diag);
int fk__sqlite_put_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                              struct fk_diag *diag);
int fk__sqlite_each_escalation(struct fk_store *st, int64_t task,
                               int (*fn)(void *arg, const struct fk_escalation_row *e), void *arg);
int fk__sqlite_duty_at(struct fk_store *st, const char *unit, fk_time at, char *officer,
                       size_t osize, char *phone, size_t psize);
int fk__sqlite_region(struct fk_store *st, int64_t id, struct fk_region_row *out);
int fk__sqlite_person_info(struct fk_store *st, int64_t person, struct fk_person_info *out);
int fk__sqlite_case_traced(struct fk_store *st, int64_t person, fk_time *window_end);
int fk__sqlite_put_case_traced(struct fk_store *st, int64_t person, fk_time window_end,
                               fk_time now);
int fk__sqlite_put_case_stays(struct fk_store *st, int64_t person, const struct fk_stay *s,
                              size_t n);
int fk__sqlite_each_case_stay(struct fk_store *st, int64_t person, fk_time from, fk_time to,
                              int (*fn)(void *arg, const struct fk_stay *s, const char *place_id),
                              void *arg);
int fk__sqlite_put_tick(struct fk_store *st, fk_time at, const char *rules);
int fk__sqlite_last_tick(struct fk_store *st, fk_time *at);

/* sqlite_areas.c: risk areas, where things are, the samples of a grid's residents. */
int fk__sqlite_each_area(struct fk_store *st, int (*fn)(void *arg, const struct fk_area_row *a),
                         void *arg);
int fk__sqlite_put_area(struct fk_store *st, struct fk_area_row *a, struct fk_diag *diag);
int fk__sqlite_locate(struct fk_store *st, enum fk_locate what, int64_t id, const char *text,
                      struct fk_location *out);
int fk__sqlite_each_grid_sample(struct fk_store *st, int64_t grid, fk_time from, fk_time to,
                                int (*fn)(void *arg, const struct fk_sample_row *row), void *arg);

/* sqlite_sites.c: quarantine sites (fangkong/site_store.h). */
int fk__sqlite_each_site(struct fk_store *st, int (*fn)(void *arg, const struct fk_site_row *row),
                         void *arg);
int fk__sqlite_each_room(struct fk_store *st, int (*fn)(void *arg, const struct fk_room_row *row),
                         void *arg);
int fk__sqlite_each_need(struct fk_store *st, int (*fn)(void *arg, const struct fk_need_row *row),
                         void *arg);
int fk__sqlite_each_stay(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                         fk_time t1, int (*fn)(void *arg, const struct fk_stay_row *row),
                         void *arg);
int fk__sqlite_each_wait(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                         fk_time t1, int (*fn)(void *arg, const struct fk_wait_row *row),
                         void *arg);
int fk__sqlite_stays_version(struct fk_store *st, struct fk_stays_version *out);
int fk__sqlite_put_stays(struct fk_store *st, struct fk_stay_row *rows, int n,
                         struct fk_diag *diag);
int fk__sqlite_put_waits(struct fk_store *st, struct fk_wait_row *rows, int n,
                         struct fk_diag *diag);

/* sqlite_entrance.c: entrance checks (fangkong/entrance_store.h); places by place_id. */
int fk__sqlite_put_entrance(struct fk_store *st, const struct fk_entrance_row *r, int *stored);
int fk__sqlite_each_entrance(struct fk_store *st, fk_time from, fk_time to,
                             int (*fn)(void *arg, const struct fk_entrance_row *r), void *arg);
int fk__sqlite_place_id(struct fk_store *st, const char *place_id, int64_t *place);

/* sqlite_signals.c, sqlite_alerts.c: signal counts and alerts (fangkong/signal_store.h,
 * fangkong/alert_store.h). */
int fk__sqlite_each_signal(struct fk_store *st, const struct fk_signal_query *q,
                           int (*fn)(void *arg, fk_date day, int64_t region, const char *code,
                                     double n),
                           void *arg);
int fk__sqlite_each_alert(struct fk_store *st, const struct fk_alert_filter *f,
                          int (*fn)(void *arg, const struct fk_alert_row *a), void *arg);
int fk__sqlite_put_alert(struct fk_store *st, struct fk_alert_row *a, struct fk_diag *diag);
int fk__sqlite_put_alarm(struct fk_store *st, const struct fk_alarm_row *al, int *added,
                         struct fk_diag *diag);
int fk__sqlite_each_alarm(struct fk_store *st, int64_t alert,
                          int (*fn)(void *arg, const struct fk_alarm_row *al), void *arg);
int fk__sqlite_put_alert_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                                    struct fk_diag *diag);
int fk__sqlite_each_alert_escalation(struct fk_store *st, int64_t alert,
                                     int (*fn)(void *arg, const struct fk_escalation_row *e),
                                     void *arg);

/* sqlite_tokens.c: API tokens, the audit log and the scope of the hierarchy
 * (fangkong/token_store.h). */
int fk__sqlite_put_token(struct fk_store *st, const char *hash, int role, int64_t scope,
                         int64_t site, fk_time created_at, int64_t *id);
int fk__sqlite_token(struct fk_store *st, const char *hash, struct fk_token_row *out);
int fk__sqlite_region_by_code(struct fk_store *st, const char *code, int64_t *id, int *level);
int fk__sqlite_place_in(struct fk_store *st, const char *place_id, int64_t region, int *in);
int fk__sqlite_person_in(struct fk_store *st, int64_t person, int64_t region, int *in);
int fk__sqlite_site_by_code(struct fk_store *st, const char *code, int64_t *id, int64_t *grid);
int fk__sqlite_person_at_site(struct fk_store *st, int64_t person, int64_t site, int *in);
int fk__sqlite_key_in(struct fk_store *st, enum fk_feed_id feed, const char *key, int64_t region,
                      int *in);
int fk__sqlite_person_private(struct fk_store *st, int64_t person, struct fk_person_private *out);
int fk__sqlite_put_audit(struct fk_store *st, const struct fk_audit_row *r);
int fk__sqlite_each_audit(struct fk_store *st, int (*fn)(void *arg, const struct fk_audit_row *r),
                          void *arg);

#endif
