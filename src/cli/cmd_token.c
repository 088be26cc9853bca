/*
 * fangkong token create: a Bearer token for the API (fangkong/token_store.h), printed once, stored
 * only as its hash.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/token_store.h"
#include "server/serve.h"

static const char help[] =
    "usage: fangkong token create --role ROLE --scope NODE [--db PATH]\n"
    "\n"
    "Makes a Bearer token for `fangkong serve` and prints it once: only its SHA-256 hash is\n"
    "stored, so it cannot be shown again. ROLE is city (市指挥部), district (区), street (街道),\n"
    "community (社区), grid (网格员), site (隔离点), epidemiologist (流调) or entrance "
    "(场所码设备).\n"
    "NODE is the node of the hierarchy the token sees: `city` (the whole city), a grid_id, or a\n"
    "region's name path (/小店区, /小店区/坞城街道, /小店区/坞城街道/坞城社区). A district,\n"
    "street, community or grid role takes a node of its own level; the city role the city; the\n"
    "site role (隔离点) a quarantine site's site_id: it sees the persons staying there.\n"
    "Exit status: 0, 1 on error (no such node), 2 on wrong usage.\n";

/* The level a role's node must have (1 district .. 4 grid), 0 for the city, -1 for any. */
static int role_level(int role)
{
  return role == FK_ROLE_CITY ? 0 : role <= FK_ROLE_GRID ? role : -1;
}

/* The node of a site token: the site (its grid the scope). */
static int site_node(struct fk_store *st, const char *node, int64_t *site, int64_t *scope)
{
  int rc = fk_store_site_by_code(st, node, site, scope);
  if (rc) return fk__fail("%s", fk_store_errmsg(st));
  if (!*site) return fk__fail("no quarantine site %s (a site token takes a site_id)", node);
  return 0;
}

static int create(struct fk_store *st, int role, const char *node)
{
  char token[FK__TOKEN_BUFSZ], hash[FK_TOKEN_HASH_BUFSZ];
  int64_t scope = 0, site = 0;
  int level = 0, want = role_level(role), rc;
  if (role == FK_ROLE_SITE) {
    if ((rc = site_node(st, node, &site, &scope))) return rc;
    want = -1;
  } else if (strcmp(node, "city")) {
    if ((rc = fk_store_region_by_code(st, node, &scope, &level)))
      return fk__fail("%s", fk_store_errmsg(st));
    if (!scope) return fk__fail("no node %s in the hierarchy", node);
  }
  if (want >= 0 && want != level)
    return fk__fail("a %s token takes a node of level %d (%s is of level %d)", fk_roles[role], want,
                    node, level);
  if (fk__token_new(token, hash)) return fk__fail("no randomness for a token");
  if ((rc = fk_store_put_token(st, hash, role, scope, site, (fk_time)time(NULL), NULL)))
    return fk__fail("storing the token: %s", fk_store_errmsg(st));
  printf("%s\n", token);
  return FK_EXIT_OK;
}

int fk__cmd_token(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *role_name = NULL, *node = NULL, *pos[1] = {NULL};
  struct fk__opt opts[] = {
      {"--db", &db, NULL}, {"--role", &role_name, NULL}, {"--scope", &node, NULL}, {0}};
  struct fk_store *st = NULL;
  struct fk_diag diag;
  char msg[1024];
  int rc, npos, role = 0;
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("token", argc, argv, opts, pos, 1, &npos))) return rc;
  if (npos != 1 || strcmp(pos[0], "create")) return fk__usage("token", "say `token create`");
  if (!role_name || (role = fk_vocab_index(fk_roles, role_name)) < 0)
    return fk__usage("token", "--role is one of the eight roles");
  if (!node) return fk__usage("token", "give --scope NODE (`city`, a grid_id or a name path)");
  fk_diag_clear(&diag);
  if (fk_store_open(db, &st, &diag)) return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  rc = create(st, role, node);
  fk_store_close(st);
  return rc;
}
