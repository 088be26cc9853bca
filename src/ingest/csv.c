/*
 * The CSV side of the feed reader (see reader.h). The common record -- no quote in the line --
 * is split with memchr and no copy; only quoted fields are unescaped into scratch space.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "ingest/reader.h"
#include "ingest/reader_impl.h"

/* Ensures room for `want` more fields in the per-record field arrays. */
static int fields_room(struct fk__reader *r, int want)
{
  if (want <= r->fcap) return 0;
  int cap = want < 32 ? 32 : want * 2;
  const char **t = fk_realloc(r->ftext, (size_t)cap * sizeof *t);
  if (!t) return FK_ENOMEM;
  r->ftext = t;
  size_t *l = fk_realloc(r->flen, (size_t)cap * sizeof *l);
  if (!l) return FK_ENOMEM;
  r->flen = l;
  r->fcap = cap;
  return 0;
}

/*
 * Finds the end of the record starting at r->pos: *end is where its line end begins, *next
 * where the following record starts, *lines how many line ends it spans. *quoted is set when
 * the record has a quote (so needs the slow split). Returns 0, or FK_EPARSE for an unterminated
 * quote (the record then runs to the end of the file).
 */
static int record_extent(const struct fk__reader *r, size_t *end, size_t *next, long *lines,
                         int *quoted)
{
  const char *b = r->buf;
  size_t i = r->pos, n = r->size;
  const char *nl = memchr(b + i, '\n', n - i);
  size_t lend = nl ? (size_t)(nl - b) : n;
  *lines = 0;
  *quoted = memchr(b + i, '"', lend - i) != NULL;
  if (!*quoted) {
    *next = nl ? lend + 1 : n;
    *end = (lend > i && b[lend - 1] == '\r') ? lend - 1 : lend;
    *lines = 1;
    return 0;
  }
  /* A quote opens a quoted field only at the start of a field; "" inside one is a quote. */
  int inq = 0, start = 1;
  for (; i < n; i++) {
    char c = b[i];
    if (inq) {
      if (c == '"') {
        if (i + 1 < n && b[i + 1] == '"')
          i++;
        else
          inq = 0;
      } else if (c == '\n') {
        (*lines)++;
      }
      continue;
    }
    if (c == '\n') {
      (*lines)++;
      break;
    }
    if (c == '"' && start) inq = 1;
    start = c == ',';
  }
  *next = i < n ? i + 1 : n;
  *end = i > r->pos && b[i - 1] == '\r' && i <= n ? i - 1 : i;
  if (i == n) (*lines)++;
  return inq ? FK_EPARSE : 0;
}

/* Splits raw (no quotes inside) at commas into r->ftext / r->flen; sets *count. */
static int split_plain(struct fk__reader *r, const char *raw, size_t len, int *count)
{
  int k = 0;
  const char *p = raw, *e = raw + len;
  for (;;) {
    const char *c = memchr(p, ',', (size_t)(e - p));
    if (fields_room(r, k + 1)) return FK_ENOMEM;
    r->ftext[k] = p;
    r->flen[k++] = (size_t)((c ? c : e) - p);
    if (!c) break;
    p = c + 1;
  }
  *count = k;
  return 0;
}

/* Splits a record holding quotes, unescaping into r->scratch. */
static int split_quoted(struct fk__reader *r, const char *raw, size_t len, int *count,
                        struct fk_diag *diag)
{
  int k = 0;
  size_t i = 0;
  char *out;
  if (fk__scratch(r, len + 1, &out)) return FK_ENOMEM;
  for (;;) {
    if (fields_room(r, k + 1)) return FK_ENOMEM;
    r->ftext[k] = out;
    if (i < len && raw[i] == '"') {
      for (i++;; i++) {
        if (i >= len) return fk_diag_set(diag, FK_EPARSE, NULL, "unterminated quoted field");
        if (raw[i] == '"') {
          if (i + 1 < len && raw[i + 1] == '"')
            *out++ = raw[i++];
          else
            break;
        } else {
          *out++ = raw[i];
        }
      }
      i++; /* the closing quote */
      if (i < len && raw[i] != ',')
        return fk_diag_set(diag, FK_EPARSE, NULL, "text after a closing quote in field %d", k + 1);
    } else {
      for (; i < len && raw[i] != ','; i++) {
        if (raw[i] == '"')
          return fk_diag_set(diag, FK_EPARSE, NULL,
                             "a quote inside unquoted field %d (quote the whole field)", k + 1);
        *out++ = raw[i];
      }
    }
    r->flen[k] = (size_t)(out - r->ftext[k]);
    k++;
    if (i >= len) break;
    i++; /* the comma */
  }
  *count = k;
  return 0;
}

