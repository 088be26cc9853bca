/*
 * Tracing one case through the index (see fangkong/trace.h for the semantics).
 *
 * Every exposure found becomes a hit (who, through whom, where, when): through the case at
 * degree 1, through each close contact (the via) at degree 2. Hits are then grouped into
 * contacts and case links (trace/group.c), so a person met at several places and at home is one
 * contact carrying all of its exposures; each via's hits as soon as its walk ends. At degree 2
 * busy places are copied without the persons never reported (trace/hot.h), and the work can be
 * shared between threads: the vias cut into consecutive parts the threads take in turn.
 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "trace/group.h"
#include "trace/hot.h"
#include "trace/index.h"
#include "trace/meet.h"

/* ---- exposures ---------------------------------------------------------------------------- */

struct tracer {
  const struct fk_trace_index *ix;
  struct fk__vec *hits; /* struct fk__hit, through the via being walked */
  uint32_t self;        /* the person whose stays are scanned: the via */
  int close_only;       /* degree 2: only close places propagate */
  const uint64_t *skip; /* degree 2: persons never reported (bit per person), else NULL */
  struct fk__hot *hot;  /* degree 2: copies of busy places without them, else NULL */
};

/* Appends a hit of person, unless person is left out (t->skip: dropped now rather than when
   grouping); returns 0 or FK_ENOMEM. */
static int add_hit(struct tracer *t, uint32_t person, uint32_t place, uint32_t a, uint32_t b)
{
  struct fk__vec *v = t->hits;
  if (t->skip && fk__marked(t->skip, person)) return 0;
  if (v->n == v->cap && fk__vec_reserve(v, v->n + 1)) return FK_ENOMEM;
  ((struct fk__hit *)v->data)[v->n++] = (struct fk__hit){person, place, a, b};
  return 0;
}

/* Stays handed to fk__meet at a time, room being made for their hits before. */
#define MEET_CHUNK 256

/*
 * Others' stays s[0..n) at place p against [x, y), up to the first starting at or after y: a
 * hit for each overlap longer than min (the kind's minimum) of someone not left out (skip, may
 * be NULL), by fk__meet (trace/meet.c), a chunk of stays at a time; *scanned gets the number of
 * stays looked at. Returns 0 or FK_ENOMEM.
 */
static int meet(struct tracer *t, const struct fk__stay *s, size_t n, uint32_t p, uint32_t x,
                uint32_t y, fk_time min, const uint64_t *skip, size_t *scanned)
{
  struct fk__vec *v = t->hits;
  struct fk__meeting m = {
      p, x, y, min < 0 ? 0 : min > UINT32_MAX ? UINT32_MAX : (uint32_t)min, t->self, skip};
  size_t i = 0;
  while (i < n) {
    size_t len = n - i < MEET_CHUNK ? n - i : MEET_CHUNK, seen;
    if (v->cap - v->n < len + FK__MEET_SLACK && fk__vec_reserve(v, v->n + len + FK__MEET_SLACK))
      return FK_ENOMEM;
    v->n += fk__meet(&m, s + i, len, (struct fk__hit *)v->data + v->n, &seen);
    i += seen;
    if (seen < len) break;
  }
  *scanned = i;
  return 0;
}

/*
 * The first of place p's stays that can overlap [x, ...): fk__trace_first_overlap(ix, p, x).
 * When the walked person's own stay there is one of p's sorted stays (own; UINT32_MAX: a
 * pending one), galloped back from it instead of a binary search over the whole place: own
 * starts at or after the answer (it reaches past x and lasts at most the place's longest stay),
 * and the stays in between are the ones the meeting reads next, so the search only touches
 * memory about to be read (and already fetched with own).
 */
static uint32_t first_overlap(const struct fk_trace_index *ix, uint32_t p, uint32_t x, uint32_t own)
{
  if (own == UINT32_MAX) return fk__trace_first_overlap(ix, p, x);
  uint32_t from = fk__trace_reach(ix, p, x), base = ix->place_off[p];
  uint32_t lo = own, step = 1;
  assert(own >= base && own < ix->place_off[p + 1] && ix->stays[own].start >= from);
  while (step <= lo - base && ix->stays[lo - step].start >= from) {
    lo -= step;
    step *= 2;
  }
  /* stays[lo] starts at or after from; stays[lo - step], when within p, before it */
  return fk__trace_first_start(ix, step <= lo - base ? lo - step + 1 : base, lo, from);
}

