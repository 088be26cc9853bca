/*
 * Printing traces: CSV rows or JSON, as they come or merged to one row per contact (lowest
 * degree, then latest last exposure: what measures are set from), and a summary per case on
 * stderr for the person at the console (unless quiet). `fangkong trace` prints to stdout; the
 * API's GET /v1/persons/{id}/contacts prints the same JSON into memory (open_memstream), so the
 * two answers are one code path and byte-equal.
 */
#ifndef FK_PRESENT_TRACE_OUT_H
#define FK_PRESENT_TRACE_OUT_H

#include <stdio.h>

#include "base/strmap.h"
#include "fangkong/trace.h"

struct fk__trace_out {
  const struct fk_trace_index *ix;
  int json, merge;
  int quiet; /* no summary on stderr (the API answers with the JSON alone) */
  FILE *f;
  long traces;
  struct fk__strmap best; /* merge: contact person -> index in rows */
  struct fk__merged *rows;
  size_t nrows, cap;
};

void fk__trace_out_init(struct fk__trace_out *o, const struct fk_trace_index *ix, int json,
                        int merge, FILE *f);
/* Prints (or, merging, keeps) one case's result; returns 0 or FK_ENOMEM. Borrows r. */
int fk__trace_out_add(struct fk__trace_out *o, const struct fk_trace_result *r);
/* Prints what is kept and closes the JSON; returns 0 or FK_EIO. */
int fk__trace_out_finish(struct fk__trace_out *o);
void fk__trace_out_free(struct fk__trace_out *o);

#endif
