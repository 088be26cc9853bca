/*
 * GET /v1/briefing: the daily briefing (每日简报) as `fangkong briefing --format json` gives it.
 * The briefing counts the whole city (fk_briefing takes no region), so only a token whose node
 * is the whole city reads it; any other node is answered 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fangkong/briefing.h"
#include "fangkong/error.h"
#include "server/request.h"

/* The briefing's time from the query: now=T as the command's --now, or date=D for the civil day
 * D (its 24 hours end at D's last second, so "date" is D), or else the server's clock. Returns
 * 0, or -1 with why. */
static int briefing_time(struct fk__req *r, fk_time *now, char *why, size_t whysz)
{
  const char *date = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "date");
  fk_date d;
  if (fk__arg_time(r, "now", now)) return snprintf(why, whysz, "now: " FK__BAD_TIME), -1;
  if (date && *now != FK_TIME_NONE) return snprintf(why, whysz, "give date or now, not both"), -1;
  if (date && fk_date_parse(date, strlen(date), &d, NULL))
    return snprintf(why, whysz, "date: must be a date YYYY-MM-DD"), -1;
  if (date) *now = fk_date_start(d + 1) - 1;
  if (*now == FK_TIME_NONE) *now = (fk_time)time(NULL);
  return 0;
}

/* The briefing as of now as JSON into a new buffer (open_memstream's: free()), read under the
 * reader's lock. Returns 0, FK_ENOMEM or FK_ESTORE (diag says why). */
static int briefing_text(struct fk__req *r, fk_time now, char **text, size_t *n,
                         struct fk_diag *diag)
{
  struct fk_briefing b;
  FILE *f = NULL;
  int rc;
  memset(&b, 0, sizeof b);
  pthread_mutex_lock(&r->srv->mu);
  rc = fk_briefing(r->srv->reader, r->srv->rules, now, &b, diag);
  pthread_mutex_unlock(&r->srv->mu);
  if (!rc && !(f = open_memstream(text, n)))
    rc = fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory");
  if (!rc) fk__briefing_print_json(f, &b);
  if (f && fclose(f) && !rc) rc = fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory");
  fk_briefing_free(&b);
  return rc;
}

/* GET /v1/briefing[?date=D | ?now=T]. */
enum MHD_Result fk__route_briefing(struct fk__req *r, const char *url)
{
  char why[256], *text = NULL;
  size_t n = 0;
  fk_time now;
  enum MHD_Result ok;
  int rc;
  if (briefing_time(r, &now, why, sizeof why))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "%s", why);
  if (r->token.scope)
    return fk__problem(r, MHD_HTTP_NOT_FOUND, url,
                       "the briefing covers the whole city: no briefing for this token's node");
  fk_diag_clear(&r->job.diag);
  if ((rc = briefing_text(r, now, &text, &n, &r->job.diag))) {
    free(text);
    return fk__problem_rc(r, url, rc, &r->job.diag, "briefing");
  }
  ok = fk__answer(r, MHD_HTTP_OK, "application/json", text, n);
  free(text);
  return ok;
}
