/*
 * What the entrance check (entrance.c) asks of its memo (entrance_memo.c): a place's id and
 * grid, and the risk areas, from memory when the memo holds them.
 */
#ifndef FK_LOOP_ENTRANCE_IMPL_H
#define FK_LOOP_ENTRANCE_IMPL_H

#include <stdint.h>

#include "fangkong/areas.h"
#include "fangkong/entrance.h"

/*
 * Sets *place to place_id's internal id (0 when unknown: *loc is not set then) and *loc to where
 * it lies. Returns 0, FK_ENOTFOUND (a place without a grid) or FK_ESTORE.
 */
int fk__memo_place(struct fk_entrance_memo *m, struct fk_store *st, const char *place_id,
                   int64_t *place, struct fk_location *loc);

/* Sets *as to the stored risk areas (borrowed from m until its next call), read again when
 * another connection has committed since they were read. Returns 0, FK_ENOMEM or FK_ESTORE
 * (diag says why). */
int fk__memo_areas(struct fk_entrance_memo *m, struct fk_store *st, const struct fk_areas **as,
                   struct fk_diag *diag);

#endif
