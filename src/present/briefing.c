/*
 * The daily briefing (每日简报) as JSON, shared by `fangkong briefing --format json` and
 * GET /v1/briefing: the keys docs/BRIEFING.md lists, counts only.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/briefing.h"
#include "fangkong/measure.h"
#include "fangkong/table.h"
#include "present/present.h"

static void json_str(FILE *out, const char *s)
{
  fk_json_string(out, s, strlen(s));
}

static void json_date(FILE *out, fk_date d)
{
  char buf[FK_DATE_BUFSZ];
  if (d == FK_DATE_NONE)
    fputs("null", out);
  else
    fprintf(out, "\"%s\"", fk_date_format(d, buf));
}

/* {"name": count, ...} over the first count names. */
static void json_counts(FILE *out, const char *const *names, const long *n, int count)
{
  fputs("{", out);
  for (int i = 0; i < count; i++)
    fprintf(out, "%s\"%s\":%ld", i ? "," : "", names[i], n[i]);
  fputs("}", out);
}

/* The day, cases and contacts placed. */
static void json_cases(FILE *out, const struct fk_briefing *b)
{
  const struct fk_briefing_contacts *c = &b->contacts;
  char t[FK_TIME_BUFSZ];
  fprintf(out, "{\"now\":\"%s\",", fk_time_format(b->now, t));
  fprintf(out, "\"from\":\"%s\",\"date\":", fk_time_format(b->from, t));
  json_date(out, b->today);
  fprintf(out,
          ",\n\"cases\":{\"new_cases\":%ld,\"new_confirmed\":%ld,\"new_asymptomatic\":%ld,"
          "\"total\":%ld},\n",
          b->cases.new_cases, b->cases.new_confirmed, b->cases.new_asymptomatic, b->cases.total);
  fprintf(out,
          "\"contacts\":{\"close_placed\":%ld,\"secondary_placed\":%ld,\"close_on_time\":%ld,"
          "\"close_late\":%ld,\"close_unlinked\":%ld,\"within_hours\":",
          c->close_placed, c->secondary_placed, c->close_on_time, c->close_late, c->close_unlinked);
  if (c->within_hours)
    fprintf(out, "%d", c->within_hours);
  else
    fputs("null", out);
  fputs(",\"share\":", out);
  if (c->share >= 0)
    fprintf(out, "%.4f", c->share);
  else
    fputs("null", out);
}

/* People under measure and their tests. */
static void json_people(FILE *out, const struct fk_briefing *b)
{
  int n = 0;
  fprintf(out, "},\n\"measures\":{\"total\":%ld,\"by_category\":", b->measures.total);
  json_counts(out, fk_person_cats, b->measures.by_category, FK_PERSON_NCATS);
  fputs(",\"by_kind\":", out);
  json_counts(out, fk_measure_kinds, b->measures.by_kind, FK_MEASURE_NKINDS);
  fputs(",\"by_category_kind\":[", out);
  for (int i = 0; i < FK_PERSON_NCATS; i++)
    for (int k = 0; k < FK_MEASURE_NKINDS; k++)
      if (b->measures.cell[i][k])
        fprintf(out, "%s{\"category\":\"%s\",\"kind\":\"%s\",\"persons\":%ld}", n++ ? "," : "",
                fk_person_cats[i], fk_measure_kinds[k], b->measures.cell[i][k]);
  fprintf(out,
          "]},\n\"tests\":{\"due_today\":%ld,\"done_today\":%ld,\"open_today\":%ld,"
          "\"missed_yesterday\":%ld,\"missed_open\":%ld},\n",
          b->tests.due_today, b->tests.done_today, b->tests.open_today, b->tests.missed_yesterday,
          b->tests.missed_open);
}

/* Overdue tasks by district and the risk areas in force. */
static void json_tasks_areas(FILE *out, const struct fk_briefing *b)
{
  fprintf(out, "\"tasks\":{\"open\":%ld,\"overdue\":%ld,\"overdue_by_district\":[", b->tasks_open,
          b->tasks_overdue);
  for (int i = 0; i < b->ndistricts; i++) {
    const struct fk_briefing_district *d = &b->districts[i];
    fprintf(out, "%s{\"district\":", i ? "," : "");
    json_str(out, d->district);
    fprintf(out, ",\"overdue\":%ld,\"by_level\":", d->overdue);
    json_counts(out, fk_levels, d->by_level, FK_LEVEL_N);
    fputs("}", out);
  }
  fputs("]},\n\"areas\":{\"in_force\":", out);
  json_counts(out, fk_area_levels, b->areas_in_force, FK_AREA_NLEVELS);
  fputs(",\"list\":[", out);
  for (int i = 0; i < b->nareas; i++) {
    const struct fk_briefing_area *a = &b->areas[i];
    fprintf(out, "%s{\"area_id\":", i ? "," : "");
    json_str(out, a->area_id);
    fprintf(out, ",\"kind\":\"%s\",\"level\":\"%s\",\"since\":", fk_area_kinds[a->kind],
            fk_area_levels[a->level]);
    json_date(out, a->since);
    fputs(",\"lifts_on\":", out);
    json_date(out, a->lifts_on);
    fputs("}", out);
  }
}

/* Quarantine sites and entrance checks. */
static void json_sites(FILE *out, const struct fk_briefing *b)
{
  fprintf(out,
          "]},\n\"sites\":{\"rooms\":%ld,\"rooms_occupied\":%ld,\"beds\":%ld,\"persons\":%ld,"
          "\"waiting\":%ld,\"unsited\":%ld,\"list\":[",
          b->site_rooms, b->site_rooms_occupied, b->site_beds, b->site_persons, b->site_waiting,
          b->unsited);
  for (int i = 0; i < b->nsites; i++) {
    const struct fk_briefing_site *s = &b->sites[i];
    fprintf(out, "%s{\"site_id\":", i ? "," : "");
    json_str(out, s->site_id);
    fprintf(out, ",\"rooms\":%d,\"rooms_occupied\":%d,\"beds\":%d,\"persons\":%d,\"waiting\":%d}",
            s->rooms, s->rooms_occupied, s->beds, s->persons, s->waiting);
  }
  fprintf(out, "]},\n\"entrance\":{\"checks\":%ld,\"passed\":%ld,\"denied\":%ld,\"fevers\":%ld}}\n",
          b->entrance.checks, b->entrance.passed, b->entrance.denied, b->entrance.fevers);
}

void fk__briefing_print_json(FILE *out, const struct fk_briefing *b)
{
  assert(out && b);
  json_cases(out, b);
  json_people(out, b);
  json_tasks_areas(out, b);
  json_sites(out, b);
}
