/*
 * fangkong tick: one turn of the loop as of a time (fangkong/loop.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/error.h"
#include "fangkong/loop.h"
#include "fangkong/trace.h"

static const char help[] =
    "usage: fangkong tick [--db PATH] [--rules FILE] --now T\n"
    "\n"
    "One turn of the closed loop (闭环) as of T: every case known by T and not yet traced over\n"
    "its current window is traced; contacts, cases and arrivals are placed under their measures;\n"
    "test statuses are worked out from the samples; every measure's tasks are made (notify 告知,\n"
    "transfer 转运, day-k sample 采样, release 解除) for the grid of the person's home; tasks "
    "whose\n"
    "day has come fall due; overdue tasks escalate up the hierarchy (grid 网格 → community 社区 →\n"
    "street 街道 → district 区 → city 市) to the officer on duty (duty.csv); finished measures "
    "are\n"
    "released. The same T twice changes nothing.\n"
    "\n"
    "  --db PATH     the store (default ./fangkong.db)\n"
    "  --rules FILE  rule set (default: the built-in protocol-9)\n"
    "  --now T       the time of the tick (ISO 8601 with offset)\n"
    "\n"
    "A summary goes to stderr. Exit status: 0, 1 on error, 2 on wrong usage.\n";

/* Prints what a tick did, one line each, to f. */
void fk__tick_summary(FILE *f, const struct fk_tick_stats *s)
{
  const struct fk_tasks_stats *t = &s->tasks;
  long placed = 0, active = 0;
  for (int k = 0; k < FK_PERSON_NCATS; k++) {
    placed += s->measures.placed[k];
    active += s->measures.active[k];
  }
  fprintf(f, "traced %ld cases; measures placed %ld, active %ld, released %ld, superseded %ld\n",
          s->traced, placed, active, s->measures.released, s->measures.superseded);
  fprintf(f,
          "tasks made: notify %ld, transfer %ld, sample %ld, release %ld; closed by evidence %ld, "
          "cancelled %ld, now due %ld\n",
          t->created[FK_TASK_NOTIFY], t->created[FK_TASK_TRANSFER], t->created[FK_TASK_SAMPLE],
          t->created[FK_TASK_RELEASE], t->done_auto, t->cancelled, t->started);
  fprintf(f,
          "risk areas in force: high %ld, medium %ld, low %ld; quarantine rooms: %ld housed, "
          "%ld admitted, %ld discharged, %ld waiting\n",
          s->areas.in_force[FK_AREA_HIGH], s->areas.in_force[FK_AREA_MEDIUM],
          s->areas.in_force[FK_AREA_LOW], s->sites.housed, s->sites.admitted, s->sites.discharged,
          s->sites.waiting);
  fprintf(f, "tasks with something due %ld, overdue %ld, escalation steps %ld\n", t->looked,
          t->overdue, t->escalations);
  if (s->alerts.escalations)
    fprintf(f, "unverified alerts (预警信号): escalation steps %ld\n", s->alerts.escalations);
}

int fk__cmd_tick(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *now_text = NULL, *pos[1];
  struct fk__opt opts[] = {
      {"--db", &db, NULL}, {"--rules", &rules_path, NULL}, {"--now", &now_text, NULL}, {0}};
  struct fk__traced t;
  struct fk_tick_stats s;
  struct fk_diag diag;
  char msg[1024];
  fk_time now;
  int rc, npos;
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("tick", argc, argv, opts, pos, 0, &npos))) return rc;
  if (!now_text) return fk__usage("tick", "give --now T (time is an input: no clock is read)");
  if (fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return fk__usage("tick", "--now must be an ISO 8601 time with offset");
  fk_diag_clear(&diag);
  if ((rc = fk__ruled_open(&t, db, rules_path))) goto out;
  if (fk_tick(t.st, &t.ix, &t.rules, now, &s, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  fk__tick_summary(stderr, &s);
out:
  fk__traced_close(&t);
  return rc;
}
