/* Result tables and their renderings: aligned text, CSV, JSON (see fangkong/table.h). */
#include <string.h>

#include "fangkong/vocab.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/table.h"

struct fk_table *fk_table_new(int ncols, const char *const *names)
{
  struct fk_table *t = fk_calloc(1, sizeof *t);
  if (!t) return NULL;
  t->ncols = ncols;
  t->names = fk_calloc((size_t)ncols, sizeof *t->names);
  t->numeric = fk_calloc((size_t)ncols, sizeof *t->numeric);
  if (!t->names || !t->numeric) goto fail;
  for (int i = 0; i < ncols; i++) {
    t->numeric[i] = names[i][0] == '#';
    if (!(t->names[i] = fk_strndup(names[i] + t->numeric[i], strlen(names[i] + t->numeric[i]))))
      goto fail;
  }
  return t;
fail:
  fk_table_free(t);
  return NULL;
}

void fk_table_free(struct fk_table *t)
{
  if (!t) return;
  for (int i = 0; t->names && i < t->ncols; i++)
    fk_free(t->names[i]);
  for (long i = 0; i < (long)t->nrows * t->ncols; i++)
    fk_free(t->cells[i]);
  fk_free(t->names);
  fk_free(t->numeric);
  fk_free(t->cells);
  fk_free(t);
}

int fk_table_add(struct fk_table *t, const char *const *cells)
{
  if (t->nrows == t->cap) {
    int cap = t->cap ? t->cap * 2 : 16;
    char **grown = fk_realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *grown);
    if (!grown) return FK_ENOMEM;
    t->cells = grown;
    t->cap = cap;
  }
  char **row = t->cells + (size_t)t->nrows * (size_t)t->ncols;
  for (int i = 0; i < t->ncols; i++) {
    row[i] = cells[i] ? fk_strndup(cells[i], strlen(cells[i])) : NULL;
    if (cells[i] && !row[i]) {
      while (i--)
        fk_free(row[i]);
      return FK_ENOMEM;
    }
  }
  t->nrows++;
  return 0;
}

const char *fk_table_cell(const struct fk_table *t, int row, int col)
{
  return t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

int fk_format_parse(const char *s, enum fk_format *out)
{
  static const char *const names[] = {"table", "csv", "json", NULL};
  int i = fk_vocab_index(names, s);
  if (i < 0) return FK_EINVAL;
  *out = (enum fk_format)i;
  return 0;
}

void fk_json_string(FILE *out, const char *s, size_t n)
{
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20)
      fprintf(out, "\\u%04x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

void fk_csv_field(FILE *out, const char *s, size_t n)
{
  if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
    fwrite(s, 1, n, out);
    return;
  }
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') fputc('"', out);
    fputc(s[i], out);
  }
  fputc('"', out);
}

/* Display width of UTF-8 text: CJK characters take two columns in a terminal. */
static int width(const char *s)
{
  int w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xc0) == 0x80) continue;
    w += *p >= 0xe0 ? 2 : 1;
  }
  return w;
}

static void print_aligned(const struct fk_table *t, const char *title, FILE *out)
{
  int w[64] = {0};
  int nc = t->ncols < 64 ? t->ncols : 64;
  for (int c = 0; c < nc; c++) {
    w[c] = width(t->names[c]);
    for (int r = 0; r < t->nrows; r++) {
      const char *v = fk_table_cell(t, r, c);
      if (v && width(v) > w[c]) w[c] = width(v);
    }
  }
  if (title) fprintf(out, "%s\n", title);
  for (int r = -1; r < t->nrows; r++) {
    for (int c = 0; c < nc; c++) {
      const char *v = r < 0 ? t->names[c] : fk_table_cell(t, r, c);
      v = v ? v : "";
      int pad = w[c] - width(v);
      if (t->numeric[c])
        fprintf(out, "%*s%s", pad, "", v);
      else
        fprintf(out, "%s%*s", v, c + 1 < nc ? pad : 0, "");
      fputs(c + 1 < nc ? "  " : "\n", out);
    }
  }
}

static void print_csv(const struct fk_table *t, FILE *out)
{
  for (int r = -1; r < t->nrows; r++)
    for (int c = 0; c < t->ncols; c++) {
      const char *v = r < 0 ? t->names[c] : fk_table_cell(t, r, c);
      if (v) fk_csv_field(out, v, strlen(v));
      fputs(c + 1 < t->ncols ? "," : "\n", out);
    }
}

static void print_json(const struct fk_table *t, FILE *out)
{
  fputc('[', out);
  for (int r = 0; r < t->nrows; r++) {
    fputs(r ? ",\n {" : "{", out);
    for (int c = 0; c < t->ncols; c++) {
      const char *v = fk_table_cell(t, r, c);
      if (c) fputs(", ", out);
      fk_json_string(out, t->names[c], strlen(t->names[c]));
      fputs(": ", out);
      if (!v)
        fputs("null", out);
      else if (t->numeric[c])
        fputs(v, out);
      else
        fk_json_string(out, v, strlen(v));
    }
    fputc('}', out);
  }
  fputs("]\n", out);
}

void fk_table_print(const struct fk_table *t, enum fk_format format, const char *title, FILE *out)
{
  switch (format) {
  case FK_FORMAT_TABLE:
    print_aligned(t, title, out);
    break;
  case FK_FORMAT_CSV:
    print_csv(t, out);
    break;
  case FK_FORMAT_JSON:
    print_json(t, out);
    break;
  }
}
