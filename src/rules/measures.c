/*
 * Reading the `measures`, `areas` and `codes` sections of a rule set (see fangkong/rules.h).
 * Like the rest of the reader it is strict: every category, kind and level is named in the file,
 * so an edition that drops one (protocol-10 has no secondary contacts) says so with a source,
 * and a typo is an error rather than a silently missing rule.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/vocab.h"
#include "fangkong/rules.h"
#include "rules/reader.h"

const char *const fk_anchors[] = {"last_exposure", "arrival", "left_area", "identified", NULL};

/* Formats a path into p (vsnprintf, so a long path is cut rather than a warning). */
static void pathf(char *p, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void pathf(char *p, size_t size, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p, size, fmt, ap);
  va_end(ap);
}

/* Index of the string at obj.key in the NULL-terminated names, or -1 (reported) when it is
 * not one of them; -2 when absent and not required. */
static int choice(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                  const char *const *names, int required)
{
  char p[256], all[256] = "";
  json_t *v = json_object_get(obj, key);
  pathf(p, sizeof p, "%s.%s", path, key);
  if (!v) {
    if (required) fk__rules_problem(c, p, "required");
    return -2;
  }
  const char *s = json_string_value(v);
  int k = s ? fk_vocab_index(names, s) : FK_ENOTFOUND;
  if (k >= 0) return k;
  for (int i = 0; names[i]; i++) {
    size_t at = strlen(all);
    snprintf(all + at, sizeof all - at, "%s%s", i ? ", " : "", names[i]);
  }
  fk__rules_problem(c, p, "must be one of %s", all);
  return -1;
}

/* A phase's default confinement: the quarantines and the hospital keep the person in. */
static int confined_by_kind(enum fk_measure_kind k)
{
  return k == FK_MEASURE_HOSPITAL || k == FK_MEASURE_CENTRALIZED_QUARANTINE ||
         k == FK_MEASURE_HOME_QUARANTINE;
}

