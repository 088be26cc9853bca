/*
 * Alerts in the SQLite store (fangkong/alerts.h): alerts, the alarms joined to them and their
 * escalations. Dates are TEXT 'YYYY-MM-DD', times INTEGER seconds, statuses and methods by name.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alert_store.h"
#include "fangkong/error.h"
#include "store/sqlite_impl.h"

#define ALERT_COLS                                                                                 \
  "a.id, a.channel, a.region, coalesce(r.code, 'city'), a.region_level, a.level, a.method,"        \
  " julianday(a.first_date) - 2440587.5, julianday(a.last_date) - 2440587.5, a.observed,"          \
  " a.expected, a.upperbound, a.alarms, a.created_at, a.due_at, a.officer, a.phone, a.status,"     \
  " a.verified_at, a.note"

static const char *const sql[] = {
    "INSERT INTO alerts(channel, region, region_level, level, method, first_date, last_date,"
    " observed, expected, upperbound, alarms, created_at, due_at, officer, phone, status,"
    " verified_at, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16, ?17, ?18)",
    "UPDATE alerts SET channel = ?1, region = ?2, region_level = ?3, level = ?4, method = ?5,"
    " first_date = ?6, last_date = ?7, observed = ?8, expected = ?9, upperbound = ?10,"
    " alarms = ?11, created_at = ?12, due_at = ?13, officer = ?14, phone = ?15, status = ?16,"
    " verified_at = ?17, note = ?18 WHERE id = ?19",
    "INSERT OR IGNORE INTO alert_alarms(alert, date, method, observed, expected, upperbound,"
    " score) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT alert, julianday(date) - 2440587.5, method, observed, expected, upperbound, score"
    " FROM alert_alarms WHERE alert = ?1 ORDER BY date, method",
    "INSERT OR IGNORE INTO alert_escalations(alert, level, at, unit, officer, phone)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT alert, level, at, unit, officer, phone FROM alert_escalations WHERE alert = ?1"
    " ORDER BY at, level DESC",
};
enum { INS, UPD, ALARM_INS, ALARM_SEL, ESC_INS, ESC_SEL, NSTMT };

static double col_real(sqlite3_stmt *q, int i)
{
  return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

static void bind_real(sqlite3_stmt *q, int i, double v)
{
  if (isfinite(v))
    sqlite3_bind_double(q, i, v);
  else
    sqlite3_bind_null(q, i);
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
  if (s && *s)
    sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(q, i);
}

/* Reads the alert of q's current row into a. Returns 0 or FK_ESTORE (a name it does not know). */
static int read_alert(struct fk_store *st, sqlite3_stmt *q, struct fk_alert_row *a)
{
  int status, rc;
  memset(a, 0, sizeof *a);
  a->id = sqlite3_column_int64(q, 0);
  fk__sqlite_copy_text(a->channel, sizeof a->channel, sqlite3_column_text(q, 1));
  a->region = sqlite3_column_int64(q, 2);
  fk__sqlite_copy_text(a->region_code, sizeof a->region_code, sqlite3_column_text(q, 3));
  a->region_level = sqlite3_column_int(q, 4);
  a->level = sqlite3_column_int(q, 5);
  a->first = fk__sqlite_col_date(q, 7);
  a->last = fk__sqlite_col_date(q, 8);
  a->observed = col_real(q, 9);
  a->expected = col_real(q, 10);
  a->upperbound = col_real(q, 11);
  a->alarms = sqlite3_column_int(q, 12);
  a->created = sqlite3_column_int64(q, 13);
  a->due = sqlite3_column_int64(q, 14);
  fk__sqlite_copy_text(a->officer, sizeof a->officer, sqlite3_column_text(q, 15));
  fk__sqlite_copy_text(a->phone, sizeof a->phone, sqlite3_column_text(q, 16));
  a->verified =
      sqlite3_column_type(q, 18) == SQLITE_NULL ? FK_TIME_NONE : sqlite3_column_int64(q, 18);
  fk__sqlite_copy_text(a->note, sizeof a->note, sqlite3_column_text(q, 19));
  if ((rc = fk__sqlite_col_name(st, q, 6, fk_detect_methods, "alerts.method", &a->method)) ||
      (rc = fk__sqlite_col_name(st, q, 17, fk_alert_statuses, "alerts.status", &status)))
    return rc;
  a->status = (enum fk_alert_status)status;
  return 0;
}

