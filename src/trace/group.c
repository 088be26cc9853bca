/*
 * Grouping a trace's hits into contacts (see trace/group.h).
 *
 * Why ranges: a depth-2 trace finds millions of hits. Sorting them all by person with radix
 * passes of 12 bits moved every hit through main memory three times, each pass writing 4,096
 * streams (more pages than the TLB holds). One scatter into 256 ranges of persons writes few
 * streams; what follows stays in cache: the range's keys (person, index) are sorted by the
 * person's low bits in two passes of 8 bits, and the hits gathered from them are written once,
 * as exposures, beside their contacts.
 */
#include <assert.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "trace/group.h"

#define DIGIT_BITS 8
#define MAX_PASSES 4 /* persons below 2^32 */
#define SMALL 32     /* fewer keys than this: insertion sort */

void *fk__grow(void *p, size_t *cap, size_t n, size_t size)
{
  if (p && n <= *cap) return p;
  size_t c = *cap > n ? *cap : n + n / 2;
  void *q = fk_realloc(p, c * size);
  if (q) *cap = c;
  return q;
}

/* Bits needed to hold every value below n. */
static int bits_for(uint64_t n)
{
  int b = 0;
  while (b < 64 && (UINT64_C(1) << b) < n)
    b++;
  return b;
}

void fk__ranges_for(const struct fk_trace_index *ix, size_t n, struct fk__ranges *out)
{
  int pbits = bits_for(ix->nperson);
  int rbits = n < FK__FEW_HITS ? 0 : pbits < FK__RANGE_BITS ? pbits : FK__RANGE_BITS;
  out->shift = pbits - rbits;
  out->n = UINT32_C(1) << rbits;
}

void fk__hits_count(const struct fk__ranges *rg, const struct fk__hit *h, size_t n, size_t *count)
{
  for (size_t i = 0; i < n; i++)
    count[h[i].person >> rg->shift]++;
}

void fk__hits_scatter(const struct fk__ranges *rg, const struct fk__hit *h, size_t n, size_t *pos,
                      struct fk__hit *out)
{
  for (size_t i = 0; i < n; i++)
    out[pos[h[i].person >> rg->shift]++] = h[i];
}

/* Sorts the n keys k[0..n) by value, in place, by insertion (n small). */
static void insertion(uint64_t *k, size_t n)
{
  for (size_t a = 1; a < n; a++) {
    uint64_t x = k[a];
    size_t b = a;
    for (; b > 0 && k[b - 1] > x; b--)
      k[b] = k[b - 1];
    k[b] = x;
  }
}

/*
 * Sorts the n keys k[0..n) by their high half (below 2^bits) by LSD radix passes of at most
 * DIGIT_BITS bits, moving them between k and tmp (room for n); returns where they ended up.
 * Keys are unique (the low half is an index), so the order is the index's within a high half.
 */
static uint64_t *sort_keys(uint64_t *k, uint64_t *tmp, size_t n, int bits)
{
  uint32_t count[MAX_PASSES][1u << DIGIT_BITS];
  int passes = (bits + DIGIT_BITS - 1) / DIGIT_BITS;
  if (n < SMALL || !passes) {
    insertion(k, n);
    return k;
  }
  assert(passes <= MAX_PASSES);
  int width = (bits + passes - 1) / passes;
  uint32_t mask = (UINT32_C(1) << width) - 1;
  memset(count, 0, sizeof count);
  for (size_t i = 0; i < n; i++)
    for (int d = 0; d < passes; d++)
      count[d][(uint32_t)(k[i] >> (32 + d * width)) & mask]++;
  for (int d = 0; d < passes; d++) {
    uint32_t at = 0;
    for (uint32_t v = 0; v <= mask; v++) {
      uint32_t c = count[d][v];
      count[d][v] = at;
      at += c;
    }
    for (size_t i = 0; i < n; i++)
      tmp[count[d][(uint32_t)(k[i] >> (32 + d * width)) & mask]++] = k[i];
    uint64_t *t = k;
    k = tmp;
    tmp = t;
  }
  return k;
}

/* Does exposure a come after exposure b within one contact? */
static int later(const struct fk_exposure *a, const struct fk_exposure *b)
{
  return a->start > b->start || (a->start == b->start && a->place > b->place);
}

/* Sorts the exposures of one contact, e[0..n), by (start, place); stable. */
static void order_exposures(struct fk_exposure *e, size_t n)
{
  for (size_t a = 1; a < n; a++) {
    struct fk_exposure x = e[a];
    size_t b = a;
    for (; b > 0 && later(&e[b - 1], &x); b--)
      e[b] = e[b - 1];
    e[b] = x;
  }
}

