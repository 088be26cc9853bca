/*
 * The scan's input from the store: grids are the locations, and each case counts at its home
 * grid on its onset date (or the day it was sampled, when it has none). Read through the
 * feed-level fk_store_scan, as stored text, so no store operation is added for the scan.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "detect/scan_impl.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/store.h"

struct grids {
  struct fk_scan_input *in;
  int id, lat, lon;
  struct fk_diag *diag;
};

/* A stored grid as a location. Returns 0, or FK_ENOMEM / FK_ERANGE (stops the scan). */
static int grid_row(void *arg, const char *const *cells)
{
  struct grids *g = arg;
  const char *id = cells[g->id];
  if (!id || !cells[g->lat] || !cells[g->lon]) return 0; /* the store requires them */
  int rc = fk_scan_add_location(g->in, id, strlen(id), strtod(cells[g->lat], NULL),
                                strtod(cells[g->lon], NULL), g->diag);
  return rc == FK_EDUP ? 0 : rc;
}

int fk_scan_load_grids(struct fk_scan_input *in, struct fk_store *st, struct fk_diag *diag)
{
  const struct fk_feed *f = fk_feed_get(FK_FEED_GRIDS);
  struct grids g = {in, fk_feed_column(f, "grid_id"), fk_feed_column(f, "lat"),
                    fk_feed_column(f, "lon"), diag};
  assert(in && st && g.id >= 0 && g.lat >= 0 && g.lon >= 0);
  int rc = fk_store_scan(st, f, grid_row, &g);
  if (rc == FK_ESTORE) fk_diag_set(diag, rc, NULL, "reading grids: %s", fk_store_errmsg(st));
  return rc;
}

struct cases {
  struct fk_scan_input *in;
  struct fk__strmap day; /* person_id -> day of the case */
  int person, onset, sampled, grid;
  struct fk_diag *diag;
};

/* Remembers a stored case's day by person. Returns 0 or FK_ENOMEM. */
static int case_row(void *arg, const char *const *cells)
{
  struct cases *c = arg;
  const char *person = cells[c->person], *onset = cells[c->onset], *sampled = cells[c->sampled];
  fk_date day;
  fk_time at;
  if (!person) return 0;
  if (!onset || fk_date_parse(onset, strlen(onset), &day, NULL)) {
    if (!sampled || fk_time_parse(sampled, strlen(sampled), &at, NULL))
      return 0; /* the store holds a sampling time for every case */
    day = fk_time_date(at);
  }
  if (fk__strmap_put(&c->day, person, strlen(person), day))
    return fk_diag_set(c->diag, FK_ENOMEM, NULL, "out of memory reading cases");
  return 0;
}

/* Counts the case of a person, if any, at the person's grid. Returns 0 or FK_ENOMEM. */
static int person_row(void *arg, const char *const *cells)
{
  struct cases *c = arg;
  const char *person = cells[c->person], *grid = cells[c->grid];
  int64_t day;
  long loc;
  if (!person || !grid || !fk__strmap_get(&c->day, person, strlen(person), &day)) return 0;
  if ((loc = fk_scan_find_location(c->in, grid, strlen(grid))) < 0) return 0;
  if (fk_scan_add_cases(c->in, (size_t)loc, (fk_date)day, 1))
    return fk_diag_set(c->diag, FK_ENOMEM, NULL, "out of memory adding cases");
  return 0;
}

int fk_scan_load_cases(struct fk_scan_input *in, struct fk_store *st, struct fk_diag *diag)
{
  const struct fk_feed *cf = fk_feed_get(FK_FEED_CASES), *pf = fk_feed_get(FK_FEED_PERSONS);
  struct cases c = {.in = in,
                    .person = fk_feed_column(cf, "person_id"),
                    .onset = fk_feed_column(cf, "onset_date"),
                    .sampled = fk_feed_column(cf, "sampled_at"),
                    .diag = diag};
  int rc;
  assert(in && st && c.person >= 0 && c.onset >= 0 && c.sampled >= 0);
  fk__strmap_init(&c.day);
  if ((rc = fk_store_scan(st, cf, case_row, &c))) goto out;
  if (!c.day.count) goto out; /* no cases: no need to read the persons */
  c.person = fk_feed_column(pf, "person_id");
  c.grid = fk_feed_column(pf, "grid_id");
  assert(c.person >= 0 && c.grid >= 0);
  rc = fk_store_scan(st, pf, person_row, &c);
out:
  if (rc == FK_ESTORE) fk_diag_set(diag, rc, NULL, "reading cases: %s", fk_store_errmsg(st));
  fk__strmap_clear(&c.day);
  return rc;
}
