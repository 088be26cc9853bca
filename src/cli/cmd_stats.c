/* fangkong stats: what the store holds, by feed and by district. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/table.h"

static const char help[] =
    "usage: fangkong stats [--db PATH] [--format table|csv|json]\n"
    "\n"
    "Summarises the store: rows and date range of every feed, and streets, communities,\n"
    "grids (网格), persons, places and check-ins of every district.\n"
    "\n"
    "  --db PATH        the store (default ./fangkong.db)\n"
    "  --format FORMAT  table (default, for people), csv (two tables separated by a blank\n"
    "                   line) or json ({\"feeds\": [...], \"districts\": [...]})\n";

static void print(const struct fk_table *feeds, const struct fk_table *districts,
                  enum fk_format format)
{
  if (format == FK_FORMAT_JSON) {
    fputs("{\"feeds\": ", stdout);
    fk_table_print(feeds, format, NULL, stdout);
    fputs(", \"districts\": ", stdout);
    fk_table_print(districts, format, NULL, stdout);
    fputs("}\n", stdout);
    return;
  }
  fk_table_print(feeds, format, "Feeds (数据源)", stdout);
  fputc('\n', stdout);
  fk_table_print(districts, format, "Districts (区县)", stdout);
}

int fk__cmd_stats(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *fmt = "table", *pos[1];
  int npos, rc;
  struct fk__opt opts[] = {{"--db", &db, NULL}, {"--format", &fmt, NULL}, {0}};
  enum fk_format format;
  struct fk_store *st = NULL;
  struct fk_table *feeds = NULL, *districts = NULL;
  struct fk_diag diag;
  char msg[1024];

  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("stats", argc, argv, opts, pos, 0, &npos))) return rc;
  if (fk_format_parse(fmt, &format)) return fk__usage("stats", "unknown format '%s'", fmt);
  if (access(db, F_OK)) return fk__fail("no store at %s (run `fangkong import` first)", db);
  fk_diag_clear(&diag);
  if ((rc = fk_store_open(db, &st, &diag)))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  rc = fk_store_stats(st, &feeds, &districts);
  if (rc)
    fk__fail("stats: %s (%s)", fk_strerror(rc), fk_store_errmsg(st));
  else
    print(feeds, districts, format);
  fk_table_free(feeds);
  fk_table_free(districts);
  fk_store_close(st);
  return rc ? FK_EXIT_ERROR : FK_EXIT_OK;
}
