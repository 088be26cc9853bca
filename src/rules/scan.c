/* Reading the `scan` section of a rule set (see fangkong/rules.h). */
#include <math.h>

#include "fangkong/rules.h"
#include "fangkong/scan.h"
#include "rules/reader.h"

void fk__rules_scan(struct fk__rules_ctx *c, json_t *obj, struct fk_scan_rules *out)
{
  static const char *const known[] = {"source",     "max_days", "max_share",
                                      "replicates", "seed",     NULL};
  double days = 0, replicates = 0;
  if (!obj) return;
  if (!json_is_object(obj)) {
    fk__rules_problem(c, "scan", "must be an object");
    return;
  }
  fk__rules_unknown(c, obj, "scan", known);
  fk__rules_text(c, obj, "scan", "source", 1, out->source, sizeof out->source);
  fk__rules_number(c, obj, "scan", "max_days", 1, FK_SCAN_MAX_DAYS, 1, &days);
  fk__rules_number(c, obj, "scan", "max_share", 0, 1, 1, &out->max_share);
  fk__rules_number(c, obj, "scan", "replicates", 0, FK_SCAN_MAX_REPLICATES, 1, &replicates);
  fk__rules_number(c, obj, "scan", "seed", 0, 9007199254740991.0, 1, &out->seed);
  if (days != floor(days)) fk__rules_problem(c, "scan.max_days", "must be a whole number");
  if (replicates != floor(replicates))
    fk__rules_problem(c, "scan.replicates", "must be a whole number");
  if (out->seed != floor(out->seed)) fk__rules_problem(c, "scan.seed", "must be a whole number");
  if (!(out->max_share > 0)) fk__rules_problem(c, "scan.max_share", "must be above 0");
  out->max_days = (int)days;
  out->replicates = (int)replicates;
}
