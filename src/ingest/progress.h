/*
 * A progress bar for a terminal: bytes done, rows/s and time left, redrawn at most a few times
 * a second. The clock is read here only for display; no result depends on it.
 */
#ifndef FK_INGEST_PROGRESS_H
#define FK_INGEST_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

struct fk__progress {
  FILE *out; /* NULL: draw nothing */
  const char *label;
  size_t total;
  double start, last;
};

void fk__progress_start(struct fk__progress *p, FILE *out, const char *label, size_t total);
/* Redraws when enough time has passed since the last draw. */
void fk__progress_update(struct fk__progress *p, size_t done, long rows);
/* Clears the bar's line. */
void fk__progress_end(struct fk__progress *p);

#endif