/* Everyone at place p during [x, y) (the kind's minimum overlap min) from its sorted stays:
   its copy without the persons never reported when the trace has one (trace/hot.h), else the
   index's, counted towards a copy at degree 2; own as for first_overlap. Returns 0 or
   FK_ENOMEM. */
static int at_sorted_place(struct tracer *t, uint32_t p, uint32_t x, uint32_t y, fk_time min,
                           uint32_t own)
{
  const struct fk_trace_index *ix = t->ix;
  size_t n, scanned;
  const struct fk__stay *c = t->hot ? fk__hot_copy(t->hot, p, &n) : NULL;
  if (c) {
    uint32_t lo = fk__stays_first_start(c, 0, (uint32_t)n, fk__trace_reach(ix, p, x));
    return meet(t, c + lo, n - lo, p, x, y, min, NULL, &scanned);
  }
  uint32_t lo = first_overlap(ix, p, x, own);
  int rc = meet(t, ix->stays + lo, ix->place_off[p + 1] - lo, p, x, y, min, t->skip, &scanned);
  return rc || !t->hot ? rc : fk__hot_scanned(t->hot, ix, p, scanned);
}

/* Everyone at place p during [x, y), from the sorted stays and the pending ones; own: the
   walked person's stay there (its index in the sorted stays, or UINT32_MAX). */
static int at_place(struct tracer *t, uint32_t p, uint32_t x, uint32_t y, uint32_t own)
{
  const struct fk_trace_index *ix = t->ix;
  fk_time min = ix->rules->trace.kinds[ix->kind[p]].min_overlap;
  size_t scanned;
  int rc = p < ix->csr_places ? at_sorted_place(t, p, x, y, min, own) : 0;
  for (size_t i = 0; !rc && i < ix->pending.n; i++) {
    const struct fk__pending *q = &FK__VEC_AT(&ix->pending, struct fk__pending, i);
    if (q->place == p) rc = meet(t, &q->stay, 1, p, x, y, min, t->skip, &scanned);
  }
  return rc;
}

/* One of self's stays, s at place p, cut to the window [wa, wb), against everyone else at p;
   own: s's index in the sorted stays (UINT32_MAX: a pending stay). */
static int from_stay(struct tracer *t, const struct fk__stay *s, uint32_t p, uint32_t own,
                     uint32_t wa, uint32_t wb)
{
  uint32_t x = s->start > wa ? s->start : wa, y = s->end < wb ? s->end : wb;
  if (t->close_only && t->ix->rules->trace.kinds[t->ix->kind[p]].category != FK_CAT_CLOSE) return 0;
  return at_place(t, p, x, y, own);
}

/* Does stay s overlap [wa, wb)? */
static int within(const struct fk__stay *s, uint32_t wa, uint32_t wb)
{
  return (s->start > wa ? s->start : wa) < (s->end < wb ? s->end : wb);
}

/* Own stays fetched ahead of the walk: each is somewhere in gigabytes of stays, and one
   outside the window is passed over at once, so fetching only the next one left most of their
   misses one after the other. */
#define OWN_AHEAD 16

/* Venue exposures of everyone who shared a place with `who` during [wa, wb). Own stays come
   by place (their indexes are in order), so the place of the last one is tried first, and
   only for stays within the window; they are fetched OWN_AHEAD ahead. */
