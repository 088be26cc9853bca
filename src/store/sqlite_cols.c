/* Column helpers shared by the SQLite files (see sqlite_impl.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/feed.h"
#include "fangkong/vocab.h"
#include "store/sqlite_impl.h"

int fk__sqlite_col_name(struct fk_store *st, sqlite3_stmt *q, int i, const char *const *names,
                        const char *col, int *out)
{
  const char *s = (const char *)sqlite3_column_text(q, i);
  int k = fk_vocab_index(names, s);
  if (k >= 0) {
    *out = k;
    return 0;
  }
  if (!s) return fk__sqlite_failf(st, "%s: no name (NULL)", col);
  return fk__sqlite_failf(st, "%s: unknown name '%.64s'", col, s);
}

const char *const *fk__sqlite_feed_names(enum fk_feed_id feed, const char *col)
{
  const struct fk_feed *f = fk_feed_get(feed);
  int i = fk_feed_column(f, col);
  return i >= 0 ? f->cols[i].values : NULL;
}

void fk__sqlite_results(struct fk__sqlite_results *r)
{
  r->names = fk__sqlite_feed_names(FK_FEED_SAMPLES, "result");
  r->positive = fk_vocab_index(r->names, "positive");
  r->negative = fk_vocab_index(r->names, "negative");
}

int fk__sqlite_col_result(struct fk_store *st, sqlite3_stmt *q, int i,
                          const struct fk__sqlite_results *r, int *out)
{
  int k, rc = fk__sqlite_col_name(st, q, i, r->names, "samples.result", &k);
  if (!rc) *out = k == r->positive ? 1 : k == r->negative ? 0 : -1;
  return rc;
}

void fk__sqlite_copy_text(char *dst, size_t size, const unsigned char *src)
{
  snprintf(dst, size, "%s", src ? (const char *)src : "");
}

fk_date fk__sqlite_col_date(sqlite3_stmt *q, int i)
{
  return sqlite3_column_type(q, i) == SQLITE_NULL ? FK_DATE_NONE
                                                  : (fk_date)sqlite3_column_int64(q, i);
}

void fk__sqlite_bind_date(sqlite3_stmt *q, int i, fk_date d)
{
  char buf[FK_DATE_BUFSZ];
  if (d == FK_DATE_NONE)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_text(q, i, fk_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

fk_time fk__sqlite_col_time(sqlite3_stmt *q, int i)
{
  return sqlite3_column_type(q, i) == SQLITE_NULL ? FK_TIME_NONE : sqlite3_column_int64(q, i);
}

void fk__sqlite_bind_time(sqlite3_stmt *q, int i, fk_time t)
{
  if (t == FK_TIME_NONE)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_int64(q, i, t);
}
