/*
 * fangkong audit: the API's audit log (fangkong/token_store.h) -- who, what, when, from where.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/table.h"
#include "fangkong/token_store.h"

static const char help[] =
    "usage: fangkong audit [--db PATH] [--format text|json]\n"
    "\n"
    "The audit log of the API (审计日志): every change made and every person read through\n"
    "`fangkong serve`, in order, one a line: when (the server's clock), who (token id and role),\n"
    "what (action and object), from where (the client's address). JSON: one object a line with\n"
    "\"at\", \"token\", \"role\", \"action\", \"object\", \"peer\".\n";

static int text_row(void *arg, const struct fk_audit_row *r)
{
  char at[FK_TIME_BUFSZ];
  (void)arg;
  printf("%s  token %lld (%s)  %s  %s  from %s\n", fk_time_format(r->at, at), (long long)r->token,
         fk_roles[r->role], r->action, r->object, r->peer);
  return 0;
}

/* One JSON string field ",\"key\":\"value\"". */
static void field(const char *key, const char *value)
{
  printf(",\"%s\":", key);
  fk_json_string(stdout, value, strlen(value));
}

static int json_row(void *arg, const struct fk_audit_row *r)
{
  char at[FK_TIME_BUFSZ];
  (void)arg;
  printf("{\"at\":\"%s\",\"token\":%lld", fk_time_format(r->at, at), (long long)r->token);
  field("role", fk_roles[r->role]);
  field("action", r->action);
  field("object", r->object);
  field("peer", r->peer);
  puts("}");
  return 0;
}

int fk__cmd_audit(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *format = "text";
  struct fk__opt opts[] = {{"--db", &db, NULL}, {"--format", &format, NULL}, {0}};
  struct fk_store *st = NULL;
  struct fk_diag diag;
  char msg[1024];
  int rc, npos;
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("audit", argc, argv, opts, NULL, 0, &npos))) return rc;
  if (strcmp(format, "text") && strcmp(format, "json"))
    return fk__usage("audit", "--format is text or json");
  if (access(db, F_OK)) return fk__fail("no store at %s", db);
  fk_diag_clear(&diag);
  if (fk_store_open(db, &st, &diag)) return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if (fk_store_each_audit(st, strcmp(format, "json") ? text_row : json_row, NULL))
    rc = fk__fail("%s", fk_store_errmsg(st));
  fk_store_close(st);
  return rc;
}
