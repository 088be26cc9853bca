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

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/measure.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/task_store.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;

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
FK_API int fk_tasks_sync(struct fk_store *st, const struct fk_rules *rules,
                         const struct fk_measure_row *m, int was_new, fk_time now,
                         struct fk_tasks_stats *stats, struct fk_diag *diag);

/*
 * The time-driven part, over open tasks only: a created task whose start has come is due; an
 * overdue task is raised to every level whose delay has passed, each step recorded with the
 * officer on duty at that moment. Running it twice with the same now changes nothing.
 * Returns 0, FK_ENOMEM or FK_ESTORE.
 */
FK_API int fk_tasks_advance(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                            struct fk_tasks_stats *stats, struct fk_diag *diag);

/*
 * A unit's hand on a task: acknowledge (status acknowledged), done (proof required: what shows
 * it done) or failed (proof: why). A closed task is not changed again.
 * Returns 0, FK_ENOTFOUND (no such task), FK_EINVAL (closed already, or no proof) or FK_ESTORE.
 */
FK_API int fk_task_ack(struct fk_store *st, int64_t task, fk_time now, struct fk_diag *diag);
FK_API int fk_task_close(struct fk_store *st, int64_t task, enum fk_task_status status,
                         const char *proof, fk_time now, struct fk_diag *diag);

#endif
