/* See counts_in.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/counts_in.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"

static void on_reject(void *arg, const struct fk_diag *why)
{
  char buf[1024];
  (void)arg;
  fprintf(stderr, "%s\n", fk_diag_format(why, buf, sizeof buf));
}

int fk__counts_load(const char *path, struct fk_counts **out, long *rejected)
{
  struct fk_diag d;
  char buf[1024];
  fk_diag_clear(&d);
  int rc = fk_counts_read(path, out, on_reject, NULL, rejected, &d);
  if (!rc) return 0;
  return fk__fail("%s", rc == FK_ENOMEM ? fk_strerror(rc) : fk_diag_format(&d, buf, sizeof buf));
}

int fk__range_points(const char *cmd, const char *range, const struct fk_counts *c, size_t *from,
                     size_t *to)
{
  *from = 0, *to = c->n - 1;
  if (!range) return 0;
  const char *colon = strchr(range, ':');
  fk_date a, b;
  if (!colon || fk_date_parse(range, (size_t)(colon - range), &a, NULL) ||
      fk_date_parse(colon + 1, strlen(colon + 1), &b, NULL) || b < a)
    return fk__usage(cmd, "--range wants FROM:TO, two dates YYYY-MM-DD in order, not '%s'", range);
  long lo = (long)a - c->start, hi = (long)b - c->start, step = c->step;
  lo = lo <= 0 ? 0 : (lo + step - 1) / step;
  if (hi >= 0) hi /= step;
  if (hi > (long)c->n - 1) hi = (long)c->n - 1;
  if (hi < 0 || lo > hi) return fk__fail("--range %s holds none of the input's dates", range);
  *from = (size_t)lo, *to = (size_t)hi;
  return 0;
}
