/*
 * Writing a trace back to the SQLite store with its evidence (see fk_store_save_trace).
 * One transaction (a savepoint inside the caller's): the earlier run of the same index case goes
 * (its contacts, exposures and links cascade), the new run comes in whole.
 */
#include <sqlite3.h>

#include "fangkong/error.h"
#include "fangkong/trace_store.h"
#include "store/sqlite_impl.h"

static const char *const sql[] = {
    "DELETE FROM trace_runs WHERE index_person = ?1",
    "INSERT INTO trace_runs(index_person, now, depth, rules, window_start, window_end)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO contacts(run, person, degree, category, via, first_exposure, last_exposure)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "INSERT INTO exposures(contact, place, start_at, end_at, category) VALUES(?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO case_links(run, to_person, first_exposure, last_exposure) VALUES(?1, ?2, ?3, ?4)",
};
enum { DEL, RUN, CONTACT, EXPOSURE, LINK, NSTMT };

/* One statement's parameters: integers, with 0 meaning NULL where `nullable` says so, and at
   most one text. */
struct params {
  int n;
  int64_t v[8];
  unsigned nullable; /* bit i: parameter i+1 is NULL when 0 */
  int text_at;       /* 1-based parameter that takes `text`, or 0 */
  const char *text;
};

/* Runs q with the parameters p. Returns 0 or FK_ESTORE. */
static int step(struct fk_store *st, sqlite3_stmt *q, const struct params *p)
{
  sqlite3_reset(q);
  for (int i = 0; i < p->n; i++) {
    if (i + 1 == p->text_at)
      sqlite3_bind_text(q, i + 1, p->text, -1, SQLITE_STATIC);
    else if ((p->nullable >> i & 1) && p->v[i] == 0)
      sqlite3_bind_null(q, i + 1);
    else
      sqlite3_bind_int64(q, i + 1, p->v[i]);
  }
  return sqlite3_step(q) == SQLITE_DONE ? 0 : fk__sqlite_fail(st, "saving the trace");
}

/* Any category other than close is general, as it always was (fangkong/vocab.h). */
static const char *category(enum fk_category c)
{
  return fk_categories[c == FK_CAT_CLOSE];
}

/* Stores contact c of run, with its exposures. Returns 0 or FK_ESTORE. */
static int save_contact(struct fk_store *st, sqlite3_stmt **q, int64_t run,
                        const struct fk_contact *c)
{
  struct params p = {
      7,
      {run, c->person, c->degree, 0, c->via, fk_trace_time(c->first), fk_trace_time(c->last)},
      1u << 4,
      4,
      category(c->category)};
  int rc = step(st, q[CONTACT], &p);
  int64_t id = sqlite3_last_insert_rowid(fk__sqlite_db(st));
  for (size_t i = 0; !rc && i < c->nexp; i++) {
    const struct fk_exposure *e = &c->exp[i];
    struct params x = {5,
                       {id, e->place, fk_trace_time(e->start), fk_trace_time(e->end)},
                       1u << 1,
                       5,
                       category(e->category)};
    rc = step(st, q[EXPOSURE], &x);
  }
  return rc;
}

/* Stores the run r in place of the earlier one of its index case. Returns 0 or FK_ESTORE. */
static int save_all(struct fk_store *st, sqlite3_stmt **q, const struct fk_trace_result *r,
                    fk_time now, const char *rules)
{
  struct params del = {1, {r->index_person}, 0, 0, NULL};
  /* `now` is NULL when the question named no time (a depth-1 trace of isolated cases); the
     depth is the one traced, which the rules may have cut to 1. */
  struct params run = {
      6,
      {r->index_person, now == FK_TIME_NONE ? 0 : now, r->depth, 0, r->window_start, r->window_end},
      1u << 1,
      4,
      rules};
  int rc = step(st, q[DEL], &del);
  if (!rc) rc = step(st, q[RUN], &run);
  int64_t id = sqlite3_last_insert_rowid(fk__sqlite_db(st));
  for (size_t i = 0; !rc && i < r->ncontacts; i++)
    rc = save_contact(st, q, id, &r->contacts[i]);
  for (size_t i = 0; !rc && i < r->nlinks; i++) {
    struct params l = {4, {id, r->links[i].to, r->links[i].first, r->links[i].last}, 0, 0, NULL};
    rc = step(st, q[LINK], &l);
  }
  return rc;
}

int fk__sqlite_save_trace(struct fk_store *st, const struct fk_trace_result *r, fk_time now,
                          const char *rules, struct fk_diag *diag)
{
  sqlite3_stmt *q[NSTMT] = {0};
  int own[NSTMT] = {0}, rc = 0;
  for (int i = 0; !rc && i < NSTMT; i++)
    if ((rc = own[i] = fk__sqlite_cached(st, sql[i], &q[i])) > 0) rc = 0;
  if (!rc && !(rc = fk__sqlite_begin(st))) {
    if ((rc = save_all(st, q, r, now, rules)))
      fk__sqlite_rollback(st);
    else
      rc = fk__sqlite_commit(st);
  }
  for (int i = 0; i < NSTMT; i++)
    fk__sqlite_done(q[i], own[i]);
  return fk__sqlite_diag(st, diag, rc);
}
