/*
 * Contact tracing: from a case to every contact, with the exposures that make each one a
 * contact (everything says why).
 *
 * A trace index is derived from the store and the rule set: every check-in as a stay
 * [in, out) (out = in + the kind's dwell when the exit was not scanned), grouped by place and
 * sorted by start, plus each person's own stays, households and cases. It is rebuildable at
 * any time and refreshed incrementally from the store's check-in event ids
 * (fk_trace_index_refresh), never rebuilt per query. About 16 bytes a check-in. Quarantine-site
 * stays (where close contacts stop propagating) are read again at a refresh when one was added
 * or ended.
 *
 * Semantics (docs/TRACING.md): the window of a case runs from 00:00 (UTC+8) of the day
 * `window_days` before onset (or before the day of sampling for an asymptomatic case or one
 * without onset) until isolation or `now`. Degree 1: household members over the whole window,
 * and persons whose stay at a place overlaps the case's stay (cut to the window) by more than
 * the kind's minimum; category close if any exposure is close. Degree 2 (when the rules keep
 * secondary contacts): household members of a close degree-1 contact, and persons exposed to
 * them at close places, during [their first exposure to the case, their isolation or now),
 * isolation being the moment they entered a quarantine site (the store's site stays); never a
 * case nor a degree-1 contact of the same case. A case met as a contact is a link, not a
 * contact.
 *
 * Internal person and place ids are the store's row ids; fk_trace_person_id and
 * fk_trace_place_id give the feeds' natural keys back. Not thread-safe for refresh; any number
 * of concurrent fk_trace_case calls on an index nobody refreshes meanwhile is fine.
 */
#ifndef FANGKONG_TRACE_H
#define FANGKONG_TRACE_H

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/trace_store.h"
#include "fangkong/time.h"

struct fk_diag;
struct fk_store;
struct fk_trace_index;

/*
 * Builds the index of everything in st under rules (borrowed for the index's lifetime). On
 * success *out owns it (free with fk_trace_index_free). Returns 0, FK_ENOMEM or FK_ESTORE
 * (diag says why).
 */
FK_API int fk_trace_index_build(struct fk_store *st, const struct fk_rules *rules,
                                struct fk_trace_index **out, struct fk_diag *diag);

/*
 * Adds what the store gained since the index was built or last refreshed: new check-ins (by
 * event id), persons, places and cases. *added (may be NULL) gets the number of new check-ins.
 * Returns 0, FK_ENOMEM or FK_ESTORE; on error the index is unchanged.
 */
FK_API int fk_trace_index_refresh(struct fk_trace_index *ix, struct fk_store *st, long *added,
                                  struct fk_diag *diag);

/* Frees the index (NULL is fine). */
FK_API void fk_trace_index_free(struct fk_trace_index *ix);

struct fk_trace_index_stats {
  long persons, places, households, cases;
  long checkins;        /* stays indexed */
  size_t checkin_bytes; /* bytes of the structures that grow with check-ins */
  size_t total_bytes;   /* everything the index holds */
};

/* Fills *out with the index's sizes. */
FK_API void fk_trace_index_stats(const struct fk_trace_index *ix, struct fk_trace_index_stats *out);

/* Returns the internal id of the person with person_id (n bytes), or 0 when unknown. */
FK_API int64_t fk_trace_person(const struct fk_trace_index *ix, const char *person_id, size_t n);
/* Returns the person_id of an internal person id (borrowed from the index), or NULL. */
FK_API const char *fk_trace_person_id(const struct fk_trace_index *ix, int64_t person);
/* The person_id of person into out (size bytes): from the index when ix is not NULL and holds
 * them, else from the store; "?" when neither knows them. Returns 0 or FK_ESTORE. */
FK_API int fk_trace_person_name(const struct fk_trace_index *ix, struct fk_store *st,
                                int64_t person, char *out, size_t size);
