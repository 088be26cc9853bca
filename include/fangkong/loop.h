/*
 * The closed loop (闭环), one tick at a time: every case known by `now` traced (once, and again
 * only when its window changed), its contacts and every arrival placed under their measures,
 * every measure's tasks made, tests marked, overdue tasks escalated, finished measures released.
 * A pure function of (store, rules, now): the same now twice changes nothing.
 */
#ifndef FANGKONG_LOOP_H
#define FANGKONG_LOOP_H

#include "fangkong/export.h"

#include "fangkong/alerts.h"
#include "fangkong/areas.h"
#include "fangkong/measures.h"
#include "fangkong/sites.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/task_store.h"
#include "fangkong/tasks.h"
#include "fangkong/time.h"

struct fk_diag;
struct fk_trace_index;

struct fk_tick_stats {
  long traced; /* cases traced by this tick */
  struct fk_areas_stats areas;
  struct fk_measures_stats measures;
  struct fk_sites_stats sites;
  struct fk_tasks_stats tasks;
  struct fk_alerts_stats alerts; /* escalations of unverified alerts */
};

/*
 * One tick as of now, in this order: the cases to trace (known by now, window changed) are
 * traced and their stays kept; risk areas are brought up to date (fk_areas_update_traced);
 * measures are applied, each written measure's tasks made (fk_tasks_sync); rooms are given
 * (fk_sites_allocate) and a transfer to a site is done once the person has a room; open tasks
 * advance and escalate (fk_tasks_advance); unverified alerts escalate (fk_alerts_advance; the
 * alert scan itself is `fangkong alert scan`, run as often as the office wants).
 *   st     the store (borrowed)
 *   ix     in/out (borrowed pointer to the caller's index pointer): when a case must be traced,
 *          *ix is refreshed from the store, or built when NULL; the caller frees *ix
 *          (fk_trace_index_free). A tick with no case to trace never builds one, so its cost
 *          follows the people under measure, not the city's check-ins.
 *   rules  the rule set (borrowed; must outlive *ix)
 *   stats  filled (may be NULL)
 * Returns 0, FK_ENOMEM or FK_ESTORE (diag says why); a failed tick leaves the store as before
 * its failing step (each step is a transaction).
 */
FK_API int fk_tick(struct fk_store *st, struct fk_trace_index **ix, const struct fk_rules *rules,
                   fk_time now, struct fk_tick_stats *stats, struct fk_diag *diag);

#endif
