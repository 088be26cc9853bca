/*
 * The protocol as data: rule sets are JSON files (rules/protocol-9.json is the default and is
 * built into the program; rules/protocol-10.json is the November 2022 edition). They are read
 * once into the plain structs below, which engines receive as `const struct fk_rules *`. Code
 * knows the kinds of rule; every number lives in the file, and every rule carries its source.
 */
#ifndef FANGKONG_RULES_H
#define FANGKONG_RULES_H

#include "fangkong/export.h"

#include <stddef.h>

#include "fangkong/detect.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;

#define FK_RULES_MAXKINDS 64
#define FK_RULES_SOURCE 512

/* How a place kind is treated by contact tracing. */
struct fk_kind_rules {
  enum fk_category category;
  fk_time dwell;       /* assumed stay in seconds when a check-in has no checkout */
  fk_time min_overlap; /* an overlap must exceed this many seconds to be an exposure */
  char source[FK_RULES_SOURCE];
};

struct fk_trace_rules {
  int window_days;        /* the window opens at 00:00 this many days before onset/sampling */
  int secondary_contacts; /* 1: trace degree 2 (密接的密接); 0: the edition dropped them */
  struct fk_kind_rules kinds[FK_RULES_MAXKINDS]; /* indexed as fk_place_kinds */
  char source[FK_RULES_SOURCE];
};

/* Spatiotemporal companions (时空伴随). */
struct fk_companion_rules {
  double cell_meters;  /* side of the square cell */
  fk_time min_overlap; /* seconds together in one cell, more than this */
  fk_time dwell;       /* either party more than this long in the cell ... */
  int lookback_days;   /* ... over this many days */
  char source[FK_RULES_SOURCE];
  /* How pings become presence in a cell (not from the protocol: our reading of the data). */
  fk_time ping;    /* a lone ping stands for this many seconds of presence */
  fk_time max_gap; /* pings in one cell further apart than this are separate presences */
  char presence_source[FK_RULES_SOURCE];
};

/* ---- Measures: who gets which measure (第九版 §1), as data ---- */

/* The date day 0 of a measure is counted from; names in fk_anchors. */
enum fk_anchor {
  FK_ANCHOR_LAST_EXPOSURE = 0, /* the last exposure to the case (or to the close contact) */
  FK_ANCHOR_ARRIVAL,           /* arrival from abroad */
  FK_ANCHOR_LEFT_AREA,         /* the day the person left the risk area */
  FK_ANCHOR_IDENTIFIED,        /* the day the person was identified (cases, companions) */
  FK_ANCHOR_NKINDS
};
FK_API extern const char *const fk_anchors[];

#define FK_RULES_MAXPHASES 4
#define FK_RULES_MAXTESTDAYS 16

struct fk_phase_rules {
  enum fk_measure_kind kind;
  int days;     /* the phase covers its days 1..days; 0: open-ended (last phase only) */
  int confined; /* 1: the person may not go out during the phase */
  int ntests;
  int test_days[FK_RULES_MAXTESTDAYS]; /* increasing, each in 1..days (day 1 = the phase's first) */
  char source[FK_RULES_SOURCE];
};

/* When a measure ends. Every condition set must hold. */
struct fk_release_rules {
  int all_tests_negative;    /* every test of the plan negative */
  int negative_tests;        /* at least this many negative tests (0: no such condition) ... */
  int within_days;           /* ... within this many days ... */
  int min_gap_hours;         /* ... taken at least this many hours apart */
  int linked_negative_tests; /* the linked close contact's first this many tests negative (0: none)
                              */
  int on_linked_positive;    /* enum fk_person_cat the person becomes if that contact is positive,
                                or -1 */
  int discharge_criteria;    /* a case: the hospital's discharge criteria */
  char source[FK_RULES_SOURCE];
};

struct fk_measure_rules {
  int applies; /* 0: the edition gives this category no measure (e.g. secondary contacts, 10th) */
  enum fk_anchor anchor;
  int rank; /* strictness: when a person qualifies for several, the highest rank wins */
  int nphases;
  struct fk_phase_rules phases[FK_RULES_MAXPHASES];
  struct fk_release_rules release;
  char source[FK_RULES_SOURCE];
};

/* ---- Risk areas (第九版 §2) ---- */

#define FK_RULES_MAXSTEPS 4

/* One downgrade: after `days` consecutive days without a new infection (and, when screening_day
 * is not 0, everyone negative in the screening on that day of the count) the area becomes `to`. */
struct fk_area_step {
  enum fk_area_level to;
  int days;
  int screening_day;
};

