/*
 * Reading a rule set (see fangkong/rules.h). The reader is strict: an unknown key is reported,
 * since in a rule file it is almost always a typo that would silently leave a default in force.
 * Every problem is reported with its path; parsing goes on so one run lists them all.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/json_alloc.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "rules/reader.h"

static void category(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                     enum fk_category *out)
{
  char p[256];
  json_t *v = json_object_get(obj, key);
  if (snprintf(p, sizeof p, "%s.%s", path, key) < 0) p[0] = '\0'; /* a long path is cut */
  if (!v) return;
  const char *s = json_string_value(v);
  if (s && !strcmp(s, "close"))
    *out = FK_CAT_CLOSE;
  else if (s && !strcmp(s, "general"))
    *out = FK_CAT_GENERAL;
  else
    fk__rules_problem(c, p, "must be \"close\" or \"general\"");
}

/* trace.kinds: per place kind, category, dwell and minimum overlap. */
static void kinds(struct fk__rules_ctx *c, json_t *obj, struct fk_trace_rules *t)
{
  static const char *const known[] = {"category", "dwell_minutes", "min_overlap_minutes", "source",
                                      NULL};
  const char *key;
  json_t *v;
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "trace.kinds", "must be an object");
    return;
  }
  json_object_foreach(obj, key, v)
  {
    char p[256];
    int k = fk_vocab_index(fk_place_kinds, key);
    snprintf(p, sizeof p, "trace.kinds.%s", key);
    if (k < 0) {
      fk__rules_problem(c, p, "not a place kind (see docs/FORMATS.md)");
      continue;
    }
    if (!json_is_object(v)) {
      fk__rules_problem(c, p, "must be an object");
      continue;
    }
    struct fk_kind_rules *kr = &t->kinds[k];
    double dwell = (double)kr->dwell / 60, overlap = (double)kr->min_overlap / 60;
    fk__rules_unknown(c, v, p, known);
    category(c, v, p, "category", &kr->category);
    fk__rules_number(c, v, p, "dwell_minutes", 1, 7 * 24 * 60, 0, &dwell);
    fk__rules_number(c, v, p, "min_overlap_minutes", 0, 24 * 60, 0, &overlap);
    fk__rules_text(c, v, p, "source", 0, kr->source, sizeof kr->source);
    kr->dwell = (fk_time)(dwell * 60);
    kr->min_overlap = (fk_time)(overlap * 60);
  }
}

static void trace(struct fk__rules_ctx *c, json_t *obj, struct fk_trace_rules *t)
{
  static const char *const known[] = {"source",
                                      "window_days_before_onset",
                                      "secondary_contacts",
                                      "default_category",
                                      "default_dwell_minutes",
                                      "default_min_overlap_minutes",
                                      "kinds",
                                      NULL};
  double days = 0, dwell = 0, overlap = 0;
  enum fk_category cat = FK_CAT_GENERAL;
  if (!obj || !json_is_object(obj)) {
    fk__rules_problem(c, "trace", "required object");
    return;
  }
  fk__rules_unknown(c, obj, "trace", known);
  fk__rules_text(c, obj, "trace", "source", 1, t->source, sizeof t->source);
  fk__rules_number(c, obj, "trace", "window_days_before_onset", 0, 60, 1, &days);
  fk__rules_boolean(c, obj, "trace", "secondary_contacts", &t->secondary_contacts);
  category(c, obj, "trace", "default_category", &cat);
  fk__rules_number(c, obj, "trace", "default_dwell_minutes", 1, 7 * 24 * 60, 1, &dwell);
  fk__rules_number(c, obj, "trace", "default_min_overlap_minutes", 0, 24 * 60, 0, &overlap);
  t->window_days = (int)days;
  for (int k = 0; k < FK_RULES_MAXKINDS; k++)
    t->kinds[k] = (struct fk_kind_rules){cat, (fk_time)(dwell * 60), (fk_time)(overlap * 60), ""};
  kinds(c, json_object_get(obj, "kinds"), t);
}

/* companion.presence: optional, since the defaults suit pings every 15 minutes to an hour. */
static void presence(struct fk__rules_ctx *c, json_t *obj, struct fk_companion_rules *r)
{
  static const char *const known[] = {"ping_minutes", "max_gap_minutes", "source", NULL};
  double ping = 5, gap = 60;
  r->ping = (fk_time)(ping * 60);
  r->max_gap = (fk_time)(gap * 60);
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "companion.presence", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "companion.presence", known);
  fk__rules_number(c, obj, "companion.presence", "ping_minutes", 0, 24 * 60, 0, &ping);
  fk__rules_number(c, obj, "companion.presence", "max_gap_minutes", 0, 24 * 60, 0, &gap);
  fk__rules_text(c, obj, "companion.presence", "source", 0, r->presence_source,
                 sizeof r->presence_source);
  r->ping = (fk_time)(ping * 60);
  r->max_gap = (fk_time)(gap * 60);
}

