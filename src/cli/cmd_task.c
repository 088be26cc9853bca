/*
 * fangkong task list|ack|done|fail: the units' tasks and their escalations (fangkong/tasks.h).
 * Officers' names and phones are masked; persons appear by their person_id only.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "present/present.h"
#include "cli/traced.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "fangkong/table.h"
#include "fangkong/tasks.h"

static const char help[] =
    "usage: fangkong task list [--db PATH] [--unit U] [--status S] [--open] [--format json|text]\n"
    "       fangkong task ack ID --now T [--db PATH]\n"
    "       fangkong task done ID --proof TEXT --now T [--db PATH]\n"
    "       fangkong task fail ID --proof TEXT --now T [--db PATH]\n"
    "\n"
    "Tasks (任务) the loop made for the units responsible: notify (告知), transfer (转运),\n"
    "sample (采样) and release (解除). `list` gives every task, or those of a unit (a grid_id, or\n"
    "a region code such as /小店区/坞城街道 for everything under it) or status (created, due,\n"
    "acknowledged, done, failed, cancelled). JSON: [{\"task_id\", \"kind\", \"person_id\", "
    "\"unit\",\n"
    "\"due_at\", \"status\", \"level\", \"reason\", \"escalations\"}], level being where the task\n"
    "stands now (grid 网格, community 社区, street 街道, district 区, city 市). `ack` takes a task "
    "on;\n"
    "`done` closes it with what proves it; `fail` closes it with why it could not be done.\n"
    "\n"
    "Exit status: 0, 1 on error (unknown task, task closed already), 2 on wrong usage.\n";

struct listing {
  struct fk_store *st;
  int json, n;
  struct fk_table *tab;
};

static int list_one(void *arg, const struct fk_task_row *t)
{
  struct listing *l = arg;
  char due[FK_TIME_BUFSZ];
  fk_time_format(t->due, due);
  if (!l->json) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    const char *row[] = {id,  fk_task_kinds[t->kind],      t->person_id,        t->unit,
                         due, fk_task_statuses[t->status], fk_levels[t->level], t->reason};
    return fk_table_add(l->tab, row);
  }
  json_t *o = NULL;
  int rc = fk__task_json(l->st, t, &o);
  if (!rc) {
    printf("%s\n", l->n++ ? "," : "");
    if (json_dumpf(o, stdout, JSON_COMPACT)) rc = FK_ENOMEM;
  }
  json_decref(o);
  return rc;
}

static int status_of(const char *s)
{
  int i = fk_vocab_index(fk_task_statuses, s);
  return i < 0 ? -2 : i;
}

static int task_list(struct fk_store *st, const char *unit, const char *status, int open,
                     const char *format)
{
  static const char *const cols[] = {"task_id", "kind",   "person_id", "unit",
                                     "due_at",  "status", "level",     "reason"};
  struct fk_task_filter f = {0, 0, 0, open, status ? status_of(status) : -1, unit, 0};
  struct listing l = {st, !strcmp(format, "json"), 0, NULL};
  int rc;
  if (f.status == -2)
    return fk__usage("task", "--status is one of created, due, acknowledged, "
                             "done, failed, cancelled");
  if (!l.json && !(l.tab = fk_table_new(8, cols))) return fk__fail("out of memory");
  if (l.json) fputs("[", stdout);
  rc = fk_store_each_task(st, &f, list_one, &l);
  if (l.json) fputs(l.n ? "\n]\n" : "]\n", stdout);
  if (!rc && l.tab) fk_table_print(l.tab, FK_FORMAT_TABLE, "tasks (任务)", stdout);
  fk_table_free(l.tab);
  return rc ? fk__fail("listing tasks: %s", fk_store_errmsg(st)) : FK_EXIT_OK;
}

int fk__cmd_task(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *unit = NULL, *status = NULL, *format = "json", *now_text = NULL,
             *proof = NULL, *pos[1] = {NULL};
  int open = 0, rc, npos;
  struct fk__opt opts[] = {{"--db", &db, NULL},         {"--unit", &unit, NULL},
                           {"--status", &status, NULL}, {"--open", NULL, &open},
                           {"--format", &format, NULL}, {"--now", &now_text, NULL},
                           {"--proof", &proof, NULL},   {0}};
  struct fk__traced t;
  struct fk_diag diag;
  char msg[1024];
  fk_time now = FK_TIME_NONE;
  long id = 0;
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  const char *sub = argv[1];
  int list = !strcmp(sub, "list");
  if (!list && strcmp(sub, "ack") && strcmp(sub, "done") && strcmp(sub, "fail"))
    return fk__usage("task", "unknown subcommand '%s' (list, ack, done, fail)", sub);
  if ((rc = fk__parse_opts("task", argc - 1, argv + 1, opts, pos, list ? 0 : 1, &npos))) return rc;
  if (list && strcmp(format, "json") && strcmp(format, "text"))
    return fk__usage("task", "--format is json or text");
  if (!list) {
    if (npos != 1 || fk__parse_long(pos[0], 1, INT64_MAX, &id))
      return fk__usage("task", "name the task by its number (task_id)");
    if (!now_text || fk_time_parse(now_text, strlen(now_text), &now, NULL))
      return fk__usage("task", "give --now T, an ISO 8601 time with offset");
  }
  fk_diag_clear(&diag);
  if ((rc = fk__ruled_open(&t, db, NULL))) goto out;
  if (list) {
    rc = task_list(t.st, unit, status, open, format);
  } else if (!strcmp(sub, "ack")
                 ? fk_task_ack(t.st, id, now, &diag)
                 : fk_task_close(t.st, id,
                                 !strcmp(sub, "done") ? FK_TSTATUS_DONE : FK_TSTATUS_FAILED, proof,
                                 now, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  }
out:
  fk__traced_close(&t);
  return rc;
}
