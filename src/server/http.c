/*
 * The daemon: libmicrohttpd with a thread pool over epoll, answering under /v1. Each request
 * is answered in two phases (libmicrohttpd closes a keep-alive connection whose answer is
 * queued on the first call): the first call only allocates the request's state, later calls
 * gather the body (capped), the last one routes. A write suspends the connection until the
 * writer's batch commits, then resumes it to answer.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fangkong/alloc.h"
#include "fangkong/areas.h"
#include "fangkong/table.h"
#include "fangkong/tasks.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "server/server.h"

struct server {
  struct fk__writer *writer;
  const struct fk_rules *rules;
  struct fk_store *reader; /* a second connection, for reads (tokens); under mu */
  pthread_mutex_t mu;
  const struct fk__serve_opts *o;
};

enum req_state { READING, QUEUED, ANSWERED };

struct req {
  struct server *srv;
  struct MHD_Connection *c;
  char *body;
  size_t len, cap;
  int too_big;
  enum req_state state;
  struct timespec start;
  int replied;               /* the committed check's answer was given to libmicrohttpd */
  char *pending;             /* a read's answer, given once its audit row is committed */
  struct fk_token_row token; /* who asks, once authenticated */
  struct fk__job job;
};

typedef enum MHD_Result (*route_fn)(struct req *r, const char *url);

static enum MHD_Result health(struct req *r, const char *url);
static enum MHD_Result metrics(struct req *r, const char *url);
static enum MHD_Result openapi(struct req *r, const char *url);
static enum MHD_Result entrance(struct req *r, const char *url);
static enum MHD_Result person(struct req *r, const char *url);
static enum MHD_Result areas(struct req *r, const char *url);
static enum MHD_Result tasks(struct req *r, const char *url);
static enum MHD_Result task_ack(struct req *r, const char *url);
static enum MHD_Result task_done(struct req *r, const char *url);

/* The routes (fk__routes_print lists them; a test holds the OpenAPI document to them). */
#define ROLE(r) (1u << FK_ROLE_##r)
static const struct {
  const char *method, *path;
  route_fn fn;
  unsigned roles; /* bit (1u << enum fk_role) for each role allowed; 0: open to all */
} routes[] = {
    {"GET", "/v1/health", health, 0},
    {"GET", "/v1/metrics", metrics, 0},
    {"GET", "/v1/openapi.json", openapi, 0},
    {"POST", "/v1/entrance-checks", entrance, ROLE(CITY) | ROLE(ENTRANCE)},
    {"GET", "/v1/areas", areas, ~0u},
    {"GET", "/v1/tasks", tasks, ~ROLE(ENTRANCE)},
    {"POST", "/v1/tasks/{id}/ack", task_ack, ~ROLE(ENTRANCE)},
    {"POST", "/v1/tasks/{id}/done", task_done, ~ROLE(ENTRANCE)},
    {"GET", "/v1/persons/{id}", person,
     ROLE(CITY) | ROLE(DISTRICT) | ROLE(STREET) | ROLE(COMMUNITY) | ROLE(GRID) | ROLE(SITE) |
         ROLE(EPIDEMIOLOGIST)},
};
#define NROUTES (sizeof routes / sizeof routes[0])

void fk__routes_print(FILE *out)
{
  for (size_t i = 0; i < NROUTES; i++)
    fprintf(out, "%s %s\n", routes[i].method, routes[i].path);
}

/* ---- answers ------------------------------------------------------------------------------ */

/* Queues status with body (copied) of type ctype. */
static enum MHD_Result answer(struct req *r, unsigned status, const char *ctype, const char *body,
                              size_t len)
{
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
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

/* Answers o (stolen) as JSON. */
static enum MHD_Result answer_json(struct req *r, unsigned status, json_t *o, const char *ctype)
{
  char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
  enum MHD_Result ok;
  json_decref(o);
  if (!text) return MHD_NO;
  ok = answer(r, status, ctype, text, strlen(text));
  free(text);
  return ok;
}

/* An RFC 9457 problem: {"type", "title", "status", "detail", "instance"}. */
static enum MHD_Result problem(struct req *r, unsigned status, const char *url, const char *fmt,
                               ...) __attribute__((format(printf, 4, 5)));
static enum MHD_Result problem(struct req *r, unsigned status, const char *url, const char *fmt,
                               ...)
{
  char detail[1024];
  va_list ap;
  const char *title = MHD_get_reason_phrase_for(status);
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  return answer_json(r, status,
                     json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title",
                               title && *title ? title : "Error", "status", (int)status, "detail",
                               detail, "instance", url),
                     "application/problem+json");
}

