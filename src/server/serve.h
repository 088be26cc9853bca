/*
 * What the `fangkong` command needs of the server (the only server header it includes): start
 * it, list its routes and make its tokens. Everything else of src/server/ is the server's own.
 */
#ifndef FK_SERVE_H
#define FK_SERVE_H

#include <stddef.h>
#include <stdio.h>

#include "fangkong/rules.h"
#include "fangkong/token_store.h"

struct fk_store;

/* ---- tokens (token.c) ---- */

/* A token as printed: "fk_" and 64 hex digits, and a NUL. */
#define FK__TOKEN_BUFSZ 68

/* Makes a new random token into token and its hash (hex SHA-256) into hash. Returns 0, or
 * FK_EIO when no randomness could be had. */
int fk__token_new(char token[FK__TOKEN_BUFSZ], char hash[FK_TOKEN_HASH_BUFSZ]);

/* The hash of the n bytes of token (borrowed) into hash. Returns 0 or FK_EIO. */
int fk__token_hash(const char *token, size_t n, char hash[FK_TOKEN_HASH_BUFSZ]);

/* ---- routes and the document describing them ---- */

/* Prints the routes the server answers, "METHOD PATH" a line, paths as in the OpenAPI document
 * (/v1/persons/{id}); what `fangkong serve --routes` shows and the API test compares. */
void fk__routes_print(FILE *out);

/* The OpenAPI 3 document served at /v1/openapi.json (built in from src/server/openapi.json);
 * *n is set to its length. */
const char *fk__openapi_text(size_t *n);

/* ---- the daemon (http.c) ---- */

struct fk__serve_opts {
  const char *host; /* numeric IPv4 address to listen on */
  unsigned port;    /* 0: any free port (printed on start) */
  unsigned threads; /* worker threads */
  unsigned max_connections;
  unsigned timeout_s; /* idle or stalled connection closed after this */
  size_t max_body;    /* bytes; a larger body is answered 413 */
  size_t max_feed;    /* bytes of a posted feed (streamed, not held), past which 413 */

  const char *db;        /* the store's path: the trace index opens its own connection */
  unsigned trace_gap_ms; /* the trace index is refreshed at most this often */
};

/*
 * Serves until SIGTERM or SIGINT, then stops accepting, answers what is in flight, commits what
 * is queued and returns. st is the writer's connection, reader a second one to the same store
 * for reads (tokens); both and the rules are borrowed. The trace index is built from a third
 * connection to o->db before listening. Prints "listening on http://H:P" on
 * stdout once ready. Returns 0, FK_EIO when it cannot listen, or the error building the trace
 * index (said on stderr).
 */
int fk__serve(struct fk_store *st, struct fk_store *reader, const struct fk_rules *rules,
              const struct fk__serve_opts *o);

#endif
