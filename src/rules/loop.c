/*
 * Reading the `tasks`, `escalation` and `entrance` sections of a rule set (see fangkong/rules.h):
 * the deadlines of the tasks the loop makes, how an overdue task climbs the hierarchy, and what
 * an entrance check refuses. Strict like the rest of the reader.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/rules.h"
#include "rules/reader.h"

/* tasks.transfer.kinds: {"centralized_quarantine": minutes, ...}. */
static void transfer_kinds(struct fk__rules_ctx *c, json_t *obj, const char *path,
                           struct fk_task_rules *t)
{
  const char *key;
  json_t *v;
  char p[256];
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, path, "must be an object of measure kinds and minutes");
    return;
  }
  json_object_foreach(obj, key, v)
  {
    int k = fk_vocab_index(fk_measure_kinds, key);
    snprintf(p, sizeof p, "%.160s.%.64s", path, key);
    if (k < 0) {
      fk__rules_problem(c, p, "not a measure kind");
      continue;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100000) {
      fk__rules_problem(c, p, "must be minutes, 1..100000");
      continue;
    }
    t->kinds[k] = 1;
    t->kind_minutes[k] = (int)json_integer_value(v);
  }
}

static void tasks(struct fk__rules_ctx *c, json_t *obj, struct fk_task_rules *out)
{
  static const char *const known[] = {"due_minutes", "kinds", "source", NULL};
  const char *key;
  json_t *v;
  char p[256];
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "tasks", obj ? "must be an object" : "required object");
    return;
  }
  json_object_foreach(obj, key, v)
  {
    if (!strcmp(key, "source")) continue;
    int k = fk_vocab_index(fk_task_kinds, key);
    snprintf(p, sizeof p, "tasks.%.64s", key);
    if (k < 0) {
      fk__rules_problem(c, p, "not a task kind (notify, transfer, sample, release)");
      continue;
    }
    if (!json_is_object(v)) {
      fk__rules_problem(c, p, "must be an object");
      continue;
    }
    struct fk_task_rules *t = &out[k];
    fk__rules_unknown(c, v, p, known);
    t->used = 1;
    fk__rules_int(c, v, p, "due_minutes", 0, 100000, 1, &t->due_minutes);
    fk__rules_text(c, v, p, "source", 1, t->source, sizeof t->source);
    if (k == FK_TASK_TRANSFER) {
      char kp[256];
      snprintf(kp, sizeof kp, "%.200s.kinds", p);
      if (!json_object_get(v, "kinds"))
        fk__rules_problem(c, kp, "required: the first-phase kinds a transfer serves");
      transfer_kinds(c, json_object_get(v, "kinds"), kp, t);
    } else if (json_object_get(v, "kinds")) {
      fk__rules_problem(c, p, "only a transfer has kinds");
    }
  }
}

static void escalation(struct fk__rules_ctx *c, json_t *obj, struct fk_escalation_rules *out)
{
  static const char *const known[] = {"after_minutes", "source", NULL};
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "escalation", obj ? "must be an object" : "required object");
    return;
  }
  fk__rules_unknown(c, obj, "escalation", known);
  fk__rules_text(c, obj, "escalation", "source", 1, out->source, sizeof out->source);
  json_t *a = json_object_get(obj, "after_minutes");
  for (int l = 0; l < FK_LEVEL_N; l++)
    out->after_minutes[l] = -1;
  out->after_minutes[FK_LEVEL_GRID] = 0;
  if (!json_is_object(a)) {
    fk__rules_problem(c, "escalation.after_minutes",
                      "required object: minutes overdue at which a task reaches each level");
    return;
  }
  static const char *const levels[] = {"community", "street", "district", "city", NULL};
  fk__rules_unknown(c, a, "escalation.after_minutes", levels);
  int last = 0;
  for (int l = FK_LEVEL_COMMUNITY; l >= FK_LEVEL_CITY; l--) {
    fk__rules_int(c, a, "escalation.after_minutes", fk_levels[l], 1, 1000000, 0,
                  &out->after_minutes[l]);
    if (out->after_minutes[l] < 0) continue;
    if (out->after_minutes[l] <= last) {
      char p[256];
      snprintf(p, sizeof p, "escalation.after_minutes.%s", fk_levels[l]);
      fk__rules_problem(c, p, "must come later than the level below");
    }
    last = out->after_minutes[l];
  }
}

/* Reads a list of names into flags (size n) by their index in names. */
static void flags(struct fk__rules_ctx *c, json_t *obj, const char *key, const char *const *names,
                  int *out, int n)
{
  char p[256];
  json_t *v = json_object_get(obj, key), *e;
  size_t i;
  snprintf(p, sizeof p, "entrance.%s", key);
  if (!json_is_array(v)) {
    fk__rules_problem(c, p, "required list");
    return;
  }
  memset(out, 0, (size_t)n * sizeof *out);
  json_array_foreach(v, i, e)
  {
    int k = fk_vocab_index(names, json_string_value(e));
    if (k < 0 || k >= n)
      fk__rules_problem(c, p, "item %zu is not one of the names allowed here", i);
    else
      out[k] = 1;
  }
}

static void entrance(struct fk__rules_ctx *c, json_t *obj, struct fk_entrance_rules *out)
{
  static const char *const known[] = {
      "fever_celsius", "mask_required", "deny_codes", "deny_area_levels",
      "deny_confined", "source",        NULL};
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "entrance", obj ? "must be an object" : "required object");
    return;
  }
  fk__rules_unknown(c, obj, "entrance", known);
  fk__rules_number(c, obj, "entrance", "fever_celsius", 35, 42, 1, &out->fever_celsius);
  fk__rules_boolean(c, obj, "entrance", "mask_required", &out->mask_required);
  fk__rules_boolean(c, obj, "entrance", "deny_confined", &out->deny_confined);
  flags(c, obj, "deny_codes", fk_codes, out->deny_code, 3);
  flags(c, obj, "deny_area_levels", fk_area_levels, out->deny_area, 3);
  fk__rules_text(c, obj, "entrance", "source", 1, out->source, sizeof out->source);
}

void fk__rules_loop(struct fk__rules_ctx *c, json_t *t, json_t *e, json_t *en,
                    struct fk_loop_rules *out)
{
  tasks(c, t, out->tasks);
  escalation(c, e, &out->escalation);
  entrance(c, en, &out->entrance);
}

void fk__rules_briefing(struct fk__rules_ctx *c, json_t *obj, struct fk_briefing_rules *out)
{
  static const char *const known[] = {"placed_within_hours", "source", NULL};
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "briefing", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "briefing", known);
  fk__rules_int(c, obj, "briefing", "placed_within_hours", 1, 1000, 1, &out->placed_within_hours);
  fk__rules_text(c, obj, "briefing", "source", 1, out->source, sizeof out->source);
}
