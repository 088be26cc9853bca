/*
 * Reading the `sites` section of a rule set (see struct fk_site_rules): how rooms at
 * centralized quarantine sites are given. Optional, since a rule set for tracing alone needs
 * none; when present every rule in it carries its source.
 */
#include <stdio.h>

#include "fangkong/rules.h"
#include "rules/reader.h"

void fk__rules_sites(struct fk__rules_ctx *c, json_t *obj, struct fk_site_rules *out)
{
  static const char *const known[] = {"source", "households", "accessible", NULL};
  static const char *const hknown[] = {"together", "source", NULL};
  static const char *const aknown[] = {"from_age", "source", NULL};
  double age = 0;
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "sites", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "sites", known);
  fk__rules_text(c, obj, "sites", "source", 1, out->source, sizeof out->source);
  json_t *h = json_object_get(obj, "households"), *a = json_object_get(obj, "accessible");
  if (!h || !json_is_object(h)) {
    fk__rules_problem(c, "sites.households", "required object");
  } else {
    fk__rules_unknown(c, h, "sites.households", hknown);
    if (!json_is_boolean(json_object_get(h, "together")))
      fk__rules_problem(c, "sites.households.together", "required: true or false");
    fk__rules_boolean(c, h, "sites.households", "together", &out->households_together);
    fk__rules_text(c, h, "sites.households", "source", 1, out->households_source,
                   sizeof out->households_source);
  }
  if (!a || !json_is_object(a)) {
    fk__rules_problem(c, "sites.accessible", "required object");
  } else {
    fk__rules_unknown(c, a, "sites.accessible", aknown);
    fk__rules_number(c, a, "sites.accessible", "from_age", 0, 150, 1, &age);
    if (age != (int)age) fk__rules_problem(c, "sites.accessible.from_age", "must be whole years");
    out->accessible_from_age = (int)age;
    fk__rules_text(c, a, "sites.accessible", "source", 1, out->accessible_source,
                   sizeof out->accessible_source);
  }
}
