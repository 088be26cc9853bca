/*
 * The one writer (group commit). A batch of jobs runs in one transaction, each job in a
 * savepoint (an entrance check: fk_entrance_check), is committed once, and only then is each
 * request told its answer, so the commit's cost is shared by the batch. A request loop runs
 * the jobs its last turn queued in its own thread (fk__writer_run: no hand-over, no wake-up),
 * waiting while another batch runs; this file's thread runs what is posted (fk__writer_post:
 * feeds, whose batches are long) the same way.
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/tasks.h"
#include "fangkong/token_store.h"
#include "server/server.h"

struct fk__writer {
  struct fk_store *st;
  const struct fk_rules *rules;
  struct fk_entrance_memo *memo; /* places and risk areas, kept between checks */
  pthread_t thread;
  pthread_mutex_t run_mu; /* held while a batch runs: the connection is one */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct fk__job *head, **tail; /* posted, for the writer's thread */
  int stopping;
  void (*on_commit)(void *arg); /* after a batch that changed the store (fk__writer_on_commit) */
  void *on_commit_arg;
};

/* Takes the whole queue (waits while it is empty); NULL once stopping with nothing queued. */
static struct fk__job *take(struct fk__writer *w)
{
  struct fk__job *batch;
  pthread_mutex_lock(&w->mu);
  while (!w->head && !w->stopping)
    pthread_cond_wait(&w->cv, &w->mu);
  batch = w->head;
  w->head = NULL;
  w->tail = &w->head;
  pthread_mutex_unlock(&w->mu);
  return batch;
}

/* The task's row, when it lies in the job's scope (else FK_ENOTFOUND, as for an unknown task). */
static int task_row(void *arg, const struct fk_task_row *t)
{
  *(struct fk_task_row *)arg = *t;
  return 0;
}

static int task_in_scope(struct fk__writer *w, struct fk__job *j, struct fk_task_row *t)
{
  struct fk_task_filter f = {j->task, 0, 0, 0, -1, NULL, 0};
  struct fk_token_row who = {.scope = j->scope, .site = j->site};
  int in = 0, rc;
  t->id = 0;
  if ((rc = fk_store_each_task(w->st, &f, task_row, t)) ||
      (t->id && (rc = fk__token_sees_task(w->st, &who, t, &in))))
    return fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(w->st));
  return t->id && in
             ? 0
             : fk_diag_set(&j->diag, FK_ENOTFOUND, "id", "no task %lld", (long long)j->task);
}

/* A unit's hand on a task (ack, done or fail), with its audit row; the task after, as JSON. */
static int task(struct fk__writer *w, struct fk__job *j)
{
  struct fk_task_row t;
  json_t *o = NULL;
  fk_time now = j->audit.at;
  int rc = task_in_scope(w, j, &t);
  if (rc || (rc = fk_store_begin(w->st))) return rc;
  rc = j->kind == FK__JOB_ACK
           ? fk_task_ack(w->st, j->task, now, &j->diag)
           : fk_task_close(w->st, j->task,
                           j->kind == FK__JOB_DONE ? FK_TSTATUS_DONE : FK_TSTATUS_FAILED, j->proof,
                           now, &j->diag);
  if (!rc && (rc = fk_store_put_audit(w->st, &j->audit)))
    fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(w->st));
  if (!rc && !(rc = task_in_scope(w, j, &t)) && !(rc = fk__task_json(w->st, &t, &o)) &&
      !(j->answer = json_dumps(o, JSON_COMPACT)))
    rc = FK_ENOMEM;
  json_decref(o);
  if (rc) {
    fk_store_rollback(w->st);
    return rc;
  }
  return fk_store_commit(w->st);
}

/* One check, when its place lies in the token's scope (else FK_ENOTFOUND, as for an unknown
 * place: a device learns nothing of places outside its scope), audited. */
