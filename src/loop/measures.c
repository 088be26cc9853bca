/*
 * From cases to measures (see fangkong/measures.h): candidates from the tracer and the arrivals,
 * merged per person with the measures already stored, written back only where something changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/companion.h"
#include "fangkong/areas.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/measures.h"
#include "fangkong/tasks.h"
#include "fangkong/trace.h"

#define REASON 160

/* One reason a person qualifies for a category as of now. */
struct cand {
  int64_t person;
  int64_t via; /* a secondary contact's close contact, else 0 */
  int cat;
  fk_date anchor;
  char reason[REASON];
};

/* A person confined (first phase confining: quarantine, hospital) from a placement date. */
struct confined {
  int64_t person;
  fk_date placed;
};

struct close_ref;

struct ctx {
  struct fk_store *st;
  const struct fk_trace_index *ix;
  const struct fk_rules *rules;
  fk_time now;
  fk_date today;
  struct fk_measures_stats *stats;
  struct fk_diag *diag;
  struct cand *c;
  size_t nc, capc;
  struct fk_measure_row *m; /* the stored measures (all of them) */
  int nm, capm;
  uint64_t *seen; /* row_hash of each stored measure as loaded, in x->m's load (id) order */
  int64_t *seen_id;
  int nseen, capseen;
  struct close_ref *close; /* close contact measures, by person: see index_close */
  int nclose;
  struct confined *conf; /* persons placed under a confining measure, by person */
  int nconf;
  const struct fk_measures_opts *opts; /* never NULL */
  struct fk_trace_result r;            /* every case traced into it in turn (its memory reused) */
  struct fk_areas areas;               /* risk areas with their history, for arrivals from them */
  int rc;
};

static int add_cand(struct ctx *x, int64_t person, int64_t via, int cat, fk_date anchor,
                    const char *reason)
{
  if (!x->rules->measures[cat].applies) return 0;
  if (x->nc == x->capc) {
    size_t cap = x->capc ? x->capc * 2 : 64;
    struct cand *c = fk_realloc(x->c, cap * sizeof *c);
    if (!c) return FK_ENOMEM;
    x->c = c;
    x->capc = cap;
  }
  struct cand *c = &x->c[x->nc++];
  c->person = person;
  c->via = via;
  c->cat = cat;
  c->anchor = anchor;
  snprintf(c->reason, sizeof c->reason, "%s", reason);
  return 0;
}

/* The civil date of an exposure that ends at `end` (an end at 00:00 belongs to the day before). */
static fk_date exposure_date(fk_time first, fk_time end)
{
  return fk_time_date(end > first ? end - 1 : end);
}

static const char *place_name(const struct fk_trace_index *ix, int64_t place)
{
  const char *p = place ? fk_trace_place_id(ix, place) : "home";
  return p ? p : "?";
}

/* The exposure that ended last. */
static const struct fk_exposure *last_exposure(const struct fk_contact *k)
{
  const struct fk_exposure *e = NULL;
  for (size_t i = 0; i < k->nexp; i++)
    if (!e || k->exp[i].end > e->end) e = &k->exp[i];
  return e;
}

static int by_conf(const void *a, const void *b)
{
  const struct confined *p = a, *q = b;
  if (p->person != q->person) return p->person < q->person ? -1 : 1;
  return p->placed < q->placed ? -1 : p->placed > q->placed;
}

/* The tracer exposes a close contact's household and colleagues until `now`; once that contact
 * was confined (placed under quarantine), nobody was exposed to them after the placement date.
 * Returns d, or the day the close contact `via` was first confined when that is earlier. */
static fk_date cap_at_confinement(const struct ctx *x, int64_t via, fk_date d)
{
  int lo = 0, hi = x->nconf;
  while (lo < hi) { /* the first entry of via: its earliest placement */
    int mid = lo + (hi - lo) / 2;
    if (x->conf[mid].person < via)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < x->nconf && x->conf[lo].person == via && x->conf[lo].placed < d)
    return x->conf[lo].placed;
  return d;
}