/* The category of an exposure at place (0: the household, always close). */
static enum fk_category category_at(const struct fk_trace_index *ix, uint32_t place)
{
  return place ? ix->rules->trace.kinds[ix->kind[place]].category : FK_CAT_CLOSE;
}

/* Appends person's n exposures e (through via) to out as a contact, or, at degree 1 when out
   takes links, as a link from index_person when person is a case. */
static void emit(const struct fk_trace_index *ix, struct fk__grouped *out, uint32_t person,
                 uint32_t via, uint32_t index_person, const struct fk_exposure *e, size_t n)
{
  uint32_t first = e[0].start, last = e[0].end;
  enum fk_category cat = FK_CAT_GENERAL;
  for (size_t k = 0; k < n; k++) {
    if (e[k].end > last) last = e[k].end;
    if (e[k].category == FK_CAT_CLOSE) cat = FK_CAT_CLOSE;
  }
  if (!via && out->lnk && fk_trace_is_case(ix, person)) {
    out->lnk[out->nlnk++] = (struct fk_case_link){index_person,        person, fk_trace_time(first),
                                                  fk_trace_time(last), n,      e};
    return;
  }
  out->con[out->ncon++] =
      (struct fk_contact){person, via, first, last, (uint32_t)n, via ? 2 : 1, (uint8_t)cat, e};
}

/* Writes the n hits of a range apart in order of person (below 2^bits within the range), found
   order within a person: hit i's exposure into exp[j] and its key (person, via) into k[j], j
   its place in that order. By sorting 8-byte keys (person, index) in cache, then gathering.
   key: room for 2 n. */
static void order_by_keys(const struct fk_trace_index *ix, const struct fk__hit *h, size_t n,
                          int bits, uint64_t *key, struct fk_exposure *exp)
{
  uint32_t low = (UINT32_C(1) << bits) - 1;
  uint64_t *k = key;
  for (size_t i = 0; i < n; i++)
    k[i] = (uint64_t)(h[i].person & low) << 32 | i;
  k = sort_keys(k, key + n, n, bits);
  /* the loads are independent, so they overlap */
  for (size_t i = 0; i < n; i++) {
    const struct fk__hit *x = &h[(uint32_t)k[i]];
    exp[i] = (struct fk_exposure){x->place, x->start, x->end,
                                  x->via ? FK_CAT_CLOSE : category_at(ix, x->place)};
    key[i] = (uint64_t)x->person << 32 | x->via; /* k[i] is key[i] or read already */
  }
}

/* order_by_keys when the range holds at least 2^bits hits: one counting sort of the hits
   themselves (counters in key + n), each written once to its place. */
static void order_by_count(const struct fk_trace_index *ix, const struct fk__hit *h, size_t n,
                           int bits, uint64_t *key, struct fk_exposure *exp)
{
  uint32_t low = (UINT32_C(1) << bits) - 1, *count = (uint32_t *)(key + n), at = 0;
  assert((size_t)low + 1 <= 2 * n); /* counters fit in the n keys after the first n */
  memset(count, 0, ((size_t)low + 1) * sizeof *count);
  for (size_t i = 0; i < n; i++)
    count[h[i].person & low]++;
  for (uint32_t v = 0; v <= low; v++) {
    uint32_t c = count[v];
    count[v] = at;
    at += c;
  }
  for (size_t i = 0; i < n; i++) {
    const struct fk__hit *x = &h[i];
    uint32_t j = count[x->person & low]++;
    exp[j] = (struct fk_exposure){x->place, x->start, x->end,
                                  x->via ? FK_CAT_CLOSE : category_at(ix, x->place)};
    key[j] = (uint64_t)x->person << 32 | x->via;
  }
}

void fk__group_range(const struct fk_trace_index *ix, const struct fk__ranges *rg,
                     const struct fk__hit *h, size_t n, uint64_t *key, uint32_t index_person,
                     struct fk_exposure *exp, struct fk__grouped *out)
{
  assert(n < UINT32_MAX);
  if ((size_t)1 << rg->shift <= n)
    order_by_count(ix, h, n, rg->shift, key, exp);
  else
    order_by_keys(ix, h, n, rg->shift, key, exp);
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && key[j] == key[i])
      j++;
    uint32_t person = (uint32_t)(key[i] >> 32), via = (uint32_t)key[i];
    if (person != index_person) {
      order_exposures(exp + i, j - i);
      emit(ix, out, person, via, index_person, exp + i, j - i);
    }
    i = j;
  }
}