/* ---- routes ------------------------------------------------------------------------------- */

static enum MHD_Result health(struct req *r, const char *url)
{
  (void)url;
  return answer_json(r, MHD_HTTP_OK, json_pack("{s:s, s:s}", "status", "ok", "version", "0.1.0"),
                     "application/json");
}

static enum MHD_Result metrics(struct req *r, const char *url)
{
  char buf[4096];
  size_t n = fk__metrics_text(buf, sizeof buf);
  (void)url;
  return answer(r, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", buf, n);
}

static enum MHD_Result openapi(struct req *r, const char *url)
{
  size_t n;
  const char *text = fk__openapi_text(&n);
  (void)url;
  return answer(r, MHD_HTTP_OK, "application/json", text, n);
}

/* Fills who asks (the token), from where (the client's address) and when (now). */
static void who(struct req *r, struct fk_audit_row *a)
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

/* The writer's callback: the check's batch committed; wake the connection to answer. */
static void check_done(struct fk__job *job)
{
  struct req *r = job->arg;
  r->state = ANSWERED;
  MHD_resume_connection(r->c);
}

/* The answer to a committed check. */
static enum MHD_Result check_answer(struct req *r, const char *url)
{
  char msg[1024];
  if (r->job.rc == FK_ENOTFOUND) /* unknown, or outside the token's scope: the same answer */
    return problem(r, MHD_HTTP_NOT_FOUND, url, "%s", fk_diag_format(&r->job.diag, msg, sizeof msg));
  if (r->job.rc == FK_EINVAL)
    return problem(r, MHD_HTTP_UNPROCESSABLE_CONTENT, url, "%s",
                   fk_diag_format(&r->job.diag, msg, sizeof msg));
  if (r->job.rc)
    return problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, url, "the check was not stored: %s",
                   fk_diag_format(&r->job.diag, msg, sizeof msg));
  fk__metric_add(&fk__metrics.checks, 1);
  r->replied = 1;
  return answer_json(r, MHD_HTTP_OK, fk__entrance_json(&r->job.result), "application/json");
}

static enum MHD_Result entrance(struct req *r, const char *url)
{
  char why[512];
  if (r->state == ANSWERED) return check_answer(r, url);
  if (fk__entrance_body_parse(r->body, r->len, &r->job.req, why, sizeof why))
    return problem(r, MHD_HTTP_BAD_REQUEST, url, "entrance check: %s", why);
  if (r->job.req.at == FK_TIME_NONE) r->job.req.at = (fk_time)time(NULL);
  r->job.scope = r->token.scope;
  who(r, &r->job.audit);
  r->job.done = check_done;
  r->job.arg = r;
  r->state = QUEUED;
  MHD_suspend_connection(r->c);
  fk__writer_post(r->srv->writer, &r->job);
  return MHD_YES;
}

/* GET /v1/persons/{id}[?now=T]: read under the reader's lock, answered once its audit row (a
 * read of a person) is committed by the writer. */