/* The filter's conditions, each only when asked. */
static void alert_where(const struct fk_alert_filter *f, char *sel, size_t size)
{
  snprintf(sel, size,
           "SELECT " ALERT_COLS " FROM alerts a LEFT JOIN regions r ON r.id = a.region WHERE 1"
           "%s%s%s%s%s ORDER BY a.id",
           f->id ? " AND a.id = ?1" : "",
           f->status >= 0 && f->status < FK_ALERT_NSTATUS ? " AND a.status = ?2" : "",
           f->channel ? " AND a.channel = ?3" : "", f->region >= 0 ? " AND a.region = ?4" : "",
           f->created_from || f->created_to ? " AND a.created_at >= ?5 AND a.created_at < ?6" : "");
}

int fk__sqlite_each_alert(struct fk_store *st, const struct fk_alert_filter *f,
                          int (*fn)(void *arg, const struct fk_alert_row *a), void *arg)
{
  char sel[1024];
  sqlite3_stmt *q = NULL;
  struct fk_alert_row a;
  int rc, step = SQLITE_DONE, own;
  alert_where(f, sel, sizeof sel);
  if ((own = fk__sqlite_cached(st, sel, &q)) < 0) return own;
  rc = 0;
  if (f->id) sqlite3_bind_int64(q, 1, f->id);
  if (f->status >= 0 && f->status < FK_ALERT_NSTATUS)
    sqlite3_bind_text(q, 2, fk_alert_statuses[f->status], -1, SQLITE_STATIC);
  if (f->channel) sqlite3_bind_text(q, 3, f->channel, -1, SQLITE_TRANSIENT);
  if (f->region >= 0) sqlite3_bind_int64(q, 4, f->region);
  sqlite3_bind_int64(q, 5, f->created_from);
  sqlite3_bind_int64(q, 6, f->created_to);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    if (!(rc = read_alert(st, q, &a))) rc = fn(arg, &a);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading alerts");
}

int fk__sqlite_each_alarm(struct fk_store *st, int64_t alert,
                          int (*fn)(void *arg, const struct fk_alarm_row *al), void *arg)
{
  sqlite3_stmt *q = NULL;
  int rc = 0, step = SQLITE_DONE, own;
  if ((own = fk__sqlite_cached(st, sql[ALARM_SEL], &q)) < 0) return own;
  sqlite3_bind_int64(q, 1, alert);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_alarm_row al = {sqlite3_column_int64(q, 0),
                              fk__sqlite_col_date(q, 1),
                              0,
                              col_real(q, 3),
                              col_real(q, 4),
                              col_real(q, 5),
                              col_real(q, 6)};
    if (!(rc = fk__sqlite_col_name(st, q, 2, fk_detect_methods, "alert_alarms.method", &al.method)))
      rc = fn(arg, &al);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading an alert's alarms");
}

int fk__sqlite_each_alert_escalation(struct fk_store *st, int64_t alert,
                                     int (*fn)(void *arg, const struct fk_escalation_row *e),
                                     void *arg)
{
  sqlite3_stmt *q = NULL;
  struct fk_escalation_row e;
  int rc = 0, step = SQLITE_DONE, own;
  if ((own = fk__sqlite_cached(st, sql[ESC_SEL], &q)) < 0) return own;
  sqlite3_bind_int64(q, 1, alert);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    memset(&e, 0, sizeof e);
    e.task = sqlite3_column_int64(q, 0);
    e.level = sqlite3_column_int(q, 1);
    e.at = sqlite3_column_int64(q, 2);
    fk__sqlite_copy_text(e.unit, sizeof e.unit, sqlite3_column_text(q, 3));
    fk__sqlite_copy_text(e.officer, sizeof e.officer, sqlite3_column_text(q, 4));
    fk__sqlite_copy_text(e.phone, sizeof e.phone, sqlite3_column_text(q, 5));
    rc = fn(arg, &e);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading an alert's escalations");
}

