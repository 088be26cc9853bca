/*
 * GET /v1/persons/{id}/contacts: a case's contacts from the trace index the server keeps fresh
 * (tracing.c), as `fangkong trace --case ID --format json` prints them, traced on the aside thread
 * (aside.c) and answered once the read is in the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/store.h"
#include "server/request.h"

/* Reads the query argument name, one of "0", "1", "2" within [lo, hi], into *v (dflt when
 * absent). Returns 0, or -1 when it is something else. */
static int arg_digit(struct fk__req *r, const char *name, int lo, int hi, int dflt, int *v)
{
  const char *s = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, name);
  *v = dflt;
  if (!s) return 0;
  if (strlen(s) != 1 || s[0] < '0' + lo || s[0] > '0' + hi) return -1;
  *v = s[0] - '0';
  return 0;
}

/* Sets *in to 1 when person_id is a person whose home lies in the token's node. Returns 0 or
 * FK_ESTORE (diag says why). Under the reader's lock. */
static int person_visible(struct fk__req *r, const char *person_id, int *in, struct fk_diag *diag)
{
  struct fk_store *st = r->srv->reader;
  int64_t person = 0;
  int rc;
  *in = 0;
  pthread_mutex_lock(&r->srv->mu);
  rc = fk_store_person_id(st, person_id, &person);
  *in = !rc && person;
  if (*in && r->token.scope) rc = fk_store_person_in(st, person, r->token.scope, in);
  if (rc) fk_diag_set(diag, rc, NULL, "store: %s", fk_store_errmsg(st));
  pthread_mutex_unlock(&r->srv->mu);
  return rc;
}

/* The answer once the audit row is committed: the trace's text handed over, not copied (a
 * depth-2 trace of a large cluster runs to hundreds of megabytes). */
static enum MHD_Result answer(struct fk__req *r, const char *url)
{
  char *text = r->pending;
  if (r->job.rc) return fk__problem_rc(r, url, r->job.rc, &r->job.diag, "the read was not audited");
  r->pending = NULL;
  return fk__answer_owned(r, MHD_HTTP_OK, "application/json", text, strlen(text));
}

/* The trace, on the aside thread: a depth-2 trace of a large cluster takes hundreds of
 * milliseconds at the real city's scale, which the loop's other connections must not wait for. */
static void trace_aside(struct fk__req *r)
{
  size_t n;
  fk_diag_clear(&r->job.diag);
  r->contacts.rc =
      fk__tracing_contacts(r->srv->tracing, r->contacts.person_id, r->contacts.now,
                           r->contacts.depth, r->contacts.merge, &r->pending, &n, &r->job.diag);
}

/* After the trace: its answer kept for once the read is audited, or its error. */
static enum MHD_Result traced(struct fk__req *r, const char *url)
{
  char object[128], msg[1024];
  int rc = r->contacts.rc;
  if (rc == FK_ENOTFOUND || rc == FK_EINVAL)
    return fk__problem(r, rc == FK_ENOTFOUND ? MHD_HTTP_CONFLICT : MHD_HTTP_BAD_REQUEST, url, "%s",
                       fk_diag_format(&r->job.diag, msg, sizeof msg));
  if (rc) return fk__problem_rc(r, url, rc, &r->job.diag, NULL);
  snprintf(object, sizeof object, "contacts of person %s", r->contacts.person_id);
  return fk__req_audited(r, "GET /v1/persons/{id}/contacts", object);
}

/* GET /v1/persons/{id}/contacts[?now=T][&depth=1|2][&merge=0|1]: 400 bad arguments (or now
 * missing where the trace needs it), 404 unknown or outside the token's node, 409 not a case. */
enum MHD_Result fk__route_contacts(struct fk__req *r, const char *url)
{
  const char *id = url + strlen("/v1/persons/");
  size_t idlen = strcspn(id, "/");
  char *person_id = r->contacts.person_id;
  int in, rc;
  if (r->state == FK__ANSWERED) return answer(r, url);
  if (r->state == FK__ASIDE_DONE) return traced(r, url);
  if (fk__arg_time(r, "now", &r->contacts.now))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "now: " FK__BAD_TIME);
  if (arg_digit(r, "depth", 1, 2, 2, &r->contacts.depth))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "depth: must be 1 or 2");
  if (arg_digit(r, "merge", 0, 1, 0, &r->contacts.merge))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "merge: must be 0 or 1");
  if (idlen > FK__ID_MAX) return fk__problem(r, MHD_HTTP_NOT_FOUND, url, "no person");
  memcpy(person_id, id, idlen);
  person_id[idlen] = '\0';
  fk_diag_clear(&r->job.diag);
  if ((rc = person_visible(r, person_id, &in, &r->job.diag)))
    return fk__problem_rc(r, url, rc, &r->job.diag, NULL);
  if (!in) return fk__problem(r, MHD_HTTP_NOT_FOUND, url, "no person %s", person_id);
  return fk__req_aside(r, trace_aside);
}