struct fk_area_level_rules {
  int used; /* 0: the edition has no such level (protocol-10 has no medium areas) */
  int nsteps;
  struct fk_area_step steps[FK_RULES_MAXSTEPS]; /* in order; none: lifted with the county */
  char source[FK_RULES_SOURCE];
};

/* How a case designates an area (areas.designate.home and .stayed): the grid it lives in, or
 * the grid of a place where it stayed in its tracing window, gets `level`. The rest of the
 * county is low while it holds a higher area (levels.low). */
struct fk_area_designation {
  int used;                               /* 0: designates nothing (no such key in the file) */
  enum fk_area_level level;               /* above low */
  unsigned char kinds[FK_RULES_MAXKINDS]; /* stayed: 1 for each place kind whose stays count */
  char source[FK_RULES_SOURCE];
};

struct fk_area_rules {
  int restart_on_new_infection; /* 1: a new infection inside restarts the count */
  struct fk_area_level_rules levels[FK_AREA_NLEVELS];
  struct fk_area_designation home, stayed; /* areas.designate; neither used: no area is drawn */
  char designate_source[FK_RULES_SOURCE];
  char source[FK_RULES_SOURCE];
};

/* ---- Health codes ---- */

/* States a code is derived from: a person under the measure of each category, then these. */
enum {
  FK_CODE_STATE_TEST_OVERDUE = FK_PERSON_NCATS, /* a test due and not taken */
  FK_CODE_NSTATES
};

struct fk_code_state_rules {
  enum fk_code code;
  char source[FK_RULES_SOURCE];
};

/* A person's code is the reddest of the codes of the states that hold, else `none`. */
struct fk_code_rules {
  enum fk_code none;                                  /* under no measure and no other state */
  struct fk_code_state_rules states[FK_CODE_NSTATES]; /* indexed by fk_person_cat, then above */
  char source[FK_RULES_SOURCE];
};

/* ---- Tasks, escalation and the entrance check (the loop) ---- */

struct fk_task_rules {
  int used;        /* 0: the rules make no task of this kind */
  int due_minutes; /* notify, transfer, release: after the event; sample: after 00:00 of the
                      due date */
  int kinds[FK_MEASURE_NKINDS];        /* transfer: 1 for each first-phase kind it applies to */
  int kind_minutes[FK_MEASURE_NKINDS]; /* transfer: its deadline per kind (0: due_minutes) */
  char source[FK_RULES_SOURCE];
};

/* An overdue task reaches `level` after_minutes past its due time (grid: 0). */
struct fk_escalation_rules {
  int after_minutes[FK_LEVEL_N]; /* by enum fk_level; -1: the task never reaches that level */
  char source[FK_RULES_SOURCE];
};

/* The four elements at an entrance (测温、扫码、验证、戴口罩). */
struct fk_entrance_rules {
  double fever_celsius; /* a temperature at or above is a fever */
  int mask_required;    /* 1: no mask, no entry */
  int deny_code[3];     /* by enum fk_code: 1 when the code denies entry */
  int deny_area[3];     /* by enum fk_area_level: 1 when a place there denies entry */
  int deny_confined;    /* 1: a measure whose phase confines the person denies entry */
  char source[FK_RULES_SOURCE];
};

struct fk_loop_rules {
  struct fk_task_rules tasks[FK_TASK_NKINDS];
  struct fk_escalation_rules escalation;
  struct fk_entrance_rules entrance;
};

/* ---- Centralized quarantine sites (第九版 §3): who gets which room ---- */

struct fk_site_rules {
  int households_together; /* 1: a household placed together shares a family room where the
                              site allows households; 0: one person a room, always */
  char households_source[FK_RULES_SOURCE];
  int accessible_from_age; /* people this old or older get an accessible room first (0: nobody) */
  char accessible_source[FK_RULES_SOURCE];
  char source[FK_RULES_SOURCE]; /* the section: the nearest site, single rooms, 三区两通道 */
};

/* The daily briefing (fangkong/briefing.h): the deadline a close contact's placement is measured
 * against (第九版: close contacts traced and placed within 24 h of the case being known). */
struct fk_briefing_rules {
  int placed_within_hours;
  char source[FK_RULES_SOURCE];
};

/* ---- The space-time permutation scan (fangkong scan; see fangkong/scan.h) ---- */

struct fk_scan_rules {
  int max_days;                 /* cylinders last 1..max_days days ending on the study's end */
  double max_share;             /* a circle holds at most this share of all cases */
  int replicates;               /* Monte Carlo replicates */
  double seed;                  /* the replicates' seed, a whole number below 2^53 */
  char source[FK_RULES_SOURCE]; /* "" when the rule set has no `scan` section */
};

