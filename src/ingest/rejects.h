/*
 * The rejects file beside an input: FILE.rejects.csv with columns line, column, reason, text
 * (the record as it stood). Opened on the first reject, so a clean run leaves none.
 */
#ifndef FK_INGEST_REJECTS_H
#define FK_INGEST_REJECTS_H

#include <stdio.h>

struct fk_diag;

struct fk__rejects {
  char path[4096];
  FILE *out;
};

/* Names the rejects file of input `path`; opens nothing yet. Returns 0 or FK_ETOOLONG. */
int fk__rejects_init(struct fk__rejects *rj, const char *path);
/* Appends one reject. Returns 0 or FK_EIO. */
int fk__rejects_add(struct fk__rejects *rj, long line, const struct fk_diag *why, const char *raw,
                    size_t rawlen);
/* Closes the file; when nothing was rejected, removes a stale one from an earlier run.
   Returns 0 or FK_EIO (a failed flush). */
int fk__rejects_close(struct fk__rejects *rj);

#endif
