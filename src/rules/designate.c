/*
 * Reading `areas.designate` (see fangkong/rules.h): which level a case's home grid gets, and
 * which level the grid of a place where the case stayed gets, for which place kinds. Optional:
 * a file without it designates no area, which `rules check` notes.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "rules/reader.h"

/* The level named at obj.level: a level the file uses, above low. */
static void level_of(struct fk__rules_ctx *c, json_t *obj, const char *path,
                     const struct fk_area_rules *a, struct fk_area_designation *d)
{
  char p[256];
  const char *s = json_string_value(json_object_get(obj, "level"));
  snprintf(p, sizeof p, "%s.level", path);
  if (!json_object_get(obj, "level")) {
    fk__rules_problem(c, p, "required");
    return;
  }
  int l = s ? fk_vocab_index(fk_area_levels, s) : FK_ENOTFOUND;
  if (l >= FK_AREA_MEDIUM) {
    if (!a->levels[l].used)
      fk__rules_problem(c, p, "areas.levels has no %s areas", fk_area_levels[l]);
    d->level = (enum fk_area_level)l;
    return;
  }
  fk__rules_problem(c, p, "must be medium or high (the rest of the county is low)");
}

/* obj.key as a list of place kinds: marks each in `mark` with `value`. Returns 1 when present. */
static int kind_list(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                     unsigned char *mark, unsigned char value)
{
  char p[256];
  json_t *list = json_object_get(obj, key);
  snprintf(p, sizeof p, "%s.%s", path, key);
  if (!list) return 0;
  if (!json_is_array(list)) {
    fk__rules_problem(c, p, "must be a list of place kinds");
    return 1;
  }
  for (size_t i = 0; i < json_array_size(list); i++) {
    const char *s = json_string_value(json_array_get(list, i));
    int k = s ? fk_vocab_index(fk_place_kinds, s) : FK_ENOTFOUND;
    if (k < 0) {
      char pi[300];
      snprintf(pi, sizeof pi, "%s[%zu]", p, i);
      fk__rules_problem(c, pi, "not a place kind (see docs/FORMATS.md)");
      continue;
    }
    mark[k] = value;
  }
  return 1;
}

static void designation(struct fk__rules_ctx *c, json_t *obj, const char *path, int stayed,
                        const struct fk_area_rules *a, struct fk_area_designation *d)
{
  static const char *const home_known[] = {"level", "source", NULL};
  static const char *const stayed_known[] = {"level", "kinds", "except_kinds", "source", NULL};
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, path, "must be an object");
    return;
  }
  d->used = 1;
  fk__rules_unknown(c, obj, path, stayed ? stayed_known : home_known);
  fk__rules_text(c, obj, path, "source", 1, d->source, sizeof d->source);
  level_of(c, obj, path, a, d);
  if (!stayed) return;
  int listed = kind_list(c, obj, path, "kinds", d->kinds, 1);
  if (!listed) /* every kind, but those excepted */
    for (int k = 0; fk_place_kinds[k] && k < FK_RULES_MAXKINDS; k++)
      d->kinds[k] = 1;
  if (kind_list(c, obj, path, "except_kinds", d->kinds, 0) && listed)
    fk__rules_problem(c, path, "give kinds or except_kinds, not both");
}

void fk__rules_designate(struct fk__rules_ctx *c, json_t *obj, struct fk_area_rules *a)
{
  static const char *const known[] = {"source", "home", "stayed", NULL};
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "areas.designate", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "areas.designate", known);
  fk__rules_text(c, obj, "areas.designate", "source", 1, a->designate_source,
                 sizeof a->designate_source);
  designation(c, json_object_get(obj, "home"), "areas.designate.home", 0, a, &a->home);
  designation(c, json_object_get(obj, "stayed"), "areas.designate.stayed", 1, a, &a->stayed);
  if (!a->home.used) fk__rules_problem(c, "areas.designate.home", "required");
}
