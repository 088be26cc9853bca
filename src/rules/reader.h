/*
 * The strict JSON reader's helpers, shared by the files of src/rules: each reports a problem
 * with its path through the context and goes on, so one run lists every mistake.
 */
#ifndef FK_RULES_READER_H
#define FK_RULES_READER_H

#include <jansson.h>
#include <stddef.h>

struct fk_diag;
struct fk_loop_rules;

struct fk__rules_ctx {
  void (*report)(void *arg, const char *path, const char *reason);
  void *arg;
  struct fk_diag *diag;
  int errors;
};

/* Reports a problem at path: the first goes into diag, every one through report. */
void fk__rules_problem(struct fk__rules_ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports every key of obj not in the NULL-terminated list `known`. */
void fk__rules_unknown(struct fk__rules_ctx *c, json_t *obj, const char *path,
                       const char *const *known);

/* Reads a number in [lo, hi] at obj.key into *out; absent keeps *out unless required. */
void fk__rules_number(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                      double lo, double hi, int required, double *out);

/* Reads a string shorter than size at obj.key into out; absent keeps out unless required. */
void fk__rules_text(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                    int required, char *out, size_t size);

/* Reads a whole number in [lo, hi] at obj.key into *out; absent keeps *out unless required. */
void fk__rules_int(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key, int lo,
                   int hi, int required, int *out);

/* Reads true or false at obj.key into *out (1 or 0); absent keeps *out. */
void fk__rules_boolean(struct fk__rules_ctx *c, json_t *obj, const char *path, const char *key,
                       int *out);

/* Reads the `measures`, `areas` and `codes` sections (measures.c); each reports "required
 * object" when obj is NULL. fk__rules_check_measures cross-checks them once all are read. */
void fk__rules_measures(struct fk__rules_ctx *c, json_t *obj, struct fk_rules *out);
void fk__rules_areas(struct fk__rules_ctx *c, json_t *obj, struct fk_area_rules *out);
void fk__rules_codes(struct fk__rules_ctx *c, json_t *obj, struct fk_code_rules *out);
void fk__rules_check_measures(struct fk__rules_ctx *c, const struct fk_rules *r);

/* Reads the `tasks`, `escalation` and `entrance` sections (loop.c); each reports "required
 * object" when obj is NULL. */
void fk__rules_loop(struct fk__rules_ctx *c, json_t *tasks, json_t *escalation, json_t *entrance,
                    struct fk_loop_rules *out);

/* Reads the optional `briefing` section (loop.c). */
struct fk_briefing_rules;
void fk__rules_briefing(struct fk__rules_ctx *c, json_t *obj, struct fk_briefing_rules *out);

/* Reads the optional `sites` section (sites.c); nothing when obj is NULL. */
struct fk_site_rules;
/* Reads the `alerts` section (alerts.c): the channels watched, their levels and methods. */
struct fk_alert_rules;
void fk__rules_alerts(struct fk__rules_ctx *c, json_t *obj, struct fk_alert_rules *out);
void fk__rules_sites(struct fk__rules_ctx *c, json_t *obj, struct fk_site_rules *out);
/* Reads `areas.designate` (designate.c) into a, once a's levels are read; absent: no change. */
void fk__rules_designate(struct fk__rules_ctx *c, json_t *obj, struct fk_area_rules *a);
/* Reads the optional `scan` section (scan.c); absent leaves out->source empty. */
void fk__rules_scan(struct fk__rules_ctx *c, json_t *obj, struct fk_scan_rules *out);

#endif
