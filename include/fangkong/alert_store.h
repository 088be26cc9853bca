/*
 * The store's side of alerts (fangkong/alerts.h): alerts, the alarms joined to them and their
 * steps up the hierarchy, as the scan writes them and the officers' lists read them. Every
 * iterator stops at the first non-zero return of fn and returns it, else 0 or FK_ESTORE.
 */
#ifndef FANGKONG_ALERT_STORE_H
#define FANGKONG_ALERT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/export.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"
#include "fangkong/task_store.h"

struct fk_diag;
struct fk_store;

struct fk_alert_row {
  int64_t id; /* 0 for an alert not yet stored */
  char channel[72];
  int64_t region;                        /* internal region id; 0 the city */
  char region_code[168];                 /* filled when read: a grid_id, a region code or "city" */
  int region_level;                      /* enum fk_level of the region */
  int level;                             /* enum fk_level where it stands now (escalation) */
  int method;                            /* enum fk_detect_method of its first alarm */
  fk_date first, last;                   /* dates of its first and last alarms */
  double observed, expected, upperbound; /* of its first alarm (NaN: not available) */
  int alarms;                            /* alarms joined */
  fk_time created, due;                  /* raised; to be verified by */
  char officer[64], phone[24];           /* on duty for the region when raised; "" nobody */
  enum fk_alert_status status;
  fk_time verified; /* FK_TIME_NONE when not yet */
  char note[256];
};

/* One alarm of one method on one date, joined to an alert. */
struct fk_alarm_row {
  int64_t alert;
  fk_date date;
  int method; /* enum fk_detect_method */
  double observed, expected, upperbound, score;
};

/* Which alerts fk_store_each_alert gives: 0 / NULL / -1 means any. */
struct fk_alert_filter {
  int64_t id;
  int status;                       /* enum fk_alert_status, or -1 */
  const char *channel;              /* with region: one series */
  int64_t region;                   /* -1 any */
  fk_time created_from, created_to; /* created in [from, to); 0 0: any */
};

/* Calls fn for each alert the filter f lets through (f and st borrowed; arg passed to fn), in
 * id order, the row borrowed for the call. Returns 0, fn's first non-zero return, or FK_ESTORE. */
FK_API int fk_store_each_alert(struct fk_store *st, const struct fk_alert_filter *f,
                               int (*fn)(void *arg, const struct fk_alert_row *a), void *arg);
/* Inserts a (a->id 0; sets it) or updates it. Returns 0 or FK_ESTORE (diag says why). */
FK_API int fk_store_put_alert(struct fk_store *st, struct fk_alert_row *a, struct fk_diag *diag);
/* Stores an alarm; *added (may be NULL) is 0 when it was there already. Returns 0 or FK_ESTORE. */
FK_API int fk_store_put_alarm(struct fk_store *st, const struct fk_alarm_row *al, int *added,
                              struct fk_diag *diag);
/* Calls fn for each alarm of alert, by date then method. As fk_store_each_alert. */
FK_API int fk_store_each_alarm(struct fk_store *st, int64_t alert,
                               int (*fn)(void *arg, const struct fk_alarm_row *al), void *arg);
/* An alert's steps up the hierarchy, as tasks' (e->task is the alert's id). As above. */
FK_API int fk_store_put_alert_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                                         struct fk_diag *diag);
FK_API int fk_store_each_alert_escalation(struct fk_store *st, int64_t alert,
                                          int (*fn)(void *arg, const struct fk_escalation_row *e),
                                          void *arg);

#endif
