/*
 * The entrance check (see fangkong/entrance.h): the four elements -- temperature, code, state,
 * mask -- weighed against the rule set's `entrance` section, every reason that holds kept, the
 * check and (when it passes) the check-in recorded in one transaction.
 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/areas.h"
#include "fangkong/entrance.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/measures.h"
#include "fangkong/tasks.h"
#include "loop/entrance_impl.h"

const char *const fk_entrance_labels[] = {"发热 fever",
                                          "未戴口罩 no mask",
                                          "绿码 green code",
                                          "黄码 yellow code",
                                          "红码 red code",
                                          "低风险区 low-risk area",
                                          "中风险区 medium-risk area",
                                          "高风险区 high-risk area",
                                          "隔离中 confined",
                                          NULL};

/* Records reason r with its detail. */
static void hold(struct fk_entrance_result *out, enum fk_entrance_reason r, const char *detail)
{
  out->reasons |= 1u << r;
  snprintf(out->text[r], sizeof out->text[r], "%s: %s", fk_entrance_labels[r], detail);
}

/*
 * The phase of an active measure m that holds on date d, or NULL: from placement to the end of
 * the last phase (the days between placement and day 1 count as the first phase: the person is
 * under the measure from the moment placed).
 */
static const struct fk_plan_phase *phase_on(const struct fk_rules *rules,
                                            const struct fk_measure_row *m, fk_date d,
                                            struct fk_plan *plan)
{
  if (m->status != FK_MSTATUS_ACTIVE || d < m->placed) return NULL;
  if (fk_measure_plan(rules, (enum fk_person_cat)m->category, m->anchor, m->placed, plan))
    return NULL;
  for (int i = 0; i < plan->nphases; i++)
    if (plan->phases[i].end == FK_DATE_NONE || d <= plan->phases[i].end) return &plan->phases[i];
  return NULL;
}

/* The code and the confining measure, from the person's measures as of at. */
static int person_state(struct fk_store *st, const struct fk_rules *rules, int64_t person,
                        fk_time at, struct fk_entrance_result *out, struct fk_diag *diag)
{
  const struct fk_entrance_rules *e = &rules->loop.entrance;
  struct fk_measure_row *m = NULL;
  struct fk_plan *plan = NULL;
  char why[512], day[FK_DATE_BUFSZ];
  int n = 0, rc = fk_measures_of(st, person, at, &m, &n, diag);
  if (rc) goto out;
  out->code = fk_person_code(rules, m, n, at, why, sizeof why);
  if (e->deny_code[out->code]) hold(out, FK_ENTRANCE_CODE_GREEN + out->code, why);
  if (!e->deny_confined || !n) goto out;
  if (!(plan = fk_malloc(sizeof *plan))) {
    rc = FK_ENOMEM;
    goto out;
  }
  for (int i = 0; i < n; i++) {
    const struct fk_plan_phase *p = phase_on(rules, &m[i], fk_time_date(at), plan);
    if (!p || !p->confined) continue;
    if (p->end == FK_DATE_NONE)
      snprintf(why, sizeof why, "%s under %s (open-ended)", fk_person_cats[m[i].category],
               fk_measure_kinds[p->kind]);
    else
      snprintf(why, sizeof why, "%s under %s until %s", fk_person_cats[m[i].category],
               fk_measure_kinds[p->kind], fk_date_format(p->end, day));
    hold(out, FK_ENTRANCE_CONFINED, why);
    break;
  }
out:
  fk_free(plan);
  fk_free(m);
  return rc;
}

/* The place's internal id (0 when unknown) and where it lies, from the memo when there is one. */
static int find_place(struct fk_store *st, struct fk_entrance_memo *memo, const char *place_id,
                      int64_t *place, struct fk_location *loc)
{
  int rc;
  if (memo) return fk__memo_place(memo, st, place_id, place, loc);
  if ((rc = fk_store_place_id(st, place_id, place)) || !*place) return rc;
  return fk_store_locate(st, FK_LOCATE_PLACE, *place, NULL, loc);
}

