/*
 * Request bodies of the API, parsed with jansson into plain structs: every way a body can be
 * wrong gets a sentence naming the field, for a 400 problem-details answer.
 */
#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/vocab.h"
#include "fangkong/alerts.h"
#include "fangkong/error.h"
#include "server/server.h"

static const char *const entrance_fields[] = {"person_id", "place_id", "temperature",
                                              "mask",      "at",       NULL};

/* Copies the string field `name` of o into out (cap+1 bytes); 0 or FK_EINVAL with why. */
static int id_field(json_t *o, const char *name, char *out, size_t cap, char *why, size_t whysz)
{
  json_t *v = json_object_get(o, name);
  size_t n;
  if (!v) return snprintf(why, whysz, "%s: missing", name), FK_EINVAL;
  if (!json_is_string(v)) return snprintf(why, whysz, "%s: must be a string", name), FK_EINVAL;
  n = json_string_length(v);
  if (!n || n > cap)
    return snprintf(why, whysz, "%s: must be 1 to %zu characters", name, cap), FK_EINVAL;
  if (memchr(json_string_value(v), '\0', n))
    return snprintf(why, whysz, "%s: must not hold a NUL character", name), FK_EINVAL;
  memcpy(out, json_string_value(v), n + 1);
  return 0;
}

/* Rejects a field the body should not have. */
static int known_fields(json_t *o, const char *const *names, char *why, size_t whysz)
{
  const char *key;
  json_t *v;
  json_object_foreach(o, key, v)
  {
    if (fk_vocab_index(names, key) < 0)
      return snprintf(why, whysz, "%.64s: unknown field", key), FK_EINVAL;
  }
  return 0;
}

/* The scalar fields: temperature, mask, at. */
static int entrance_scalars(json_t *o, struct fk__entrance_req *out, char *why, size_t whysz)
{
  json_t *t = json_object_get(o, "temperature"), *m = json_object_get(o, "mask"),
         *at = json_object_get(o, "at");
  if (!t) return snprintf(why, whysz, "temperature: missing"), FK_EINVAL;
  if (!json_is_number(t))
    return snprintf(why, whysz, "temperature: must be a number (degrees Celsius)"), FK_EINVAL;
  out->temperature = json_number_value(t);
  if (!isfinite(out->temperature) || out->temperature < 30 || out->temperature > 45)
    return snprintf(why, whysz, "temperature: must be between 30 and 45 degrees Celsius"),
           FK_EINVAL;
  if (!m) return snprintf(why, whysz, "mask: missing"), FK_EINVAL;
  if (!json_is_boolean(m)) return snprintf(why, whysz, "mask: must be true or false"), FK_EINVAL;
  out->mask = json_is_true(m);
  out->at = FK_TIME_NONE;
  if (!at || json_is_null(at)) return 0;
  if (!json_is_string(at) ||
      fk_time_parse(json_string_value(at), json_string_length(at), &out->at, NULL))
    return snprintf(why, whysz, "at: must be an ISO 8601 time with its UTC offset"), FK_EINVAL;
  return 0;
}

/* The body's JSON object with only the given fields, into *o (a new reference). Returns 0, or
 * FK_EINVAL with why: malformed JSON (line and column), not an object, an unknown field. */
static int load_object(const char *buf, size_t n, const char *const *fields, json_t **o, char *why,
                       size_t whysz)
{
  json_error_t err;
  int rc;
  assert(buf || !n);
  why[0] = '\0';
  if (!(*o = json_loadb(buf ? buf : "", n, JSON_REJECT_DUPLICATES, &err)))
    return snprintf(why, whysz, "malformed JSON at line %d, column %d: %s", err.line, err.column,
                    err.text),
           FK_EINVAL;
  rc = json_is_object(*o) ? known_fields(*o, fields, why, whysz)
                          : (snprintf(why, whysz, "the body must be a JSON object"), FK_EINVAL);
  if (rc) {
    json_decref(*o);
    *o = NULL;
  }
  return rc;
}

