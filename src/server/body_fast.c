/*
 * The entrance check's body, read without building a JSON tree: the hot path of the busiest
 * route (jansson's tree cost more than the rest of the request's parsing). It takes only the
 * plain form a device sends: the five known fields, once each, strings of printable ASCII with
 * no escapes, numbers without exponent, every value valid. Anything else it leaves to the full
 * parser (body.c), which accepts or names the error; fuzz/fuzz_body.c holds the two equal on
 * whatever this one accepts.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

/* Where a read is: the bytes left, [p, end). */
struct cursor {
  const char *p, *end;
};

static void skip_ws(struct cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

/* Takes byte ch (after white space); 1 when it was there. */
static int take(struct cursor *c, char ch)
{
  skip_ws(c);
  if (c->p >= c->end || *c->p != ch) return 0;
  c->p++;
  return 1;
}

/* A string of printable ASCII without escapes: its bytes at *s, *n of them; 1, else 0. */
static int plain_string(struct cursor *c, const char **s, size_t *n)
{
  if (!take(c, '"')) return 0;
  *s = c->p;
  while (c->p < c->end && *c->p != '"') {
    if (*c->p < 0x20 || *c->p > 0x7e || *c->p == '\\') return 0;
    c->p++;
  }
  if (c->p >= c->end) return 0;
  *n = (size_t)(c->p++ - *s);
  return 1;
}

/* The literal word (true, false, null); 1 when it is next. */
static int word(struct cursor *c, const char *w)
{
  size_t n = strlen(w);
  skip_ws(c);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n)) return 0;
  c->p += n;
  return 1;
}

/* A number -?(0|[1-9]d{0,5})(.d{1,6})? into *v (as strtod reads it, as jansson does); 1, else
 * 0 (larger or exponent forms are the full parser's). */
static int short_number(struct cursor *c, double *v)
{
  char text[16];
  const char *s;
  size_t k = 0, frac = 0;
  skip_ws(c);
  s = c->p;
  if (c->p < c->end && *c->p == '-') c->p++;
  if (c->p >= c->end || *c->p < '0' || *c->p > '9') return 0;
  if (*c->p == '0')
    c->p++;
  else
    for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++)
      if (++k > 6) return 0;
  if (c->p < c->end && *c->p == '.')
    for (c->p++; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++)
      if (++frac > 6) return 0;
  if ((c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E')) || (c->p[-1] == '.'))
    return 0;
  memcpy(text, s, (size_t)(c->p - s));
  text[c->p - s] = '\0';
  *v = strtod(text, NULL);
  return 1;
}

/* An id (1 to FK__ID_MAX plain characters) into out; 1, else 0. */
static int id_value(struct cursor *c, char *out)
{
  const char *s;
  size_t n;
  if (!plain_string(c, &s, &n) || !n || n > FK__ID_MAX) return 0;
  memcpy(out, s, n);
  out[n] = '\0';
  return 1;
}

/* The value of field f (index in the order below) into out; 1, else 0. */
static int value(struct cursor *c, int f, struct fk__entrance_req *out)
{
  const char *s;
  size_t n;
  switch (f) {
  case 0:
    return id_value(c, out->person_id);
  case 1:
    return id_value(c, out->place_id);
  case 2:
    return short_number(c, &out->temperature) && isfinite(out->temperature) &&
           out->temperature >= 30 && out->temperature <= 45;
  case 3:
    out->mask = word(c, "true");
    return out->mask || word(c, "false");
  default:
    if (word(c, "null")) return 1;
    return plain_string(c, &s, &n) && !fk_time_parse(s, n, &out->at, NULL);
  }
}

int fk__entrance_body_fast(const char *buf, size_t n, struct fk__entrance_req *out)
{
  static const char *const names[] = {"person_id", "place_id", "temperature", "mask", "at"};
  struct cursor c = {buf, buf + n};
  unsigned seen = 0;
  assert(buf || !n);
  memset(out, 0, sizeof *out);
  out->at = FK_TIME_NONE;
  if (!take(&c, '{')) return 0;
  do {
    const char *key;
    size_t len;
    int f = 0;
    if (!plain_string(&c, &key, &len)) return 0;
    while (f < 5 && (strlen(names[f]) != len || memcmp(names[f], key, len)))
      f++;
    if (f == 5 || seen & 1u << f || !take(&c, ':') || !value(&c, f, out)) return 0;
    seen |= 1u << f;
  } while (take(&c, ','));
  if (!take(&c, '}')) return 0;
  skip_ws(&c);
  return c.p == c.end && (seen & 15u) == 15u;
}
