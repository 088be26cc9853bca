/*
 * Tasks: what a measure or an event asks of the unit responsible (the grid of the person's home,
 * a quarantine site), with a deadline from the rules, and how an overdue one climbs the hierarchy
 * (grid -> community -> street -> district -> city) to the officer on duty at each level.
 *
 * A task is `created` (known in advance, not yet startable), `due` (it can and must be done),
 * `acknowledged` (someone took it), then `done` (with what proves it), `failed` (with why) or
 * `cancelled` (what it served went away: a re-planned test day, a superseded measure). A task
 * not closed by its due time is overdue: it reaches each level the rules' escalation section
 * names at that delay past its due time, and each step is recorded with the officer on duty
 * then (duty.csv). docs/TASKS.md has the whole of it.
 */
#ifndef FANGKONG_TASKS_H
#define FANGKONG_TASKS_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/measure.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/time.h"

struct fk_diag;

enum fk_task_status {
  FK_TSTATUS_CREATED = 0,
  FK_TSTATUS_DUE,
  FK_TSTATUS_ACKNOWLEDGED,
  FK_TSTATUS_DONE,
  FK_TSTATUS_FAILED,
  FK_TSTATUS_CANCELLED,
  FK_TSTATUS_N
};
/* "created", "due", "acknowledged", "done", "failed", "cancelled"; NULL-terminated. */
extern const char *const fk_task_statuses[];

/* 1 when a task of that status is still open (created, due, acknowledged). */
#define FK_TASK_OPEN(s) ((s) <= FK_TSTATUS_ACKNOWLEDGED)

struct fk_task_row {
  int64_t id;      /* 0 for a task not yet stored */
  int kind;        /* enum fk_task_kind */
  int64_t person;  /* internal person id, or 0 */
  int64_t measure; /* the measure it serves, or 0 */
  fk_date day;     /* a sample task's due date, else FK_DATE_NONE */
  char unit[72];   /* who must do it: a grid_id or a site id */
  int64_t region;  /* the unit's grid (internal region id) */
  int level;       /* enum fk_level: where it stands now */
  fk_time created, start, due;
  enum fk_task_status status;
  fk_time acked, closed; /* FK_TIME_NONE when not yet */
  char proof[128];       /* what proves it done, or why it failed or was cancelled */
  char reason[256];      /* what it serves */
  char person_id[72];    /* filled when read: the person's id, "" when none */
};

/* Which tasks fk_store_each_task gives: every field 0 / NULL / -1 means "any". */
struct fk_task_filter {
  int64_t id;
  int64_t measure;
  int64_t person;
  int open_only;    /* 1: created, due and acknowledged only */
  int status;       /* enum fk_task_status, or -1 */
  const char *unit; /* the unit exactly, or a region code whose tasks (by grid) lie under it */
  fk_time act_at;   /* not 0: only open tasks with something to happen by then (a created
                       task whose start has come, or one past due) */
};

/*
 * Calls fn for each task the filter lets through, in id order (the row is borrowed for the
 * call). Returns 0, fn's first non-zero return, or FK_ESTORE.
 */
int fk_store_each_task(struct fk_store *st, const struct fk_task_filter *f,
                       int (*fn)(void *arg, const struct fk_task_row *t), void *arg);

/*
 * Stores t: inserts it when t->id is 0 (setting t->id), else updates the row. Call inside a
 * transaction to group writes. Returns 0, FK_ECONFLICT when a task of the same measure, kind and
 * day exists, or FK_ESTORE (diag says why).
 */
int fk_store_put_task(struct fk_store *st, struct fk_task_row *t, struct fk_diag *diag);

/* One step of an overdue task up the hierarchy. */
struct fk_escalation_row {
  int64_t task;
  int level;        /* enum fk_level reached */
  fk_time at;       /* when: the task's due time plus the rule's delay */
  char unit[168];   /* the region code at that level, or "city" */
  char officer[64]; /* on duty then; "" when the roster has nobody */
  char phone[24];
};

/* Stores e (one per task and level; storing it again changes nothing). Returns 0 or FK_ESTORE. */
int fk_store_put_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                            struct fk_diag *diag);

/* Calls fn for each escalation of task (0: of every task), by task then level. As above. */
int fk_store_each_escalation(struct fk_store *st, int64_t task,
                             int (*fn)(void *arg, const struct fk_escalation_row *e), void *arg);

