/*
 * What the files of quarantine-site allocation share (src/loop/sites*.c): the in-memory picture
 * of sites and rooms, and small pure helpers. Internal: nothing here is part of the library's
 * promise.
 */
#ifndef FK_LOOP_SITES_IMPL_H
#define FK_LOOP_SITES_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/sites.h"
#include "fangkong/time.h"

#define FK__HOUSEHOLD_MAX 72 /* identifiers are at most 64 bytes */

struct fk__site {
  int64_t id;
  double lat, lon;
  int allows_households;
  int nfree[FK_ROOM_NKINDS];  /* free rooms of each kind */
  int *rooms[FK_ROOM_NKINDS]; /* room indexes of each kind, by beds then id */
  int nrooms[FK_ROOM_NKINDS];
  int cursor[FK_ROOM_NKINDS]; /* rooms before it (of a 1-bed need) are taken */
};

struct fk__room {
  int64_t id;
  int site; /* index into the site array */
  int kind; /* enum fk_room_kind */
  int beds;
  int occupants;
  char household[FK__HOUSEHOLD_MAX]; /* of the occupants ("" when empty) */
};

struct fk__sites {
  struct fk__site *site;
  int nsites, capsites;
  struct fk__room *room; /* in id order */
  int nrooms, caprooms;
};

/*
 * Loads every site and room of the store into s (zeroed by the caller), occupants 0 and the
 * per-kind lists empty. Returns 0, FK_ENOMEM or FK_ESTORE.
 */
int fk__sites_load(struct fk_store *st, struct fk__sites *s);
/* Fills each site's per-kind room lists (by beds, then id) from s->room and counts the free. */
int fk__sites_index(struct fk__sites *s);
/* Frees what fk__sites_load and fk__sites_index allocated. */
void fk__sites_free(struct fk__sites *s);
/* The index of the room with internal id `id` in s->room, or -1. */
int fk__sites_room_at(const struct fk__sites *s, int64_t id);
/* The index of the site with internal id `id`, or -1. */
int fk__sites_site_at(const struct fk__sites *s, int64_t id);

/*
 * The index of the phase of plan current on `today` (the first not yet over; the first before
 * it starts), or -1 when every phase is over.
 */
struct fk_plan;
int fk__phase_on(const struct fk_plan *p, fk_date today);

/* Age in whole years on `on` of someone born on `birth`. */
int fk__age_years(fk_date birth, fk_date on);

#endif
