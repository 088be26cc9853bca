/*
 * fangkong scenario run: replay an outbreak's timed events and tick the loop once a day
 * (fangkong/scenario.h, docs/SCENARIO.md).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/error.h"
#include "fangkong/scenario.h"

static const char help[] =
    "usage: fangkong scenario run FILE [--db PATH] [--rules FILE] [--until T] [--tick-at HH:MM]\n"
    "                             [--quiet]\n"
    "\n"
    "Replays an outbreak (疫情推演): FILE is NDJSON, one timed event a line, {\"at\": T, "
    "\"type\":\n"
    "...}: a feed row with the feed's own fields (case, sample, arrival, checkin, duty, ... as\n"
    "in docs/FORMATS.md, checked as `import` checks them), a unit's hand on a task (task_ack,\n"
    "task_done, task_fail: person_id, kind, day for a sample task, proof), or tick. Events are\n"
    "applied in time order; the loop ticks (fangkong tick) once a day at --tick-at, from the\n"
    "first event's day to the last's (or to --until), after the events up to that time.\n"
    "Running a scenario again changes nothing: stored rows are skipped, and so are the days\n"
    "the store has been ticked already (so a replay cut short resumes; --until T and then a\n"
    "later --until go on day by day).\n"
    "\n"
    "  --db PATH       the store (default ./fangkong.db), with the town already imported\n"
    "  --rules FILE    rule set (default: the built-in protocol-9)\n"
    "  --until T       stop at T (ISO 8601 with offset): later events wait for a later run\n"
    "  --tick-at HH:MM the daily tick's time in the city (default 09:00)\n"
    "  --quiet         no summary per tick\n"
    "\n"
    "Each tick's summary goes to stdout, bad lines (file:line: field: reason) and the totals\n"
    "to stderr. Exit status: 0, 3 when some lines were rejected (the rest were replayed),\n"
    "1 on error, 2 on wrong usage.\n";

struct out {
  int quiet;
};

static int ticked(void *arg, fk_time now, const struct fk_tick_stats *s)
{
  const struct out *o = arg;
  char at[FK_TIME_BUFSZ];
  if (o->quiet) return 0;
  printf("== tick %s\n", fk_time_format(now, at));
  fk__tick_summary(stdout, s);
  return fflush(stdout) ? FK_EIO : 0;
}

static int rejected(void *arg, const struct fk_diag *why)
{
  char msg[1024];
  (void)arg;
  fprintf(stderr, "fangkong: %s\n", fk_diag_format(why, msg, sizeof msg));
  return 0;
}

/* "HH:MM" into seconds after midnight; returns 0 or -1. */
static int parse_hhmm(const char *s, int *out)
{
  int h, m;
  char tail;
  if (strlen(s) != 5 || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 ||
      m > 59)
    return -1;
  *out = h * 3600 + m * 60;
  return 0;
}

int fk__cmd_scenario(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *until = NULL, *tick_at = NULL, *pos[1];
  int quiet = 0, npos, rc;
  struct fk__opt opts[] = {{"--db", &db, NULL},       {"--rules", &rules_path, NULL},
                           {"--until", &until, NULL}, {"--tick-at", &tick_at, NULL},
                           {"--quiet", NULL, &quiet}, {0}};
  struct out o;
  struct fk_scenario_opts so = {9 * 3600, FK_TIME_NONE, ticked, rejected, &o};
  struct fk_scenario_stats s;
  struct fk__traced t;
  struct fk_diag diag;
  char msg[1024];
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (strcmp(argv[1], "run"))
    return fk__usage("scenario", "unknown subcommand '%s' (run)", argv[1]);
  if ((rc = fk__parse_opts("scenario", argc - 1, argv + 1, opts, pos, 1, &npos))) return rc;
  if (npos != 1) return fk__usage("scenario", "name the scenario file (NDJSON)");
  if (until && fk_time_parse(until, strlen(until), &so.until, NULL))
    return fk__usage("scenario", "--until must be an ISO 8601 time with offset");
  if (tick_at && parse_hhmm(tick_at, &so.tick_at))
    return fk__usage("scenario", "--tick-at must be HH:MM, such as 09:00");
  o.quiet = quiet;
  if ((rc = fk__ruled_open(&t, db, rules_path))) goto out;
  if (fk_scenario_run(t.st, &t.rules, pos[0], &so, &s, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  fprintf(stderr,
          "scenario: %ld events: %ld applied, %ld already applied, %ld rejected, %ld after "
          "--until; %ld ticks run, %ld already done\n",
          s.read, s.applied, s.already, s.rejected, s.later, s.ticks, s.skipped);
  rc = s.rejected ? FK_EXIT_REJECTS : FK_EXIT_OK;
out:
  fk__traced_close(&t);
  return rc;
}