/* ---- Alerts (预警): which methods watch which signal channels, and the response deadline ---- */

#define FK_ALERT_MAX_SOURCES 16
#define FK_ALERT_MAX_METHODS 4

struct fk_alert_method {
  int method;                     /* enum fk_detect_method */
  struct fk_detect_params params; /* its defaults for daily series, then the rule's params */
};

/* One channel watched: at which levels, by which methods. */
struct fk_alert_source {
  char channel[72];       /* as fangkong/signals.h names channels */
  int levels[FK_LEVEL_N]; /* 1 for each level scanned */
  struct fk_alert_method methods[FK_ALERT_MAX_METHODS];
  int nmethods;
};

struct fk_alert_rules {
  int verify_hours; /* an alert is to be verified within (CIDARS: 24) */
  int scan_days;    /* days before now evaluated by a scan */
  int history_days; /* days of counts before them, for the baselines */
  int join_days;    /* a verified (watch, outbreak) alert takes alarms this many days after its
                       last one; an unverified alert takes every alarm */
  struct fk_alert_source sources[FK_ALERT_MAX_SOURCES];
  int nsources;
  char source[FK_RULES_SOURCE];
};

/* Which of the optional sections the file has (fk_rules.sections). The shipped files have all;
 * a file without one gives no category a measure, no area a level, every person `none`'s code. */
#define FK_RULES_HAS_MEASURES 1u
#define FK_RULES_HAS_AREAS 2u
#define FK_RULES_HAS_CODES 4u
#define FK_RULES_HAS_LOOP 16u     /* tasks, escalation and entrance */
#define FK_RULES_HAS_SITES 8u     /* without it: one person a room, no accessible preference */
#define FK_RULES_HAS_BRIEFING 32u /* without it: the briefing gives no placement share */
#define FK_RULES_HAS_ALERTS 64u   /* without it: no alert scan */

struct fk_rules {
  char name[64];
  char title[256];
  char issued[16]; /* "YYYY-MM-DD", or "" */
  struct fk_trace_rules trace;
  struct fk_companion_rules companion;
  struct fk_measure_rules measures[FK_PERSON_NCATS]; /* indexed by enum fk_person_cat */
  struct fk_area_rules areas;
  struct fk_code_rules codes;
  struct fk_loop_rules loop;

  struct fk_site_rules sites;
  struct fk_briefing_rules briefing;
  struct fk_alert_rules alerts;

  struct fk_scan_rules scan;
  unsigned sections; /* FK_RULES_HAS_* */
};

struct fk_measure_row;

/*
 * The person's code from their measures (as fk_measures_of, fangkong/measures.h, gives them) as of
 * now's date: the states that hold are the category of every active measure not yet past its end,
 * and `test_overdue` when an active measure has a test missed; the code is the reddest of the codes
 * the rules give those states, else rules->codes.none. now FK_TIME_NONE: as the last apply left
 * the state (every active measure counts, whatever its end). reason (size n) says which state
 * decided it, or that none holds.
 */
FK_API enum fk_code fk_person_code(const struct fk_rules *rules, const struct fk_measure_row *m,
                                   int nm, fk_time now, char *reason, size_t n);

/* The number of rules in the set (each a clause with its source), as `rules check` counts. */
FK_API int fk_rules_count(const struct fk_rules *r);

/*
 * Parses a rule set from the n bytes of JSON at text; `origin` names it in messages. Every
 * problem is reported with its path in the file ("trace.kinds.gym.category: must be close or
 * general"): the first in diag, and all of them, one a line, through report (may be NULL).
 * Returns 0, or FK_EPARSE (not JSON), FK_EINVAL (a rule is wrong) or FK_ENOMEM.
 */
FK_API int fk_rules_parse(const char *text, size_t n, const char *origin, struct fk_rules *out,
                          void (*report)(void *arg, const char *path, const char *reason),
                          void *arg, struct fk_diag *diag);

/* Reads and parses the rule set in the file at path (see fk_rules_parse). FK_EIO if unreadable. */
FK_API int fk_rules_load(const char *path, struct fk_rules *out,
                         void (*report)(void *arg, const char *path, const char *reason), void *arg,
                         struct fk_diag *diag);

/* Fills out with the built-in default rule set (protocol-9). Returns 0 (or FK_ENOMEM). */
FK_API int fk_rules_default(struct fk_rules *out);

/* The built-in default's JSON text and its length. */
FK_API const char *fk_rules_default_text(size_t *n);

#endif
