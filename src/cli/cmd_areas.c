/*
 * fangkong areas update, fangkong area list: risk areas brought up to date from the cases, and
 * read back (the level each area has, since when, when it lifts if nothing new happens, why).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "present/present.h"
#include "cli/traced.h"
#include "fangkong/areas.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/store.h"
#include "fangkong/table.h"
#include "fangkong/trace.h"

static const char update_help[] =
    "usage: fangkong areas update [--db PATH] [--rules FILE] --now T\n"
    "\n"
    "Designates risk areas from the cases known by T (a case's home grid, the grids of the places\n"
    "where it stayed in its tracing window, the rest of their districts), counts each down,\n"
    "restarts the count on a new infection inside, downgrades as the rules' steps say (days\n"
    "without infection, a negative screening of the residents) and lifts; stores each area's\n"
    "level history. Running it twice with the same T changes nothing.\n"
    "\n"
    "  --db PATH     the store (default ./fangkong.db)\n"
    "  --rules FILE  rule set (default: the built-in protocol-9)\n"
    "  --now T       the time of the run (ISO 8601 with offset)\n"
    "\n"
    "Counts go to stderr. Exit status: 0, 1 on error, 2 on wrong usage.\n";

static const char list_help[] =
    "usage: fangkong area list [--db PATH] [--now T] [--rules FILE] [--format json|text]\n"
    "\n"
    "The risk areas in force (高/中/低风险区): area, level, since, lifts_on (the projected lift "
    "if\n"
    "nothing new happens), reason. Without --now, as the last `areas update` left them; with\n"
    "--now T, the areas in force at T as the stored history says. Text names the rule of each\n"
    "level (from --rules, default the built-in protocol-9).\n"
    "\n"
    "Exit status: 0, 1 on error, 2 on wrong usage.\n";

int fk__cmd_areas(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *now_text = NULL, *pos[1];
  struct fk__opt opts[] = {
      {"--db", &db, NULL}, {"--rules", &rules_path, NULL}, {"--now", &now_text, NULL}, {0}};
  struct fk__traced t;
  struct fk_areas_stats s;
  struct fk_diag diag;
  char msg[1024];
  fk_time now;
  int rc, npos;
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(update_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (strcmp(argv[1], "update"))
    return fk__usage("areas", "unknown subcommand '%s' (update)", argv[1]);
  if ((rc = fk__parse_opts("areas", argc - 1, argv + 1, opts, pos, 0, &npos))) return rc;
  if (!now_text) return fk__usage("areas", "give --now T");
  if (fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return fk__usage("areas", "--now must be an ISO 8601 time with offset");
  fk_diag_clear(&diag);
  if ((rc = fk__traced_open(&t, db, rules_path))) goto out;
  if (fk_areas_update(t.st, t.ix, &t.rules, now, &s, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  fprintf(stderr,
          "cases %ld, infections inside grids %ld, areas %ld; in force: high %ld, medium %ld, "
          "low %ld; written %ld\n",
          s.cases, s.events, s.areas, s.in_force[FK_AREA_HIGH], s.in_force[FK_AREA_MEDIUM],
          s.in_force[FK_AREA_LOW], s.written);
out:
  fk__traced_close(&t);
  return rc;
}

int fk__cmd_area(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *now_text = NULL, *fmt = "json", *pos[1];
  struct fk__opt opts[] = {{"--db", &db, NULL},
                           {"--rules", &rules_path, NULL},
                           {"--now", &now_text, NULL},
                           {"--format", &fmt, NULL},
                           {0}};
  static const char *const cols[] = {"area_id", "level", "since", "lifts_on", "reason"};
  static struct fk_rules rules;
  struct fk_store *st = NULL;
  struct fk_areas as = {0};
  struct fk_table *t = NULL;
  struct fk_diag diag;
  char msg[1024];
  fk_time now = FK_TIME_NONE;
  int rc, npos;
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(list_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (strcmp(argv[1], "list")) return fk__usage("area", "unknown subcommand '%s' (list)", argv[1]);
  if ((rc = fk__parse_opts("area", argc - 1, argv + 1, opts, pos, 0, &npos))) return rc;
  if (strcmp(fmt, "json") && strcmp(fmt, "text"))
    return fk__usage("area", "unknown format '%s' (json or text)", fmt);
  if (now_text && fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return fk__usage("area", "--now must be an ISO 8601 time with offset");
  fk_diag_clear(&diag);
  rc = rules_path ? fk_rules_load(rules_path, &rules, NULL, NULL, &diag) : fk_rules_default(&rules);
  if (!rc) rc = fk_store_open(db, &st, &diag);
  if (!rc) rc = fk_areas_load(st, &as, &diag);
  if (rc) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  int text = !strcmp(fmt, "text");
  if (!(t = fk_table_new(5, cols)) ||
      fk__areas_fill(&as, now == FK_TIME_NONE ? FK_DATE_NONE : fk_time_date(now), text, &rules,
                     t)) {
    rc = fk__fail("%s", fk_strerror(FK_ENOMEM));
    goto out;
  }
  if (text && !t->nrows)
    puts("no risk area in force (无风险区)");
  else
    fk_table_print(t, text ? FK_FORMAT_TABLE : FK_FORMAT_JSON, text ? "risk areas (风险区)" : NULL,
                   stdout);
out:
  fk_table_free(t);
  fk_areas_free(&as);
  fk_store_close(st);
  return rc;
}
