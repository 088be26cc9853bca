/* The tasks (任务) of the units: GET /v1/tasks, POST /v1/tasks/{id}/ack and /done. Changes go
 * through the writer with their audit row. */
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/tasks.h"
#include "server/request.h"

struct task_list {
  struct fk_store *st;
  const struct fk_token_row *token; /* who asks */
  json_t *out;
};

static int list_task(void *arg, const struct fk_task_row *t)
{
  struct task_list *l = arg;
  json_t *o = NULL;
  int in, rc = fk__token_sees_task(l->st, l->token, t, &in);
  if (rc || !in) return rc;
  if ((rc = fk__task_json(l->st, t, &o))) return rc;
  return json_array_append_new(l->out, o) ? FK_ENOMEM : 0;
}

/* Sets f->status from the status argument's name; -1 when it names none. */
static int status_arg(const char *status, struct fk_task_filter *f)
{
  if (!status) return 0;
  int i = fk_vocab_index(fk_task_statuses, status);
  if (i < 0) return -1;
  f->status = i;
  return 0;
}

/* GET /v1/tasks[?unit=U][&status=S]: those of the token's node only; unit is a unit exactly
 * or a region code (as `fangkong task list --unit`). */
enum MHD_Result fk__route_tasks(struct fk__req *r, const char *url)
{
  const char *unit = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "unit"),
             *status = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "status");
  struct fk_task_filter f = {0, 0, 0, 0, -1, unit, 0};
  struct task_list l = {r->srv->reader, &r->token, NULL};
  int rc;
  if (status_arg(status, &f))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url,
                       "status: one of created, due, acknowledged, done, failed, cancelled");
  if (!(l.out = json_array())) return MHD_NO;
  pthread_mutex_lock(&r->srv->mu);
  rc = fk_store_each_task(r->srv->reader, &f, list_task, &l);
  pthread_mutex_unlock(&r->srv->mu);
  if (rc) {
    json_decref(l.out);
    return fk__problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, url, "listing tasks: %s", fk_strerror(rc));
  }
  return fk__answer_json(r, MHD_HTTP_OK, l.out, "application/json");
}

/* The answer to a task's change, once committed: 409 for a change the task's status forbids. */
static enum MHD_Result task_answer(struct fk__req *r, const char *url)
{
  char msg[1024];
  if (r->job.rc == FK_EINVAL)
    return fk__problem(r, MHD_HTTP_CONFLICT, url, "%s",
                       fk_diag_format(&r->job.diag, msg, sizeof msg));
  if (r->job.rc) return fk__problem_rc(r, url, r->job.rc, &r->job.diag, NULL);
  return fk__answer(r, MHD_HTTP_OK, "application/json", r->job.answer, strlen(r->job.answer));
}

/* Queues a change of the task in the url (/v1/tasks/{id}/...) for the writer. */
static enum MHD_Result task_change(struct fk__req *r, const char *url, int kind)
{
  const char *id = url + strlen("/v1/tasks/");
  char *end;
  long long task = strtoll(id, &end, 10);
  if (r->state == FK__ANSWERED) return task_answer(r, url);
  if (end == id || *end != '/' || task <= 0)
    return fk__problem(r, MHD_HTTP_NOT_FOUND, url, "no task %.*s", (int)strcspn(id, "/"), id);
  fk__who(r, &r->job.audit);
  snprintf(r->job.audit.action, sizeof r->job.audit.action, "POST /v1/tasks/{id}/%s",
           kind == FK__JOB_ACK    ? "ack"
           : kind == FK__JOB_DONE ? "done"
                                  : "fail");
  snprintf(r->job.audit.object, sizeof r->job.audit.object, "task %lld", task);
  r->job.kind = kind;
  r->job.task = task;
  r->job.scope = r->token.scope;
  r->job.site = r->token.site;
  return fk__req_queue(r);
}

/* POST /v1/tasks/{id}/ack: the unit acknowledges the task (the server's clock). */
enum MHD_Result fk__route_task_ack(struct fk__req *r, const char *url)
{
  return task_change(r, url, FK__JOB_ACK);
}

/* Queues the closing of a task as done or failed, body {"proof"}: what shows it done, or why it
 * could not be done. */
static enum MHD_Result task_close(struct fk__req *r, const char *url, int kind)
{
  char why[512];
  if (r->state == FK__READING &&
      fk__task_body_parse(r->body, r->len, r->job.proof, sizeof r->job.proof, why, sizeof why))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "task %s: %s",
                       kind == FK__JOB_DONE ? "done" : "fail", why);
  return task_change(r, url, kind);
}

/* POST /v1/tasks/{id}/done, body {"proof"}: the unit did it (完成). */
enum MHD_Result fk__route_task_done(struct fk__req *r, const char *url)
{
  return task_close(r, url, FK__JOB_DONE);
}

/* POST /v1/tasks/{id}/fail, body {"proof"}: the unit could not do it (未能完成), and why. */
enum MHD_Result fk__route_task_fail(struct fk__req *r, const char *url)
{
  return task_close(r, url, FK__JOB_FAIL);
}
