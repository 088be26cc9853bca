/*
 * Signal series from the store (fangkong/signals.h): the counts of a channel per day and region
 * at a level, laid out as struct fk_counts so that every detection method runs over them as
 * over a counts file.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/vocab.h"
#include "fangkong/signals.h"

#define MAX_CELLS (1u << 27) /* series x days held in memory, as counts files */
#define CITY_DAYS 36525      /* a span without bounds: a century of days */

int fk_signal_channel(const char *channel, enum fk_signal_source *source, const char **arg)
{
  static const char *const fixed[] = {"fever_clinic",   "",         "school_absence",
                                      "entrance_fever", "positive", "positive_pool"};
  size_t n = channel ? strlen(channel) : 0;
  *arg = NULL;
  if (n < 1 || n > 64 ||
      strspn(channel, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                      "qrstuvwxyz_.:-") != n)
    return FK_EINVAL;
  for (int s = 0; s < FK_SIGNAL_COUNTS; s++)
    if (fixed[s][0] && !strcmp(channel, fixed[s])) return *source = (enum fk_signal_source)s, 0;
  if (!strncmp(channel, "pharmacy_", 9)) {
    if (fk_vocab_index(fk_drug_classes, channel + 9) < 0) return FK_EINVAL;
    return *source = FK_SIGNAL_PHARMACY, *arg = channel + 9, 0;
  }
  *source = FK_SIGNAL_COUNTS;
  *arg = channel;
  return 0;
}

/* The counted cells as they come from the store, and the regions seen. */
struct cell {
  fk_date day;
  int64_t region;
  double n;
};

struct region {
  int64_t id;
  char *code;    /* owned until handed to a series */
  size_t series; /* its index among the series */
};

struct gather {
  int city; /* 1: every region is the city */
  struct cell *c;
  size_t n, cap;
  struct region *r;
  size_t nr, capr;
};