/* Returns the place_id of an internal place id (borrowed), or NULL. */
FK_API const char *fk_trace_place_id(const struct fk_trace_index *ix, int64_t place);
/* Returns 1 when the person is a case in the index, else 0. */
FK_API int fk_trace_is_case(const struct fk_trace_index *ix, int64_t person);
/* Calls fn(arg, person) for every case in the index, in the store's order. */
FK_API void fk_trace_each_case(const struct fk_trace_index *ix,
                               void (*fn)(void *arg, int64_t person), void *arg);
/*
 * Sets *start and *end to the case's tracing window under the index's rules and now.
 * Returns 0, or FK_ENOTFOUND when the person is not a case.
 */
FK_API int fk_trace_window(const struct fk_trace_index *ix, int64_t person, fk_time now,
                           fk_time *start, fk_time *end);

/*
 * Calls fn for each stay of person that overlaps [from, to), in no particular order; stops at
 * the first non-zero return of fn and returns it, else 0. What risk areas read of a case.
 */
FK_API int fk_trace_each_stay(const struct fk_trace_index *ix, int64_t person, fk_time from,
                              fk_time to, int (*fn)(void *arg, const struct fk_stay *s), void *arg);

struct fk_case_row;

/*
 * The tracing window of case c under `window_days` (the rule set's trace.window_days): from
 * 00:00 in the city of the day that many days before onset -- before the day of sampling for an
 * asymptomatic case or one without onset -- until isolation, or `now` when not isolated (then
 * *end is `now` as given, FK_TIME_NONE included). The one rule tracing and companions share.
 */
FK_API void fk_case_window(const struct fk_case_row *c, int window_days, fk_time now,
                           fk_time *start, fk_time *end);

/*
 * Traces one case to `depth` (1 or 2; 2 is cut to 1 when the rules drop secondary contacts)
 * as of `now`. On success the caller frees *out with fk_trace_result_free. Returns 0,
 * FK_ENOTFOUND (not a case: diag says so), FK_EINVAL (bad depth) or FK_ENOMEM.
 */
FK_API int fk_trace_case(const struct fk_trace_index *ix, int64_t case_person, fk_time now,
                         int depth, struct fk_trace_result *out, struct fk_diag *diag);

/*
 * fk_trace_case into a result that is zeroed (`struct fk_trace_result r = {0}`) or holds an
 * earlier trace, whose memory is reused: tracing many cases in turn into one result touches no
 * fresh memory once the result has grown to the largest of them (a depth-2 answer can take
 * hundreds of megabytes). What *out held is overwritten, its contacts and exposures included.
 * Free it once at the end with fk_trace_result_free. Returns as fk_trace_case; on FK_EINVAL
 * or FK_ENOTFOUND *out is left as it was, on FK_ENOMEM it is freed (and zeroed, so it can be
 * traced into again).
 */
FK_API int fk_trace_case_reuse(const struct fk_trace_index *ix, int64_t case_person, fk_time now,
                               int depth, struct fk_trace_result *out, struct fk_diag *diag);

/* The most threads fk_trace_case_threads shares one case between. */
#define FK_TRACE_MAX_THREADS 8

/*
 * fk_trace_case_reuse with the work of one case shared between `threads` threads (1 to
 * FK_TRACE_MAX_THREADS; 1: the calling thread alone, as fk_trace_case_reuse): at depth 2 the
 * close contacts are cut into consecutive parts (32 a thread) that the threads take in turn,
 * each walked and grouped by the thread that took it, and the parts' contacts put one after
 * the other. The answer is the same, in the same order, whatever the number of threads; it is
 * quicker only when cores are free. Threads are started per call and joined before it returns
 * (a thread that cannot be started leaves its share to the calling thread); the threads
 * allocate, so failures injected by fk_alloc_fail_after are meant for one thread. ix, now,
 * depth, out and diag as for fk_trace_case_reuse. Returns as fk_trace_case_reuse, and
 * FK_EINVAL for a bad number of threads (*out left as it was).
 */
FK_API int fk_trace_case_threads(const struct fk_trace_index *ix, int64_t case_person, fk_time now,
                                 int depth, int threads, struct fk_trace_result *out,
                                 struct fk_diag *diag);

/* Frees what a result holds (the struct itself is the caller's). */
FK_API void fk_trace_result_free(struct fk_trace_result *r);

#endif
