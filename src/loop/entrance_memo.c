/*
 * What entrance checks read that seldom changes (see fk_entrance_memo in fangkong/entrance.h).
 * A server checks tens of thousands of people a second against the same few thousand places
 * and the same risk areas: reading the areas whole and joining a place to its grid and
 * district at every check cost more than storing the check (docs/PERFORMANCE.md).
 */
#include <assert.h>
#include <string.h>

#include "base/strmap.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "loop/entrance_impl.h"

struct memo_place {
  int64_t id;
  struct fk_location loc;
};

struct fk_entrance_memo {
  struct fk__strmap index; /* place_id -> position in places */
  struct memo_place *places;
  size_t n, cap;
  struct fk_areas areas;
  int have_areas;
  uint64_t version; /* the store's data version when the areas were read */
};

int fk_entrance_memo_new(struct fk_entrance_memo **out)
{
  struct fk_entrance_memo *m;
  assert(out);
  *out = m = fk_calloc(1, sizeof *m);
  if (!m) return FK_ENOMEM;
  fk__strmap_init(&m->index);
  return 0;
}

void fk_entrance_memo_forget(struct fk_entrance_memo *m)
{
  if (!m) return;
  fk_areas_free(&m->areas);
  m->have_areas = 0;
}

void fk_entrance_memo_free(struct fk_entrance_memo *m)
{
  if (!m) return;
  fk_entrance_memo_forget(m);
  fk__strmap_clear(&m->index);
  fk_free(m->places);
  fk_free(m);
}

/* Keeps place_id's id and location (a failure to keep it only costs a later read). */
static void keep(struct fk_entrance_memo *m, const char *place_id, const struct memo_place *p)
{
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 256;
    struct memo_place *q = fk_realloc(m->places, cap * sizeof *q);
    if (!q) return;
    m->places = q;
    m->cap = cap;
  }
  if (fk__strmap_put(&m->index, place_id, strlen(place_id), (int64_t)m->n)) return;
  m->places[m->n++] = *p;
}

int fk__memo_place(struct fk_entrance_memo *m, struct fk_store *st, const char *place_id,
                   int64_t *place, struct fk_location *loc)
{
  struct memo_place p;
  int64_t i;
  int rc;
  assert(m && st && place_id && place && loc);
  if (fk__strmap_get(&m->index, place_id, strlen(place_id), &i)) {
    *place = m->places[i].id;
    *loc = m->places[i].loc;
    return 0;
  }
  if ((rc = fk_store_place_id(st, place_id, &p.id)) || !(*place = p.id)) return rc;
  if ((rc = fk_store_locate(st, FK_LOCATE_PLACE, p.id, NULL, &p.loc))) return rc;
  keep(m, place_id, &p); /* a stored place never changes: kept for good */
  *loc = p.loc;
  return 0;
}

int fk__memo_areas(struct fk_entrance_memo *m, struct fk_store *st, const struct fk_areas **as,
                   struct fk_diag *diag)
{
  uint64_t v;
  int rc = fk_store_data_version(st, &v);
  assert(m && st && as);
  if (rc) return fk_diag_set(diag, rc, NULL, "reading risk areas: %s", fk_store_errmsg(st));
  if (!m->have_areas || v != m->version) {
    fk_entrance_memo_forget(m);
    if ((rc = fk_areas_load(st, &m->areas, diag))) return rc;
    m->have_areas = 1;
    m->version = v;
  }
  *as = &m->areas;
  return 0;
}