static void bind_alert(sqlite3_stmt *q, const struct fk_alert_row *a)
{
  sqlite3_bind_text(q, 1, a->channel, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(q, 2, a->region);
  sqlite3_bind_int(q, 3, a->region_level);
  sqlite3_bind_int(q, 4, a->level);
  sqlite3_bind_text(q, 5, fk_detect_methods[a->method], -1, SQLITE_STATIC);
  fk__sqlite_bind_date(q, 6, a->first);
  fk__sqlite_bind_date(q, 7, a->last);
  sqlite3_bind_double(q, 8, a->observed);
  bind_real(q, 9, a->expected);
  bind_real(q, 10, a->upperbound);
  sqlite3_bind_int(q, 11, a->alarms);
  sqlite3_bind_int64(q, 12, a->created);
  sqlite3_bind_int64(q, 13, a->due);
  bind_text(q, 14, a->officer);
  bind_text(q, 15, a->phone);
  sqlite3_bind_text(q, 16, fk_alert_statuses[a->status], -1, SQLITE_STATIC);
  if (a->verified == FK_TIME_NONE)
    sqlite3_bind_null(q, 17);
  else
    sqlite3_bind_int64(q, 17, a->verified);
  bind_text(q, 18, a->note);
  if (a->id) sqlite3_bind_int64(q, 19, a->id);
}

static void bind_alarm(sqlite3_stmt *q, const struct fk_alarm_row *al)
{
  sqlite3_bind_int64(q, 1, al->alert);
  fk__sqlite_bind_date(q, 2, al->date);
  sqlite3_bind_text(q, 3, fk_detect_methods[al->method], -1, SQLITE_STATIC);
  sqlite3_bind_double(q, 4, al->observed);
  bind_real(q, 5, al->expected);
  bind_real(q, 6, al->upperbound);
  bind_real(q, 7, al->score);
}

static void bind_escalation(sqlite3_stmt *q, const struct fk_escalation_row *e)
{
  sqlite3_bind_int64(q, 1, e->task);
  sqlite3_bind_int(q, 2, e->level);
  sqlite3_bind_int64(q, 3, e->at);
  sqlite3_bind_text(q, 4, e->unit, -1, SQLITE_TRANSIENT);
  bind_text(q, 5, e->officer);
  bind_text(q, 6, e->phone);
}

/* Runs q, bound, as what; *added (may be NULL) gets whether it changed a row. Gives q back.
 * Returns 0 or FK_ESTORE, said in diag. */
static int run(struct fk_store *st, sqlite3_stmt *q, int own, int *added, struct fk_diag *diag,
               const char *what)
{
  int step = sqlite3_step(q);
  if (step == SQLITE_DONE && added) *added = sqlite3_changes(fk__sqlite_db(st)) > 0;
  return fk__sqlite_diag(st, diag, fk__sqlite_end(st, q, own, 0, step, what));
}

int fk__sqlite_put_alert(struct fk_store *st, struct fk_alert_row *a, struct fk_diag *diag)
{
  sqlite3_stmt *q = NULL;
  int own, rc, insert = !a->id;
  if ((own = fk__sqlite_cached(st, sql[insert ? INS : UPD], &q)) < 0)
    return fk__sqlite_diag(st, diag, own);
  bind_alert(q, a);
  if (!(rc = run(st, q, own, NULL, diag, "storing an alert")) && insert)
    a->id = sqlite3_last_insert_rowid(fk__sqlite_db(st));
  return rc;
}

int fk__sqlite_put_alarm(struct fk_store *st, const struct fk_alarm_row *al, int *added,
                         struct fk_diag *diag)
{
  sqlite3_stmt *q = NULL;
  int own;
  if ((own = fk__sqlite_cached(st, sql[ALARM_INS], &q)) < 0) return fk__sqlite_diag(st, diag, own);
  bind_alarm(q, al);
  return run(st, q, own, added, diag, "storing an alarm");
}

int fk__sqlite_put_alert_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                                    struct fk_diag *diag)
{
  sqlite3_stmt *q = NULL;
  int own;
  if ((own = fk__sqlite_cached(st, sql[ESC_INS], &q)) < 0) return fk__sqlite_diag(st, diag, own);
  bind_escalation(q, e);
  return run(st, q, own, NULL, diag, "storing an alert's escalation");
}
