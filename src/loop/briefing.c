/*
 * The daily briefing (see fangkong/briefing.h), its people: new cases, close contacts placed and
 * how soon, the measures in force by category and phase, and their tests. The state of the
 * city's units (tasks, areas, sites, entrances) is in briefing_units.c.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/briefing.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "loop/briefing_impl.h"

/* The cases, in person order (as the store gives them), with when each was known. */
struct cases {
  struct fk_briefing *b;
  struct fk_case_row *c;
  size_t n, cap;
};

static int add_case(void *arg, const struct fk_case_row *row)
{
  struct cases *x = arg;
  struct fk_briefing *b = x->b;
  if (row->sampled > b->now) return 0; /* not known yet */
  b->cases.total++;
  if (row->sampled > b->from) {
    b->cases.new_cases++;
    if (row->asymptomatic)
      b->cases.new_asymptomatic++;
    else
      b->cases.new_confirmed++;
  }
  if (x->n == x->cap) {
    size_t cap = x->cap ? x->cap * 2 : 64;
    struct fk_case_row *p = fk_realloc(x->c, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    x->c = p;
    x->cap = cap;
  }
  x->c[x->n++] = *row;
  return 0;
}

static const struct fk_case_row *case_of(const struct cases *x, int64_t person)
{
  size_t lo = 0, hi = x->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (x->c[mid].person < person)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < x->n && x->c[lo].person == person ? &x->c[lo] : NULL;
}

struct walk {
  struct fk_store *st;
  const struct fk_rules *rules;
  struct fk_briefing *b;
  struct cases *cases;
  struct fk_plan plan;
};

/*
 * The case a close contact's measure serves: the measure's link (the measures engine links a
 * close contact to its case), else for measures stored before the link the person_id its
 * reason names after "close contact of " (docs/MEASURES.md); or NULL.
 */
static const struct fk_case_row *served_case(struct walk *w, const struct fk_measure_row *m)
{
  static const char lead[] = "close contact of ";
  if (m->linked) return case_of(w->cases, m->linked); /* the engine links a contact to its case */
  const char *s = strstr(m->reason, lead);
  char id[72];
  int64_t person = 0;
  if (!s) return NULL;
  s += sizeof lead - 1;
  size_t n = strcspn(s, " ,");
  if (!n || n >= sizeof id) return NULL;
  memcpy(id, s, n);
  id[n] = '\0';
  if (fk_store_person_id(w->st, id, &person) || !person) return NULL;
  return case_of(w->cases, person);
}

static void placed(struct walk *w, const struct fk_measure_row *m)
{
  struct fk_briefing_contacts *c = &w->b->contacts;
  if (m->created <= w->b->from || m->created > w->b->now) return;
  if (m->category == FK_PERSON_SECONDARY_CONTACT) c->secondary_placed++;
  if (m->category != FK_PERSON_CLOSE_CONTACT) return;
  c->close_placed++;
  if (!c->within_hours) return;
  const struct fk_case_row *k = served_case(w, m);
  if (!k)
    c->close_unlinked++;
  else if (m->created - k->sampled <= (fk_time)c->within_hours * 3600)
    c->close_on_time++;
  else
    c->close_late++;
}

/* The kind of the phase m is in today: the last phase once past its end. */
static int kind_today(struct walk *w, const struct fk_measure_row *m)
{
  if (fk_measure_plan(w->rules, (enum fk_person_cat)m->category, m->anchor, m->placed, &w->plan))
    return m->kind;
  for (int i = 0; i < w->plan.nphases; i++)
    if (w->plan.phases[i].end == FK_DATE_NONE || w->b->today <= w->plan.phases[i].end)
      return (int)w->plan.phases[i].kind;
  return w->plan.nphases ? (int)w->plan.phases[w->plan.nphases - 1].kind : m->kind;
}

static void tests(struct fk_briefing_tests *t, const struct fk_measure_row *m, fk_date today)
{
  for (int i = 0; i < m->ntests; i++) {
    const struct fk_measure_test *x = &m->tests[i];
    if (x->due == today) {
      t->due_today++;
      if (x->status == FK_TEST_DONE || x->status == FK_TEST_POSITIVE)
        t->done_today++;
      else if (x->status == FK_TEST_DUE)
        t->open_today++;
    }
    if (x->status == FK_TEST_MISSED) {
      t->missed_open++;
      t->missed_yesterday += x->due == today - 1;
    }
  }
}

static int measure(void *arg, const struct fk_measure_row *m)
{
  struct walk *w = arg;
  struct fk_briefing_measures *ms = &w->b->measures;
  placed(w, m);
  if (m->status != FK_MSTATUS_ACTIVE || m->created > w->b->now) return 0;
  int k = kind_today(w, m);
  if (m->category < 0 || m->category >= FK_PERSON_NCATS || k < 0 || k >= FK_MEASURE_NKINDS)
    return 0;
  ms->total++;
  ms->by_category[m->category]++;
  ms->by_kind[k]++;
  ms->cell[m->category][k]++;
  tests(&w->b->tests, m, w->b->today);
  return 0;
}

/* Cases, contacts, measures and tests. */
static int people(struct fk_store *st, const struct fk_rules *rules, struct fk_briefing *b)
{
  struct cases x = {b, NULL, 0, 0};
  struct walk *w = fk_calloc(1, sizeof *w);
  int rc = w ? fk_store_each_case(st, add_case, &x) : FK_ENOMEM;
  if (rc) goto out;
  *w = (struct walk){.st = st, .rules = rules, .b = b, .cases = &x};
  rc = fk_store_each_measure(st, 0, measure, w);
  const struct fk_briefing_contacts *c = &b->contacts;
  if (!rc && c->within_hours && c->close_placed)
    b->contacts.share = (double)c->close_on_time / (double)c->close_placed;
out:
  fk_free(w);
  fk_free(x.c);
  return rc;
}

int fk_briefing(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                struct fk_briefing *out, struct fk_diag *diag)
{
  assert(st && rules && out);
  memset(out, 0, sizeof *out);
  out->now = now;
  out->from = now - FK_SECONDS_PER_DAY;
  out->today = fk_time_date(now);
  out->contacts.share = -1;
  if (rules->sections & FK_RULES_HAS_BRIEFING)
    out->contacts.within_hours = rules->briefing.placed_within_hours;
  int rc = people(st, rules, out);
  if (!rc) rc = fk__briefing_units(st, out, diag);
  if (rc && diag && !diag->reason[0])
    fk_diag_set(diag, rc, NULL, "briefing: %s",
                rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  return rc;
}

void fk_briefing_free(struct fk_briefing *b)
{
  if (!b) return;
  fk_free(b->districts);
  fk_free(b->areas);
  fk_free(b->sites);
  b->districts = NULL;
  b->areas = NULL;
  b->sites = NULL;
  b->ndistricts = b->nareas = b->nsites = 0;
}