static void phase(struct fk__rules_ctx *c, json_t *obj, const char *path, int last,
                  struct fk_phase_rules *ph)
{
  static const char *const known[] = {"kind", "days", "test_days", "confined", "source", NULL};
  char p[256];
  if (!json_is_object(obj)) {
    fk__rules_problem(c, path, "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, path, known);
  int k = choice(c, obj, path, "kind", fk_measure_kinds, 1);
  if (k >= 0) ph->kind = (enum fk_measure_kind)k;
  ph->confined = confined_by_kind(ph->kind);
  ph->days = -1;
  fk__rules_int(c, obj, path, "days", 0, 366, 1, &ph->days);
  if (ph->days == 0 && !last)
    fk__rules_problem(c, path, "an open-ended phase (0 days) must be the last");
  fk__rules_boolean(c, obj, path, "confined", &ph->confined);
  fk__rules_text(c, obj, path, "source", 0, ph->source, sizeof ph->source);
  json_t *t = json_object_get(obj, "test_days");
  pathf(p, sizeof p, "%s.test_days", path);
  if (!t) {
    fk__rules_problem(c, p, "required (an empty list when the phase has no tests)");
    return;
  }
  if (!json_is_array(t)) {
    fk__rules_problem(c, p, "must be a list of day numbers");
    return;
  }
  if (json_array_size(t) > FK_RULES_MAXTESTDAYS) {
    fk__rules_problem(c, p, "more than %d test days", FK_RULES_MAXTESTDAYS);
    return;
  }
  for (size_t i = 0; i < json_array_size(t); i++) {
    json_t *d = json_array_get(t, i);
    char pi[300];
    pathf(pi, sizeof pi, "%s[%zu]", p, i);
    json_int_t day = json_is_integer(d) ? json_integer_value(d) : -1;
    int hi = ph->days > 0 ? ph->days : 366;
    if (day < 1 || day > hi) {
      fk__rules_problem(c, pi, "must be a day of the phase, 1..%d", hi);
      continue;
    }
    if (ph->ntests && day <= ph->test_days[ph->ntests - 1]) {
      fk__rules_problem(c, pi, "test days must increase");
      continue;
    }
    ph->test_days[ph->ntests++] = (int)day;
  }
}

static void release(struct fk__rules_ctx *c, json_t *obj, const char *path,
                    struct fk_release_rules *r)
{
  static const char *const known[] = {"all_tests_negative",
                                      "negative_tests",
                                      "within_days",
                                      "min_gap_hours",
                                      "linked_contact_negative_tests",
                                      "on_linked_positive",
                                      "discharge_criteria",
                                      "source",
                                      NULL};
  r->on_linked_positive = -1;
  if (!obj) {
    fk__rules_problem(c, path, "required object");
    return;
  }
  if (!json_is_object(obj)) {
    fk__rules_problem(c, path, "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, path, known);
  fk__rules_text(c, obj, path, "source", 1, r->source, sizeof r->source);
  fk__rules_boolean(c, obj, path, "all_tests_negative", &r->all_tests_negative);
  fk__rules_boolean(c, obj, path, "discharge_criteria", &r->discharge_criteria);
  fk__rules_int(c, obj, path, "negative_tests", 0, 16, 0, &r->negative_tests);
  fk__rules_int(c, obj, path, "within_days", 0, 366,
                r->negative_tests > 0 && !r->discharge_criteria, &r->within_days);
  fk__rules_int(c, obj, path, "min_gap_hours", 0, 24 * 366, 0, &r->min_gap_hours);
  fk__rules_int(c, obj, path, "linked_contact_negative_tests", 0, 16, 0, &r->linked_negative_tests);
  int cat = choice(c, obj, path, "on_linked_positive", fk_person_cats, 0);
  if (cat >= 0) r->on_linked_positive = cat;
  if (!r->all_tests_negative && !r->negative_tests && !r->discharge_criteria)
    fk__rules_problem(c, path,
                      "says no condition (all_tests_negative, negative_tests or "
                      "discharge_criteria)");
}

static void measure(struct fk__rules_ctx *c, json_t *obj, const char *path,
                    struct fk_measure_rules *m)
{
  static const char *const known[] = {"applies", "anchor", "rank", "phases",
                                      "release", "source", NULL};
  char p[256];
  if (!json_is_object(obj)) {
    fk__rules_problem(c, path, "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, path, known);
  fk__rules_text(c, obj, path, "source", 1, m->source, sizeof m->source);
  m->applies = 1;
  fk__rules_boolean(c, obj, path, "applies", &m->applies);
  if (!m->applies) {
    static const char *const none[] = {"anchor", "rank", "phases", "release", NULL};
    for (int i = 0; none[i]; i++)
      if (json_object_get(obj, none[i])) {
        pathf(p, sizeof p, "%s.%s", path, none[i]);
        fk__rules_problem(c, p, "a category that is given no measure (applies: false) has none");
      }
    return;
  }
  int a = choice(c, obj, path, "anchor", fk_anchors, 1);
  if (a >= 0) m->anchor = (enum fk_anchor)a;
  fk__rules_int(c, obj, path, "rank", 1, 1000, 1, &m->rank);
  json_t *ph = json_object_get(obj, "phases");
  pathf(p, sizeof p, "%s.phases", path);
  if (!ph || !json_is_array(ph) || json_array_size(ph) == 0)
    fk__rules_problem(c, p, "required: a list of 1..%d phases", FK_RULES_MAXPHASES);
  else if (json_array_size(ph) > FK_RULES_MAXPHASES)
    fk__rules_problem(c, p, "more than %d phases", FK_RULES_MAXPHASES);
  else {
    m->nphases = (int)json_array_size(ph);
    for (int i = 0; i < m->nphases; i++) {
      char pi[300];
      pathf(pi, sizeof pi, "%s[%d]", p, i);
      phase(c, json_array_get(ph, (size_t)i), pi, i == m->nphases - 1, &m->phases[i]);
    }
  }
  pathf(p, sizeof p, "%s.release", path);
  release(c, json_object_get(obj, "release"), p, &m->release);
}

void fk__rules_measures(struct fk__rules_ctx *c, json_t *obj, struct fk_rules *out)
{
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "measures", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "measures", fk_person_cats);
  for (int i = 0; i < FK_PERSON_NCATS; i++) {
    char p[256];
    pathf(p, sizeof p, "measures.%s", fk_person_cats[i]);
    json_t *m = json_object_get(obj, fk_person_cats[i]);
    if (!m)
      fk__rules_problem(c, p, "required (\"applies\": false when the edition gives it no measure)");
    else
      measure(c, m, p, &out->measures[i]);
  }
}

static void level(struct fk__rules_ctx *c, json_t *obj, const char *path, int lv,
                  struct fk_area_level_rules *l)
{
  static const char *const known[] = {"steps", "source", NULL};
  static const char *const step_known[] = {"to", "days_without_infection", "screening_day", NULL};
  char p[256];
  if (!json_is_object(obj)) {
    fk__rules_problem(c, path, "must be an object");
    return;
  }
  l->used = 1;
  fk__rules_unknown(c, obj, path, known);
  fk__rules_text(c, obj, path, "source", 1, l->source, sizeof l->source);
  json_t *st = json_object_get(obj, "steps");
  pathf(p, sizeof p, "%s.steps", path);
  if (!st || !json_is_array(st)) {
    fk__rules_problem(c, p, "required: a list of downgrades (empty for the lowest level)");
    return;
  }
  if (json_array_size(st) > FK_RULES_MAXSTEPS) {
    fk__rules_problem(c, p, "more than %d steps", FK_RULES_MAXSTEPS);
    return;
  }
  int below = lv;
  for (size_t i = 0; i < json_array_size(st); i++) {
    json_t *s = json_array_get(st, i);
    char pi[300];
    pathf(pi, sizeof pi, "%s[%zu]", p, i);
    if (!json_is_object(s)) {
      fk__rules_problem(c, pi, "must be an object");
      continue;
    }
    struct fk_area_step *step = &l->steps[l->nsteps++];
    fk__rules_unknown(c, s, pi, step_known);
    int to = choice(c, s, pi, "to", fk_area_levels, 1);
    if (to >= 0 && to >= below) {
      char pt[320];
      pathf(pt, sizeof pt, "%s.to", pi);
      fk__rules_problem(c, pt, "must be a lower level than %s", fk_area_levels[below]);
    } else if (to >= 0) {
      step->to = (enum fk_area_level)to;
      below = to;
    }
    fk__rules_int(c, s, pi, "days_without_infection", 1, 366, 1, &step->days);
    fk__rules_int(c, s, pi, "screening_day", 0, 366, 0, &step->screening_day);
    if (step->screening_day > step->days) {
      char pt[320];
      pathf(pt, sizeof pt, "%s.screening_day", pi);
      fk__rules_problem(c, pt, "after the %d days of the count", step->days);
    }
  }
}

void fk__rules_areas(struct fk__rules_ctx *c, json_t *obj, struct fk_area_rules *out)
{
  static const char *const known[] = {"source", "restart_on_new_infection", "levels", "designate",
                                      NULL};
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "areas", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "areas", known);
  fk__rules_text(c, obj, "areas", "source", 1, out->source, sizeof out->source);
  if (!json_object_get(obj, "restart_on_new_infection"))
    fk__rules_problem(c, "areas.restart_on_new_infection", "required");
  fk__rules_boolean(c, obj, "areas", "restart_on_new_infection", &out->restart_on_new_infection);
  json_t *lv = json_object_get(obj, "levels");
  if (!lv || !json_is_object(lv)) {
    fk__rules_problem(c, "areas.levels", "required object");
    return;
  }
  fk__rules_unknown(c, lv, "areas.levels", fk_area_levels);
  for (int i = 0; i < FK_AREA_NLEVELS; i++) {
    char p[256];
    json_t *l = json_object_get(lv, fk_area_levels[i]);
    pathf(p, sizeof p, "areas.levels.%s", fk_area_levels[i]);
    if (l)
      level(c, l, p, i, &out->levels[i]);
    else if (i != FK_AREA_MEDIUM)
      fk__rules_problem(c, p, "required (only medium may be left out)");
  }
  fk__rules_designate(c, json_object_get(obj, "designate"), out);
}

void fk__rules_codes(struct fk__rules_ctx *c, json_t *obj, struct fk_code_rules *out)
{
  static const char *const known[] = {"source", "none", "states", NULL};
  static const char *const state_known[] = {"code", "source", NULL};
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "codes", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "codes", known);
  fk__rules_text(c, obj, "codes", "source", 1, out->source, sizeof out->source);
  int none = choice(c, obj, "codes", "none", fk_codes, 1);
  if (none >= 0) out->none = (enum fk_code)none;
  json_t *st = json_object_get(obj, "states");
  if (!st || !json_is_object(st)) {
    fk__rules_problem(c, "codes.states", "required object");
    return;
  }
  const char *names[FK_CODE_NSTATES + 1];
  for (int i = 0; i < FK_PERSON_NCATS; i++)
    names[i] = fk_person_cats[i];
  names[FK_CODE_STATE_TEST_OVERDUE] = "test_overdue";
  names[FK_CODE_NSTATES] = NULL;
  fk__rules_unknown(c, st, "codes.states", names);
  for (int i = 0; i < FK_CODE_NSTATES; i++) {
    char p[256];
    json_t *s = json_object_get(st, names[i]);
    pathf(p, sizeof p, "codes.states.%s", names[i]);
    if (!s) {
      fk__rules_problem(c, p, "required");
      continue;
    }
    if (!json_is_object(s)) {
      fk__rules_problem(c, p, "must be an object");
      continue;
    }
    fk__rules_unknown(c, s, p, state_known);
    int code = choice(c, s, p, "code", fk_codes, 1);
    if (code >= 0) out->states[i].code = (enum fk_code)code;
    fk__rules_text(c, s, p, "source", 1, out->states[i].source, sizeof out->states[i].source);
  }
}

void fk__rules_check_measures(struct fk__rules_ctx *c, const struct fk_rules *r)
{
  if (!(r->sections & FK_RULES_HAS_AREAS) || !(r->sections & FK_RULES_HAS_MEASURES)) return;
  static const int needs[] = {FK_PERSON_HIGH_RISK_AREA,   FK_AREA_HIGH,
                              FK_PERSON_MEDIUM_RISK_AREA, FK_AREA_MEDIUM,
                              FK_PERSON_LOW_RISK_AREA,    FK_AREA_LOW};
  for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i += 2) {
    char p[256];
    pathf(p, sizeof p, "measures.%s", fk_person_cats[needs[i]]);
    if (r->measures[needs[i]].applies && !r->areas.levels[needs[i + 1]].used)
      fk__rules_problem(c, p, "applies, but areas.levels has no %s areas",
                        fk_area_levels[needs[i + 1]]);
  }
  for (int i = 0; i < FK_PERSON_NCATS; i++) {
    const struct fk_release_rules *rel = &r->measures[i].release;
    char p[256];
    pathf(p, sizeof p, "measures.%s.release.on_linked_positive", fk_person_cats[i]);
    if (rel->on_linked_positive >= 0 && !r->measures[rel->on_linked_positive].applies)
      fk__rules_problem(c, p, "%s is given no measure", fk_person_cats[rel->on_linked_positive]);
  }
}

int fk_rules_count(const struct fk_rules *r)
{
  int n = 2; /* trace, companion */
  for (int k = 0; k < FK_RULES_MAXKINDS; k++)
    n += r->trace.kinds[k].source[0] != 0;
  n += r->companion.presence_source[0] != 0;
  n += r->scan.source[0] != 0;
  n += FK_PERSON_NCATS;
  for (int l = 0; l < FK_AREA_NLEVELS; l++)
    n += r->areas.levels[l].used;
  if (r->sections & FK_RULES_HAS_LOOP) {
    for (int k = 0; k < FK_TASK_NKINDS; k++)
      n += r->loop.tasks[k].used;
    n += 2; /* escalation, entrance */
  }

  n += (r->sections & FK_RULES_HAS_SITES) ? 3 : 0; /* the section, households, accessible */
  n += (r->sections & FK_RULES_HAS_BRIEFING) ? 1 : 0;
  n += (r->sections & FK_RULES_HAS_ALERTS) ? 1 : 0; /* the alerts section, one source */

  n += r->areas.home.used + r->areas.stayed.used;
  return n + FK_CODE_NSTATES;
}