/* The level of the place's grid (at loc) at `at`, and the reason when the rules deny it. */
static int place_state(struct fk_store *st, const struct fk_rules *rules,
                       struct fk_entrance_memo *memo, const struct fk_location *loc, fk_time at,
                       struct fk_entrance_result *out, struct fk_diag *diag)
{
  struct fk_areas own = {0};
  const struct fk_areas *as = &own;
  const struct fk_area_span *span = NULL;
  char why[512], day[FK_DATE_BUFSZ];
  int rc = memo ? fk__memo_areas(memo, st, &as, diag) : fk_areas_load(st, &own, diag);
  if (rc) return rc;
  snprintf(out->grid_id, sizeof out->grid_id, "%.71s", loc->grid_id);
  fk_areas_level_at(as, loc->grid_id, at, &out->area_level, &span);
  if (out->area_level >= 0 && rules->loop.entrance.deny_area[out->area_level]) {
    snprintf(why, sizeof why, "the place's grid %s is a %s risk area since %s", loc->grid_id,
             fk_area_levels[out->area_level], span ? fk_date_format(span->from, day) : "?");
    hold(out, FK_ENTRANCE_AREA_LOW + out->area_level, why);
  }
  fk_areas_free(&own);
  return 0;
}

/* Stores the check and, when it passed, the check-in (no checkout): one transaction. */
static int record(struct fk_store *st, const struct fk_entrance_row *row, const char *person_id,
                  const char *place_id, int *stored, struct fk_diag *diag)
{
  const struct fk_feed *feed = fk_feed_get(FK_FEED_CHECKINS);
  struct fk_value v[FK_FEED_MAXCOLS];
  int rc = fk_store_begin(st);
  if (rc) return rc;
  if ((rc = fk_store_put_entrance(st, row, stored))) goto out;
  if (row->pass) {
    memset(v, 0, sizeof v);
    v[fk_feed_column(feed, "person_id")] = (struct fk_value){1, person_id, strlen(person_id), 0, 0};
    v[fk_feed_column(feed, "place_id")] = (struct fk_value){1, place_id, strlen(place_id), 0, 0};
    v[fk_feed_column(feed, "checkin_at")] = (struct fk_value){1, NULL, 0, row->at, 0};
    rc = fk_store_put(st, feed, v, diag);
    if (rc == FK_EDUP || rc == FK_ECONFLICT) rc = 0; /* the check-in was scanned already */
  }
out:
  return fk_store_end(st, rc);
}

int fk_entrance_check_memo(struct fk_store *st, const struct fk_rules *rules,
                           struct fk_entrance_memo *memo, const struct fk_audit_row *who,
                           const char *person_id, const char *place_id, fk_time at,
                           double temperature, int mask, struct fk_entrance_result *out,
                           struct fk_diag *diag)
{
  const struct fk_entrance_rules *e = &rules->loop.entrance;
  struct fk_entrance_row row;
  struct fk_location loc;
  char why[128];
  int rc;
  assert(st && rules && person_id && place_id && out);
  memset(out, 0, offsetof(struct fk_entrance_result, text)); /* a text is set with its reason */
  memset(&row, 0, sizeof row);
  out->area_level = -1;
  if (!(rules->sections & FK_RULES_HAS_LOOP))
    return fk_diag_set(diag, FK_EINVAL, "entrance", "the rule set has no entrance section");
  if ((rc = fk_store_person_id(st, person_id, &row.person)) ||
      (rc = find_place(st, memo, place_id, &row.place, &loc)))
    return fk_diag_set(diag, rc, NULL, "entrance check: %s", fk_store_errmsg(st));
  if (!row.person) return fk_diag_set(diag, FK_ENOTFOUND, "person_id", "no person %s", person_id);
  if (!row.place) return fk_diag_set(diag, FK_ENOTFOUND, "place_id", "no place %s", place_id);
  if (temperature >= e->fever_celsius) {
    out->fever = 1;
    snprintf(why, sizeof why, "%.1f °C, at or above %.1f °C", temperature, e->fever_celsius);
    hold(out, FK_ENTRANCE_FEVER, why);
  }
  if (e->mask_required && !mask) hold(out, FK_ENTRANCE_NO_MASK, "a mask is required");
  if ((rc = person_state(st, rules, row.person, at, out, diag)) ||
      (rc = place_state(st, rules, memo, &loc, at, out, diag)))
    return rc;
  out->pass = !out->reasons;
  row.at = at;
  row.temperature = temperature;
  row.mask = !!mask;
  row.pass = out->pass;
  row.code = (int)out->code;
  row.reasons = out->reasons;
  row.fever = out->fever;
  row.who = who;
  rc = record(st, &row, person_id, place_id, &out->recorded, diag);
  if (rc && diag && !diag->reason[0])
    fk_diag_set(diag, rc, NULL, "entrance check: %s", fk_store_errmsg(st));
  return rc;
}

int fk_entrance_check(struct fk_store *st, const struct fk_rules *rules, const char *person_id,
                      const char *place_id, fk_time at, double temperature, int mask,
                      struct fk_entrance_result *out, struct fk_diag *diag)
{
  return fk_entrance_check_memo(st, rules, NULL, NULL, person_id, place_id, at, temperature, mask,
                                out, diag);
}
