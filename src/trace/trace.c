/*
 * Tracing one case through the index (see fangkong/trace.h for the semantics).
 *
 * Every exposure found becomes a `hit` (who, through whom, where, when); hits are then sorted
 * and grouped into contacts and case links, so a person met at several places and at home is
 * one contact carrying all of its exposures.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/tasks.h"
#include "trace/index.h"

/* 20 bytes, in index time: a trace may collect millions, so they stay compact until grouped. */
struct hit {
  uint32_t person, via; /* via: 0 at degree 1 */
  uint32_t place;       /* 0: the household */
  uint32_t start, end;
};

struct tracer {
  const struct fk_trace_index *ix;
  struct fk__vec *hits; /* struct hit, kept in the result's storage */
  uint32_t via;         /* whose exposures are being collected: 0 for the case itself */
  uint32_t self;        /* the person whose stays are scanned */
  int close_only;       /* degree 2: only close places propagate */
  const uint64_t *skip; /* degree 2: persons never reported (bit per person), else NULL */
  /* the last search for a place's first stays (first_overlap): place, time, answer */
  uint32_t hint_place, hint_from, hint_lo;
};

/* Is person's bit set in the bitmap? */
static int marked(const uint64_t *bits, uint32_t person)
{
  return (int)(bits[person >> 6] >> (person & 63) & 1);
}

/* ---- lookups ------------------------------------------------------------------------------ */

int64_t fk_trace_person(const struct fk_trace_index *ix, const char *person_id, size_t n)
{
  int64_t id;
  return fk__strmap_get(&ix->by_name, person_id, n, &id) ? id : 0;
}

const char *fk_trace_person_id(const struct fk_trace_index *ix, int64_t person)
{
  if (person <= 0 || person >= ix->nperson) return NULL;
  return (const char *)ix->names.data + ix->name_off[person];
}

const char *fk_trace_place_id(const struct fk_trace_index *ix, int64_t place)
{
  if (place <= 0 || place >= ix->nplace) return NULL;
  return (const char *)ix->place_names.data + ix->place_name_off[place];
}

int fk_trace_is_case(const struct fk_trace_index *ix, int64_t person)
{
  return person > 0 && person < ix->nperson && ix->case_of[person] >= 0;
}

void fk_trace_each_case(const struct fk_trace_index *ix, void (*fn)(void *arg, int64_t person),
                        void *arg)
{
  for (size_t i = 0; i < ix->cases.n; i++)
    fn(arg, FK__VEC_AT(&ix->cases, struct fk_case_row, i).person);
}

int fk_trace_window(const struct fk_trace_index *ix, int64_t person, fk_time now, fk_time *start,
                    fk_time *end)
{
  if (!fk_trace_is_case(ix, person)) return FK_ENOTFOUND;
  const struct fk_case_row *c = &FK__VEC_AT(&ix->cases, struct fk_case_row, ix->case_of[person]);
  fk_case_window(c, ix->rules->trace.window_days, now, start, end);
  return 0;
}

void fk_case_window(const struct fk_case_row *c, int window_days, fk_time now, fk_time *start,
                    fk_time *end)
{
  fk_date day = c->has_onset && !c->asymptomatic ? c->onset : fk_time_date(c->sampled);
  *start = fk_date_start(day - window_days);
  *end = c->has_isolated ? c->isolated : now;
}

