/* The synthetic city's entry points (see fangkong/gen.h): build the model, write each feed. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/gen.h"
#include "gen/city.h"

void fk_gen_opts_init(struct fk_gen_opts *opts)
{
  memset(opts, 0, sizeof *opts);
  opts->scale = 0.01;
  opts->days = 14;
  fk_date_from_ymd(2022, 7, 1, &opts->start);
  opts->seed = 1;
  opts->outbreak = 0;
  opts->pings = 0;
}

int fk_gen_opts_check(const struct fk_gen_opts *opts, struct fk_diag *diag)
{
  if (!(opts->scale > 0 && opts->scale <= 2))
    return fk_diag_set(diag, FK_ERANGE, "scale", "scale must be in (0, 2], not %g", opts->scale);
  if (opts->days < 1 || opts->days > 366)
    return fk_diag_set(diag, FK_ERANGE, "days", "days must be 1..366, not %d", opts->days);
  if (opts->outbreak < 0 || opts->outbreak > 100000)
    return fk_diag_set(diag, FK_ERANGE, "outbreak", "outbreak must be 0..100000, not %d",
                       opts->outbreak);
  if (opts->pings < 0 || opts->pings > 1)
    return fk_diag_set(diag, FK_ERANGE, "pings", "pings must be 0 or 1, not %d", opts->pings);
  int y, m, d;
  fk_date_to_ymd(opts->start, &y, &m, &d);
  if (y < 2000 || y > 2100)
    return fk_diag_set(diag, FK_ERANGE, "start", "start must be in 2000..2100, not year %d", y);
  return 0;
}

/* mkdir -p: creates dir and any missing parents; returns 0 or -1 with errno set. */
static int make_dirs(const char *dir)
{
  char path[4096];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(path, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (path[i] != '/' && path[i] != '\0') continue;
    char keep = path[i];
    path[i] = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST) return -1;
    path[i] = keep;
  }
  return 0;
}

static void city_free(struct fk__city *c)
{
  fk_free(c->grids);
  fk_free(c->places);
  fk_free(c->place_cum);
  fk_free(c->persons);
}

int fk_gen_city(const struct fk_gen_opts *opts, const char *outdir, struct fk_gen_stats *stats,
                struct fk_diag *diag)
{
  struct fk__city c;
  struct fk__csv w[FK_FEED_COUNT];
  struct fk__focus *foci = NULL;
  uint32_t nfoci = 0;
  int rc = fk_gen_opts_check(opts, diag);
  if (rc) return rc;
  memset(&c, 0, sizeof c);
  memset(w, 0, sizeof w);
  if (stats) memset(stats, 0, sizeof *stats);
  c.opts = opts;
  if (make_dirs(outdir) != 0) {
    if (diag) snprintf(diag->file, sizeof diag->file, "%.255s", outdir);
    return fk_diag_set(diag, FK_EIO, NULL, "cannot create the folder: %s", strerror(errno));
  }
  if ((rc = fk__gen_grids(&c)) || (rc = fk__gen_places(&c)) || (rc = fk__gen_people(&c))) {
    fk_diag_set(diag, rc, NULL, "cannot build the city: %s", fk_strerror(rc));
    goto out;
  }
  for (int f = 0; f < FK_FEED_COUNT; f++)
    if ((rc = fk__csv_open(&w[f], outdir, fk_feed_get((enum fk_feed_id)f), diag))) goto out;
  if ((rc = fk__write_grids(&c, &w[FK_FEED_GRIDS])) ||
      (rc = fk__write_places(&c, &w[FK_FEED_PLACES])) ||
      (rc = fk__write_persons(&c, &w[FK_FEED_PERSONS])) ||
      (rc = fk__write_sites(&c, &w[FK_FEED_SITES], &w[FK_FEED_ROOMS])) ||
      (rc = fk__write_outbreak(&c, &w[FK_FEED_CASES], &w[FK_FEED_SAMPLES], &w[FK_FEED_ARRIVALS],
                               &foci, &nfoci)) ||
      (rc =
           fk__write_signals(&c, foci, nfoci, &w[FK_FEED_CLINIC_VISITS], &w[FK_FEED_PHARMACY_SALES],
                             &w[FK_FEED_SCHOOL_ABSENCES], &w[FK_FEED_COUNTS])) ||
      (rc = fk__write_vaccinations(&c, &w[FK_FEED_VACCINATIONS])) ||
      (rc = fk__write_duty(&c, &w[FK_FEED_DUTY])) ||
      (rc = fk__write_checkins(&c, &w[FK_FEED_CHECKINS], opts->pings ? &w[FK_FEED_PINGS] : NULL))) {
    fk_diag_set(diag, rc, NULL, "cannot write the city: %s", fk_strerror(rc));
    goto out;
  }
out:
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    int crc = fk__csv_close(&w[f], rc ? NULL : diag);
    if (!rc) rc = crc;
    if (stats) {
      stats->rows[f] = w[f].rows;
      stats->bytes[f] = w[f].bytes;
    }
  }
  city_free(&c);
  fk_free(foci);
  return rc;
}
