/*
 * The level an area had at a time, from the stored history (see fk_areas_level_at), and what an
 * arrival's origin names among the areas (fk_areas_match).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/areas.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ingest.h"
#include "fangkong/measure.h"

static int keep(void *arg, const struct fk_area_row *a)
{
  struct fk_areas *as = arg;
  if ((as->n & (as->n - 1)) == 0) { /* 0, 1, 2, 4, ...: double */
    struct fk_area_row *p = fk_realloc(as->a, (size_t)(as->n ? as->n * 2 : 1) * sizeof *p);
    if (!p) return FK_ENOMEM;
    as->a = p;
  }
  as->a[as->n++] = *a;
  return 0;
}

static int by_area_id(const void *a, const void *b)
{
  return strcmp(((const struct fk_area_row *)a)->area_id, ((const struct fk_area_row *)b)->area_id);
}

int fk_areas_load(struct fk_store *st, struct fk_areas *out, struct fk_diag *diag)
{
  memset(out, 0, sizeof *out);
  int rc = fk_store_each_area(st, keep, out);
  if (rc) {
    fk_areas_free(out);
    return fk_diag_set(diag, rc, NULL, "reading risk areas: %s",
                       rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  }
  if (out->n) qsort(out->a, (size_t)out->n, sizeof *out->a, by_area_id);
  return 0;
}

void fk_areas_free(struct fk_areas *as)
{
  fk_free(as->a);
  as->a = NULL;
  as->n = 0;
}

const struct fk_area_row *fk_areas_find(const struct fk_areas *as, const char *area_id)
{
  int lo = 0, hi = as->n;
  while (lo < hi) { /* by hand: bsearch would want a whole row as the key */
    int mid = lo + (hi - lo) / 2, c = strcmp(as->a[mid].area_id, area_id);
    if (!c) return &as->a[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

const struct fk_area_span *fk_area_span_at(const struct fk_area_row *a, fk_date d)
{
  for (int i = a->nspans - 1; i >= 0; i--) {
    const struct fk_area_span *s = &a->spans[i];
    if (s->from <= d && (s->to == FK_DATE_NONE || d < s->to)) return s;
  }
  return NULL;
}

/* The level of grid or district area a on date d, its district's when a grid is not above low
 * then. */
static const struct fk_area_span *span_of(const struct fk_areas *as, const struct fk_area_row *a,
                                          fk_date d)
{
  const struct fk_area_span *s = fk_area_span_at(a, d);
  if (s || a->kind == FK_AREA_DISTRICT) return s;
  const struct fk_area_row *county = fk_areas_find(as, a->district);
  return county ? fk_area_span_at(county, d) : NULL;
}

void fk_areas_level_at(const struct fk_areas *as, const char *area_id, fk_time t, int *level,
                       const struct fk_area_span **span)
{
  const struct fk_area_row *a = fk_areas_find(as, area_id);
  const struct fk_area_span *s = a ? span_of(as, a, fk_time_date(t)) : NULL;
  *level = s ? s->level : -1;
  if (span) *span = s;
}

int fk_area_level_at(struct fk_store *st, const char *area_id, fk_time t, int *level,
                     struct fk_diag *diag)
{
  struct fk_areas as;
  int rc = fk_areas_load(st, &as, diag);
  *level = -1;
  if (rc) return rc;
  fk_areas_level_at(&as, area_id, t, level, NULL);
  fk_areas_free(&as);
  return 0;
}

/* 1 when s could be a grid_id or a place_id (the feeds' id type): only then is the store asked,
 * so origins such as "北京市" cost no lookup. */
static int could_be_id(const char *s)
{
  static const struct fk_column id = {.name = "origin", .type = FK_COL_ID};
  struct fk_value v;
  return fk_value_parse(&id, s, strlen(s), &v, NULL) == 0;
}

int fk_areas_match(const struct fk_areas *as, struct fk_store *st, const char *origin, fk_time t,
                   int *level, char *area_id)
{
  struct fk_location l;
  const struct fk_area_span *s = NULL;
  *level = -1;
  area_id[0] = '\0';
  if (!as->n || !origin || !origin[0] || strlen(origin) >= FK_AREA_ID) return 0;
  const struct fk_area_row *a = fk_areas_find(as, origin);
  if (!a && could_be_id(origin)) { /* a grid or place not designated: its grid, or district */
    int rc = fk_store_locate(st, FK_LOCATE_TEXT, 0, origin, &l);
    if (rc) return rc == FK_ENOTFOUND ? 0 : rc;
    a = l.grid_id[0] ? fk_areas_find(as, l.grid_id) : NULL;
    if (!a) a = fk_areas_find(as, l.district);
  }
  if (a) s = span_of(as, a, fk_time_date(t));
  if (!s) return 0;
  *level = s->level;
  snprintf(area_id, FK_AREA_ID, "%s",
           s->level == FK_AREA_LOW && a->kind == FK_AREA_GRID ? a->district : a->area_id);
  return 0;
}
