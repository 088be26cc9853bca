/* The strict JSON reader's helpers (see reader.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "fangkong/vocab.h"
#include "rules/reader.h"

void fk__rules_problem(struct fk__rules_ctx *c, const char *path, const char *fmt, ...)
{
  char reason[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(reason, sizeof reason, fmt, ap);
  va_end(ap);
  if (c->errors++ == 0) fk_diag_set(c->diag, FK_EINVAL, path, "%s", reason);
  if (c->report) c->report(c->arg, path, reason);
}

/* Reports every key of obj not in the NULL-terminated list `known`. */
void fk__rules_unknown(struct fk__rules_ctx *c, json_t *obj, const char *path,
                       const char *const *known)
{
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v)
  {
    if (fk_vocab_index(known, key) < 0) {
      char p[256];
      snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", key);
      fk__rules_problem(c, p, "unknown key (a typo would leave a default in force)");
    }
  }
}

/*
 * Returns obj.key (NULL when absent, reported when required), and writes its path for
 * messages into p (256 bytes).
 */
static json_t *member(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                      int required, char *p)
{
  json_t *v = json_object_get(obj, key);
  snprintf(p, 256, "%s%s%s", path, *path ? "." : "", key);
  if (!v && required) fk__rules_problem(c, p, "required");
  return v;
}

/* Reads a number in [lo, hi] at obj.key into *out; absent keeps *out unless required. */
void fk__rules_number(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                      double lo, double hi, int required, double *out)
{
  char p[256];
  json_t *v = member(c, obj, path, key, required, p);
  if (!v) return;
  if (!json_is_number(v)) {
    fk__rules_problem(c, p, "must be a number");
    return;
  }
  double d = json_number_value(v);
  if (d < lo || d > hi) {
    fk__rules_problem(c, p, "%g is outside %g..%g", d, lo, hi);
    return;
  }
  *out = d;
}

void fk__rules_text(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                    int required, char *out, size_t size)
{
  char p[256];
  json_t *v = member(c, obj, path, key, required, p);
  if (!v) return;
  if (!json_is_string(v)) {
    fk__rules_problem(c, p, "must be a string");
    return;
  }
  if (json_string_length(v) >= size) {
    fk__rules_problem(c, p, "longer than %zu bytes", size - 1);
    return;
  }
  memcpy(out, json_string_value(v), json_string_length(v) + 1);
}

void fk__rules_boolean(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                       int *out)
{
  char p[256];
  json_t *v = member(c, obj, path, key, 0, p);
  if (!v) return;
  if (!json_is_boolean(v)) {
    fk__rules_problem(c, p, "must be true or false");
    return;
  }
  *out = json_is_true(v);
}

void fk__rules_int(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key, int lo,
                   int hi, int required, int *out)
{
  char p[256];
  json_t *v = member(c, obj, path, key, required, p);
  if (!v) return;
  if (!json_is_integer(v)) {
    fk__rules_problem(c, p, "must be a whole number");
    return;
  }
  json_int_t i = json_integer_value(v);
  if (i < lo || i > hi) {
    fk__rules_problem(c, p, "%lld is outside %d..%d", (long long)i, lo, hi);
    return;
  }
  *out = (int)i;
}
