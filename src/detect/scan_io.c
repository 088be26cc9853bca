/*
 * Readers of the scan's inputs (see fangkong/scan.h): SaTScan's case and coordinates files
 * (fields separated by spaces or tabs, one record a line), and the CSV layouts of fangkong
 * (counts.csv, a regions file) through the feed reader of src/ingest. A bad row is reported
 * with file, line, field and reason and skipped; the rest are kept.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mapfile.h"
#include "detect/scan_impl.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ingest.h"
#include "ingest/reader.h"

#define FIELDS 4   /* one more than a SaTScan record of ours holds, to notice extras */
#define ID_MAX 256 /* bytes of a location id */
#define NUMBER_MAX 64

struct sink {
  const char *origin;
  fk_scan_reject_fn *reject;
  void *arg;
  long *rejected;
};

/* Completes why with the file and line, hands it on and counts it. */
static void rejected(const struct sink *k, long line, struct fk_diag *why)
{
  snprintf(why->file, sizeof why->file, "%s", k->origin ? k->origin : "");
  why->line = line;
  if (k->reject) k->reject(k->arg, why);
  if (k->rejected) (*k->rejected)++;
}

/* ---- SaTScan's files ---- */

struct line {
  const char *f[FIELDS];
  size_t n[FIELDS];
  int nf; /* fields found, at most FIELDS */
};

/* Splits the n bytes at s on spaces and tabs (a trailing CR is a separator too). */
static void split(const char *s, size_t n, struct line *l)
{
  size_t i = 0;
  l->nf = 0;
  while (i < n && l->nf < FIELDS) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
      i++;
    if (i == n) break;
    size_t b = i;
    while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
      i++;
    l->f[l->nf] = s + b;
    l->n[l->nf++] = i - b;
  }
}

/* A location id: at most ID_MAX bytes of UTF-8. Returns 0, FK_ETOOLONG or FK_EUTF8. */
static int check_id(const char *s, size_t n, struct fk_diag *why)
{
  if (n > ID_MAX)
    return fk_diag_set(why, FK_ETOOLONG, "location_id", "longer than %d bytes", ID_MAX);
  if (!fk_utf8_valid(s, n)) return fk_diag_set(why, FK_EUTF8, "location_id", "not UTF-8");
  return 0;
}

/* A decimal number; the whole field must be one. */
static int number(const char *s, size_t n, const char *field, double *out, struct fk_diag *why)
{
  char buf[NUMBER_MAX + 1], *end;
  if (n > NUMBER_MAX) return fk_diag_set(why, FK_EPARSE, field, "not a number (too long)");
  memcpy(buf, s, n);
  buf[n] = '\0';
  *out = strtod(buf, &end);
  if (!n || *end || !isfinite(*out))
    return fk_diag_set(why, FK_EPARSE, field, "not a number: '%s'", buf);
  return 0;
}

/* A coordinates record into in. Returns 0 or the FK_E* code of what is wrong, why set. */
static int geo_record(struct fk_scan_input *in, const struct line *l, struct fk_diag *why)
{
  double lat = 0, lon = 0; /* set by number(); initialised for -O3's flow analysis */
  int rc;
  if (l->nf != 3)
    return fk_diag_set(why, FK_EPARSE, NULL,
                       "%s: a coordinates record is "
                       "location id, latitude, longitude",
                       l->nf < 3 ? "too few fields"
                                 : "too many fields (only latitude/longitude is read)");
  if ((rc = check_id(l->f[0], l->n[0], why)) || (rc = number(l->f[1], l->n[1], "lat", &lat, why)) ||
      (rc = number(l->f[2], l->n[2], "lon", &lon, why)))
    return rc;
  return fk_scan_add_location(in, l->f[0], l->n[0], lat, lon, why);
}

int fk_scan_date_parse(const char *s, size_t n, fk_date *out)
{
  char buf[16];
  assert(s && out);
  if (n != 10) return FK_EPARSE;
  memcpy(buf, s, n);
  if (buf[4] == '/' && buf[7] == '/') buf[4] = buf[7] = '-';
  return fk_date_parse(buf, n, out, NULL) ? FK_EPARSE : 0;
}

