/*
 * The push reader (see push.h): finds where each record ends as the bytes come (a line end
 * outside quotes, the CSV quote rules of csv.c's record_extent), then lets the whole-body reader
 * read that one record, so both read alike.
 */
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "ingest/push.h"
#include "ingest/reader_impl.h"

void fk__push_init(struct fk__push *p, const struct fk_feed *feed, int ndjson)
{
  memset(p, 0, sizeof *p);
  p->rd.feed = feed;
  p->rd.line = 1;
  p->rd.ndjson = ndjson;
  p->fstart = 1;
}

void fk__push_free(struct fk__push *p)
{
  fk__reader_free(&p->rd);
  fk_free(p->buf);
  memset(p, 0, sizeof *p);
}

int fk__push_add(struct fk__push *p, const char *data, size_t n)
{
  if (p->start) { /* what was handed out is dropped */
    memmove(p->buf, p->buf + p->start, p->len - p->start);
    p->len -= p->start;
    p->start = 0;
  }
  if (p->len + n > p->cap) {
    size_t cap = p->cap ? p->cap : 4096;
    char *b;
    while (cap < p->len + n)
      cap *= 2;
    if (!(b = fk_realloc(p->buf, cap))) return FK_ENOMEM;
    p->buf = b;
    p->cap = cap;
  }
  if (n) memcpy(p->buf + p->len, data, n);
  p->len += n;
  return 0;
}

void fk__push_end(struct fk__push *p)
{
  p->ended = 1;
}

/* The next record starts afresh. */
static void next_record(struct fk__push *p, size_t start)
{
  p->start = start;
  p->scan = 0;
  p->quote = 0;
  p->fstart = 1;
  p->lines = 0;
  p->skipping = 0;
  p->skipped = 0;
  p->nonblank = p->cr = 0;
}

/* Scans on for the current record's end; returns 1 with *end the index of its line end, or 0
 * when the held bytes run out first. */
static int find_end(struct fk__push *p, size_t *end)
{
  const char *b = p->buf;
  size_t i = p->start + p->scan;
  for (; i < p->len; i++) {
    char c = b[i];
    if (p->quote == 2) { /* "" inside quotes is a quote; a lone one closes them */
      p->quote = c == '"';
      if (p->quote) continue;
    }
    if (p->quote == 1) {
      if (c == '"') p->quote = 2;
      p->lines += c == '\n';
      continue;
    }
    if (c == '\n') {
      p->scan = i - p->start;
      *end = i;
      return 1;
    }
    if (!p->rd.ndjson) {
      if (c == '"' && p->fstart) p->quote = 1;
      p->fstart = c == ',';
    }
  }
  p->scan = i - p->start;
  return 0;
}

/* Counts the bytes [from, to) of a record being skipped, keeping its first ones, and lets
 * them go (what follows moves down to from). */
static void skip(struct fk__push *p, size_t from, size_t to)
{
  for (size_t i = from; i < to; i++) {
    char c = p->buf[i];
    if (p->skipped < FK__PUSH_KEEP) p->keep[p->skipped] = c;
    p->skipped++;
    p->nonblank |= p->cr || (c != ' ' && c != '\t' && c != '\r');
    p->cr = c == '\r';
  }
  memmove(p->buf + from, p->buf + to, p->len - to);
  p->len -= to - from;
  p->scan = 0;
}

/* The record skipped, once its end is known: the error the whole-body reader gives (too
 * long, or a quote left open to the end), or 0 for a blank NDJSON line. */
static int skipped(struct fk__push *p, struct fk__record *rec, struct fk_diag *diag)
{
  size_t rawlen = p->skipped - (size_t)p->cr;
  int open = p->quote == 1;
  rec->line = p->rd.line;
  rec->raw = p->keep;
  rec->rawlen = p->skipped < FK__PUSH_KEEP ? p->skipped : FK__PUSH_KEEP;
  for (int i = 0; i < FK_FEED_MAXCOLS; i++) {
    rec->text[i] = "";
    rec->len[i] = 0;
  }
  p->rd.line += p->lines + 1;
  if (p->rd.ndjson && !p->nonblank) return 0;
  if (open)
    return fk_diag_set(diag, FK_EPARSE, NULL, "unterminated quoted field (runs to end of file)");
  return fk_diag_set(diag, FK_ETOOLONG, NULL, "%s is %zu bytes, longer than the limit %u",
                     p->rd.ndjson ? "line" : "record", rawlen, FK__RECORD_MAX);
}

/* The CSV header, or a record, out of the complete bytes [p->start, stop). */
static int read_one(struct fk__push *p, size_t stop, struct fk__record *rec, struct fk_diag *diag)
{
  int rc;
  p->rd.buf = p->buf + p->start;
  p->rd.size = stop - p->start;
  p->rd.pos = 0;
  next_record(p, stop);
  if (p->rd.ndjson || p->header) return fk__reader_next(&p->rd, rec, diag);
  if ((rc = fk__csv_header(&p->rd, diag)) < 0) return rc;
  p->header = p->rd.colmap != NULL; /* blank lines before it */
  return 0;
}

/* Handles the end of a skipped record: 1 to read on (a blank line), else what to return. */
static int end_skip(struct fk__push *p, int found, size_t end, struct fk__record *rec,
                    struct fk_diag *diag, int *rc)
{
  skip(p, p->start, found ? end : p->len); /* the line end, if found, is now at start */
  if (!found && !p->ended) {
    *rc = 0;
    return 0;
  }
  *rc = skipped(p, rec, diag);
  next_record(p, found ? p->start + 1 : p->len);
  return !*rc;
}

/* One step: 1 to go on looking, else *rc is what fk__push_next returns. */
static int step(struct fk__push *p, struct fk__record *rec, struct fk_diag *diag, int *rc)
{
  size_t end = 0;
  int found = find_end(p, &end);
  if (p->skipping) return end_skip(p, found, end, rec, diag, rc);
  if (!found && !p->ended) {
    if (p->len - p->start > FK__RECORD_MAX + 2) { /* longer than any record read whole */
      p->skipping = 1;
      skip(p, p->start, p->len);
    }
    *rc = 0;
    return 0;
  }
  if (!found && p->start == p->len) {
    *rc = 0;
    return 0;
  }
  *rc = read_one(p, found ? end + 1 : p->len, rec, diag);
  return *rc == 0;
}

int fk__push_next(struct fk__push *p, struct fk__record *rec, struct fk_diag *diag)
{
  int rc = 0, header = !p->rd.ndjson && !p->header;
  if (p->broken) return 0;
  if (!p->began) { /* a UTF-8 byte order mark, as the whole-body reader skips it */
    if (p->len - p->start < 3 && !p->ended) return 0;
    if (p->len - p->start >= 3 && !memcmp(p->buf + p->start, "\xEF\xBB\xBF", 3)) p->start += 3;
    p->began = 1;
  }
  while (step(p, rec, diag, &rc))
    header = !p->rd.ndjson && !p->header;
  if (rc < 0 && header && rc != FK_ENOMEM) p->broken = 1;
  return rc;
}
