/*
 * Ingest: feed files into the store without losing a row. Every record is read, validated
 * field by field (feed.h) and stored, or written with its line, column and reason to
 * FILE.rejects.csv; rows already stored are skipped, so re-running an import is safe and, after
 * a crash, completes it. Writes are committed in batches: a kill at any instant leaves the store
 * consistent.
 */
#ifndef FANGKONG_INGEST_H
#define FANGKONG_INGEST_H

#include "fangkong/export.h"

#include <stdio.h>

#include "fangkong/feed.h"

struct fk_store;
struct fk_diag;

struct fk_import_stats {
  long read;      /* records read (blank lines excluded) */
  long stored;    /* new rows stored */
  long duplicate; /* identical to a stored row: skipped */
  long rejected;  /* written to the rejects file */
};

struct fk_import_opts {
  long batch_rows; /* rows per transaction; 0 means the default (50,000) */
  FILE *progress;  /* where to draw a progress bar (a terminal), or NULL for none */
};

/*
 * Imports the feed file at path (CSV, or NDJSON when it ends in .ndjson/.jsonl/.json) into st.
 * Adds what happened to *stats (the caller zeroes it). Rejected rows go to path.rejects.csv,
 * which is removed when a run rejects nothing. Returns 0 (even with rejects: see stats), or
 * FK_EIO / FK_EPARSE (unusable header) / FK_ESTORE / FK_ENOMEM with diag saying why; rows of
 * batches committed before such an error stay stored.
 */
FK_API int fk_import_file(struct fk_store *st, const struct fk_feed *feed, const char *path,
                          const struct fk_import_opts *opts, struct fk_import_stats *stats,
                          struct fk_diag *diag);

/*
 * Calls found(feed, path, arg) for every known feed file in dir (grids.csv, persons.ndjson, ...)
 * in dependency order, stopping at the first non-zero return, which it returns. Returns
 * FK_ENOTFOUND when dir holds no feed file, FK_EIO when it cannot be read.
 */
FK_API int fk_import_each(const char *dir,
                          int (*found)(const struct fk_feed *feed, const char *path, void *arg),
                          void *arg);

/*
 * Parses the n bytes at s as a value of column col into *out (s must stay alive while out is
 * used). Empty text gives out->present = 0, an error only for a required column.
 * Returns 0 or FK_EPARSE / FK_ERANGE / FK_EUTF8 / FK_ECHECKSUM / FK_ETOOLONG, reason in diag.
 */
FK_API int fk_value_parse(const struct fk_column *col, const char *s, size_t n,
                          struct fk_value *out, struct fk_diag *diag);

/* Returns 1 if the n bytes at s are valid UTF-8 (no overlongs, no surrogates), else 0. */
FK_API int fk_utf8_valid(const char *s, size_t n);

#endif