static int venues(struct tracer *t, uint32_t who, uint32_t wa, uint32_t wb)
{
  const struct fk_trace_index *ix = t->ix;
  uint32_t p = 0;
  int rc = 0;
  t->self = who;
  if (who < ix->csr_persons)
    for (uint32_t i = ix->person_off[who], end = ix->person_off[who + 1]; !rc && i < end; i++) {
      uint32_t s = ix->person_stays[i];
      if (i == ix->person_off[who])
        for (uint32_t k = i + 1; k < end && k < i + OWN_AHEAD; k++)
          __builtin_prefetch(&ix->stays[ix->person_stays[k]]);
      if (i + OWN_AHEAD < end) __builtin_prefetch(&ix->stays[ix->person_stays[i + OWN_AHEAD]]);
      if (!within(&ix->stays[s], wa, wb)) continue;
      if (s < ix->place_off[p] || s >= ix->place_off[p + 1]) p = fk__trace_place_of(ix, s);
      rc = from_stay(t, &ix->stays[s], p, s, wa, wb);
    }
  for (size_t i = 0; !rc && i < ix->pending.n; i++) {
    const struct fk__pending *q = &FK__VEC_AT(&ix->pending, struct fk__pending, i);
    if (q->stay.person == who && within(&q->stay, wa, wb))
      rc = from_stay(t, &q->stay, q->place, UINT32_MAX, wa, wb);
  }
  return rc;
}

/* Household exposures: every other member, over the whole of [wa, wb). */
static int household(struct tracer *t, uint32_t who, uint32_t wa, uint32_t wb)
{
  const struct fk_trace_index *ix = t->ix;
  uint32_t h = ix->household[who];
  int rc = 0;
  if (!h || wa >= wb) return 0;
  for (uint32_t i = ix->hh_off[h]; !rc && i < ix->hh_off[h + 1]; i++)
    if (ix->hh_members[i] != who) rc = add_hit(t, ix->hh_members[i], 0, wa, wb);
  return rc;
}

/* ---- the trace ---------------------------------------------------------------------------- */

/* One thread's share of a trace, kept from trace to trace (its arrays only grow): the hits of
   the via being walked, room for grouping them and the exposures it wrote. */
struct share {
  struct fk__vec hits; /* struct fk__hit */
  struct fk__grouper g;
  struct fk__exposures exp;
  struct fk__hot hot; /* degree 2: busy places copied without the persons never reported */
};

/* A close degree-1 contact to walk at degree 2: from its first exposure to the case until it
   was isolated or now. */
struct via {
  uint32_t person, first, end;
};

/* Parts of the close contacts when several threads share a case: each thread takes the next
   part when done with one, so that they finish together whatever a part costs; a part's
   contacts are put in place as soon as the parts before it are (struct parts). 32 a thread:
   with 8, the last part alone kept one thread walking while the other waited (scale 1, the
   two worst cases at report time on two threads: 53-54 ms against 57-60 ms; 64 and 128 the
   same as 32). */
#define PARTS_PER_THREAD 32
#define MAX_PARTS (PARTS_PER_THREAD * FK_TRACE_MAX_THREADS)

/*
 * What a result holds besides what it shows, kept from one trace to the next when the result
 * is traced into again (fk_trace_case_reuse), so tracing case after case touches no fresh
 * memory once it has grown: the contacts and links (the result's arrays), the threads' shares,
 * the contacts of the parts several threads walk, the close contacts to walk and the bitmap of
 * persons left out at degree 2 (clear between traces).
 */
struct storage {
  struct fk__vec con, lnk; /* struct fk_contact, struct fk_case_link */
  struct share share[FK_TRACE_MAX_THREADS];
  struct fk__vec part[MAX_PARTS]; /* several threads: buffers for the parts' contacts */
  struct via *vias;
  size_t vias_cap;
  uint64_t *skip;
  size_t skip_words;
};

/* Runs fn(arg + k * size) for k in [0, n): k = 0 on the calling thread, the others on threads
   of their own, or on the calling thread when a thread cannot be started. */
static void run_threads(void *(*fn)(void *), void *arg, size_t size, int n)
{
  pthread_t tid[FK_TRACE_MAX_THREADS];
  int started[FK_TRACE_MAX_THREADS] = {0};
  assert(n >= 1 && n <= FK_TRACE_MAX_THREADS);
  for (int k = 1; k < n; k++)
    started[k] = !pthread_create(&tid[k], NULL, fn, (char *)arg + (size_t)k * size);
  fn(arg);
  for (int k = 1; k < n; k++) {
    if (started[k])
      pthread_join(tid[k], NULL);
    else
      fn((char *)arg + (size_t)k * size);
  }
}

