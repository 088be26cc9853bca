/* A store opened for tracing (see traced.h). */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/trace.h"

int fk__ruled_open(struct fk__traced *t, const char *db, const char *rules_path)
{
  struct fk_diag diag;
  char msg[1024];
  memset(t, 0, sizeof *t);
  fk_diag_clear(&diag);
  if (rules_path ? fk_rules_load(rules_path, &t->rules, NULL, NULL, &diag)
                 : fk_rules_default(&t->rules))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if (access(db, F_OK)) return fk__fail("no store at %s", db);
  if (fk_store_open(db, &t->st, &diag))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  return FK_EXIT_OK;
}

int fk__traced_open(struct fk__traced *t, const char *db, const char *rules_path)
{
  struct fk_diag diag;
  char msg[1024];
  int rc = fk__ruled_open(t, db, rules_path);
  fk_diag_clear(&diag);
  if (!rc && fk_trace_index_build(t->st, &t->rules, &t->ix, &diag))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  return rc;
}

void fk__traced_close(struct fk__traced *t)
{
  fk_trace_index_free(t->ix);
  fk_store_close(t->st);
  t->ix = NULL;
  t->st = NULL;
}

struct first_open {
  const struct fk_trace_index *ix;
  const char *name;
};

/* A window that ends at the `now` it was given belongs to a case not isolated. */
static void check_isolated(void *arg, int64_t person)
{
  struct first_open *f = arg;
  fk_time start, end;
  if (!f->name && !fk_trace_window(f->ix, person, FK_TIME_NONE, &start, &end) &&
      end == FK_TIME_NONE)
    f->name = fk_trace_person_id(f->ix, person);
}

const char *fk__traced_unisolated(const struct fk__traced *t)
{
  struct first_open f = {t->ix, NULL};
  fk_trace_each_case(t->ix, check_isolated, &f);
  return f.name;
}