/*
 * The officer on duty for unit (a grid_id, region code or "city") at time at, from the duty
 * roster: the shift with from <= at < to that started last. officer and phone get "" when none.
 * Returns 0 or FK_ESTORE.
 */
int fk_store_duty_at(struct fk_store *st, const char *unit, fk_time at, char *officer,
                     size_t officer_size, char *phone, size_t phone_size);

/* A region of the hierarchy (regions are districts, streets, communities and grids). */
struct fk_region_row {
  int64_t id;
  int level;      /* enum fk_level: FK_LEVEL_DISTRICT .. FK_LEVEL_GRID */
  int64_t parent; /* 0 for a district (the city is above every district) */
  char code[168]; /* a grid_id, or the name path "/district/street/community" */
  char name[132];
  double lat, lon;
};

/* Fills *out with region id. Returns 0, FK_ENOTFOUND or FK_ESTORE. */
int fk_store_region(struct fk_store *st, int64_t id, struct fk_region_row *out);

/* What the loop needs of a person. */
struct fk_person_info {
  int64_t id;
  char person_id[72];
  char household_id[72];
  int64_t grid; /* internal region id of the home grid */
  char grid_id[72];
  fk_date birth;
};

/* Fills *out for person (internal id). Returns 0, FK_ENOTFOUND or FK_ESTORE. */
int fk_store_person_info(struct fk_store *st, int64_t person, struct fk_person_info *out);

/*
 * The end of the window case (internal person id) was last traced over by the tick, in
 * *window_end (FK_TIME_NONE: never traced); and recording a new one. Return 0 or FK_ESTORE.
 */
int fk_store_case_traced(struct fk_store *st, int64_t person, fk_time *window_end);
int fk_store_put_case_traced(struct fk_store *st, int64_t person, fk_time window_end, fk_time now);

struct fk_stay;

/*
 * A traced case's stays (what risk areas read of it): replacing them (the stays over the window
 * the case was traced over, s[0..n)), and reading those overlapping [from, to) with the place's
 * id (borrowed for the call). Return 0, fn's first non-zero return, or FK_ESTORE.
 */
int fk_store_put_case_stays(struct fk_store *st, int64_t person, const struct fk_stay *s, size_t n);
int fk_store_each_case_stay(struct fk_store *st, int64_t person, fk_time from, fk_time to,
                            int (*fn)(void *arg, const struct fk_stay *s, const char *place_id),
                            void *arg);

/* ---- The engine ---- */

struct fk_tasks_stats {
  long created[FK_TASK_NKINDS]; /* tasks made by this run, by kind */
  long done_auto;               /* closed by the evidence (a sample, a room) */
  long cancelled;
  long started;         /* created -> due */
  long escalations;     /* steps up the hierarchy recorded by this run */
  long looked, overdue; /* open tasks with something to happen by now; of them, past due */
};

/*
 * Brings the tasks of measure m (as just written by the measures engine, m->id set) in step with
 * it as of now: a new measure gets its notify (and, by the rules, transfer) task; every test of
 * an active measure its sample task (done when the test was taken, with the sample as proof;
 * cancelled when the test day moved); a released measure its release task; a superseded one has
 * its open tasks cancelled. Writes only what changed.
 *   was_new  1 when m was placed by this run
 * Returns 0, FK_ENOMEM or FK_ESTORE.
 */
int fk_tasks_sync(struct fk_store *st, const struct fk_rules *rules, const struct fk_measure_row *m,
                  int was_new, fk_time now, struct fk_tasks_stats *stats, struct fk_diag *diag);

/*
 * The time-driven part, over open tasks only: a created task whose start has come is due; an
 * overdue task is raised to every level whose delay has passed, each step recorded with the
 * officer on duty at that moment. Running it twice with the same now changes nothing.
 * Returns 0, FK_ENOMEM or FK_ESTORE.
 */
int fk_tasks_advance(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                     struct fk_tasks_stats *stats, struct fk_diag *diag);

/*
 * A unit's hand on a task: acknowledge (status acknowledged), done (proof required: what shows
 * it done) or failed (proof: why). A closed task is not changed again.
 * Returns 0, FK_ENOTFOUND (no such task), FK_EINVAL (closed already, or no proof) or FK_ESTORE.
 */
int fk_task_ack(struct fk_store *st, int64_t task, fk_time now, struct fk_diag *diag);
int fk_task_close(struct fk_store *st, int64_t task, enum fk_task_status status, const char *proof,
                  fk_time now, struct fk_diag *diag);

#endif