void fk_trace_index_stats(const struct fk_trace_index *ix, struct fk_trace_index_stats *out)
{
  size_t stays = ix->nstays * (sizeof *ix->stays + sizeof *ix->person_stays) +
                 ix->pending.cap * ix->pending.size;
  size_t people = (size_t)ix->nperson * (sizeof *ix->household + sizeof *ix->name_off +
                                         sizeof *ix->case_of + sizeof *ix->person_off) +
                  ix->names.cap + ((size_t)ix->nhousehold + 2) * sizeof *ix->hh_off +
                  (size_t)ix->nperson * sizeof *ix->hh_members +
                  (ix->by_name.cap + ix->households.cap) * sizeof(struct fk__strmap_slot);
  size_t places = (size_t)ix->nplace * (1 + sizeof *ix->place_name_off + sizeof *ix->maxdur +
                                        sizeof *ix->place_off) +
                  ix->place_names.cap;
  out->persons = (long)ix->nperson - 1;
  out->places = (long)ix->nplace - 1;
  out->households = (long)ix->nhousehold;
  out->cases = (long)ix->cases.n;
  out->checkins = (long)(ix->nstays + ix->pending.n);
  out->checkin_bytes = stays;
  out->total_bytes = stays + people + places + ix->cases.cap * ix->cases.size;
}

/* ---- exposures ---------------------------------------------------------------------------- */

/* Appends a hit of person through t->via, unless person is left out (t->skip: dropped now rather
   than when grouping); returns 0 or FK_ENOMEM. */
static int add_hit(struct tracer *t, uint32_t person, uint32_t place, uint32_t a, uint32_t b)
{
  struct fk__vec *v = t->hits;
  if (t->skip && marked(t->skip, person)) return 0;
  if (v->n == v->cap && fk__vec_reserve(v, v->n + 1)) return FK_ENOMEM;
  ((struct hit *)v->data)[v->n++] = (struct hit){person, t->via, place, a, b};
  return 0;
}

/* The category of an exposure at place (0: the household, always close). */
static enum fk_category category_at(const struct fk_trace_index *ix, uint32_t place)
{
  return place ? ix->rules->trace.kinds[ix->kind[place]].category : FK_CAT_CLOSE;
}

/* Stays meet() handles between two checks for room: the hits' count and pointer stay in
   registers meanwhile. */
#define MEET_CHUNK 256

/*
 * Others' stays s[0..n) at place p against [x, y), up to the first starting at or after y: a
 * hit for each overlap longer than min (the kind's minimum) of someone not left out (skip).
 * The inner loop of every trace: every stay's hit is written and kept or not by the count,
 * without a branch on whether it is kept (at degree 2 that is close to a coin toss), room
 * being made for a chunk of stays at a time. Returns 0 or FK_ENOMEM.
 */
static int meet(struct tracer *t, const struct fk__stay *s, size_t n, uint32_t p, uint32_t x,
                uint32_t y, fk_time min)
{
  struct fk__vec *v = t->hits;
  const uint64_t *skip = t->skip;
  uint32_t self = t->self, via = t->via;
  size_t i = 0;
  while (i < n && s[i].start < y) {
    size_t end = n - i < MEET_CHUNK ? n : i + MEET_CHUNK;
    if (v->cap - v->n < end - i && fk__vec_reserve(v, v->n + (end - i))) return FK_ENOMEM;
    struct hit *h = v->data;
    size_t k = v->n;
    for (; i < end && s[i].start < y; i++) {
      uint32_t who = s[i].person;
      uint32_t a = s[i].start > x ? s[i].start : x, b = s[i].end < y ? s[i].end : y;
      int keep = (who != self) & (b > a) & ((fk_time)(b - a) > min);
      keep &= skip ? !marked(skip, who) : 1;
      h[k] = (struct hit){who, via, p, a, b};
      k += (size_t)keep;
    }
    v->n = k;
  }
  return 0;
}

/*
 * fk__trace_first_overlap(t->ix, p, x), searched from the last answer when that was at the
 * same place for a time not later: a person's own stays at a place come in order of start,
 * so from one day's answer the next day's is a short gallop away in memory just read, instead
 * of a binary search over the whole place. The answer only moves forward with the time.
 */
