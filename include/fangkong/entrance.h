/*
 * The entrance check (测温、扫码、验证、戴口罩): at a place's door, a person's temperature is
 * taken, their code scanned, their state verified and their mask seen. The answer is pass or
 * deny with every reason that holds, as the rule set's `entrance` section says: a fever (at or
 * above fever_celsius), no mask (mask_required), a code the rules deny (the person's code as of
 * the check, from their measures: fk_person_code), the place's grid in a risk area whose level
 * the rules deny (the level at the time of the check: fk_area_level_at), a measure whose phase
 * then confines the person (deny_confined).
 *
 * Each check is recorded in the store (once per time, person and place: repeating it changes
 * nothing); a passed check records the check-in too (the checkins feed, no checkout), so tracing
 * sees it; a fever is kept as a signal for early warning (fk_store_each_entrance).
 *
 * Cost: the person's measures, the stored risk areas (all of them, unless a memo keeps them),
 * indexed lookups and two writes; with a memo it does not grow with the city.
 */
#ifndef FANGKONG_ENTRANCE_H
#define FANGKONG_ENTRANCE_H

#include "fangkong/export.h"

#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/entrance_store.h"
#include "fangkong/store.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;

/* The same for officials: "发热 fever", "未戴口罩 no mask", ... "隔离中 confined". */
FK_API extern const char *const fk_entrance_labels[];

#define FK_ENTRANCE_TEXT 640

struct fk_entrance_result {
  int pass;          /* 1 pass, 0 deny */
  enum fk_code code; /* the person's code as of the check */
  unsigned reasons;  /* bit (1u << enum fk_entrance_reason) for each reason that holds */
  int fever;         /* 1: temperature at or above the rules' threshold */
  int area_level;    /* the place's risk-area level then (enum fk_area_level), or -1 */
  char grid_id[72];  /* the place's grid */
  int recorded;      /* 1: this call stored the check; 0: it was stored already */
  /* each reason that holds, said in full (text[i] is set only when reasons has bit i) */
  char text[FK_ENTRANCE_NREASONS][FK_ENTRANCE_TEXT];
};

/*
 * Checks person_id at place_id at time `at` (see the top of this file), records the check and,
 * when it passes, the check-in, in one transaction.
 *   st           the store (borrowed)
 *   rules        the rule set whose `entrance`, `measures`, `codes` sections apply (borrowed)
 *   person_id    the person's id, as in persons.csv (borrowed)
 *   place_id     the place's id, as in places.csv (borrowed)
 *   at           when
 *   temperature  degrees Celsius as measured at the door
 *   mask         1 when the person wears a mask
 *   out          filled (caller-owned)
 * Returns 0 (pass or deny: out->pass says which), FK_ENOTFOUND when the person or the place is
 * unknown, FK_EINVAL when the rule set has no entrance section, FK_ENOMEM or FK_ESTORE (diag
 * says why; nothing is written then).
 */
FK_API int fk_entrance_check(struct fk_store *st, const struct fk_rules *rules,
                             const char *person_id, const char *place_id, fk_time at,
                             double temperature, int mask, struct fk_entrance_result *out,
                             struct fk_diag *diag);

/*
 * What entrance checks read that seldom changes, kept between the checks of one store
 * connection: each place's internal id and grid (a stored place never changes), and the risk
 * areas, read again whenever another connection has committed to the store since
 * (fk_store_data_version). Areas written through the same connection are not seen until
 * fk_entrance_memo_forget. Not thread-safe: a memo serves one connection at a time.
 */
struct fk_entrance_memo;

/* Makes an empty memo into *out (free with fk_entrance_memo_free). Returns 0 or FK_ENOMEM. */
FK_API int fk_entrance_memo_new(struct fk_entrance_memo **out);
/* Drops the risk areas m holds (read again at the next check). */
FK_API void fk_entrance_memo_forget(struct fk_entrance_memo *m);
FK_API void fk_entrance_memo_free(struct fk_entrance_memo *m);

struct fk_audit_row;

/* fk_entrance_check, reading places and risk areas through memo (borrowed; NULL: from the
 * store at each call, as fk_entrance_check); the answers are the same. who (borrowed; NULL
 * from the command line) is the API's caller: its at, token, role and peer are stored with the
 * check, which is then also the audit log's record of it (fk_store_each_audit). A check stored
 * before (out->recorded 0) is not stored again: the caller audits that post itself. */
FK_API int fk_entrance_check_memo(struct fk_store *st, const struct fk_rules *rules,
                                  struct fk_entrance_memo *memo, const struct fk_audit_row *who,
                                  const char *person_id, const char *place_id, fk_time at,
                                  double temperature, int mask, struct fk_entrance_result *out,
                                  struct fk_diag *diag);

#endif
