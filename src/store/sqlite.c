/*
 * The SQLite backend of the store (see fangkong/store.h, store_impl.h and sqlite_impl.h): opens
 * a store, bringing its schema up to this program's, and holds the ops table.
 *
 * One connection in WAL mode with foreign keys on. The ops are implemented by the other
 * sqlite_*.c files, one subject each, on the connection's core (sqlite_conn.c); the table below
 * points straight at them.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "base/strmap.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "store/sqlite_impl.h"

/* ---- schema ---------------------------------------------------------------------------- */

int fk__sqlite_version(struct fk_store *st, int *version)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, "PRAGMA user_version", &q), rc = 0;
  if (own < 0) return own;
  if (sqlite3_step(q) == SQLITE_ROW)
    *version = sqlite3_column_int(q, 0);
  else
    rc = fk__sqlite_fail(st, "reading the schema version");
  fk__sqlite_done(q, own);
  return rc;
}

/* Brings the schema up to this program's, one migration a transaction. The migrations are
 * scripts of many statements, run once: through fk__sqlite_exec, not kept prepared. Returns 0,
 * FK_ESCHEMA, FK_ENOMEM or FK_ESTORE; diag says why. */
static int migrate(struct fk_store *st, struct fk_diag *diag)
{
  int v, rc = fk__sqlite_version(st, &v);
  if (rc) return fk__sqlite_diag(st, diag, rc);
  if (v > fk__sqlite_migration_count)
    return fk_diag_set(diag, FK_ESCHEMA, NULL,
                       "store schema version %d is newer than this program's (%d)", v,
                       fk__sqlite_migration_count);
  for (; v < fk__sqlite_migration_count; v++) {
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
    if ((rc = fk__sqlite_begin(st))) return fk__sqlite_diag(st, diag, rc);
    if ((rc = fk__sqlite_exec(st, fk__sqlite_migrations[v])) ||
        (rc = fk__sqlite_exec(st, pragma))) {
      fk__sqlite_rollback(st);
      return fk_diag_set(diag, rc, NULL, "migration %d failed: %s", v + 1,
                         fk__sqlite_conn_of(st)->err);
    }
    if ((rc = fk__sqlite_commit(st))) return fk__sqlite_diag(st, diag, rc);
  }
  return 0;
}

/* ---- verify ---------------------------------------------------------------------------- */

/* Records the first row of the check query sql, if any and not `ok`, as the problem; returns 0
 * or FK_ESTORE. */
static int first_problem(struct fk_store *st, const char *sql, const char *ok)
{
  sqlite3_stmt *q = NULL;
  int own = fk__sqlite_cached(st, sql, &q), rc = 0, step;
  if (own < 0) return own;
  if ((step = sqlite3_step(q)) == SQLITE_ROW) {
    const char *a = (const char *)sqlite3_column_text(q, 0);
    if (!ok || !a || strcmp(a, ok))
      rc = fk__sqlite_failf(st, "%s: %s %s", sql, a ? a : "",
                            sqlite3_column_count(q) > 1 && sqlite3_column_text(q, 1)
                                ? (const char *)sqlite3_column_text(q, 1)
                                : "");
  }
  return fk__sqlite_end(st, q, own, rc, step, sql);
}

int fk__sqlite_verify(struct fk_store *st, struct fk_diag *diag)
{
  int rc = first_problem(st, "PRAGMA quick_check", "ok");
  if (!rc) rc = first_problem(st, "PRAGMA foreign_key_check", NULL);
  return fk__sqlite_diag(st, diag, rc);
}

/* ---- open ------------------------------------------------------------------------------ */

static const struct fk__store_ops sqlite_ops = {
    .name = "sqlite",
    .close = fk__sqlite_close,
    .begin = fk__sqlite_begin,
    .commit = fk__sqlite_commit,
    .rollback = fk__sqlite_rollback,
    .errmsg = fk__sqlite_errmsg,
    .put = fk__sqlite_put,
    .scan = fk__sqlite_scan,
    .each_checkin = fk__sqlite_each_checkin,
    .each_person = fk__sqlite_each_person,
    .each_place = fk__sqlite_each_place,
    .each_case = fk__sqlite_each_case,
    .each_ping = fk__sqlite_each_ping,
    .each_arrival = fk__sqlite_each_arrival,
    .each_sample = fk__sqlite_each_sample,
    .save_trace = fk__sqlite_save_trace,
    .set_bulk = fk__sqlite_set_bulk,
    .verify = fk__sqlite_verify,
    .version = fk__sqlite_version,
    .stats = fk__sqlite_stats,
    .each_measure = fk__sqlite_each_measure,
    .put_measure = fk__sqlite_put_measure,
    .person_id = fk__sqlite_person_id,
    .data_version = fk__sqlite_data_version,
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

    .each_area = fk__sqlite_each_area,
    .put_area = fk__sqlite_put_area,
    .locate = fk__sqlite_locate,
    .each_grid_sample = fk__sqlite_each_grid_sample,

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
  struct fk__sqlite_conn *s = fk_calloc(1, sizeof *s);
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
  if ((rc = fk__sqlite_exec(&s->base, pragmas))) {
    rc = fk_diag_set(diag, FK_EIO, NULL, "cannot use %s as a store: %s", path, s->err);
    goto out;
  }
  if ((rc = fk__sqlite_keep_transactions(&s->base))) {
    if (rc == FK_ESTORE)
      rc = fk_diag_set(diag, FK_EIO, NULL, "cannot use %s as a store: %s", path, s->err);
    goto out;
  }
  rc = migrate(&s->base, diag);
out:
  if (rc)
    fk__sqlite_close(&s->base);
  else
    *out = &s->base;
  return rc;
}
