/*
 * Column helpers the SQLite files share: enums stored by name, text copied with a cap, dates
 * as TEXT 'YYYY-MM-DD' (read back as day numbers through julianday), sample results.
 */
#ifndef FK_STORE_SQLITE_COLS_H
#define FK_STORE_SQLITE_COLS_H

#include <sqlite3.h>
#include <stddef.h>

#include "fangkong/time.h"

/* The index of s in the NULL-terminated names, or 0 when it is none of them (or NULL). */
int fk__sqlite_name_index(const char *const *names, const char *s);

/* Copies src (NULL: "") into dst of size bytes, cut to fit. */
void fk__sqlite_copy_text(char *dst, size_t size, const unsigned char *src);

/* Column i as a day number (selected as julianday(x) - 2440587.5), INT32_MIN when NULL. */
fk_date fk__sqlite_col_date(sqlite3_stmt *q, int i);

/* Binds d as 'YYYY-MM-DD' to parameter i, NULL when d is INT32_MIN. */
void fk__sqlite_bind_date(sqlite3_stmt *q, int i, fk_date d);

/* A stored sample result: 1 positive, 0 negative, -1 pending (or NULL). */
int fk__sqlite_result_code(const char *r);

#endif
