/* Column helpers shared by the SQLite files (see sqlite_cols.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/sqlite_impl.h"

int fk__sqlite_name_index(const char *const *names, const char *s)
{
  for (int i = 0; s && names[i]; i++)
    if (!strcmp(names[i], s)) return i;
  return 0;
}

void fk__sqlite_copy_text(char *dst, size_t size, const unsigned char *src)
{
  snprintf(dst, size, "%s", src ? (const char *)src : "");
}

fk_date fk__sqlite_col_date(sqlite3_stmt *q, int i)
{
  return sqlite3_column_type(q, i) == SQLITE_NULL ? INT32_MIN : (fk_date)sqlite3_column_int64(q, i);
}

void fk__sqlite_bind_date(sqlite3_stmt *q, int i, fk_date d)
{
  char buf[FK_DATE_BUFSZ];
  if (d == INT32_MIN)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_text(q, i, fk_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

int fk__sqlite_result_code(const char *r)
{
  return !r ? -1 : !strcmp(r, "positive") ? 1 : !strcmp(r, "negative") ? 0 : -1;
}
