/*
 * fangkong briefing: the daily briefing for the leadership meeting (fangkong/briefing.h), as
 * text with Chinese-and-English headings or as JSON with the keys docs/BRIEFING.md lists (the
 * JSON is GET /v1/briefing's too: src/server/briefing.c). Counts only: no person appears in it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/briefing.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/store.h"
#include "fangkong/table.h"
#include "present/present.h"

static const char help[] =
    "usage: fangkong briefing [--db PATH] [--rules FILE] --now T [--format text|json]\n"
    "\n"
    "The daily briefing (每日简报) for the leadership meeting, for the 24 hours ending at T and\n"
    "for T's date: new cases (新增病例), close contacts placed and the share placed within the\n"
    "rules' deadline of their case (密接管控), people under each measure (管控人员), tests due,\n"
    "done and missed (核酸检测), overdue tasks by district (逾期任务), risk areas in force and "
    "their\n"
    "lift dates (风险区), quarantine site occupancy (集中隔离点), entrance checks and fevers\n"
    "(场所查验). It reads the store as the last tick left it: run `fangkong tick --now T` first.\n"
    "docs/BRIEFING.md defines each figure and its JSON key.\n"
    "\n"
    "Exit status: 0, 1 on error, 2 on wrong usage.\n";

static const char *const level_zh[] = {"低风险区", "中风险区", "高风险区"};

static void text_people(const struct fk_briefing *b)
{
  const struct fk_briefing_contacts *c = &b->contacts;
  char t0[FK_TIME_BUFSZ], t1[FK_TIME_BUFSZ];
  printf("每日简报 daily briefing: %s .. %s\n\n", fk_time_format(b->from, t0),
         fk_time_format(b->now, t1));
  printf("新增病例 new cases: %ld (确诊 confirmed %ld, 无症状 asymptomatic %ld); 累计 total %ld\n",
         b->cases.new_cases, b->cases.new_confirmed, b->cases.new_asymptomatic, b->cases.total);
  printf("密接管控 contacts placed: close 密接 %ld, secondary 次密接 %ld\n", c->close_placed,
         c->secondary_placed);
  if (c->share >= 0)
    printf("  within %d h of their case 按时管控: %ld of %ld (%.1f%%); late 超时 %ld, case "
           "unknown %ld\n",
           c->within_hours, c->close_on_time, c->close_placed, 100.0 * c->share, c->close_late,
           c->close_unlinked);
  printf("管控人员 people under measure: %ld\n", b->measures.total);
  for (int i = 0; i < FK_PERSON_NCATS; i++)
    for (int k = 0; k < FK_MEASURE_NKINDS; k++)
      if (b->measures.cell[i][k])
        printf("  %-22s %-24s %ld\n", fk_person_cats[i], fk_measure_kinds[k],
               b->measures.cell[i][k]);
  printf(
      "核酸检测 tests today: due 应检 %ld, done 已检 %ld, open 未检 %ld; missed yesterday 昨日漏检 "
      "%ld, missed and open 累计漏检 %ld\n",
      b->tests.due_today, b->tests.done_today, b->tests.open_today, b->tests.missed_yesterday,
      b->tests.missed_open);
}

static void text_units(const struct fk_briefing *b)
{
  char d0[FK_DATE_BUFSZ], d1[FK_DATE_BUFSZ];
  printf("逾期任务 overdue tasks: %ld of %ld open\n", b->tasks_overdue, b->tasks_open);
  for (int i = 0; i < b->ndistricts; i++) {
    const struct fk_briefing_district *d = &b->districts[i];
    printf("  %s: %ld (", d->district[0] ? d->district : "?", d->overdue);
    for (int l = FK_LEVEL_GRID, n = 0; l >= FK_LEVEL_CITY; l--)
      if (d->by_level[l]) printf("%s%s %ld", n++ ? ", " : "", fk_levels[l], d->by_level[l]);
    puts(")");
  }
  printf("风险区 risk areas in force: high 高 %ld, medium 中 %ld, low 低 %ld\n",
         b->areas_in_force[FK_AREA_HIGH], b->areas_in_force[FK_AREA_MEDIUM],
         b->areas_in_force[FK_AREA_LOW]);
  for (int i = 0; i < b->nareas; i++) {
    const struct fk_briefing_area *a = &b->areas[i];
    printf("  %s %s %s since %s, lifts on 解封 %s\n", a->area_id, level_zh[a->level],
           fk_area_levels[a->level], fk_date_format(a->since, d0),
           a->lifts_on == FK_DATE_NONE ? "-" : fk_date_format(a->lifts_on, d1));
  }
  printf("集中隔离点 quarantine sites: rooms occupied 已用房间 %ld of %ld, persons 在住 %ld, "
         "waiting 待分配 %ld\n",
         b->site_rooms_occupied, b->site_rooms, b->site_persons, b->site_waiting + b->unsited);
  for (int i = 0; i < b->nsites; i++)
    printf("  %s: %d/%d rooms, %d persons, %d waiting\n", b->sites[i].site_id,
           b->sites[i].rooms_occupied, b->sites[i].rooms, b->sites[i].persons, b->sites[i].waiting);
  printf("场所查验 entrance checks: %ld (passed 通行 %ld, denied 劝返 %ld), fevers 发热 %ld\n",
         b->entrance.checks, b->entrance.passed, b->entrance.denied, b->entrance.fevers);
}

int fk__cmd_briefing(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *now_text = NULL, *format = "text", *pos[1];
  struct fk__opt opts[] = {{"--db", &db, NULL},
                           {"--rules", &rules_path, NULL},
                           {"--now", &now_text, NULL},
                           {"--format", &format, NULL},
                           {0}};
  struct fk__traced t;
  struct fk_briefing b;
  struct fk_diag diag;
  char msg[1024];
  fk_time now;
  int rc, npos;
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("briefing", argc, argv, opts, pos, 0, &npos))) return rc;
  if (!now_text) return fk__usage("briefing", "give --now T (time is an input: no clock is read)");
  if (fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return fk__usage("briefing", "--now must be an ISO 8601 time with offset");
  if (strcmp(format, "json") && strcmp(format, "text"))
    return fk__usage("briefing", "--format is text or json");
  fk_diag_clear(&diag);
  memset(&b, 0, sizeof b);
  if ((rc = fk__ruled_open(&t, db, rules_path))) goto out;
  if (fk_briefing(t.st, &t.rules, now, &b, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  if (!strcmp(format, "json")) {
    fk__briefing_print_json(stdout, &b);
  } else {
    text_people(&b);
    text_units(&b);
  }
out:
  fk_briefing_free(&b);
  fk__traced_close(&t);
  return rc;
}
