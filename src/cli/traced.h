/*
 * A store opened for tracing: the rule set (built in, or --rules FILE), the store and the
 * trace index built over it. What `fangkong trace` and `fangkong chains` both start from.
 */
#ifndef FK_CLI_TRACED_H
#define FK_CLI_TRACED_H

#include "fangkong/rules.h"
#include "fangkong/time.h"

struct fk_store;
struct fk_trace_index;

struct fk__traced {
  struct fk_rules rules; /* the index borrows it: the struct must not move while open */
  struct fk_store *st;
  struct fk_trace_index *ix;
};

/*
 * Loads the rules (rules_path, or the built-in default when NULL), opens the store at db and
 * builds the index. Returns an exit status, having said what went wrong on stderr; close t
 * (fk__traced_close) either way.
 */
int fk__traced_open(struct fk__traced *t, const char *db, const char *rules_path);
void fk__traced_close(struct fk__traced *t);

/* As fk__traced_open without building the index (t->ix stays NULL). */
int fk__ruled_open(struct fk__traced *t, const char *db, const char *rules_path);

/* Returns the person_id of the first case not yet isolated (its window ends at --now), or NULL. */
const char *fk__traced_unisolated(const struct fk__traced *t);

#endif
