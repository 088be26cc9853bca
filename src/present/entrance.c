/* Answers as JSON, shared by the API and the command line (`fangkong check --format json`). */
#include <assert.h>
#include <jansson.h>
#include <string.h>

#include "fangkong/vocab.h"
#include "fangkong/error.h"
#include "fangkong/areas.h"
#include "fangkong/measure.h"
#include "present/present.h"

/* Text written into a buffer of fixed size: where it is, and whether it overflowed. */
struct text {
  char *p, *end;
  int full;
};

static void put(struct text *t, const char *s, size_t n)
{
  if (t->full || (size_t)(t->end - t->p) < n) {
    t->full = 1;
    return;
  }
  memcpy(t->p, s, n);
  t->p += n;
}

/* The two-character escape of ch, or NULL (then \u00XX) */
static const char *short_escape(unsigned char ch)
{
  switch (ch) {
  case '"':
    return "\\\"";
  case '\\':
    return "\\\\";
  case '\b':
    return "\\b";
  case '\f':
    return "\\f";
  case '\n':
    return "\\n";
  case '\r':
    return "\\r";
  case '\t':
    return "\\t";
  default:
    return NULL;
  }
}

/* s as a JSON string, escaped as jansson escapes (json_dumps without flags). */
static void put_string(struct text *t, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  put(t, "\"", 1);
  for (const char *run = s;; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
    put(t, run, (size_t)(s - run));
    if (!ch) break;
    const char *esc = short_escape(ch);
    char u[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
    if (esc)
      put(t, esc, 2);
    else
      put(t, u, sizeof u);
    run = s + 1;
  }
  put(t, "\"", 1);
}

#define PUT(t, lit) put(t, lit, sizeof lit - 1)

long fk__entrance_json_text(const struct fk_entrance_result *r, char *buf, size_t size)
{
  struct text t = {buf, buf + size, 0};
  int first = 1;
  assert(r && buf);
  PUT(&t, "{\"decision\":");
  put_string(&t, fk_entrance_decisions[r->pass != 0]);
  PUT(&t, ",\"reasons\":[");
  for (int i = 0; i < FK_ENTRANCE_NREASONS; i++) {
    if (!(r->reasons & (1u << i))) continue;
    if (!first) PUT(&t, ",");
    first = 0;
    PUT(&t, "{\"key\":");
    put_string(&t, fk_entrance_reasons[i]);
    PUT(&t, ",\"text\":");
    put_string(&t, r->text[i]);
    PUT(&t, "}");
  }
  PUT(&t, "],\"code\":");
  put_string(&t, fk_codes[r->code]);
  if (r->fever)
    PUT(&t, ",\"fever\":true,\"grid_id\":");
  else
    PUT(&t, ",\"fever\":false,\"grid_id\":");
  put_string(&t, r->grid_id);
  PUT(&t, ",\"area_level\":");
  if (r->area_level >= 0)
    put_string(&t, fk_area_levels[r->area_level]);
  else
    PUT(&t, "null");
  if (r->recorded)
    PUT(&t, ",\"recorded\":true}");
  else
    PUT(&t, ",\"recorded\":false}");
  return t.full ? -1 : (long)(t.p - buf);
}

json_t *fk__entrance_json(const struct fk_entrance_result *r)
{
  json_t *o, *reasons = json_array();
  assert(r);
  for (int i = 0; reasons && i < FK_ENTRANCE_NREASONS; i++)
    if (r->reasons & (1u << i))
      json_array_append_new(
          reasons, json_pack("{s:s, s:s}", "key", fk_entrance_reasons[i], "text", r->text[i]));
  o = json_pack("{s:s, s:o*, s:s, s:b, s:s, s:o, s:b}", "decision",
                fk_entrance_decisions[r->pass != 0], "reasons", reasons, "code", fk_codes[r->code],
                "fever", r->fever, "grid_id", r->grid_id, "area_level",
                r->area_level >= 0 ? json_string(fk_area_levels[r->area_level]) : json_null(),
                "recorded", r->recorded);
  return o;
}
