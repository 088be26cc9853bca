/*
 * The tokens the server has seen, by hash: every request names its token, and reading it from
 * the store each time (under the reader's lock, whose page cache every commit of the writer
 * empties) cost a tenth of an entrance check (docs/PERFORMANCE.md). A token's row is kept for
 * FK__TOKEN_LIFE_S seconds after it was read, so a token removed from the store stops working
 * within that time; a hash not in the store is never kept (an unknown token is asked for again).
 * At most FK__TOKEN_CACHE_MAX tokens are kept; past that the cache starts afresh.
 */
#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "base/strmap.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "server/server.h"

#define FK__TOKEN_LIFE_S 10
#define FK__TOKEN_CACHE_MAX 65536

struct seen {
  struct fk_token_row row;
  time_t until; /* CLOCK_MONOTONIC seconds */
};

struct fk__token_cache {
  pthread_mutex_t mu;
  struct fk__strmap index; /* hash -> position in seen */
  struct seen *seen;
  size_t n, cap;
};

time_t fk__token_clock(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec;
}

int fk__token_cache_new(struct fk__token_cache **out)
{
  struct fk__token_cache *c = fk_calloc(1, sizeof *c);
  assert(out);
  *out = c;
  if (!c) return FK_ENOMEM;
  pthread_mutex_init(&c->mu, NULL);
  fk__strmap_init(&c->index);
  return 0;
}

void fk__token_cache_free(struct fk__token_cache *c)
{
  if (!c) return;
  fk__strmap_clear(&c->index);
  fk_free(c->seen);
  pthread_mutex_destroy(&c->mu);
  fk_free(c);
}

/* 1, *out and *until when hash is kept and fresh. Under c->mu. */
static int lookup(struct fk__token_cache *c, const char *hash, struct fk_token_row *out,
                  time_t *until)
{
  int64_t i;
  if (!fk__strmap_get(&c->index, hash, strlen(hash), &i) || c->seen[i].until < fk__token_clock())
    return 0;
  *out = c->seen[i].row;
  *until = c->seen[i].until;
  return 1;
}

/* Keeps row under hash until *until (set; a failure to keep it only costs a later read).
 * Under c->mu. */
static void keep(struct fk__token_cache *c, const char *hash, const struct fk_token_row *row,
                 time_t *until)
{
  size_t len = strlen(hash);
  int64_t i;
  *until = fk__token_clock() + FK__TOKEN_LIFE_S;
  if (!fk__strmap_get(&c->index, hash, len, &i)) {
    if (c->n == FK__TOKEN_CACHE_MAX) { /* full: start afresh */
      fk__strmap_clear(&c->index);
      c->n = 0;
    }
    if (c->n == c->cap) {
      size_t cap = c->cap ? c->cap * 2 : 64;
      struct seen *p = fk_realloc(c->seen, cap * sizeof *p);
      if (!p) return;
      c->seen = p;
      c->cap = cap;
    }
    if (fk__strmap_put(&c->index, hash, len, (int64_t)c->n)) return;
    i = (int64_t)c->n++;
  }
  c->seen[i].row = *row;
  c->seen[i].until = *until;
}

int fk__token_find(struct fk__token_cache *c, struct fk_store *st, pthread_mutex_t *mu,
                   const char *hash, struct fk_token_row *out, time_t *until)
{
  int rc, hit;
  assert(c && st && mu && hash && out && until);
  pthread_mutex_lock(&c->mu);
  hit = lookup(c, hash, out, until);
  pthread_mutex_unlock(&c->mu);
  if (hit) return 0;
  pthread_mutex_lock(mu);
  rc = fk_store_token(st, hash, out);
  pthread_mutex_unlock(mu);
  if (rc) return rc;
  pthread_mutex_lock(&c->mu);
  keep(c, hash, out, until);
  pthread_mutex_unlock(&c->mu);
  return 0;
}
