/* fangkong: the command-line entry point; dispatches to one subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "fangkong/version.h"

struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
};

static const struct command commands[] = {
    {"gen", fk__cmd_gen, "write a synthetic city shaped like Taiyuan (every feed)"},
    {"import", fk__cmd_import, "load a feed file, or every feed in a folder, into the store"},
    {"stats", fk__cmd_stats, "summarise the store: rows by feed, by district, date range"},
    {"export", fk__cmd_export, "write a stored feed back out as CSV or NDJSON"},
    {"trace", fk__cmd_trace, "find the contacts of cases (密接, 密接的密接) with their exposures"},
    {"chains", fk__cmd_chains, "the transmission graph of the cases: clusters, roots, generations"},
    {"verify", fk__cmd_verify, "check the store's integrity and references"},
    {"companions", fk__cmd_companions,
     "spatiotemporal companions (时空伴随) of a case, from pings"},
    {"rules", fk__cmd_rules, "check a rule file, or show the rules in force (measures, areas)"},
    {"measures", fk__cmd_measures, "place cases, contacts and arrivals under their measures"},
    {"person", fk__cmd_person, "a person's code, measures, phases and tests"},
    {"code", fk__cmd_code, "a person's health code (red, yellow, green) and why"},
    {"tick", fk__cmd_tick, "close the loop as of a time: trace, place, test, task, escalate"},
    {"task", fk__cmd_task, "tasks of the units (list, ack, done, fail) and their escalations"},
    {"sites", fk__cmd_sites, "give rooms at quarantine sites (集中隔离点) to who needs one"},
    {"site", fk__cmd_site, "quarantine sites: capacity, occupancy, waiting; per day"},
    {"areas", fk__cmd_areas, "designate, count down and lift risk areas (风险区) from the cases"},
    {"area", fk__cmd_area, "the risk areas in force: level, since, lift date, why"},
    {"detect", fk__cmd_detect,
     "aberration detection (异常探测) over counts: EARS, CUSUM, Farrington"},
    {"evaluate", fk__cmd_evaluate, "each detection method on simulated outbreaks in your counts"},
    {"check", fk__cmd_check,
     "the entrance check (测温、扫码、验证、戴口罩): pass or deny, and why"},
    {"briefing", fk__cmd_briefing, "the daily briefing for the leadership meeting (每日简报)"},
    {"scan", fk__cmd_scan, "space-time permutation scan (时空重排扫描): clusters of recent cases"},
    {"scenario", fk__cmd_scenario, "replay an outbreak's timed events, ticking the loop daily"},
    {"alert", fk__cmd_alert,
     "alerts (预警信号) from the signal channels: scan, list, verify, report"},
    {"serve", fk__cmd_serve, "the HTTP API (JSON under /v1): entrance checks, health, metrics"},
    {"token", fk__cmd_token, "create a Bearer token of the API with a role and a scope"},
    {"audit", fk__cmd_audit, "the API's audit log (审计日志): who, what, when, from where"},
};

static void usage(FILE *out)
{
  fprintf(out, "usage: fangkong COMMAND [ARGS...]\n\n"
               "fangkong (防控): the city's epidemic prevention-and-control command system.\n\n"
               "commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\n`fangkong COMMAND --help` tells more about each.\n");
}

int main(int argc, char **argv)
{
  if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
      !strcmp(argv[1], "help")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("fangkong %s\n", fk_version());
    return FK_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "fangkong: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return FK_EXIT_USAGE;
}