/* Reads one CSV record's fields (file order) into r->ftext; fills rec's line and raw. */
int fk__csv_fields(struct fk__reader *r, struct fk__record *rec, int *count, struct fk_diag *diag)
{
  size_t end, next;
  long lines;
  int quoted, rc;
  for (;;) { /* skip blank lines */
    if (r->pos >= r->size) return 0;
    rc = record_extent(r, &end, &next, &lines, &quoted);
    rec->line = r->line;
    rec->raw = r->buf + r->pos;
    rec->rawlen = end - r->pos;
    r->pos = next;
    r->line += lines;
    if (rec->rawlen > 0 || rc) break;
  }
  if (rc) return fk_diag_set(diag, rc, NULL, "unterminated quoted field (runs to end of file)");
  if (rec->rawlen > FK__RECORD_MAX)
    return fk_diag_set(diag, FK_ETOOLONG, NULL, "record is %zu bytes, longer than the limit %u",
                       rec->rawlen, FK__RECORD_MAX);
  rc = quoted ? split_quoted(r, rec->raw, rec->rawlen, count, diag)
              : split_plain(r, rec->raw, rec->rawlen, count);
  return rc ? rc : 1;
}

/* Reads the header and maps its columns to the feed's. */
int fk__csv_header(struct fk__reader *r, struct fk_diag *diag)
{
  struct fk__record rec;
  int count = 0, rc = fk__csv_fields(r, &rec, &count, diag);
  int seen[FK_FEED_MAXCOLS] = {0};
  if (rc < 0) return rc;
  if (rc == 0) return 0; /* empty file: no header, no rows */
  if (!(r->colmap = fk_calloc((size_t)count, sizeof *r->colmap))) return FK_ENOMEM;
  r->nfile = count;
  for (int i = 0; i < count; i++) {
    char name[64];
    size_t n = r->flen[i] < sizeof name - 1 ? r->flen[i] : sizeof name - 1;
    memcpy(name, r->ftext[i], n);
    name[n] = '\0';
    int c = fk_feed_column(r->feed, name);
    r->colmap[i] = c;
    if (c < 0) {
      size_t u = strlen(r->unknown);
      if (u + n + 2 < sizeof r->unknown)
        snprintf(r->unknown + u, sizeof r->unknown - u, "%s%s", u ? "," : "", name);
      continue;
    }
    if (seen[c]++)
      return fk_diag_set(diag, FK_EPARSE, name, "column %s appears twice in the header", name);
  }
  for (int c = 0; c < r->feed->ncols; c++)
    if (!seen[c] && (r->feed->cols[c].flags & FK_COL_REQUIRED))
      return fk_diag_set(diag, FK_EPARSE, r->feed->cols[c].name, "header lacks required column %s",
                         r->feed->cols[c].name);
  return 0;
}

int fk__csv_next(struct fk__reader *r, struct fk__record *rec, struct fk_diag *diag)
{
  int count = 0, rc = fk__csv_fields(r, rec, &count, diag);
  if (rc <= 0) return rc;
  if (count != r->nfile)
    return fk_diag_set(diag, FK_EPARSE, NULL, "%d fields, but the header has %d", count, r->nfile);
  for (int i = 0; i < count; i++) {
    int c = r->colmap[i];
    if (c < 0) continue;
    rec->text[c] = r->ftext[i];
    rec->len[c] = r->flen[i];
  }
  return 1;
}
