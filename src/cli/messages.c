/* How a subcommand speaks to the person at the console: help asked for, errors, usage errors.
 * A leaf: every subcommand and main.c call it, and it calls none of them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int fk__wants_help(int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
  return 0;
}

int fk__fail(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("fangkong: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return FK_EXIT_ERROR;
}

int fk__usage(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fangkong %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n(see `fangkong %s --help`)\n", cmd);
  va_end(ap);
  return FK_EXIT_USAGE;
}