static enum MHD_Result person(struct req *r, const char *url)
{
  const char *id = url + strlen("/v1/persons/"),
             *now_text = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "now");
  fk_time now = FK_TIME_NONE;
  json_t *o = NULL;
  char msg[1024];
  int rc;
  if (r->state == ANSWERED) {
    if (r->job.rc)
      return problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, url, "the read was not audited: %s",
                     fk_diag_format(&r->job.diag, msg, sizeof msg));
    return answer(r, MHD_HTTP_OK, "application/json", r->pending, strlen(r->pending));
  }
  if (now_text && fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return problem(r, MHD_HTTP_BAD_REQUEST, url, "now: must be an ISO 8601 time with its offset");
  if (strlen(id) > FK__ID_MAX) return problem(r, MHD_HTTP_NOT_FOUND, url, "no person");
  fk_diag_clear(&r->job.diag);
  pthread_mutex_lock(&r->srv->mu);
  rc = fk__person_read(r->srv->reader, r->srv->rules, id, &r->token, now, &o, &r->job.diag);
  pthread_mutex_unlock(&r->srv->mu);
  if (rc == FK_ENOTFOUND) return problem(r, MHD_HTTP_NOT_FOUND, url, "no person %s", id);
  if (rc)
    return problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, url, "%s",
                   fk_diag_format(&r->job.diag, msg, sizeof msg));
  r->pending = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!r->pending) return MHD_NO;
  who(r, &r->job.audit);
  snprintf(r->job.audit.action, sizeof r->job.audit.action, "GET /v1/persons/{id}");
  snprintf(r->job.audit.object, sizeof r->job.audit.object, "person %s", id);
  r->job.kind = FK__JOB_AUDIT;
  r->job.done = check_done;
  r->job.arg = r;
  r->state = QUEUED;
  MHD_suspend_connection(r->c);
  fk__writer_post(r->srv->writer, &r->job);
  return MHD_YES;
}

/* The risk areas as `fangkong area list --format json` prints them, into a new buffer. */
static int areas_text(struct req *r, fk_date d, char **text, size_t *n, struct fk_diag *diag)
{
  static const char *const cols[] = {"area_id", "level", "since", "lifts_on", "reason"};
  struct fk_areas as;
  struct fk_table *t = NULL;
  FILE *f = NULL;
  int rc;
  memset(&as, 0, sizeof as);
  pthread_mutex_lock(&r->srv->mu);
  rc = fk_areas_load(r->srv->reader, &as, diag);
  pthread_mutex_unlock(&r->srv->mu);
  if (!rc && (!(t = fk_table_new(5, cols)) || fk__areas_fill(&as, d, 0, r->srv->rules, t) ||
              !(f = open_memstream(text, n))))
    rc = FK_ENOMEM;
  if (!rc) fk_table_print(t, FK_FORMAT_JSON, NULL, f);
  if (f && fclose(f)) rc = FK_ENOMEM;
  fk_table_free(t);
  fk_areas_free(&as);
  return rc;
}

/* GET /v1/areas[?now=T]: the risk areas (风险区) in force; public to every role. */
static enum MHD_Result areas(struct req *r, const char *url)
{
  const char *now_text = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "now");
  fk_time now = FK_TIME_NONE;
  char *text = NULL, msg[1024];
  size_t n = 0;
  enum MHD_Result ok;
  int rc;
  if (now_text && fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return problem(r, MHD_HTTP_BAD_REQUEST, url, "now: must be an ISO 8601 time with its offset");
  fk_diag_clear(&r->job.diag);
  rc = areas_text(r, now == FK_TIME_NONE ? FK_DATE_NONE : fk_time_date(now), &text, &n,
                  &r->job.diag);
  if (rc) {
    free(text);
    return problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, url, "%s",
                   fk_diag_format(&r->job.diag, msg, sizeof msg));
  }
  ok = answer(r, MHD_HTTP_OK, "application/json", text, n);
  free(text); /* open_memstream's */
  return ok;
}

struct task_list {
  struct fk_store *st;
  int64_t scope; /* 0: the whole city */
  json_t *out;
};

static int list_task(void *arg, const struct fk_task_row *t)
{
  struct task_list *l = arg;
  json_t *o = NULL;
  int in, rc = fk__region_in(l->st, t->region, l->scope, &in);
  if (rc || !in) return rc;
  if ((rc = fk__task_json(l->st, t, &o))) return rc;
  return json_array_append_new(l->out, o) ? FK_ENOMEM : 0;
}

