/*
 * Building and refreshing the trace index from the store (see index.h for the layout).
 */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/site_store.h"
#include "fangkong/store.h"
#include "trace/index.h"

/* Merge pending check-ins into the sorted arrays when they exceed this share of all stays. */
#define MERGE_MIN 65536
#define MERGE_SHARE 8

int fk__vec_reserve(struct fk__vec *v, size_t n)
{
  if (n <= v->cap) return 0;
  size_t cap = v->cap ? v->cap : 1024;
  while (cap < n)
    cap *= 2;
  void *p = fk_realloc(v->data, cap * v->size);
  if (!p) return FK_ENOMEM;
  v->data = p;
  v->cap = cap;
  return 0;
}

int fk__vec_push(struct fk__vec *v, const void *item)
{
  if (v->n == v->cap && fk__vec_reserve(v, v->n + 1)) return FK_ENOMEM;
  memcpy((char *)v->data + v->n * v->size, item, v->size);
  v->n++;
  return 0;
}

void fk__vec_free(struct fk__vec *v)
{
  fk_free(v->data);
  v->data = NULL;
  v->n = v->cap = 0;
}

uint32_t fk__trace_t32(fk_time t)
{
  t -= FK__TRACE_EPOCH;
  return t < 0 ? 0 : t > (fk_time)UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

/* The place of stay index i: the CSR group holding it. */
uint32_t fk__trace_place_of(const struct fk_trace_index *ix, uint32_t i)
{
  assert(i < ix->nstays);
  uint32_t lo = ix->place_step[i / FK__PLACE_STEP], hi = ix->place_step[i / FK__PLACE_STEP + 1] + 1;
  /* last p in [lo, hi) with place_off[p] <= i */
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (ix->place_off[mid] <= i)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

uint32_t fk__trace_first_overlap(const struct fk_trace_index *ix, uint32_t p, uint32_t x)
{
  uint32_t from = fk__trace_reach(ix, p, x);
  return fk__trace_first_start(ix, ix->place_off[p], ix->place_off[p + 1], from);
}

/* Makes *arr hold at least n uint32 (new ones zeroed), growing geometrically. */
static int grow32(uint32_t **arr, uint32_t *cap, uint32_t n)
{
  if (n <= *cap) return 0;
  uint32_t c = *cap ? *cap : 1024;
  while (c < n)
    c *= 2;
  uint32_t *p = fk_realloc(*arr, (size_t)c * sizeof *p);
  if (!p) return FK_ENOMEM;
  memset(p + *cap, 0, (size_t)(c - *cap) * sizeof *p);
  *arr = p;
  *cap = c;
  return 0;
}

/* Capacities of the per-person and per-place arrays (they grow together). */
struct caps {
  uint32_t person, name_off, place, kind, maxdur;
};

struct loader {
  struct fk_trace_index *ix;
  struct caps *caps;
  struct fk__vec *stays; /* where new rows go: check-ins (struct fk__pending), quarantine-site
                            stays (struct fk__isolation) */
};

/* Appends text plus a NUL to a char vector; *off gets where it starts. */
static int keep_text(struct fk__vec *v, const char *s, uint32_t *off)
{
  size_t n = strlen(s) + 1;
  *off = (uint32_t)v->n;
  for (size_t i = 0; i < n; i++)
    if (fk__vec_push(v, s + i)) return FK_ENOMEM;
  return 0;
}

static int load_person(void *arg, const struct fk_person_row *row)
{
  struct loader *l = arg;
  struct fk_trace_index *ix = l->ix;
  uint32_t id = (uint32_t)row->id, hh32 = 0;
  int64_t hh;
  if (row->id <= 0 || row->id >= UINT32_MAX) return FK_ERANGE;
  if (grow32(&ix->household, &l->caps->person, id + 1) ||
      grow32(&ix->name_off, &l->caps->name_off, id + 1))
    return FK_ENOMEM;
  size_t hl = strlen(row->household_id);
  if (fk__strmap_get(&ix->households, row->household_id, hl, &hh)) {
    hh32 = (uint32_t)hh;
  } else {
    hh32 = ++ix->nhousehold;
    if (fk__strmap_put(&ix->households, row->household_id, hl, hh32)) return FK_ENOMEM;
  }
  ix->household[id] = hh32;
  if (keep_text(&ix->names, row->person_id, &ix->name_off[id])) return FK_ENOMEM;
  if (fk__strmap_put(&ix->by_name, row->person_id, strlen(row->person_id), id)) return FK_ENOMEM;
  if (id + 1 > ix->nperson) ix->nperson = id + 1;
  ix->last_person = row->id;
  return 0;
}

static int load_place(void *arg, const struct fk_place_row *row)
{
  struct loader *l = arg;
  struct fk_trace_index *ix = l->ix;
  uint32_t id = (uint32_t)row->id;
  if (row->id <= 0 || row->id >= UINT32_MAX) return FK_ERANGE;
  if (grow32(&ix->place_name_off, &l->caps->place, id + 1) ||
      grow32(&ix->maxdur, &l->caps->maxdur, id + 1))
    return FK_ENOMEM;
  if (id + 1 > l->caps->kind) { /* kinds are bytes: grow alongside */
    uint8_t *k = fk_realloc(ix->kind, l->caps->place);
    if (!k) return FK_ENOMEM;
    memset(k + l->caps->kind, 0, l->caps->place - l->caps->kind);
    ix->kind = k;
    l->caps->kind = l->caps->place;
  }
  ix->kind[id] = (uint8_t)row->kind;
  if (keep_text(&ix->place_names, row->place_id, &ix->place_name_off[id])) return FK_ENOMEM;
  if (id + 1 > ix->nplace) ix->nplace = id + 1;
  ix->last_place = row->id;
  return 0;
}

static int load_case(void *arg, const struct fk_case_row *row)
{
  struct loader *l = arg;
  return fk__vec_push(&l->ix->cases, row);
}

static int load_isolation(void *arg, const struct fk_stay_row *row)
{
  struct loader *l = arg;
  if (row->person <= 0 || row->person >= l->ix->nperson) return 0;
  struct fk__isolation v = {(uint32_t)row->person, fk__trace_t32(row->from),
                            row->to == FK_TIME_NONE ? UINT32_MAX : fk__trace_t32(row->to)};
  return fk__vec_push(l->stays, &v);
}

static int by_person_from(const void *a, const void *b)
{
  const struct fk__isolation *x = a, *y = b;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  return x->from < y->from ? -1 : x->from > y->from;
}

/* Reads every quarantine-site stay again, by person, when any was added or ended since the
   last read (they end, so following them would mean rereading them anyway; a refresh under a
   stream of check-ins should not pay for it each time). Returns 0, FK_ENOMEM or FK_ESTORE. */
static int load_isolations(struct fk_trace_index *ix, struct fk_store *st)
{
  struct fk__vec v = {.size = sizeof(struct fk__isolation)};
  struct loader l = {ix, NULL, &v};
  struct fk_stays_version now;
  int rc = fk_store_stays_version(st, &now);
  if (rc || (ix->isolations.size && now.last_id == ix->isolations_read.last_id &&
             now.ended == ix->isolations_read.ended))
    return rc;
  rc = fk_store_each_stay(st, FK_STAYS_BETWEEN, 0, INT64_MIN + 1, INT64_MAX, load_isolation, &l);
  if (rc) {
    fk__vec_free(&v);
    return rc;
  }
  if (v.n) qsort(v.data, v.n, v.size, by_person_from);
  fk__vec_free(&ix->isolations);
  ix->isolations = v;
  ix->isolations_read = now;
  return 0;
}

uint32_t fk__trace_isolated(const struct fk_trace_index *ix, uint32_t person, uint32_t first,
                            uint32_t end)
{
  const struct fk__isolation *v = ix->isolations.data;
  size_t lo = 0, hi = ix->isolations.n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid].person < person)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < ix->isolations.n && v[lo].person == person; lo++) {
    uint32_t at = v[lo].from > first ? v[lo].from : first;
    if (v[lo].to > first && at < end) end = at;
  }
  return end;
}

