/*
 * The writer's part of a posted feed (POST /v1/feeds/{kind}): a batch of validated rows stored
 * in the writer's transaction as `fangkong import` stores them (fk_store_put, the same tally),
 * after each row is placed in the hierarchy and refused when it lies outside the token's node.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/token_store.h"
#include "ingest/reader.h"
#include "server/server.h"

/* The column that places a row of each feed in the hierarchy, and the feed it names (for
 * FK_FEED_GRIDS a region's code). The grids feed has none: its rows shape the hierarchy, so
 * only a city-wide token may post them. */
static const struct {
  enum fk_feed_id feed;
  const char *col;
  enum fk_feed_id names;
  const char *what;
} anchors[] = {
    {FK_FEED_PERSONS, "grid_id", FK_FEED_GRIDS, "grid"},
    {FK_FEED_PLACES, "grid_id", FK_FEED_GRIDS, "grid"},
    {FK_FEED_SITES, "grid_id", FK_FEED_GRIDS, "grid"},
    {FK_FEED_ROOMS, "site_id", FK_FEED_SITES, "site"},
    {FK_FEED_CHECKINS, "place_id", FK_FEED_PLACES, "place"},
    {FK_FEED_CASES, "person_id", FK_FEED_PERSONS, "person"},
    {FK_FEED_SAMPLES, "person_id", FK_FEED_PERSONS, "person"},
    {FK_FEED_ARRIVALS, "person_id", FK_FEED_PERSONS, "person"},
    {FK_FEED_VACCINATIONS, "person_id", FK_FEED_PERSONS, "person"},
    {FK_FEED_PINGS, "person_id", FK_FEED_PERSONS, "person"},
    {FK_FEED_DUTY, "unit", FK_FEED_GRIDS, "unit"},
    {FK_FEED_CLINIC_VISITS, "place_id", FK_FEED_PLACES, "place"},
    {FK_FEED_PHARMACY_SALES, "place_id", FK_FEED_PLACES, "place"},
    {FK_FEED_SCHOOL_ABSENCES, "place_id", FK_FEED_PLACES, "place"},
    {FK_FEED_COUNTS, "region_id", FK_FEED_GRIDS, "region"},
};
#define NANCHORS (sizeof anchors / sizeof anchors[0])

/* The last key placed, so that a run of rows of one place costs one lookup. */
struct placed {
  char key[176];
  int in;
};

/* Whether key (NUL-terminated) names the batch's site (a site token's own): *in. */
static int own_site(struct fk_store *st, const struct fk__feed_batch *b, const char *key, int *in)
{
  int64_t site, grid;
  int rc = fk_store_site_by_code(st, key, &site, &grid);
  *in = !rc && site == b->site;
  return rc;
}

/* 0 when row lies in the batch's node (or the node is the city; for a site token, names its
 * site), else FK_ENOTFOUND saying so: the same words for a key outside the node and a key naming
 * nothing, so a token learns nothing of what lies outside its node. FK_ESTORE on a store error. */
static int in_node(struct fk_store *st, const struct fk__feed_batch *b, const struct fk_value *row,
                   struct placed *last, struct fk_diag *why)
{
  size_t a = 0;
  int c, rc, site;
  if (!b->scope) return 0;
  while (a < NANCHORS && anchors[a].feed != b->feed->id)
    a++;
  if (a == NANCHORS)
    return fk_diag_set(why, FK_ENOTFOUND, NULL,
                       "%s shape the hierarchy: only a city-wide token may post them",
                       b->feed->name);
  site = b->site && (b->feed->id == FK_FEED_SITES || b->feed->id == FK_FEED_ROOMS);
  c = fk_feed_column(b->feed, site ? "site_id" : anchors[a].col);
  if (row[c].n >= sizeof last->key)
    return fk_diag_set(why, FK_ENOTFOUND, anchors[a].col, "too long to lie in this node");
  if (strlen(last->key) != row[c].n || memcmp(last->key, row[c].s, row[c].n)) {
    memcpy(last->key, row[c].s, row[c].n);
    last->key[row[c].n] = '\0';
    rc = site ? own_site(st, b, last->key, &last->in)
              : fk_store_key_in(st, anchors[a].names, last->key, b->scope, &last->in);
    if (rc) {
      last->key[0] = '\0';
      return fk_diag_set(why, rc, NULL, "store: %s", fk_store_errmsg(st));
    }
  }
  if (last->in) return 0;
  if (site)
    return fk_diag_set(why, FK_ENOTFOUND, "site_id", "not this token's site: %s (非本隔离点)",
                       last->key);
  return fk_diag_set(why, FK_ENOTFOUND, anchors[a].col,
                     "no %s %s in this token's node (不在本辖区)", anchors[a].what, last->key);
}

/* The post's audit row: who (job->audit), the feed, and its tally with this batch's. */
static int audit(struct fk_store *st, struct fk__job *j)
{
  const struct fk__feed_batch *b = j->batch;
  const struct fk_import_stats *s = &b->before, *t = &b->stats;
  snprintf(j->audit.object, sizeof j->audit.object,
           "feed %s: read %ld, stored %ld, duplicate %ld, rejected %ld", b->feed->name, s->read,
           s->stored + t->stored, s->duplicate + t->duplicate, s->rejected + t->rejected);
  return fk_store_put_audit(st, &j->audit);
}

int fk__feed_store(struct fk_store *st, struct fk__job *j)
{
  struct fk__feed_batch *b = j->batch;
  struct placed last = {{0}, 0};
  struct fk_diag why;
  int rc = fk_store_begin(st), ncols = b->feed->ncols;
  memset(&b->stats, 0, sizeof b->stats);
  b->rejects.n = 0;
  if (rc) return fk_diag_set(&j->diag, rc, NULL, "store: %s", fk_store_errmsg(st));
  for (int i = 0; !rc && i < b->n; i++) {
    const struct fk_value *row = b->rows + (size_t)i * (size_t)ncols;
    fk_diag_clear(&why);
    if (!(rc = in_node(st, b, row, &last, &why))) rc = fk_store_put(st, b->feed, row, &why);
    if ((rc = fk__ingest_tally(&b->stats, rc)) > 0)
      fk__feed_reject_add(&b->rejects, b->line[i], &why);
    if (rc > 0) rc = 0;
  }
  if (!rc && b->final) rc = audit(st, j);
  if (rc) {
    fk_diag_set(&j->diag, rc, NULL, "storing %s: %s", b->feed->name,
                why.reason[0] ? why.reason : fk_store_errmsg(st));
    fk_store_rollback(st);
    memset(&b->stats, 0, sizeof b->stats);
    b->rejects.n = 0;
    return rc;
  }
  return fk_store_commit(st)
             ? fk_diag_set(&j->diag, FK_ESTORE, NULL, "store: %s", fk_store_errmsg(st))
             : 0;
}

void fk__feed_reject_add(struct fk__feed_rejects *l, long line, const struct fk_diag *why)
{
  int i;
  if (l->n == FK__FEED_REJECTS && line >= l->r[l->n - 1].line) return;
  if (l->n < FK__FEED_REJECTS) l->n++;
  for (i = l->n - 1; i > 0 && l->r[i - 1].line > line; i--) /* insertion, lowest line first */
    l->r[i] = l->r[i - 1];
  l->r[i].line = line;
  snprintf(l->r[i].field, sizeof l->r[i].field, "%s", why->field);
  snprintf(l->r[i].reason, sizeof l->r[i].reason, "%s", why->reason);
}