/* GET /v1/tasks[?unit=U][&status=S]: the tasks (任务) of the units, those of the token's node
 * only; unit is a unit exactly or a region code (as `fangkong task list --unit`). */
static enum MHD_Result tasks(struct req *r, const char *url)
{
  const char *unit = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "unit"),
             *status = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "status");
  struct fk_task_filter f = {0, 0, 0, 0, -1, unit, 0};
  struct task_list l = {r->srv->reader, r->token.scope, json_array()};
  int rc;
  if (status) {
    while (fk_task_statuses[++f.status] && strcmp(fk_task_statuses[f.status], status))
      ;
    if (!fk_task_statuses[f.status]) {
      json_decref(l.out);
      return problem(r, MHD_HTTP_BAD_REQUEST, url,
                     "status: one of created, due, acknowledged, done, failed, cancelled");
    }
  }
  if (!l.out) return MHD_NO;
  pthread_mutex_lock(&r->srv->mu);
  rc = fk_store_each_task(r->srv->reader, &f, list_task, &l);
  pthread_mutex_unlock(&r->srv->mu);
  if (rc) {
    json_decref(l.out);
    return problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, url, "listing tasks: %s", fk_strerror(rc));
  }
  return answer_json(r, MHD_HTTP_OK, l.out, "application/json");
}

/* The answer to a task's change, once committed. */
static enum MHD_Result task_answer(struct req *r, const char *url)
{
  char msg[1024];
  int rc = r->job.rc;
  fk_diag_format(&r->job.diag, msg, sizeof msg);
  if (rc == FK_ENOTFOUND) return problem(r, MHD_HTTP_NOT_FOUND, url, "%s", msg);
  if (rc == FK_EINVAL) return problem(r, MHD_HTTP_CONFLICT, url, "%s", msg);
  if (rc) return problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, url, "%s", msg);
  return answer(r, MHD_HTTP_OK, "application/json", r->job.answer, strlen(r->job.answer));
}

/* Queues a change of the task in the url (/v1/tasks/{id}/...) for the writer. */
static enum MHD_Result task_change(struct req *r, const char *url, int kind)
{
  const char *id = url + strlen("/v1/tasks/");
  char *end;
  long long task = strtoll(id, &end, 10);
  if (r->state == ANSWERED) return task_answer(r, url);
  if (end == id || *end != '/' || task <= 0)
    return problem(r, MHD_HTTP_NOT_FOUND, url, "no task %.*s", (int)strcspn(id, "/"), id);
  who(r, &r->job.audit);
  snprintf(r->job.audit.action, sizeof r->job.audit.action, "POST /v1/tasks/{id}/%s",
           kind == FK__JOB_ACK ? "ack" : "done");
  snprintf(r->job.audit.object, sizeof r->job.audit.object, "task %lld", task);
  r->job.kind = kind;
  r->job.task = task;
  r->job.scope = r->token.scope;
  r->job.done = check_done;
  r->job.arg = r;
  r->state = QUEUED;
  MHD_suspend_connection(r->c);
  fk__writer_post(r->srv->writer, &r->job);
  return MHD_YES;
}

/* POST /v1/tasks/{id}/ack: the unit acknowledges the task (the server's clock). */
static enum MHD_Result task_ack(struct req *r, const char *url)
{
  return task_change(r, url, FK__JOB_ACK);
}

/* POST /v1/tasks/{id}/done, body {"proof"}: the unit did it. */
static enum MHD_Result task_done(struct req *r, const char *url)
{
  char why[512];
  if (r->state == READING &&
      fk__task_body_parse(r->body, r->len, r->job.proof, sizeof r->job.proof, why, sizeof why))
    return problem(r, MHD_HTTP_BAD_REQUEST, url, "task done: %s", why);
  return task_change(r, url, FK__JOB_DONE);
}

/* ---- the request cycle -------------------------------------------------------------------- */

/* Finds the Bearer token's row into r->token: 0, or 401 (no token, or not one of ours) or 403
 * (a role the route does not serve) as the HTTP status to answer. */
