/*
 * One scenario line into an event (see fangkong/scenario.h). The line's fields are laid out and
 * validated by the importer's own code (fk__ndjson_layout, fk__feed_validate) against a feed
 * descriptor: the feed's for a feed row, small descriptors of their own for the event's head
 * (at, type) and for task events, so every error reads as an import error does.
 */
#include <jansson.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/scenario.h"
#include "fangkong/tasks.h"
#include "ingest/reader.h"

static const struct fk_column head_cols[] = {
    {"at", FK_COL_TIME, FK_COL_REQUIRED, FK_FEED_NONE, 0, 0, 0, 0, NULL},
    {"type", FK_COL_ID, FK_COL_REQUIRED, FK_FEED_NONE, 0, 0, 0, 0, NULL},
};
static const struct fk_feed head = {FK_FEED_NONE, "scenario", head_cols, 2, NULL};

/* A task named as a unit knows it: whose, which kind, and for a sample its due day. */
static const struct fk_column task_cols[] = {
    {"person_id", FK_COL_ID, FK_COL_REQUIRED, FK_FEED_NONE, 0, 0, 0, 0, NULL},
    {"kind", FK_COL_ENUM, FK_COL_REQUIRED, FK_FEED_NONE, 0, 0, 0, 0, fk_task_kinds},
    {"day", FK_COL_DATE, 0, FK_FEED_NONE, 0, 0, 0, 0, NULL},
    {"proof", FK_COL_TEXT, 0, FK_FEED_NONE, 0, 120, 0, 0, NULL},
};
enum { T_PERSON, T_KIND, T_DAY, T_PROOF };

static int check_task(const struct fk_value *row, struct fk_diag *diag)
{
  if (row[T_KIND].i == FK_TASK_SAMPLE && !row[T_DAY].present)
    return fk_diag_set(diag, FK_EPARSE, "day", "a sample task is named by its due day");
  if (row[T_KIND].i != FK_TASK_SAMPLE && row[T_DAY].present)
    return fk_diag_set(diag, FK_EPARSE, "day", "only a sample task has a day");
  return 0;
}
static const struct fk_feed task = {FK_FEED_NONE, "task", task_cols, 4, check_task};

static const struct {
  const char *name;
  enum fk_scenario_type type;
} task_types[] = {{"task_ack", FK_SCENARIO_TASK_ACK},
                  {"task_done", FK_SCENARIO_TASK_DONE},
                  {"task_fail", FK_SCENARIO_TASK_FAIL},
                  {"tick", FK_SCENARIO_TICK}};

/* The feed a type names: its name ("checkins") or that name without its final s ("checkin"). */
static const struct fk_feed *feed_of(const char *s, size_t n)
{
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    const struct fk_feed *feed = fk_feed_get((enum fk_feed_id)f);
    size_t k = strlen(feed->name);
    if ((n == k || (n + 1 == k && feed->name[k - 1] == 's')) && !memcmp(s, feed->name, n))
      return feed;
  }
  return NULL;
}

/* Lays the object out as feed and validates it into row. */
static int fields(const struct fk_feed *feed, json_t *obj, struct fk_value *row, char *num,
                  struct fk_diag *diag)
{
  struct fk__record rec;
  for (int i = 0; i < FK_FEED_MAXCOLS; i++) {
    rec.text[i] = "";
    rec.len[i] = 0;
  }
  int rc = fk__ndjson_layout(feed, obj, &rec, num, diag);
  return rc < 0 ? rc : fk__feed_validate(feed, &rec, row, diag);
}

static int task_fields(struct fk_scenario_event *ev, json_t *obj, struct fk_diag *diag)
{
  struct fk_value v[4];
  int rc = fields(&task, obj, v, ev->num, diag);
  if (rc) return rc;
  snprintf(ev->person_id, sizeof ev->person_id, "%.*s", (int)v[T_PERSON].n, v[T_PERSON].s);
  ev->task_kind = (int)v[T_KIND].i;
  ev->day = v[T_DAY].present ? (fk_date)v[T_DAY].i : FK_DATE_NONE;
  if (v[T_PROOF].present)
    snprintf(ev->proof, sizeof ev->proof, "%.*s", (int)v[T_PROOF].n, v[T_PROOF].s);
  if (ev->type != FK_SCENARIO_TASK_ACK && !ev->proof[0])
    return fk_diag_set(diag, FK_EPARSE, "proof",
                       ev->type == FK_SCENARIO_TASK_DONE ? "say what proves the task done"
                                                         : "say why the task failed");
  return 0;
}

int fk_scenario_parse(const char *s, size_t n, struct fk_scenario_event *ev, struct fk_diag *diag)
{
  struct fk_value h[2];
  memset(ev, 0, sizeof *ev);
  ev->day = FK_DATE_NONE;
  if (n > FK__RECORD_MAX)
    return fk_diag_set(diag, FK_ETOOLONG, NULL, "line is %zu bytes, longer than the limit %u", n,
                       FK__RECORD_MAX);
  json_t *obj;
  int rc = fk__ndjson_load(s, n, (void **)&obj, diag);
  ev->json = obj;
  if (rc) return rc;
  rc = fields(&head, obj, h, ev->num, diag);
  if (rc) return rc;
  ev->at = h[0].i;
  for (size_t i = 0; i < sizeof task_types / sizeof task_types[0]; i++) {
    if (strlen(task_types[i].name) != h[1].n || memcmp(task_types[i].name, h[1].s, h[1].n))
      continue;
    ev->type = task_types[i].type;
    return ev->type == FK_SCENARIO_TICK ? 0 : task_fields(ev, obj, diag);
  }
  ev->type = FK_SCENARIO_FEED;
  if (!(ev->feed = feed_of(h[1].s, h[1].n)))
    return fk_diag_set(diag, FK_EPARSE, "type",
                       "unknown type '%.*s' (a feed such as case, sample, arrival, checkin, "
                       "duty; or task_ack, task_done, task_fail, tick)",
                       (int)h[1].n, h[1].s);
  return fields(ev->feed, obj, ev->row, ev->num, diag);
}

void fk_scenario_event_free(struct fk_scenario_event *ev)
{
  json_decref(ev->json);
  ev->json = NULL;
}
