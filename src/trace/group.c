/*
 * Grouping a trace's hits into contacts (see trace/group.h).
 *
 * Why by via: a depth-2 trace finds millions of hits. Collected whole and then sorted by
 * person, they went through main memory three or four times (written by the walk, scattered
 * into ranges of persons, read again to be grouped). One via's hits are a few thousand, still
 * in cache when its walk ends: they are sorted there by person in radix passes of
 * 8 or 12 bits and written once, as exposures, beside their contacts. Main memory sees only
 * the answer.
 */
#include <assert.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "trace/group.h"

/* Radix digits: DIGIT_BITS bits below WIDE_FROM hits, WIDE_BITS from there on. Scale 1, 221
   cases at the end of the data, one thread: 4.47-4.55 s against 4.68-4.93 s with 8-bit digits
   throughout; from 1,024 and 4,096 hits on no better than from 2,048. */
#define DIGIT_BITS 8
#define WIDE_BITS 12
#define WIDE_FROM 2048
#define MAX_PASSES 4            /* persons below 2^32 */
#define SMALL 32                /* fewer hits than this: insertion sort */
#define CHUNK ((size_t)1 << 20) /* exposures in a chunk (16 MiB), unless a via needs more */

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

/* ---- exposure chunks ---------------------------------------------------------------------- */

void fk__exposures_reset(struct fk__exposures *x)
{
  for (size_t i = 0; i < x->nc; i++)
    x->c[i].n = 0;
  x->cur = 0;
}

void fk__exposures_free(struct fk__exposures *x)
{
  for (size_t i = 0; i < x->nc; i++)
    fk_free(x->c[i].e);
  fk_free(x->c);
  memset(x, 0, sizeof *x);
}

/* Returns room for m more exposures in one chunk (then x->cur), moving on to the next chunk
   (made or grown as needed) when the current one is too full; NULL when out of memory. */
static struct fk_exposure *room(struct fk__exposures *x, size_t m)
{
  struct fk__chunk *k = x->nc ? &x->c[x->cur] : NULL;
  if (k && k->cap - k->n >= m) return k->e + k->n;
  size_t next = k ? x->cur + 1 : 0;
  if (next == x->nc) {
    void *q = fk__grow(x->c, &x->cap, x->nc + 1, sizeof *x->c);
    if (!q) return NULL;
    x->c = q;
    x->c[x->nc++] = (struct fk__chunk){0};
  }
  k = &x->c[next];
  if (k->cap < m) {
    size_t cap = m > CHUNK ? m : CHUNK;
    fk_free(k->e);
    k->cap = 0;
    if (!(k->e = fk_malloc(cap * sizeof *k->e))) return NULL;
    k->cap = cap;
  }
  k->n = 0;
  x->cur = next;
  return k->e;
}

void fk__grouper_free(struct fk__grouper *g)
{
  fk_free(g->tmp);
  memset(g, 0, sizeof *g);
}

/* ---- sorting and grouping ----------------------------------------------------------------- */

/* Sorts the n hits h[0..n) by person, in place, by insertion (n small); stable. */
static void insertion(struct fk__hit *h, size_t n)
{
  for (size_t a = 1; a < n; a++) {
    struct fk__hit x = h[a];
    size_t b = a;
    for (; b > 0 && h[b - 1].person > x.person; b--)
      h[b] = h[b - 1];
    h[b] = x;
  }
}

/* Counts the digits of each of the passes over the persons of the n hits h (width bits each,
   under mask). Two and three passes (persons of up to 24 bits: a city of up to 16 M) have
   loops of their own, the counts of a hit side by side: given the number of passes as a
   constant the compiler still counted one digit at a time, a quarter of the sort at scale 1,
   and the sort is a third of a trace there (scale 1, 221 cases, one thread, three passes:
   4.95-5.36 s against 5.14-5.55 s). */
static void count_digits(uint32_t count[][1u << WIDE_BITS], const struct fk__hit *h, size_t n,
                         int passes, int width, uint32_t mask)
{
  uint32_t *c0 = count[0], *c1 = count[1], *c2 = count[2];
  if (passes == 2) {
    for (size_t i = 0; i < n; i++) {
      uint32_t v = h[i].person;
      c0[v & mask]++;
      c1[(v >> width) & mask]++;
    }
    return;
  }
  if (passes == 3) {
    for (size_t i = 0; i < n; i++) {
      uint32_t v = h[i].person;
      c0[v & mask]++;
      c1[(v >> width) & mask]++;
      c2[(v >> 2 * width) & mask]++;
    }
    return;
  }
  for (size_t i = 0; i < n; i++)
    for (int d = 0; d < passes; d++)
      count[d][(h[i].person >> (d * width)) & mask]++;
}