/* Empties the storage for a new trace, its memory kept. */
static void storage_reset(struct storage *st)
{
  st->con.size = sizeof(struct fk_contact);
  st->lnk.size = sizeof(struct fk_case_link);
  st->con.n = st->lnk.n = 0;
  for (int k = 0; k < FK_TRACE_MAX_THREADS; k++) {
    struct share *sh = &st->share[k];
    sh->hits.size = sizeof(struct fk__hit);
    sh->hits.n = 0;
    fk__exposures_reset(&sh->exp);
  }
  for (int k = 0; k < MAX_PARTS; k++)
    st->part[k].size = sizeof(struct fk_contact);
}

/* Shows what the storage holds in r. */
static void show(struct fk_trace_result *r, const struct storage *st)
{
  r->contacts = st->con.data;
  r->ncontacts = st->con.n;
  r->links = st->lnk.data;
  r->nlinks = st->lnk.n;
}

/* Collects the degree-1 hits of the case over [wa, wb) and groups them into st's contacts and
   links (the cases marked in st's bitmap); returns 0 or FK_ENOMEM. */
static int degree1(const struct fk_trace_index *ix, struct storage *st, uint32_t person,
                   uint32_t wa, uint32_t wb)
{
  struct share *sh = &st->share[0];
  struct tracer t = {ix, &sh->hits, 0, 0, NULL, NULL};
  struct fk__sink out = {&st->con, &st->lnk, &sh->exp, st->skip};
  int rc = household(&t, person, wa, wb);
  if (!rc) rc = venues(&t, person, wa, wb);
  if (!rc) rc = fk__group_via(ix, &sh->g, sh->hits.data, sh->hits.n, 0, person, &out);
  return rc;
}

/* The parts of the close contacts when several threads share a case: taken in turn, each walked
   into a buffer of contacts, and put in place as soon as the parts before it are, by the thread
   that finished last among them, while the others walk on. Gathered after the walk instead, the
   copy was a sixth of the worst case's time on two threads (scale 1, report time: 11 of 68 ms),
   one thread copying while the other waited. A buffer put in place is free for the next part
   taken, the last freed first: it is still in cache, so its lines are written again there
   instead of being read from memory and written back (a buffer for each part: 1.5-7 % slower). */
struct parts {
  atomic_size_t take;   /* the next part to take */
  size_t n, size;       /* how many; close contacts in each (the last may have fewer) */
  pthread_mutex_t lock; /* over what follows */
  struct fk__vec *con;  /* the answer's contacts: parts [0, next) are in */
  size_t next;
  unsigned char done[MAX_PARTS];
  struct fk__vec *of[MAX_PARTS];   /* each part's buffer, once taken */
  struct fk__vec *free[MAX_PARTS]; /* buffers free, the last freed on top */
  size_t nfree;
};

/* Returns an empty buffer for part c, the free one freed last; never fails (there are as many
   buffers as parts). */
static struct fk__vec *part_buffer(struct parts *g, size_t c)
{
  pthread_mutex_lock(&g->lock);
  assert(g->nfree > 0);
  struct fk__vec *b = g->of[c] = g->free[--g->nfree];
  pthread_mutex_unlock(&g->lock);
  b->n = 0;
  return b;
}

/* Copies n contacts from src to dst with stores that bypass the cache where the machine has
   them (SSE2) and dst is aligned for them: this trace does not read them again, and a plain
   copy first reads each line it writes. Scale 1, the three worst cases at report time on two
   threads: 49.3-49.4 ms against 50.8-50.9 ms with memcpy. */
static void copy_contacts(struct fk_contact *dst, const struct fk_contact *src, size_t n)
{
#ifdef __SSE2__
  _Static_assert(sizeof *dst % 16 == 0, "contacts are copied 16 bytes at a time");
  if (!((uintptr_t)dst & 15)) {
    __m128i *d = (__m128i *)dst;
    const __m128i *q = (const __m128i *)src;
    for (size_t i = 0; i < n * sizeof *dst / 16; i++)
      _mm_stream_si128(d + i, _mm_loadu_si128(q + i));
    _mm_sfence(); /* before the lock is released: streaming stores are not ordered */
    return;
  }
#endif
  memcpy(dst, src, n * sizeof *dst);
}

