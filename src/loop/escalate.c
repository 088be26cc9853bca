/*
 * The time-driven life of open tasks (see fangkong/tasks.h): a created task becomes due when its
 * start comes; an overdue one climbs the hierarchy at the delays the rules give, each step
 * recorded with the officer on duty at that moment; and the units' own hand on a task.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/tasks.h"
#include "loop/escalate.h"

struct open_tasks {
  struct fk_task_row *t;
  size_t n, cap;
};

static int collect(void *arg, const struct fk_task_row *t)
{
  struct open_tasks *o = arg;
  if (o->n == o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 256;
    struct fk_task_row *p = fk_realloc(o->t, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    o->t = p;
    o->cap = cap;
  }
  o->t[o->n++] = *t;
  return 0;
}

/* The codes of the regions above one region, by level ("city" at FK_LEVEL_CITY). */
struct chain {
  int64_t grid;
  char code[FK_LEVEL_N][168];
};

#define CHAINS 64 /* regions remembered: a run escalates the tasks of few grids at a time */

struct fk__chains {
  struct chain c[CHAINS];
  int n, next;
};

struct fk__chains *fk__chains_new(void)
{
  return fk_calloc(1, sizeof(struct fk__chains));
}

void fk__chains_free(struct fk__chains *cs)
{
  fk_free(cs);
}

/* The chain of region `region`, looked up in the store once per run (most recently kept). */
static int chain_of(struct fk_store *st, struct fk__chains *cs, int64_t region,
                    const struct chain **out)
{
  struct fk_region_row r;
  int rc = 0;
  for (int i = 0; i < cs->n; i++)
    if (cs->c[i].grid == region) return *out = &cs->c[i], 0;
  struct chain *c = &cs->c[cs->next];
  cs->next = (cs->next + 1) % CHAINS;
  if (cs->n < CHAINS) cs->n++;
  c->grid = region;
  for (int l = 0; l < FK_LEVEL_N; l++)
    snprintf(c->code[l], sizeof c->code[l], "%s", l == FK_LEVEL_CITY ? "city" : "?");
  for (int64_t id = region; id && !(rc = fk_store_region(st, id, &r)); id = r.parent)
    if (r.level > FK_LEVEL_CITY && r.level < FK_LEVEL_N)
      snprintf(c->code[r.level], sizeof c->code[r.level], "%s", r.code);
  *out = c;
  if (rc == FK_ENOTFOUND) rc = 0;
  if (rc) c->grid = -1; /* not kept */
  return rc;
}

int fk__escalate(struct fk_store *st, struct fk__chains *cs, const struct fk_escalation_rules *er,
                 int64_t owner, int64_t region, int *level, fk_time due, fk_time now,
                 int (*put)(struct fk_store *st, const struct fk_escalation_row *e,
                            struct fk_diag *diag),
                 long *steps, struct fk_diag *diag)
{
  const struct chain *c = NULL;
  int rc = 0;
  for (int l = *level - 1; !rc && l >= FK_LEVEL_CITY; l--) {
    if (er->after_minutes[l] < 0) continue; /* the rules skip this level */
    fk_time at = due + 60 * (fk_time)er->after_minutes[l];
    if (at > now) break;
    struct fk_escalation_row e;
    memset(&e, 0, sizeof e);
    e.task = owner;
    e.level = l;
    e.at = at;
    if (!c && (rc = chain_of(st, cs, region, &c))) break;
    snprintf(e.unit, sizeof e.unit, "%s", c->code[l]);
    if ((rc = fk_store_duty_at(st, e.unit, at, e.officer, sizeof e.officer, e.phone,
                               sizeof e.phone)))
      break;
    if ((rc = put(st, &e, diag))) break;
    *level = l;
    (*steps)++;
  }
  return rc;
}

int fk_tasks_advance(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                     struct fk_tasks_stats *stats, struct fk_diag *diag)
{
  struct open_tasks o = {0};
  struct fk_tasks_stats none;
  struct fk__chains *cs = fk__chains_new();
  struct fk_task_filter f = {0, 0, 0, 1, -1, NULL, now};
  int rc = cs ? fk_store_each_task(st, &f, collect, &o) : FK_ENOMEM;
  if (!stats) stats = &none;
  for (size_t i = 0; !rc && i < o.n; i++) {
    struct fk_task_row *t = &o.t[i];
    int level = t->level, status = t->status;
    long steps = 0;
    if (t->status == FK_TSTATUS_CREATED && now >= t->start) {
      t->status = FK_TSTATUS_DUE;
      stats->started++;
    }
    if (now > t->due) {
      stats->overdue++;
      rc = fk__escalate(st, cs, &rules->loop.escalation, t->id, t->region, &t->level, t->due, now,
                        fk_store_put_escalation, &steps, diag);
      stats->escalations += steps;
    }
    stats->looked++;
    if (!rc && (t->level != level || (int)t->status != status)) rc = fk_store_put_task(st, t, diag);
  }
  fk_free(o.t);
  fk__chains_free(cs);
  if (rc && rc != FK_ESTORE && diag && !diag->reason[0])
    fk_diag_set(diag, rc, NULL, "advancing tasks: %s", fk_strerror(rc));
  return rc;
}

/* Loads task id into *t. Returns 0, FK_ENOTFOUND or the store's error. */
static int load(struct fk_store *st, int64_t id, struct fk_task_row *t, struct fk_diag *diag)
{
  struct open_tasks o = {0};
  int rc = fk_store_each_task(st, &(struct fk_task_filter){id, 0, 0, 0, -1, NULL, 0}, collect, &o);
  if (!rc && o.n != 1) rc = fk_diag_set(diag, FK_ENOTFOUND, NULL, "no task %lld", (long long)id);
  if (!rc) *t = o.t[0];
  fk_free(o.t);
  return rc;
}

int fk_task_ack(struct fk_store *st, int64_t task, fk_time now, struct fk_diag *diag)
{
  struct fk_task_row t;
  int rc = load(st, task, &t, diag);
  if (rc) return rc;
  if (!FK_TASK_OPEN(t.status))
    return fk_diag_set(diag, FK_EINVAL, NULL, "task %lld is %s already", (long long)task,
                       fk_task_statuses[t.status]);
  if (t.status == FK_TSTATUS_ACKNOWLEDGED) return 0;
  t.status = FK_TSTATUS_ACKNOWLEDGED;
  t.acked = now;
  return fk_store_put_task(st, &t, diag);
}

int fk_task_close(struct fk_store *st, int64_t task, enum fk_task_status status, const char *proof,
                  fk_time now, struct fk_diag *diag)
{
  struct fk_task_row t;
  int rc;
  if (status != FK_TSTATUS_DONE && status != FK_TSTATUS_FAILED)
    return fk_diag_set(diag, FK_EINVAL, NULL, "a unit closes a task as done or failed");
  if (!proof || !*proof)
    return fk_diag_set(diag, FK_EINVAL, "proof",
                       status == FK_TSTATUS_DONE ? "say what proves the task done"
                                                 : "say why the task failed");
  if ((rc = load(st, task, &t, diag))) return rc;
  if (!FK_TASK_OPEN(t.status))
    return fk_diag_set(diag, FK_EINVAL, NULL, "task %lld is %s already", (long long)task,
                       fk_task_statuses[t.status]);
  t.status = status;
  t.closed = now;
  snprintf(t.proof, sizeof t.proof, "%s", proof);
  return fk_store_put_task(st, &t, diag);
}
