/* GET /v1/persons/{id}: a person as the token may see them, answered once the read is in the
 * audit log. */
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "server/request.h"

/* GET /v1/persons/{id}[?now=T]: read under the reader's lock, answered once its audit row (a
 * read of a person) is committed by the writer. */
enum MHD_Result fk__route_person(struct fk__req *r, const char *url)
{
  const char *id = url + strlen("/v1/persons/");
  fk_time now;
  json_t *o = NULL;
  char object[128];
  int rc;
  if (r->state == FK__ANSWERED) {
    if (r->job.rc)
      return fk__problem_rc(r, url, r->job.rc, &r->job.diag, "the read was not audited");
    return fk__answer(r, MHD_HTTP_OK, "application/json", r->pending, strlen(r->pending));
  }
  if (fk__arg_time(r, "now", &now))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "now: " FK__BAD_TIME);
  if (strlen(id) > FK__ID_MAX) return fk__problem(r, MHD_HTTP_NOT_FOUND, url, "no person");
  fk_diag_clear(&r->job.diag);
  pthread_mutex_lock(&r->srv->mu);
  rc = fk__person_read(r->srv->reader, r->srv->rules, id, &r->token, now, &o, &r->job.diag);
  pthread_mutex_unlock(&r->srv->mu);
  if (rc == FK_ENOTFOUND) return fk__problem(r, MHD_HTTP_NOT_FOUND, url, "no person %s", id);
  if (rc) return fk__problem_rc(r, url, rc, &r->job.diag, NULL);
  r->pending = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!r->pending) return MHD_NO;
  snprintf(object, sizeof object, "person %s", id);
  return fk__req_audited(r, "GET /v1/persons/{id}", object);
}
