/*
 * The scenario runner (see fangkong/scenario.h): read every line once to check it and learn its
 * time, sort, then apply the events in time order with a tick of the loop each day between them.
 * Lines are parsed again when applied, so only (time, place in the file) is kept per event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/scenario.h"
#include "fangkong/tasks.h"
#include "fangkong/trace.h"
#include "base/mapfile.h"
#include "ingest/reader.h"

struct item {
  fk_time at;
  long line;
  size_t off, len;
};

struct run {
  struct fk_store *st;
  const struct fk_rules *rules;
  const char *path, *buf;
  const struct fk_scenario_opts *o;
  struct fk_scenario_stats *stats;
  struct fk_diag *diag;
  struct item *it;
  size_t n, cap;
  struct fk_trace_index *ix;
  fk_time last; /* the store's last tick */
  int in_txn;
  struct fk_scenario_event ev;
};

/* Reports a rejected line (why: field and reason set) and counts it; returns the callback's. */
static int reject(struct run *r, long line, struct fk_diag *why)
{
  snprintf(why->file, sizeof why->file, "%s", r->path);
  why->line = line;
  r->stats->rejected++;
  return r->o->rejected ? r->o->rejected(r->o->arg, why) : 0;
}

static int add_item(struct run *r, fk_time at, const struct fk__record *rec)
{
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 256;
    struct item *p = fk_realloc(r->it, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    r->it = p;
    r->cap = cap;
  }
  r->it[r->n++] = (struct item){at, rec->line, (size_t)(rec->raw - r->buf), rec->rawlen};
  return 0;
}

/* Reads every line: a good one becomes an item, a bad one is reported. */
static int read_lines(struct run *r, size_t size)
{
  static const struct fk_feed lines = {FK_FEED_NONE, "scenario", NULL, 0, NULL};
  struct fk__reader rd;
  struct fk__record rec;
  struct fk_diag why;
  int rc = fk__reader_init(&rd, &lines, r->buf, size, 1, r->diag), got;
  while (!rc) {
    fk_diag_clear(&why);
    if ((got = fk__reader_next(&rd, &rec, &why)) == 0) break;
    r->stats->read++;
    if (got == 1) got = fk_scenario_parse(rec.raw, rec.rawlen, &r->ev, &why);
    fk_scenario_event_free(&r->ev);
    if (got == FK_ENOMEM)
      rc = got;
    else if (got)
      rc = reject(r, rec.line, &why);
    else
      rc = add_item(r, r->ev.at, &rec);
  }
  fk__reader_free(&rd);
  return rc;
}

static int by_time(const void *a, const void *b)
{
  const struct item *p = a, *q = b;
  if (p->at != q->at) return p->at < q->at ? -1 : 1;
  return p->line < q->line ? -1 : p->line > q->line;
}

/* ---- Task events ---- */

struct pick {
  const struct fk_scenario_event *ev;
  struct fk_task_row best;
  int found;
};

/* The task the event names: of its kind (and day); an open one before a closed one, then the
 * latest. */
static int pick_task(void *arg, const struct fk_task_row *t)
{
  struct pick *p = arg;
  if (t->kind != p->ev->task_kind) return 0;
  if (t->kind == FK_TASK_SAMPLE && t->day != p->ev->day) return 0;
  int open = FK_TASK_OPEN(t->status), best_open = p->found && FK_TASK_OPEN(p->best.status);
  if (!p->found || open > best_open || (open == best_open && t->id > p->best.id)) {
    p->best = *t;
    p->found = 1;
  }
  return 0;
}

/* Names the event's task for a message: "sample task of P2 due 2022-07-13". */
static void task_name(const struct fk_scenario_event *ev, char *out, size_t size)
{
  char day[FK_DATE_BUFSZ];
  if (ev->day == FK_DATE_NONE)
    snprintf(out, size, "%s task of %s", fk_task_kinds[ev->task_kind], ev->person_id);
  else
    snprintf(out, size, "%s task of %s due %s", fk_task_kinds[ev->task_kind], ev->person_id,
             fk_date_format(ev->day, day));
}

/* Carries out a task event: 0 done, FK_EDUP when the task was in that state already, another
 * FK_E* code (why says it) when it cannot be. */
static int task_event(struct run *r, const struct fk_scenario_event *ev, struct fk_diag *why)
{
  static const enum fk_task_status want[] = {
      [FK_SCENARIO_TASK_DONE] = FK_TSTATUS_DONE, [FK_SCENARIO_TASK_FAIL] = FK_TSTATUS_FAILED};
  struct pick p = {ev, {0}, 0};
  char name[160];
  int64_t person;
  int rc = fk_store_person_id(r->st, ev->person_id, &person);
  if (rc) return rc;
  if (!person) return fk_diag_set(why, FK_ENOREF, "person_id", "no person %s", ev->person_id);
  rc = fk_store_each_task(r->st, &(struct fk_task_filter){.person = person, .status = -1},
                          pick_task, &p);
  if (rc) return rc;
  task_name(ev, name, sizeof name);
  if (!p.found) return fk_diag_set(why, FK_ENOTFOUND, "kind", "there is no %s", name);
  enum fk_task_status s = p.best.status;
  if (ev->type == FK_SCENARIO_TASK_ACK) {
    if (s == FK_TSTATUS_ACKNOWLEDGED || s == FK_TSTATUS_DONE || s == FK_TSTATUS_FAILED)
      return FK_EDUP;
    if (s == FK_TSTATUS_CANCELLED)
      return fk_diag_set(why, FK_EINVAL, "kind", "the %s is cancelled", name);
    return fk_task_ack(r->st, p.best.id, ev->at, why);
  }
  if (s == want[ev->type]) return FK_EDUP;
  if (!FK_TASK_OPEN(s))
    return fk_diag_set(why, FK_EINVAL, "kind", "the %s is %s already", name, fk_task_statuses[s]);
  return fk_task_close(r->st, p.best.id, want[ev->type], ev->proof, ev->at, why);
}

