/* Option parsing shared by every subcommand: "--name VALUE", "--name=VALUE" and flags. */
#ifndef FK_CLI_ARGS_H
#define FK_CLI_ARGS_H

struct fk__opt {
  const char *name;   /* "--db" */
  const char **value; /* set for an option taking a value, else NULL */
  int *flag;          /* set to 1 for a flag, else NULL */
};

/*
 * Parses argv[1..argc) against opts (terminated by a NULL name): options fill their targets,
 * the rest go to pos[0..*npos) (at most maxpos). Returns 0, or FK_EXIT_USAGE after printing
 * what was wrong.
 */
int fk__parse_opts(const char *cmd, int argc, char **argv, const struct fk__opt *opts,
                   const char **pos, int maxpos, int *npos);

/*
 * As fk__parse_opts with no positional arguments, and one option that may be repeated
 * (`repeat`, e.g. "--param"): its values go to rep[0..*nrep) (at most maxrep). Returns 0 or
 * FK_EXIT_USAGE after printing what was wrong.
 */
int fk__parse_opts_repeat(const char *cmd, int argc, char **argv, const struct fk__opt *opts,
                          const char *repeat, const char **rep, int maxrep, int *nrep);

/* Parses a whole decimal number in [min, max] into *out; returns 0 or -1. */
int fk__parse_long(const char *s, long min, long max, long *out);

#endif
