/*
 * fangkong serve: the HTTP API (src/server/, docs/API.md) over a store, until SIGTERM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "server/serve.h"

static const char help[] =
    "usage: fangkong serve [--db PATH] [--listen HOST:PORT] [--threads N] [--rules FILE]\n"
    "                      [--max-body BYTES] [--max-connections N] [--timeout SECONDS]\n"
    "                      [--max-feed BYTES] [--trace-gap MS]\n"
    "       fangkong serve --routes\n"
    "\n"
    "Serves the API (JSON over HTTP/1.1, keep-alive, under /v1; docs/API.md, and the OpenAPI 3\n"
    "document at /v1/openapi.json) on HOST:PORT (default 127.0.0.1:8080; port 0: any free port).\n"
    "Prints \"listening on http://HOST:PORT\" once ready. Entrance checks (POST\n"
    "/v1/entrance-checks, 出入口核验) are group-committed by one writer and answered once stored.\n"
    "Errors are RFC 9457 problem details: 400 bad body, 404 unknown route, 405 wrong method,\n"
    "413 body over --max-body (default 65536), 404 unknown person or place (or outside the\n"
    "token's scope), 401 no valid token, 403 a role the route does not serve.\n"
    "Entrance checks need `Authorization: Bearer TOKEN` of a city or entrance token\n"
    "(fangkong token create); an entrance token only for places in its scope.\n"
    "Feeds (POST /v1/feeds/KIND) are read as they come, never held whole; --max-feed caps one\n"
    "(default 1073741824 bytes; past it 413, the rows before it handled).\n"
    "--threads: request loops, each answering its share of the connections and committing its\n"
    "own checks (default 1); --max-connections (default 1024); --timeout: a\n"
    "connection idle or stalled that long is closed (default 10).\n"
    "SIGTERM or SIGINT: stop accepting, answer what is in flight, commit what is queued, exit 0.\n"
    "--trace-gap: the trace index (GET /v1/persons/{id}/contacts) is refreshed after each commit\n"
    "that changed the store, at most once every MS milliseconds (default 100, 0..60000).\n"
    "--routes: print the routes (METHOD PATH) and exit.\n";

/* Splits HOST:PORT. */
static int parse_listen(const char *s, char *host, size_t hostsz, unsigned *port)
{
  const char *colon = strrchr(s, ':');
  long p;
  if (!colon || colon == s || (size_t)(colon - s) >= hostsz ||
      fk__parse_long(colon + 1, 0, 65535, &p))
    return -1;
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = '\0';
  *port = (unsigned)p;
  return 0;
}

/* A whole number option in [min, max], or the default when absent; -1 when malformed. */
static int number(const char *s, long min, long max, long dflt, long *out)
{
  if (!s) return *out = dflt, 0;
  return fk__parse_long(s, min, max, out);
}

int fk__cmd_serve(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *listen = "127.0.0.1:8080", *threads = NULL,
             *max_body = NULL, *max_conn = NULL, *timeout = NULL, *max_feed = NULL, *gap = NULL;
  int routes = 0, rc;
  struct fk__opt opts[] = {{"--db", &db, NULL},
                           {"--rules", &rules_path, NULL},
                           {"--listen", &listen, NULL},
                           {"--threads", &threads, NULL},
                           {"--max-body", &max_body, NULL},
                           {"--max-connections", &max_conn, NULL},
                           {"--timeout", &timeout, NULL},
                           {"--max-feed", &max_feed, NULL},
                           {"--trace-gap", &gap, NULL},
                           {"--routes", NULL, &routes},
                           {0}};
  struct fk__serve_opts o;
  struct fk__traced t = {0};
  struct fk_store *reader = NULL;
  struct fk_diag diag;
  char msg[1024];
  char host[64];
  long n[6];
  int npos;
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("serve", argc, argv, opts, NULL, 0, &npos))) return rc;
  if (routes) return fk__routes_print(stdout), FK_EXIT_OK;
  memset(&o, 0, sizeof o);
  if (parse_listen(listen, host, sizeof host, &o.port))
    return fk__usage("serve", "--listen is HOST:PORT, e.g. 127.0.0.1:8080");
  if (number(threads, 1, 256, 1, &n[0]) || number(max_body, 64, 1 << 26, 65536, &n[1]) ||
      number(max_conn, 1, 100000, 1024, &n[2]) || number(timeout, 1, 3600, 10, &n[3]) ||
      number(max_feed, 64, 1L << 40, 1L << 30, &n[4]) || number(gap, 0, 60000, 100, &n[5]))
    return fk__usage("serve", "--threads 1..256, --max-body 64..67108864, --max-connections "
                              "1..100000, --timeout 1..3600 seconds, --max-feed 64..2^40, "
                              "--trace-gap 0..60000 ms");
  o.host = host;
  o.threads = (unsigned)n[0];
  o.max_body = (size_t)n[1];
  o.max_connections = (unsigned)n[2];
  o.timeout_s = (unsigned)n[3];
  o.max_feed = (size_t)n[4];
  o.trace_gap_ms = (unsigned)n[5];
  o.db = db;
  if ((rc = fk__ruled_open(&t, db, rules_path))) goto out;
  fk_diag_clear(&diag);
  if (fk_store_open(db, &reader, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  rc = fk__serve(t.st, reader, &t.rules, &o) ? FK_EXIT_ERROR : FK_EXIT_OK;
out:
  fk_store_close(reader);
  fk__traced_close(&t);
  return rc;
}