static uint32_t first_overlap(struct tracer *t, uint32_t p, uint32_t x)
{
  const struct fk_trace_index *ix = t->ix;
  uint32_t from = x > ix->maxdur[p] ? x - ix->maxdur[p] : 0;
  uint32_t lo, hi = ix->place_off[p + 1], step = 1;
  if (p != t->hint_place || from < t->hint_from) {
    lo = fk__trace_first_overlap(ix, p, x);
  } else {
    lo = t->hint_lo; /* the answer is at or after it */
    while (step < hi - lo && ix->stays[lo + step].start < from) {
      lo += step;
      step *= 2;
    }
    if (step < hi - lo) hi = lo + step + 1; /* stays[lo + step] starts at or after `from` */
    lo = fk__trace_first_start(ix, lo, hi, from);
  }
  t->hint_place = p;
  t->hint_from = from;
  t->hint_lo = lo;
  return lo;
}

/* Everyone at place p during [x, y), from the sorted stays and the pending ones. */
static int at_place(struct tracer *t, uint32_t p, uint32_t x, uint32_t y)
{
  const struct fk_trace_index *ix = t->ix;
  fk_time min = ix->rules->trace.kinds[ix->kind[p]].min_overlap;
  int rc = 0;
  if (p < ix->csr_places) {
    uint32_t lo = first_overlap(t, p, x);
    rc = meet(t, ix->stays + lo, ix->place_off[p + 1] - lo, p, x, y, min);
  }
  for (size_t i = 0; !rc && i < ix->pending.n; i++) {
    const struct fk__pending *q = &FK__VEC_AT(&ix->pending, struct fk__pending, i);
    if (q->place == p) rc = meet(t, &q->stay, 1, p, x, y, min);
  }
  return rc;
}

/* One of self's stays, s at place p, cut to the window [wa, wb), against everyone else at p. */
static int from_stay(struct tracer *t, const struct fk__stay *s, uint32_t p, uint32_t wa,
                     uint32_t wb)
{
  uint32_t x = s->start > wa ? s->start : wa, y = s->end < wb ? s->end : wb;
  if (t->close_only && t->ix->rules->trace.kinds[t->ix->kind[p]].category != FK_CAT_CLOSE) return 0;
  return at_place(t, p, x, y);
}

/* Does stay s overlap [wa, wb)? */
static int within(const struct fk__stay *s, uint32_t wa, uint32_t wb)
{
  return (s->start > wa ? s->start : wa) < (s->end < wb ? s->end : wb);
}

/* Venue exposures of everyone who shared a place with `who` during [wa, wb). Own stays come
   by place (their indexes are in order), so the place of the last one is tried first, and
   only for stays within the window; the next stay is fetched while this one is scanned. */
