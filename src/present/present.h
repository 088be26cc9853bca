/*
 * What both interfaces print (the present part): the `fangkong` command and the HTTP API give
 * the same answers through these encoders, so a command's --format json and the API's body are
 * one code path. Nothing here reads the clock or speaks HTTP.
 */
#ifndef FK_PRESENT_H
#define FK_PRESENT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fangkong/entrance.h"
#include "fangkong/rules.h"
#include "fangkong/time.h"

struct fk_diag;
struct fk_store;

/* ---- the entrance check's answer (entrance.c) ---- */

/* The answer to an entrance check: {"decision", "reasons": [{"key", "text"}], "code", "fever",
 * "grid_id", "area_level", "recorded"}. Returns a new reference, or NULL when out of memory. */
json_t *fk__entrance_json(const struct fk_entrance_result *r);

/* The same answer as text, byte for byte what json_dumps(fk__entrance_json(r), JSON_COMPACT)
 * gives, written into buf (size bytes; not NUL-terminated) without building the object: the
 * busiest route's answer. Returns its length, or -1 when it does not fit. */
long fk__entrance_json_text(const struct fk_entrance_result *r, char *buf, size_t size);

/* ---- a person (person.c) ---- */

struct fk_measure_row;

/*
 * A person as of now (FK_TIME_NONE: as stored): {"person_id", "code", "code_reason", "measures":
 * [{"category", "kind", "anchor_date", "start_date", "end_date", "status", "rule", "tests"}],
 * "site": {...}|null}, from the person's measures m[0..nm) (fk_measures_of). st and rules are
 * borrowed. Returns a new reference, or NULL when out of memory; *rc is set to 0, or the error
 * of reading the site stay (diag says why; "site" is null then).
 */
json_t *fk__person_json(struct fk_store *st, const struct fk_rules *rules, const char *person_id,
                        int64_t person, const struct fk_measure_row *m, int nm, fk_time now,
                        int *rc, struct fk_diag *diag);

/* ---- risk areas (areas.c) ---- */

struct fk_areas;
struct fk_table;

/* The rows of `fangkong area list` (cli/cmd_areas.c): the risk areas in force on d (FK_DATE_NONE:
 * as last updated), high first, columns area_id, level, since, lifts_on, reason (text: with the
 * Chinese level and the rule's source). Returns 0 or FK_ENOMEM. */
int fk__areas_fill(const struct fk_areas *as, fk_date d, int text, const struct fk_rules *r,
                   struct fk_table *t);

/* ---- tasks (task.c) ---- */

struct fk_task_row;

/* A task: {"task_id", "kind", "person_id", "unit", "due_at", "status", "level", "reason",
 * "proof", "escalations": [{"level", "at", "unit", "officer", "phone"}]} (officers masked), into
 * *out (a new reference). Returns 0, FK_ENOMEM or FK_ESTORE. */
int fk__task_json(struct fk_store *st, const struct fk_task_row *t, json_t **out);

/* ---- alerts (alert.c) and the briefing (briefing.c) ---- */

struct fk_alert_row;
struct fk_briefing;

/* The filters of `fangkong alert list` and GET /v1/alerts as given (borrowed; NULL: any). */
struct fk__alert_args {
  const char *status;  /* open, outbreak, not_outbreak, watch */
  const char *level;   /* where the alert stands now: city .. grid */
  const char *channel; /* a channel name */
  const char *region;  /* a region code or grid_id: the alert's region is it or lies under it */
  const char *since;   /* an ISO 8601 time: raised at or after it */
};

/* Which alerts to give. */
struct fk__alert_query {
  int status;          /* enum fk_alert_status, or -1 */
  int level;           /* enum fk_level, or -1 */
  const char *channel; /* NULL: any (borrowed) */
  int64_t region;      /* internal region id (0: the city), or -1: any */
  fk_time since;       /* FK_TIME_NONE: any */
  int64_t scope;       /* the token's node (0: the city); only alerts whose region lies in it */
};

/*
 * Reads the filters args (borrowed) into *q (caller-owned; scope 0), looking the region up in
 * st (borrowed). Returns 0, FK_EINVAL with why (whysz bytes) naming the filter and what it may
 * be, or FK_ESTORE.
 */
int fk__alert_query_parse(struct fk_store *st, const struct fk__alert_args *args,
                          struct fk__alert_query *q, char *why, size_t whysz);

/* Calls fn(arg, alert) for each alert of q (borrowed), in id order, the row borrowed for the
 * call. Returns 0, fn's first non-zero return, or FK_ESTORE. */
int fk__alerts_each(struct fk_store *st, const struct fk__alert_query *q,
                    int (*fn)(void *arg, const struct fk_alert_row *a), void *arg);

/* Writes alert a (borrowed) to out as one JSON object (docs/ALERTS.md, Output): why it fired,
 * the officer masked, its verification, alarms and escalations (read from st). Returns 0 or
 * FK_ESTORE (the object is then cut short). */
int fk__alert_print_json(FILE *out, struct fk_store *st, const struct fk_alert_row *a);

/* Writes the alerts of q to out as the JSON array of `fangkong alert list --format json` (one
 * alert a line). Returns 0 or FK_ESTORE. */
int fk__alerts_print_json(FILE *out, struct fk_store *st, const struct fk__alert_query *q);

/* Writes briefing b (borrowed) to out as the JSON of `fangkong briefing --format json`
 * (docs/BRIEFING.md). Cannot fail (a write error shows in ferror(out)). */
void fk__briefing_print_json(FILE *out, const struct fk_briefing *b);

#endif