static unsigned authenticate(struct req *r, unsigned roles)
{
  const char *v = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  char hash[FK_TOKEN_HASH_BUFSZ];
  int rc;
  if (!v || strncmp(v, "Bearer ", 7) || fk__token_hash(v + 7, strlen(v + 7), hash))
    return MHD_HTTP_UNAUTHORIZED;
  pthread_mutex_lock(&r->srv->mu);
  rc = fk_store_token(r->srv->reader, hash, &r->token);
  pthread_mutex_unlock(&r->srv->mu);
  if (rc) return MHD_HTTP_UNAUTHORIZED;
  return roles & (1u << r->token.role) ? 0 : MHD_HTTP_FORBIDDEN;
}

/* Authenticates (when the route asks for it), then answers route i. */
static enum MHD_Result serve_route(struct req *r, size_t i, const char *url)
{
  unsigned status = routes[i].roles && r->state == READING ? authenticate(r, routes[i].roles) : 0;
  if (status == MHD_HTTP_UNAUTHORIZED)
    return problem(r, status, url, "give a valid token: Authorization: Bearer TOKEN");
  if (status)
    return problem(r, status, url, "a %s token may not use %s %s", fk_roles[r->token.role],
                   routes[i].method, routes[i].path);
  return routes[i].fn(r, url);
}

/* 1 when url is the route's path, a "{id}" standing for one non-empty segment. */
static int path_matches(const char *path, const char *url)
{
  const char *param = strstr(path, "{id}"), *rest;
  size_t n = param ? (size_t)(param - path) : 0;
  if (!param) return !strcmp(path, url);
  if (strncmp(path, url, n) || !url[n] || url[n] == '/') return 0;
  rest = url + n + strcspn(url + n, "/");
  return !strcmp(rest, param + 4);
}

/* Routes a complete request: 404 for an unknown path, 405 for a known path's other methods. */
static enum MHD_Result route(struct req *r, const char *url, const char *method)
{
  int path_known = 0;
  for (size_t i = 0; i < NROUTES; i++) {
    if (!path_matches(routes[i].path, url)) continue;
    path_known = 1;
    if (!strcmp(method, routes[i].method)) {
      if (r->too_big)
        return problem(r, MHD_HTTP_CONTENT_TOO_LARGE, url, "the body is larger than %zu bytes",
                       r->srv->o->max_body);
      return serve_route(r, i, url);
    }
  }
  if (path_known)
    return problem(r, MHD_HTTP_METHOD_NOT_ALLOWED, url, "%s is not allowed here", method);
  return problem(r, MHD_HTTP_NOT_FOUND, url, "no such resource");
}

/* Keeps up to max_body bytes of the body; past that only notes it was too big. */
static void gather(struct req *r, const char *data, size_t n)
{
  size_t max = r->srv->o->max_body;
  if (r->too_big || r->len + n > max) {
    r->too_big = 1;
    return;
  }
  if (r->len + n > r->cap) {
    size_t cap = r->cap ? r->cap : 512;
    char *p;
    while (cap < r->len + n)
      cap *= 2;
    if (cap > max) cap = max;
    if (!(p = fk_realloc(r->body, cap))) {
      r->too_big = 1; /* out of memory: answered as too large rather than half-read */
      return;
    }
    r->body = p;
    r->cap = cap;
  }
  memcpy(r->body + r->len, data, n);
  r->len += n;
}

/* The first call of a request: its state only (the two-phase pattern). */
static enum MHD_Result begin(struct server *srv, struct MHD_Connection *c, void **con_cls)
{
  struct req *r = fk_calloc(1, sizeof *r);
  if (!r) return MHD_NO;
  r->srv = srv;
  r->c = c;
  clock_gettime(CLOCK_MONOTONIC, &r->start);
  *con_cls = r;
  fk__metric_add(&fk__metrics.inflight, 1);
  return MHD_YES;
}

