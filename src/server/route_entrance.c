/* POST /v1/entrance-checks (出入口核验): the check is stored by the writer (group commit) and
 * answered once its batch is committed. */
#include <string.h>
#include <time.h>

#include "fangkong/error.h"
#include "server/request.h"

/* The answer to a committed check (written straight as text; through jansson when long). */
static enum MHD_Result answered(struct fk__req *r, const char *url)
{
  char text[4096];
  long n;
  if (r->job.rc) /* unknown, or outside the token's scope: the same 404 */
    return fk__problem_rc(r, url, r->job.rc, &r->job.diag, "the check was not stored");
  fk__metric_add(&fk__metrics.checks, 1);
  r->replied = 1;
  if ((n = fk__entrance_json_text(&r->job.result, text, sizeof text)) >= 0)
    return fk__answer(r, MHD_HTTP_OK, "application/json", text, (size_t)n);
  return fk__answer_json(r, MHD_HTTP_OK, fk__entrance_json(&r->job.result), "application/json");
}

enum MHD_Result fk__route_entrance(struct fk__req *r, const char *url)
{
  char why[512];
  if (r->state == FK__ANSWERED) return answered(r, url);
  if (fk__entrance_body_parse(r->body, r->len, &r->job.req, why, sizeof why))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "entrance check: %s", why);
  if (r->job.req.at == FK_TIME_NONE) r->job.req.at = (fk_time)time(NULL);
  r->job.scope = r->token.scope;
  fk__who(r, &r->job.audit);
  return fk__req_queue(r);
}