static int load_checkin(void *arg, const struct fk_checkin_row *row)
{
  struct loader *l = arg;
  struct fk_trace_index *ix = l->ix;
  l->ix->last_checkin = row->id;
  if (row->person <= 0 || row->person >= ix->nperson || row->place <= 0 ||
      row->place >= ix->nplace || row->in < FK__TRACE_EPOCH) {
    ix->skipped++;
    return 0;
  }
  const struct fk_kind_rules *k = &ix->rules->trace.kinds[ix->kind[row->place]];
  fk_time out = row->has_out ? row->out : row->in + k->dwell;
  struct fk__pending p = {{(uint32_t)row->person, fk__trace_t32(row->in), fk__trace_t32(out)},
                          (uint32_t)row->place};
  return fk__vec_push(l->stays, &p);
}

/* Re-derives the case lookup and the household member lists (both small). */
static int index_people(struct fk_trace_index *ix)
{
  int32_t *case_of = fk_malloc((size_t)ix->nperson * sizeof *case_of);
  uint32_t *off = fk_calloc((size_t)ix->nhousehold + 2, sizeof *off);
  uint32_t *members = fk_malloc(((size_t)ix->nperson + 1) * sizeof *members);
  if (!case_of || !off || !members) {
    fk_free(case_of);
    fk_free(off);
    fk_free(members);
    return FK_ENOMEM;
  }
  for (uint32_t p = 0; p < ix->nperson; p++)
    case_of[p] = -1;
  for (size_t i = 0; i < ix->cases.n; i++) {
    int64_t p = FK__VEC_AT(&ix->cases, struct fk_case_row, i).person;
    if (p > 0 && p < ix->nperson) case_of[p] = (int32_t)i;
  }
  for (uint32_t p = 1; p < ix->nperson; p++)
    off[ix->household[p] + 1]++;
  for (uint32_t h = 0; h <= ix->nhousehold; h++)
    off[h + 1] += off[h];
  uint32_t *at = fk_malloc(((size_t)ix->nhousehold + 1) * sizeof *at);
  if (!at) {
    fk_free(case_of);
    fk_free(off);
    fk_free(members);
    return FK_ENOMEM;
  }
  memcpy(at, off, ((size_t)ix->nhousehold + 1) * sizeof *at);
  for (uint32_t p = 1; p < ix->nperson; p++)
    members[at[ix->household[p]]++] = p;
  fk_free(at);
  fk_free(ix->case_of);
  fk_free(ix->hh_off);
  fk_free(ix->hh_members);
  ix->case_of = case_of;
  ix->hh_off = off;
  ix->hh_members = members;
  return 0;
}

