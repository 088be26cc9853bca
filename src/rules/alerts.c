/*
 * Reading the `alerts` section of a rule set (see fangkong/rules.h): the response deadline,
 * the days scanned and their history, and for each channel its levels and methods with their
 * parameters by R's names (checked here, so a typo fails `fangkong rules check`).
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "rules/reader.h"

/* Reads params {"key": "value" or number} of one method into m->params. */
static void params(struct fk__rules_ctx *c, json_t *obj, const char *path,
                   struct fk_alert_method *m)
{
  const char *key;
  json_t *v;
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, path, "must be an object of parameters by R's names");
    return;
  }
  json_object_foreach(obj, key, v)
  {
    char text[64];
    struct fk_diag d;
    if (json_is_string(v))
      snprintf(text, sizeof text, "%s", json_string_value(v));
    else if (json_is_number(v))
      snprintf(text, sizeof text, "%.17g", json_number_value(v));
    else if (json_is_boolean(v))
      snprintf(text, sizeof text, "%s", json_is_true(v) ? "TRUE" : "FALSE");
    else {
      fk__rules_problem(c, path, "%s must be a string, number or boolean", key);
      continue;
    }
    fk_diag_clear(&d);
    if (fk_detect_param_set((enum fk_detect_method)m->method, &m->params, key, text, &d))
      fk__rules_problem(c, path, "%s: %s", key, d.reason);
  }
}

static void methods(struct fk__rules_ctx *c, json_t *arr, const char *path,
                    struct fk_alert_source *s)
{
  static const char *const known[] = {"method", "params", NULL};
  char p[256];
  size_t i;
  json_t *e;
  if (!json_is_array(arr) || !json_array_size(arr) || json_array_size(arr) > FK_ALERT_MAX_METHODS) {
    fk__rules_problem(c, path, "required list of 1 to %d methods", FK_ALERT_MAX_METHODS);
    return;
  }
  json_array_foreach(arr, i, e)
  {
    struct fk_alert_method *m = &s->methods[s->nmethods];
    snprintf(p, sizeof p, "%.200s[%zu]", path, i);
    if (!json_is_object(e)) {
      fk__rules_problem(c, p, "must be an object");
      continue;
    }
    fk__rules_unknown(c, e, p, known);
    const char *name = json_string_value(json_object_get(e, "method"));
    int k = name ? fk_detect_method_find(name) : -1;
    if (k < 0) {
      fk__rules_problem(c, p, "method must name a detection method (fangkong detect --help)");
      continue;
    }
    m->method = k;
    fk_detect_defaults((enum fk_detect_method)k, 1, &m->params);
    snprintf(p + strlen(p), sizeof p - strlen(p), ".params");
    params(c, json_object_get(e, "params"), p, m);
    s->nmethods++;
  }
}

static void levels(struct fk__rules_ctx *c, json_t *arr, const char *path, int *out)
{
  size_t i;
  json_t *e;
  memset(out, 0, FK_LEVEL_N * sizeof *out);
  if (!json_is_array(arr) || !json_array_size(arr)) {
    fk__rules_problem(c, path,
                      "required list of levels (city, district, street, community, "
                      "grid)");
    return;
  }
  json_array_foreach(arr, i, e)
  {
    int found = json_is_string(e) ? fk_vocab_index(fk_levels, json_string_value(e)) : -1;
    if (found < 0)
      fk__rules_problem(c, path, "item %zu is not a level", i);
    else
      out[found] = 1;
  }
}

static void source(struct fk__rules_ctx *c, json_t *e, const char *path, struct fk_alert_source *s)
{
  static const char *const known[] = {"channel", "levels", "methods", NULL};
  char p[256];
  if (!json_is_object(e)) {
    fk__rules_problem(c, path, "must be an object");
    return;
  }
  fk__rules_unknown(c, e, path, known);
  fk__rules_text(c, e, path, "channel", 1, s->channel, sizeof s->channel);
  snprintf(p, sizeof p, "%.200s.levels", path);
  levels(c, json_object_get(e, "levels"), p, s->levels);
  snprintf(p, sizeof p, "%.200s.methods", path);
  methods(c, json_object_get(e, "methods"), p, s);
}

void fk__rules_alerts(struct fk__rules_ctx *c, json_t *obj, struct fk_alert_rules *out)
{
  static const char *const known[] = {
      "verify_hours", "scan_days", "history_days", "join_days", "sources", "source", NULL};
  char p[64];
  size_t i;
  json_t *e, *arr;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "alerts", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "alerts", known);
  fk__rules_text(c, obj, "alerts", "source", 1, out->source, sizeof out->source);
  fk__rules_int(c, obj, "alerts", "verify_hours", 1, 24 * 30, 1, &out->verify_hours);
  fk__rules_int(c, obj, "alerts", "scan_days", 1, 366, 1, &out->scan_days);
  fk__rules_int(c, obj, "alerts", "history_days", 7, 3 * 366 + 60, 1, &out->history_days);
  fk__rules_int(c, obj, "alerts", "join_days", 0, 366, 1, &out->join_days);
  arr = json_object_get(obj, "sources");
  if (!json_is_array(arr) || !json_array_size(arr) || json_array_size(arr) > FK_ALERT_MAX_SOURCES) {
    fk__rules_problem(c, "alerts.sources", "required list of 1 to %d sources",
                      FK_ALERT_MAX_SOURCES);
    return;
  }
  json_array_foreach(arr, i, e)
  {
    snprintf(p, sizeof p, "alerts.sources[%zu]", i);
    source(c, e, p, &out->sources[out->nsources++]);
  }
}
