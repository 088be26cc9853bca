/*
 * The server's trace index (GET /v1/persons/{id}/contacts), built once at start on its own
 * store connection and kept fresh by a refresher thread: the writer pokes it after each commit
 * that changed the store, and it refreshes the index incrementally (fk_trace_index_refresh:
 * the check-ins after the last event id it saw, new persons, places and cases) at most once per
 * gap, so that a burst of commits costs one refresh. Readers trace and print under a read lock;
 * a refresh holds the write lock, so no reader sees a half-refreshed index. The lock prefers
 * writers: a stream of readers cannot hold a refresh off for longer than the traces in flight.
 */
#define _GNU_SOURCE /* pthread_rwlockattr_setkind_np, open_memstream */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "present/trace_out.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/trace.h"
#include "server/server.h"

struct fk__tracing {
  struct fk_store *st; /* the refresher's own connection */
  struct fk_trace_index *ix;
  pthread_rwlock_t lock; /* readers trace under it; a refresh takes it to write */
  pthread_mutex_t mu;    /* guards poked, waiting and stopping */
  pthread_cond_t cv;
  int poked, waiting, stopping;
  unsigned gap_ms;
  pthread_t thread;
};

/* The refresher's counters (GET /v1/metrics). */
static struct {
  uint64_t refreshes, failures, added, us, max_us;
} stats;

static uint64_t elapsed_us(const struct timespec *a, const struct timespec *b)
{
  return (uint64_t)((b->tv_sec - a->tv_sec) * 1000000 + (b->tv_nsec - a->tv_nsec) / 1000);
}

/* One incremental refresh under the write lock; a failure is said on stderr and the refresher
 * carries on (the next poke tries again). */
static void refresh(struct fk__tracing *t)
{
  struct timespec a, b;
  struct fk_diag diag;
  char msg[1024];
  long added = 0;
  int rc;
  fk_diag_clear(&diag);
  pthread_rwlock_wrlock(&t->lock);
  clock_gettime(CLOCK_MONOTONIC, &a); /* the time readers wait for, not the wait for them */
  rc = fk_trace_index_refresh(t->ix, t->st, &added, &diag);
  clock_gettime(CLOCK_MONOTONIC, &b);
  /* counted before readers see the refresh: a client that saw it finds it in the metrics */
  fk__metric_add(&stats.refreshes, 1);
  fk__metric_add(&stats.us, elapsed_us(&a, &b));
  fk__metric_max(&stats.max_us, elapsed_us(&a, &b));
  fk__metric_add(&stats.added, (uint64_t)added);
  fk__metric_add(&stats.failures, rc != 0);
  pthread_rwlock_unlock(&t->lock);
  if (rc) {
    fprintf(stderr, "fangkong serve: refreshing the trace index: %s\n",
            fk_diag_format(&diag, msg, sizeof msg));
  }
}

/* Waits until gap_ms after last (a monotonic time), or the stop; returns 1 when stopping. */
static int keep_gap(struct fk__tracing *t, const struct timespec *last)
{
  struct timespec until = *last;
  int stop;
  until.tv_sec += t->gap_ms / 1000;
  until.tv_nsec += (long)(t->gap_ms % 1000) * 1000000;
  if (until.tv_nsec >= 1000000000) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000;
  }
  pthread_mutex_lock(&t->mu);
  /* only the time (ETIMEDOUT), the stop or an error ends the wait */
  while (!t->stopping && !pthread_cond_timedwait(&t->cv, &t->mu, &until))
    ;
  stop = t->stopping;
  pthread_mutex_unlock(&t->mu);
  return stop;
}

/* Waits for a poke (0) or the stop (1). */
static int wait_poke(struct fk__tracing *t)
{
  int stop;
  pthread_mutex_lock(&t->mu);
  t->waiting = 1;
  while (!t->poked && !t->stopping)
    pthread_cond_wait(&t->cv, &t->mu);
  t->waiting = 0;
  stop = t->stopping;
  t->poked = 0;
  pthread_mutex_unlock(&t->mu);
  return stop;
}

static void *refresher(void *arg)
{
  struct fk__tracing *t = arg;
  struct timespec last = {0, 0};
  while (!wait_poke(t)) {
    if (keep_gap(t, &last)) break; /* a poke during the gap or the refresh: the next one */
    refresh(t);
    clock_gettime(CLOCK_MONOTONIC, &last);
  }
  return NULL;
}

/* Frees what start made (NULL members are fine). */
static void tracing_free(struct fk__tracing *t)
{
  fk_trace_index_free(t->ix);
  fk_store_close(t->st);
  pthread_cond_destroy(&t->cv);
  pthread_mutex_destroy(&t->mu);
  pthread_rwlock_destroy(&t->lock);
  fk_free(t);
}

int fk__tracing_start(const char *db, const struct fk_rules *rules, unsigned gap_ms,
                      struct fk__tracing **out, struct fk_diag *diag)
{
  struct fk__tracing *t;
  pthread_rwlockattr_t attr;
  pthread_condattr_t cattr;
  int rc;
  assert(db && rules && out);
  *out = NULL;
  if (!(t = fk_calloc(1, sizeof *t))) return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory");
  t->gap_ms = gap_ms;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&t->lock, &attr);
  pthread_rwlockattr_destroy(&attr);
  pthread_mutex_init(&t->mu, NULL);
  pthread_condattr_init(&cattr);
  pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC); /* the gap is kept on the monotonic clock */
  pthread_cond_init(&t->cv, &cattr);
  pthread_condattr_destroy(&cattr);
  if ((rc = fk_store_open(db, &t->st, diag)) ||
      (rc = fk_trace_index_build(t->st, rules, &t->ix, diag)))
    goto out;
  if (pthread_create(&t->thread, NULL, refresher, t))
    rc = fk_diag_set(diag, FK_EIO, NULL, "cannot start the trace index's refresher");
