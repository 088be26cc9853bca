/*
 * The aside thread: long reads run here with their connection suspended, so that the request
 * loop that took them goes on answering its other connections (entrance checks above all)
 * meanwhile. One thread, one queue, reads in the order asked.
 */
#include <assert.h>
#include <pthread.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "server/request.h"

struct fk__aside {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct fk__req *head, **tail; /* under mu */
  int stopping;                 /* under mu */
};

/* The next request to run (waits while none); NULL once stopping with none queued. */
static struct fk__req *take(struct fk__aside *a)
{
  struct fk__req *r;
  pthread_mutex_lock(&a->mu);
  while (!a->head && !a->stopping)
    pthread_cond_wait(&a->cv, &a->mu);
  if ((r = a->head) && !(a->head = r->aside_next)) a->tail = &a->head;
  pthread_mutex_unlock(&a->mu);
  return r;
}

static void *run(void *arg)
{
  struct fk__aside *a = arg;
  struct fk__req *r;
  while ((r = take(a))) {
    r->aside_run(r);
    r->state = FK__ASIDE_DONE; /* seen by the loop after the resume (libmicrohttpd's lock) */
    MHD_resume_connection(r->c);
  }
  return NULL;
}

int fk__aside_start(struct fk__aside **out)
{
  struct fk__aside *a = fk_calloc(1, sizeof *a);
  assert(out);
  *out = a;
  if (!a) return FK_ENOMEM;
  a->tail = &a->head;
  pthread_mutex_init(&a->mu, NULL);
  pthread_cond_init(&a->cv, NULL);
  if (!pthread_create(&a->thread, NULL, run, a)) return 0;
  pthread_cond_destroy(&a->cv);
  pthread_mutex_destroy(&a->mu);
  fk_free(a);
  *out = NULL;
  return FK_EIO;
}

void fk__aside_stop(struct fk__aside *a)
{
  if (!a) return;
  pthread_mutex_lock(&a->mu);
  a->stopping = 1;
  pthread_cond_signal(&a->cv);
  pthread_mutex_unlock(&a->mu);
  pthread_join(a->thread, NULL);
  pthread_cond_destroy(&a->cv);
  pthread_mutex_destroy(&a->mu);
  fk_free(a);
}

enum MHD_Result fk__req_aside(struct fk__req *r, void (*fn)(struct fk__req *r))
{
  struct fk__aside *a = r->srv->aside;
  assert(a && fn);
  r->aside_run = fn;
  r->aside_next = NULL;
  r->state = FK__ASIDE;
  MHD_suspend_connection(r->c);
  pthread_mutex_lock(&a->mu);
  *a->tail = r;
  a->tail = &r->aside_next;
  pthread_cond_signal(&a->cv);
  pthread_mutex_unlock(&a->mu);
  return MHD_YES;
}
