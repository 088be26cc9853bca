/*
 * The loop's tables in the SQLite store: tasks, their escalations, the duty roster, the regions
 * and persons as the loop reads them, and which cases the tick has traced (fangkong/tasks.h).
 * Dates are TEXT 'YYYY-MM-DD', times INTEGER seconds, enums stored by name.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/task_store.h"
#include "fangkong/trace_store.h"
#include "store/sqlite_impl.h"

#define TASK_COLS                                                                                  \
  "t.id, t.kind, t.person, t.measure, julianday(NULLIF(t.day, '')) - 2440587.5, t.unit,"           \
  " t.region, t.level, t.created_at, t.start_at, t.due_at, t.status, t.acked_at, t.closed_at,"     \
  " t.proof, t.reason, p.person_id"

static const char *const sql[] = {
    "SELECT " TASK_COLS " FROM tasks t LEFT JOIN persons p ON p.id = t.person WHERE 1",
    "INSERT INTO tasks(kind, person, measure, day, unit, region, level, created_at, start_at,"
    " due_at, status, acked_at, closed_at, proof, reason)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    "UPDATE tasks SET kind = ?1, person = ?2, measure = ?3, day = ?4, unit = ?5, region = ?6,"
    " level = ?7, created_at = ?8, start_at = ?9, due_at = ?10, status = ?11, acked_at = ?12,"
    " closed_at = ?13, proof = ?14, reason = ?15 WHERE id = ?16",
    "INSERT OR IGNORE INTO task_escalations(task, level, at, unit, officer, phone)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT task, level, at, unit, officer, phone FROM task_escalations ORDER BY task, at",
    "SELECT officer, phone FROM duty WHERE unit = ?1 AND from_at <= ?2 AND to_at > ?2"
    " ORDER BY from_at DESC LIMIT 1",
    "SELECT id, level, parent, code, name, lat, lon FROM regions WHERE id = ?1",
    "SELECT p.id, p.person_id, p.household_id, p.grid, g.code,"
    " julianday(p.birth_date) - 2440587.5 FROM persons p JOIN regions g ON g.id = p.grid"
    " WHERE p.id = ?1",
    "SELECT window_end FROM case_traces WHERE person = ?1",
    "INSERT INTO case_traces(person, window_end, traced_at) VALUES(?1, ?2, ?3)"
    " ON CONFLICT(person) DO UPDATE SET window_end = ?2, traced_at = ?3",
    "DELETE FROM case_stays WHERE person = ?1",
    "INSERT OR IGNORE INTO case_stays(person, place, start_at, end_at) VALUES(?1, ?2, ?3, ?4)",
    "SELECT s.place, p.kind, s.start_at, s.end_at, p.place_id FROM case_stays s"
    " JOIN places p ON p.id = s.place WHERE s.person = ?1 AND s.start_at < ?3 AND s.end_at > ?2",
    "INSERT OR IGNORE INTO ticks(at, rules) VALUES(?1, ?2)",
    "SELECT max(at) FROM ticks",
    /* apart from ESC_SEL: "?1 = 0 OR task = ?1" is planned once as a scan of every escalation,
       which made listing N tasks read N times the whole table (11,365 tasks: 17 s) */
    "SELECT task, level, at, unit, officer, phone FROM task_escalations WHERE task = ?1"
    " ORDER BY at",
};
enum {
  SEL,
  INS,
  UPD,
  ESC_INS,
  ESC_SEL,
  DUTY,
  REGION,
  PERSON,
  TRACED,
  TRACED_PUT,
  STAYS_DEL,
  STAYS_INS,
  STAYS_SEL,
  TICK_PUT,
  TICK_LAST,
  ESC_SEL_OF,
  NSTMT
};

/* The statement `which`, kept prepared, into *q; returns as fk__sqlite_cached. */
static int prepare(struct fk_store *st, int which, sqlite3_stmt **q)
{
  return fk__sqlite_cached(st, sql[which], q);
}

/* Copies column i of q into dst (size bytes), cut if longer. */
static void text(char *dst, size_t size, sqlite3_stmt *q, int i)
{
  fk__sqlite_copy_text(dst, size, sqlite3_column_text(q, i));
}