/* Marks part c done and appends to g->con every finished part from g->next on, in order,
   freeing their buffers; returns 0 or FK_ENOMEM. */
static int part_done(struct parts *g, size_t c)
{
  int rc = 0;
  pthread_mutex_lock(&g->lock);
  g->done[c] = 1;
  for (; !rc && g->next < g->n && g->done[g->next]; g->next++) {
    struct fk__vec *v = g->of[g->next];
    if ((rc = fk__vec_reserve(g->con, g->con->n + v->n))) break;
    if (v->n) copy_contacts((struct fk_contact *)g->con->data + g->con->n, v->data, v->n);
    g->con->n += v->n;
    g->free[g->nfree++] = v;
  }
  pthread_mutex_unlock(&g->lock);
  return rc;
}

/* One thread's walk at degree 2: the close contacts v[0, nv), all into con (one thread) or
   the parts it takes. */
struct walker {
  const struct fk_trace_index *ix;
  const struct via *v;
  size_t nv;
  uint32_t index_person;
  const uint64_t *skip; /* persons never reported at degree 2 */
  uint32_t from, to;    /* the walks' earliest start and latest end */
  struct share *share;
  struct fk__vec *con; /* one thread: the answer's contacts */
  struct parts *parts; /* several threads, else NULL */
  int rc;
};

/* Fetches ahead what the walks of the vias after v[i] (of v[0, to)) read first, each a miss
   somewhere in the per-person arrays: the offsets and household of the one after next, and the
   stay indexes and household members' offsets of the next one (its offsets fetched one via
   before). Scale 1, 221 cases, one thread: 4.92-5.00 s against 5.02-5.05 s without. */
static void fetch_ahead(const struct fk_trace_index *ix, const struct via *v, size_t i, size_t to)
{
  if (i + 2 < to && v[i + 2].person < ix->csr_persons) {
    __builtin_prefetch(&ix->person_off[v[i + 2].person]);
    __builtin_prefetch(&ix->household[v[i + 2].person]);
  }
  if (i + 1 < to && v[i + 1].person < ix->csr_persons) {
    __builtin_prefetch(&ix->person_stays[ix->person_off[v[i + 1].person]]);
    __builtin_prefetch(&ix->hh_off[ix->household[v[i + 1].person]]);
  }
}

/* Walks the vias [from, to) in turn, each over [its first exposure, its end), grouping each one's
   hits into contacts appended to con at once; returns 0 or FK_ENOMEM. */
static int walk_range(const struct walker *w, struct tracer *t, size_t from, size_t to,
                      struct fk__vec *con)
{
  struct share *sh = w->share;
  struct fk__sink out = {con, NULL, &sh->exp, NULL};
  int rc = 0;
  for (size_t i = from; !rc && i < to; i++) {
    const struct via *v = &w->v[i];
    fetch_ahead(w->ix, w->v, i, to);
    sh->hits.n = 0;
    rc = household(t, v->person, v->first, v->end);
    if (!rc) rc = venues(t, v->person, v->first, v->end);
    if (!rc)
      rc =
          fk__group_via(w->ix, &sh->g, sh->hits.data, sh->hits.n, v->person, w->index_person, &out);
  }
  return rc;
}

/* A thread's walk (arg: a struct walker): every via, or part after part; sets w->rc (0 or
   FK_ENOMEM). */
static void *walk_vias(void *arg)
{
  struct walker *w = arg;
  struct tracer t = {w->ix, &w->share->hits, 0, 1, w->skip, &w->share->hot};
  size_t c;
  int rc = fk__hot_reset(&w->share->hot, w->ix, w->skip, w->from, w->to);
  struct parts *g = w->parts;
  if (!g && !rc) rc = walk_range(w, &t, 0, w->nv, w->con);
  while (g && !rc && (c = atomic_fetch_add(&g->take, 1)) < g->n) {
    size_t from = c * g->size, to = from + g->size;
    rc = walk_range(w, &t, from, to < w->nv ? to : w->nv, part_buffer(g, c));
    if (!rc) rc = part_done(g, c);
  }
  w->rc = rc;
  return NULL;
}

