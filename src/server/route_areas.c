/* GET /v1/areas: the risk areas (风险区) in force, as `fangkong area list --format json`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/areas.h"
#include "fangkong/error.h"
#include "fangkong/table.h"
#include "fangkong/measure.h"
#include "server/request.h"

/* The risk areas in force on d as JSON, into a new buffer (open_memstream's: free()).
 * Returns 0, FK_ENOMEM or the store's error (diag says why). */
static int areas_text(struct fk__req *r, fk_date d, char **text, size_t *n, struct fk_diag *diag)
{
  static const char *const cols[] = {"area_id", "level", "since", "lifts_on", "reason"};
  struct fk_areas as;
  struct fk_table *t = NULL;
  FILE *f = NULL;
  int rc;
  memset(&as, 0, sizeof as);
  pthread_mutex_lock(&r->srv->mu);
  rc = fk_areas_load(r->srv->reader, &as, diag);
  pthread_mutex_unlock(&r->srv->mu);
  if (!rc && (!(t = fk_table_new(5, cols)) || fk__areas_fill(&as, d, 0, r->srv->rules, t) ||
              !(f = open_memstream(text, n))))
    rc = FK_ENOMEM;
  if (!rc) fk_table_print(t, FK_FORMAT_JSON, NULL, f);
  if (f && fclose(f)) rc = FK_ENOMEM;
  fk_table_free(t);
  fk_areas_free(&as);
  return rc;
}

/* GET /v1/areas[?now=T]: public to every role. */
enum MHD_Result fk__route_areas(struct fk__req *r, const char *url)
{
  fk_time now;
  char *text = NULL;
  size_t n = 0;
  enum MHD_Result ok;
  int rc;
  if (fk__arg_time(r, "now", &now))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "now: " FK__BAD_TIME);
  fk_diag_clear(&r->job.diag);
  rc = areas_text(r, now == FK_TIME_NONE ? FK_DATE_NONE : fk_time_date(now), &text, &n,
                  &r->job.diag);
  if (rc) {
    free(text);
    return fk__problem_rc(r, url, rc, &r->job.diag, NULL);
  }
  ok = fk__answer(r, MHD_HTTP_OK, "application/json", text, n);
  free(text);
  return ok;
}