/* A case record into in. Returns 0 or the FK_E* code of what is wrong, why set. */
static int cas_record(struct fk_scan_input *in, const struct line *l, struct fk_diag *why)
{
  double n = 0; /* set by number(); initialised for -O3's flow analysis */
  fk_date day;
  long loc;
  int rc;
  if (l->nf != 3)
    return fk_diag_set(why, FK_EPARSE, NULL,
                       "%s: a case record is location id, number of cases, "
                       "date",
                       l->nf < 3 ? "too few fields"
                                 : "too many fields (covariates are "
                                   "not supported)");
  if ((rc = check_id(l->f[0], l->n[0], why))) return rc;
  if ((loc = fk_scan_find_location(in, l->f[0], l->n[0])) < 0)
    return fk_diag_set(why, FK_ENOREF, "location_id", "location %.*s is not in the coordinates",
                       (int)l->n[0], l->f[0]);
  if ((rc = number(l->f[1], l->n[1], "cases", &n, why))) return rc;
  if (n < 0 || n != floor(n) || n > FK_SCAN_MAX_CASES)
    return fk_diag_set(why, FK_ERANGE, "cases", "must be a whole number, 0 to %d",
                       FK_SCAN_MAX_CASES);
  if (fk_scan_date_parse(l->f[2], l->n[2], &day))
    return fk_diag_set(why, FK_EPARSE, "date", "must be a real day, YYYY/MM/DD");
  if ((rc = fk_scan_add_cases(in, (size_t)loc, day, (int64_t)n)) == FK_ERANGE)
    return fk_diag_set(why, rc, "cases", "more than %d cases in all", FK_SCAN_MAX_CASES);
  return rc ? fk_diag_set(why, rc, NULL, "out of memory") : 0;
}

typedef int record_fn(struct fk_scan_input *in, const struct line *l, struct fk_diag *why);

/* Reads each non-blank line of text through one(). Stops only when memory runs out. */
static int each_line(struct fk_scan_input *in, const char *text, size_t n, const struct sink *k,
                     record_fn *one, struct fk_diag *diag)
{
  size_t at = 0;
  long line = 0;
  while (at < n) {
    const char *eol = memchr(text + at, '\n', n - at);
    size_t len = eol ? (size_t)(eol - (text + at)) : n - at;
    struct line l;
    struct fk_diag why;
    line++;
    split(text + at, len, &l);
    at += len + (eol != NULL);
    if (!l.nf) continue;
    fk_diag_clear(&why);
    int rc = one(in, &l, &why);
    if (rc == FK_ENOMEM) {
      rejected(k, line, &why);
      *diag = why;
      return rc;
    }
    if (rc) rejected(k, line, &why);
  }
  return 0;
}

int fk_scan_read_geo(struct fk_scan_input *in, const char *text, size_t n, const char *origin,
                     fk_scan_reject_fn *reject, void *arg, long *rejected, struct fk_diag *diag)
{
  struct sink k = {origin, reject, arg, rejected};
  assert(in && (text || !n));
  return each_line(in, text, n, &k, geo_record, diag);
}

int fk_scan_read_cas(struct fk_scan_input *in, const char *text, size_t n, const char *origin,
                     fk_scan_reject_fn *reject, void *arg, long *rejected, struct fk_diag *diag)
{
  struct sink k = {origin, reject, arg, rejected};
  assert(in && (text || !n));
  return each_line(in, text, n, &k, cas_record, diag);
}

/* ---- CSV layouts, read by the feed reader ---- */

#define REAL(name, lo, hi)                                                                         \
  {                                                                                                \
    name, FK_COL_REAL, FK_COL_REQUIRED, FK_FEED_NONE, 0, 0, lo, hi, NULL                           \
  }
#define ID(name, flags)                                                                            \
  {                                                                                                \
    name, FK_COL_ID, flags, FK_FEED_NONE, 0, 0, 0, 0, NULL                                         \
  }

static const struct fk_column region_cols[] = {ID("region_id", FK_COL_REQUIRED),
                                               REAL("lat", -90, 90), REAL("lon", -180, 180)};