/* 1 when the request announces a body longer than the cap. */
static int over_cap(struct req *r)
{
  const char *v =
      MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  char *end;
  unsigned long long n;
  if (!v || r->len) return 0;
  n = strtoull(v, &end, 10);
  return end != v && n > r->srv->o->max_body;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
  struct req *r = *con_cls;
  (void)version;
  if (!r) return begin(cls, c, con_cls);
  if (!*data_size && !r->too_big && over_cap(r)) {
    r->too_big = 1; /* announced too large: answered now, the connection closed, nothing read */
    return route(r, url, method);
  }
  if (r->state == QUEUED) return MHD_YES; /* resumed before the answer was ready: never here */
  if (*data_size) {
    gather(r, data, *data_size);
    *data_size = 0;
    return MHD_YES;
  }
  return route(r, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
  struct req *r = *con_cls;
  struct timespec end;
  (void)cls, (void)c, (void)why;
  if (!r) return;
  if (r->state == ANSWERED && !r->replied && !r->job.rc && r->job.kind == FK__JOB_CHECK) /* left */
    fk__metric_add(&fk__metrics.checks_unanswered, 1);
  clock_gettime(CLOCK_MONOTONIC, &end);
  fk__metric_add(&fk__metrics.latency_us, (uint64_t)((end.tv_sec - r->start.tv_sec) * 1000000 +
                                                     (end.tv_nsec - r->start.tv_nsec) / 1000));
  fk__metric_add(&fk__metrics.inflight, (uint64_t)-1);
  free(r->pending); /* jansson's */
  free(r->job.answer);
  fk_free(r->body);
  fk_free(r);
  *con_cls = NULL;
}

/* ---- start, drain, stop ------------------------------------------------------------------- */

static struct MHD_Daemon *start(struct server *srv, const struct fk__serve_opts *o)
{
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)o->port);
  if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1) {
    fprintf(stderr, "fangkong serve: %s is not an IPv4 address\n", o->host);
    return NULL;
  }
  return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                              MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
                          (uint16_t)o->port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
                          &addr, MHD_OPTION_THREAD_POOL_SIZE, o->threads,
                          MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
                          MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s, MHD_OPTION_NOTIFY_COMPLETED,
                          on_completed, srv, MHD_OPTION_END);
}

/* Waits (up to the connection timeout) for the requests in flight to be answered. */
static void drain(const struct fk__serve_opts *o)
{
  struct timespec nap = {0, 10 * 1000 * 1000};
  for (unsigned i = 0; i < o->timeout_s * 100 + 100; i++) {
    if (!__atomic_load_n(&fk__metrics.inflight, __ATOMIC_RELAXED)) return;
    nanosleep(&nap, NULL);
  }
}

int fk__serve(struct fk_store *st, struct fk_store *reader, const struct fk_rules *rules,
              const struct fk__serve_opts *o)
{
  struct server srv = {.reader = reader, .rules = rules, .o = o};
  struct MHD_Daemon *d = NULL;
  const union MHD_DaemonInfo *info;
  sigset_t stop;
  int sig, rc;
  assert(st && reader && rules && o);
  pthread_mutex_init(&srv.mu, NULL);
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL); /* every thread started below inherits it */
  signal(SIGPIPE, SIG_IGN);
  if ((rc = fk__writer_start(st, rules, &srv.writer))) {
    pthread_mutex_destroy(&srv.mu);
    return rc;
  }
  if (!(d = start(&srv, o))) {
    fprintf(stderr, "fangkong serve: cannot listen on %s:%u\n", o->host, o->port);
    rc = FK_EIO;
    goto out;
  }
  info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  printf("listening on http://%s:%u\n", o->host, info ? (unsigned)info->port : o->port);
  fflush(stdout);
  sigwait(&stop, &sig);
  fprintf(stderr, "fangkong serve: %s: draining\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  MHD_quiesce_daemon(d);
  drain(o);
out:
  if (d) MHD_stop_daemon(d);
  fk__writer_stop(srv.writer);
  pthread_mutex_destroy(&srv.mu);
  if (!rc)
    fprintf(stderr,
            "fangkong serve: stopped; %llu entrance checks answered 200, %llu stored whose "
            "client left before its answer\n",
            (unsigned long long)fk__metrics.checks,
            (unsigned long long)fk__metrics.checks_unanswered);
  return rc;
}