static int venues(struct tracer *t, uint32_t who, uint32_t wa, uint32_t wb)
{
  const struct fk_trace_index *ix = t->ix;
  uint32_t p = 0;
  int rc = 0;
  t->self = who;
  if (who < ix->csr_persons)
    for (uint32_t i = ix->person_off[who], end = ix->person_off[who + 1]; !rc && i < end; i++) {
      uint32_t s = ix->person_stays[i];
      if (i + 1 < end) __builtin_prefetch(&ix->stays[ix->person_stays[i + 1]]);
      if (!within(&ix->stays[s], wa, wb)) continue;
      if (s < ix->place_off[p] || s >= ix->place_off[p + 1]) p = fk__trace_place_of(ix, s);
      rc = from_stay(t, &ix->stays[s], p, wa, wb);
    }
  for (size_t i = 0; !rc && i < ix->pending.n; i++) {
    const struct fk__pending *q = &FK__VEC_AT(&ix->pending, struct fk__pending, i);
    if (q->stay.person == who && within(&q->stay, wa, wb))
      rc = from_stay(t, &q->stay, q->place, wa, wb);
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

/* ---- grouping ----------------------------------------------------------------------------- */

/* The order contacts are reported in: by person, then via (degree 1, via 0, comes first). */
static int by_who(const void *a, const void *b)
{
  const struct hit *x = a, *y = b;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  if (x->via != y->via) return x->via < y->via ? -1 : 1;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->place < y->place ? -1 : x->place > y->place;
}

/*
 * Sorting hits. A depth-2 trace collects hundreds of thousands of hits, and a comparison sort
 * was most of its time. Hits arrive grouped by `via` in increasing order (degree 1, then each
 * close contact in person order), so a stable radix sort on the person alone gives them by
 * (person, via); an insertion sort of each small (person, via) group by (start, place) then
 * gives the order of by_who. Equal keys keep their scan order. The last pass writes each hit
 * apart as its key (person, via) and its exposure, straight into the result's exposures:
 * exposures are never copied again, and grouping reads 24 bytes a hit.
 */
#define RADIX_BITS 12
#define RADIX_MIN 4096 /* fewer items than this: qsort */
#define RADIX_PASSES 3 /* persons below 2^36 */

/* Bits needed to hold every value below n. */
static int bits_for(uint64_t n)
{
  int b = 0;
  while (b < 64 && (UINT64_C(1) << b) < n)
    b++;
  return b;
}

/* Writes hit h apart: its key (person, via) into *key, its exposure into *e (close at degree 2,
   which only ever meets at home and at close places; the place's category at degree 1). */
static void split(const struct fk_trace_index *ix, const struct hit *h, uint64_t *key,
                  struct fk_exposure *e)
{
  *key = (uint64_t)h->person << 32 | h->via;
  *e = (struct fk_exposure){h->place, h->start, h->end,
                            h->via ? FK_CAT_CLOSE : category_at(ix, h->place)};
}

/*
 * Sorts n hits stably by person (below 2^pbits) by LSD radix passes that move whole hits
 * between h and tmp (room for n hits), the last pass writing them apart into key and exp
 * (room for n each): one pass counts every digit, then each pass reads sequentially and
 * writes one stream per digit. Returns 0, 1 when persons need more than RADIX_PASSES digits,
 * or FK_ENOMEM.
 */
static int radix_by_person(const struct fk_trace_index *ix, struct hit *h, size_t n, int pbits,
                           struct hit *tmp, uint64_t *key, struct fk_exposure *exp)
{
  int passes = (pbits + RADIX_BITS - 1) / RADIX_BITS;
  if (passes > RADIX_PASSES) return 1;
  int width = passes ? (pbits + passes - 1) / passes : 0;
  uint32_t mask = (UINT32_C(1) << width) - 1;
  size_t(*pos)[1u << RADIX_BITS] = fk_calloc(RADIX_PASSES, sizeof *pos);
  struct hit *src = h, *dst = tmp;
  if (!pos) return FK_ENOMEM;
  for (size_t i = 0; i < n; i++)
    for (int d = 0; d < passes; d++)
      pos[d][h[i].person >> (d * width) & mask]++;
  for (int d = 0; d < passes; d++) {
    size_t at = 0;
    for (uint32_t v = 0; v <= mask; v++) {
      size_t c = pos[d][v];
      pos[d][v] = at;
      at += c;
    }
    if (d == passes - 1) break;
    for (size_t i = 0; i < n; i++)
      dst[pos[d][src[i].person >> (d * width) & mask]++] = src[i];
    struct hit *t = src;
    src = dst;
    dst = t;
  }
  for (size_t i = 0; i < n; i++) {
    size_t at = passes ? pos[passes - 1][src[i].person >> ((passes - 1) * width) & mask]++ : i;
    split(ix, &src[i], &key[at], &exp[at]);
  }
  fk_free(pos);
  return 0;
}

/* Does exposure a come after exposure b within one (person, via) group? */
static int later(const struct fk_exposure *a, const struct fk_exposure *b)
{
  return a->start > b->start || (a->start == b->start && a->place > b->place);
}

/* Sorts the exposures of one (person, via) group, e[0..n), by (start, place); stable. */
static void order_group(struct fk_exposure *e, size_t n)
{
  for (size_t a = 1; a < n; a++) {
    struct fk_exposure x = e[a];
    size_t b = a;
    for (; b > 0 && later(&e[b - 1], &x); b--)
      e[b] = e[b - 1];
    e[b] = x;
  }
}

#ifndef NDEBUG
/* Are the n hits of h in increasing order of via, as they are collected? */
static int via_ordered(const struct hit *h, size_t n)
{
  for (size_t i = 1; i < n; i++)
    if (h[i].via < h[i - 1].via) return 0;
  return 1;
}
#endif

/*
 * Sorts the n hits h[0..n) (collected in increasing order of via) by (person, via), written
 * apart into key and exp (room for n each; exp is the result's); tmp (room for n hits) is room
 * to work in. Returns 0 or FK_ENOMEM.
 */
static int sort_hits(const struct fk_trace_index *ix, struct hit *h, size_t n, struct hit *tmp,
                     uint64_t *key, struct fk_exposure *exp)
{
  int rc = 1;
  assert(via_ordered(h, n));
  if (n >= RADIX_MIN) rc = radix_by_person(ix, h, n, bits_for(ix->nperson), tmp, key, exp);
  if (rc <= 0) return rc;
  if (n) qsort(h, n, sizeof *h, by_who); /* h is NULL when nobody was met */
  for (size_t i = 0; i < n; i++)
    split(ix, &h[i], &key[i], &exp[i]);
  return 0;
}

/*
 * Groups the n sorted hits, keys key[0..n) and exposures exp[0..n), into contacts of r (or
 * links, for cases met at degree 1). Degree-2 hits of persons never reported there were
 * dropped when collected (tracer.skip).
 */
static void group(const struct fk_trace_index *ix, struct fk_trace_result *r, const uint64_t *key,
                  struct fk_exposure *exp, size_t n)
{
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && key[j] == key[i])
      j++;
    uint32_t person = (uint32_t)(key[i] >> 32), via = (uint32_t)key[i];
    struct fk_exposure *e = exp + i;
    order_group(e, j - i);
    if (person != r->index_person) {
      uint32_t first = e[0].start, last = e[0].end;
      enum fk_category cat = FK_CAT_GENERAL;
      for (size_t k = 0; k < j - i; k++) {
        if (e[k].end > last) last = e[k].end;
        if (e[k].category == FK_CAT_CLOSE) cat = FK_CAT_CLOSE;
      }
      if (!via && fk_trace_is_case(ix, person)) {
        r->links[r->nlinks++] = (struct fk_case_link){
            r->index_person, person, fk_trace_time(first), fk_trace_time(last), j - i, e};
      } else {
        r->contacts[r->ncontacts++] = (struct fk_contact){
            person, via, first, last, (uint32_t)(j - i), via ? 2 : 1, (uint8_t)cat, e};
      }
    }
    i = j;
  }
}