static int by_start(const void *a, const void *b)
{
  const struct fk__stay *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->person < y->person ? -1 : x->person > y->person;
}

/* Stays of place p in the CSR arrays: [*lo, *hi). */
static void place_range(const struct fk_trace_index *ix, uint32_t p, uint32_t *lo, uint32_t *hi)
{
  *lo = *hi = 0;
  if (p < ix->csr_places) {
    *lo = ix->place_off[p];
    *hi = ix->place_off[p + 1];
  }
}

/* Fills place_off/stays with the index's stays and `extra`, grouped by place, sorted by start. */
static void fill_places(const struct fk_trace_index *ix, const struct fk__vec *extra,
                        uint32_t *place_off, struct fk__stay *stays, uint32_t *cursor)
{
  uint32_t lo, hi;
  for (uint32_t p = 0; p < ix->nplace; p++) {
    place_range(ix, p, &lo, &hi);
    place_off[p + 1] = hi - lo;
  }
  for (size_t i = 0; i < extra->n; i++)
    place_off[FK__VEC_AT(extra, struct fk__pending, i).place + 1]++;
  for (uint32_t p = 0; p < ix->nplace; p++)
    place_off[p + 1] += place_off[p];
  memcpy(cursor, place_off, (size_t)ix->nplace * sizeof *cursor);
  for (uint32_t p = 0; p < ix->nplace; p++) {
    place_range(ix, p, &lo, &hi);
    if (hi == lo) continue; /* ix->stays may still be NULL: memcpy must not see it */
    memcpy(stays + cursor[p], ix->stays + lo, (size_t)(hi - lo) * sizeof *stays);
    cursor[p] += hi - lo;
  }
  for (size_t i = 0; i < extra->n; i++) {
    const struct fk__pending *e = &FK__VEC_AT(extra, struct fk__pending, i);
    stays[cursor[e->place]++] = e->stay;
  }
  for (uint32_t p = 0; p < ix->nplace; p++)
    qsort(stays + place_off[p], place_off[p + 1] - place_off[p], sizeof *stays, by_start);
}

/* Fills the person CSR: for each person, the indexes of their stays. */
static void fill_persons(uint32_t nperson, const struct fk__stay *stays, size_t n,
                         uint32_t *person_off, uint32_t *person_stays, uint32_t *cursor)
{
  for (size_t i = 0; i < n; i++)
    person_off[stays[i].person + 1]++;
  for (uint32_t p = 0; p < nperson; p++)
    person_off[p + 1] += person_off[p];
  memcpy(cursor, person_off, (size_t)nperson * sizeof *cursor);
  for (size_t i = 0; i < n; i++)
    person_stays[cursor[stays[i].person]++] = (uint32_t)i;
}

