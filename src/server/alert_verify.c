/*
 * The writer's side of POST /v1/alerts/{id}/verify: the officer's judgement of an alert, as
 * `fangkong alert verify` records it (fk_alert_verify), with its audit row, in one savepoint.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "fangkong/alerts.h"
#include "fangkong/error.h"
#include "fangkong/token_store.h"
#include "server/server.h"

static int alert_row(void *arg, const struct fk_alert_row *a)
{
  *(struct fk_alert_row *)arg = *a;
  return 0;
}

/* The alert j->alert into *a when it lies in the job's node; else FK_ENOTFOUND, as for an
 * unknown alert (the officer learns nothing of alerts outside the node). */
static int alert_in_scope(struct fk_store *st, struct fk__job *j, struct fk_alert_row *a)
{
  struct fk_alert_filter f = {j->alert, -1, NULL, -1, 0, 0};
  int in = 0, rc;
  a->id = 0;
  if ((rc = fk_store_each_alert(st, &f, alert_row, a)) ||
      (a->id && (rc = fk_store_region_in(st, a->region, j->scope, &in))))
    return fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(st));
  return a->id && in
             ? 0
             : fk_diag_set(&j->diag, FK_ENOTFOUND, "id", "no alert %lld", (long long)j->alert);
}

/* The alert after, as JSON, into j->answer (open_memstream's: free()). */
static int answer(struct fk_store *st, struct fk__job *j)
{
  struct fk_alert_row a;
  size_t n = 0;
  FILE *f;
  int rc = alert_in_scope(st, j, &a);
  if (rc) return rc;
  if (!(f = open_memstream(&j->answer, &n)))
    return fk_diag_set(&j->diag, FK_ENOMEM, NULL, "out of memory");
  rc = fk__alert_print_json(f, st, &a);
  if (fclose(f) && !rc) rc = FK_ENOMEM;
  return rc ? fk_diag_set(&j->diag, rc, NULL, "writing the alert: %s", fk_strerror(rc)) : 0;
}

int fk__verify_run(struct fk_store *st, struct fk__job *j)
{
  struct fk_alert_row a;
  int rc;
  assert(st && j && j->kind == FK__JOB_VERIFY);
  if ((rc = alert_in_scope(st, j, &a))) return rc;
  if ((rc = fk_store_begin(st)))
    return fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(st));
  rc = fk_alert_verify(st, j->alert, (enum fk_alert_status)j->verdict, j->note[0] ? j->note : NULL,
                       j->audit.at, &j->diag);
  if (!rc && (rc = fk_store_put_audit(st, &j->audit)))
    fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(st));
  if (!rc) rc = answer(st, j);
  if (rc) {
    free(j->answer);
    j->answer = NULL;
    fk_store_rollback(st);
    return rc;
  }
  return fk_store_commit(st);
}