/* Fills x->conf from the active stored measures. */
static int find_confined(struct ctx *x)
{
  if (!x->nm) return 0;
  x->conf = fk_malloc((size_t)x->nm * sizeof *x->conf);
  if (!x->conf) return FK_ENOMEM;
  for (int i = 0; i < x->nm; i++) {
    const struct fk_measure_rules *r = &x->rules->measures[x->m[i].category];
    if (x->m[i].status == FK_MSTATUS_ACTIVE && r->applies && r->nphases && r->phases[0].confined)
      x->conf[x->nconf++] = (struct confined){x->m[i].person, x->m[i].placed};
  }
  if (x->nconf) qsort(x->conf, (size_t)x->nconf, sizeof *x->conf, by_conf);
  return 0;
}

static int contacts_of(struct ctx *x, const struct fk_case_row *row)
{
  struct fk_trace_result *r = &x->r;
  char reason[REASON], day[FK_DATE_BUFSZ];
  int depth =
      x->rules->trace.secondary_contacts && x->rules->measures[FK_PERSON_SECONDARY_CONTACT].applies
          ? 2
          : 1;
  const char *cid = fk_trace_person_id(x->ix, row->person);
  int rc = fk_trace_case_reuse(x->ix, row->person, x->now, depth, r, x->diag);
  if (rc) return rc == FK_ENOTFOUND ? 0 : rc;
  for (size_t i = 0; !rc && i < r->ncontacts; i++) {
    const struct fk_contact *k = &r->contacts[i];
    const struct fk_exposure *e = last_exposure(k);
    fk_date d = exposure_date(fk_trace_time(k->first), fk_trace_time(k->last));
    if (k->degree == 2) d = cap_at_confinement(x, k->via, d);
    if (k->category != FK_CAT_CLOSE) continue; /* general contacts get no measure */
    fk_date_format(d, day);
    if (k->degree == 1) {
      snprintf(reason, sizeof reason, "close contact of %s at %s %s", cid ? cid : "?",
               place_name(x->ix, e ? e->place : 0), day);
      rc = add_cand(x, k->person, row->person, FK_PERSON_CLOSE_CONTACT, d, reason);
    } else {
      const char *via = fk_trace_person_id(x->ix, k->via);
      snprintf(reason, sizeof reason, "secondary contact via %s (close contact of %s) at %s %s",
               via ? via : "?", cid ? cid : "?", place_name(x->ix, e ? e->place : 0), day);
      rc = add_cand(x, k->person, k->via, FK_PERSON_SECONDARY_CONTACT, d, reason);
    }
  }
  return rc;
}

/* The case's spatiotemporal companions, when the options give their index and the rules a
 * measure: each placed from today, the day they were found (the rules' anchor, identified). */
static int companions_of(struct ctx *x, const struct fk_case_row *row)
{
  struct fk_companion_result r;
  char reason[REASON], day[FK_DATE_BUFSZ], cell[FK_COMPANION_CELLSZ], cid[72];
  if (!x->opts->companions || !x->rules->measures[FK_PERSON_COMPANION].applies) return 0;
  int rc = fk_companions_case(x->opts->companions, row->person, x->now, &r, x->diag);
  if (rc) return rc == FK_ENOTFOUND ? 0 : rc;
  rc = fk_trace_person_name(x->ix, x->st, row->person, cid, sizeof cid);
  for (size_t i = 0; !rc && i < r.ncompanions; i++) {
    const struct fk_companion *c = &r.companions[i];
    if (i && c->person == r.companions[i - 1].person) continue; /* one reason is enough */
    snprintf(reason, sizeof reason, "spatiotemporal companion of %s in cell %s on %s", cid,
             fk_companion_cell_format(x->opts->companions, c->cell, cell),
             fk_date_format(fk_time_date(c->first), day));
    rc = add_cand(x, c->person, 0, FK_PERSON_COMPANION, x->today, reason);
  }
  fk_companion_result_free(&r);
  return rc;
}

/* 1 when the options ask for the case to be traced (every case when they name none). */
static int to_trace(const struct ctx *x, int64_t person)
{
  if (!x->opts->cases) return 1;
  for (size_t i = 0; i < x->opts->ncases; i++)
    if (x->opts->cases[i] == person) return 1;
  return 0;
}

