/* What a token may see: a person, a task. */
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/tasks.h"
#include "server/server.h"

int fk__token_sees_person(struct fk_store *st, const struct fk_token_row *t, int64_t person,
                          int *in)
{
  *in = 1;
  if (t->site) return fk_store_person_at_site(st, person, t->site, in);
  return t->scope ? fk_store_person_in(st, person, t->scope, in) : 0;
}

int fk__token_sees_task(struct fk_store *st, const struct fk_token_row *t,
                        const struct fk_task_row *task, int *in)
{
  int64_t site = 0, grid;
  int rc;
  if (!t->site) return fk_store_region_in(st, task->region, t->scope, in);
  *in = 0;
  if ((rc = fk_store_site_by_code(st, task->unit, &site, &grid))) return rc;
  if (site == t->site) return *in = 1, 0;
  return task->person ? fk_store_person_at_site(st, task->person, t->site, in) : 0;
}
