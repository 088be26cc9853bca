/*
 * Alerts (预警信号): GET /v1/alerts, the alerts of the token's node as `fangkong alert list
 * --format json` gives them; POST /v1/alerts/{id}/verify, the officer's judgement (核实), done by
 * the writer with its audit row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alerts.h"
#include "fangkong/error.h"
#include "server/request.h"

/* The query's filters, as `fangkong alert list` takes them. */
static void alert_args(struct fk__req *r, struct fk__alert_args *a)
{
  static const char *const names[] = {"status", "level", "channel", "region", "since"};
  const char **v[] = {&a->status, &a->level, &a->channel, &a->region, &a->since};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    *v[i] = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, names[i]);
}

/* The alerts of the query as JSON into a new buffer (open_memstream's: free()), read under the
 * reader's lock. Returns 0, FK_EINVAL (why says which filter), FK_ENOMEM or FK_ESTORE. */
static int alerts_text(struct fk__req *r, char **text, size_t *n, char *why, size_t whysz)
{
  struct fk__alert_args args;
  struct fk__alert_query q;
  FILE *f = NULL;
  int rc;
  alert_args(r, &args);
  pthread_mutex_lock(&r->srv->mu);
  rc = fk__alert_query_parse(r->srv->reader, &args, &q, why, whysz);
  q.scope = r->token.scope;
  if (!rc && !(f = open_memstream(text, n))) rc = FK_ENOMEM;
  if (!rc) rc = fk__alerts_print_json(f, r->srv->reader, &q);
  pthread_mutex_unlock(&r->srv->mu);
  if (f && fclose(f) && !rc) rc = FK_ENOMEM;
  return rc;
}

/* GET /v1/alerts[?status=S][&level=L][&channel=C][&region=R][&since=T]: those whose region
 * lies in the token's node. */
enum MHD_Result fk__route_alerts(struct fk__req *r, const char *url)
{
  char why[512], *text = NULL;
  size_t n = 0;
  enum MHD_Result ok;
  int rc = alerts_text(r, &text, &n, why, sizeof why);
  if (rc) {
    free(text);
    if (rc == FK_EINVAL) return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "%s", why);
    return fk__problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, url, "listing alerts: %s", fk_strerror(rc));
  }
  ok = fk__answer(r, MHD_HTTP_OK, "application/json", text, n);
  free(text);
  return ok;
}

/* The answer once the writer is done: the alert after, or why not. */
static enum MHD_Result verify_answer(struct fk__req *r, const char *url)
{
  if (r->job.rc) return fk__problem_rc(r, url, r->job.rc, &r->job.diag, NULL);
  return fk__answer(r, MHD_HTTP_OK, "application/json", r->job.answer, strlen(r->job.answer));
}

/* POST /v1/alerts/{id}/verify, body {"verdict", "note"?}: as `fangkong alert verify ID --as
 * VERDICT --note NOTE --now T` with the server's clock as T; an alert of the token's node only
 * (else 404, as for an unknown alert); an alert judged before is judged again (its first
 * verification time stays), as the command does. */
enum MHD_Result fk__route_alert_verify(struct fk__req *r, const char *url)
{
  const char *id = url + strlen("/v1/alerts/");
  char why[512], *end;
  long long alert = strtoll(id, &end, 10);
  if (r->state == FK__ANSWERED) return verify_answer(r, url);
  if (end == id || *end != '/' || alert <= 0)
    return fk__problem(r, MHD_HTTP_NOT_FOUND, url, "no alert %.*s", (int)strcspn(id, "/"), id);
  if (fk__verify_body_parse(r->body, r->len, &r->job.verdict, r->job.note, sizeof r->job.note, why,
                            sizeof why))
    return fk__problem(r, MHD_HTTP_BAD_REQUEST, url, "alert verify: %s", why);
  fk__who(r, &r->job.audit);
  snprintf(r->job.audit.action, sizeof r->job.audit.action, "POST /v1/alerts/{id}/verify");
  snprintf(r->job.audit.object, sizeof r->job.audit.object, "alert %lld as %s", alert,
           fk_alert_statuses[r->job.verdict]);
  r->job.kind = FK__JOB_VERIFY;
  r->job.alert = alert;
  r->job.scope = r->token.scope;
  return fk__req_queue(r);
}
