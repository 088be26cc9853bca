/*
 * The NDJSON side of the feed reader (see reader.h), on jansson: one object a line, values
 * turned into the same text a CSV field would hold, so one validator serves both formats.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_alloc.h"
#include "fangkong/error.h"
#include "ingest/reader.h"
#include "ingest/reader_impl.h"

void fk__ndjson_free(struct fk__reader *r)
{
  json_decref(r->json);
  r->json = NULL;
}

/* Writes a JSON number as the shortest decimal text that reads back the same. */
static size_t number_text(json_t *v, char *out, size_t size)
{
  if (json_is_integer(v))
    return (size_t)snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
  double d = json_real_value(v);
  for (int prec = 15; prec <= 17; prec++) {
    int n = snprintf(out, size, "%.*g", prec, d);
    if (strtod(out, NULL) == d) return (size_t)n;
  }
  return strlen(out);
}

int fk__ndjson_layout(const struct fk_feed *feed, void *object, struct fk__record *rec, char *num,
                      struct fk_diag *diag)
{
  json_t *obj = object;
  for (int c = 0; c < feed->ncols; c++) {
    const char *name = feed->cols[c].name;
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) continue;
    if (json_is_string(v)) {
      rec->text[c] = json_string_value(v);
      rec->len[c] = json_string_length(v);
    } else if (json_is_number(v)) {
      rec->text[c] = num + c * FK__NUMBER_MAX;
      rec->len[c] = number_text(v, num + c * FK__NUMBER_MAX, FK__NUMBER_MAX);
    } else if (json_is_boolean(v)) {
      rec->text[c] = json_is_true(v) ? "1" : "0";
      rec->len[c] = 1;
    } else {
      return fk_diag_set(diag, FK_EPARSE, name, "must be a string, number, boolean or null");
    }
  }
  return 1;
}

/* Lays out the object's fields as the feed's columns; numbers go to scratch space. */
static int fields(struct fk__reader *r, json_t *obj, struct fk__record *rec, struct fk_diag *diag)
{
  char *num;
  if (fk__scratch(r, (size_t)r->feed->ncols * FK__NUMBER_MAX, &num)) return FK_ENOMEM;
  return fk__ndjson_layout(r->feed, obj, rec, num, diag);
}

int fk__ndjson_load(const char *s, size_t n, void **out, struct fk_diag *diag)
{
  json_error_t err;
  fk__json_use_allocator();
  unsigned long failures = fk__json_alloc_failures();
  json_t *obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, &err);
  *out = obj;
  if (!obj && fk__json_alloc_failures() != failures)
    return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory reading JSON");
  if (!obj)
    return fk_diag_set(diag, FK_EPARSE, NULL, "invalid JSON at column %d: %s", err.column,
                       err.text);
  if (!json_is_object(obj))
    return fk_diag_set(diag, FK_EPARSE, NULL, "a line must hold one JSON object");
  return 0;
}

int fk__ndjson_next(struct fk__reader *r, struct fk__record *rec, struct fk_diag *diag)
{
  const char *b = r->buf;
  fk__ndjson_free(r);
  for (;;) { /* skip blank lines */
    if (r->pos >= r->size) return 0;
    const char *nl = memchr(b + r->pos, '\n', r->size - r->pos);
    size_t end = nl ? (size_t)(nl - b) : r->size;
    rec->line = r->line++;
    rec->raw = b + r->pos;
    rec->rawlen = end - r->pos;
    if (rec->rawlen && rec->raw[rec->rawlen - 1] == '\r') rec->rawlen--;
    r->pos = nl ? end + 1 : end;
    size_t k = 0;
    while (k < rec->rawlen && (rec->raw[k] == ' ' || rec->raw[k] == '\t'))
      k++;
    if (k < rec->rawlen) break;
  }
  if (rec->rawlen > FK__RECORD_MAX)
    return fk_diag_set(diag, FK_ETOOLONG, NULL, "line is %zu bytes, longer than the limit %u",
                       rec->rawlen, FK__RECORD_MAX);
  json_t *obj;
  int rc = fk__ndjson_load(rec->raw, rec->rawlen, (void **)&obj, diag);
  r->json = obj;
  if (rc) return rc;
  return fields(r, obj, rec, diag);
}
