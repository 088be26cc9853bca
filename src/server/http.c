/*
 * The daemon: libmicrohttpd with a thread pool over epoll, answering under /v1. Each request
 * is answered in two phases (libmicrohttpd closes a keep-alive connection whose answer is
 * queued on the first call): the first call only allocates the request's state, later calls
 * gather the body (capped), the last one routes (routes.c). A write suspends the connection
 * until the writer's batch commits, then resumes it to answer.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "server/request.h"

/* Keeps up to max_body bytes of the body; past that only notes it was too big. */
static void gather(struct fk__req *r, const char *data, size_t n)
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
static enum MHD_Result begin(struct fk__server *srv, struct MHD_Connection *c, const char *url,
                             const char *method, void **con_cls)
{
  struct fk__req *r = fk_calloc(1, sizeof *r);
  if (!r) return MHD_NO;
  r->srv = srv;
  r->c = c;
  r->stream = fk__route_stream(url, method);
  clock_gettime(CLOCK_MONOTONIC, &r->start);
  *con_cls = r;
  fk__metric_add(&fk__metrics.inflight, 1);
  return MHD_YES;
}

/* 1 when the request announces a body longer than the cap. */
static int over_cap(struct fk__req *r)
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
  struct fk__req *r = *con_cls;
  (void)version;
  if (!r) return begin(cls, c, url, method, con_cls);
  if (r->stream) return r->stream(r, url, method, data, data_size); /* a feed: as it comes */
  if (!*data_size && !r->too_big && over_cap(r)) {
    r->too_big = 1; /* announced too large: answered now, the connection closed, nothing read */
    return fk__route(r, url, method);
  }
  if (r->state == FK__QUEUED) return MHD_YES; /* resumed before the answer was ready: never here */
  if (*data_size) {
    gather(r, data, *data_size);
    *data_size = 0;
    return MHD_YES;
  }
  return fk__route(r, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
  struct fk__req *r = *con_cls;
  struct timespec end;
  (void)cls, (void)c, (void)why;
  if (!r) return;
  if (r->state == FK__ANSWERED && !r->replied && !r->job.rc &&
      r->job.kind == FK__JOB_CHECK) /* left */
    fk__metric_add(&fk__metrics.checks_unanswered, 1);
  clock_gettime(CLOCK_MONOTONIC, &end);
  fk__metric_add(&fk__metrics.latency_us, (uint64_t)((end.tv_sec - r->start.tv_sec) * 1000000 +
                                                     (end.tv_nsec - r->start.tv_nsec) / 1000));
  fk__metric_add(&fk__metrics.inflight, (uint64_t)-1);
  if (r->stream_free) r->stream_free(r);
  free(r->pending); /* jansson's */
  free(r->job.answer);
  fk_free(r->body);
  fk_free(r);
  *con_cls = NULL;
}

/* ---- start, drain, stop ------------------------------------------------------------------- */

static struct MHD_Daemon *start(struct fk__server *srv, const struct fk__serve_opts *o)
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

/* Builds the trace index (said on stderr: how many check-ins, how long). */
static int start_tracing(struct fk__server *srv)
{
  struct fk_diag diag;
  struct timespec a, b;
  char msg[1024];
  int rc;
  fk_diag_clear(&diag);
  clock_gettime(CLOCK_MONOTONIC, &a);
  if ((rc =
           fk__tracing_start(srv->o->db, srv->rules, srv->o->trace_gap_ms, &srv->tracing, &diag))) {
    fprintf(stderr, "fangkong serve: the trace index: %s\n",
            fk_diag_format(&diag, msg, sizeof msg));
    return rc;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  fprintf(stderr, "fangkong serve: trace index of %ld check-ins built in %.2f s\n",
          fk__tracing_checkins(srv->tracing),
          (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}

int fk__serve(struct fk_store *st, struct fk_store *reader, const struct fk_rules *rules,
              const struct fk__serve_opts *o)
{
  struct fk__server srv = {.reader = reader, .rules = rules, .o = o};
  struct MHD_Daemon *d = NULL;
  const union MHD_DaemonInfo *info;
  sigset_t stop;
  int sig, rc;
  assert(st && reader && rules && o && o->db);
  pthread_mutex_init(&srv.mu, NULL);
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL); /* every thread started below inherits it */
  signal(SIGPIPE, SIG_IGN);
  if ((rc = fk__token_cache_new(&srv.tokens)) || (rc = start_tracing(&srv)) ||
      (rc = fk__writer_start(st, rules, &srv.writer)))
    goto out;
  fk__writer_on_commit(srv.writer, fk__tracing_poke, srv.tracing);
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
  fk__tracing_stop(srv.tracing);
  fk__token_cache_free(srv.tokens);
  pthread_mutex_destroy(&srv.mu);
  if (!rc)
    fprintf(stderr,
            "fangkong serve: stopped; %llu entrance checks answered 200, %llu stored whose "
            "client left before its answer\n",
            (unsigned long long)fk__metrics.checks,
            (unsigned long long)fk__metrics.checks_unanswered);
  return rc;
}
