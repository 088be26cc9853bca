/*
 * One request of the API, as the routes see it (http.c runs the cycle, routes.c finds the
 * route, route_*.c answer). A route is called once the body is gathered (state READING); a
 * route that hands work to the writer queues it (fk__req_queue) and is called again once the
 * writer is done (state ANSWERED) to give the answer.
 */
#ifndef FK_SERVER_REQUEST_H
#define FK_SERVER_REQUEST_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include "server/server.h"

struct fk__loop;
struct fk__aside;

struct fk__server {
  struct fk__writer *writer;
  struct fk__loop *loops; /* o->threads request loops, each its own daemon (http.c) */
  int quiesce, stop;      /* set once by the main thread: stop accepting; leave (atomics) */
  const struct fk_rules *rules;
  struct fk_store *reader; /* a second connection, for reads; under mu */
  pthread_mutex_t mu;
  struct fk__token_cache *tokens; /* the tokens seen lately (token_cache.c) */
  const struct fk__serve_opts *o;
  struct fk__tracing *tracing; /* the trace index, kept fresh (tracing.c) */
  struct fk__aside *aside;     /* the thread of long reads (aside.c) */
};

/* READING: the body comes; QUEUED: its write job waits for the turn's commit; ANSWERED: the job
 * is done; ASIDE: a long read runs on the aside thread (aside.c), the connection suspended;
 * ASIDE_DONE: that read is done, the connection resumed. */
enum fk__req_state { FK__READING, FK__QUEUED, FK__ANSWERED, FK__ASIDE, FK__ASIDE_DONE };

struct fk__req;

/* A route that takes its body as it comes rather than gathered (a feed): called with every
 * piece (*size bytes at data, *size set to 0 once taken) and at the end (*size 0). At the end
 * of a request it refused before it began, it sets r->stream to NULL: the request is then
 * answered by the routing (fk__route), as any other. */
typedef enum MHD_Result (*fk__stream_fn)(struct fk__req *r, const char *url, const char *method,
                                         const char *data, size_t *size);

/* What a connection remembers between its requests: the token its last request gave, whose
 * row is then known without hashing it again, until the row's life in the cache ends. */
struct fk__conn {
  char token[FK__TOKEN_BUFSZ];
  size_t n; /* bytes of token; 0: none */
  struct fk_token_row row;
  time_t until; /* fk__token_clock */
};

struct fk__req {
  struct fk__server *srv;
  struct fk__conn *conn; /* its connection's memory, or NULL */
  struct fk__loop *loop; /* the thread the request is served in */
  struct MHD_Connection *c;
  char *body; /* the gathered body (fk_malloc'd), len bytes, not NUL-terminated */
  size_t len, cap;
  int too_big;
  enum fk__req_state state;
  struct timespec start;
  int replied;               /* the committed check's answer was given to libmicrohttpd */
  int left;                  /* the connection ended with the job still queued: freed when done */
  char *pending;             /* a read's answer, given once its audit row is committed (free()) */
  struct fk_token_row token; /* who asks, once authenticated */
  struct fk__job job;
  fk__stream_fn stream;                   /* the route takes its body as it comes; or NULL */
  unsigned stream_status;                 /* stream: fk__route_allowed's answer at its start */
  void *stream_state;                     /* such a route's own state */
  void (*stream_free)(struct fk__req *r); /* frees it when the request ends */
  void (*aside_run)(struct fk__req *r);   /* the long read fk__req_aside runs */
  struct fk__req *aside_next;             /* the aside thread's queue */
  struct {                                /* GET /v1/persons/{id}/contacts, asked aside */
    char person_id[FK__ID_MAX + 1];
    fk_time now;
    int depth, merge, rc;
  } contacts;
};

typedef enum MHD_Result (*fk__route_fn)(struct fk__req *r, const char *url);

/* ---- answers (reply.c); each returns MHD_NO only when the answer could not be queued ---- */

/* Queues status with body (len bytes, copied) of content type ctype. */
enum MHD_Result fk__answer(struct fk__req *r, unsigned status, const char *ctype, const char *body,
                           size_t len);

/* As fk__answer, handing body (malloc'd; libmicrohttpd free()s it, even on failure) over
 * without a copy: for answers that may be large. */
enum MHD_Result fk__answer_owned(struct fk__req *r, unsigned status, const char *ctype, char *body,
                                 size_t len);

/* Queues o (stolen; NULL: out of memory, MHD_NO) as JSON of content type ctype. */
enum MHD_Result fk__answer_json(struct fk__req *r, unsigned status, json_t *o, const char *ctype);

/* An RFC 9457 problem, {"type", "title", "status", "detail", "instance": url}, to which a
 * route may add members. Returns a new reference, or NULL when out of memory. */