int fk__entrance_body_parse(const char *buf, size_t n, struct fk__entrance_req *out, char *why,
                            size_t whysz)
{
  assert(out && why && whysz);
  why[0] = '\0';
  return fk__entrance_body_fast(buf, n, out) ? 0 : fk__entrance_body_full(buf, n, out, why, whysz);
}

int fk__entrance_body_full(const char *buf, size_t n, struct fk__entrance_req *out, char *why,
                           size_t whysz)
{
  json_t *o = NULL;
  int rc;
  assert(out && why && whysz);
  memset(out, 0, sizeof *out);
  if ((rc = load_object(buf, n, entrance_fields, &o, why, whysz))) return rc;
  if (!(rc = id_field(o, "person_id", out->person_id, FK__ID_MAX, why, whysz)) &&
      !(rc = id_field(o, "place_id", out->place_id, FK__ID_MAX, why, whysz)))
    rc = entrance_scalars(o, out, why, whysz);
  json_decref(o);
  return rc;
}

int fk__task_body_parse(const char *buf, size_t n, char *proof, size_t proofsz, char *why,
                        size_t whysz)
{
  static const char *const fields[] = {"proof", NULL};
  json_t *o = NULL, *v;
  int rc;
  assert(proof && proofsz && why && whysz);
  proof[0] = '\0';
  if ((rc = load_object(buf, n, fields, &o, why, whysz))) return rc;
  v = json_object_get(o, "proof");
  if (!v) rc = (snprintf(why, whysz, "proof: missing"), FK_EINVAL);
  if (!rc && (!json_is_string(v) || !json_string_length(v) || json_string_length(v) >= proofsz ||
              memchr(json_string_value(v), 0, json_string_length(v))))
    rc = (snprintf(why, whysz, "proof: must be a string of 1 to %zu characters", proofsz - 1),
          FK_EINVAL);
  if (!rc) memcpy(proof, json_string_value(v), json_string_length(v) + 1);
  json_decref(o);
  return rc;
}

/* The verdict of a verification: outbreak, not_outbreak or watch (fk_alert_statuses). */
static int verdict_field(json_t *o, int *verdict, char *why, size_t whysz)
{
  json_t *v = json_object_get(o, "verdict");
  const char *s = json_string_value(v);
  if (!v) return snprintf(why, whysz, "verdict: missing"), FK_EINVAL;
  int i = s ? fk_vocab_index(fk_alert_statuses, s) : FK_ENOTFOUND;
  if (i > FK_ALERT_OPEN && strlen(s) == json_string_length(v)) /* no NUL inside */
    return *verdict = i, 0;
  return snprintf(why, whysz, "verdict: must be \"outbreak\", \"not_outbreak\" or \"watch\""),
         FK_EINVAL;
}

/* The optional note: a string of 1 to notesz - 1 bytes, or null. */
static int note_field(json_t *o, char *note, size_t notesz, char *why, size_t whysz)
{
  json_t *v = json_object_get(o, "note");
  size_t n = json_string_length(v);
  if (!v || json_is_null(v)) return 0;
  if (!json_is_string(v) || !n || n >= notesz || memchr(json_string_value(v), 0, n))
    return snprintf(why, whysz, "note: must be a string of 1 to %zu characters", notesz - 1),
           FK_EINVAL;
  memcpy(note, json_string_value(v), n + 1);
  return 0;
}

int fk__verify_body_parse(const char *buf, size_t n, int *verdict, char *note, size_t notesz,
                          char *why, size_t whysz)
{
  static const char *const fields[] = {"verdict", "note", NULL};
  json_t *o = NULL;
  int rc;
  assert(verdict && note && notesz && why && whysz);
  *verdict = -1;
  note[0] = '\0';
  if ((rc = load_object(buf, n, fields, &o, why, whysz))) return rc;
  if (!(rc = verdict_field(o, verdict, why, whysz))) rc = note_field(o, note, notesz, why, whysz);
  if (rc) *verdict = -1, note[0] = '\0';
  json_decref(o);
  return rc;
}