/* Turns each pass's counts (digits below mask + 1) into where its digits start, the passes
   side by side so that each one's chain of additions overlaps the others' instead of following
   them; unrolled, so that the sums stay in registers (rolled, the compiler kept three passes'
   sums in memory). The sums were a fifth of the sort (perf annotate, scale 1); side by side,
   all 221 cases at report time on one thread took 1.91 s against 1.93 s (9 rounds,
   alternated; 6 of them quicker), and a loop of their own for two and three passes, as
   count_digits has, made no difference (1.898 against 1.900 s). */
static void running_sums(uint32_t count[][1u << WIDE_BITS], int passes, uint32_t mask)
{
  uint32_t at[MAX_PASSES] = {0};
  for (uint32_t v = 0; v <= mask; v++)
#pragma GCC unroll 4
    for (int d = 0; d < passes; d++) {
      uint32_t c = count[d][v];
      count[d][v] = at[d];
      at[d] += c;
    }
}

/*
 * Sorts the n hits h[0..n) by person (below 2^bits) by LSD radix passes of at most DIGIT_BITS
 * bits, or WIDE_BITS from WIDE_FROM hits on (at scale 1 two passes instead of three: wide
 * digits cost a count and a running sum over 4,096 buckets a pass, paid back only by that many
 * hits), moving them between h and tmp (room for n); returns where they ended up. Stable: a
 * person's hits keep the order they were found in. The hits themselves are moved, not keys:
 * a pass costs the same for 16 bytes as for 8, and the grouping then reads them in order.
 */
static struct fk__hit *sort_hits(struct fk__hit *h, struct fk__hit *tmp, size_t n, int bits)
{
  uint32_t count[MAX_PASSES][1u << WIDE_BITS];
  int digit = n >= WIDE_FROM ? WIDE_BITS : DIGIT_BITS;
  int passes = (bits + digit - 1) / digit;
  if (n < SMALL || !passes) {
    insertion(h, n);
    return h;
  }
  assert(passes <= MAX_PASSES);
  int width = (bits + passes - 1) / passes;
  uint32_t mask = (UINT32_C(1) << width) - 1;
  for (int d = 0; d < passes; d++)
    memset(count[d], 0, (mask + 1) * sizeof count[d][0]);
  count_digits(count, h, n, passes, width, mask);
  running_sums(count, passes, mask);
  for (int d = 0; d < passes; d++) {
    for (size_t i = 0; i < n; i++)
      tmp[count[d][(h[i].person >> (d * width)) & mask]++] = h[i];
    struct fk__hit *t = h;
    h = tmp;
    tmp = t;
  }
  return h;
}

/* Does hit a come after hit b among one person's (the order of their exposures)? */
static int later(const struct fk__hit *a, const struct fk__hit *b)
{
  return a->start > b->start || (a->start == b->start && a->place > b->place);
}

/* Sorts one person's hits h[0..n) by (start, place), the order of a contact's exposures;
   stable. */
static void order_hits(struct fk__hit *h, size_t n)
{
  for (size_t a = 1; a < n; a++) {
    struct fk__hit x = h[a];
    size_t b = a;
    for (; b > 0 && later(&h[b - 1], &x); b--)
      h[b] = h[b - 1];
    h[b] = x;
  }
}

/* The category of an exposure at place (0: the household, always close). */
static enum fk_category category_at(const struct fk_trace_index *ix, uint32_t place)
{
  return place ? ix->rules->trace.kinds[ix->kind[place]].category : FK_CAT_CLOSE;
}

/* Appends person's n exposures e (degree 1) to out as a contact, or, when out takes links and
   person is a case, as a link from index_person. Room was made. */
static void emit(const struct fk_trace_index *ix, struct fk__sink *out, uint32_t person,
                 uint32_t index_person, const struct fk_exposure *e, size_t n)
{
  uint32_t first = e[0].start, last = e[0].end;
  enum fk_category cat = FK_CAT_GENERAL;
  for (size_t k = 0; k < n; k++) {
    if (e[k].end > last) last = e[k].end;
    if (e[k].category == FK_CAT_CLOSE) cat = FK_CAT_CLOSE;
  }
  int is_case = out->cases ? (int)fk__marked(out->cases, person) : fk_trace_is_case(ix, person);
  if (out->lnk && is_case) {
    FK__VEC_AT(out->lnk, struct fk_case_link, out->lnk->n++) = (struct fk_case_link){
        index_person, person, fk_trace_time(first), fk_trace_time(last), n, e};
    return;
  }
  FK__VEC_AT(out->con, struct fk_contact, out->con->n++) =
      (struct fk_contact){person, 0, first, last, (uint32_t)n, 1, (uint8_t)cat, e};
}

