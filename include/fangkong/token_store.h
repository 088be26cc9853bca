/*
 * API tokens (fangkong token create; the Bearer tokens of `fangkong serve`). A token is shown
 * once when created and stored only as its SHA-256 hash; it carries a role and a scope, a node of
 * the hierarchy (regions: 1 district .. 4 grid) or the whole city, and sees only that node.
 */
#ifndef FANGKONG_TOKEN_STORE_H
#define FANGKONG_TOKEN_STORE_H

#include "fangkong/export.h"

#include <stdint.h>

#include "fangkong/store.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

/* The length of a token's hash as stored: 64 hex digits and a NUL. */
#define FK_TOKEN_HASH_BUFSZ 65

struct fk_token_row {
  int64_t id;
  int role;      /* enum fk_role */
  int64_t scope; /* internal region id; 0: the whole city */
  int64_t site;  /* role site: its quarantine site (internal id), scope being the site's grid */
  fk_time created_at;
};

/*
 * Stores a token by its hash (hex, borrowed) with its role and scope (region id, 0 for the city)
 * and, for the site role, its site (internal id, else 0). *id (may be NULL) is set to the new
 * row's id. Returns 0, FK_EDUP when the hash is stored already, or FK_ESTORE.
 */
FK_API int fk_store_put_token(struct fk_store *st, const char *hash, int role, int64_t scope,
                              int64_t site, fk_time created_at, int64_t *id);

/* Fills *out (caller-owned) with the token whose hash is `hash` (borrowed). Returns 0,
 * FK_ENOTFOUND or FK_ESTORE. */
FK_API int fk_store_token(struct fk_store *st, const char *hash, struct fk_token_row *out);

/* Sets *id (and *level, may be NULL) to the region whose code is `code` (a grid_id, or the name
 * path "/district/street/community"; borrowed), *id 0 when none. Returns 0 or FK_ESTORE. */
FK_API int fk_store_region_by_code(struct fk_store *st, const char *code, int64_t *id, int *level);

/* Sets *in to 1 when place_id (borrowed) lies in region (its grid is the region or under it),
 * else 0 (an unknown place too). Returns 0 or FK_ESTORE. */
FK_API int fk_store_place_in(struct fk_store *st, const char *place_id, int64_t region, int *in);

/* Sets *in to 1 when person (internal id) has a home grid that is region or lies under it, else
 * 0. Returns 0 or FK_ESTORE. */
FK_API int fk_store_person_in(struct fk_store *st, int64_t person, int64_t region, int *in);

/* Sets *id and *grid (internal ids) to the quarantine site whose site_id is `code` (borrowed),
 * both 0 when none. Returns 0 or FK_ESTORE. */
FK_API int fk_store_site_by_code(struct fk_store *st, const char *code, int64_t *id, int64_t *grid);

/* Sets *in to 1 when person (internal id) stays at site now (a stay not yet ended in one of its
 * rooms), else 0. Returns 0 or FK_ESTORE. */
FK_API int fk_store_person_at_site(struct fk_store *st, int64_t person, int64_t site, int *in);

/* Sets *in to 1 when the row of feed named key (borrowed) lies in region (internal id): for
 * FK_FEED_GRIDS key is a region's code (a grid_id or a name path) and the region itself must be
 * region or under it; for FK_FEED_PERSONS the person's home grid, FK_FEED_PLACES the place's and
 * FK_FEED_SITES the quarantine site's. *in is 0 for a key naming nothing. Returns 0, FK_EINVAL
 * for another feed, or FK_ESTORE. */
FK_API int fk_store_key_in(struct fk_store *st, enum fk_feed_id feed, const char *key,
                           int64_t region, int *in);

/* A person's personal data, whole: shown masked unless a role needs it (fk_mask_*). */
struct fk_person_private {
  char name[128];
  char id_number[32];
  char phone[32];
};

/* Fills *out for person (internal id). Returns 0, FK_ENOTFOUND or FK_ESTORE. */
FK_API int fk_store_person_private(struct fk_store *st, int64_t person,
                                   struct fk_person_private *out);

/* ---- The audit log: every read of a person and every change through the API ---- */

struct fk_audit_row {
  int64_t id;       /* filled when read */
  fk_time at;       /* when (the server's clock) */
  int64_t token;    /* who: the token's id */
  int role;         /* enum fk_role */
  char action[64];  /* what: "POST /v1/entrance-checks" */
  char object[160]; /* what it touched: "person P3 at place R3" */
  char peer[64];    /* from where: the client's address */
};

/* Appends r to the audit log (in the caller's transaction, if any). Returns 0 or FK_ESTORE. */
FK_API int fk_store_put_audit(struct fk_store *st, const struct fk_audit_row *r);

/* Calls fn for every audit row in order (rows borrowed for the call). Returns 0, fn's first
 * non-zero return, or FK_ESTORE. */
FK_API int fk_store_each_audit(struct fk_store *st,
                               int (*fn)(void *arg, const struct fk_audit_row *r), void *arg);

#endif
