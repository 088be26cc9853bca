/*
 * Tracing one case through the index (see fangkong/trace.h for the semantics).
 *
 * Every exposure found becomes a hit (who, through whom, where, when): through the case at
 * degree 1, through each close contact (the via) at degree 2. Hits are then grouped into
 * contacts and case links (trace/group.c), so a person met at several places and at home is one
 * contact carrying all of its exposures. At degree 2 the work can be shared between threads:
 * the vias cut into consecutive shares of about equal cost, each walked by one thread, then the
 * ranges of persons the hits are grouped in.
 */
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/tasks.h"
#include "trace/group.h"
#include "trace/index.h"

struct tracer {
  const struct fk_trace_index *ix;
  struct fk__vec *hits; /* struct fk__hit */
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
  ((struct fk__hit *)v->data)[v->n++] = (struct fk__hit){person, t->via, place, a, b};
  return 0;
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
    struct fk__hit *h = v->data;
    size_t k = v->n;
    for (; i < end && s[i].start < y; i++) {
      uint32_t who = s[i].person;
      uint32_t a = s[i].start > x ? s[i].start : x, b = s[i].end < y ? s[i].end : y;
      int keep = (who != self) & (b > a) & ((fk_time)(b - a) > min);
      keep &= skip ? !marked(skip, who) : 1;
      h[k] = (struct fk__hit){who, via, p, a, b};
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

/* ---- the trace ---------------------------------------------------------------------------- */

#define NRANGES (1u << FK__RANGE_BITS)

/* One thread's share of a trace, kept from trace to trace (its arrays only grow): the hits it
   collected, their count per range (then where its next hit of each range goes), and room for
   the keys of the ranges it groups. */
struct share {
  struct fk__vec hits;  /* struct fk__hit */
  struct fk__ranges rg; /* the ranges counted in pos */
  size_t pos[NRANGES];
  uint64_t *key;
  size_t key_cap;
};

/*
 * What a result holds besides its arrays, kept from one trace to the next when the result is
 * traced into again (fk_trace_case_reuse), so tracing case after case touches no fresh memory
 * once it has grown: the capacities of contacts and links, an exposure block per degree
 * (degree-1 contacts' pointers stay valid at degree 2), the threads' shares, the hits in ranges
 * and the bitmap of persons left out at degree 2 (clear between traces).
 */
struct storage {
  size_t contacts_cap, links_cap;
  struct fk_exposure *block[2];
  size_t block_cap[2];
  struct share share[FK_TRACE_MAX_THREADS];
  struct fk__hit *ranged; /* every hit, by range */
  size_t ranged_cap;
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

/* One thread's part of grouping: its share's hits to scatter, ranges [r0, r1) to group. */
struct task {
  const struct fk_trace_index *ix;
  const struct fk__ranges *rg;
  const size_t *base; /* base[r]: the first hit of range r in ranged */
  struct fk__hit *ranged;
  struct share *share;
  uint32_t r0, r1;
  uint32_t index_person;
  struct fk_exposure *exp; /* exposure i for ranged[i] */
  struct fk__grouped out;  /* contacts from base[r0] on: never more than the hits before */
};

/* A thread's scatter of its share's hits into the ranges (arg: a struct task); cannot fail. */
static void *scatter_share(void *arg)
{
  struct task *t = arg;
  fk__hits_scatter(t->rg, t->share->hits.data, t->share->hits.n, t->share->pos, t->ranged);
  return NULL;
}

/* A thread's grouping of its ranges [r0, r1) into contacts (arg: a struct task; the room was
   made before); cannot fail. */
static void *group_ranges(void *arg)
{
  struct task *t = arg;
  for (uint32_t r = t->r0; r < t->r1; r++)
    fk__group_range(t->ix, t->rg, t->ranged + t->base[r], t->base[r + 1] - t->base[r],
                    t->share->key, t->index_person, t->exp + t->base[r], &t->out);
  return NULL;
}

/* Turns the shares' counts per range into where each one's hits of a range go (the shares'
   hits of a range in share order: the order of via) and base[r] (base[n]: every hit). */
static void place_ranges(struct share *sh, int n, uint32_t nranges, size_t *base)
{
  size_t at = 0;
  for (uint32_t r = 0; r < nranges; r++) {
    base[r] = at;
    for (int k = 0; k < n; k++) {
      size_t c = sh[k].pos[r];
      sh[k].pos[r] = at;
      at += c;
    }
  }
  base[nranges] = at;
}

/* Cuts ranges into n tasks' [r0, r1) of about equal numbers of hits, and makes room for each
   task's keys (twice its largest range); returns 0 or FK_ENOMEM. */
static int cut_ranges(struct task *t, int n, uint32_t nranges, const size_t *base)
{
  uint32_t r = 0;
  for (int k = 0; k < n; k++) {
    size_t goal = base[nranges] / (size_t)n * (size_t)(k + 1), big = 0;
    t[k].r0 = r;
    while (r < nranges && (k == n - 1 || base[r + 1] <= goal)) {
      if (base[r + 1] - base[r] > big) big = base[r + 1] - base[r];
      r++;
    }
    t[k].r1 = r;
    void *q = fk__grow(t[k].share->key, &t[k].share->key_cap, 2 * big + 1, sizeof(uint64_t));
    if (!q) return FK_ENOMEM;
    t[k].share->key = q;
  }
  return 0;
}

/* Makes room in r for n more contacts (and links, at degree 1), in st for n ranged hits and
   an exposure block of n for degree d; returns 0 or FK_ENOMEM. */
static int make_room(struct fk_trace_result *r, struct storage *st, size_t n, int d)
{
  void *q;
  if (!(q = fk__grow(st->block[d], &st->block_cap[d], n + 1, sizeof *st->block[d])))
    return FK_ENOMEM;
  st->block[d] = q;
  if (!(q = fk__grow(st->ranged, &st->ranged_cap, n + 1, sizeof *st->ranged))) return FK_ENOMEM;
  st->ranged = q;
  q = fk__grow(r->contacts, &st->contacts_cap, r->ncontacts + n + 1, sizeof *r->contacts);
  if (!q) return FK_ENOMEM;
  r->contacts = q;
  if (!d) {
    if (!(q = fk__grow(r->links, &st->links_cap, r->nlinks + n + 1, sizeof *r->links)))
      return FK_ENOMEM;
    r->links = q;
  }
  return 0;
}

/*
 * Groups the hits of the first n shares (collected in increasing order of via from one share
 * to the next, each counted per range in its pos) into r's contacts (and links at degree 1,
 * d = 0), exposures into the block of degree d, on n threads. Returns 0 or FK_ENOMEM.
 */
static int settle(const struct fk_trace_index *ix, struct fk_trace_result *r, int n, int d)
{
  struct storage *st = r->storage_;
  struct fk__ranges rg = st->share[0].rg; /* all shares counted the same ranges */
  struct task t[FK_TRACE_MAX_THREADS];
  size_t base[NRANGES + 1];
  place_ranges(st->share, n, rg.n, base);
  int rc = make_room(r, st, base[rg.n], d);
  for (int k = 0; !rc && k < n; k++)
    t[k] =
        (struct task){.ix = ix,
                      .rg = &rg,
                      .base = base,
                      .ranged = st->ranged,
                      .share = &st->share[k],
                      .index_person = (uint32_t)r->index_person,
                      .exp = st->block[d],
                      .out = {r->contacts + r->ncontacts, 0, d ? NULL : r->links + r->nlinks, 0}};
  if (!rc) rc = cut_ranges(t, n, rg.n, base);
  if (rc) return rc;
  for (int k = 0; k < n; k++)
    t[k].out.con += base[t[k].r0];
  run_threads(scatter_share, t, sizeof *t, n);
  run_threads(group_ranges, t, sizeof *t, n);
  size_t at = r->ncontacts;
  for (int k = 0; k < n; k++) { /* each task wrote from its first range's first hit on */
    if (t[k].out.ncon && t[k].out.con != r->contacts + at)
      memmove(r->contacts + at, t[k].out.con, t[k].out.ncon * sizeof *r->contacts);
    at += t[k].out.ncon;
  }
  r->ncontacts = at;
  r->nlinks += t[0].out.nlnk;
  return 0;
}

/* Empties the share for a new walk whose hits will be counted in ranges for about n hits. */
static void share_reset(const struct fk_trace_index *ix, struct share *sh, size_t n)
{
  sh->hits.size = sizeof(struct fk__hit);
  sh->hits.n = 0;
  fk__ranges_for(ix, n, &sh->rg);
  memset(sh->pos, 0, sizeof sh->pos);
}

/* Counts the share's hits from `from` on per range into its pos: called after each via's walk,
   while they are in cache. */
static void count_share(struct share *sh, size_t from)
{
  fk__hits_count(&sh->rg, (const struct fk__hit *)sh->hits.data + from, sh->hits.n - from, sh->pos);
}

/* Collects the degree-1 hits of the case over [wa, wb) into share 0; returns 0 or FK_ENOMEM. */
static int degree1(const struct fk_trace_index *ix, struct share *sh, uint32_t person, uint32_t wa,
                   uint32_t wb)
{
  struct tracer t = {ix, &sh->hits, 0, 0, 0, NULL, UINT32_MAX, 0, 0};
  share_reset(ix, sh, SIZE_MAX);
  int rc = household(&t, person, wa, wb);
  if (!rc) rc = venues(&t, person, wa, wb);
  if (!rc) fk__ranges_for(ix, sh->hits.n, &sh->rg); /* the hits known: few is one range */
  if (!rc) count_share(sh, 0);
  return rc;
}

/* One thread's walk at degree 2: the close contacts among degree-1 contacts [from, to). */
struct walker {
  const struct fk_trace_index *ix;
  const struct fk_contact *c; /* the degree-1 contacts */
  size_t from, to;
  uint32_t now;         /* index time */
  const uint64_t *skip; /* persons never reported at degree 2 */
  struct share *share;
  int rc;
};

/* Collects the hits through a walker's vias, each over [its first exposure, now), and counts
   them per range; sets w->rc (0 or FK_ENOMEM). */
static void *walk_vias(void *arg)
{
  struct walker *w = arg;
  struct tracer t = {w->ix, &w->share->hits, 0, 0, 1, w->skip, UINT32_MAX, 0, 0};
  int rc = 0;
  share_reset(w->ix, w->share, SIZE_MAX);
  for (size_t i = w->from; !rc && i < w->to; i++) {
    const struct fk_contact *c = &w->c[i];
    size_t from = w->share->hits.n;
    if (c->category != FK_CAT_CLOSE) continue;
    t.via = c->person;
    rc = household(&t, c->person, c->first, w->now);
    if (!rc) rc = venues(&t, c->person, c->first, w->now);
    if (!rc) count_share(w->share, from);
  }
  w->rc = rc;
  return NULL;
}

/* A guess at the work of walking close contact c over [c->first, now): the stays at the close
   places of its own stays then, and its household. 0 for a general contact (not walked). */
static uint64_t via_cost(const struct fk_trace_index *ix, const struct fk_contact *c, uint32_t now)
{
  uint64_t cost = 1;
  uint32_t who = c->person, p = 0, h = ix->household[who];
  if (c->category != FK_CAT_CLOSE) return 0;
  if (h) cost += ix->hh_off[h + 1] - ix->hh_off[h];
  if (who >= ix->csr_persons) return cost;
  for (uint32_t i = ix->person_off[who]; i < ix->person_off[who + 1]; i++) {
    uint32_t s = ix->person_stays[i];
    if (!within(&ix->stays[s], c->first, now)) continue;
    if (s < ix->place_off[p] || s >= ix->place_off[p + 1]) p = fk__trace_place_of(ix, s);
    if (ix->rules->trace.kinds[ix->kind[p]].category == FK_CAT_CLOSE)
      cost += ix->place_off[p + 1] - ix->place_off[p];
  }
  return cost;
}

/* Cuts the n1 degree-1 contacts of r into n consecutive shares w[k].from..to of about equal
   cost (via_cost; the order of via is kept from one share to the next). */
static void cut_vias(const struct fk_trace_index *ix, const struct fk_trace_result *r, size_t n1,
                     uint32_t now, struct walker *w, int n)
{
  uint64_t total = 0, done = 0;
  size_t i = 0;
  w[0].from = 0;
  w[n - 1].to = n1;
  if (n == 1) return;
  for (size_t k = 0; k < n1; k++)
    total += via_cost(ix, &r->contacts[k], now);
  for (int k = 0; k < n - 1; k++) {
    while (i < n1 && done * (uint64_t)n < total * (uint64_t)(k + 1))
      done += via_cost(ix, &r->contacts[i++], now);
    w[k].to = w[k + 1].from = i;
  }
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

/* Adds the secondary contacts through the n1 degree-1 contacts of r on `threads` threads;
   returns 0 or FK_ENOMEM. */
static int secondary(const struct fk_trace_index *ix, struct fk_trace_result *r, size_t n1,
                     fk_time now, int threads)
{
  struct storage *st = r->storage_;
  struct walker w[FK_TRACE_MAX_THREADS];
  size_t words = ((size_t)ix->nperson + 63) / 64;
  uint32_t t_now = fk__trace_t32(now);
  int rc = 0, n = n1 < (size_t)threads ? (n1 ? (int)n1 : 1) : threads;
  if (words > st->skip_words) { /* a refresh may have added persons */
    fk_free(st->skip);
    st->skip_words = 0;
    if (!(st->skip = fk_calloc(words, sizeof *st->skip))) return FK_ENOMEM;
    st->skip_words = words;
  }
  for (int k = 0; k < n; k++)
    w[k] = (struct walker){ix, r->contacts, 0, 0, t_now, st->skip, &st->share[k], 0};
  cut_vias(ix, r, n1, t_now, w, n);
  mark_not_secondary(ix, r, n1, st->skip, 1);
  run_threads(walk_vias, w, sizeof *w, n);
  mark_not_secondary(ix, r, n1, st->skip, 0);
  for (int k = 0; k < n; k++)
    if (w[k].rc) rc = w[k].rc;
  return rc ? rc : settle(ix, r, n, 1);
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
  out->index_person = case_person;
  out->depth = depth;
  out->window_start = w0;
  out->window_end = w1;
  out->ncontacts = out->nlinks = 0;
  rc = degree1(ix, &st->share[0], (uint32_t)case_person, fk__trace_t32(w0), fk__trace_t32(w1));
  if (!rc) rc = settle(ix, out, 1, 0);
  if (!rc && depth == 2) rc = secondary(ix, out, out->ncontacts, now, threads);
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
    for (int k = 0; k < FK_TRACE_MAX_THREADS; k++) {
      fk__vec_free(&st->share[k].hits);
      fk_free(st->share[k].key);
    }
    fk_free(st->block[0]);
    fk_free(st->block[1]);
    fk_free(st->ranged);
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
