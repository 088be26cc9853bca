/*
 * The `fangkong` command: one file per subcommand (cmd_<name>.c), each a user of the public
 * library like any other program. Every subcommand returns the process exit status:
 * 0 success, 1 error, 2 usage, 3 done with rejected rows.
 */
#ifndef FK_CLI_H
#define FK_CLI_H

#include <stdio.h>

#define FK_EXIT_OK 0
#define FK_EXIT_ERROR 1
#define FK_EXIT_USAGE 2
#define FK_EXIT_REJECTS 3

#define FK_DEFAULT_DB "./fangkong.db"

int fk__cmd_gen(int argc, char **argv);
int fk__cmd_import(int argc, char **argv);
int fk__cmd_stats(int argc, char **argv);
int fk__cmd_export(int argc, char **argv);
int fk__cmd_verify(int argc, char **argv);
int fk__cmd_trace(int argc, char **argv);
int fk__cmd_chains(int argc, char **argv);
int fk__cmd_companions(int argc, char **argv);
int fk__cmd_rules(int argc, char **argv);
int fk__cmd_measures(int argc, char **argv);
int fk__cmd_person(int argc, char **argv);
int fk__cmd_code(int argc, char **argv);
int fk__cmd_tick(int argc, char **argv);
int fk__cmd_task(int argc, char **argv);
int fk__cmd_sites(int argc, char **argv);
int fk__cmd_site(int argc, char **argv);
int fk__cmd_areas(int argc, char **argv);
int fk__cmd_area(int argc, char **argv);
int fk__cmd_detect(int argc, char **argv);
int fk__cmd_evaluate(int argc, char **argv);
int fk__cmd_check(int argc, char **argv);
int fk__cmd_briefing(int argc, char **argv);
int fk__cmd_scan(int argc, char **argv);
int fk__cmd_alert(int argc, char **argv);
int fk__cmd_scenario(int argc, char **argv);

struct fk_tick_stats;
/* Prints what a tick did, one line each, to f (cmd_tick.c). */
void fk__tick_summary(FILE *f, const struct fk_tick_stats *s);
int fk__cmd_serve(int argc, char **argv);
int fk__cmd_token(int argc, char **argv);
int fk__cmd_audit(int argc, char **argv);

/* Returns 1 when argv[i] is "-h" or "--help" for any i, else 0. */
int fk__wants_help(int argc, char **argv);

/* Prints "fangkong: <message>" on stderr; returns FK_EXIT_ERROR. */
int fk__fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a usage error and a hint to stderr; returns FK_EXIT_USAGE. */
int fk__usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
