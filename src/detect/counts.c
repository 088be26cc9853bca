/*
 * counts.csv: signal counts by date, region and channel (date, region_id, channel, count), read
 * with the feed readers (CSV or NDJSON, quoting, BOM, capped records) and laid out as series on
 * one date axis. Each series spans the whole file, a date without a row counting 0, because
 * feeds of counts commonly leave out the zeros. A bad row is reported and skipped; a second
 * count for the same series and date is a bad row (the first one stands).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/strmap.h"
#include "fangkong/alloc.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ingest.h"
#include "ingest/reader.h"

#define MAX_DAYS 36525       /* a hundred years */
#define MAX_SERIES 100000    /* region x channel pairs in one file */
#define MAX_CELLS (1u << 27) /* series x dates held in memory: 1 GiB of counts */

enum { COL_DATE, COL_REGION, COL_CHANNEL, COL_COUNT };

static const struct fk_column columns[] = {
    {"date", FK_COL_DATE, FK_COL_REQUIRED, FK_FEED_NONE, 0, 0, 0, 0, NULL},
    {"region_id", FK_COL_TEXT, 0, FK_FEED_NONE, 0, 256, 0, 0, NULL},
    {"channel", FK_COL_ID, 0, FK_FEED_NONE, 0, 0, 0, 0, NULL},
    {"count", FK_COL_INT, FK_COL_REQUIRED, FK_FEED_NONE, 0, 1000000000, 0, 0, NULL},
};
static const struct fk_feed counts_feed = {FK_FEED_NONE, "counts", columns, 4, NULL};

struct row {
  uint32_t series;
  fk_date date;
  double count;
  long line;
};

struct parse {
  const char *name;
  fk_counts_reject_fn on_reject;
  void *arg;
  long *nrejected;
  struct fk__strmap keys; /* "region\x1fchannel" -> series index */
  struct fk_counts_series *series;
  size_t nseries, cap_series;
  struct row *rows;
  size_t nrows, cap_rows;
};

static void reject(struct parse *ps, long line, struct fk_diag *why)
{
  snprintf(why->file, sizeof why->file, "%s", ps->name);
  why->line = line;
  (*ps->nrejected)++;
  if (ps->on_reject) ps->on_reject(ps->arg, why);
}

static int grow(void **items, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap) return 0;
  size_t ncap = *cap ? *cap * 2 : 256;
  void *p = fk_realloc(*items, ncap * size);
  if (!p) return FK_ENOMEM;
  *items = p, *cap = ncap;
  return 0;
}

/* The series of (region, channel), made on first sight; returns 0, FK_ENOMEM or FK_ERANGE. */
static int series_of(struct parse *ps, const struct fk_value *region,
                     const struct fk_value *channel, uint32_t *out, struct fk_diag *why)
{
  char key[512];
  int len =
      snprintf(key, sizeof key, "%.*s\x1f%.*s", (int)region->n, region->present ? region->s : "",
               (int)channel->n, channel->present ? channel->s : "");
  int64_t v;
  if (fk__strmap_get(&ps->keys, key, (size_t)len, &v)) return *out = (uint32_t)v, 0;
  if (ps->nseries >= MAX_SERIES)
    return fk_diag_set(why, FK_ERANGE, "region_id", "more than %d series in one file", MAX_SERIES);
  if (grow((void **)&ps->series, &ps->cap_series, ps->nseries + 1, sizeof *ps->series))
    return FK_ENOMEM;
  struct fk_counts_series *s = &ps->series[ps->nseries];
  s->region_id = fk_strndup(region->present ? region->s : "", region->present ? region->n : 0);
  s->channel = fk_strndup(channel->present ? channel->s : "", channel->present ? channel->n : 0);
  s->observed = NULL;
  if (!s->region_id || !s->channel ||
      fk__strmap_put(&ps->keys, key, (size_t)len, (int64_t)ps->nseries)) {
    fk_free(s->region_id), fk_free(s->channel);
    return FK_ENOMEM;
  }
  *out = (uint32_t)ps->nseries++;
  return 0;
}

