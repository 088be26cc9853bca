/*
 * Tracing ahead: a list of cases traced in order on a second thread while the calling thread
 * saves and prints the one before (a depth-2 answer costs about as much to print as to trace;
 * the machine has more than one core). Results reach the caller in the list's order.
 */
#ifndef FK_CLI_TRACE_AHEAD_H
#define FK_CLI_TRACE_AHEAD_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/time.h"

struct fk_diag;
struct fk_trace_index;
struct fk_trace_result;

/* What is done with each case on the calling thread, in the list's order. */
struct fk__ahead_fns {
  /* Before case i is handed over: a non-zero exit status stops everything (checks first). */
  int (*check)(void *arg, size_t i);
  /* Case i traced: rc and diag as fk_trace_case_threads gave them, r its result (borrowed until
     the call returns). A non-zero exit status stops everything. */
  int (*take)(void *arg, size_t i, int rc, const struct fk_diag *diag,
              const struct fk_trace_result *r);
  void *arg;
};

/*
 * Traces persons[0..n) (0: not traced, check says why) as of now at depth, each on a second
 * thread one case ahead (and `threads` - 1 more of its own: fk_trace_case_threads), calling
 * fns->check then fns->take for each on this thread in order. Returns the first non-zero exit
 * status of check or take (the rest is not traced), or FK_EXIT_ERROR when no thread can be started
 * (said on stderr), else FK_EXIT_OK.
 */
int fk__trace_ahead(const struct fk_trace_index *ix, const int64_t *persons, size_t n, fk_time now,
                    int depth, int threads, const struct fk__ahead_fns *fns);

#endif
