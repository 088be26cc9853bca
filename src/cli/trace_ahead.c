/* Tracing ahead on a second thread (see trace_ahead.h). */
#include <pthread.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/trace_ahead.h"
#include "fangkong/error.h"
#include "fangkong/trace.h"

#define SLOTS 2 /* results in flight: the one being taken, the next being traced */

struct ahead {
  const struct fk_trace_index *ix;
  const int64_t *persons;
  size_t n;
  fk_time now;
  int depth, threads;
  struct fk_trace_result r[SLOTS]; /* each traced into again: their memory is reused */
  struct fk_diag diag[SLOTS];
  int rc[SLOTS];
  size_t traced, taken; /* cases traced, cases taken (both in order) */
  int stop;
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

/* Waits until cond holds or the work stops (a->mu held); returns 1 when it was stopped. */
static int wait_for(struct ahead *a, int (*cond)(const struct ahead *a, size_t i), size_t i)
{
  while (!a->stop && !cond(a, i))
    pthread_cond_wait(&a->cv, &a->mu);
  return a->stop;
}

static int slot_free(const struct ahead *a, size_t i)
{
  return i - a->taken < SLOTS;
}

static int is_traced(const struct ahead *a, size_t i)
{
  return a->traced > i;
}

/* Sets *counter to v and wakes the other thread. */
static void publish(struct ahead *a, size_t *counter, size_t v)
{
  pthread_mutex_lock(&a->mu);
  *counter = v;
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
}

/* The second thread: traces case after case into the free slot. */
static void *tracer(void *arg)
{
  struct ahead *a = arg;
  for (size_t i = 0; i < a->n; i++) {
    pthread_mutex_lock(&a->mu);
    int stop = wait_for(a, slot_free, i);
    pthread_mutex_unlock(&a->mu);
    if (stop) break;
    size_t s = i % SLOTS;
    fk_diag_clear(&a->diag[s]);
    a->rc[s] = a->persons[i] ? fk_trace_case_threads(a->ix, a->persons[i], a->now, a->depth,
                                                     a->threads, &a->r[s], &a->diag[s])
                             : FK_ENOTFOUND;
    publish(a, &a->traced, i + 1);
  }
  return NULL;
}

/* Takes the cases in order as they are traced; returns the first non-zero exit status. */
static int take_all(struct ahead *a, const struct fk__ahead_fns *fns)
{
  int rc = 0;
  for (size_t i = 0; !rc && i < a->n; i++) {
    if ((rc = fns->check(fns->arg, i))) break;
    pthread_mutex_lock(&a->mu);
    wait_for(a, is_traced, i);
    pthread_mutex_unlock(&a->mu);
    size_t s = i % SLOTS;
    rc = fns->take(fns->arg, i, a->rc[s], &a->diag[s], &a->r[s]);
    publish(a, &a->taken, i + 1);
  }
  return rc;
}

int fk__trace_ahead(const struct fk_trace_index *ix, const int64_t *persons, size_t n, fk_time now,
                    int depth, int threads, const struct fk__ahead_fns *fns)
{
  struct ahead a;
  pthread_t thread;
  int rc;
  memset(&a, 0, sizeof a);
  a.ix = ix;
  a.persons = persons;
  a.n = n;
  a.now = now;
  a.depth = depth;
  a.threads = threads;
  pthread_mutex_init(&a.mu, NULL);
  pthread_cond_init(&a.cv, NULL);
  if (pthread_create(&thread, NULL, tracer, &a)) {
    rc = fk__fail("cannot start a thread to trace on");
    goto out;
  }
  rc = take_all(&a, fns);
  pthread_mutex_lock(&a.mu);
  a.stop = 1;
  pthread_cond_broadcast(&a.cv);
  pthread_mutex_unlock(&a.mu);
  pthread_join(thread, NULL);
out:
  for (int s = 0; s < SLOTS; s++)
    fk_trace_result_free(&a.r[s]);
  pthread_cond_destroy(&a.cv);
  pthread_mutex_destroy(&a.mu);
  return rc;
}
