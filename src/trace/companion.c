/*
 * Finding one case's companions (see fangkong/companion.h and docs/TRACING.md): for each of
 * the case's presences cut to its window, the presences in the same cell that overlap it are
 * one binary search away (by cell and start, reaching back by the cell's longest presence);
 * each overlap longer than the minimum is checked against the dwell rule for both parties, and
 * the qualifying overlaps are summed per person and cell. Cost per case: its presences times
 * the presences they overlap, each with two dwell sums over 14 days of one person.
 */
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/trace.h"
#include "trace/companion_index.h"

/* A qualifying overlap before aggregation. */
struct hit {
  int64_t person;
  uint32_t cell;
  fk_time start, end, index_dwell, contact_dwell;
};

struct hits {
  struct hit *v;
  size_t n, cap;
};

static fk_time rec_start(const struct fk__crec *r)
{
  return FK__CBASE + (fk_time)(r->key & 0xffffffff);
}

/* The first record in v[0..n) whose key is >= key. */
static size_t lower_bound(const struct fk__crec *v, size_t n, uint64_t key)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid].key < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The person's presences: *n of them from the returned pointer, in time order. */
static const struct fk__crec *person_presences(const struct fk_companion_index *ix, int64_t person,
                                               size_t *n)
{
  size_t lo = lower_bound(ix->by_person, ix->npres, (uint64_t)person << 32);
  size_t hi = lower_bound(ix->by_person, ix->npres, (uint64_t)(person + 1) << 32);
  *n = hi - lo;
  return ix->by_person + lo;
}

/*
 * Seconds the person was present in cell during [from, to). A person's presences are disjoint
 * and in time order, so their ends are too: a binary search finds the first that ends after
 * `from`.
 */
static fk_time dwell(const struct fk_companion_index *ix, int64_t person, uint32_t cell,
                     fk_time from, fk_time to)
{
  size_t n, lo = 0, hi;
  const struct fk__crec *p = person_presences(ix, person, &n);
  fk_time sum = 0;
  hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (rec_start(&p[mid]) + p[mid].a <= from)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < n && rec_start(&p[i]) < to; i++) {
    if (p[i].b != cell) continue;
    fk_time s = rec_start(&p[i]), e = s + p[i].a;
    sum += (e < to ? e : to) - (s > from ? s : from);
  }
  return sum;
}

static int add_hit(struct hits *h, const struct hit *x)
{
  if (h->n == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 256;
    struct hit *v = fk_realloc(h->v, cap * sizeof *v);
    if (!v) return FK_ENOMEM;
    h->v = v;
    h->cap = cap;
  }
  h->v[h->n++] = *x;
  return 0;
}

static int hit_cmp(const void *a, const void *b)
{
  const struct hit *x = a, *y = b;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  if (x->cell != y->cell) return x->cell < y->cell ? -1 : 1;
  return (x->start > y->start) - (x->start < y->start);
}

static const struct fk_case_row *find_case(const struct fk_companion_index *ix, int64_t person)
{
  size_t lo = 0, hi = ix->ncases;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix->cases[mid].person < person)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < ix->ncases && ix->cases[lo].person == person ? &ix->cases[lo] : NULL;
}

/* The tracing window (fk_case_window); a case not isolated needs `now`. */
static int window(const struct fk_companion_index *ix, const struct fk_case_row *c, fk_time now,
                  fk_time *start, fk_time *end, struct fk_diag *diag)
{
  if (!c->has_isolated && now == FK_COMPANION_NO_NOW)
    return fk_diag_set(diag, FK_EINVAL, "now",
                       "the case is not isolated, so its window ends now: give the time now");
  fk_case_window(c, ix->window_days, now, start, end);
  return 0;
}

