/*
 * The feed reader fed in pieces (a push parser), for bodies that arrive in chunks (an HTTP
 * upload): bytes go in with fk__push_add as they come, in pieces of any size, and records come
 * out of fk__push_next exactly as fk__reader_next would give them from the whole body -- the
 * same lines, fields, errors and reasons -- because each complete record is handed to that very
 * reader. Only what is not yet handed out is held: the last piece added and the incomplete
 * record before it, the record capped at FK__RECORD_MAX; a longer record is not held but
 * skipped to its end and reported too long, its text cut to its first FK__PUSH_KEEP bytes.
 * So memory does not grow with the body. fuzz/fuzz_push.c holds the two readers equal under
 * random splits.
 */
#ifndef FK_INGEST_PUSH_H
#define FK_INGEST_PUSH_H

#include <stddef.h>

#include "ingest/reader.h"

#define FK__PUSH_KEEP 256

struct fk__push {
  struct fk__reader rd; /* reads one complete record at a time out of buf */
  char *buf;            /* bytes held, [start, len) not yet handed out */
  size_t len, cap, start;
  size_t scan;      /* bytes after start already scanned for the record's end */
  int quote;        /* CSV, at scan: 0 outside quotes, 1 inside, 2 a quote seen inside */
  int fstart;       /* CSV, at scan: at the start of a field (a quote there opens a quoted field) */
  long lines;       /* line ends inside the current record's quotes */
  int began;        /* the byte order mark was looked for */
  int header;       /* CSV: the header was read */
  int ended;        /* fk__push_end was called: the held bytes are the last */
  int broken;       /* the CSV header could not be used: nothing more is read */
  int skipping;     /* the current record is longer than the cap and is being skipped */
  size_t skipped;   /* its bytes so far */
  int nonblank, cr; /* NDJSON: it holds more than blanks; its last byte was a CR */
  char keep[FK__PUSH_KEEP]; /* its first bytes */
};

/* Starts a push reader of feed (borrowed) in CSV or NDJSON (ndjson 1); allocates nothing yet. */
void fk__push_init(struct fk__push *p, const struct fk_feed *feed, int ndjson);

/* Adds the n bytes at data (copied) after those added before. Records handed out by
 * fk__push_next before are invalid afterwards. Returns 0 or FK_ENOMEM. */
int fk__push_add(struct fk__push *p, const char *data, size_t n);

/* Says no more bytes will come: the bytes held after the last line end are the last record. */
void fk__push_end(struct fk__push *p);

/*
 * Reads the next complete record into *rec (as fk__reader_next; its text borrowed until the
 * next fk__push_add). Returns 1 for a record; 0 when more bytes are needed, or at the end once
 * fk__push_end was called; or a negative FK_E* code for a record that cannot be read (rec->line
 * says which, diag why; reading may go on). When the CSV header cannot be used, the error is
 * the header's, p->broken is set and nothing more is read. FK_ENOMEM is fatal.
 */
int fk__push_next(struct fk__push *p, struct fk__record *rec, struct fk_diag *diag);

/* Frees what the reader holds. */
void fk__push_free(struct fk__push *p);

#endif
