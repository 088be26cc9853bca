/*
 * Building the companion index (see fangkong/companion.h): pings stream from the store in id
 * order, each mapped to its cell through a small hash (a city has thousands of cells, not
 * millions), are radix-sorted by person and time, and collapse into presences; the presences
 * are then copied and radix-sorted by cell and time. Peak memory is 16 bytes a ping twice (the
 * pings and the sort's buffer); what stays is 32 bytes a presence.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/geo.h"
#include "base/rng.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "trace/companion_index.h"

/* The projection's fixed reference: Taiyuan's centre (五一广场), so cell ids never move. */
#define REF_LAT 37.87
#define REF_LON 112.55

struct build {
  struct fk_companion_index *ix;
  struct fk__crec *pings;
  size_t n, cap;
  /* cell hash: open addressing, slots hold cell index + 1 (0 is empty) */
  uint32_t *slots;
  size_t nslots, keycap, casecap;
  double m_east, m_north; /* meters per degree of longitude and latitude at the reference */
  int rc;
};

/* Doubles the hash's slots and re-inserts every key; returns 0 or FK_ENOMEM. */
static int grow_slots(struct build *b)
{
  size_t n = b->nslots ? b->nslots * 2 : 4096;
  uint32_t *s = fk_calloc(n, sizeof *s);
  if (!s) return FK_ENOMEM;
  for (size_t c = 0; c < b->ix->ncells; c++) {
    size_t h = fk__mix64((uint64_t)b->ix->keys[c]) & (n - 1);
    while (s[h])
      h = (h + 1) & (n - 1);
    s[h] = (uint32_t)c + 1;
  }
  fk_free(b->slots);
  b->slots = s;
  b->nslots = n;
  return 0;
}

/* Returns the dense index of the cell with key, adding it when new; or FK_ENOMEM. */
static int64_t cell_index(struct build *b, int64_t key)
{
  struct fk_companion_index *ix = b->ix;
  if ((ix->ncells + 1) * 2 > b->nslots && grow_slots(b)) return FK_ENOMEM;
  size_t h = fk__mix64((uint64_t)key) & (b->nslots - 1);
  while (b->slots[h]) {
    if (ix->keys[b->slots[h] - 1] == key) return b->slots[h] - 1;
    h = (h + 1) & (b->nslots - 1);
  }
  if (ix->ncells == b->keycap) {
    size_t cap = b->keycap ? b->keycap * 2 : 1024;
    int64_t *k = fk_realloc(ix->keys, cap * sizeof *k);
    if (!k) return FK_ENOMEM;
    ix->keys = k;
    b->keycap = cap;
  }
  ix->keys[ix->ncells] = key;
  b->slots[h] = (uint32_t)ix->ncells + 1;
  return (int64_t)ix->ncells++;
}

static int on_ping(void *arg, const struct fk_ping_row *p)
{
  struct build *b = arg;
  double cm = b->ix->rules.cell_meters;
  double x = floor((p->lon - REF_LON) * b->m_east / cm),
         y = floor((p->lat - REF_LAT) * b->m_north / cm);
  b->ix->pings++;
  /* The importer bounds lat and lon, so this only guards the 32-bit packing. */
  if (p->at < FK__CBASE || p->at - FK__CBASE > (fk_time)UINT32_MAX || p->person <= 0 ||
      p->person > (int64_t)UINT32_MAX || !(fabs(x) < 2e9 && fabs(y) < 2e9)) {
    b->ix->skipped++;
    return 0;
  }
  int64_t cell = cell_index(b, fk__cell_key((int32_t)x, (int32_t)y));
  if (cell < 0) return b->rc = (int)cell;
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 65536;
    struct fk__crec *v = fk_realloc(b->pings, cap * sizeof *v);
    if (!v) return b->rc = FK_ENOMEM;
    b->pings = v;
    b->cap = cap;
  }
  b->pings[b->n++] = (struct fk__crec){(uint64_t)p->person << 32 | (uint64_t)(p->at - FK__CBASE),
                                       (uint32_t)cell, 0};
  return 0;
}

