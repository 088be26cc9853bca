/*
 * The daemon: libmicrohttpd answering under /v1, in o->threads request loops. Each loop is a
 * thread running its own daemon (external polling over epoll) on a listening socket of its own,
 * all on one port.
 * Each request is answered in two phases (libmicrohttpd closes a keep-alive connection whose
 * answer is queued on the first call): the first call only allocates the request's state,
 * later calls gather the body (capped), the last one routes (routes.c). A write queues its job
 * in the loop and leaves the request unanswered; when the loop's turn over the ready
 * connections ends, the loop itself commits every job queued in that turn at once (group
 * commit, through the one writer connection), and its next turn, which then does not wait,
 * calls those routes again to answer. No thread hands a check to another and no connection is
 * suspended: those hand-overs and wake-ups cost more than the check. (A feed is the exception:
 * its long batches go to the writer's thread, its connection suspended meanwhile.)
 */
#define _DEFAULT_SOURCE /* SO_REUSEPORT */
#include <arpa/inet.h>
#include <assert.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "server/completion.h"
#include "server/request.h"

/* Bytes of libmicrohttpd's pool per connection (headers, read buffer; a body is gathered apart
 * and a feed read in pieces of it). The pool is zeroed for every request: libmicrohttpd's 32 KiB
 * default cost more than parsing the check's body. */
#define CONN_POOL 8192

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

/* A request's state, from l's spares or new, zeroed but for the reasons' texts (most of its
 * bytes, set only with their reason) and the body's room (kept). NULL when out of memory. */
static struct fk__req *req_new(struct fk__loop *l)
{
  size_t text = offsetof(struct fk__req, job) + offsetof(struct fk__job, result) +
                offsetof(struct fk_entrance_result, text),
         after = text + sizeof((struct fk_entrance_result *)0)->text;
  struct fk__req *r;
  char *body = NULL;
  size_t cap = 0;
  if (l->nspare) {
    r = l->spare[--l->nspare];
    body = r->body;
    cap = r->cap;
  } else if (!(r = fk_malloc(sizeof *r))) {
    return NULL;
  }
  memset(r, 0, text);
  memset((char *)r + after, 0, sizeof *r - after);
  r->body = body;
  r->cap = cap;
  return r;
}

/* A connection's memory (struct fk__conn) from its start to its end. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode what)
{
  (void)cls, (void)c;
  if (what == MHD_CONNECTION_NOTIFY_STARTED)
    *socket_context = fk_calloc(1, sizeof(struct fk__conn));
  else if (what == MHD_CONNECTION_NOTIFY_CLOSED) {
    fk_free(*socket_context);
    *socket_context = NULL;
  }
}

/* The first call of a request: its state only (the two-phase pattern). */
static enum MHD_Result begin(struct fk__loop *l, struct MHD_Connection *c, const char *url,
                             const char *method, void **con_cls)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  struct fk__req *r = req_new(l);
  if (!r) return MHD_NO;
  r->conn = ci ? ci->socket_context : NULL; /* NULL when it could not be had: hashed each time */
  r->srv = l->srv;
  r->loop = l;
  r->c = c;
  /* A streamed route is admitted (its path, the token's role) before its first piece. */
  if ((r->stream = fk__route_stream(url, method)))
    r->stream_status = fk__route_allowed(r, url, method);
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
  if (r->stream) { /* a feed: as it comes */
    enum MHD_Result res = r->stream(r, url, method, data, data_size);
    if (r->stream) return res;
    return fk__route(r, url, method); /* refused before it began: says why (fk__route_feed) */
  }
  if (!*data_size && !r->too_big && over_cap(r)) {
    r->too_big = 1; /* announced too large: answered now, the connection closed, nothing read */
    return fk__route(r, url, method);
  }
  if (r->state == FK__QUEUED) return MHD_YES; /* its job is not committed yet */
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
  *con_cls = NULL;
  clock_gettime(CLOCK_MONOTONIC, &end);
  fk__metric_add(&fk__metrics.latency_us, (uint64_t)((end.tv_sec - r->start.tv_sec) * 1000000 +
                                                     (end.tv_nsec - r->start.tv_nsec) / 1000));
  fk__metric_add(&fk__metrics.inflight, (uint64_t)-1);
  if (r->state == FK__QUEUED) { /* ended before its turn did (never seen with libmicrohttpd
                                  0.9.75, which ends a connection between turns): the job runs */
    r->left = 1;
    return;
  }
  if (r->state == FK__ANSWERED && !r->replied && !r->job.rc &&
      r->job.kind == FK__JOB_CHECK) /* left */
    fk__metric_add(&fk__metrics.checks_unanswered, 1);
  fk__req_end(r);
}

/* ---- the loops ---------------------------------------------------------------------------- */

/* Commits what the turn queued (each job's done marks its request answered); 1 when there was
 * something to commit. */
static int commit_turn(struct fk__loop *l)
{
  struct fk__job *batch = l->head;
  l->head = NULL;
  l->tail = &l->head;
  if (batch) fk__writer_run(l->srv->writer, batch);
  return batch != NULL;
}

/* A loop's thread: turns over its ready connections, each followed by its group commit;
 * stops accepting once srv->quiesce is set, leaves once srv->stop is. */
