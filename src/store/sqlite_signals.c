/*
 * Signal counts in the SQLite store (fangkong/signals.h): each source's rows grouped by civil
 * day and by their region's ancestor at the asked level. The ancestors come from one recursive
 * walk down from the regions of that level, so a grid, a community or a street rolls up alike.
 */
#include <sqlite3.h>
#include <stdio.h>

#include "fangkong/error.h"
#include "fangkong/signal_store.h"
#include "fangkong/time.h"
#include "store/sqlite_impl.h"

/* Civil day (UTC+8) of an instant column, as days since 1970-01-01. */
#define DAY(col) "((" col " + 28800) / 86400)"
#define DATE(col) "CAST(julianday(" col ") - 2440587.5 AS INTEGER)"

/* Each source as rows (day, grid or region, n) over ?2..?3 (times) or ?4..?5 (dates). */
static const char *const source_sql[FK_SIGNAL_NSOURCES] = {
    [FK_SIGNAL_CLINIC] =
        "SELECT " DAY("v.visited_at") " AS day, p.grid AS grid, 1 AS n"
                                      " FROM clinic_visits v JOIN persons p ON p.id = v.person"
                                      " WHERE v.visited_at >= ?2 AND v.visited_at < ?3",
    [FK_SIGNAL_PHARMACY] = "SELECT " DAY(
        "s.sold_at") " AS day, p.grid AS grid, 1 AS n"
                     " FROM pharmacy_sales s JOIN persons p ON p.id = s.person"
                     " WHERE s.sold_at >= ?2 AND s.sold_at < ?3 AND s.drug_class = ?6",
    [FK_SIGNAL_SCHOOL] =
        "SELECT " DATE("a.date") " AS day, pl.grid AS grid, a.count AS n"
                                 " FROM school_absences a JOIN places pl ON pl.id = a.place"
                                 " WHERE a.date >= ?4 AND a.date <= ?5",
    [FK_SIGNAL_ENTRANCE] =
        "SELECT " DAY("e.at") " AS day, pl.grid AS grid, 1 AS n"
                              " FROM entrance_checks e JOIN places pl ON pl.id = e.place"
                              " WHERE e.fever = 1 AND e.at >= ?2 AND e.at < ?3",
    [FK_SIGNAL_POSITIVE] = "SELECT day, grid, 1 AS n FROM (SELECT DISTINCT " DAY(
        "s.sampled_at") " AS day, s.person, p.grid AS grid FROM samples s"
                        " JOIN persons p ON p.id = s.person WHERE s.result = 'positive'"
                        " AND s.pool_id IS NULL AND s.sampled_at >= ?2 AND s.sampled_at < ?3)",
    [FK_SIGNAL_POOL] = "SELECT x.day AS day, p.grid AS grid, 1 AS n FROM (SELECT " DAY(
        "min(s.sampled_at)") " AS day, min(s.person) AS person FROM samples s"
                             " WHERE s.result = 'positive' AND s.pool_id IS NOT NULL"
                             " AND s.sampled_at >= ?2 AND s.sampled_at < ?3 GROUP BY s.pool_id) x"
                             " JOIN persons p ON p.id = x.person",
    [FK_SIGNAL_COUNTS] =
        "SELECT " DATE("c.date") " AS day, c.region AS grid, c.count AS n"
                                 " FROM signal_counts c WHERE c.channel = ?6 AND c.date >= ?4"
                                 " AND c.date <= ?5",
};

int fk__sqlite_each_signal(struct fk_store *st, const struct fk_signal_query *q,
                           int (*fn)(void *arg, fk_date day, int64_t region, const char *code,
                                     double n),
                           void *arg)
{
  char sql[2048], from[FK_DATE_BUFSZ], to[FK_DATE_BUFSZ];
  sqlite3_stmt *s = NULL;
  int rc = 0, step = SQLITE_DONE, own;
  snprintf(sql, sizeof sql,
           "WITH RECURSIVE anc(id, a) AS (SELECT id, id FROM regions WHERE level = ?1"
           " UNION ALL SELECT r.id, anc.a FROM regions r JOIN anc ON r.parent = anc.id)"
           " SELECT x.day, anc.a, g.code, sum(x.n) FROM (%s) x JOIN anc ON anc.id = x.grid"
           " JOIN regions g ON g.id = anc.a GROUP BY x.day, anc.a HAVING sum(x.n) > 0"
           " ORDER BY x.day, anc.a",
           source_sql[q->source]);
  if ((rc = fk__sqlite_cached(st, sql, &s)) < 0) return rc;
  own = rc == 1;
  sqlite3_bind_int(s, 1, q->level);
  sqlite3_bind_int64(s, 2, fk_date_start(q->from));
  sqlite3_bind_int64(s, 3, fk_date_start(q->to + 1));
  sqlite3_bind_text(s, 4, fk_date_format(q->from, from), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 5, fk_date_format(q->to, to), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 6, q->arg ? q->arg : "", -1, SQLITE_TRANSIENT);
  rc = 0;
  while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW)
    rc = fn(arg, (fk_date)sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
            (const char *)sqlite3_column_text(s, 2), sqlite3_column_double(s, 3));
  return fk__sqlite_end(st, s, own, rc, step, "counting signals");
}
