/*
 * A person as JSON -- code and why, measures by phase with their tests, the quarantine-site stay
 * -- shared by `fangkong person show` and GET /v1/persons/{id}.
 */
#include <assert.h>
#include <jansson.h>

#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/measures.h"
#include "fangkong/sites.h"
#include "present/present.h"

static json_t *date_json(fk_date d)
{
  char buf[FK_DATE_BUFSZ];
  return d == FK_DATE_NONE ? json_null() : json_string(fk_date_format(d, buf));
}

static json_t *time_json(fk_time t)
{
  char buf[FK_TIME_BUFSZ];
  return t == FK_TIME_NONE ? json_null() : json_string(fk_time_format(t, buf));
}

static json_t *text_or_null(const char *s)
{
  return s[0] ? json_string(s) : json_null();
}

/* One entry of "measures": a phase of measure m (phase -1: the measure as stored, whole). */
static json_t *phase_json(const struct fk_measure_row *m, const struct fk_plan *p, int phase)
{
  int kind = phase < 0 ? m->kind : (int)p->phases[phase].kind;
  json_t *tests = json_array();
  for (int i = 0; tests && i < m->ntests; i++) {
    const struct fk_measure_test *t = &m->tests[i];
    /* kept tests (phase -1) are shown with the first phase */
    if (phase >= 0 && t->phase != phase && !(t->phase < 0 && phase == 0)) continue;
    json_array_append_new(tests,
                          json_pack("{s:i, s:o, s:s}", "day", t->day, "due_date", date_json(t->due),
                                    "status", fk_test_statuses[t->status]));
  }
  return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:o*}", "category",
                   fk_person_cats[m->category], "kind", fk_measure_kinds[kind], "anchor_date",
                   date_json(m->anchor), "start_date",
                   date_json(phase < 0 ? m->start : p->phases[phase].start), "end_date",
                   date_json(phase < 0 ? m->end : p->phases[phase].end), "status",
                   fk_measure_statuses[m->status], "rule", m->rule, "tests", tests);
}

/* The "site" value: the stay (or wait) as of now, or null. */
static json_t *site_json(struct fk_store *st, int64_t person, fk_time now, int *rc,
                         struct fk_diag *diag)
{
  struct fk_site_stay s;
  *rc = fk_sites_stay_of(st, person, now, &s, diag);
  if (*rc) {
    if (*rc == FK_ENOTFOUND) *rc = 0;
    return json_null();
  }
  /* As of now, an end that came later is not known yet. */
  if (s.to != FK_TIME_NONE && now != FK_TIME_NONE && s.to > now) {
    s.to = FK_TIME_NONE;
    s.end_reason[0] = '\0';
  }
  return json_pack("{s:s, s:o, s:o, s:o, s:o, s:s, s:o}", "status",
                   s.waiting              ? "waiting"
                   : s.to == FK_TIME_NONE ? "in"
                                          : "left",
                   "site_id", text_or_null(s.site_id), "room_id", text_or_null(s.room_id), "from",
                   time_json(s.from), "to", time_json(s.to), "reason", s.reason, "end_reason",
                   text_or_null(s.end_reason));
}

json_t *fk__person_json(struct fk_store *st, const struct fk_rules *rules, const char *person_id,
                        int64_t person, const struct fk_measure_row *m, int nm, fk_time now,
                        int *rc, struct fk_diag *diag)
{
  char reason[1024];
  enum fk_code code = fk_person_code(rules, m, nm, now, reason, sizeof reason);
  json_t *measures = json_array();
  assert(st && rules && person_id && rc);
  for (int i = 0; measures && i < nm; i++) {
    struct fk_plan p;
    if (fk_measure_plan(rules, (enum fk_person_cat)m[i].category, m[i].anchor, m[i].placed, &p) ||
        !p.nphases) {
      json_array_append_new(measures, phase_json(&m[i], &p, -1));
      continue;
    }
    for (int k = 0; k < p.nphases; k++)
      json_array_append_new(measures, phase_json(&m[i], &p, k));
  }
  return json_pack("{s:s, s:s, s:s, s:o*, s:o}", "person_id", person_id, "code", fk_codes[code],
                   "code_reason", reason, "measures", measures, "site",
                   site_json(st, person, now, rc, diag));
}