/* Reads the task of q's current row into t. Returns 0 or FK_ESTORE (a name it does not know). */
static int read_task(struct fk_store *st, sqlite3_stmt *q, struct fk_task_row *t)
{
  int status, rc;
  memset(t, 0, sizeof *t);
  t->id = sqlite3_column_int64(q, 0);
  t->person = sqlite3_column_int64(q, 2);
  t->measure = sqlite3_column_int64(q, 3);
  t->day =
      sqlite3_column_type(q, 4) == SQLITE_NULL ? FK_DATE_NONE : (fk_date)sqlite3_column_int64(q, 4);
  text(t->unit, sizeof t->unit, q, 5);
  t->region = sqlite3_column_int64(q, 6);
  t->level = sqlite3_column_int(q, 7);
  t->created = sqlite3_column_int64(q, 8);
  t->start = sqlite3_column_int64(q, 9);
  t->due = sqlite3_column_int64(q, 10);
  t->acked = fk__sqlite_col_time(q, 12);
  t->closed = fk__sqlite_col_time(q, 13);
  text(t->proof, sizeof t->proof, q, 14);
  text(t->reason, sizeof t->reason, q, 15);
  text(t->person_id, sizeof t->person_id, q, 16);
  if ((rc = fk__sqlite_col_name(st, q, 1, fk_task_kinds, "tasks.kind", &t->kind)) ||
      (rc = fk__sqlite_col_name(st, q, 11, fk_task_statuses, "tasks.status", &status)))
    return rc;
  t->status = (enum fk_task_status)status;
  return 0;
}

/* The filter's conditions, each only when asked, so that SQLite uses the index it needs. */
static void task_where(const struct fk_task_filter *f, char *sel, size_t size)
{
  snprintf(sel, size, "%s%s%s%s%s%s%s%s ORDER BY t.id", sql[SEL],
           f->act_at
               ? " AND t.status IN ('created', 'due', 'acknowledged') AND"
                 " ((t.status = 'created' AND t.start_at <= ?7) OR (t.due_at < ?7 AND t.level > 0))"
               : "",
           f->id ? " AND t.id = ?1" : "", f->measure ? " AND t.measure = ?2" : "",
           f->person ? " AND t.person = ?3" : "",
           f->open_only ? " AND t.status IN ('created', 'due', 'acknowledged')" : "",
           f->status >= 0 && f->status < FK_TSTATUS_N ? " AND t.status = ?5" : "",
           f->unit ? " AND (t.unit = ?6 OR t.region IN (WITH RECURSIVE under(id) AS ("
                     " SELECT id FROM regions WHERE code = ?6 UNION ALL"
                     " SELECT r.id FROM regions r JOIN under u ON r.parent = u.id)"
                     " SELECT id FROM under))"
                   : "");
}

int fk__sqlite_each_task(struct fk_store *st, const struct fk_task_filter *f,
                         int (*fn)(void *arg, const struct fk_task_row *t), void *arg)
{
  static const struct fk_task_filter all = {0, 0, 0, 0, -1, NULL, 0};
  sqlite3_stmt *q = NULL;
  struct fk_task_row t;
  char sel[2048];
  int own, rc = 0, step = SQLITE_DONE;
  f = f ? f : &all;
  task_where(f, sel, sizeof sel);
  if ((own = fk__sqlite_cached(st, sel, &q)) < 0) return own;
  if (f->id) sqlite3_bind_int64(q, 1, f->id);
  if (f->measure) sqlite3_bind_int64(q, 2, f->measure);
  if (f->person) sqlite3_bind_int64(q, 3, f->person);
  if (f->status >= 0 && f->status < FK_TSTATUS_N)
    sqlite3_bind_text(q, 5, fk_task_statuses[f->status], -1, SQLITE_STATIC);
  if (f->unit) sqlite3_bind_text(q, 6, f->unit, -1, SQLITE_STATIC);
  if (f->act_at) sqlite3_bind_int64(q, 7, f->act_at);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    if (!(rc = read_task(st, q, &t))) rc = fn(arg, &t);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading tasks");
}

int fk__sqlite_put_task(struct fk_store *st, struct fk_task_row *t, struct fk_diag *diag)
{
  sqlite3_stmt *q = NULL;
  char day[FK_DATE_BUFSZ] = "";
  int own = prepare(st, t->id ? UPD : INS, &q), rc = 0, step;
  if (own < 0) return fk__sqlite_diag(st, diag, own);
  if (t->day != FK_DATE_NONE) fk_date_format(t->day, day);
  sqlite3_bind_text(q, 1, fk_task_kinds[t->kind], -1, SQLITE_STATIC);
  if (t->person) sqlite3_bind_int64(q, 2, t->person);
  if (t->measure) sqlite3_bind_int64(q, 3, t->measure);
  sqlite3_bind_text(q, 4, day, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 5, t->unit, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 6, t->region);
  sqlite3_bind_int(q, 7, t->level);
  sqlite3_bind_int64(q, 8, t->created);
  sqlite3_bind_int64(q, 9, t->start);
  sqlite3_bind_int64(q, 10, t->due);
  sqlite3_bind_text(q, 11, fk_task_statuses[t->status], -1, SQLITE_STATIC);
  fk__sqlite_bind_time(q, 12, t->acked);
  fk__sqlite_bind_time(q, 13, t->closed);
  if (t->proof[0]) sqlite3_bind_text(q, 14, t->proof, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 15, t->reason, -1, SQLITE_STATIC);
  if (t->id) sqlite3_bind_int64(q, 16, t->id);
  if ((step = sqlite3_step(q)) == SQLITE_CONSTRAINT)
    rc = fk_diag_set(diag, FK_ECONFLICT, NULL, "a %s task of this measure and day exists",
                     fk_task_kinds[t->kind]);
  else if (step == SQLITE_DONE && !t->id)
    t->id = sqlite3_last_insert_rowid(fk__sqlite_db(st));
  return fk__sqlite_diag(st, diag, fk__sqlite_end(st, q, own, rc, step, "storing a task"));
}

