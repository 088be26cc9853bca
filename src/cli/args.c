/* Command-line options (see args.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"

/* Matches arg against opt: 1 for "--name", 2 for "--name=value", else 0. */
static int matches(const char *arg, const char *name)
{
  size_t n = strlen(name);
  if (strncmp(arg, name, n)) return 0;
  return arg[n] == '\0' ? 1 : arg[n] == '=' ? 2 : 0;
}

int fk__parse_opts(const char *cmd, int argc, char **argv, const struct fk__opt *opts,
                   const char **pos, int maxpos, int *npos)
{
  *npos = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || a[1] == '\0') {
      if (*npos >= maxpos) return fk__usage(cmd, "unexpected argument '%s'", a);
      pos[(*npos)++] = a;
      continue;
    }
    const struct fk__opt *o = opts;
    int m = 0;
    for (; o->name; o++)
      if ((m = matches(a, o->name))) break;
    if (!o->name) return fk__usage(cmd, "unknown option '%s'", a);
    if (o->flag) {
      if (m == 2) return fk__usage(cmd, "%s takes no value", o->name);
      *o->flag = 1;
    } else if (m == 2) {
      *o->value = strchr(a, '=') + 1;
    } else if (i + 1 < argc) {
      *o->value = argv[++i];
    } else {
      return fk__usage(cmd, "%s needs a value", o->name);
    }
  }
  return 0;
}

int fk__parse_long(const char *s, long min, long max, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (!*s || *end || errno || v < min || v > max) return -1;
  *out = v;
  return 0;
}

int fk__parse_opts_repeat(const char *cmd, int argc, char **argv, const struct fk__opt *opts,
                          const char *repeat, const char **rep, int maxrep, int *nrep)
{
  int n = 1, npos;
  char **rest = argv; /* argv with the repeated option taken out; argv[0] stays */
  *nrep = 0;
  for (int i = 1; i < argc; i++) {
    int m = matches(argv[i], repeat);
    if (!m) {
      const struct fk__opt *o = opts;
      while (o->name && matches(argv[i], o->name) != 1)
        o++;
      rest[n++] = argv[i];
      if (o->name && o->value && i + 1 < argc) rest[n++] = argv[++i]; /* its value */
      continue;
    }
    if (*nrep >= maxrep) return fk__usage(cmd, "more than %d %s", maxrep, repeat);
    if (m == 2)
      rep[(*nrep)++] = strchr(argv[i], '=') + 1;
    else if (i + 1 < argc)
      rep[(*nrep)++] = argv[++i];
    else
      return fk__usage(cmd, "%s needs a value", repeat);
  }
  return fk__parse_opts(cmd, n, rest, opts, NULL, 0, &npos);
}