/* ---- the trace ---------------------------------------------------------------------------- */

/* Collects degree-1 hits of the case over [wa, wb). */
static int degree1(struct tracer *t, uint32_t person, uint32_t wa, uint32_t wb)
{
  t->via = 0;
  t->close_only = 0;
  int rc = household(t, person, wa, wb);
  return rc ? rc : venues(t, person, wa, wb);
}

/* Collects degree-2 hits through every close degree-1 contact, each over [first, now). */
static int degree2(struct tracer *t, const struct fk_trace_result *r, size_t n1, fk_time now)
{
  int rc = 0;
  t->close_only = 1;
  for (size_t i = 0; !rc && i < n1; i++) {
    const struct fk_contact *c = &r->contacts[i];
    if (c->category != FK_CAT_CLOSE) continue;
    uint32_t wa = c->first, wb = fk__trace_t32(now);
    t->via = c->person;
    if (!(rc = household(t, c->person, wa, wb))) rc = venues(t, c->person, wa, wb);
  }
  return rc;
}

/*
 * What a result holds besides its arrays, kept from one trace to the next when the result is
 * traced into again (fk_trace_case_reuse), so tracing case after case touches no fresh memory
 * once it has grown: the capacities of contacts and links, an exposure block per grouping pass
 * (degree 1, degree 2: earlier contacts' pointers stay valid), the hits, room to sort them,
 * their keys and the bitmap of persons left out at degree 2 (all clear between traces).
 */