/* Asks for huge pages under the n bytes at p (where the kernel gives them only when asked):
   the walk jumps from place to place over gigabytes, and with 4 KiB pages a jump often misses
   the TLB (bench_trace's walk replica at scale 1: 1.47 s without them, 1.26 s with). Advice
   only: nothing changes when it is not taken. */
static void huge_pages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
  uintptr_t huge = (uintptr_t)2 << 20, a = ((uintptr_t)p + huge - 1) & ~(huge - 1),
            b = ((uintptr_t)p + n) & ~(huge - 1);
  if (b > a) madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)n;
#endif
}

/* Fills step (n / FK__PLACE_STEP + 2) with the place of every FK__PLACE_STEP-th of the n stays
   grouped by place_off (nplace places), then of the last. */
static void fill_steps(const uint32_t *place_off, uint32_t nplace, size_t n, uint32_t *step)
{
  uint32_t p = 0;
  for (size_t k = 0; k < n / FK__PLACE_STEP + 2; k++) {
    size_t i = k * FK__PLACE_STEP < n ? k * FK__PLACE_STEP : (n ? n - 1 : 0);
    while (p + 1 < nplace && place_off[p + 1] <= i) /* last p with place_off[p] <= i */
      p++;
    step[k] = p;
  }
}

/* Lays out all stays (the index's own plus `extra`) into fresh CSR arrays. */
static int layout(struct fk_trace_index *ix, const struct fk__vec *extra)
{
  size_t n = ix->nstays + extra->n;
  size_t most = ix->nplace > ix->nperson ? ix->nplace : ix->nperson;
  uint32_t *place_off = fk_calloc((size_t)ix->nplace + 1, sizeof *place_off);
  uint32_t *person_off = fk_calloc((size_t)ix->nperson + 1, sizeof *person_off);
  uint32_t *maxdur = fk_calloc((size_t)ix->nplace + 1, sizeof *maxdur);
  struct fk__stay *stays = fk_malloc((n ? n : 1) * sizeof *stays);
  uint32_t *person_stays = fk_malloc((n ? n : 1) * sizeof *person_stays);
  uint32_t *place_step = fk_malloc((n / FK__PLACE_STEP + 2) * sizeof *place_step);
  uint32_t *cursor = fk_malloc((most + 1) * sizeof *cursor);
  int rc = 0;
  if (n >= UINT32_MAX || !place_off || !person_off || !maxdur || !stays || !person_stays ||
      !place_step || !cursor) {
    rc = FK_ENOMEM;
    goto out;
  }
  huge_pages(stays, n * sizeof *stays);
  huge_pages(person_stays, n * sizeof *person_stays);
  fill_places(ix, extra, place_off, stays, cursor);
  fill_persons(ix->nperson, stays, n, person_off, person_stays, cursor);
  fill_steps(place_off, ix->nplace, n, place_step);
  for (uint32_t p = 0; p < ix->nplace; p++)
    for (uint32_t i = place_off[p]; i < place_off[p + 1]; i++)
      if (stays[i].end - stays[i].start > maxdur[p] && stays[i].end > stays[i].start)
        maxdur[p] = stays[i].end - stays[i].start;
        /* Swap the new arrays in; the old ones go out through the common exit. */
#define SWAP(a, b)                                                                                 \
  do {                                                                                             \
    void *t_ = (void *)(a);                                                                        \
    (a) = (b);                                                                                     \
    (b) = t_;                                                                                      \
  } while (0)
  SWAP(ix->place_off, place_off);
  SWAP(ix->person_off, person_off);
  SWAP(ix->maxdur, maxdur);
  SWAP(ix->stays, stays);
  SWAP(ix->person_stays, person_stays);
  SWAP(ix->place_step, place_step);
#undef SWAP
  ix->nstays = n;
  ix->csr_places = ix->nplace;
  ix->csr_persons = ix->nperson;
out:
  fk_free(place_off);
  fk_free(person_off);
  fk_free(maxdur);
  fk_free(stays);
  fk_free(person_stays);
  fk_free(place_step);
  fk_free(cursor);
  return rc;
}

/* Loads persons, places and cases newer than what the index has; rebuilds the small lookups
   when a person came or a case changed (they cost a pass over every person: a refresh after a
   few check-ins should not pay it). */