static const struct fk_column grid_cols[] = {ID("grid_id", FK_COL_REQUIRED), REAL("lat", -90, 90),
                                             REAL("lon", -180, 180)};
static const struct fk_column count_cols[] = {
    {"date", FK_COL_DATE, FK_COL_REQUIRED, FK_FEED_NONE, 0, 0, 0, 0, NULL},
    ID("region_id", FK_COL_REQUIRED),
    ID("channel", 0),
    {"count", FK_COL_INT, FK_COL_REQUIRED, FK_FEED_NONE, 0, FK_SCAN_MAX_CASES, 0, 0, NULL}};

static const struct fk_feed regions_feed = {FK_FEED_NONE, "regions", region_cols, 3, NULL};
static const struct fk_feed grids_feed = {FK_FEED_NONE, "regions", grid_cols, 3, NULL};
static const struct fk_feed counts_feed = {FK_FEED_NONE, "counts", count_cols, 4, NULL};

/* What to do with a valid CSV row; returns 0, an FK_E* code for the row (why says), or
 * FK_ENOMEM to stop. */
typedef int row_fn(struct fk_scan_input *in, const struct fk_value *row, void *ctx,
                   struct fk_diag *why);

/* Parses every column of a CSV record. Returns 0 or the first field's FK_E* code. */
static int parse_row(const struct fk_feed *feed, const struct fk__record *rec, struct fk_value *row,
                     struct fk_diag *why)
{
  for (int c = 0; c < feed->ncols; c++) {
    int rc = fk_value_parse(&feed->cols[c], rec->text[c], rec->len[c], &row[c], why);
    if (rc) return rc;
  }
  return 0;
}

/* Reads every record of an initialised CSV reader through one(). */
static int each_row(struct fk__reader *r, struct fk_scan_input *in, const struct sink *k,
                    row_fn *one, void *ctx, struct fk_diag *diag)
{
  struct fk__record rec;
  struct fk_diag why;
  int got;
  fk_diag_clear(&why);
  while ((got = fk__reader_next(r, &rec, &why)) != 0) {
    struct fk_value row[FK_FEED_MAXCOLS];
    int rc = got < 0 ? got : parse_row(r->feed, &rec, row, &why);
    if (!rc) rc = one(in, row, ctx, &why);
    if (rc == FK_ENOMEM) {
      *diag = why;
      return rc;
    }
    if (rc) rejected(k, rec.line, &why);
    fk_diag_clear(&why);
  }
  return 0;
}

/* A regions row into in. Returns 0 or FK_EDUP / FK_ERANGE / FK_ENOMEM, why set. */
static int region_row(struct fk_scan_input *in, const struct fk_value *row, void *ctx,
                      struct fk_diag *why)
{
  (void)ctx;
  int rc = fk_scan_add_location(in, row[0].s, row[0].n, row[1].d, row[2].d, why);
  if (rc == FK_EDUP)
    fk_diag_set(why, rc, "region_id",
                "%.*s is defined twice (the first is "
                "kept)",
                (int)row[0].n, row[0].s);
  return rc;
}

/* Starts a CSV reader on text as feed; FK_EPARSE when the header will not do. */
static int csv_open(struct fk__reader *r, const struct fk_feed *feed, const char *text, size_t n,
                    const char *origin, struct fk_diag *diag)
{
  int rc = fk__reader_init(r, feed, text, n, origin && fk__is_ndjson_path(origin), diag);
  if (rc && diag) snprintf(diag->file, sizeof diag->file, "%s", origin ? origin : "");
  return rc;
}

int fk_scan_read_regions(struct fk_scan_input *in, const char *text, size_t n, const char *origin,
                         fk_scan_reject_fn *reject, void *arg, long *rejected, struct fk_diag *diag)
{
  struct sink k = {origin, reject, arg, rejected};
  struct fk__reader r;
  int rc;
  assert(in && (text || !n));
  memset(&r, 0, sizeof r);
  rc = csv_open(&r, &regions_feed, text, n, origin, diag);
  if (rc == FK_EPARSE) { /* grids.csv names its key grid_id */
    fk__reader_free(&r);
    memset(&r, 0, sizeof r);
    if (csv_open(&r, &grids_feed, text, n, origin, NULL) == 0) rc = 0;
  }
  if (!rc) rc = each_row(&r, in, &k, region_row, NULL, diag);
  fk__reader_free(&r);
  return rc;
}

