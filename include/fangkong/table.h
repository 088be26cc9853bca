/*
 * A small result table (named columns, rows of text cells) and its three renderings:
 * an aligned table for people, CSV (RFC 4180) and JSON (an array of objects) for programs.
 * Every command that prints data builds one of these, so --format works the same everywhere.
 */
#ifndef FANGKONG_TABLE_H
#define FANGKONG_TABLE_H

#include "fangkong/export.h"

#include <stdio.h>

enum fk_format { FK_FORMAT_TABLE, FK_FORMAT_CSV, FK_FORMAT_JSON };

struct fk_table {
  int ncols;
  char **names;      /* owned */
  unsigned *numeric; /* per column: 1 when cells are numbers (JSON prints them bare) */
  int nrows, cap;
  char **cells; /* nrows * ncols, owned; NULL is an empty cell (null in JSON) */
};

/* Makes an empty table with the given column names ("name" or "#name" for a numeric column).
 * Returns NULL when out of memory. Free with fk_table_free. */
FK_API struct fk_table *fk_table_new(int ncols, const char *const *names);
/* Frees the table and every cell (NULL is fine). */
FK_API void fk_table_free(struct fk_table *t);
/* Appends a row of ncols cells (copied; NULL allowed). Returns 0 or FK_ENOMEM. */
FK_API int fk_table_add(struct fk_table *t, const char *const *cells);
/* Returns the cell (may be NULL). */
FK_API const char *fk_table_cell(const struct fk_table *t, int row, int col);
/* Parses "table", "csv" or "json"; returns 0 or FK_EINVAL. */
FK_API int fk_format_parse(const char *s, enum fk_format *out);
/* Writes the table to out in the format. `title` heads the table format only (may be NULL). */
FK_API void fk_table_print(const struct fk_table *t, enum fk_format format, const char *title,
                           FILE *out);
/* Writes the n bytes at s to out as a JSON string literal, quotes included. */
FK_API void fk_json_string(FILE *out, const char *s, size_t n);
/* Writes the n bytes at s to out as one CSV field, quoted only when needed. */
FK_API void fk_csv_field(FILE *out, const char *s, size_t n);

#endif