static int load_entities(struct fk_trace_index *ix, struct fk_store *st, struct caps *caps)
{
  struct loader l = {ix, caps, NULL};
  struct fk__vec old = ix->cases;
  uint32_t nperson = ix->nperson;
  int rc = fk_store_each_person(st, ix->last_person, load_person, &l), same;
  if (!rc) rc = fk_store_each_place(st, ix->last_place, load_place, &l);
  ix->cases = (struct fk__vec){.size = old.size};
  if (!rc) rc = fk_store_each_case(st, load_case, &l); /* few, and they change: reread all */
  if (!rc) rc = load_isolations(ix, st);
  same = !rc && ix->case_of && nperson == ix->nperson && old.n == ix->cases.n &&
         (!old.n || !memcmp(old.data, ix->cases.data, old.n * old.size));
  fk__vec_free(&old);
  return rc || same ? rc : index_people(ix);
}

/* The capacities are not kept in the index: recompute them from the sizes (arrays were sized
   to at least n+1 by the loaders, so n+1 is a safe lower bound to grow from). */
static struct caps caps_of(const struct fk_trace_index *ix)
{
  struct caps c = {ix->nperson, ix->nperson, ix->nplace, ix->nplace, ix->nplace};
  return c;
}

static int store_error(int rc, struct fk_store *st, struct fk_diag *diag)
{
  if (rc == FK_ENOMEM) return fk_diag_set(diag, rc, NULL, "out of memory building the trace index");
  return fk_diag_set(diag, rc, NULL, "reading the store for the trace index: %s",
                     fk_store_errmsg(st));
}

int fk_trace_index_build(struct fk_store *st, const struct fk_rules *rules,
                         struct fk_trace_index **out, struct fk_diag *diag)
{
  struct fk_trace_index *ix = fk_calloc(1, sizeof *ix);
  struct caps caps = {0};
  struct fk__vec all = {.size = sizeof(struct fk__pending)};
  int rc;
  if (!ix) return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory");
  ix->rules = rules;
  ix->pending.size = sizeof(struct fk__pending);
  ix->names.size = ix->place_names.size = 1;
  ix->cases.size = sizeof(struct fk_case_row);
  ix->nperson = ix->nplace = 1; /* id 0 is never used */
  fk__strmap_init(&ix->by_name);
  fk__strmap_init(&ix->households);
  struct loader l = {ix, &caps, &all};
  if ((rc = fk_store_each_person(st, 0, load_person, &l)) ||
      (rc = fk_store_each_place(st, 0, load_place, &l)) ||
      (rc = fk_store_each_case(st, load_case, &l)) || (rc = load_isolations(ix, st)) ||
      (rc = index_people(ix)) || (rc = fk_store_each_checkin(st, 0, load_checkin, &l)) ||
      (rc = layout(ix, &all))) {
    store_error(rc, st, diag);
    fk_trace_index_free(ix);
    ix = NULL;
  }
  fk__vec_free(&all);
  *out = ix;
  return rc;
}

int fk_trace_index_refresh(struct fk_trace_index *ix, struct fk_store *st, long *added,
                           struct fk_diag *diag)
{
  struct caps caps = caps_of(ix);
  size_t before = ix->pending.n;
  struct loader l = {ix, &caps, &ix->pending};
  int rc = load_entities(ix, st, &caps);
  if (!rc) rc = fk_store_each_checkin(st, ix->last_checkin, load_checkin, &l);
  if (added) *added = (long)(ix->pending.n - before);
  if (!rc && ix->pending.n > MERGE_MIN && ix->pending.n > ix->nstays / MERGE_SHARE) {
    if (!(rc = layout(ix, &ix->pending))) fk__vec_free(&ix->pending); /* give the memory back */
  }
  return rc ? store_error(rc, st, diag) : 0;
}

void fk_trace_index_free(struct fk_trace_index *ix)
{
  if (!ix) return;
  fk_free(ix->household);
  fk_free(ix->name_off);
  fk_free(ix->case_of);
  fk__strmap_clear(&ix->by_name);
  fk__vec_free(&ix->names);
  fk_free(ix->hh_off);
  fk_free(ix->hh_members);
  fk__strmap_clear(&ix->households);
  fk_free(ix->kind);
  fk_free(ix->place_name_off);
  fk__vec_free(&ix->place_names);
  fk_free(ix->maxdur);
  fk_free(ix->place_off);
  fk_free(ix->place_step);
  fk_free(ix->stays);
  fk_free(ix->person_off);
  fk_free(ix->person_stays);
  fk__vec_free(&ix->pending);
  fk__vec_free(&ix->cases);
  fk__vec_free(&ix->isolations);
  fk_free(ix);
}
