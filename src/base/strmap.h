/*
 * A map from short byte strings to int64 values, for the hot lookups of ingest (person_id ->
 * row id, millions of times per import). Open addressing with linear probing over a power-of-
 * two table; keys are copied into large arena blocks so a million keys cost a few allocations.
 * About 16 bytes a slot plus the key bytes. Not thread-safe.
 */
#ifndef FK_BASE_STRMAP_H
#define FK_BASE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct fk__strmap_slot {
  const char *key; /* NULL: empty */
  uint32_t len;
  uint32_t hash;
  int64_t value;
};

struct fk__strmap {
  struct fk__strmap_slot *slots;
  size_t cap, count;
  struct fk__arena_block *blocks;
};

/* Initialises an empty map (no allocation yet). */
void fk__strmap_init(struct fk__strmap *m);
/* Frees every slot and key; the map is empty and reusable afterwards. */
void fk__strmap_clear(struct fk__strmap *m);
/* Returns 1 and sets *value when key is present, else 0. */
int fk__strmap_get(const struct fk__strmap *m, const char *key, size_t len, int64_t *value);
/* Sets key to value (copying the key). Returns 0 or FK_ENOMEM (the map is unchanged then). */
int fk__strmap_put(struct fk__strmap *m, const char *key, size_t len, int64_t value);

#endif