static int each_case(void *arg, const struct fk_case_row *row)
{
  struct ctx *x = arg;
  char reason[REASON], day[FK_DATE_BUFSZ];
  if (row->sampled > x->now) return 0; /* not known yet */
  fk_date d = fk_time_date(row->sampled);
  snprintf(reason, sizeof reason, "case, sampled %s", fk_date_format(d, day));
  int rc = add_cand(x, row->person, 0, FK_PERSON_CASE, d, reason);
  if (rc || !to_trace(x, row->person)) return rc;
  if (!x->ix) return fk_diag_set(x->diag, FK_EINVAL, NULL, "a case to trace and no index");
  rc = contacts_of(x, row);
  return rc ? rc : companions_of(x, row);
}

/* An arrival whose origin names a risk area: the category of the area's level when the person
 * left it (left_at, else the arrival), from that day; none when that measure was over before
 * the arrival (the person was not in the area in its last days). */
static int area_arrival(struct ctx *x, const struct fk_arrival_row *row)
{
  static const int cats[] = {[FK_AREA_LOW] = FK_PERSON_LOW_RISK_AREA,
                             [FK_AREA_MEDIUM] = FK_PERSON_MEDIUM_RISK_AREA,
                             [FK_AREA_HIGH] = FK_PERSON_HIGH_RISK_AREA};
  char area[FK_AREA_ID], reason[REASON], day[FK_DATE_BUFSZ];
  struct fk_plan p;
  fk_time left = row->left != FK_TIME_NONE ? row->left : row->arrived;
  int level, rc = fk_areas_match(&x->areas, x->st, row->origin, left, &level, area);
  if (rc || level < 0) return rc;
  fk_date d = fk_time_date(left);
  if (!fk_measure_plan(x->rules, (enum fk_person_cat)cats[level], d, d, &p) &&
      p.end != FK_DATE_NONE && p.end < fk_time_date(row->arrived))
    return 0;
  snprintf(reason, sizeof reason, "left %.100s, a %s risk area then, on %s", area,
           fk_area_levels[level], fk_date_format(d, day));
  return add_cand(x, row->person, 0, cats[level], d, reason);
}

static int each_arrival(void *arg, const struct fk_arrival_row *row)
{
  struct ctx *x = arg;
  char reason[REASON], day[FK_DATE_BUFSZ];
  if (row->arrived > x->now) return 0;
  if (!row->international) return area_arrival(x, row);
  fk_date d = fk_time_date(row->arrived);
  snprintf(reason, sizeof reason, "arrived from abroad %s", fk_date_format(d, day));
  return add_cand(x, row->person, 0, FK_PERSON_INBOUND_INTERNATIONAL, d, reason);
}

