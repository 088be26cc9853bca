/* String -> int64 map (see strmap.h). */
#include <string.h>

#include "base/strmap.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

#define ARENA_BLOCK (1u << 20)

struct fk__arena_block {
  struct fk__arena_block *next;
  size_t used, size;
  char data[];
};

/* FNV-1a: short identifiers hash well and quickly. */
static uint32_t hash_bytes(const char *s, size_t n)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

void fk__strmap_init(struct fk__strmap *m)
{
  memset(m, 0, sizeof *m);
}

void fk__strmap_clear(struct fk__strmap *m)
{
  struct fk__arena_block *b = m->blocks, *next;
  for (; b; b = next) {
    next = b->next;
    fk_free(b);
  }
  fk_free(m->slots);
  fk__strmap_init(m);
}

static struct fk__strmap_slot *find(const struct fk__strmap *m, const char *key, size_t len,
                                    uint32_t h)
{
  size_t mask = m->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    struct fk__strmap_slot *s = &m->slots[i];
    if (!s->key || (s->hash == h && s->len == len && !memcmp(s->key, key, len))) return s;
  }
}

int fk__strmap_get(const struct fk__strmap *m, const char *key, size_t len, int64_t *value)
{
  if (!m->cap) return 0;
  struct fk__strmap_slot *s = find(m, key, len, hash_bytes(key, len));
  if (!s->key) return 0;
  *value = s->value;
  return 1;
}

static int grow(struct fk__strmap *m)
{
  size_t cap = m->cap ? m->cap * 2 : 1024;
  struct fk__strmap_slot *old = m->slots;
  size_t oldcap = m->cap;
  m->slots = fk_calloc(cap, sizeof *m->slots);
  if (!m->slots) {
    m->slots = old;
    return FK_ENOMEM;
  }
  m->cap = cap;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].key) *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
  fk_free(old);
  return 0;
}

static const char *keep(struct fk__strmap *m, const char *key, size_t len)
{
  struct fk__arena_block *b = m->blocks;
  if (!b || b->size - b->used < len) {
    size_t size = len > ARENA_BLOCK ? len : ARENA_BLOCK;
    b = fk_malloc(sizeof *b + size);
    if (!b) return NULL;
    b->next = m->blocks;
    b->used = 0;
    b->size = size;
    m->blocks = b;
  }
  char *p = b->data + b->used;
  memcpy(p, key, len);
  b->used += len;
  return p;
}

int fk__strmap_put(struct fk__strmap *m, const char *key, size_t len, int64_t value)
{
  if (len > UINT32_MAX) return FK_EINVAL;
  if ((m->count + 1) * 4 > m->cap * 3 && grow(m)) return FK_ENOMEM;
  uint32_t h = hash_bytes(key, len);
  struct fk__strmap_slot *s = find(m, key, len, h);
  if (s->key) {
    s->value = value;
    return 0;
  }
  const char *k = keep(m, key, len);
  if (!k) return FK_ENOMEM;
  *s = (struct fk__strmap_slot){k, (uint32_t)len, h, value};
  m->count++;
  return 0;
}
