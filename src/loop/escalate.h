/*
 * Escalation up the hierarchy, shared by tasks and alerts: what is overdue climbs from where it
 * stands to each level whose delay past its due time (the rules' escalation section) has
 * passed, each step recorded with the officer on duty at that moment.
 */
#ifndef FK_LOOP_ESCALATE_H
#define FK_LOOP_ESCALATE_H

#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/tasks.h"

/* The region chains a run has looked up (a small cache). NULL when out of memory. */
struct fk__chains;
struct fk__chains *fk__chains_new(void);
void fk__chains_free(struct fk__chains *cs);

/*
 * Raises what owner names (a task or an alert id, written into each step's `task`), standing at
 * *level over region (a grid or any region; 0 the city), due at due, to every level whose delay
 * has passed by now; each step is stored by put and counted in *steps, and *level follows.
 * Returns 0, put's error, or FK_ESTORE.
 */
int fk__escalate(struct fk_store *st, struct fk__chains *cs, const struct fk_escalation_rules *er,
                 int64_t owner, int64_t region, int *level, fk_time due, fk_time now,
                 int (*put)(struct fk_store *st, const struct fk_escalation_row *e,
                            struct fk_diag *diag),
                 long *steps, struct fk_diag *diag);

#endif
