/*
 * Scenarios: an outbreak replayed day by day. A scenario is an NDJSON file, one timed event a
 * line ({"at": T, "type": ..., fields}): a feed row entering the store (a case, a sample's
 * result, an arrival, a check-in, any feed of docs/FORMATS.md, with the feed's own fields and
 * the importer's validation), a unit's hand on a task (task_ack, task_done, task_fail, naming
 * the task by person, kind and, for a sample, its due day, since task ids are not known in
 * advance), or an explicit tick. The runner applies the events in time order and ticks the loop
 * (fk_tick) once a day at a set hour, so three weeks of an outbreak replay in seconds.
 *
 * Replaying is idempotent: feed rows already stored are duplicates, a task already in the state
 * an event asks for is left alone, and a tick at or before the store's last tick
 * (fk_store_last_tick) is skipped, so running the same scenario twice changes nothing and a
 * replay cut short resumes. docs/SCENARIO.md has the format.
 */
#ifndef FANGKONG_SCENARIO_H
#define FANGKONG_SCENARIO_H

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/feed.h"
#include "fangkong/loop.h"
#include "fangkong/time.h"

struct fk_diag;

enum fk_scenario_type {
  FK_SCENARIO_FEED = 0, /* a feed row: event.feed and event.row */
  FK_SCENARIO_TASK_ACK,
  FK_SCENARIO_TASK_DONE,
  FK_SCENARIO_TASK_FAIL,
  FK_SCENARIO_TICK
};

/* One parsed event. Text values point into the parsed line (held by `json`). */
struct fk_scenario_event {
  fk_time at;
  enum fk_scenario_type type;
  const struct fk_feed *feed;           /* FK_SCENARIO_FEED */
  struct fk_value row[FK_FEED_MAXCOLS]; /* FK_SCENARIO_FEED: the row, validated */
  /* task events */
  char person_id[72];
  int task_kind;   /* enum fk_task_kind */
  fk_date day;     /* a sample task's due date, else FK_DATE_NONE */
  char proof[128]; /* what proves it done, or why it failed; "" for an acknowledgement */
  void *json;      /* the parsed line (owned; fk_scenario_event_free) */
  char num[FK_FEED_MAXCOLS * 32];
};

/*
 * Parses one scenario line (n bytes at s, no line end) into *ev: "at" (ISO 8601 with offset)
 * and "type" are required; a feed type ("case" or "cases", "sample", "checkin" ...) takes the
 * feed's columns, validated as an import validates them; task_ack / task_done / task_fail take
 * person_id, kind, day (a date, required for a sample task) and proof (required for done and
 * fail); tick takes nothing more. ev borrows s while in use; free it with fk_scenario_event_free
 * whatever the result. Returns 0, or FK_EPARSE / FK_ERANGE / ... with diag naming the field and
 * why (diag->line is left for the caller), FK_ETOOLONG, FK_ENOMEM.
 */
FK_API int fk_scenario_parse(const char *s, size_t n, struct fk_scenario_event *ev,
                             struct fk_diag *diag);

/* Frees what fk_scenario_parse holds in ev (ev itself is the caller's). */
FK_API void fk_scenario_event_free(struct fk_scenario_event *ev);

struct fk_scenario_stats {
  long read;           /* events read (blank lines excluded) */
  long applied;        /* feed rows stored, task events carried out */
  long already;        /* feed rows stored before, tasks already in that state */
  long rejected;       /* bad lines and events the store refused (reported) */
  long later;          /* events after --until, left for a later run */
  long ticks;          /* ticks run */
  long skipped;        /* ticks at or before the store's last tick */
  fk_time first, last; /* the first and last tick time of the replay (FK_TIME_NONE: none) */
};

struct fk_scenario_opts {
  int tick_at;   /* seconds after 00:00 (city time) of the daily tick: 9 * 3600 by default */
  fk_time until; /* tick and apply up to this time; FK_TIME_NONE: to the last event's day */
  /* Called after each tick run, with its stats (may be NULL). A non-zero return stops. */
  int (*ticked)(void *arg, fk_time now, const struct fk_tick_stats *s);
  /* Called for each rejected line or event, diag saying file, line, field and why (may be
     NULL). A non-zero return stops. */
  int (*rejected)(void *arg, const struct fk_diag *why);
  void *arg;
};

/*
 * Replays the scenario at path on st under rules: reads every line (bad ones reported through
 * opts->rejected and counted, the rest kept), sorts the events by time (file order at equal
 * times), then for each day from the first event's to the last event's (or opts->until) applies
 * the events up to that day's tick time and ticks. An explicit tick event ticks at its time.
 * Ticks at or before the store's last tick are skipped.
 *   st     the store (borrowed)
 *   rules  the rule set (borrowed)
 *   opts   may be NULL (defaults: 09:00, to the last event)
 *   stats  filled (may be NULL)
 * Returns 0 (even with rejects: see stats), FK_EIO (unreadable file), FK_ENOMEM, FK_ESTORE or
 * a tick's error, diag saying why; what was applied and ticked before an error stays.
 */
FK_API int fk_scenario_run(struct fk_store *st, const struct fk_rules *rules, const char *path,
                           const struct fk_scenario_opts *opts, struct fk_scenario_stats *stats,
                           struct fk_diag *diag);

#endif