/* Checks every presence in the case presence's cell that overlaps [s, e) (the case's, cut). */
static int overlaps(const struct fk_companion_index *ix, int64_t case_person, uint32_t cell,
                    fk_time s, fk_time e, struct hits *h)
{
  const struct fk_companion_rules *r = &ix->rules;
  fk_time lookback = (fk_time)r->lookback_days * FK_SECONDS_PER_DAY;
  fk_time reach = s - FK__CBASE - (fk_time)ix->cell_max[cell];
  size_t i =
      lower_bound(ix->by_cell, ix->npres, (uint64_t)cell << 32 | (uint64_t)(reach > 0 ? reach : 0));
  for (; i < ix->npres && ix->by_cell[i].key >> 32 == cell; i++) {
    const struct fk__crec *q = &ix->by_cell[i];
    fk_time qs = rec_start(q), qe = qs + q->a;
    if (qs >= e) break;
    if (qe <= s || q->b == case_person) continue;
    fk_time os = qs > s ? qs : s, oe = qe < e ? qe : e;
    if (oe - os <= r->min_overlap) continue;
    struct hit x = {q->b, cell, os, oe, 0, 0};
    x.index_dwell = dwell(ix, case_person, cell, oe - lookback, oe);
    x.contact_dwell = dwell(ix, q->b, cell, oe - lookback, oe);
    if (x.index_dwell <= r->dwell && x.contact_dwell <= r->dwell) continue;
    if (add_hit(h, &x)) return FK_ENOMEM;
  }
  return 0;
}

/* Sums the hits (sorted) per person and cell into out->companions. */
static int aggregate(const struct hits *h, struct fk_companion_result *out, fk_time dwell_rule)
{
  size_t n = 0;
  for (size_t i = 0; i < h->n; i++)
    n += !i || h->v[i].person != h->v[i - 1].person || h->v[i].cell != h->v[i - 1].cell;
  out->companions = fk_calloc(n ? n : 1, sizeof *out->companions);
  if (!out->companions) return FK_ENOMEM;
  for (size_t i = 0; i < h->n; i++) {
    const struct hit *x = &h->v[i];
    struct fk_companion *c = &out->companions[out->ncompanions - (out->ncompanions > 0)];
    if (!out->ncompanions || c->person != x->person || c->cell != x->cell) {
      c = &out->companions[out->ncompanions++];
      c->index_person = out->index_person;
      c->person = x->person;
      c->cell = x->cell;
      c->first = x->start;
      c->dwell_party = x->index_dwell > dwell_rule ? FK_PARTY_INDEX : FK_PARTY_CONTACT;
      c->index_dwell = x->index_dwell;
      c->contact_dwell = x->contact_dwell;
    }
    c->last = x->end;
    c->together += x->end - x->start;
    c->overlaps++;
  }
  return 0;
}

int fk_companions_case(const struct fk_companion_index *ix, int64_t case_person, fk_time now,
                       struct fk_companion_result *out, struct fk_diag *diag)
{
  struct hits h = {NULL, 0, 0};
  const struct fk_case_row *c = find_case(ix, case_person);
  size_t n;
  int rc;
  memset(out, 0, sizeof *out);
  out->index_person = case_person;
  if (!c)
    return fk_diag_set(diag, FK_ENOTFOUND, NULL, "person %lld is not a case",
                       (long long)case_person);
  if ((rc = window(ix, c, now, &out->window_start, &out->window_end, diag))) return rc;
  const struct fk__crec *p = person_presences(ix, case_person, &n);
  for (size_t i = 0; i < n; i++) {
    fk_time s = rec_start(&p[i]), e = s + p[i].a;
    if (s < out->window_start) s = out->window_start;
    if (e > out->window_end) e = out->window_end;
    if (e <= s) continue;
    if ((rc = overlaps(ix, case_person, p[i].b, s, e, &h))) goto out;
  }
  if (h.n) qsort(h.v, h.n, sizeof *h.v, hit_cmp);
  rc = aggregate(&h, out, ix->rules.dwell);
out:
  fk_free(h.v);
  if (rc) {
    fk_companion_result_free(out);
    return fk_diag_set(diag, rc, NULL, "out of memory finding companions");
  }
  return 0;
}

void fk_companion_result_free(struct fk_companion_result *r)
{
  if (!r) return;
  fk_free(r->companions);
  r->companions = NULL;
  r->ncompanions = 0;
}
