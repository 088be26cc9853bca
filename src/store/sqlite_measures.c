/*
 * Measures and their tests in the SQLite store (see fk_store_each_measure, fk_store_put_measure).
 * Dates are TEXT 'YYYY-MM-DD'; the enums are stored by name.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/vocab.h"
#include "fangkong/store.h"
#include "fangkong/time.h"
#include "store/sqlite_impl.h"

/* A measure's columns, as fk__sqlite_each_measure reads them. */
#define MEASURE_COLS                                                                               \
  "SELECT id, person, category, kind, julianday(anchor_date) - 2440587.5,"                         \
  " julianday(placed_date) - 2440587.5, julianday(start_date) - 2440587.5,"                        \
  " julianday(end_date) - 2440587.5, status, rule, reason, created_at, linked FROM measures"

/* SEL_OF is apart from SEL: "?1 = 0 OR person = ?1" is planned once as a scan of every measure,
 * which made each entrance check (one person's measures) cost as much as the whole table. */
static const char *const sql[] = {
    MEASURE_COLS " ORDER BY id",
    "SELECT phase, day, julianday(due_date) - 2440587.5, status, sample_id FROM measure_tests"
    " WHERE measure = ?1 ORDER BY rowid",
    "INSERT INTO measures(person, category, kind, anchor_date, placed_date, start_date, end_date,"
    " status, rule, reason, created_at, linked)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13)",
    "UPDATE measures SET person = ?1, category = ?2, kind = ?3, anchor_date = ?4,"
    " placed_date = ?5, start_date = ?6, end_date = ?7, status = ?8, rule = ?9, reason = ?10,"
    " created_at = ?11, linked = ?13 WHERE id = ?12",
    "DELETE FROM measure_tests WHERE measure = ?1",
    "INSERT INTO measure_tests(measure, phase, day, due_date, status, sample_id)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT id FROM persons WHERE person_id = ?1",
    MEASURE_COLS " WHERE person = ?1 ORDER BY id",
};
enum { SEL, SEL_TESTS, INS, UPD, DEL_TESTS, INS_TEST, PERSON, SEL_OF, NSTMT };

/* Reads m's tests with q (SEL_TESTS). Returns 0 or FK_ESTORE (a failed step, or a name it does
 * not know). */
static int load_tests(struct fk_store *st, sqlite3_stmt *q, struct fk_measure_row *m)
{
  int step, status, rc;
  sqlite3_reset(q);
  sqlite3_bind_int64(q, 1, m->id);
  m->ntests = 0;
  while ((step = sqlite3_step(q)) == SQLITE_ROW && m->ntests < FK_MEASURE_MAXTESTS) {
    struct fk_measure_test *t = &m->tests[m->ntests++];
    t->phase = sqlite3_column_int(q, 0);
    t->day = sqlite3_column_int(q, 1);
    t->due = fk__sqlite_col_date(q, 2);
    fk__sqlite_copy_text(t->sample_id, sizeof t->sample_id, sqlite3_column_text(q, 4));
    if ((rc = fk__sqlite_col_name(st, q, 3, fk_test_statuses, "measure_tests.status", &status)))
      return rc;
    t->status = (enum fk_test_status)status;
  }
  return step == SQLITE_DONE || step == SQLITE_ROW
             ? 0
             : fk__sqlite_fail(st, "reading a measure's tests");
}

int fk__sqlite_each_measure(struct fk_store *st, int64_t person,
                            int (*fn)(void *arg, const struct fk_measure_row *m), void *arg)
{
  sqlite3_stmt *q = NULL, *t = NULL;
  struct fk_measure_row *m = NULL;
  int rc, status, step = SQLITE_DONE, own_q = 0, own_t = 0;
  if ((rc = own_q = fk__sqlite_cached(st, sql[person ? SEL_OF : SEL], &q)) < 0) goto done;
  if ((rc = own_t = fk__sqlite_cached(st, sql[SEL_TESTS], &t)) < 0) goto done;
  rc = 0;
  m = fk_malloc(sizeof *m);
  if (!m) {
    rc = FK_ENOMEM;
    goto done;
  }
  if (person) sqlite3_bind_int64(q, 1, person);
  while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(q, 0);
    m->person = sqlite3_column_int64(q, 1);
    m->anchor = fk__sqlite_col_date(q, 4);
    m->placed = fk__sqlite_col_date(q, 5);
    m->start = fk__sqlite_col_date(q, 6);
    m->end = fk__sqlite_col_date(q, 7);
    fk__sqlite_copy_text(m->rule, sizeof m->rule, sqlite3_column_text(q, 9));
    fk__sqlite_copy_text(m->reason, sizeof m->reason, sqlite3_column_text(q, 10));
    m->created = sqlite3_column_int64(q, 11);
    m->linked = sqlite3_column_int64(q, 12);
    if (!(rc = fk__sqlite_col_name(st, q, 2, fk_person_cats, "measures.category", &m->category)) &&
        !(rc = fk__sqlite_col_name(st, q, 3, fk_measure_kinds, "measures.kind", &m->kind)) &&
        !(rc = fk__sqlite_col_name(st, q, 8, fk_measure_statuses, "measures.status", &status)) &&
        !(rc = load_tests(st, t, m))) {
      m->status = (enum fk_measure_status)status;
      rc = fn(arg, m);
    }
  }
  if (!rc && step != SQLITE_DONE) rc = fk__sqlite_fail(st, "reading measures");
