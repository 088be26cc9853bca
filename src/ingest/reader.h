/*
 * Feed readers: CSV (RFC 4180) and NDJSON over a file's bytes in memory (the importer maps the
 * file; fuzzers pass a buffer). A reader yields records whose fields are already laid out as
 * the feed's columns, so validation does not care which format a row came in.
 *
 * CSV: a header names the columns in any order; unknown columns are ignored, a missing
 * required column stops the file. UTF-8 BOM, LF or CRLF line ends, quoted fields holding
 * commas, quotes ("") and newlines. NDJSON: one JSON object a line with the same field names;
 * strings, numbers, true/false (as 1/0) and null (empty). Blank lines are skipped in both.
 *
 * Each record is capped (FK__RECORD_MAX bytes): a longer one is reported and skipped, so a
 * hostile file cannot make the reader grow without bound.
 */
#ifndef FK_INGEST_READER_H
#define FK_INGEST_READER_H

#include <stddef.h>

#include "fangkong/feed.h"
#include "fangkong/ingest.h"

#define FK__RECORD_MAX (1u << 20)

struct fk__record {
  long line;       /* first line of the record, 1-based */
  const char *raw; /* the record as it stands in the file, line end excluded */
  size_t rawlen;
  const char *text[FK_FEED_MAXCOLS]; /* field per feed column; "" when absent */
  size_t len[FK_FEED_MAXCOLS];
};

struct fk__reader {
  const struct fk_feed *feed;
  const char *buf;
  size_t size, pos;
  long line; /* line number of the next record */
  int ndjson;
  int nfile;     /* CSV: columns in the header */
  int *colmap;   /* CSV: file column -> feed column, or -1 */
  char *scratch; /* unquoted field text, NDJSON numbers */
  size_t scratch_cap;
  void *json;         /* NDJSON: the current object (json_t *) */
  const char **ftext; /* CSV: fields of the current record in file order */
  size_t *flen;
  int fcap;
  char unknown[256]; /* CSV: unknown header columns, comma-separated (for a note) */
};

/*
 * Starts reading buf (size bytes, borrowed until fk__reader_free) as `feed` in CSV or NDJSON.
 * For CSV reads the header. Returns 0, or FK_EPARSE for a header that cannot be used (diag
 * says why; nothing can be read then), FK_ENOMEM.
 */
int fk__reader_init(struct fk__reader *r, const struct fk_feed *feed, const char *buf, size_t size,
                    int ndjson, struct fk_diag *diag);

/*
 * Reads the next record into *rec. Returns 1 for a record, 0 at the end, or a negative FK_E*
 * code for a record that cannot be read (rec->line and rec->raw say which, diag why); reading
 * may go on after such an error. FK_ENOMEM is the only error after which it may not.
 */
int fk__reader_next(struct fk__reader *r, struct fk__record *rec, struct fk_diag *diag);

/*
 * Lays out a parsed JSON object (a json_t *, borrowed) as feed's columns in rec->text/len:
 * strings point into the object, numbers are written as text into num (at least
 * feed->ncols * FK__NUMBER_MAX bytes, borrowed), booleans become "1"/"0"; keys that name no
 * column are ignored. rec's fields must be "" beforehand. Returns 1, or FK_EPARSE for a field
 * holding an object or an array (diag names it). What an NDJSON line and a scenario event share.
 */
#define FK__NUMBER_MAX 32

/*
 * Parses the n bytes at s as one JSON object into *out (a json_t *, owned by the caller, who
 * frees it with json_decref even on failure; NULL when nothing was parsed), through the
 * project's allocator. Returns 0, FK_EPARSE (not JSON, or not an object: diag says where) or
 * FK_ENOMEM.
 */
int fk__ndjson_load(const char *s, size_t n, void **out, struct fk_diag *diag);
int fk__ndjson_layout(const struct fk_feed *feed, void *object, struct fk__record *rec, char *num,
                      struct fk_diag *diag);

/*
 * Parses every column of rec as feed's (fk_value_parse) into row[0..feed->ncols) and runs the
 * feed's cross-field check: the one validator of import and scenarios. Returns 0 or the first
 * field's FK_E* code with diag naming the field and why.
 */
int fk__feed_validate(const struct fk_feed *feed, const struct fk__record *rec,
                      struct fk_value *row, struct fk_diag *diag);

struct fk_import_stats;

/*
 * Counts what became of one record in *stats: rc is 0 (stored), FK_EDUP (a duplicate) or why
 * it was rejected -- the one tally of import and of the API's feeds. Returns 1 for a reject
 * (the caller keeps why), 0, or rc itself when it is fatal (FK_ESTORE, FK_ENOMEM: not counted).
 */
int fk__ingest_tally(struct fk_import_stats *stats, int rc);

/* Frees what the reader allocated (not buf). */
void fk__reader_free(struct fk__reader *r);

/* Returns 1 when path names an NDJSON file (.ndjson, .jsonl, .json), else 0. */
int fk__is_ndjson_path(const char *path);

#endif