int fk__sqlite_put_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                              struct fk_diag *diag)
{
  sqlite3_stmt *q = NULL;
  int own = prepare(st, ESC_INS, &q);
  if (own < 0) return fk__sqlite_diag(st, diag, own);
  sqlite3_bind_int64(q, 1, e->task);
  sqlite3_bind_int(q, 2, e->level);
  sqlite3_bind_int64(q, 3, e->at);
  sqlite3_bind_text(q, 4, e->unit, -1, SQLITE_STATIC);
  if (e->officer[0]) sqlite3_bind_text(q, 5, e->officer, -1, SQLITE_STATIC);
  if (e->phone[0]) sqlite3_bind_text(q, 6, e->phone, -1, SQLITE_STATIC);
  return fk__sqlite_diag(st, diag,
                         fk__sqlite_end(st, q, own, 0, sqlite3_step(q), "storing an escalation"));
}

int fk__sqlite_each_escalation(struct fk_store *st, int64_t task,
                               int (*fn)(void *arg, const struct fk_escalation_row *e), void *arg)
{
  sqlite3_stmt *q = NULL;
  struct fk_escalation_row e;
  int own = prepare(st, task ? ESC_SEL_OF : ESC_SEL, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  if (task) sqlite3_bind_int64(q, 1, task);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    memset(&e, 0, sizeof e);
    e.task = sqlite3_column_int64(q, 0);
    e.level = sqlite3_column_int(q, 1);
    e.at = sqlite3_column_int64(q, 2);
    text(e.unit, sizeof e.unit, q, 3);
    text(e.officer, sizeof e.officer, q, 4);
    text(e.phone, sizeof e.phone, q, 5);
    rc = fn(arg, &e);
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading escalations");
}

int fk__sqlite_duty_at(struct fk_store *st, const char *unit, fk_time at, char *officer,
                       size_t osize, char *phone, size_t psize)
{
  sqlite3_stmt *q = NULL;
  int own = prepare(st, DUTY, &q), step;
  officer[0] = phone[0] = 0;
  if (own < 0) return own;
  sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, at);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) {
    text(officer, osize, q, 0);
    text(phone, psize, q, 1);
  }
  return fk__sqlite_end(st, q, own, 0, step, "reading the duty roster");
}

/* Runs the one-row query `which` with ?1 bound to id, as what; the row is left in *q (give it
 * back with fk__sqlite_done(*q, *own)). Returns 0, FK_ENOTFOUND, FK_ENOMEM or FK_ESTORE. */
static int one_row(struct fk_store *st, int which, int64_t id, sqlite3_stmt **q, int *own,
                   const char *what)
{
  int step;
  if ((*own = prepare(st, which, q)) < 0) return *own;
  sqlite3_bind_int64(*q, 1, id);
  if ((step = sqlite3_step(*q)) == SQLITE_ROW) return 0;
  return step == SQLITE_DONE ? FK_ENOTFOUND : fk__sqlite_fail(st, what);
}

int fk__sqlite_region(struct fk_store *st, int64_t id, struct fk_region_row *out)
{
  sqlite3_stmt *q = NULL;
  int own, rc = one_row(st, REGION, id, &q, &own, "reading a region");
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(q, 0);
    out->level = sqlite3_column_int(q, 1);
    out->parent = sqlite3_column_int64(q, 2);
    text(out->code, sizeof out->code, q, 3);
    text(out->name, sizeof out->name, q, 4);
    out->lat = sqlite3_column_double(q, 5);
    out->lon = sqlite3_column_double(q, 6);
  }
  fk__sqlite_done(q, own);
  return rc;
}