/* Takes one record: returns 0 (kept or rejected) or FK_ENOMEM. */
static int take(struct parse *ps, int got, const struct fk__record *rec, struct fk_diag *why)
{
  struct fk_value v[4];
  int rc = got < 0 ? got : 0;
  for (int c = 0; c < 4 && !rc; c++)
    rc = fk_value_parse(&columns[c], rec->text[c], rec->len[c], &v[c], why);
  uint32_t series = 0;
  if (!rc) rc = series_of(ps, &v[COL_REGION], &v[COL_CHANNEL], &series, why);
  if (rc == FK_ENOMEM) return rc;
  if (rc) return reject(ps, rec->line, why), 0;
  if (grow((void **)&ps->rows, &ps->cap_rows, ps->nrows + 1, sizeof *ps->rows)) return FK_ENOMEM;
  ps->rows[ps->nrows++] =
      (struct row){series, (fk_date)v[COL_DATE].i, (double)v[COL_COUNT].i, rec->line};
  return 0;
}

static long gcd(long a, long b)
{
  while (b) {
    long t = a % b;
    a = b, b = t;
  }
  return a;
}

static int by_name(const void *a, const void *b)
{
  const struct fk_counts_series *x = *(struct fk_counts_series *const *)a,
                                *y = *(struct fk_counts_series *const *)b;
  int c = strcmp(x->region_id, y->region_id);
  return c ? c : strcmp(x->channel, y->channel);
}

/* Lays the rows out as series on one axis into *out. Returns 0, FK_ERANGE or FK_ENOMEM. */
static int layout(struct parse *ps, struct fk_counts *out, struct fk_diag *diag)
{
  fk_date lo = ps->rows[0].date, hi = lo;
  for (size_t i = 1; i < ps->nrows; i++) {
    if (ps->rows[i].date < lo) lo = ps->rows[i].date;
    if (ps->rows[i].date > hi) hi = ps->rows[i].date;
  }
  if (hi - lo >= MAX_DAYS)
    return fk_diag_set(diag, FK_ERANGE, "date", "the dates span more than %d days", MAX_DAYS);
  long g = 0;
  for (size_t i = 0; i < ps->nrows; i++)
    g = gcd(ps->rows[i].date - lo, g);
  out->start = lo, out->step = g > 0 && g % 7 == 0 ? 7 : 1;
  out->n = (size_t)(hi - lo) / (size_t)out->step + 1;
  if (out->n * ps->nseries > MAX_CELLS)
    return fk_diag_set(diag, FK_ERANGE, "date",
                       "%zu series over %zu dates is more than %u counts; split the file",
                       ps->nseries, out->n, MAX_CELLS);
  for (size_t s = 0; s < ps->nseries; s++) {
    if (!(ps->series[s].observed = fk_malloc(out->n * sizeof(double)))) return FK_ENOMEM;
    for (size_t i = 0; i < out->n; i++)
      ps->series[s].observed[i] = NAN;
  }
  for (size_t i = 0; i < ps->nrows; i++) {
    const struct row *r = &ps->rows[i];
    struct fk_counts_series *s = &ps->series[r->series];
    double *slot = &s->observed[(size_t)(r->date - lo) / (size_t)out->step];
    if (isnan(*slot)) {
      *slot = r->count;
      continue;
    }
    struct fk_diag why;
    char d[FK_DATE_BUFSZ];
    fk_diag_clear(&why);
    fk_diag_set(&why, FK_EDUP, "date", "a second count for region '%s' channel '%s' on %s",
                s->region_id, s->channel, fk_date_format(r->date, d));
    reject(ps, r->line, &why);
  }
  for (size_t s = 0; s < ps->nseries; s++)
    for (size_t i = 0; i < out->n; i++)
      if (isnan(ps->series[s].observed[i])) ps->series[s].observed[i] = 0;
  return 0;
}