struct counts_ctx {
  const char *channel; /* wanted, or NULL */
  int have, mixed;     /* when none is wanted: the first channel met, and whether another was */
  size_t n;
  char first[72];
};

/* A counts row of the wanted channel into in. Returns 0 or FK_ENOREF / FK_ERANGE / FK_ENOMEM. */
static int count_row(struct fk_scan_input *in, const struct fk_value *row, void *arg,
                     struct fk_diag *why)
{
  struct counts_ctx *c = arg;
  const struct fk_value *ch = &row[2];
  size_t chn = ch->present ? ch->n : 0;
  if (c->channel && (strlen(c->channel) != chn || (chn && memcmp(c->channel, ch->s, chn))))
    return 0;
  if (!c->channel && !c->have) {
    c->have = 1;
    c->n = chn < sizeof c->first ? chn : sizeof c->first - 1;
    if (c->n) memcpy(c->first, ch->s, c->n);
  } else if (!c->channel && (c->n != chn || (chn && memcmp(c->first, ch->s, chn)))) {
    c->mixed = 1;
  }
  long loc = fk_scan_find_location(in, row[1].s, row[1].n);
  if (loc < 0)
    return fk_diag_set(why, FK_ENOREF, "region_id", "region %.*s has no coordinates", (int)row[1].n,
                       row[1].s);
  int rc = fk_scan_add_cases(in, (size_t)loc, (fk_date)row[0].i, row[3].i);
  if (rc == FK_ERANGE)
    return fk_diag_set(why, rc, "count", "more than %d cases in all", FK_SCAN_MAX_CASES);
  return rc;
}

int fk_scan_read_counts(struct fk_scan_input *in, const char *text, size_t n, const char *origin,
                        const char *channel, fk_scan_reject_fn *reject, void *arg, long *rejected,
                        struct fk_diag *diag)
{
  struct sink k = {origin, reject, arg, rejected};
  struct counts_ctx c = {channel, 0, 0, 0, ""};
  struct fk__reader r;
  int rc;
  assert(in && (text || !n));
  memset(&r, 0, sizeof r);
  rc = csv_open(&r, &counts_feed, text, n, origin, diag);
  if (!rc) rc = each_row(&r, in, &k, count_row, &c, diag);
  fk__reader_free(&r);
  if (!rc && c.mixed) {
    fk_diag_clear(diag);
    if (diag) snprintf(diag->file, sizeof diag->file, "%s", origin ? origin : "");
    return fk_diag_set(diag, FK_EINVAL, "channel",
                       "the file holds more than one channel (%.*s "
                       "and others): choose one",
                       (int)c.n, c.first);
  }
  return rc;
}

int fk_scan_read_file(struct fk_scan_input *in, enum fk_scan_layout layout, const char *path,
                      const char *channel, fk_scan_reject_fn *reject, void *arg, long *rejected,
                      struct fk_diag *diag)
{
  const char *text;
  size_t n;
  int rc = fk__map_file(path, &text, &n, diag);
  assert(in && path);
  if (rc) {
    if (diag) snprintf(diag->file, sizeof diag->file, "%s", path);
    return rc;
  }
  switch (layout) {
  case FK_SCAN_GEO:
    rc = fk_scan_read_geo(in, text, n, path, reject, arg, rejected, diag);
    break;
  case FK_SCAN_CAS:
    rc = fk_scan_read_cas(in, text, n, path, reject, arg, rejected, diag);
    break;
  case FK_SCAN_REGIONS:
    rc = fk_scan_read_regions(in, text, n, path, reject, arg, rejected, diag);
    break;
  default:
    rc = fk_scan_read_counts(in, text, n, path, channel, reject, arg, rejected, diag);
  }
  fk__unmap_file(text, n);
  return rc;
}