static int check(struct fk__writer *w, struct fk__job *j)
{
  struct fk_audit_row *a = &j->audit;
  int in = 1, rc;
  if (j->kind == FK__JOB_AUDIT && (rc = fk_store_put_audit(w->st, a)))
    return fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(w->st));
  if (j->kind == FK__JOB_AUDIT) return 0;
  if (j->kind == FK__JOB_VERIFY) return fk__verify_run(w->st, j);
  if (j->kind == FK__JOB_FEED) return fk__feed_store(w->st, j);
  if (j->kind != FK__JOB_CHECK) return task(w, j);
  if (j->scope && (rc = fk_store_place_in(w->st, j->req.place_id, j->scope, &in)))
    return fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(w->st));
  if (!in) return fk_diag_set(&j->diag, FK_ENOTFOUND, "place_id", "no place %s", j->req.place_id);
  /* The check's writes are a savepoint of their own (a failed check leaves nothing) and its row
   * is its audit record; a check posted again, not stored again, is audited in the log, which
   * is then the check's only write. */
  rc = fk_entrance_check_memo(w->st, w->rules, w->memo, a, j->req.person_id, j->req.place_id,
                              j->req.at, j->req.temperature, j->req.mask, &j->result, &j->diag);
  if (rc || j->result.recorded) return rc;
  snprintf(a->action, sizeof a->action, "POST /v1/entrance-checks");
  snprintf(a->object, sizeof a->object, "person %s at place %s", j->req.person_id, j->req.place_id);
  if ((rc = fk_store_put_audit(w->st, a)))
    fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(w->st));
  return rc;
}

/* Runs a batch in one transaction; a failed commit fails every check of the batch. */
static void run_batch(struct fk__writer *w, struct fk__job *batch)
{
  uint64_t n = 0, pass = 0;
  int rc = fk_store_begin(w->st), changed = 0;
  for (struct fk__job *j = batch; j; j = j->next, n++) {
    fk_diag_clear(&j->diag);
    j->rc = rc ? fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(w->st)) : check(w, j);
  }
  if (!rc && (rc = fk_store_commit(w->st))) {
    fk_store_rollback(w->st);
    for (struct fk__job *j = batch; j; j = j->next)
      if (!j->rc) j->rc = fk_diag_set(&j->diag, rc, NULL, "store: commit failed");
  }
  for (struct fk__job *j = batch; j; j = j->next) {
    pass += !j->rc && j->result.pass;
    changed |= !j->rc && j->kind != FK__JOB_AUDIT;
  }
  if (!rc && changed && w->on_commit) w->on_commit(w->on_commit_arg);
  if (!rc) {
    fk__metric_add(&fk__metrics.batches, 1);
    fk__metric_add(&fk__metrics.batched, n);
    fk__metric_max(&fk__metrics.batch_max, n);
    fk__metric_add(&fk__metrics.checks_pass, pass);
  }
  while (batch) {
    struct fk__job *next = batch->next;
    batch->done(batch); /* may free the job */
    batch = next;
  }
}

void fk__writer_run(struct fk__writer *w, struct fk__job *batch)
{
  assert(w && batch);
  pthread_mutex_lock(&w->run_mu);
  run_batch(w, batch);
  pthread_mutex_unlock(&w->run_mu);
}

static void *loop(void *arg)
{
  struct fk__writer *w = arg;
  struct fk__job *batch;
  while ((batch = take(w)))
    fk__writer_run(w, batch);
  return NULL;
}

int fk__writer_start(struct fk_store *st, const struct fk_rules *rules, struct fk__writer **out)
{
  struct fk__writer *w;
  assert(st && rules && out);
  *out = NULL;
  if (!(w = fk_calloc(1, sizeof *w))) return FK_ENOMEM;
  if (fk_entrance_memo_new(&w->memo)) {
    fk_free(w);
    return FK_ENOMEM;
  }
  w->st = st;
  w->rules = rules;
  w->tail = &w->head;
  pthread_mutex_init(&w->run_mu, NULL);
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
  if (pthread_create(&w->thread, NULL, loop, w)) {
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    pthread_mutex_destroy(&w->run_mu);
    fk_entrance_memo_free(w->memo);
    fk_free(w);
    return FK_EIO;
  }
  *out = w;
  return 0;
}

void fk__writer_post(struct fk__writer *w, struct fk__job *job)
{
  assert(w && job && job->done);
  job->next = NULL;
  pthread_mutex_lock(&w->mu);
  *w->tail = job;
  w->tail = &job->next;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

void fk__writer_on_commit(struct fk__writer *w, void (*fn)(void *arg), void *arg)
{
  assert(w);
  pthread_mutex_lock(&w->mu);
  w->on_commit = fn;
  w->on_commit_arg = arg;
  pthread_mutex_unlock(&w->mu);
}

void fk__writer_stop(struct fk__writer *w)
{
  if (!w) return;
  pthread_mutex_lock(&w->mu);
  w->stopping = 1;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
  pthread_mutex_destroy(&w->run_mu);
  fk_entrance_memo_free(w->memo);
  fk_free(w);
}