/* Moves the series into out in name order. Returns 0 or FK_ENOMEM. */
static int hand_over(struct parse *ps, struct fk_counts *out)
{
  struct fk_counts_series **order = fk_malloc(ps->nseries * sizeof *order);
  out->series = fk_calloc(ps->nseries, sizeof *out->series);
  if (!order || !out->series) {
    fk_free(order);
    return FK_ENOMEM;
  }
  for (size_t i = 0; i < ps->nseries; i++)
    order[i] = &ps->series[i];
  qsort(order, ps->nseries, sizeof *order, by_name);
  for (size_t i = 0; i < ps->nseries; i++)
    out->series[i] = *order[i];
  out->nseries = ps->nseries;
  ps->nseries = 0;
  fk_free(order);
  return 0;
}

static void parse_free(struct parse *ps)
{
  for (size_t i = 0; i < ps->nseries; i++) {
    fk_free(ps->series[i].region_id), fk_free(ps->series[i].channel);
    fk_free(ps->series[i].observed);
  }
  fk_free(ps->series);
  fk_free(ps->rows);
  fk__strmap_clear(&ps->keys);
}

int fk_counts_parse(const char *buf, size_t size, const char *name, struct fk_counts **out,
                    fk_counts_reject_fn on_reject, void *arg, long *nrejected, struct fk_diag *diag)
{
  assert(buf && name && out);
  long dummy = 0;
  struct parse ps;
  memset(&ps, 0, sizeof ps);
  ps.name = name, ps.on_reject = on_reject, ps.arg = arg;
  ps.nrejected = nrejected ? nrejected : &dummy;
  struct fk__reader r;
  struct fk__record rec;
  struct fk_counts *c = NULL;
  *out = NULL;
  *ps.nrejected = 0;
  fk__strmap_init(&ps.keys);
  int rc = fk__reader_init(&r, &counts_feed, buf, size, fk__is_ndjson_path(name), diag);
  if (rc) {
    if (diag) snprintf(diag->file, sizeof diag->file, "%s", name);
    goto out;
  }
  for (;;) {
    struct fk_diag why;
    fk_diag_clear(&why);
    int got = fk__reader_next(&r, &rec, &why);
    if (got == 0) break;
    if (got == FK_ENOMEM || (rc = take(&ps, got, &rec, &why))) {
      rc = FK_ENOMEM;
      goto out;
    }
  }
  if (!ps.nrows) {
    rc = fk_diag_set(diag, FK_EPARSE, NULL, "%s holds no valid row of counts", name);
    goto out;
  }
  if (!(c = fk_calloc(1, sizeof *c))) {
    rc = FK_ENOMEM;
    goto out;
  }
  if ((rc = layout(&ps, c, diag)) || (rc = hand_over(&ps, c))) goto out;
  *out = c, c = NULL;
out:
  fk__reader_free(&r);
  parse_free(&ps);
  fk_counts_free(c);
  return rc;
}

int fk_counts_read(const char *path, struct fk_counts **out, fk_counts_reject_fn on_reject,
                   void *arg, long *nrejected, struct fk_diag *diag)
{
  assert(path && out);
  *out = NULL;
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long size = -1;
  int rc = 0;
  struct stat sb;
  if (!f || fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) || fseek(f, 0, SEEK_END) ||
      (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
    rc = fk_diag_set(diag, FK_EIO, NULL, "cannot read %s (not a readable regular file)", path);
    goto out;
  }
  if (!(buf = fk_malloc((size_t)size + 1))) {
    rc = FK_ENOMEM;
    goto out;
  }
  if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
    rc = fk_diag_set(diag, FK_EIO, NULL, "cannot read %s", path);
    goto out;
  }
  rc = fk_counts_parse(buf, (size_t)size, path, out, on_reject, arg, nrejected, diag);
out:
  if (f) fclose(f);
  fk_free(buf);
  return rc;
}

void fk_counts_free(struct fk_counts *counts)
{
  if (!counts) return;
  for (size_t i = 0; i < counts->nseries; i++) {
    fk_free(counts->series[i].region_id), fk_free(counts->series[i].channel);
    fk_free(counts->series[i].observed);
  }
  fk_free(counts->series);
  fk_free(counts);
}