/* Makes room in out for n more contacts, links (at degree 1) and exposures, and in g for n
   hits; returns the exposures' room, or NULL when out of memory. */
static struct fk_exposure *make_room(struct fk__grouper *g, struct fk__sink *out, size_t n,
                                     uint32_t via)
{
  void *q = fk__grow(g->tmp, &g->tmp_cap, n, sizeof *g->tmp);
  if (!q) return NULL;
  g->tmp = q;
  if (fk__vec_reserve(out->con, out->con->n + n)) return NULL;
  if (!via && out->lnk && fk__vec_reserve(out->lnk, out->lnk->n + n)) return NULL;
  return room(out->exp, n);
}

/* Returns the end of the run of h[i]'s person among the n hits h (sorted by person), having put
   the run in the order of a contact's exposures. */
static size_t person_run(struct fk__hit *h, size_t i, size_t n)
{
  size_t r = i + 1;
  while (r < n && h[r].person == h[i].person)
    r++;
  if (r - i > 1) order_hits(h + i, r - i);
  return r;
}

/* Writes the exposures of the n hits h, every one close, to e: with stores that bypass the
   cache where the machine has them (SSE2) and e is aligned for them, since the trace does not
   read them again and a plain store first reads each line it writes. Scale 1, two threads
   taking the 221 cases in turn at the end of the data: 2.33-2.49 s against 2.42-2.98 s with
   plain stores (with the running sums side by side). */
static void put_close(struct fk_exposure *e, const struct fk__hit *h, size_t n)
{
#ifdef __SSE2__
  _Static_assert(sizeof *e == 16, "an exposure is stored 16 bytes at a time");
  if (!((uintptr_t)e & 15)) {
    for (size_t k = 0; k < n; k++)
      _mm_stream_si128((__m128i *)(e + k), _mm_set_epi32((int)FK_CAT_CLOSE, (int)h[k].end,
                                                         (int)h[k].start, (int)h[k].place));
    _mm_sfence(); /* before anyone else reads them: streaming stores are not ordered */
    return;
  }
#endif
  for (size_t k = 0; k < n; k++)
    e[k] = (struct fk_exposure){h[k].place, h[k].start, h[k].end, FK_CAT_CLOSE};
}

/* Degree 2's grouping of a via's n hits h, sorted by person, into exposures e (every one close:
   degree 2 meets only at home and at close places) and contacts appended to con (room made);
   returns the exposures written, e[k] from h[k] once each person's run is in order. The case
   and the other persons never reported were left out by the walk. Most rows have one exposure
   (four in five of the worst case's at scale 1), so a run is looked for only when the next hit
   is the same person's. */
static size_t group_secondary(struct fk__hit *h, size_t n, uint32_t via, struct fk_exposure *e,
                              struct fk__vec *con)
{
  struct fk_contact *c = &FK__VEC_AT(con, struct fk_contact, con->n);
  size_t m = 0;
  for (size_t i = 0, r; i < n; i = r) {
    uint32_t last = h[i].end;
    r = i + 1;
    if (r < n && h[r].person == h[i].person) {
      r = person_run(h, i, n);
      for (size_t k = i; k < r; k++)
        last = h[k].end > last ? h[k].end : last;
    }
    c[m++] = (struct fk_contact){h[i].person,       via, h[i].start,   last,
                                 (uint32_t)(r - i), 2,   FK_CAT_CLOSE, e + i};
  }
  con->n += m;
  put_close(e, h, n);
  return n;
}

int fk__group_via(const struct fk_trace_index *ix, struct fk__grouper *g, struct fk__hit *hits,
                  size_t n, uint32_t via, uint32_t index_person, struct fk__sink *out)
{
  assert(n < UINT32_MAX);
  if (!n) return 0;
  struct fk_exposure *e = make_room(g, out, n, via);
  if (!e) return FK_ENOMEM;
  struct fk__hit *h = sort_hits(hits, g->tmp, n, bits_for(ix->nperson));
  size_t j = 0;
  if (via) {
    out->exp->c[out->exp->cur].n += group_secondary(h, n, via, e, out->con);
    return 0;
  }
  for (size_t i = 0; i < n;) {
    uint32_t person = h[i].person;
    size_t from = j, r = person_run(h, i, n);
    if (person == index_person) {
      i = r;
      continue;
    }
    for (; i < r; i++)
      e[j++] = (struct fk_exposure){h[i].place, h[i].start, h[i].end, category_at(ix, h[i].place)};
    emit(ix, out, person, index_person, e + from, j - from);
  }
  out->exp->c[out->exp->cur].n += j;
  return 0;
}
