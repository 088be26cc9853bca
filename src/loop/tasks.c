/*
 * Tasks from measures, and their lives (see fangkong/tasks.h): made when a measure is written,
 * advanced and escalated by time.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/tasks.h"

#define MAXTASKS 64 /* tasks of one measure: notify, transfer, release and the test days */

struct mine {
  struct fk_task_row t[MAXTASKS];
  int n;
};

static int keep(void *arg, const struct fk_task_row *t)
{
  struct mine *m = arg;
  if (m->n < MAXTASKS) m->t[m->n++] = *t;
  return 0;
}

/* The task of kind (and day, for samples) among m's, or NULL. */
static struct fk_task_row *find(struct mine *m, int kind, fk_date day)
{
  for (int i = 0; i < m->n; i++)
    if (m->t[i].kind == kind && (kind != FK_TASK_SAMPLE || m->t[i].day == day)) return &m->t[i];
  return NULL;
}

/* Closes an open task with status and proof. Returns 0 or the store's error. */
static int close_task(struct fk_store *st, struct fk_task_row *t, enum fk_task_status status,
                      const char *proof, fk_time now, struct fk_diag *diag)
{
  if (!FK_TASK_OPEN(t->status)) return 0;
  t->status = status;
  t->closed = now;
  snprintf(t->proof, sizeof t->proof, "%s", proof);
  return fk_store_put_task(st, t, diag);
}

/* The context of one measure's tasks. */
struct sync {
  struct fk_store *st;
  const struct fk_rules *rules;
  const struct fk_measure_row *m;
  const struct fk_person_info *who;
  fk_time now;
  struct fk_tasks_stats *stats;
  struct fk_diag *diag;
};

/* Makes a task of kind for the measure: startable at start, due by due; closed already (done,
 * with proof) when proof is not NULL. */
static int make_closed(struct sync *s, int kind, fk_date day, fk_time start, fk_time due,
                       const char *reason, const char *proof)
{
  struct fk_task_row t;
  memset(&t, 0, sizeof t);
  t.kind = kind;
  t.person = s->m->person;
  t.measure = s->m->id;
  t.day = day;
  snprintf(t.unit, sizeof t.unit, "%s", s->who->grid_id);
  t.region = s->who->grid;
  t.level = FK_LEVEL_GRID;
  t.created = s->now;
  t.start = start;
  t.due = due;
  t.status = s->now >= start ? FK_TSTATUS_DUE : FK_TSTATUS_CREATED;
  t.acked = t.closed = FK_TIME_NONE;
  snprintf(t.reason, sizeof t.reason, "%s", reason);
  if (proof) {
    t.status = FK_TSTATUS_DONE;
    t.closed = s->now;
    snprintf(t.proof, sizeof t.proof, "%s", proof);
    if (s->stats) s->stats->done_auto++;
  }
  if (s->stats) s->stats->created[kind]++;
  return fk_store_put_task(s->st, &t, s->diag);
}

static int make(struct sync *s, int kind, fk_date day, fk_time start, fk_time due,
                const char *reason)
{
  return make_closed(s, kind, day, start, due, reason, NULL);
}

/* The minutes a transfer has for a measure whose first phase is of kind k, or -1 if none. */
static int transfer_minutes(const struct fk_rules *r, int k)
{
  const struct fk_task_rules *t = &r->loop.tasks[FK_TASK_TRANSFER];
  if (!t->used || k < 0 || k >= FK_MEASURE_NKINDS || !t->kinds[k]) return -1;
  return t->kind_minutes[k] ? t->kind_minutes[k] : t->due_minutes;
}

/* Notify and transfer, once, for an active measure. */
static int placement_tasks(struct sync *s, struct mine *have)
{
  const struct fk_rules *r = s->rules;
  const struct fk_measure_rules *mr = &r->measures[s->m->category];
  char why[256];
  int rc = 0;
  if (r->loop.tasks[FK_TASK_NOTIFY].used && !find(have, FK_TASK_NOTIFY, FK_DATE_NONE)) {
    snprintf(why, sizeof why, "tell of %s (%s): %.200s", fk_person_cats[s->m->category],
             fk_measure_kinds[s->m->kind], s->m->reason);
    rc = make(s, FK_TASK_NOTIFY, FK_DATE_NONE, s->now,
              s->now + 60 * (fk_time)r->loop.tasks[FK_TASK_NOTIFY].due_minutes, why);
  }
  int first = mr->nphases ? (int)mr->phases[0].kind : -1;
  int minutes = transfer_minutes(r, first);
  if (!rc && minutes >= 0 && s->m->kind == first && !find(have, FK_TASK_TRANSFER, FK_DATE_NONE)) {
    snprintf(why, sizeof why, "take to %s: %.200s", fk_measure_kinds[first], s->m->reason);
    rc = make(s, FK_TASK_TRANSFER, FK_DATE_NONE, s->now, s->now + 60 * (fk_time)minutes, why);
  }
  return rc;
}

