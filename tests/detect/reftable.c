/* See reftable.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reftable.h"
#include "testutil.h"

static char *unquote(char *s)
{
  size_t n = strlen(s);
  if (n >= 2 && s[0] == '"' && s[n - 1] == '"') s[n - 1] = '\0', s++;
  return s;
}

static double cell(char *s)
{
  s = unquote(s);
  if (!strcmp(s, "TRUE")) return 1;
  if (!strcmp(s, "FALSE")) return 0;
  char *end;
  double v = strtod(s, &end);
  return *s && !*end ? v : NAN;
}

void reftable_load(struct reftable *t, const char *name)
{
  const char *shared = getenv("FK_SHARED");
  char path[2048];
  snprintf(path, sizeof path, "%s/reference/surveillance/%s", shared ? shared : "../shared", name);
  size_t len;
  char *text = fk_test_read(path, &len);
  if (!text) fail_msg("cannot read %s (set FK_SHARED)", path);
  memset(t, 0, sizeof *t);
  char *save, *line = strtok_r(text, "\n", &save);
  for (char *c = line; c; c = strchr(c + 1, ','))
    t->ncols++;
  t->names = calloc((size_t)t->ncols, sizeof *t->names);
  char *f = line;
  for (int i = 0; i < t->ncols; i++) {
    char *comma = strchr(f, ',');
    if (comma) *comma = '\0';
    t->names[i] = strdup(unquote(f));
    f = comma + 1;
  }
  size_t cap = 1024;
  t->cells = malloc(cap * sizeof *t->cells);
  while ((line = strtok_r(NULL, "\n", &save))) {
    if ((t->nrows + 1) * (size_t)t->ncols > cap) {
      cap *= 2;
      t->cells = realloc(t->cells, cap * sizeof *t->cells);
    }
    f = line;
    for (int i = 0; i < t->ncols; i++) {
      char *comma = strchr(f, ',');
      if (comma) *comma = '\0';
      t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = cell(f);
      f = comma ? comma + 1 : f + strlen(f);
    }
    t->nrows++;
  }
  free(text);
}

const double *reftable_col(const struct reftable *t, const char *name)
{
  for (int i = 0; i < t->ncols; i++)
    if (!strcmp(t->names[i], name)) return t->cells + i;
  fail_msg("no column %s", name);
  return NULL;
}

void reftable_free(struct reftable *t)
{
  for (int i = 0; i < t->ncols; i++)
    free(t->names[i]);
  free(t->names);
  free(t->cells);
}
