/*
 * The store's side of the loop (fangkong/tasks.h): tasks, their steps up the hierarchy and the
 * duty roster, the regions of the hierarchy, what the loop needs of a person, the cases the tick
 * has traced and the ticks themselves. Internal ids and epoch seconds; every iterator stops at
 * the first non-zero return of fn and returns it, else 0 or FK_ESTORE.
 */
#ifndef FANGKONG_TASK_STORE_H
#define FANGKONG_TASK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/export.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;
struct fk_store;

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
FK_API int fk_store_each_task(struct fk_store *st, const struct fk_task_filter *f,
                              int (*fn)(void *arg, const struct fk_task_row *t), void *arg);

/*
 * Stores t: inserts it when t->id is 0 (setting t->id), else updates the row. Call inside a
 * transaction to group writes. Returns 0, FK_ECONFLICT when a task of the same measure, kind and
 * day exists, or FK_ESTORE (diag says why).
 */
FK_API int fk_store_put_task(struct fk_store *st, struct fk_task_row *t, struct fk_diag *diag);

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
FK_API int fk_store_put_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                                   struct fk_diag *diag);

/* Calls fn for each escalation of task (0: of every task), by task then level. As above. */
FK_API int fk_store_each_escalation(struct fk_store *st, int64_t task,
                                    int (*fn)(void *arg, const struct fk_escalation_row *e),
                                    void *arg);

/*
 * The officer on duty for unit (a grid_id, region code or "city") at time at, from the duty
 * roster: the shift with from <= at < to that started last. officer and phone get "" when none.
 * Returns 0 or FK_ESTORE.
 */
FK_API int fk_store_duty_at(struct fk_store *st, const char *unit, fk_time at, char *officer,
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
FK_API int fk_store_region(struct fk_store *st, int64_t id, struct fk_region_row *out);

/* Sets *in to 1 when region (internal id) is scope or lies under it, or scope is 0 (the city),
 * else 0. Returns 0 or FK_ESTORE. */
FK_API int fk_store_region_in(struct fk_store *st, int64_t region, int64_t scope, int *in);

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
FK_API int fk_store_person_info(struct fk_store *st, int64_t person, struct fk_person_info *out);

/*
 * The end of the window case (internal person id) was last traced over by the tick, in
 * *window_end (FK_TIME_NONE: never traced); and recording a new one. Return 0 or FK_ESTORE.
 */
FK_API int fk_store_case_traced(struct fk_store *st, int64_t person, fk_time *window_end);
FK_API int fk_store_put_case_traced(struct fk_store *st, int64_t person, fk_time window_end,
                                    fk_time now);

/*
 * The loop's record of its turns: every tick stores its now (and the rule set's name) with its
 * last step; a replay (fangkong/scenario.h) skips the days ticked already, since the store's
 * clock only goes forward. fk_store_put_tick (inside a transaction to group it) changes nothing
 * for a now stored already; fk_store_last_tick sets *at to the latest now, or FK_TIME_NONE when
 * the store was never ticked. Return 0 or FK_ESTORE.
 *   rules  the rule set's name (borrowed for the call)
 */
FK_API int fk_store_put_tick(struct fk_store *st, fk_time at, const char *rules);
FK_API int fk_store_last_tick(struct fk_store *st, fk_time *at);

#endif
