/* Answers of the API: JSON, problem details, and the hand-over of a request to the writer. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "server/request.h"

/* Queues resp (destroyed here; NULL: out of memory, MHD_NO) with its headers. */
static enum MHD_Result queue(struct fk__req *r, unsigned status, const char *ctype,
                             struct MHD_Response *resp)
{
  enum MHD_Result ok;
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  if (status == MHD_HTTP_METHOD_NOT_ALLOWED || status == MHD_HTTP_CONTENT_TOO_LARGE)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  if (status == MHD_HTTP_UNAUTHORIZED)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"fangkong\"");
  ok = MHD_queue_response(r->c, status, resp);
  MHD_destroy_response(resp);
  if (ok == MHD_YES) fk__metric_add(&fk__metrics.requests[status / 100 % 6], 1);
  return ok;
}

enum MHD_Result fk__answer(struct fk__req *r, unsigned status, const char *ctype, const char *body,
                           size_t len)
{
  return queue(r, status, ctype,
               MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY));
}

enum MHD_Result fk__answer_owned(struct fk__req *r, unsigned status, const char *ctype, char *body,
                                 size_t len)
{
  struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
  if (!resp) free(body);
  return queue(r, status, ctype, resp);
}

enum MHD_Result fk__answer_json(struct fk__req *r, unsigned status, json_t *o, const char *ctype)
{
  char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
  enum MHD_Result ok;
  json_decref(o);
  if (!text) return MHD_NO;
  ok = fk__answer(r, status, ctype, text, strlen(text));
  free(text); /* jansson's */
  return ok;
}

json_t *fk__problem_json(unsigned status, const char *url, const char *detail)
{
  const char *title = MHD_get_reason_phrase_for(status);
  return json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title",
                   title && *title ? title : "Error", "status", (int)status, "detail", detail,
                   "instance", url);
}

enum MHD_Result fk__problem(struct fk__req *r, unsigned status, const char *url, const char *fmt,
                            ...)
{
  char detail[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  return fk__answer_json(r, status, fk__problem_json(status, url, detail),
                         "application/problem+json");
}

enum MHD_Result fk__problem_rc(struct fk__req *r, const char *url, int rc,
                               const struct fk_diag *diag, const char *what)
{
  char msg[1024];
  unsigned status = rc == FK_ENOTFOUND ? MHD_HTTP_NOT_FOUND
                    : rc == FK_EINVAL  ? MHD_HTTP_UNPROCESSABLE_CONTENT
                                       : MHD_HTTP_SERVICE_UNAVAILABLE;
  fk_diag_format(diag, msg, sizeof msg);
  if (status != MHD_HTTP_SERVICE_UNAVAILABLE || !what)
    return fk__problem(r, status, url, "%s", msg);
  return fk__problem(r, status, url, "%s: %s", what, msg);
}

void fk__who(struct fk__req *r, struct fk_audit_row *a)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(r->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = ci ? ci->client_addr : NULL;
  memset(a, 0, sizeof *a);
  a->at = (fk_time)time(NULL);
  a->token = r->token.id;
  a->role = r->token.role;
  snprintf(a->peer, sizeof a->peer, "unknown");
  if (sa && sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, a->peer, sizeof a->peer);
  else if (sa && sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, a->peer, sizeof a->peer);
}

/* The writer's callback, in the request's own loop: the job's batch committed, so the route,
 * called again in the loop's next turn, answers; or the client left meanwhile (a check then
 * stored with nobody to tell). */
static void job_done(struct fk__job *job)
{
  struct fk__req *r = job->arg;
  r->state = FK__ANSWERED;
  if (!r->left) return;
  if (!r->job.rc && r->job.kind == FK__JOB_CHECK) fk__metric_add(&fk__metrics.checks_unanswered, 1);
  fk__req_end(r);
}

enum MHD_Result fk__req_queue(struct fk__req *r)
{
  r->job.done = job_done;
  r->job.arg = r;
  r->state = FK__QUEUED;
  fk__loop_queue(r->loop, &r->job);
  return MHD_YES;
}

enum MHD_Result fk__req_audited(struct fk__req *r, const char *action, const char *object)
{
  fk__who(r, &r->job.audit);
  snprintf(r->job.audit.action, sizeof r->job.audit.action, "%s", action);
  snprintf(r->job.audit.object, sizeof r->job.audit.object, "%s", object);
  r->job.kind = FK__JOB_AUDIT;
  return fk__req_queue(r);
}

int fk__arg_time(struct fk__req *r, const char *name, fk_time *t)
{
  const char *v = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, name);
  *t = FK_TIME_NONE;
  return v && fk_time_parse(v, strlen(v), t, NULL) ? -1 : 0;
}
