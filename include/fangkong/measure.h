/*
 * Day counting: the plan of a measure -- each phase's first and last date and each test's due
 * date -- worked out from a rule set, a person category, the anchor date and the date the person
 * was placed. Pure functions over caller-owned structs: no store, no clock, no allocation.
 *
 * The counting, as issue 4 states it and docs/RULES.md repeats:
 *   - day 0 is the anchor date (last exposure, arrival, leaving the area, identification);
 *   - the first phase of N days covers days 1..N, anchor + 1 .. anchor + N;
 *   - each later phase starts the day after the previous one's last day, and its own days are
 *     counted from 1 again: day k of a phase is its start + k - 1 (so for the first phase,
 *     "test on day k" is due on anchor + k);
 *   - a test whose day falls before the person was placed is due on the placement date (several
 *     may then fall on that date; one sample that day answers them all);
 *   - phase dates are never moved by a late placement: the measure is counted from the anchor.
 * An open-ended phase (0 days, a case's hospital stay) has no last date: FK_DATE_NONE.
 */
#ifndef FANGKONG_MEASURE_H
#define FANGKONG_MEASURE_H

#include "fangkong/export.h"

#include "fangkong/rules.h"
#include "fangkong/time.h"

#define FK_PLAN_MAXTESTS (2 * FK_RULES_MAXPHASES * FK_RULES_MAXTESTDAYS)

struct fk_plan_phase {
  enum fk_measure_kind kind;
  int days;      /* its length from the rules; 0: open-ended */
  int confined;  /* 1: the person may not go out */
  fk_date start; /* its day 1 */
  fk_date end;   /* its last day, or FK_DATE_NONE when open-ended */
};

struct fk_plan_test {
  int phase;       /* index into fk_plan.phases; -1 for a test kept from an earlier anchor */
  int day;         /* the test day within its phase (1 = the phase's first day) */
  fk_date nominal; /* the phase's start + day - 1 */
  fk_date due;     /* nominal, or the placement date when that is later */
  fk_date done_on; /* the date the sample was taken, or FK_DATE_NONE (set by the caller) */
};

struct fk_plan {
  enum fk_person_cat category;
  enum fk_anchor anchor_kind;
  fk_date anchor; /* day 0 */
  fk_date placed; /* the date the person was placed under the measure */
  int rank;       /* the measure's strictness */
  fk_date end;    /* the last day of the last phase, or FK_DATE_NONE when open-ended */
  int nphases;
  struct fk_plan_phase phases[FK_RULES_MAXPHASES];
  int ntests; /* in due order within each anchor: kept tests first, then the scheduled ones */
  struct fk_plan_test tests[FK_PLAN_MAXTESTS];
};

/*
 * Works out the plan of the measure the rules give `category`.
 *   rules     the rule set (borrowed, read only)
 *   category  the person's category
 *   anchor    day 0 of the measure, of the kind rules->measures[category].anchor says
 *   placed    the date the person was placed under it (may be before the anchor, which then
 *             changes nothing, or after test days, which then fall due on it)
 *   out       filled on success (caller-owned; every test's done_on is FK_DATE_NONE)
 * Returns 0, or FK_ENOTFOUND when the rules give the category no measure (out->nphases is 0),
 * or FK_EINVAL for a category out of range.
 */
FK_API int fk_measure_plan(const struct fk_rules *rules, enum fk_person_cat category,
                           fk_date anchor, fk_date placed, struct fk_plan *out);

/*
 * Of two categories a person qualifies for at once, returns the one whose measure wins: the
 * higher rank; at equal rank the longer measure (days of all phases, open-ended longest); then a.
 * A category given no measure loses to one given a measure.
 *   rules  the rule set (borrowed)
 *   a, b   the two categories
 */
FK_API enum fk_person_cat fk_measure_stricter(const struct fk_rules *rules, enum fk_person_cat a,
                                              enum fk_person_cat b);

/*
 * A new exposure moves the anchor: re-plans `old` from new_anchor under the same category and
 * placement. Tests already taken (done_on set) are kept at the front of the new plan with
 * phase -1 and their old day and dates, as the record of what was done; a newly scheduled test
 * due on a date a kept test was taken is marked taken on it too (that sample answers it).
 * Tests not yet taken under the old anchor are dropped: the new schedule replaces them.
 *   rules       the rule set (borrowed)
 *   old         the current plan (borrowed; may be the same object as out)
 *   new_anchor  the new day 0; must not be before old->anchor
 *   out         the new plan (caller-owned)
 * Returns 0, FK_EINVAL when new_anchor is earlier than the old anchor, FK_ENOTFOUND as
 * fk_measure_plan, or FK_ERANGE if the kept and new tests would not fit.
 */
FK_API int fk_measure_replan(const struct fk_rules *rules, const struct fk_plan *old,
                             fk_date new_anchor, struct fk_plan *out);

#endif
