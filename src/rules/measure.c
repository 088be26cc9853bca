/* Day counting (see fangkong/measure.h for the conventions). */
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/measure.h"

int fk_measure_plan(const struct fk_rules *rules, enum fk_person_cat category, fk_date anchor,
                    fk_date placed, struct fk_plan *out)
{
  memset(out, 0, sizeof *out);
  if ((int)category < 0 || category >= FK_PERSON_NCATS) return FK_EINVAL;
  const struct fk_measure_rules *m = &rules->measures[category];
  out->category = category;
  out->anchor = anchor;
  out->placed = placed;
  out->end = FK_DATE_NONE;
  if (!m->applies || m->nphases == 0) return FK_ENOTFOUND;
  out->anchor_kind = m->anchor;
  out->rank = m->rank;
  fk_date start = anchor + 1; /* day 1 of the first phase */
  for (int i = 0; i < m->nphases; i++) {
    const struct fk_phase_rules *pr = &m->phases[i];
    struct fk_plan_phase *ph = &out->phases[out->nphases++];
    ph->kind = pr->kind;
    ph->days = pr->days;
    ph->confined = pr->confined;
    ph->start = start;
    ph->end = pr->days > 0 ? start + pr->days - 1 : FK_DATE_NONE;
    for (int t = 0; t < pr->ntests && out->ntests < FK_PLAN_MAXTESTS; t++) {
      struct fk_plan_test *pt = &out->tests[out->ntests++];
      pt->phase = i;
      pt->day = pr->test_days[t];
      pt->nominal = start + pr->test_days[t] - 1;
      pt->due = pt->nominal < placed ? placed : pt->nominal;
      pt->done_on = FK_DATE_NONE;
    }
    out->end = ph->end;
    if (ph->end == FK_DATE_NONE) break; /* the reader allows open-ended phases only last */
    start = ph->end + 1;
  }
  return 0;
}

/* The total length of a category's measure in days; INT32_MAX when open-ended; -1 for none. */
static int length(const struct fk_rules *rules, enum fk_person_cat c)
{
  const struct fk_measure_rules *m = &rules->measures[c];
  int days = 0;
  if (!m->applies || !m->nphases) return -1;
  for (int i = 0; i < m->nphases; i++) {
    if (m->phases[i].days == 0) return INT32_MAX;
    days += m->phases[i].days;
  }
  return days;
}

enum fk_person_cat fk_measure_stricter(const struct fk_rules *rules, enum fk_person_cat a,
                                       enum fk_person_cat b)
{
  const struct fk_measure_rules *ma = &rules->measures[a], *mb = &rules->measures[b];
  int ra = ma->applies && ma->nphases ? ma->rank : -1;
  int rb = mb->applies && mb->nphases ? mb->rank : -1;
  if (ra != rb) return ra > rb ? a : b;
  return length(rules, b) > length(rules, a) ? b : a;
}

int fk_measure_replan(const struct fk_rules *rules, const struct fk_plan *old, fk_date new_anchor,
                      struct fk_plan *out)
{
  struct fk_plan_test kept[FK_PLAN_MAXTESTS];
  int nkept = 0, rc;
  if (new_anchor < old->anchor) return FK_EINVAL;
  for (int i = 0; i < old->ntests; i++)
    if (old->tests[i].done_on != FK_DATE_NONE) {
      kept[nkept] = old->tests[i];
      kept[nkept++].phase = -1;
    }
  fk_date placed = old->placed;
  rc = fk_measure_plan(rules, old->category, new_anchor, placed, out);
  if (rc) return rc;
  if (nkept + out->ntests > FK_PLAN_MAXTESTS) return FK_ERANGE;
  memmove(out->tests + nkept, out->tests, (size_t)out->ntests * sizeof out->tests[0]);
  memcpy(out->tests, kept, (size_t)nkept * sizeof kept[0]);
  out->ntests += nkept;
  for (int i = nkept; i < out->ntests; i++)
    for (int k = 0; k < nkept; k++)
      if (kept[k].done_on == out->tests[i].due) out->tests[i].done_on = kept[k].done_on;
  return 0;
}
