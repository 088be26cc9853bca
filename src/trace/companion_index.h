/*
 * The companion index's layout, shared by the builder (companion_index.c) and the query
 * (companion.c). Times are seconds since FK__CBASE in 32 bits, persons are the store's row ids,
 * cells are dense indexes into `keys`; every array is sorted by its 64-bit key, so a person's or
 * a cell's presences are one binary search away and lie in time order.
 */
#ifndef FK_TRACE_COMPANION_INDEX_H
#define FK_TRACE_COMPANION_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/companion.h"
#include "fangkong/store.h"

/* 2000-01-01T00:00:00Z: 32-bit offsets from it reach into 2136. */
#define FK__CBASE ((fk_time)946684800)

/* A presence: by person, key = person << 32 | start, a = length, b = cell; by cell,
 * key = cell << 32 | start, a = length, b = person. */
struct fk__crec {
  uint64_t key;
  uint32_t a, b;
};

struct fk_companion_index {
  struct fk_companion_rules rules;
  int window_days;
  struct fk__crec *by_person, *by_cell;
  size_t npres;
  int64_t *keys;             /* cell index -> packed (column, row) */
  uint32_t *cell_max;        /* cell index -> longest presence in it, seconds */
  struct fk_case_row *cases; /* by person */
  size_t ncases, ncells;
  long pings, skipped;
};

/* Packs a cell's column and row into its key, and back. */
static inline int64_t fk__cell_key(int32_t col, int32_t row)
{
  return (int64_t)(((uint64_t)(uint32_t)col << 32) | (uint32_t)row);
}

/* Sorts n records by key (LSD radix, 16 bits a pass, stable); tmp holds n records. */
void fk__crec_sort(struct fk__crec *v, struct fk__crec *tmp, size_t n, uint32_t *count);

#endif