static void *run_loop(void *arg)
{
  struct fk__loop *l = arg;
  int quiesced = 0, wait = 100;
  while (!__atomic_load_n(&l->srv->stop, __ATOMIC_ACQUIRE)) {
    if (!quiesced && __atomic_load_n(&l->srv->quiesce, __ATOMIC_ACQUIRE)) {
      MHD_socket s = MHD_quiesce_daemon(l->d); /* gives the listening socket back */
      if (s != MHD_INVALID_SOCKET) close(s);
      quiesced = 1;
    }
    MHD_run_wait(l->d, wait); /* wakes at least every 100 ms to see the flags */
    /* Before committing, one more turn that does not wait: the requests that came while this
     * turn ran join its commit (13-14 checks a commit instead of 8 under bench/entrance). */
    if (l->head) MHD_run_wait(l->d, 0);
    wait = commit_turn(l) ? 0 : 100;
  }
  commit_turn(l);
  return NULL;
}

/* ---- start, drain, stop ------------------------------------------------------------------- */

/* A socket bound to o->host:port, listening, or -1. share: every loop listens on the same port
 * with a socket of its own (SO_REUSEPORT), and the kernel spreads new connections over them. */
static int listen_on(const struct fk__serve_opts *o, unsigned port, int share)
{
  struct sockaddr_in addr;
  int fd, one = 1;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1) {
    fprintf(stderr, "fangkong serve: %s is not an IPv4 address\n", o->host);
    return -1;
  }
  if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) return -1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
      (share && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one)) ||
      bind(fd, (struct sockaddr *)&addr, sizeof addr) || listen(fd, SOMAXCONN)) {
    close(fd);
    return -1;
  }
  return fd;
}

/* The port o asks for (0: any free one), when nobody listens there; 0 when taken. A shared port
 * would otherwise let a second server join the first one's (SO_REUSEPORT) without a word. */
static unsigned free_port(const struct fk__serve_opts *o)
{
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  int fd = listen_on(o, o->port, 0);
  unsigned port =
      fd >= 0 && !getsockname(fd, (struct sockaddr *)&addr, &len) ? ntohs(addr.sin_port) : 0;
  if (fd >= 0) close(fd);
  return port;
}

/* Starts loop l's daemon on the listening socket fd (its own: closed on failure); 0 or
 * FK_EIO. */
static int start_loop(struct fk__server *srv, struct fk__loop *l, int fd)
{
  const struct fk__serve_opts *o = srv->o;
  unsigned limit = o->max_connections / o->threads;
  l->srv = srv;
  l->tail = &l->head;
  l->d = MHD_start_daemon(
      MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, l,
      MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT, limit ? limit : 1,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_POOL, MHD_OPTION_CONNECTION_TIMEOUT,
      o->timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
      on_connection, NULL, MHD_OPTION_END);
  if (!l->d) {
    close(fd);
    return FK_EIO;
  }
  if (pthread_create(&l->thread, NULL, run_loop, l)) return FK_EIO;
  l->started = 1;
  return 0;
}

/* Starts the o->threads loops, all on one port (a free one when o->port is 0); prints where.
 * 0 or FK_EIO. */
static int start(struct fk__server *srv, const struct fk__serve_opts *o)
{
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  int share = o->threads > 1, fd = -1;
  unsigned port = share ? free_port(o) : o->port;
  int rc = (srv->loops = fk_calloc(o->threads, sizeof *srv->loops)) ? 0 : FK_ENOMEM;
  if (!rc && share && !port) rc = FK_EIO;
  for (unsigned i = 0; !rc && i < o->threads; i++) {
    if ((fd = listen_on(o, port, share)) < 0)
      rc = FK_EIO;
    else if (!getsockname(fd, (struct sockaddr *)&addr, &len))
      port = ntohs(addr.sin_port);
    if (!rc) rc = start_loop(srv, &srv->loops[i], fd);
  }
  if (rc)
    fprintf(stderr, "fangkong serve: cannot listen on %s:%u\n", o->host, port ? port : o->port);
  else
    printf("listening on http://%s:%u\n", o->host, port);
  fflush(stdout);
  return rc;
}

/* Leaves the loops (their queued jobs committed) and stops their daemons. */
static void stop_loops(struct fk__server *srv)
{
  if (!srv->loops) return;
  __atomic_store_n(&srv->stop, 1, __ATOMIC_RELEASE);
  for (unsigned i = 0; i < srv->o->threads; i++) {
    struct fk__loop *l = &srv->loops[i];
    if (l->started) pthread_join(l->thread, NULL);
    if (l->d) MHD_stop_daemon(l->d);
    while (l->nspare) {
      struct fk__req *r = l->spare[--l->nspare];
      fk_free(r->body);
      fk_free(r);
    }
  }
  fk_free(srv->loops);
  srv->loops = NULL;
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
  sigset_t stop;
  int sig, rc;
  assert(st && reader && rules && o && o->db && o->threads);
  pthread_mutex_init(&srv.mu, NULL);
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL); /* every thread started below inherits it */
  signal(SIGPIPE, SIG_IGN);
  if ((rc = fk__token_cache_new(&srv.tokens)) || (rc = start_tracing(&srv)) ||
      (rc = fk__aside_start(&srv.aside)) || (rc = fk__writer_start(st, rules, &srv.writer)))
    goto out;
  fk__writer_on_commit(srv.writer, fk__tracing_poke, srv.tracing);
  if ((rc = start(&srv, o))) goto out;
  sigwait(&stop, &sig);
  fprintf(stderr, "fangkong serve: %s: draining\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  __atomic_store_n(&srv.quiesce, 1, __ATOMIC_RELEASE);
  drain(o);
out:
  fk__aside_stop(srv.aside); /* its last reads resumed while the loops still turn */
  stop_loops(&srv);
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
