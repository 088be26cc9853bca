/* fangkong export: a feed back out of the store, in the format it came in. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/table.h"

static const char help[] =
    "usage: fangkong export [--db PATH] [--format csv|ndjson] KIND\n"
    "\n"
    "Writes every stored row of feed KIND (grids, persons, places, checkins, cases, samples,\n"
    "arrivals, vaccinations) to standard output with the feed's own columns, so what\n"
    "`fangkong import` took in can be read back. Contains personal data unmasked: it is for\n"
    "transfers between systems, not for display.\n"
    "\n"
    "  --db PATH        the store (default ./fangkong.db)\n"
    "  --format FORMAT  csv (default) or ndjson\n";

struct out {
  const struct fk_feed *feed;
  int ndjson;
};

static int is_number(const struct fk_column *col)
{
  return col->type == FK_COL_INT || col->type == FK_COL_REAL || col->type == FK_COL_BOOL;
}

static int write_row(void *arg, const char *const *cells)
{
  const struct out *o = arg;
  for (int i = 0; i < o->feed->ncols; i++) {
    const char *v = cells[i];
    if (!o->ndjson) {
      if (v) fk_csv_field(stdout, v, strlen(v));
      fputc(i + 1 < o->feed->ncols ? ',' : '\n', stdout);
      continue;
    }
    fputs(i ? "," : "{", stdout);
    fk_json_string(stdout, o->feed->cols[i].name, strlen(o->feed->cols[i].name));
    fputc(':', stdout);
    if (!v)
      fputs("null", stdout);
    else if (is_number(&o->feed->cols[i]))
      fputs(v, stdout);
    else
      fk_json_string(stdout, v, strlen(v));
  }
  if (o->ndjson) fputs("}\n", stdout);
  return ferror(stdout) ? FK_EIO : 0;
}

int fk__cmd_export(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *fmt = "csv", *pos[1];
  int npos, rc;
  struct fk__opt opts[] = {{"--db", &db, NULL}, {"--format", &fmt, NULL}, {0}};
  struct fk_store *st = NULL;
  struct fk_diag diag;
  char msg[1024];

  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("export", argc, argv, opts, pos, 1, &npos))) return rc;
  if (npos != 1) return fk__usage("export", "name one feed");
  struct out o = {fk_feed_find(pos[0]), !strcmp(fmt, "ndjson")};
  if (!o.feed) return fk__usage("export", "unknown feed '%s'", pos[0]);
  if (strcmp(fmt, "csv") && !o.ndjson) return fk__usage("export", "unknown format '%s'", fmt);
  if (access(db, F_OK)) return fk__fail("no store at %s", db);
  fk_diag_clear(&diag);
  if ((rc = fk_store_open(db, &st, &diag)))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if (!o.ndjson)
    for (int i = 0; i < o.feed->ncols; i++)
      printf("%s%c", o.feed->cols[i].name, i + 1 < o.feed->ncols ? ',' : '\n');
  rc = fk_store_scan(st, o.feed, write_row, &o);
  if (rc) fk__fail("export: %s (%s)", fk_strerror(rc), fk_store_errmsg(st));
  fk_store_close(st);
  return rc || fflush(stdout) ? FK_EXIT_ERROR : FK_EXIT_OK;
}