int fk__sqlite_person_info(struct fk_store *st, int64_t person, struct fk_person_info *out)
{
  sqlite3_stmt *q = NULL;
  int own, rc = one_row(st, PERSON, person, &q, &own, "reading a person");
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(q, 0);
    text(out->person_id, sizeof out->person_id, q, 1);
    text(out->household_id, sizeof out->household_id, q, 2);
    out->grid = sqlite3_column_int64(q, 3);
    text(out->grid_id, sizeof out->grid_id, q, 4);
    out->birth = (fk_date)sqlite3_column_int64(q, 5);
  }
  fk__sqlite_done(q, own);
  return rc;
}

int fk__sqlite_case_traced(struct fk_store *st, int64_t person, fk_time *window_end)
{
  sqlite3_stmt *q = NULL;
  int own, rc = one_row(st, TRACED, person, &q, &own, "reading when a case was traced");
  *window_end = rc ? FK_TIME_NONE : sqlite3_column_int64(q, 0);
  fk__sqlite_done(q, own);
  return rc == FK_ENOTFOUND ? 0 : rc;
}

int fk__sqlite_put_case_traced(struct fk_store *st, int64_t person, fk_time window_end, fk_time now)
{
  sqlite3_stmt *q = NULL;
  int own = prepare(st, TRACED_PUT, &q);
  if (own < 0) return own;
  sqlite3_bind_int64(q, 1, person);
  sqlite3_bind_int64(q, 2, window_end);
  sqlite3_bind_int64(q, 3, now);
  return fk__sqlite_end(st, q, own, 0, sqlite3_step(q), "storing when a case was traced");
}

int fk__sqlite_put_case_stays(struct fk_store *st, int64_t person, const struct fk_stay *s,
                              size_t n)
{
  sqlite3_stmt *del = NULL, *ins = NULL;
  int own_del = 0, own_ins = 0, rc;
  if ((rc = own_del = prepare(st, STAYS_DEL, &del)) < 0 ||
      (rc = own_ins = prepare(st, STAYS_INS, &ins)) < 0)
    goto out;
  sqlite3_bind_int64(del, 1, person);
  rc = sqlite3_step(del) == SQLITE_DONE ? 0 : fk__sqlite_fail(st, "storing a case's stays");
  for (size_t i = 0; !rc && i < n; i++) {
    sqlite3_reset(ins);
    sqlite3_bind_int64(ins, 1, person);
    sqlite3_bind_int64(ins, 2, s[i].place);
    sqlite3_bind_int64(ins, 3, s[i].start);
    sqlite3_bind_int64(ins, 4, s[i].end);
    if (sqlite3_step(ins) != SQLITE_DONE) rc = fk__sqlite_fail(st, "storing a case's stays");
  }
out:
  fk__sqlite_done(del, own_del);
  fk__sqlite_done(ins, own_ins);
  return rc;
}

int fk__sqlite_each_case_stay(struct fk_store *st, int64_t person, fk_time from, fk_time to,
                              int (*fn)(void *arg, const struct fk_stay *s, const char *place_id),
                              void *arg)
{
  sqlite3_stmt *q = NULL;
  int own = prepare(st, STAYS_SEL, &q), rc = 0, step = SQLITE_DONE;
  if (own < 0) return own;
  sqlite3_bind_int64(q, 1, person);
  sqlite3_bind_int64(q, 2, from);
  sqlite3_bind_int64(q, 3, to);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    struct fk_stay s = {sqlite3_column_int64(q, 0), 0, sqlite3_column_int64(q, 2),
                        sqlite3_column_int64(q, 3)};
    if (!(rc = fk__sqlite_col_name(st, q, 1, fk_place_kinds, "places.kind", &s.kind)))
      rc = fn(arg, &s, (const char *)sqlite3_column_text(q, 4));
  }
  return fk__sqlite_end(st, q, own, rc, step, "reading a case's stays");
}

int fk__sqlite_put_tick(struct fk_store *st, fk_time at, const char *rules)
{
  sqlite3_stmt *q = NULL;
  int own = prepare(st, TICK_PUT, &q);
  if (own < 0) return own;
  sqlite3_bind_int64(q, 1, at);
  sqlite3_bind_text(q, 2, rules, -1, SQLITE_STATIC);
  return fk__sqlite_end(st, q, own, 0, sqlite3_step(q), "storing a tick");
}

int fk__sqlite_last_tick(struct fk_store *st, fk_time *at)
{
  sqlite3_stmt *q = NULL;
  int own = prepare(st, TICK_LAST, &q), step;
  *at = FK_TIME_NONE;
  if (own < 0) return own;
  if ((step = sqlite3_step(q)) == SQLITE_ROW) *at = fk__sqlite_col_time(q, 0);
  return fk__sqlite_end(st, q, own, 0, step, "reading the last tick");
}