static int on_case(void *arg, const struct fk_case_row *row)
{
  struct build *b = arg;
  struct fk_companion_index *ix = b->ix;
  if (ix->ncases == b->casecap) {
    size_t cap = b->casecap ? b->casecap * 2 : 64;
    struct fk_case_row *v = fk_realloc(ix->cases, cap * sizeof *v);
    if (!v) return b->rc = FK_ENOMEM;
    ix->cases = v;
    b->casecap = cap;
  }
  ix->cases[ix->ncases++] = *row;
  return 0;
}

void fk__crec_sort(struct fk__crec *v, struct fk__crec *tmp, size_t n, uint32_t *count)
{
  uint64_t all_or = 0, all_and = ~(uint64_t)0;
  if (n < 2) return;
  for (size_t i = 0; i < n; i++) {
    all_or |= v[i].key;
    all_and &= v[i].key;
  }
  for (int shift = 0; shift < 64; shift += 16) {
    /* A digit every key shares (the high bits of small person ids, say) needs no pass. */
    if ((((all_or ^ all_and) >> shift) & 0xffff) == 0) continue;
    memset(count, 0, 65537 * sizeof *count);
    for (size_t i = 0; i < n; i++)
      count[((v[i].key >> shift) & 0xffff) + 1]++;
    for (int d = 0; d < 65536; d++)
      count[d + 1] += count[d];
    for (size_t i = 0; i < n; i++)
      tmp[count[(v[i].key >> shift) & 0xffff]++] = v[i];
    memcpy(v, tmp, n * sizeof *v);
  }
}

/*
 * Collapses the pings (sorted by person and time) into presences, in place: a run of one
 * person's pings in one cell, each within max_gap of the one before, lasts from its first ping
 * until `ping` seconds after its last, or until the person's next ping if that comes sooner.
 */
static size_t collapse(struct fk__crec *p, size_t n, const struct fk_companion_rules *r)
{
  size_t out = 0, i = 0;
  while (i < n) {
    uint64_t person = p[i].key >> 32;
    uint32_t cell = p[i].a;
    int64_t start = (int64_t)(p[i].key & 0xffffffff), last = start;
    size_t j = i + 1;
    while (j < n && p[j].key >> 32 == person && p[j].a == cell &&
           (int64_t)(p[j].key & 0xffffffff) - last <= r->max_gap)
      last = (int64_t)(p[j++].key & 0xffffffff);
    int64_t end = last + r->ping;
    if (j < n && p[j].key >> 32 == person && (int64_t)(p[j].key & 0xffffffff) < end)
      end = (int64_t)(p[j].key & 0xffffffff);
    if (end > (int64_t)UINT32_MAX) end = UINT32_MAX;
    if (end > start) /* a lone ping with ping_minutes 0 is no time at all */
      p[out++] = (struct fk__crec){person << 32 | (uint64_t)start, (uint32_t)(end - start), cell};
    i = j;
  }
  return out;
}

