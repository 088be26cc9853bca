/*
 * The daily briefing for the leadership meeting (每日简报): the figures of the day that ends at
 * `now` (the 24 hours (now - 1 day, now]) and of today (now's civil date, UTC+8), read from the
 * store as the last tick left it -- run `fangkong tick --now T` first. docs/BRIEFING.md defines
 * every figure and its JSON key.
 *
 * Cost: the cases, the measures ever placed, the open tasks, the stored areas and sites, and the
 * entrance checks of the day (an index on their time); nothing grows with the city's people,
 * places or check-ins.
 */
#ifndef FANGKONG_BRIEFING_H
#define FANGKONG_BRIEFING_H

#include "fangkong/export.h"

#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/time.h"

struct fk_diag;

struct fk_briefing_cases {
  long new_cases;        /* sampled in the day */
  long new_confirmed;    /* of them, confirmed */
  long new_asymptomatic; /* of them, asymptomatic */
  long total;            /* sampled by now */
};

/* Close contacts placed in the day and how soon after their case was known. */
struct fk_briefing_contacts {
  long close_placed;     /* close-contact measures placed in the day */
  long secondary_placed; /* secondary-contact measures placed in the day */
  long close_on_time;    /* close contacts placed within rules->briefing.placed_within_hours of
                            their case's positive sample */
  long close_late;       /* placed later than that */
  long close_unlinked;   /* whose case could not be found (neither on time nor late) */
  int within_hours;      /* the deadline from the rules; 0: the rules have none */
  double share;          /* close_on_time / close_placed, or -1 when it cannot be said */
};

/* Active measures by category and the kind of the phase they are in today. */
struct fk_briefing_measures {
  long total;
  long by_category[FK_PERSON_NCATS];
  long by_kind[FK_MEASURE_NKINDS];
  long cell[FK_PERSON_NCATS][FK_MEASURE_NKINDS];
};

/* Tests of the active measures. */
struct fk_briefing_tests {
  long due_today;        /* due today */
  long done_today;       /* of them, taken (negative or positive) */
  long open_today;       /* of them, not yet taken */
  long missed_yesterday; /* due yesterday and not taken */
  long missed_open;      /* every missed test of an active measure */
};

/* Open tasks past their due time in one district. */
struct fk_briefing_district {
  char district[FK_AREA_ID]; /* the district's name; "" when a task's grid has none */
  long overdue;
  long by_level[FK_LEVEL_N]; /* by enum fk_level: where each stands now */
};

/* A risk area in force today. */
struct fk_briefing_area {
  char area_id[FK_AREA_ID];
  int kind;  /* enum fk_area_kind */
  int level; /* enum fk_area_level */
  fk_date since;
  fk_date lifts_on; /* FK_DATE_NONE when none is projected */
};

/* A quarantine site at now. */
struct fk_briefing_site {
  char site_id[72];
  int rooms, rooms_occupied, beds, persons, waiting;
};

struct fk_briefing_entrance {
  long checks, passed, denied, fevers; /* entrance checks in the day */
};

struct fk_briefing {
  fk_time now, from; /* the day: from < t <= now */
  fk_date today;
  struct fk_briefing_cases cases;
  struct fk_briefing_contacts contacts;
  struct fk_briefing_measures measures;
  struct fk_briefing_tests tests;
  long tasks_open, tasks_overdue;
  struct fk_briefing_district *districts; /* by name; ndistricts of them */
  int ndistricts;
  long areas_in_force[FK_AREA_NLEVELS];
  struct fk_briefing_area *areas; /* by level, highest first, then area_id; nareas of them */
  int nareas;
  struct fk_briefing_site *sites; /* in the store's order; nsites of them */
  int nsites;
  long site_rooms, site_rooms_occupied, site_beds, site_persons, site_waiting;
  long unsited; /* waiting with no site to point at */
  struct fk_briefing_entrance entrance;
};

/*
 * Works out the briefing as of now into *out (caller-owned; free its arrays with
 * fk_briefing_free, also after a failure).
 *   st     the store (borrowed)
 *   rules  the rule set: measures' phases, the briefing's placement deadline (borrowed)
 * Returns 0, FK_ENOMEM or FK_ESTORE (diag says why).
 */
FK_API int fk_briefing(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                       struct fk_briefing *out, struct fk_diag *diag);

/* Frees what fk_briefing allocated in b (the struct itself is the caller's). */
FK_API void fk_briefing_free(struct fk_briefing *b);

#endif
