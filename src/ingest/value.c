/* Parsing one field of a feed into a typed value (see fk_value_parse in fangkong/feed.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ingest.h"
#include "fangkong/ident.h"
#include "fangkong/time.h"

#define FK_ID_MAX 64

int fk_utf8_valid(const char *str, size_t n)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len = c >= 0xc2 && c <= 0xdf   ? 2
                 : c >= 0xe0 && c <= 0xef ? 3
                 : c >= 0xf0 && c <= 0xf4 ? 4
                                          : 0;
    if (len == 0 || i + len > n) return 0;
    for (size_t k = 1; k < len; k++)
      if ((s[i + k] & 0xc0) != 0x80) return 0;
    if (c == 0xe0 && s[i + 1] < 0xa0) return 0; /* overlong */
    if (c == 0xed && s[i + 1] > 0x9f) return 0; /* surrogate */
    if (c == 0xf0 && s[i + 1] < 0x90) return 0; /* overlong */
    if (c == 0xf4 && s[i + 1] > 0x8f) return 0; /* above U+10FFFF */
    i += len;
  }
  return 1;
}

static int parse_id(const char *s, size_t n, struct fk_diag *diag)
{
  if (n > FK_ID_MAX)
    return fk_diag_set(diag, FK_ETOOLONG, NULL, "identifier longer than %d", FK_ID_MAX);
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
          c == '-' || c == '.' || c == ':'))
      return fk_diag_set(diag, FK_EPARSE, NULL,
                         "identifier may hold only letters, digits and _ - . : (found byte 0x%02x)",
                         (unsigned char)c);
  }
  return 0;
}

static int parse_text(const struct fk_column *col, const char *s, size_t n, struct fk_diag *diag)
{
  if ((int64_t)n > col->max)
    return fk_diag_set(diag, FK_ETOOLONG, NULL, "text longer than %lld bytes", (long long)col->max);
  /* Line breaks and tabs are text (a quoted address may span lines); other controls are not. */
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] < 0x20 && !strchr("\t\n\r", s[i])) || s[i] == 0x7f)
      return fk_diag_set(diag, FK_EPARSE, NULL, "text holds control character 0x%02x",
                         (unsigned char)s[i]);
  return 0;
}

/* Copies the n bytes at s into a NUL-terminated buffer for strto*; fails when too long. */
static int number_text(const char *s, size_t n, char *buf, size_t size, struct fk_diag *diag)
{
  if (n >= size) return fk_diag_set(diag, FK_ETOOLONG, NULL, "number too long");
  memcpy(buf, s, n);
  buf[n] = '\0';
  return 0;
}

static int parse_int(const struct fk_column *col, const char *s, size_t n, int64_t *out,
                     struct fk_diag *diag)
{
  char buf[32], *end;
  int rc = number_text(s, n, buf, sizeof buf, diag);
  if (rc) return rc;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (end == buf || *end || buf[0] == ' ' || buf[0] == '+')
    return fk_diag_set(diag, FK_EPARSE, NULL, "'%s' is not an integer", buf);
  if (errno || v < col->min || v > col->max)
    return fk_diag_set(diag, FK_ERANGE, NULL, "%s is outside %lld..%lld", buf, (long long)col->min,
                       (long long)col->max);
  *out = v;
  return 0;
}

static int parse_real(const struct fk_column *col, const char *s, size_t n, double *out,
                      struct fk_diag *diag)
{
  char buf[64], *end;
  int rc = number_text(s, n, buf, sizeof buf, diag);
  if (rc) return rc;
  /* Plain decimal only: no hex floats, no inf/nan, no leading blanks. */
  for (size_t i = 0; i < n; i++)
    if (!strchr("0123456789+-.eE", buf[i]))
      return fk_diag_set(diag, FK_EPARSE, NULL, "'%s' is not a decimal number", buf);
  errno = 0;
  double v = strtod(buf, &end);
  if (end == buf || *end) return fk_diag_set(diag, FK_EPARSE, NULL, "'%s' is not a number", buf);
  if (errno || !isfinite(v) || v < col->dmin || v > col->dmax)
    return fk_diag_set(diag, FK_ERANGE, NULL, "%s is outside %g..%g", buf, col->dmin, col->dmax);
  *out = v;
  return 0;
}

static int parse_enum(const struct fk_column *col, const char *s, size_t n, int64_t *out,
                      struct fk_diag *diag)
{
  for (int i = 0; col->values[i]; i++)
    if (strlen(col->values[i]) == n && !memcmp(col->values[i], s, n)) {
      *out = i;
      return 0;
    }
  return fk_diag_set(diag, FK_EPARSE, NULL, "'%.*s' is not one of the allowed values",
                     (int)(n > 40 ? 40 : n), s);
}

/* A date, or an instant read as its civil date in the city. */
static int parse_day(const char *s, size_t n, int64_t *out, struct fk_diag *diag)
{
  fk_date d;
  fk_time t;
  int rc = n == 10 ? fk_date_parse(s, n, &d, diag) : fk_time_parse(s, n, &t, diag);
  if (!rc) *out = n == 10 ? d : fk_time_date(t);
  return rc;
}

static int parse_typed(const struct fk_column *col, const char *s, size_t n, struct fk_value *v,
                       struct fk_diag *diag)
{
  fk_date d;
  fk_time t;
  int rc;
  switch (col->type) {
  case FK_COL_ID:
    return parse_id(s, n, diag);
  case FK_COL_TEXT:
    return parse_text(col, s, n, diag);
  case FK_COL_IDNUM:
    return fk_idnum_check(s, n, NULL, diag);
  case FK_COL_PHONE:
    return fk_phone_check(s, n, diag);
  case FK_COL_DATE:
    if (!(rc = fk_date_parse(s, n, &d, diag))) v->i = d;
    return rc;
  case FK_COL_TIME:
    if (!(rc = fk_time_parse(s, n, &t, diag))) v->i = t;
    return rc;
  case FK_COL_DAY:
    return parse_day(s, n, &v->i, diag);
  case FK_COL_INT:
    return parse_int(col, s, n, &v->i, diag);
  case FK_COL_REAL:
    return parse_real(col, s, n, &v->d, diag);
  case FK_COL_ENUM:
    return parse_enum(col, s, n, &v->i, diag);
  case FK_COL_BOOL:
    if (n == 1 && (s[0] == '0' || s[0] == '1')) {
      v->i = s[0] - '0';
      return 0;
    }
    return fk_diag_set(diag, FK_EPARSE, NULL, "must be 0 or 1");
  }
  return fk_diag_set(diag, FK_EINVAL, NULL, "unknown column type");
}

int fk_value_parse(const struct fk_column *col, const char *s, size_t n, struct fk_value *out,
                   struct fk_diag *diag)
{
  memset(out, 0, sizeof *out);
  if (n == 0) {
    if (col->flags & FK_COL_REQUIRED)
      return fk_diag_set(diag, FK_EPARSE, col->name, "required field is empty");
    return 0;
  }
  if (!fk_utf8_valid(s, n)) return fk_diag_set(diag, FK_EUTF8, col->name, "invalid UTF-8");
  int rc = parse_typed(col, s, n, out, diag);
  if (rc) {
    if (diag) snprintf(diag->field, sizeof diag->field, "%s", col->name);
    return rc;
  }
  out->present = 1;
  out->s = s;
  out->n = n;
  return 0;
}
