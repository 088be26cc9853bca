/* The open routes: GET /v1/health, /v1/metrics (Prometheus text), /v1/openapi.json. */
#include "fangkong/version.h"
#include "server/request.h"

enum MHD_Result fk__route_health(struct fk__req *r, const char *url)
{
  (void)url;
  return fk__answer_json(r, MHD_HTTP_OK,
                         json_pack("{s:s, s:s}", "status", "ok", "version", fk_version()),
                         "application/json");
}

enum MHD_Result fk__route_metrics(struct fk__req *r, const char *url)
{
  char buf[8192];
  size_t n = fk__metrics_text(buf, sizeof buf);
  n += fk__tracing_metrics_text(buf + n, sizeof buf - n);
  (void)url;
  return fk__answer(r, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", buf, n);
}

enum MHD_Result fk__route_openapi(struct fk__req *r, const char *url)
{
  size_t n;
  const char *text = fk__openapi_text(&n);
  (void)url;
  return fk__answer(r, MHD_HTTP_OK, "application/json", text, n);
}