struct storage {
  size_t contacts_cap, links_cap;
  struct fk_exposure *block[2];
  size_t block_cap[2];
  int n;               /* blocks used by the current trace */
  struct fk__vec hits; /* struct hit */
  struct hit *tmp;     /* room for the sort to work in */
  size_t tmp_cap;
  uint64_t *key; /* the sorted hits' (person, via) */
  size_t key_cap;
  uint64_t *skip;
  size_t skip_words;
};

/* Returns p grown to hold n items of size bytes (what it holds kept; *cap follows), or NULL
   when out of memory (p is then unchanged). */
static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
  if (p && n <= *cap) return p;
  size_t c = *cap > n ? *cap : n + n / 2;
  void *q = fk_realloc(p, c * size);
  if (q) *cap = c;
  return q;
}

/* Makes room in r's storage for n sorted hits (their keys and room to sort) and an exposure
   block of n, and for n more contacts and links; returns 0 or FK_ENOMEM. */
static int make_room(struct fk_trace_result *r, size_t n)
{
  struct storage *st = r->storage_;
  size_t total = r->ncontacts + r->nlinks + n + 1, m = n ? n : 1;
  int b = st->n;
  struct fk_exposure *exp = b < 2 ? grow(st->block[b], &st->block_cap[b], m, sizeof *exp) : NULL;
  if (!exp) return FK_ENOMEM;
  st->block[b] = exp;
  struct fk_contact *contacts = grow(r->contacts, &st->contacts_cap, total, sizeof *contacts);
  if (!contacts) return FK_ENOMEM;
  r->contacts = contacts;
  struct fk_case_link *links = grow(r->links, &st->links_cap, total, sizeof *links);
  if (!links) return FK_ENOMEM;
  r->links = links;
  struct hit *tmp = grow(st->tmp, &st->tmp_cap, m, sizeof *tmp);
  if (!tmp) return FK_ENOMEM;
  st->tmp = tmp;
  uint64_t *key = grow(st->key, &st->key_cap, m, sizeof *key);
  if (!key) return FK_ENOMEM;
  st->key = key;
  return 0;
}

/* Sorts the hits collected since `from` and groups them into r, their exposures into the next
   block; returns 0 or FK_ENOMEM. */
static int settle(struct tracer *t, struct fk_trace_result *r, size_t from)
{
  struct storage *st = r->storage_;
  size_t n = t->hits->n - from;
  int rc = make_room(r, n);
  if (rc) return rc;
  struct fk_exposure *exp = st->block[st->n++];
  struct hit *h = n ? (struct hit *)t->hits->data + from : NULL;
  rc = sort_hits(t->ix, h, n, st->tmp, st->key, exp);
  if (!rc) group(t->ix, r, st->key, exp, n);
  return rc;
}

/* Sets or clears (on 0/1) the bits of the persons never reported at degree 2: the case, every
   case, the n1 degree-1 contacts of r. */
static void mark_not_secondary(const struct fk_trace_index *ix, const struct fk_trace_result *r,
                               size_t n1, uint64_t *bits, int on)
{
  for (size_t i = 0; i <= ix->cases.n + n1; i++) {
    int64_t p = i < ix->cases.n        ? FK__VEC_AT(&ix->cases, struct fk_case_row, i).person
                : i < ix->cases.n + n1 ? r->contacts[i - ix->cases.n].person
                                       : r->index_person;
    if (p <= 0 || p >= ix->nperson) continue;
    uint64_t bit = UINT64_C(1) << (p & 63);
    bits[p >> 6] = on ? bits[p >> 6] | bit : bits[p >> 6] & ~bit;
  }
}

