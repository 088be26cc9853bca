/* fangkong import: load feed files into the store, keeping every row or saying why not. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/error.h"
#include "fangkong/ingest.h"
#include "fangkong/store.h"

static const char help[] =
    "usage: fangkong import [--db PATH] [--batch N] [--no-progress] KIND FILE\n"
    "       fangkong import [--db PATH] [--batch N] [--no-progress] DIR\n"
    "\n"
    "Loads a feed file into the store, or every known feed file in DIR in dependency order\n"
    "(grids, persons, places, checkins, cases, samples, arrivals, vaccinations; each as .csv,\n"
    ".ndjson or .jsonl). KIND is a feed name. Every field is checked; a row that fails goes to\n"
    "FILE.rejects.csv with its line, column and reason, and every other row is stored. Rows\n"
    "already stored are skipped, so re-running an import (also after a crash) is safe.\n"
    "\n"
    "  --db PATH       the store (default ./fangkong.db; created when missing)\n"
    "  --batch N       rows per transaction (default 50000)\n"
    "  --no-progress   no progress bar even on a terminal\n"
    "\n"
    "Exit status: 0 all rows stored (or already there), 3 some rows rejected, 1 error.\n";

struct ctx {
  struct fk_store *st;
  struct fk_import_opts opts;
  struct fk_import_stats total;
  int files;
};

static void summary(const char *label, const struct fk_import_stats *s, const char *rejects)
{
  fprintf(stderr, "%s: read %ld, stored %ld, duplicate %ld, rejected %ld%s%s%s\n", label, s->read,
          s->stored, s->duplicate, s->rejected, s->rejected ? " (see " : "",
          s->rejected ? rejects : "", s->rejected ? ")" : "");
}

static int import_one(const struct fk_feed *feed, const char *path, void *arg)
{
  struct ctx *c = arg;
  struct fk_import_stats s = {0};
  struct fk_diag diag;
  char msg[1024], rejects[4200];
  fk_diag_clear(&diag);
  int rc = fk_import_file(c->st, feed, path, &c->opts, &s, &diag);
  snprintf(rejects, sizeof rejects, "%s.rejects.csv", path);
  summary(path, &s, rejects);
  c->total.read += s.read;
  c->total.stored += s.stored;
  c->total.duplicate += s.duplicate;
  c->total.rejected += s.rejected;
  c->files++;
  if (rc) fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  return rc;
}

int fk__cmd_import(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *batch = NULL, *pos[2];
  int npos, no_progress = 0, rc;
  struct fk__opt opts[] = {
      {"--db", &db, NULL}, {"--batch", &batch, NULL}, {"--no-progress", NULL, &no_progress}, {0}};
  struct ctx c = {0};
  struct fk_diag diag;
  struct stat sb;
  char msg[1024];

  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("import", argc, argv, opts, pos, 2, &npos))) return rc;
  if (npos == 0) return fk__usage("import", "name a feed and a file, or a folder");
  if (batch && fk__parse_long(batch, 1, 10000000, &c.opts.batch_rows))
    return fk__usage("import", "--batch must be a number of rows from 1 to 10000000");
  const struct fk_feed *feed = npos == 2 ? fk_feed_find(pos[0]) : NULL;
  if (npos == 2 && !feed) return fk__usage("import", "unknown feed '%s'", pos[0]);
  if (npos == 1 && (stat(pos[0], &sb) || !S_ISDIR(sb.st_mode)))
    return fk__usage("import", "'%s' is not a folder (for a file, name its feed first)", pos[0]);
  c.opts.progress = !no_progress && isatty(2) ? stderr : NULL;

  fk_diag_clear(&diag);
  if ((rc = fk_store_open(db, &c.st, &diag)))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if (feed) {
    rc = import_one(feed, pos[1], &c);
  } else {
    rc = fk_import_each(pos[0], import_one, &c);
    if (rc == FK_ENOTFOUND)
      fk__fail("no feed file (grids.csv, persons.csv, ...) in %s", pos[0]);
    else if (rc == FK_EIO)
      fk__fail("cannot read folder %s", pos[0]);
    if (c.files > 1) summary("total", &c.total, "the .rejects.csv files");
  }
  fk_store_close(c.st);
  if (rc) return FK_EXIT_ERROR;
  return c.total.rejected ? FK_EXIT_REJECTS : FK_EXIT_OK;
}
