/*
 * The store's side of quarantine sites: raw rows of sites, rooms, stays and waits, and the
 * people whose measures may need a room, as the allocation engine (fangkong/sites.h) reads and
 * writes them. Internal ids and epoch seconds, no text round trips; strings are borrowed for the
 * callback only. Every iterator stops at the first non-zero return of fn and returns it; else 0
 * or FK_ESTORE.
 */
#ifndef FANGKONG_SITE_STORE_H
#define FANGKONG_SITE_STORE_H

#include "fangkong/export.h"

#include <stdint.h>

#include "fangkong/time.h"

struct fk_diag;
struct fk_store;

struct fk_site_row {
  int64_t id;
  const char *site_id, *name, *grid_id;
  double lat, lon;
  int staff, allows_households;
  const char *zones[5]; /* clean, buffer, contaminated zone; staff, resident channel */
};

struct fk_room_row {
  int64_t id, site;
  const char *room_id;
  int kind; /* enum fk_room_kind */
  int beds;
};

/* An active measure and what allocation needs of its person. */
struct fk_need_row {
  int64_t measure, person;
  int category; /* enum fk_person_cat */
  fk_date anchor, placed;
  const char *household_id;
  fk_date birth;
  double lat, lon; /* the home grid's position */
};

struct fk_stay_row {
  int64_t id; /* 0 for a stay not yet stored */
  int64_t person, room;
  int64_t measure;                 /* the measure that sent the person, or 0 */
  fk_time from, to;                /* to: FK_TIME_NONE while open */
  const char *reason, *end_reason; /* end_reason NULL while open */
  /* Filled by the iterators, ignored by fk_store_put_stays: */
  const char *household_id;
  int measure_status; /* enum fk_measure_status, or -1 when the measure is gone */
  int measure_category;
  fk_date anchor, placed;
};

struct fk_wait_row {
  int64_t id; /* 0 for a wait not yet stored */
  int64_t person, measure;
  int64_t site;         /* the nearest site, or 0 */
  fk_time since, until; /* until: FK_TIME_NONE while waiting */
  const char *end_reason;
};

/* Which stays or waits an iterator gives. */
enum fk_stay_view {
  FK_STAYS_OPEN,    /* still open */
  FK_STAYS_OF,      /* of one person (all, in id order) */
  FK_STAYS_BETWEEN, /* overlapping [t0, t1): begun before t1, not ended by t0 */
};

FK_API int fk_store_each_site(struct fk_store *st,
                              int (*fn)(void *arg, const struct fk_site_row *row), void *arg);
FK_API int fk_store_each_room(struct fk_store *st,
                              int (*fn)(void *arg, const struct fk_room_row *row), void *arg);
/* The active measures, with their person's household, birth date and home position. */
FK_API int fk_store_each_need(struct fk_store *st,
                              int (*fn)(void *arg, const struct fk_need_row *row), void *arg);
/* Stays or waits of the view; person is read by FK_STAYS_OF, t0 and t1 by FK_STAYS_BETWEEN. */
FK_API int fk_store_each_stay(struct fk_store *st, enum fk_stay_view view, int64_t person,
                              fk_time t0, fk_time t1,
                              int (*fn)(void *arg, const struct fk_stay_row *row), void *arg);
FK_API int fk_store_each_wait(struct fk_store *st, enum fk_stay_view view, int64_t person,
                              fk_time t0, fk_time t1,
                              int (*fn)(void *arg, const struct fk_wait_row *row), void *arg);

/* What changes when site stays are stored: the highest stay id and how many have ended. */
struct fk_stays_version {
  int64_t last_id, ended;
};

/* Sets *out to the stays' version (0, 0 when there are none): equal versions mean no stay was
   added or ended in between (stays are only added and ended: fk_store_put_stays). Returns 0
   or FK_ESTORE. */
FK_API int fk_store_stays_version(struct fk_store *st, struct fk_stays_version *out);

/*
 * Stores n stays or waits (rows[0..n), borrowed): inserts each whose id is 0 (setting its id),
 * else records its end (to / until and end_reason). One statement serves the batch. Call inside
 * a transaction. Returns 0 or FK_ESTORE (diag says why).
 */
FK_API int fk_store_put_stays(struct fk_store *st, struct fk_stay_row *rows, int n,
                              struct fk_diag *diag);
FK_API int fk_store_put_waits(struct fk_store *st, struct fk_wait_row *rows, int n,
                              struct fk_diag *diag);

#endif
