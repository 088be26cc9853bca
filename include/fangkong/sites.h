/*
 * Centralized quarantine sites (集中隔离点): who is in which room, who waits for one, and how
 * full each site is on each day.
 *
 * Sites and rooms come in as feeds (sites.csv, rooms.csv; docs/FORMATS.md). fk_sites_allocate
 * gives a room to everyone whose measure is, as of `now`, in a centralized-quarantine phase and
 * who has none: at the nearest site (great-circle distance from the home grid) with a room that
 * suits them; a household together in a family room when the rules and the site allow it; an
 * accessible room for those the rules say need one (by age); never a stranger in the same room.
 * When no room is free anywhere the person is recorded as waiting, with the nearest site as
 * where the demand is. A stay ends when the centralized phase ends (at 00:00 after its last day),
 * or when the measure was released or superseded (at `now`: e.g. the person became a case and
 * went to hospital). Policy lives in the rule set's `sites` section (docs/SITES.md).
 *
 * Cost: one pass over the active measures, the open stays and waits, and the sites and rooms;
 * it grows with the people under measure and the rooms, not with the city. Running it twice with
 * the same `now` writes nothing. It does not move anyone who already has a room, and assumes
 * runs go forward in time (a `now` before a stay began is not undone).
 */
#ifndef FANGKONG_SITES_H
#define FANGKONG_SITES_H

#include "fangkong/export.h"

#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;
struct fk_store;

/* Room kinds, as fk_room_kinds names them (feed.h). */
struct fk_sites_stats {
  long need;       /* persons whose current phase is centralized quarantine as of now */
  long housed;     /* of them, in a room after the run */
  long admitted;   /* stays opened by this run */
  long together;   /* of them, with members of their household in the same room */
  long discharged; /* stays closed by this run */
  long waiting;    /* persons waiting for a room after the run */
  long new_waits;  /* of them, waiting since this run */
  long written;    /* rows written (0 when nothing changed) */
};

/*
 * Allocates rooms as of now (see the top of this file) and writes stays and waits to the store
 * in one transaction.
 *   st     the store (borrowed)
 *   rules  the rule set whose `measures` give the phases and whose `sites` give the policy
 *          (borrowed)
 *   now    the time of the run; stays begin at now
 *   stats  filled (may be NULL)
 * Returns 0, FK_ENOMEM or FK_ESTORE (diag says why); on failure nothing is written.
 */
FK_API int fk_sites_allocate(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                             struct fk_sites_stats *stats, struct fk_diag *diag);

#define FK_SITE_ZONES 5 /* clean, buffer, contaminated zone; staff, resident channel */

/* One site and how full it is at an instant. */
struct fk_site_status {
  int64_t id;
  char site_id[72], grid_id[72];
  char name[136];
  char zones[FK_SITE_ZONES][260]; /* 三区两通道 as the feed describes them */
  double lat, lon;
  int staff, allows_households;
  int rooms[FK_ROOM_NKINDS]; /* rooms by kind */
  int nrooms, beds;
  int rooms_occupied; /* rooms with someone in them */
  int persons;        /* people in the site */
  int rooms_free;     /* nrooms - rooms_occupied */
  int waiting;        /* people waiting for a room whose nearest site this is */
};

/*
 * Every site in id order with its occupancy at instant `at` (FK_TIME_NONE: the stays and waits
 * still open). *out is allocated (caller frees with fk_free), *n sites; *unsited (may be NULL)
 * gets the people waiting with no site to point at (the store has none). Returns 0, FK_ENOMEM
 * or FK_ESTORE (diag says why).
 */
FK_API int fk_sites_status(struct fk_store *st, fk_time at, struct fk_site_status **out, int *n,
                           long *unsited, struct fk_diag *diag);

/* One site on one day: the census at the end of the day (24:00), and the day's movements. */
struct fk_site_day {
  int site; /* index into the fk_sites_status array of the same store */
  fk_date date;
  int persons, rooms_occupied, rooms_free; /* at the end of the day */
  int admitted, discharged;                /* stays begun / ended during the day */
  int waiting;                             /* waiting at the end of the day */
};

/*
 * Occupancy per site and day for the dates from..to (at most 366 days): *out gets nsites x
 * ndays entries, site by site, day by day (caller frees with fk_free); sites are those of
 * fk_sites_status (its *n), in the same order. Returns 0, FK_EINVAL (to before from, or too
 * long a range), FK_ENOMEM or FK_ESTORE (diag says why).
 */
FK_API int fk_sites_occupancy(struct fk_store *st, fk_date from, fk_date to,
                              struct fk_site_day **out, int *n, struct fk_diag *diag);

/* A person's stay (or wait) at a site. */
struct fk_site_stay {
  int waiting; /* 1: waiting for a room (room_id empty, site_id the nearest, may be empty) */
  char site_id[72], room_id[72];
  char site_name[136];
  int room_kind;    /* enum fk_room_kind */
  fk_time from, to; /* to: FK_TIME_NONE while still there (or still waiting) */
  char reason[256], end_reason[256];
};

/*
 * The person's (internal id) stay in force at `at` (FK_TIME_NONE: the one still open), else
 * their wait in force then, else their latest stay. Returns 0 with *out filled, FK_ENOTFOUND when
 * the person never had a stay nor a wait, FK_ESTORE (diag says why).
 */
FK_API int fk_sites_stay_of(struct fk_store *st, int64_t person, fk_time at,
                            struct fk_site_stay *out, struct fk_diag *diag);

#endif