/* One sample task per due date of the measure's scheduled tests; closed by the sample. */
static int sample_tasks(struct sync *s, struct mine *have)
{
  const struct fk_task_rules *tr = &s->rules->loop.tasks[FK_TASK_SAMPLE];
  char why[256], day[FK_DATE_BUFSZ];
  int rc = 0;
  for (int i = 0; !rc && tr->used && i < s->m->ntests; i++) {
    const struct fk_measure_test *t = &s->m->tests[i];
    if (t->phase < 0) continue; /* kept from an earlier anchor: the record, not a task */
    struct fk_task_row *k = find(have, FK_TASK_SAMPLE, t->due);
    int taken = t->status == FK_TEST_DONE || t->status == FK_TEST_POSITIVE;
    char proof[128];
    snprintf(proof, sizeof proof, "sample %s (%s)", t->sample_id[0] ? t->sample_id : "?",
             t->status == FK_TEST_POSITIVE ? "positive" : "taken");
    if (!k) {
      fk_time start = fk_date_start(t->due);
      const struct fk_measure_rules *mr = &s->rules->measures[s->m->category];
      int kind = t->phase < mr->nphases ? (int)mr->phases[t->phase].kind : s->m->kind;
      snprintf(why, sizeof why, "day-%d sample of %s (%s), due %s", t->day,
               fk_person_cats[s->m->category], fk_measure_kinds[kind], fk_date_format(t->due, day));
      rc = make_closed(s, FK_TASK_SAMPLE, t->due, start, start + 60 * (fk_time)tr->due_minutes, why,
                       taken ? proof : NULL);
      if (!rc && have->n < MAXTASKS) /* later tests due the same day find it */
        have->t[have->n++] =
            (struct fk_task_row){.kind = FK_TASK_SAMPLE, .day = t->due, .status = FK_TSTATUS_DONE};
    } else if (taken && FK_TASK_OPEN(k->status)) {
      if (s->stats) s->stats->done_auto++;
      rc = close_task(s->st, k, FK_TSTATUS_DONE, proof, s->now, s->diag);
    }
  }
  /* A sample task whose day no test keeps any more was re-planned away. */
  for (int i = 0; !rc && i < have->n; i++) {
    struct fk_task_row *k = &have->t[i];
    int wanted = 0;
    if (k->kind != FK_TASK_SAMPLE || !FK_TASK_OPEN(k->status)) continue;
    for (int j = 0; j < s->m->ntests; j++)
      wanted |= s->m->tests[j].phase >= 0 && s->m->tests[j].due == k->day;
    if (wanted) continue;
    if (s->stats) s->stats->cancelled++;
    rc = close_task(s->st, k, FK_TSTATUS_CANCELLED, "test day moved: the measure was re-planned",
                    s->now, s->diag);
  }
  return rc;
}

/* Cancels every open task of the measure but those of kind `except` (-1: none). */
static int cancel_open(struct sync *s, struct mine *have, int except, const char *why)
{
  int rc = 0;
  for (int i = 0; !rc && i < have->n; i++) {
    if (have->t[i].kind == except || !FK_TASK_OPEN(have->t[i].status)) continue;
    if (s->stats) s->stats->cancelled++;
    rc = close_task(s->st, &have->t[i], FK_TSTATUS_CANCELLED, why, s->now, s->diag);
  }
  return rc;
}

int fk_tasks_sync(struct fk_store *st, const struct fk_rules *rules, const struct fk_measure_row *m,
                  int was_new, fk_time now, struct fk_tasks_stats *stats, struct fk_diag *diag)
{
  struct fk_person_info who;
  struct mine *have = fk_malloc(sizeof *have);
  int rc;
  (void)was_new; /* what exists says more than whether the measure is new */
  if (!have) return FK_ENOMEM;
  have->n = 0;
  rc = fk_store_person_info(st, m->person, &who);
  if (!rc)
    rc = fk_store_each_task(st, &(struct fk_task_filter){0, m->id, 0, 0, -1, NULL, 0}, keep, have);
  struct sync s = {st, rules, m, &who, now, stats, diag};
  if (rc) goto out;
  if (m->status == FK_MSTATUS_SUPERSEDED) {
    rc = cancel_open(&s, have, -1, "measure superseded by a stricter one");
  } else if (m->status == FK_MSTATUS_RELEASED) {
    rc = sample_tasks(&s, have); /* the last sample closes its task */
    if (!rc) rc = cancel_open(&s, have, FK_TASK_SAMPLE, "measure released");
    const struct fk_task_rules *tr = &rules->loop.tasks[FK_TASK_RELEASE];
    if (!rc && tr->used && !find(have, FK_TASK_RELEASE, FK_DATE_NONE)) {
      char why[256];
      snprintf(why, sizeof why, "release from %s: every test done", fk_person_cats[m->category]);
      rc = make(&s, FK_TASK_RELEASE, FK_DATE_NONE, now, now + 60 * (fk_time)tr->due_minutes, why);
    }
  } else {
    rc = placement_tasks(&s, have);
    if (!rc) rc = sample_tasks(&s, have);
  }
out:
  if (rc && rc != FK_ESTORE && diag && !diag->reason[0])
    fk_diag_set(diag, rc, NULL, "making the tasks of a measure: %s", fk_strerror(rc));
  fk_free(have);
  return rc;
}