static void companion(struct fk__rules_ctx *c, json_t *obj, struct fk_companion_rules *r)
{
  static const char *const known[] = {"source",        "cell_meters", "min_minutes", "dwell_hours",
                                      "lookback_days", "presence",    NULL};
  double minutes = 0, hours = 0, days = 0;
  if (!obj || !json_is_object(obj)) {
    fk__rules_problem(c, "companion", "required object");
    return;
  }
  fk__rules_unknown(c, obj, "companion", known);
  fk__rules_text(c, obj, "companion", "source", 1, r->source, sizeof r->source);
  fk__rules_number(c, obj, "companion", "cell_meters", 10, 100000, 1, &r->cell_meters);
  fk__rules_number(c, obj, "companion", "min_minutes", 0, 24 * 60, 1, &minutes);
  fk__rules_number(c, obj, "companion", "dwell_hours", 0, 24 * 366, 1, &hours);
  fk__rules_number(c, obj, "companion", "lookback_days", 1, 366, 1, &days);
  r->min_overlap = (fk_time)(minutes * 60);
  r->dwell = (fk_time)(hours * 3600);
  r->lookback_days = (int)days;
  presence(c, json_object_get(obj, "presence"), r);
}

int fk_rules_parse(const char *textp, size_t n, const char *origin, struct fk_rules *out,
                   void (*report)(void *arg, const char *path, const char *reason), void *arg,
                   struct fk_diag *diag)
{
  static const char *const known[] = {
      "name",  "title", "issued",     "trace",    "companion", "measures", "areas",  "codes",
      "sites", "tasks", "escalation", "entrance", "briefing",  "scan",     "alerts", NULL};
  struct fk__rules_ctx c = {report, arg, diag, 0};
  json_error_t err;
  fk__json_use_allocator();
  json_t *root = json_loadb(textp, n, JSON_REJECT_DUPLICATES, &err);
  memset(out, 0, sizeof *out);
  if (diag) snprintf(diag->file, sizeof diag->file, "%s", origin ? origin : "");
  if (!root) {
    if (diag) diag->line = err.line;
    if (report) report(arg, "", err.text);
    return fk_diag_set(diag, FK_EPARSE, NULL, "not JSON: %s (line %d, column %d)", err.text,
                       err.line, err.column);
  }
  if (!json_is_object(root)) {
    fk__rules_problem(&c, "", "a rule set is a JSON object");
  } else {
    fk__rules_unknown(&c, root, "", known);
    fk__rules_text(&c, root, "", "name", 1, out->name, sizeof out->name);
    fk__rules_text(&c, root, "", "title", 0, out->title, sizeof out->title);
    fk__rules_text(&c, root, "", "issued", 0, out->issued, sizeof out->issued);
    fk_date issued;
    if (out->issued[0] && fk_date_parse(out->issued, strlen(out->issued), &issued, NULL))
      fk__rules_problem(&c, "issued", "must be a date, YYYY-MM-DD");
    trace(&c, json_object_get(root, "trace"), &out->trace);
    companion(&c, json_object_get(root, "companion"), &out->companion);
    fk__rules_areas(&c, json_object_get(root, "areas"), &out->areas);
    fk__rules_measures(&c, json_object_get(root, "measures"), out);
    fk__rules_codes(&c, json_object_get(root, "codes"), &out->codes);
    if (json_object_get(root, "tasks") || json_object_get(root, "escalation") ||
        json_object_get(root, "entrance")) {
      fk__rules_loop(&c, json_object_get(root, "tasks"), json_object_get(root, "escalation"),
                     json_object_get(root, "entrance"), &out->loop);
      out->sections |= FK_RULES_HAS_LOOP;
    }
    fk__rules_sites(&c, json_object_get(root, "sites"), &out->sites);
    if (json_object_get(root, "briefing")) {
      fk__rules_briefing(&c, json_object_get(root, "briefing"), &out->briefing);
      out->sections |= FK_RULES_HAS_BRIEFING;
    }
    fk__rules_scan(&c, json_object_get(root, "scan"), &out->scan);
    if (json_object_get(root, "alerts")) {
      fk__rules_alerts(&c, json_object_get(root, "alerts"), &out->alerts);
      out->sections |= FK_RULES_HAS_ALERTS;
    }
    static const char *const sections[] = {"measures", "areas", "codes", "sites"};
    for (int i = 0; i < 4; i++)
      if (json_object_get(root, sections[i])) out->sections |= 1u << i;
    if (!c.errors) fk__rules_check_measures(&c, out);
  }
  json_decref(root);
  return c.errors ? FK_EINVAL : 0;
}

int fk_rules_load(const char *path, struct fk_rules *out,
                  void (*report)(void *arg, const char *path, const char *reason), void *arg,
                  struct fk_diag *diag)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int rc;
  if (!f) return fk_diag_set(diag, FK_EIO, NULL, "cannot read rule set %s", path);
  for (;;) {
    if (n == cap) {
      char *p = cap < (16u << 20) ? fk_realloc(buf, cap = cap ? cap * 2 : 65536) : NULL;
      if (!p) {
        fclose(f);
        fk_free(buf);
        return fk_diag_set(diag, FK_ENOMEM, NULL, "rule set %s too large", path);
      }
      buf = p;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  rc = fk_rules_parse(buf, n, path, out, report, arg, diag);
  fk_free(buf);
  return rc;
}

int fk_rules_default(struct fk_rules *out)
{
  size_t n;
  const char *t = fk_rules_default_text(&n);
  return fk_rules_parse(t, n, "protocol-9 (built in)", out, NULL, NULL, NULL);
}