/* Sets or clears (on 1/0) the bit of person p in bits. */
static void mark(uint64_t *bits, int64_t p, int on)
{
  uint64_t bit = UINT64_C(1) << (p & 63);
  bits[p >> 6] = on ? bits[p >> 6] | bit : bits[p >> 6] & ~bit;
}

/* Sets or clears (on 1/0) the bits of every case of ix: links at degree 1, never secondary. */
static void mark_cases(const struct fk_trace_index *ix, uint64_t *bits, int on)
{
  for (size_t i = 0; i < ix->cases.n; i++) {
    int64_t p = FK__VEC_AT(&ix->cases, struct fk_case_row, i).person;
    if (p > 0 && p < ix->nperson) mark(bits, p, on);
  }
}

/* Sets or clears (on 1/0) the bits of the other persons never reported at degree 2: the case
   and its n1 degree-1 contacts c. */
static void mark_degree1(int64_t index_person, const struct fk_contact *c, size_t n1,
                         uint64_t *bits, int on)
{
  mark(bits, index_person, on);
  for (size_t i = 0; i < n1; i++)
    mark(bits, c[i].person, on);
}

/* Makes room in st for the bitmap of ix's persons; returns 0 or FK_ENOMEM. */
static int bitmap_room(const struct fk_trace_index *ix, struct storage *st)
{
  size_t words = ((size_t)ix->nperson + 63) / 64;
  if (words <= st->skip_words) return 0;
  fk_free(st->skip); /* a refresh added persons */
  st->skip_words = 0;
  if (!(st->skip = fk_calloc(words, sizeof *st->skip))) return FK_ENOMEM;
  st->skip_words = words;
  return 0;
}

/* Makes room in st for n1 vias; returns 0 or FK_ENOMEM. */
static int vias_room(struct storage *st, size_t n1)
{
  void *q = fk__grow(st->vias, &st->vias_cap, n1 + 1, sizeof *st->vias);
  if (!q) return FK_ENOMEM;
  st->vias = q;
  return 0;
}

/* Adds the secondary contacts through the n1 degree-1 contacts in st (of the case index_person)
   on `threads` threads; returns 0 or FK_ENOMEM. */
static int secondary(const struct fk_trace_index *ix, struct storage *st, int64_t index_person,
                     size_t n1, fk_time now, int threads)
{
  struct walker w[FK_TRACE_MAX_THREADS];
  uint32_t t_now = fk__trace_t32(now), from = UINT32_MAX, to = 0;
  size_t nv = 0;
  int rc = vias_room(st, n1);
  if (rc) return rc;
  for (size_t i = 0; i < n1; i++) { /* the contacts move as share 0 appends: the vias do not */
    const struct fk_contact *c = &FK__VEC_AT(&st->con, struct fk_contact, i);
    uint32_t end = fk__trace_isolated(ix, c->person, c->first, t_now);
    if (c->category != FK_CAT_CLOSE || end <= c->first) continue;
    st->vias[nv++] = (struct via){c->person, c->first, end};
    from = c->first < from ? c->first : from;
    to = end > to ? end : to;
  }
  int n = nv < (size_t)threads ? (nv ? (int)nv : 1) : threads;
  size_t nparts = n == 1                              ? 1
                  : nv < (size_t)n * PARTS_PER_THREAD ? nv
                                                      : (size_t)n * PARTS_PER_THREAD;
  struct parts g = {.n = nparts, .size = (nv + nparts - 1) / nparts, .con = &st->con};
  atomic_init(&g.take, 0);
  for (size_t k = 0; k < nparts; k++) /* part[0] on top */
    g.free[k] = &st->part[nparts - 1 - k];
  g.nfree = nparts;
  if (n > 1 && pthread_mutex_init(&g.lock, NULL)) return FK_ENOMEM;
  for (int k = 0; k < n; k++)
    w[k] = (struct walker){.ix = ix,
                           .v = st->vias,
                           .nv = nv,
                           .index_person = (uint32_t)index_person,
                           .skip = st->skip,
                           .from = from,
                           .to = to,
                           .share = &st->share[k],
                           .con = &st->con,
                           .parts = n == 1 ? NULL : &g};
  mark_degree1(index_person, st->con.data, n1, st->skip, 1); /* the cases are marked */
  run_threads(walk_vias, w, sizeof *w, n);
  mark_degree1(index_person, st->con.data, n1, st->skip, 0);
  for (int k = 0; k < n; k++)
    if (w[k].rc) rc = w[k].rc;
  if (n > 1) pthread_mutex_destroy(&g.lock);
  assert(rc || n == 1 || g.next == g.n);
  return rc;
}