int fk_companion_index_build(struct fk_store *st, const struct fk_rules *rules,
                             struct fk_companion_index **out, struct fk_diag *diag)
{
  struct build b;
  struct fk__crec *tmp = NULL;
  uint32_t *count = NULL;
  int rc;
  memset(&b, 0, sizeof b);
  *out = NULL;
  if (!(b.ix = fk_calloc(1, sizeof *b.ix)))
    return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory");
  b.ix->rules = rules->companion;
  b.ix->window_days = rules->trace.window_days;
  b.m_north = fk__geo_m_per_deg_lat();
  b.m_east = fk__geo_m_per_deg_lon(REF_LAT);
  rc = fk_store_each_ping(st, 0, on_ping, &b);
  if (!rc) rc = fk_store_each_case(st, on_case, &b);
  if (b.rc) rc = b.rc;
  if (rc) goto out;
  count = fk_malloc(65537 * sizeof *count);
  tmp = fk_malloc((b.n ? b.n : 1) * sizeof *tmp);
  if (!count || !tmp) {
    rc = FK_ENOMEM;
    goto out;
  }
  fk__crec_sort(b.pings, tmp, b.n, count);
  b.ix->npres = collapse(b.pings, b.n, &b.ix->rules);
  /* The pings' buffer becomes the by-person presences; tmp, the by-cell copy. */
  b.ix->by_person = fk_realloc(b.pings, (b.ix->npres ? b.ix->npres : 1) * sizeof *b.pings);
  if (!b.ix->by_person) {
    b.ix->by_person = b.pings; /* still valid: the index frees it */
    b.pings = NULL;
    rc = FK_ENOMEM;
    goto out;
  }
  b.pings = NULL;
  b.ix->by_cell = fk_malloc((b.ix->npres ? b.ix->npres : 1) * sizeof *b.ix->by_cell);
  b.ix->cell_max = fk_calloc(b.ix->ncells ? b.ix->ncells : 1, sizeof *b.ix->cell_max);
  if (!b.ix->by_cell || !b.ix->cell_max) {
    rc = FK_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < b.ix->npres; i++) {
    const struct fk__crec *p = &b.ix->by_person[i];
    b.ix->by_cell[i] = (struct fk__crec){(uint64_t)p->b << 32 | (p->key & 0xffffffff), p->a,
                                         (uint32_t)(p->key >> 32)};
    if (p->a > b.ix->cell_max[p->b]) b.ix->cell_max[p->b] = p->a;
  }
  fk__crec_sort(b.ix->by_cell, tmp, b.ix->npres, count);
out:
  fk_free(count);
  fk_free(tmp);
  fk_free(b.pings);
  fk_free(b.slots);
  if (rc) {
    fk_companion_index_free(b.ix);
    if (rc == FK_ENOMEM)
      return fk_diag_set(diag, rc, NULL, "out of memory building the companion index");
    return fk_diag_set(diag, rc, NULL, "cannot read pings or cases: %s", fk_store_errmsg(st));
  }
  *out = b.ix;
  return 0;
}

void fk_companion_index_free(struct fk_companion_index *ix)
{
  if (!ix) return;
  fk_free(ix->by_person);
  fk_free(ix->by_cell);
  fk_free(ix->keys);
  fk_free(ix->cell_max);
  fk_free(ix->cases);
  fk_free(ix);
}

void fk_companion_index_stats(const struct fk_companion_index *ix,
                              struct fk_companion_index_stats *out)
{
  out->pings = ix->pings;
  out->skipped = ix->skipped;
  out->presences = (long)ix->npres;
  out->cells = (long)ix->ncells;
  out->cases = (long)ix->ncases;
  out->bytes = sizeof *ix + ix->npres * 2 * sizeof(struct fk__crec) +
               ix->ncells * (sizeof *ix->keys + sizeof *ix->cell_max) +
               ix->ncases * sizeof *ix->cases;
}

void fk_companion_each_case(const struct fk_companion_index *ix,
                            void (*fn)(void *arg, int64_t person), void *arg)
{
  for (size_t i = 0; i < ix->ncases; i++)
    fn(arg, ix->cases[i].person);
}

char *fk_companion_cell_format(const struct fk_companion_index *ix, int64_t cell, char *buf)
{
  if (cell < 0 || (size_t)cell >= ix->ncells) {
    snprintf(buf, FK_COMPANION_CELLSZ, "?");
    return buf;
  }
  uint64_t k = (uint64_t)ix->keys[cell];
  snprintf(buf, FK_COMPANION_CELLSZ, "%g:%d:%d", ix->rules.cell_meters,
           (int32_t)(uint32_t)(k >> 32), (int32_t)(uint32_t)k);
  return buf;
}
