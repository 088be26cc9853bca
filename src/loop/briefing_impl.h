/* What the two halves of the briefing share (src/loop/briefing*.c). */
#ifndef FK_LOOP_BRIEFING_IMPL_H
#define FK_LOOP_BRIEFING_IMPL_H

#include "fangkong/briefing.h"

struct fk_diag;

/* Overdue tasks by district, risk areas in force, sites, entrance checks into b (b->now, from
 * and today set). Returns 0, FK_ENOMEM or FK_ESTORE. */
int fk__briefing_units(struct fk_store *st, struct fk_briefing *b, struct fk_diag *diag);

#endif