int fk_trace_case(const struct fk_trace_index *ix, int64_t case_person, fk_time now, int depth,
                  struct fk_trace_result *out, struct fk_diag *diag)
{
  memset(out, 0, sizeof *out);
  return fk_trace_case_threads(ix, case_person, now, depth, 1, out, diag);
}

int fk_trace_case_reuse(const struct fk_trace_index *ix, int64_t case_person, fk_time now,
                        int depth, struct fk_trace_result *out, struct fk_diag *diag)
{
  return fk_trace_case_threads(ix, case_person, now, depth, 1, out, diag);
}

int fk_trace_case_threads(const struct fk_trace_index *ix, int64_t case_person, fk_time now,
                          int depth, int threads, struct fk_trace_result *out, struct fk_diag *diag)
{
  struct storage *st = out->storage_;
  fk_time w0, w1;
  int rc;
  if (depth < 1 || depth > 2) return fk_diag_set(diag, FK_EINVAL, "depth", "depth is 1 or 2");
  if (threads < 1 || threads > FK_TRACE_MAX_THREADS)
    return fk_diag_set(diag, FK_EINVAL, "threads", "threads is 1 to %d", FK_TRACE_MAX_THREADS);
  if (fk_trace_window(ix, case_person, now, &w0, &w1)) {
    const char *name = fk_trace_person_id(ix, case_person);
    return fk_diag_set(diag, FK_ENOTFOUND, NULL, "%s is not a case", name ? name : "the person");
  }
  if (!st && !(st = out->storage_ = fk_calloc(1, sizeof *st)))
    return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory tracing");
  if (!ix->rules->trace.secondary_contacts) depth = 1;
  storage_reset(st);
  out->index_person = case_person;
  out->depth = depth;
  out->window_start = w0;
  out->window_end = w1;
  if (!(rc = bitmap_room(ix, st))) {
    mark_cases(ix, st->skip, 1);
    rc = degree1(ix, st, (uint32_t)case_person, fk__trace_t32(w0), fk__trace_t32(w1));
    if (!rc && depth == 2) rc = secondary(ix, st, case_person, st->con.n, now, threads);
    mark_cases(ix, st->skip, 0);
  }
  if (rc) {
    fk_trace_result_free(out);
    return fk_diag_set(diag, rc, NULL, "out of memory tracing");
  }
  show(out, st);
  return 0;
}

void fk_trace_result_free(struct fk_trace_result *r)
{
  struct storage *st = r->storage_;
  if (st) {
    for (int k = 0; k < FK_TRACE_MAX_THREADS; k++) {
      fk__vec_free(&st->share[k].hits);
      fk__grouper_free(&st->share[k].g);
      fk__exposures_free(&st->share[k].exp);
      fk__hot_free(&st->share[k].hot);
    }
    for (int k = 0; k < MAX_PARTS; k++)
      fk__vec_free(&st->part[k]);
    fk__vec_free(&st->con);
    fk__vec_free(&st->lnk);
    fk_free(st->vias);
    fk_free(st->skip);
    fk_free(st);
  } else { /* a result nobody traced into holds nothing of its own */
    assert(!r->contacts && !r->links);
  }
  memset(r, 0, sizeof *r);
}