/* ---- Applying and ticking ---- */

static int commit(struct run *r)
{
  if (!r->in_txn) return 0;
  r->in_txn = 0;
  return fk_store_commit(r->st);
}

/* Ticks at now unless the store was ticked at or after it already. */
static int tick(struct run *r, fk_time now)
{
  struct fk_tick_stats ts;
  int rc = commit(r);
  if (rc) return rc;
  if (r->last != FK_TIME_NONE && now <= r->last) {
    r->stats->skipped++;
    return 0;
  }
  if ((rc = fk_tick(r->st, &r->ix, r->rules, now, &ts, r->diag))) return rc;
  r->last = now;
  r->stats->ticks++;
  if (r->stats->first == FK_TIME_NONE) r->stats->first = now;
  r->stats->last = now;
  return r->o->ticked ? r->o->ticked(r->o->arg, now, &ts) : 0;
}

/* Applies one item (a feed row, a task event, a tick); a refused event is reported. */
static int apply(struct run *r, const struct item *it)
{
  struct fk_scenario_event *ev = &r->ev;
  struct fk_diag why;
  fk_diag_clear(&why);
  int rc = fk_scenario_parse(r->buf + it->off, it->len, ev, &why);
  if (!rc && ev->type == FK_SCENARIO_TICK) {
    fk_scenario_event_free(ev);
    return tick(r, ev->at);
  }
  if (!rc && !r->in_txn && !(rc = fk_store_begin(r->st))) r->in_txn = 1;
  if (!rc)
    rc = ev->type == FK_SCENARIO_FEED ? fk_store_put(r->st, ev->feed, ev->row, &why)
                                      : task_event(r, ev, &why);
  fk_scenario_event_free(ev);
  if (rc == 0) {
    r->stats->applied++;
  } else if (rc == FK_EDUP) {
    r->stats->already++;
    rc = 0;
  } else if (rc != FK_ESTORE && rc != FK_ENOMEM) {
    rc = reject(r, it->line, &why);
  } else if (rc == FK_ESTORE && !r->diag->reason[0]) {
    fk_diag_set(r->diag, rc, NULL, "%s:%ld: %s", r->path, it->line, fk_store_errmsg(r->st));
  }
  return rc;
}

/* The first daily tick at or after t. */
static fk_time daily_from(fk_time t, int tick_at)
{
  fk_time d = fk_date_start(fk_time_date(t)) + tick_at;
  return d < t ? d + FK_SECONDS_PER_DAY : d;
}

/* Walks the sorted items and the daily ticks together: events up to a tick's time go first. */
static int replay(struct run *r)
{
  const fk_time until = r->o->until;
  fk_time t, end;
  size_t i = 0;
  if (!r->n) return 0;
  t = daily_from(r->it[0].at, r->o->tick_at);
  end = until != FK_TIME_NONE ? until : daily_from(r->it[r->n - 1].at, r->o->tick_at);
  int rc = fk_store_last_tick(r->st, &r->last);
  while (!rc) {
    int event = i < r->n && (until == FK_TIME_NONE || r->it[i].at <= until);
    int daily = t <= end;
    if (event && (!daily || r->it[i].at <= t)) {
      rc = apply(r, &r->it[i++]);
    } else if (daily) {
      rc = tick(r, t);
      t += FK_SECONDS_PER_DAY;
    } else {
      break;
    }
  }
  r->stats->later = (long)(r->n - i);
  if (!rc) rc = commit(r);
  if (rc && r->in_txn) fk_store_rollback(r->st);
  return rc;
}

int fk_scenario_run(struct fk_store *st, const struct fk_rules *rules, const char *path,
                    const struct fk_scenario_opts *opts, struct fk_scenario_stats *stats,
                    struct fk_diag *diag)
{
  static const struct fk_scenario_opts defaults = {9 * 3600, FK_TIME_NONE, NULL, NULL, NULL};
  struct fk_scenario_stats none;
  struct fk_diag quiet;
  struct run *r = fk_calloc(1, sizeof *r);
  size_t size = 0;
  int rc;
  if (!r) return fk_diag_set(diag, FK_ENOMEM, NULL, "%s", fk_strerror(FK_ENOMEM));
  if (!stats) stats = &none;
  if (!diag) diag = &quiet;
  fk_diag_clear(diag);
  memset(stats, 0, sizeof *stats);
  stats->first = stats->last = FK_TIME_NONE;
  *r = (struct run){.st = st,
                    .rules = rules,
                    .path = path,
                    .o = opts ? opts : &defaults,
                    .stats = stats,
                    .diag = diag};
  rc = fk__map_file(path, &r->buf, &size, diag);
  if (!rc) rc = read_lines(r, size);
  if (!rc && r->n) qsort(r->it, r->n, sizeof *r->it, by_time);
  if (!rc) rc = replay(r);
  if (rc && !diag->reason[0])
    fk_diag_set(diag, rc, NULL, "%s", rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  if (rc && !diag->file[0]) snprintf(diag->file, sizeof diag->file, "%s", path);
  fk__unmap_file(r->buf, size);
  fk_trace_index_free(r->ix);
  fk_free(r->it);
  fk_free(r);
  return rc;
}
