/* The API's routes: which path and method, which roles, which handler; and the routing. */
#include <string.h>

#include "fangkong/token_store.h"
#include "server/request.h"

/* The routes (fk__routes_print lists them; a test holds the OpenAPI document to them). */
#define ROLE(r) (1u << FK_ROLE_##r)
#define PEOPLE                                                                                     \
  (ROLE(CITY) | ROLE(DISTRICT) | ROLE(STREET) | ROLE(COMMUNITY) | ROLE(GRID) | ROLE(SITE) |        \
   ROLE(EPIDEMIOLOGIST))
/* Alerts are raised at street level and above and verified by the officers on duty there. */
#define ALERTS (ROLE(CITY) | ROLE(DISTRICT) | ROLE(STREET) | ROLE(EPIDEMIOLOGIST))
/* Who reads a case's contacts: the epidemiologists who trace, and the command of the node
 * the case lives in (city, district, street, community). */
#define TRACERS                                                                                    \
  (ROLE(CITY) | ROLE(DISTRICT) | ROLE(STREET) | ROLE(COMMUNITY) | ROLE(EPIDEMIOLOGIST))
static const struct {
  const char *method, *path;
  fk__route_fn fn;
  unsigned roles; /* bit (1u << enum fk_role) for each role allowed; 0: open to all */
} routes[] = {
    {"GET", "/v1/health", fk__route_health, 0},
    {"GET", "/v1/metrics", fk__route_metrics, 0},
    {"GET", "/v1/openapi.json", fk__route_openapi, 0},
    {"POST", "/v1/entrance-checks", fk__route_entrance, ROLE(CITY) | ROLE(ENTRANCE)},
    {"GET", "/v1/areas", fk__route_areas, ~0u},
    {"GET", "/v1/tasks", fk__route_tasks, ~ROLE(ENTRANCE)},
    {"POST", "/v1/tasks/{id}/ack", fk__route_task_ack, ~ROLE(ENTRANCE)},
    {"POST", "/v1/tasks/{id}/done", fk__route_task_done, ~ROLE(ENTRANCE)},
    {"POST", "/v1/tasks/{id}/fail", fk__route_task_fail, ~ROLE(ENTRANCE)},
    {"GET", "/v1/persons/{id}", fk__route_person, PEOPLE},
    {"GET", "/v1/alerts", fk__route_alerts, ALERTS},
    {"POST", "/v1/alerts/{id}/verify", fk__route_alert_verify, ALERTS},
    {"GET", "/v1/briefing", fk__route_briefing, ROLE(CITY) | ROLE(EPIDEMIOLOGIST)},
    {"POST", "/v1/feeds/{kind}", fk__route_feed, ~0u}, /* which kinds: route_feeds.c */
    {"GET", "/v1/persons/{id}/contacts", fk__route_contacts, TRACERS},
};
#define NROUTES (sizeof routes / sizeof routes[0])

void fk__routes_print(FILE *out)
{
  for (size_t i = 0; i < NROUTES; i++)
    fprintf(out, "%s %s\n", routes[i].method, routes[i].path);
}

/* Finds the Bearer token's row into r->token: 0, or 401 (no token, or not one of ours) or 403
 * (a role the route does not serve) as the HTTP status to answer. */
/* The row of token (n bytes): the connection's, when its last request gave the same token and
 * the row is still fresh, else from the cache or the store (and then remembered). 0 or
 * FK_ENOTFOUND (also when it cannot be hashed) or FK_ESTORE. */
static int token_row(struct fk__req *r, const char *token, size_t n)
{
  struct fk__conn *m = r->conn;
  char hash[FK_TOKEN_HASH_BUFSZ];
  time_t until;
  int rc;
  if (m && m->n == n && !memcmp(m->token, token, n) && fk__token_clock() < m->until) {
    r->token = m->row;
    return 0;
  }
  if (fk__token_hash(token, n, hash)) return FK_ENOTFOUND;
  rc = fk__token_find(r->srv->tokens, r->srv->reader, &r->srv->mu, hash, &r->token, &until);
  if (!rc && m && n < sizeof m->token) {
    memcpy(m->token, token, n);
    m->n = n;
    m->row = r->token;
    m->until = until;
  }
  return rc;
}

static unsigned authenticate(struct fk__req *r, unsigned roles)
{
  const char *v = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (!v || strncmp(v, "Bearer ", 7) || token_row(r, v + 7, strlen(v + 7)))
    return MHD_HTTP_UNAUTHORIZED;
  return roles & (1u << r->token.role) ? 0 : MHD_HTTP_FORBIDDEN;
}

/* Authenticates (when the route asks for it), then answers route i. */
static enum MHD_Result serve_route(struct fk__req *r, size_t i, const char *url)
{
  unsigned status =
      routes[i].roles && r->state == FK__READING ? authenticate(r, routes[i].roles) : 0;
  if (status == MHD_HTTP_UNAUTHORIZED)
    return fk__problem(r, status, url, "give a valid token: Authorization: Bearer TOKEN");
  if (status)
    return fk__problem(r, status, url, "a %s token may not use %s %s", fk_roles[r->token.role],
                       routes[i].method, routes[i].path);
  return routes[i].fn(r, url);
}

/* 1 when url is the route's path, a "{id}" (any "{name}") standing for one non-empty
 * segment. */
static int path_matches(const char *path, const char *url)
{
  const char *param = strchr(path, '{'), *rest;
  size_t n = param ? (size_t)(param - path) : 0;
  if (!param) return !strcmp(path, url);
  if (strncmp(path, url, n) || !url[n] || url[n] == '/') return 0;
  rest = url + n + strcspn(url + n, "/");
  return !strcmp(rest, strchr(param, '}') + 1);
}

/* The index of the route of url and method, or -1 with *status 404 (no such path) or 405. */
static int find(const char *url, const char *method, unsigned *status)
{
  *status = MHD_HTTP_NOT_FOUND;
  for (size_t i = 0; i < NROUTES; i++) {
    if (!path_matches(routes[i].path, url)) continue;
    *status = MHD_HTTP_METHOD_NOT_ALLOWED;
    if (!strcmp(method, routes[i].method)) return (int)i;
  }
  return -1;
}

enum MHD_Result fk__route(struct fk__req *r, const char *url, const char *method)
{
  unsigned status;
  int i = find(url, method, &status);
  if (i >= 0 && r->too_big)
    return fk__problem(r, MHD_HTTP_CONTENT_TOO_LARGE, url, "the body is larger than %zu bytes",
                       r->srv->o->max_body);
  if (i >= 0) return serve_route(r, (size_t)i, url);
  if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
    return fk__problem(r, MHD_HTTP_METHOD_NOT_ALLOWED, url, "%s is not allowed here", method);
  return fk__problem(r, MHD_HTTP_NOT_FOUND, url, "no such resource");
}

unsigned fk__route_allowed(struct fk__req *r, const char *url, const char *method)
{
  unsigned status;
  int i = find(url, method, &status);
  if (i < 0) return status;
  return routes[i].roles ? authenticate(r, routes[i].roles) : 0;
}

fk__stream_fn fk__route_stream(const char *url, const char *method)
{
  return !strcmp(method, "POST") && path_matches("/v1/feeds/{kind}", url) ? fk__route_feed_piece
                                                                          : NULL;
}