out:
  if (rc)
    tracing_free(t);
  else
    *out = t;
  return rc;
}

void fk__tracing_poke(void *arg)
{
  struct fk__tracing *t = arg;
  pthread_mutex_lock(&t->mu);
  t->poked = 1;
  if (t->waiting) pthread_cond_signal(&t->cv); /* else it sees poked when its gap ends */
  pthread_mutex_unlock(&t->mu);
}

void fk__tracing_stop(struct fk__tracing *t)
{
  if (!t) return;
  pthread_mutex_lock(&t->mu);
  t->stopping = 1;
  pthread_cond_signal(&t->cv);
  pthread_mutex_unlock(&t->mu);
  pthread_join(t->thread, NULL);
  tracing_free(t);
}

long fk__tracing_checkins(struct fk__tracing *t)
{
  struct fk_trace_index_stats s;
  pthread_rwlock_rdlock(&t->lock);
  fk_trace_index_stats(t->ix, &s);
  pthread_rwlock_unlock(&t->lock);
  return s.checkins;
}

/* The trace of person_id printed as `fangkong trace --case ID --format json [--merge]` prints
 * it, into a new buffer (*out, malloc'd by the stream). Under the read lock. Returns as
 * fk__tracing_contacts; *out is NULL on failure. */
static int trace_json(const struct fk_trace_index *ix, const char *person_id, fk_time now,
                      int depth, int merge, char **out, size_t *n, struct fk_diag *diag)
{
  struct fk_trace_result r = {0};
  struct fk__trace_out o;
  int64_t person = fk_trace_person(ix, person_id, strlen(person_id));
  fk_time start, end;
  FILE *f;
  int rc;
  if (!person || fk_trace_window(ix, person, now, &start, &end))
    return fk_diag_set(diag, FK_ENOTFOUND, "id", "%s is not a case: contacts are traced from cases",
                       person_id);
  if (now == FK_TIME_NONE && (depth == 2 || end == now))
    return fk_diag_set(diag, FK_EINVAL, "now",
                       "required: case %s is not isolated yet, or depth 2 asks for it", person_id);
  if ((rc = fk_trace_case(ix, person, now, depth, &r, diag))) return rc;
  if (!(f = open_memstream(out, n))) {
    fk_trace_result_free(&r);
    return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory");
  }
  fk__trace_out_init(&o, ix, 1, merge, f);
  o.quiet = 1;
  if (!(rc = fk__trace_out_add(&o, &r))) rc = fk__trace_out_finish(&o);
  fk__trace_out_free(&o);
  fk_trace_result_free(&r);
  if (fclose(f) && !rc) rc = FK_EIO;
  if (rc) {
    free(*out); /* the stream's */
    *out = NULL;
    fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory printing the trace");
    return FK_ENOMEM;
  }
  return 0;
}

int fk__tracing_contacts(struct fk__tracing *t, const char *person_id, fk_time now, int depth,
                         int merge, char **out, size_t *n, struct fk_diag *diag)
{
  int rc;
  assert(t && person_id && out && n && (depth == 1 || depth == 2));
  *out = NULL;
  *n = 0;
  pthread_rwlock_rdlock(&t->lock);
  rc = trace_json(t->ix, person_id, now, depth, merge, out, n, diag);
  pthread_rwlock_unlock(&t->lock);
  return rc;
}

size_t fk__tracing_metrics_text(char *buf, size_t size)
{
  int n = snprintf(
      buf, size,
      "# HELP fangkong_trace_refreshes_total Incremental refreshes of the trace index.\n"
      "# TYPE fangkong_trace_refreshes_total counter\n"
      "fangkong_trace_refreshes_total %llu\n"
      "# HELP fangkong_trace_refresh_failures_total Refreshes that failed (said on stderr).\n"
      "# TYPE fangkong_trace_refresh_failures_total counter\n"
      "fangkong_trace_refresh_failures_total %llu\n"
      "# HELP fangkong_trace_refreshed_checkins_total Check-ins the refreshes added.\n"
      "# TYPE fangkong_trace_refreshed_checkins_total counter\n"
      "fangkong_trace_refreshed_checkins_total %llu\n"
      "# HELP fangkong_trace_refresh_seconds_sum Time the refreshes held the index.\n"
      "# TYPE fangkong_trace_refresh_seconds_sum counter\n"
      "fangkong_trace_refresh_seconds_sum %.6f\n"
      "# HELP fangkong_trace_refresh_seconds_max The longest refresh.\n"
      "# TYPE fangkong_trace_refresh_seconds_max gauge\n"
      "fangkong_trace_refresh_seconds_max %.6f\n",
      (unsigned long long)__atomic_load_n(&stats.refreshes, __ATOMIC_RELAXED),
      (unsigned long long)__atomic_load_n(&stats.failures, __ATOMIC_RELAXED),
      (unsigned long long)__atomic_load_n(&stats.added, __ATOMIC_RELAXED),
      (double)__atomic_load_n(&stats.us, __ATOMIC_RELAXED) / 1e6,
      (double)__atomic_load_n(&stats.max_us, __ATOMIC_RELAXED) / 1e6);
  return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}
