/* The risk areas in force as a table: what `fangkong area list` prints and GET /v1/areas answers.
 */
#include <stdio.h>

#include "fangkong/error.h"
#include "fangkong/areas.h"
#include "fangkong/table.h"
#include "present/present.h"

/* The level names officials look for, beside the English. */
static const char *const level_zh[] = {"低风险区", "中风险区", "高风险区"};

/* When the risk designation holding s (of area a) ends: the projection while it is in force,
 * else the end of the run of spans it belongs to. */
static fk_date lifts_on(const struct fk_area_row *a, const struct fk_area_span *s)
{
  int i = (int)(s - a->spans);
  while (i + 1 < a->nspans && a->spans[i].to == a->spans[i + 1].from)
    i++;
  return a->spans[i].to == FK_DATE_NONE ? a->lifts_on : a->spans[i].to;
}

/* One row per area in force on d (as last updated when d is FK_DATE_NONE). */
int fk__areas_fill(const struct fk_areas *as, fk_date d, int text, const struct fk_rules *r,
                   struct fk_table *t)
{
  int rc = 0;
  for (int k = FK_AREA_NLEVELS - 1; k >= 0; k--) /* high first */
    for (int i = 0; !rc && i < as->n; i++) {
      const struct fk_area_row *a = &as->a[i];
      const struct fk_area_span *s =
          d == FK_DATE_NONE
              ? (a->nspans && a->spans[a->nspans - 1].to == FK_DATE_NONE ? &a->spans[a->nspans - 1]
                                                                         : NULL)
              : fk_area_span_at(a, d);
      if (!s || s->level != k) continue;
      char since[FK_DATE_BUFSZ], lifts[FK_DATE_BUFSZ], level[64], reason[800];
      fk_date l = lifts_on(a, s);
      snprintf(level, sizeof level, "%s", fk_area_levels[k]);
      snprintf(reason, sizeof reason, "%s", s->reason);
      if (text) {
        snprintf(level, sizeof level, "%s %s", level_zh[k], fk_area_levels[k]);
        snprintf(reason, sizeof reason, "%s (rule: %.300s)", s->reason, r->areas.levels[k].source);
      }
      const char *row[] = {a->area_id, level, fk_date_format(s->from, since),
                           l == FK_DATE_NONE ? NULL : fk_date_format(l, lifts), reason};
      rc = fk_table_add(t, row);
    }
  return rc;
}