static int add_region(struct gather *g, int64_t id, const char *code)
{
  for (size_t i = g->nr; i-- > 0;) /* rows come by day, so a region recurs within a day's rows */
    if (g->r[i].id == id) return 0;
  if (g->nr == g->capr) {
    size_t cap = g->capr ? g->capr * 2 : 64;
    struct region *p = fk_realloc(g->r, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    g->r = p, g->capr = cap;
  }
  size_t len = strlen(code);
  char *s = fk_malloc(len + 1);
  if (!s) return FK_ENOMEM;
  memcpy(s, code, len + 1);
  g->r[g->nr++] = (struct region){id, s, 0};
  return 0;
}

static int gather(void *arg, fk_date day, int64_t region, const char *code, double n)
{
  struct gather *g = arg;
  if (g->city) region = 0, code = "city";
  if (g->n == g->cap) {
    size_t cap = g->cap ? g->cap * 2 : 256;
    struct cell *p = fk_realloc(g->c, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    g->c = p, g->cap = cap;
  }
  g->c[g->n++] = (struct cell){day, region, n};
  return g->nr && g->r[g->nr - 1].id == region ? 0 : add_region(g, region, code);
}

static int by_code(const void *a, const void *b)
{
  return strcmp(((const struct region *)a)->code, ((const struct region *)b)->code);
}

static int by_id(const void *a, const void *b)
{
  int64_t x = ((const struct region *)a)->id, y = ((const struct region *)b)->id;
  return x < y ? -1 : x > y;
}

/* Lays the cells out as series over from..to; takes the region codes into c. */
static int lay_out(struct gather *g, const char *channel, fk_date from, fk_date to,
                   struct fk_counts *c, int64_t *ids)
{
  size_t len = strlen(channel);
  qsort(g->r, g->nr, sizeof *g->r, by_code);
  c->start = from, c->step = 1, c->n = (size_t)(to - from + 1);
  if (!(c->series = fk_calloc(g->nr, sizeof *c->series))) return FK_ENOMEM;
  for (size_t i = 0; i < g->nr; i++) {
    struct fk_counts_series *s = &c->series[i];
    s->region_id = g->r[i].code, g->r[i].code = NULL;
    c->nseries = i + 1;
    s->channel = fk_malloc(len + 1);
    s->observed = fk_calloc(c->n, sizeof *s->observed);
    if (!s->channel || !s->observed) return FK_ENOMEM;
    memcpy(s->channel, channel, len + 1);
    if (ids) ids[i] = g->r[i].id;
    g->r[i].series = i;
  }
  qsort(g->r, g->nr, sizeof *g->r, by_id);
  for (size_t k = 0; k < g->n; k++) {
    struct region key = {g->c[k].region, NULL, 0};
    const struct region *r = bsearch(&key, g->r, g->nr, sizeof *g->r, by_id);
    assert(r);
    if (g->c[k].day >= from && g->c[k].day <= to)
      c->series[r->series].observed[g->c[k].day - from] += g->c[k].n;
  }
  return 0;
}

/* The first and last days with a cell. */
static void span(const struct gather *g, fk_date *from, fk_date *to)
{
  fk_date lo = g->c[0].day, hi = g->c[0].day;
  for (size_t k = 1; k < g->n; k++) {
    if (g->c[k].day < lo) lo = g->c[k].day;
    if (g->c[k].day > hi) hi = g->c[k].day;
  }
  if (*from == FK_DATE_NONE) *from = lo;
  if (*to == FK_DATE_NONE) *to = hi;
}

int fk_signal_counts(struct fk_store *st, const char *channel, int level, fk_date from, fk_date to,
                     struct fk_counts **out, int64_t **regions, struct fk_diag *diag)
{
  struct fk_signal_query q;
  struct gather g = {level == FK_LEVEL_CITY, NULL, 0, 0, NULL, 0, 0};
  struct fk_counts *c = NULL;
  int64_t *ids = NULL;
  int rc;
  assert(st && out);
  *out = NULL;
  if (regions) *regions = NULL;
  if (fk_signal_channel(channel, &q.source, &q.arg))
    return fk_diag_set(diag, FK_EINVAL, "channel", "unknown channel '%.64s'", channel);
  if (level < FK_LEVEL_CITY || level > FK_LEVEL_GRID)
    return fk_diag_set(diag, FK_EINVAL, "level", "level must be city .. grid");
  if (from != FK_DATE_NONE && to != FK_DATE_NONE && to < from)
    return fk_diag_set(diag, FK_EINVAL, "to", "the last day is before the first");
  q.level = level == FK_LEVEL_CITY ? FK_LEVEL_DISTRICT : level;
  q.from = from != FK_DATE_NONE ? from : to != FK_DATE_NONE ? to - CITY_DAYS : 0;
  q.to = to != FK_DATE_NONE ? to : q.from + CITY_DAYS;
  if ((rc = fk_store_each_signal(st, &q, gather, &g))) {
    if (rc == FK_ESTORE)
      fk_diag_set(diag, rc, NULL, "counting %s: %s", channel, fk_store_errmsg(st));
    goto out;
  }
  if (!g.n) {
    rc = fk_diag_set(diag, FK_ENOTFOUND, "channel", "no %s counted at level %s", channel,
                     fk_levels[level]);
    goto out;
  }
  span(&g, &from, &to);
  if ((uint64_t)(to - from + 1) * g.nr > MAX_CELLS) {
    rc = fk_diag_set(diag, FK_ERANGE, NULL, "%zu series x %d days exceed 2^27 counts", g.nr,
                     to - from + 1);
    goto out;
  }
  if (!(c = fk_calloc(1, sizeof *c)) || (regions && !(ids = fk_calloc(g.nr, sizeof *ids))) ||
      (rc = lay_out(&g, channel, from, to, c, ids))) {
    rc = rc ? rc : FK_ENOMEM;
    goto out;
  }
  *out = c, c = NULL;
  if (regions) *regions = ids, ids = NULL;
out:
  for (size_t i = 0; i < g.nr; i++)
    fk_free(g.r[i].code);
  fk_free(g.r);
  fk_free(g.c);
  fk_free(ids);
  fk_counts_free(c);
  return rc;
}