json_t *fk__problem_json(unsigned status, const char *url, const char *detail);

/* Queues an RFC 9457 problem: {"type", "title", "status", "detail", "instance": url}. */
enum MHD_Result fk__problem(struct fk__req *r, unsigned status, const char *url, const char *fmt,
                            ...) __attribute__((format(printf, 4, 5)));

/* Queues the problem for a failed job or read: 404 for FK_ENOTFOUND, 422 for FK_EINVAL,
 * else 503 (the detail then prefixed by what, when not NULL), the detail from diag. */
enum MHD_Result fk__problem_rc(struct fk__req *r, const char *url, int rc,
                               const struct fk_diag *diag, const char *what);

/* Fills who asks (the token), from where (the client's address) and when (the clock). */
void fk__who(struct fk__req *r, struct fk_audit_row *a);

/* Queues r->job (kind and fields set by the caller) in the request's loop, which commits it
 * when its turn ends; the route is called again in state FK__ANSWERED in the next turn. */
enum MHD_Result fk__req_queue(struct fk__req *r);

/* Queues job in loop l, whose thread (the caller's) commits it with the rest of its turn's
 * jobs when the turn ends (http.c; the queue in completion.c). */
void fk__loop_queue(struct fk__loop *l, struct fk__job *job);

/* Runs run(r) on the aside thread with r's connection suspended, so that a long read (a
 * depth-2 trace of a large cluster) does not hold the loop's other connections; then resumes
 * it, and the route is called again in state FK__ASIDE_DONE (aside.c). */
enum MHD_Result fk__req_aside(struct fk__req *r, void (*run)(struct fk__req *r));

/* Starts the aside thread into *out; 0, FK_ENOMEM or FK_EIO. Stop finishes what is queued
 * (each read run and its connection resumed) before it returns; NULL is fine. */
int fk__aside_start(struct fk__aside **out);
void fk__aside_stop(struct fk__aside *a);

/* Ends r (completion.c), once libmicrohttpd is done with its connection and its job, if any,
 * is. */
void fk__req_end(struct fk__req *r);

/* Queues r->pending (the answer, set by the caller) to be given once an audit row for action
 * on object is committed. */
enum MHD_Result fk__req_audited(struct fk__req *r, const char *action, const char *object);

/* Reads the query argument name as a time into *t (FK_TIME_NONE when absent). Returns 0, or
 * -1 when it is not an ISO 8601 time with its offset (then answer with FK__BAD_TIME). */
int fk__arg_time(struct fk__req *r, const char *name, fk_time *t);
#define FK__BAD_TIME "must be an ISO 8601 time with its offset"

/* ---- routes (routes.c) ---- */

/* Answers the complete request r: 404 for an unknown path, 405 for a known path's other
 * methods, 413 for a body over the cap, 401/403 without a token that may use the route. */
enum MHD_Result fk__route(struct fk__req *r, const char *url, const char *method);

/* The route that takes its body as it comes for url and method, or NULL (the body is then
 * gathered, capped, and the route called once it is complete). */
fk__stream_fn fk__route_stream(const char *url, const char *method);

/* What fk__route would answer for r before its route is called: 0 when the route exists and
 * the token may use it (r->token then filled), else the status (401, 403, 404, 405). */
unsigned fk__route_allowed(struct fk__req *r, const char *url, const char *method);

/* The routes' handlers (route_*.c). */
enum MHD_Result fk__route_health(struct fk__req *r, const char *url);
enum MHD_Result fk__route_metrics(struct fk__req *r, const char *url);
enum MHD_Result fk__route_openapi(struct fk__req *r, const char *url);
enum MHD_Result fk__route_entrance(struct fk__req *r, const char *url);
enum MHD_Result fk__route_person(struct fk__req *r, const char *url);
enum MHD_Result fk__route_areas(struct fk__req *r, const char *url);
enum MHD_Result fk__route_tasks(struct fk__req *r, const char *url);
enum MHD_Result fk__route_task_ack(struct fk__req *r, const char *url);
enum MHD_Result fk__route_task_done(struct fk__req *r, const char *url);
enum MHD_Result fk__route_task_fail(struct fk__req *r, const char *url);
enum MHD_Result fk__route_alerts(struct fk__req *r, const char *url);
enum MHD_Result fk__route_alert_verify(struct fk__req *r, const char *url);
enum MHD_Result fk__route_briefing(struct fk__req *r, const char *url);
enum MHD_Result fk__route_feed(struct fk__req *r, const char *url);
enum MHD_Result fk__route_feed_piece(struct fk__req *r, const char *url, const char *method,
                                     const char *data, size_t *size);
enum MHD_Result fk__route_contacts(struct fk__req *r, const char *url);

#endif