/* Adds the secondary contacts through the n1 degree-1 contacts of r; returns 0 or FK_ENOMEM. */
static int secondary(struct tracer *t, struct fk_trace_result *r, size_t n1, fk_time now)
{
  struct storage *st = r->storage_;
  size_t words = ((size_t)t->ix->nperson + 63) / 64, from = t->hits->n;
  if (words > st->skip_words) { /* a refresh may have added persons */
    fk_free(st->skip);
    st->skip_words = 0;
    if (!(st->skip = fk_calloc(words, sizeof *st->skip))) return FK_ENOMEM;
    st->skip_words = words;
  }
  mark_not_secondary(t->ix, r, n1, st->skip, 1);
  t->skip = st->skip;
  int rc = degree2(t, r, n1, now);
  t->skip = NULL;
  mark_not_secondary(t->ix, r, n1, st->skip, 0);
  return rc ? rc : settle(t, r, from);
}

int fk_trace_case(const struct fk_trace_index *ix, int64_t case_person, fk_time now, int depth,
                  struct fk_trace_result *out, struct fk_diag *diag)
{
  memset(out, 0, sizeof *out);
  return fk_trace_case_reuse(ix, case_person, now, depth, out, diag);
}

int fk_trace_case_reuse(const struct fk_trace_index *ix, int64_t case_person, fk_time now,
                        int depth, struct fk_trace_result *out, struct fk_diag *diag)
{
  struct tracer t = {ix, NULL, 0, 0, 0, NULL, UINT32_MAX, 0, 0};
  struct storage *st = out->storage_;
  fk_time w0, w1;
  int rc;
  if (depth < 1 || depth > 2) return fk_diag_set(diag, FK_EINVAL, "depth", "depth is 1 or 2");
  if (fk_trace_window(ix, case_person, now, &w0, &w1)) {
    const char *name = fk_trace_person_id(ix, case_person);
    return fk_diag_set(diag, FK_ENOTFOUND, NULL, "%s is not a case", name ? name : "the person");
  }
  if (!st && !(st = out->storage_ = fk_calloc(1, sizeof *st)))
    return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory tracing");
  if (!ix->rules->trace.secondary_contacts) depth = 1;
  st->n = 0;
  st->hits.size = sizeof(struct hit);
  st->hits.n = 0;
  t.hits = &st->hits;
  out->index_person = case_person;
  out->depth = depth;
  out->window_start = w0;
  out->window_end = w1;
  out->ncontacts = out->nlinks = 0;
  rc = degree1(&t, (uint32_t)case_person, fk__trace_t32(w0), fk__trace_t32(w1));
  if (!rc) rc = settle(&t, out, 0);
  if (!rc && depth == 2) rc = secondary(&t, out, out->ncontacts, now);
  if (rc) {
    fk_trace_result_free(out);
    return fk_diag_set(diag, rc, NULL, "out of memory tracing");
  }
  return 0;
}

void fk_trace_result_free(struct fk_trace_result *r)
{
  struct storage *st = r->storage_;
  if (st) {
    fk_free(st->block[0]);
    fk_free(st->block[1]);
    fk__vec_free(&st->hits);
    fk_free(st->tmp);
    fk_free(st->key);
    fk_free(st->skip);
    fk_free(st);
  }
  fk_free(r->contacts);
  fk_free(r->links);
  memset(r, 0, sizeof *r);
}

int fk_trace_person_name(const struct fk_trace_index *ix, struct fk_store *st, int64_t person,
                         char *out, size_t size)
{
  const char *id = ix ? fk_trace_person_id(ix, person) : NULL;
  struct fk_person_info pi;
  int rc = 0;
  if (!id && !(rc = fk_store_person_info(st, person, &pi))) id = pi.person_id;
  snprintf(out, size, "%s", id ? id : "?");
  return rc == FK_ENOTFOUND ? 0 : rc;
}