done:
  fk_free(m);
  fk__sqlite_done(q, own_q);
  fk__sqlite_done(t, own_t);
  return rc;
}

/* Writes m (its row, then its tests anew) with the statements q. Returns 0 or FK_ESTORE. */
static int put(struct fk_store *st, sqlite3_stmt **q, struct fk_measure_row *m)
{
  sqlite3_stmt *w = q[m->id ? UPD : INS];
  sqlite3_bind_int64(w, 1, m->person);
  sqlite3_bind_text(w, 2, fk_person_cats[m->category], -1, SQLITE_STATIC);
  sqlite3_bind_text(w, 3, fk_measure_kinds[m->kind], -1, SQLITE_STATIC);
  fk__sqlite_bind_date(w, 4, m->anchor);
  fk__sqlite_bind_date(w, 5, m->placed);
  fk__sqlite_bind_date(w, 6, m->start);
  fk__sqlite_bind_date(w, 7, m->end);
  sqlite3_bind_text(w, 8, fk_measure_statuses[m->status], -1, SQLITE_STATIC);
  sqlite3_bind_text(w, 9, m->rule, -1, SQLITE_STATIC);
  sqlite3_bind_text(w, 10, m->reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64(w, 11, m->created);
  if (m->id) sqlite3_bind_int64(w, 12, m->id);
  if (m->linked)
    sqlite3_bind_int64(w, 13, m->linked);
  else
    sqlite3_bind_null(w, 13);
  if (sqlite3_step(w) != SQLITE_DONE) return fk__sqlite_fail(st, "storing a measure");
  if (!m->id) m->id = sqlite3_last_insert_rowid(fk__sqlite_db(st));
  sqlite3_bind_int64(q[DEL_TESTS], 1, m->id);
  if (sqlite3_step(q[DEL_TESTS]) != SQLITE_DONE) return fk__sqlite_fail(st, "storing a measure");
  for (int i = 0; i < m->ntests; i++) {
    const struct fk_measure_test *t = &m->tests[i];
    sqlite3_stmt *x = q[INS_TEST];
    sqlite3_reset(x);
    sqlite3_bind_int64(x, 1, m->id);
    sqlite3_bind_int(x, 2, t->phase);
    sqlite3_bind_int(x, 3, t->day);
    fk__sqlite_bind_date(x, 4, t->due);
    sqlite3_bind_text(x, 5, fk_test_statuses[t->status], -1, SQLITE_STATIC);
    if (t->sample_id[0])
      sqlite3_bind_text(x, 6, t->sample_id, -1, SQLITE_STATIC);
    else
      sqlite3_bind_null(x, 6);
    if (sqlite3_step(x) != SQLITE_DONE) return fk__sqlite_fail(st, "storing a measure's tests");
  }
  return 0;
}

int fk__sqlite_put_measure(struct fk_store *st, struct fk_measure_row *m, struct fk_diag *diag)
{
  sqlite3_stmt *q[NSTMT] = {0};
  int own[NSTMT] = {0}, rc = 0;
  for (int i = INS; !rc && i <= INS_TEST; i++)
    if ((rc = own[i] = fk__sqlite_cached(st, sql[i], &q[i])) > 0) rc = 0;
  if (!rc) rc = put(st, q, m);
  for (int i = 0; i < NSTMT; i++)
    fk__sqlite_done(q[i], own[i]);
  return fk__sqlite_diag(st, diag, rc);
}

int fk__sqlite_person_id(struct fk_store *st, const char *person_id, int64_t *person)
{
  sqlite3_stmt *q = NULL;
  int step, own;
  *person = 0;
  if (fk__sqlite_key(st, FK_FEED_PERSONS, person_id, person)) return 0; /* persons never change */
  if ((own = fk__sqlite_cached(st, sql[PERSON], &q)) < 0) return own;
  sqlite3_bind_text(q, 1, person_id, -1, SQLITE_STATIC);
  if ((step = sqlite3_step(q)) == SQLITE_ROW) *person = sqlite3_column_int64(q, 0);
  return fk__sqlite_end(st, q, own, 0, step, "finding a person");
}