static int keep_measure(void *arg, const struct fk_measure_row *m)
{
  struct ctx *x = arg;
  if (x->nm == x->capm) {
    int cap = x->capm ? x->capm * 2 : 16;
    struct fk_measure_row *p = fk_realloc(x->m, (size_t)cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    x->m = p;
    x->capm = cap;
  }
  x->m[x->nm++] = *m;
  return 0;
}

/* FNV-1a over what a measure says, to tell a changed row from an unchanged one. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 1099511628211u;
  return h;
}

static uint64_t mix_int(uint64_t h, int64_t v)
{
  return mix(h, &v, sizeof v);
}

static uint64_t row_hash(const struct fk_measure_row *m)
{
  uint64_t h = 1469598103934665603u;
  int64_t v[] = {m->person, m->linked, m->category, m->kind,   m->anchor,
                 m->placed, m->start,  m->end,      m->status, m->ntests};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    h = mix_int(h, v[i]);
  h = mix(h, m->rule, strlen(m->rule) + 1);
  h = mix(h, m->reason, strlen(m->reason) + 1);
  for (int i = 0; i < m->ntests; i++) {
    const struct fk_measure_test *t = &m->tests[i];
    h = mix_int(mix_int(mix_int(mix_int(h, t->phase), t->day), t->due), t->status);
    h = mix(h, t->sample_id, strlen(t->sample_id) + 1);
  }
  return h;
}

/* A stored measure, remembered with its hash as loaded. */
static int keep_stored(void *arg, const struct fk_measure_row *m)
{
  struct ctx *x = arg;
  if (x->nseen == x->capseen) {
    int cap = x->capseen ? x->capseen * 2 : 16;
    uint64_t *h = fk_realloc(x->seen, (size_t)cap * sizeof *h);
    if (!h) return FK_ENOMEM;
    x->seen = h;
    int64_t *id = fk_realloc(x->seen_id, (size_t)cap * sizeof *id);
    if (!id) return FK_ENOMEM;
    x->seen_id = id;
    x->capseen = cap;
  }
  x->seen[x->nseen] = row_hash(m);
  x->seen_id[x->nseen++] = m->id;
  return keep_measure(x, m);
}

static int by_person(const void *a, const void *b)
{
  const struct cand *p = a, *q = b;
  if (p->person != q->person) return p->person < q->person ? -1 : 1;
  if (p->cat != q->cat) return p->cat - q->cat;
  return p->anchor > q->anchor ? -1 : p->anchor < q->anchor; /* latest anchor first */
}

/* ---- Test statuses from samples ---- */

struct sample_match {
  struct fk_measure_row *m;
  fk_date today;
};

/* A sample taken on the due date of tests (not after today) answers them. */
static int mark_sample(void *arg, const struct fk_sample_row *s)
{
  struct sample_match *sm = arg;
  fk_date day = fk_time_date(s->sampled);
  if (day > sm->today) return 0;
  for (int i = 0; i < sm->m->ntests; i++) {
    struct fk_measure_test *t = &sm->m->tests[i];
    if (t->due != day || t->status == FK_TEST_POSITIVE) continue;
    t->status = s->result == 1 ? FK_TEST_POSITIVE : FK_TEST_DONE;
    snprintf(t->sample_id, sizeof t->sample_id, "%s", s->sample_id ? s->sample_id : "");
  }
  return 0;
}

/* Works the statuses of m's tests out again from the person's samples as of today. */
static int refresh_tests(struct fk_store *st, struct fk_measure_row *m, fk_date today)
{
  struct sample_match sm = {m, today};
  int rc;
  for (int i = 0; i < m->ntests; i++) {
    m->tests[i].status = FK_TEST_DUE;
    m->tests[i].sample_id[0] = '\0';
  }
  if (m->ntests && (rc = fk_store_each_sample(st, m->person, mark_sample, &sm))) return rc;
  for (int i = 0; i < m->ntests; i++)
    if (m->tests[i].status == FK_TEST_DUE && m->tests[i].due < today)
      m->tests[i].status = FK_TEST_MISSED;
  return 0;
}

/* The kind of the phase current on today (the first before it starts, the last after). */
static int current_kind(const struct fk_plan *p, fk_date today)
{
  for (int i = 0; i < p->nphases; i++)
    if (p->phases[i].end == FK_DATE_NONE || today <= p->phases[i].end) return p->phases[i].kind;
  return p->nphases ? p->phases[p->nphases - 1].kind : 0;
}

/* Fills m's schedule (dates, kind, tests) from plan p. */
static void from_plan(struct fk_measure_row *m, const struct fk_plan *p, fk_date today)
{
  m->category = p->category;
  m->anchor = p->anchor;
  m->placed = p->placed;
  m->start = p->nphases ? p->phases[0].start : p->anchor;
  m->end = p->end;
  m->kind = current_kind(p, today);
  int skip = p->ntests > FK_MEASURE_MAXTESTS ? p->ntests - FK_MEASURE_MAXTESTS : 0;
  m->ntests = p->ntests - skip; /* the kept tests come first: the oldest go */
  for (int i = 0; i < m->ntests; i++) {
    m->tests[i].phase = p->tests[i + skip].phase;
    m->tests[i].day = p->tests[i + skip].day;
    m->tests[i].due = p->tests[i + skip].due;
    m->tests[i].status = FK_TEST_DUE;
    m->tests[i].sample_id[0] = '\0';
  }
}

/* Rebuilds the plan of a stored measure, with what was taken, for fk_measure_replan. */
static int to_plan(const struct fk_rules *rules, const struct fk_measure_row *m, struct fk_plan *p)
{
  int rc = fk_measure_plan(rules, (enum fk_person_cat)m->category, m->anchor, m->placed, p);
  if (rc) return rc;
  p->ntests = m->ntests < FK_PLAN_MAXTESTS ? m->ntests : FK_PLAN_MAXTESTS;
  for (int i = 0; i < p->ntests; i++) {
    const struct fk_measure_test *t = &m->tests[i];
    struct fk_plan_test *q = &p->tests[i];
    q->phase = t->phase;
    q->day = t->day;
    q->due = t->due;
    q->nominal =
        t->phase >= 0 && t->phase < p->nphases ? p->phases[t->phase].start + t->day - 1 : t->due;
    q->done_on = t->status == FK_TEST_DONE || t->status == FK_TEST_POSITIVE ? t->due : FK_DATE_NONE;
  }
  return 0;
}

/* Places the person under cat from anchor (a new measure, written at the end). */
static int place(struct ctx *x, const struct cand *c)
{
  struct fk_plan plan;
  struct fk_measure_row m;
  int rc = fk_measure_plan(x->rules, (enum fk_person_cat)c->cat, c->anchor, x->today, &plan);
  if (rc) return rc == FK_ENOTFOUND ? 0 : rc;
  memset(&m, 0, sizeof m);
  m.person = c->person;
  m.linked = c->via;
  m.status = FK_MSTATUS_ACTIVE;
  m.created = x->now;
  snprintf(m.rule, sizeof m.rule, "%s", x->rules->measures[c->cat].source);
  snprintf(m.reason, sizeof m.reason, "%s", c->reason);
  from_plan(&m, &plan, x->today);
  if (x->stats) x->stats->placed[c->cat]++;
  return keep_measure(x, &m);
}

/* One person's candidates c[0..n) (sorted: by category, latest anchor first) against the
 * measures stored for them (indices mine[0..nmine) into x->m). */
static int settle(struct ctx *x, const struct cand *c, size_t n, const int *mine, int nmine)
{
  const struct cand *best[FK_PERSON_NCATS] = {0};
  struct fk_measure_row *active = NULL;
  int win = -1;
  for (size_t i = 0; i < n; i++)
    if (!best[c[i].cat]) best[c[i].cat] = &c[i];
  for (int k = 0; k < FK_PERSON_NCATS; k++)
    if (best[k])
      win = win < 0 ? k
                    : (int)fk_measure_stricter(x->rules, (enum fk_person_cat)win,
                                               (enum fk_person_cat)k);
  for (int i = 0; i < nmine; i++)
    if (x->m[mine[i]].status == FK_MSTATUS_ACTIVE) active = &x->m[mine[i]];
  /* An active measure at least as strict stays; it takes a later anchor of its own category. */
  if (active && (active->category == win ||
                 (int)fk_measure_stricter(x->rules, (enum fk_person_cat)active->category,
                                          (enum fk_person_cat)win) == active->category)) {
    const struct cand *b = best[active->category];
    if (b && b->anchor > active->anchor) {
      struct fk_plan old, neu;
      int rc = to_plan(x->rules, active, &old);
      if (!rc) rc = fk_measure_replan(x->rules, &old, b->anchor, &neu);
      if (rc) return rc == FK_ENOTFOUND ? 0 : rc;
      from_plan(active, &neu, x->today);
      snprintf(active->reason, sizeof active->reason, "%s", b->reason);
      active->linked = b->via;
      if (x->stats) x->stats->replanned++;
    }
    return 0;
  }
  /* Already placed (and perhaps released) under the winner from this anchor or a later one. */
  for (int i = 0; i < nmine; i++) {
    const struct fk_measure_row *m = &x->m[mine[i]];
    if (m->category == win && m->anchor >= best[win]->anchor && m->status != FK_MSTATUS_SUPERSEDED)
      return 0;
  }
  if (active) {
    active->status = FK_MSTATUS_SUPERSEDED;
    if (x->stats) x->stats->superseded++;
  }
  return place(x, best[win]);
}

static int by_id_person(const void *a, const void *b)
{
  const struct fk_measure_row *p = a, *q = b;
  if (p->person != q->person) return p->person < q->person ? -1 : 1;
  return p->id < q->id ? -1 : p->id > q->id;
}

static int merge(struct ctx *x)
{
  int nstored = x->nm, *mine = NULL, rc = 0;
  size_t i = 0;
  if (x->nc) qsort(x->c, x->nc, sizeof *x->c, by_person);
  if (x->nm) qsort(x->m, (size_t)x->nm, sizeof *x->m, by_id_person);
  mine = fk_malloc(sizeof *mine * (size_t)(nstored + 1));
  if (!mine) return FK_ENOMEM;
  int j = 0;
  while (!rc && i < x->nc) {
    size_t k = i;
    int nmine = 0;
    while (k < x->nc && x->c[k].person == x->c[i].person)
      k++;
    while (j < nstored && x->m[j].person < x->c[i].person)
      j++;
    for (int q = j; q < nstored && x->m[q].person == x->c[i].person; q++)
      mine[nmine++] = q;
    rc = settle(x, &x->c[i], k - i, mine, nmine);
    i = k;
  }
  fk_free(mine);
  return rc;
}

/* Stored measures in id order, then the new ones by person. */
static int by_id(const void *a, const void *b)
{
  const struct fk_measure_row *p = a, *q = b;
  if (!p->id != !q->id) return p->id ? -1 : 1;
  if (p->id != q->id) return p->id < q->id ? -1 : 1;
  return p->person < q->person ? -1 : p->person > q->person;
}

static int cmp_id(const void *a, const void *b)
{
  int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;
  return p < q ? -1 : p > q;
}

/* The negative samples of a person, by day: which of the first n tests were answered so. */
struct negatives {
  const struct fk_measure_row *m;
  int n;
  fk_date today;
  unsigned neg, pos; /* bit i: test i had a negative / a positive sample on its day */
};

static int mark_negative(void *arg, const struct fk_sample_row *s)
{
  struct negatives *g = arg;
  fk_date day = fk_time_date(s->sampled);
  for (int i = 0; i < g->n && day <= g->today; i++)
    if (g->m->tests[i].due == day) {
      if (s->result == 0) g->neg |= 1u << i;
      if (s->result == 1) g->pos |= 1u << i;
    }
  return 0;
}

/* 1 when the first n tests of m (n <= 16) were each answered by a negative sample. */
static int first_tests_negative(struct ctx *x, const struct fk_measure_row *m, int n, int *rc)
{
  struct negatives g = {m, n < m->ntests ? n : m->ntests, x->today, 0, 0};
  if (g.n < n || n > 16) return 0;
  *rc = fk_store_each_sample(x->st, m->person, mark_negative, &g);
  return !*rc && g.neg == (1u << g.n) - 1 && !g.pos;
}

/* A close contact measure in the index of x->close. */
struct close_ref {
  int64_t person, id;
  int at; /* index into x->m */
};

/* The close contact measure of person (not superseded; the latest), or -1. */
static int linked_measure(const struct ctx *x, int64_t person)
{
  int lo = 0, hi = x->nclose;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (x->close[mid].person <= person)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo > 0 && x->close[lo - 1].person == person ? x->close[lo - 1].at : -1;
}

static int by_close(const void *a, const void *b)
{
  const struct close_ref *p = a, *q = b;
  if (p->person != q->person) return p->person < q->person ? -1 : 1;
  return p->id < q->id ? -1 : p->id > q->id;
}

/* Fills x->close: the close contact measures not superseded, by person then id. */
static int index_close(struct ctx *x)
{
  x->nclose = 0;
  if (!x->nm) return 0;
  x->close = fk_malloc((size_t)x->nm * sizeof *x->close);
  if (!x->close) return FK_ENOMEM;
  for (int i = 0; i < x->nm; i++)
    if (x->m[i].category == FK_PERSON_CLOSE_CONTACT && x->m[i].status != FK_MSTATUS_SUPERSEDED)
      x->close[x->nclose++] = (struct close_ref){x->m[i].person, x->m[i].id, i};
  if (x->nclose) qsort(x->close, (size_t)x->nclose, sizeof *x->close, by_close);
  return 0;
}

/* ---- A case's discharge (出院) ---- */

/* The samples of one person taken in [from, to], by time. */
struct taken {
  struct fk_sample_row s[64];
  int n;
  fk_time from, to;
};

static int keep_taken(void *arg, const struct fk_sample_row *s)
{
  struct taken *k = arg;
  if (s->sampled >= k->from && s->sampled <= k->to && k->n < 64) k->s[k->n++] = *s;
  return 0;
}

static int by_time(const void *a, const void *b)
{
  const struct fk_sample_row *p = a, *q = b;
  return p->sampled < q->sampled ? -1 : p->sampled > q->sampled;
}

/* 1 when the case measure m meets the discharge criteria by now: the rules' negative_tests
 * consecutive negative samples since placement, each at least min_gap_hours after the one
 * before (诊疗方案 出院标准: two, 24 h apart; a negative result stands for Ct >= 35, since the
 * samples feed carries results, not Ct values). A positive sample starts the count again. */
static int discharged(struct ctx *x, const struct fk_measure_row *m, int *rc)
{
  const struct fk_release_rules *rel = &x->rules->measures[m->category].release;
  struct taken *k = fk_malloc(sizeof *k);
  int run = 0, met = 0;
  fk_time last = 0;
  if (!k) return *rc = FK_ENOMEM, 0;
  k->n = 0;
  k->from = fk_date_start(m->placed);
  k->to = x->now;
  *rc = fk_store_each_sample(x->st, m->person, keep_taken, k);
  if (k->n) qsort(k->s, (size_t)k->n, sizeof k->s[0], by_time);
  for (int i = 0; !*rc && i < k->n && !met; i++) {
    if (k->s[i].result < 0) continue; /* pending: no answer yet */
    if (k->s[i].result > 0) {
      run = 0;
      continue;
    }
    if (run && k->s[i].sampled - last < 3600 * (fk_time)rel->min_gap_hours) continue;
    run++;
    last = k->s[i].sampled;
    met = run >= rel->negative_tests;
  }
  fk_free(k);
  return met;
}

/* A secondary contact's release or reclassification by their close contact's tests (the
 * rules' release.linked_contact_negative_tests and on_linked_positive). */
static int follow_linked(struct ctx *x, int i)
{
  const struct fk_release_rules *rel = &x->rules->measures[x->m[i].category].release;
  int rc = 0, l;
  if (!x->m[i].linked || (rel->linked_negative_tests <= 0 && rel->on_linked_positive < 0)) return 0;
  if ((l = linked_measure(x, x->m[i].linked)) < 0) return 0;
  const struct fk_measure_row *lm = &x->m[l];
  if (rel->on_linked_positive >= 0) {
    for (int t = 0; t < lm->ntests; t++) {
      if (lm->tests[t].status != FK_TEST_POSITIVE) continue;
      struct cand c = {x->m[i].person, 0, rel->on_linked_positive, x->m[i].anchor, ""};
      char day[FK_DATE_BUFSZ];
      char via[72];
      if ((rc = fk_trace_person_name(x->ix, x->st, lm->person, via, sizeof via))) return rc;
      snprintf(c.reason, sizeof c.reason, "close contact of %s, who tested positive on %s", via,
               fk_date_format(lm->tests[t].due, day));
      x->m[i].status = FK_MSTATUS_SUPERSEDED;
      if (x->stats) x->stats->superseded++;
      int before = x->nm;
      rc = place(x, &c);
      if (!rc && x->nm > before) rc = refresh_tests(x->st, &x->m[x->nm - 1], x->today);
      return rc;
    }
  }
  if (rel->linked_negative_tests > 0 &&
      first_tests_negative(x, lm, rel->linked_negative_tests, &rc)) {
    x->m[i].status = FK_MSTATUS_RELEASED;
    if (x->stats) x->stats->released++;
  }
  return rc;
}

static int write_changes(struct ctx *x)
{
  int rc;
  for (int i = 0; i < x->nm; i++) {
    struct fk_measure_row *m = &x->m[i];
    struct fk_plan p;
    if (m->status != FK_MSTATUS_ACTIVE) continue;
    if ((rc = refresh_tests(x->st, m, x->today))) return rc;
    if (!fk_measure_plan(x->rules, (enum fk_person_cat)m->category, m->anchor, m->placed, &p))
      m->kind = current_kind(&p, x->today);
  }
  if ((rc = index_close(x))) return rc;
  for (int i = 0; i < x->nm; i++) { /* x->m may grow (a reclassification) */
    if (x->m[i].status != FK_MSTATUS_ACTIVE) continue;
    if ((rc = follow_linked(x, i))) return rc;
    struct fk_measure_row *m = &x->m[i];
    if (m->status != FK_MSTATUS_ACTIVE) continue;
    /* Released once its last phase is over and every test was taken negative: a test still
       due (a late placement puts every test on the placement date) keeps it open too. */
    int bad = 0;
    for (int t = 0; t < m->ntests; t++)
      bad |= m->tests[t].status != FK_TEST_DONE;
    const struct fk_release_rules *rel = &x->rules->measures[m->category].release;
    int out = m->end != FK_DATE_NONE && m->end < x->today && !bad;
    if (!out && m->end == FK_DATE_NONE && rel->discharge_criteria && rel->negative_tests > 0)
      out = discharged(x, m, &rc);
    if (rc) return rc;
    if (out) {
      m->status = FK_MSTATUS_RELEASED;
      if (x->stats) x->stats->released++;
    }
  }
  for (int i = 0; i < x->nm; i++) {
    struct fk_measure_row *m = &x->m[i];
    int changed = 1;
    if (m->id && x->nseen) {
      const int64_t *at = bsearch(&m->id, x->seen_id, (size_t)x->nseen, sizeof *at, cmp_id);
      changed = !at || x->seen[at - x->seen_id] != row_hash(m);
    }
    if (changed) {
      int was_new = m->id == 0;
      if ((rc = fk_store_put_measure(x->st, m, x->diag))) return rc;
      if (x->stats) x->stats->written++;
      if (x->opts->written && (rc = x->opts->written(x->opts->arg, m, was_new))) return rc;
    }
    if (x->stats && m->status == FK_MSTATUS_ACTIVE) {
      x->stats->active[m->category]++;
      for (int t = 0; t < m->ntests; t++)
        x->stats->tests[m->tests[t].status]++;
    }
  }
  return 0;
}

int fk_measures_apply(struct fk_store *st, const struct fk_trace_index *ix,
                      const struct fk_rules *rules, fk_time now, struct fk_measures_stats *stats,
                      struct fk_diag *diag)
{
  return fk_measures_apply_opts(st, ix, rules, now, NULL, stats, diag);
}

int fk_measures_apply_opts(struct fk_store *st, const struct fk_trace_index *ix,
                           const struct fk_rules *rules, fk_time now,
                           const struct fk_measures_opts *opts, struct fk_measures_stats *stats,
                           struct fk_diag *diag)
{
  static const struct fk_measures_opts none;
  struct ctx x;
  int rc, began = 0;
  memset(&x, 0, sizeof x);
  x.opts = opts ? opts : &none;
  x.st = st;
  x.ix = ix;
  x.rules = rules;
  x.now = now;
  x.today = fk_time_date(now);
  x.stats = stats;
  x.diag = diag;
  if (stats) memset(stats, 0, sizeof *stats);
  rc = fk_store_each_measure(st, 0, keep_stored, &x);
  if (!rc) rc = find_confined(&x);
  if (!rc) rc = fk_store_each_case(st, each_case, &x);
  if (!rc) rc = fk_areas_load(st, &x.areas, diag);
  if (!rc) rc = fk_store_each_arrival(st, 0, each_arrival, &x);
  if (!rc) rc = merge(&x);
  if (!rc) {
    if (x.nm) qsort(x.m, (size_t)x.nm, sizeof *x.m, by_id);
    rc = fk_store_begin(st);
    began = !rc;
  }
  if (!rc) rc = write_changes(&x);
  if (began) rc = fk_store_end(st, rc);
  fk_store_fail(st, rc, diag, "applying measures");
  fk_areas_free(&x.areas);
  fk_trace_result_free(&x.r);
  fk_free(x.seen);
  fk_free(x.seen_id);
  fk_free(x.conf);
  fk_free(x.close);
  fk_free(x.m);
  fk_free(x.c);
  return rc;
}

static int collect(void *arg, const struct fk_measure_row *m)
{
  return keep_measure(arg, m);
}

int fk_measures_of(struct fk_store *st, int64_t person, fk_time now, struct fk_measure_row **out,
                   int *n, struct fk_diag *diag)
{
  struct ctx x;
  int rc;
  memset(&x, 0, sizeof x);
  *out = NULL;
  *n = 0;
  rc = fk_store_each_measure(st, person, collect, &x);
  for (int i = 0; !rc && now != FK_TIME_NONE && i < x.nm; i++)
    if (x.m[i].status == FK_MSTATUS_ACTIVE) rc = refresh_tests(st, &x.m[i], fk_time_date(now));
  if (rc) {
    fk_free(x.m);
    return fk_diag_set(diag, rc, NULL, "reading measures: %s",
                       rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  }
  *out = x.m;
  *n = x.nm;
  return 0;
}
