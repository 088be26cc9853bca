/* fangkong verify: is the store consistent (after a crash, a copy, a restore)? */
#include <stdio.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/error.h"
#include "fangkong/store.h"

static const char help[] =
    "usage: fangkong verify [--db PATH]\n"
    "\n"
    "Checks the store: the database's own integrity check, and that every\n"
    "reference (a check-in's person and place, a person's grid ...) names a\n"
    "stored row. Prints \"ok\" and exits 0, or names the first problem and\n"
    "exits 1.\n"
    "\n"
    "  --db PATH   the store (default ./fangkong.db)\n";

int fk__cmd_verify(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *pos[1];
  int npos, rc;
  struct fk__opt opts[] = {{"--db", &db, NULL}, {0}};
  struct fk_store *st = NULL;
  struct fk_diag diag;
  char msg[1024];

  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("verify", argc, argv, opts, pos, 0, &npos))) return rc;
  if (access(db, F_OK)) return fk__fail("no store at %s", db);
  fk_diag_clear(&diag);
  if ((rc = fk_store_open(db, &st, &diag)) || (rc = fk_store_verify(st, &diag))) {
    fk_store_close(st);
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  }
  fk_store_close(st);
  puts("ok");
  return FK_EXIT_OK;
}
