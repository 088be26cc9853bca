/*
 * From cases to measures: every case traced as of `now`, its close contacts (and, when the rules
 * keep them, secondary contacts) and every international arrival placed under the measure the
 * rules give their category, with the tests it schedules; test statuses kept in step with the
 * samples; finished measures released. And the person's health code from that state.
 *
 * Categories (docs/MEASURES.md): a case -> `case` (anchor: the day its positive sample was
 * taken); a close contact of degree 1 -> `close_contact` (anchor: the day of their last exposure
 * to the case); a degree-2 contact -> `secondary_contact` (anchor: their last exposure to the
 * close contact); an international arrival -> `inbound_international` (anchor: arrival). A domestic
 * arrival whose origin names a risk area -> `high_risk_area`, `medium_risk_area` or `low_risk_area`
 * by the area's level when the person left it (anchor: leaving; see fangkong/areas.h). General
 * contacts get no measure. A person qualifying for several gets the stricter measure
 * (fk_measure_stricter); a later anchor of the same category re-plans the active measure
 * (fk_measure_replan); a stricter category supersedes a weaker active measure. A secondary
 * contact is released on their close contact's first negative tests and becomes a close contact
 * when that one is positive, as the rules' release section says. Applying twice with the same
 * `now` changes nothing.
 */
#ifndef FANGKONG_MEASURES_H
#define FANGKONG_MEASURES_H

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/time.h"

struct fk_companion_index;
struct fk_diag;
struct fk_trace_index;

struct fk_measures_stats {
  long placed[FK_PERSON_NCATS]; /* measures placed by this run, by category */
  long active[FK_PERSON_NCATS]; /* active measures after the run, by category */
  long replanned;               /* active measures whose anchor moved */
  long superseded;              /* active measures replaced by a stricter one */
  long released;                /* measures released by this run */
  long written;                 /* measures written (0 when nothing changed) */
  long tests[4];                /* tests of active measures by enum fk_test_status */
};

/*
 * Applies the rules to everything the store and the index (built over it under `rules`) hold,
 * as of now: see the top of this file. Placement date is now's civil date (UTC+8). Test
 * statuses: a test due on D is done when the person gave a sample on D (positive if it was),
 * missed when D is before today and no sample was given, else due. A measure whose last phase
 * ended before today with every test done (none missed, positive or still due) is released. One
 * transaction.
 *   stats  filled (may be NULL)
 * Returns 0, FK_ENOMEM or FK_ESTORE (diag says why).
 */
FK_API int fk_measures_apply(struct fk_store *st, const struct fk_trace_index *ix,
                             const struct fk_rules *rules, fk_time now,
                             struct fk_measures_stats *stats, struct fk_diag *diag);

/* What fk_measures_apply_opts does beyond fk_measures_apply. */
struct fk_measures_opts {
  const int64_t *cases; /* trace only these cases (internal ids; borrowed); NULL: every case */
  size_t ncases;
  /* Called for every measure written, inside the transaction, after it is stored (m->id set);
     was_new is 1 for a measure placed by this run. A non-zero return aborts the run. */
  int (*written)(void *arg, const struct fk_measure_row *m, int was_new);
  void *arg;
  /* Spatiotemporal companions (时空伴随者) of the cases traced, placed under the rules'
     `companion` measure anchored on the day found (NULL: none are looked for). Borrowed. */
  const struct fk_companion_index *companions;
};

/*
 * fk_measures_apply, with opts (may be NULL: as fk_measures_apply). With opts->cases, the other
 * cases are not traced again: their contacts' measures stand as stored (the tick traces a case
 * again only when its window changed). ix may be NULL when opts->cases is empty (ncases 0).
 * Returns as fk_measures_apply, or FK_EINVAL when a case must be traced and ix is NULL.
 */
FK_API int fk_measures_apply_opts(struct fk_store *st, const struct fk_trace_index *ix,
                                  const struct fk_rules *rules, fk_time now,
                                  const struct fk_measures_opts *opts,
                                  struct fk_measures_stats *stats, struct fk_diag *diag);

/*
 * Loads every measure of person (internal id) into *out (caller frees with fk_free), *n of them,
 * in the order placed. When now is not FK_TIME_NONE the test statuses are worked out again from
 * the samples as of now (nothing is written). Returns 0, FK_ENOMEM or FK_ESTORE.
 */
FK_API int fk_measures_of(struct fk_store *st, int64_t person, fk_time now,
                          struct fk_measure_row **out, int *n, struct fk_diag *diag);

#endif
