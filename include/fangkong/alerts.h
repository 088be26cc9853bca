/*
 * Alerts (预警信号): alarms of the detection methods over the signal channels, turned into alerts
 * that a duty officer must verify, as CIDARS does (docs/ALERTS.md).
 *
 * A scan runs the methods the rules' `alerts` section names for each channel and level over the
 * last days before now. Each alarm (channel, region, date, method) joins the open alert of its
 * channel and region, or raises a new one: so alarms on consecutive days, and of two methods on
 * one day, make one alert. A new alert names why it fired (method, observed, baseline, threshold)
 * and goes to the officer on duty for its region at that moment; it must be verified (outbreak,
 * not an outbreak, needs watching) within the rules' hours, else it climbs the hierarchy as an
 * overdue task does (the escalation section, the duty roster). A scan is a pure function of
 * (store, rules, now): the same now twice changes nothing.
 */
#ifndef FANGKONG_ALERTS_H
#define FANGKONG_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/tasks.h"
#include "fangkong/time.h"

struct fk_diag;

enum fk_alert_status {
  FK_ALERT_OPEN = 0,     /* not verified yet */
  FK_ALERT_OUTBREAK,     /* verified: an outbreak (暴发), later alarms join it */
  FK_ALERT_NOT_OUTBREAK, /* verified: not an outbreak; closed */
  FK_ALERT_WATCH,        /* verified: needs watching (持续关注), later alarms join it */
  FK_ALERT_NSTATUS
};
/* "open", "outbreak", "not_outbreak", "watch"; NULL-terminated. */
extern const char *const fk_alert_statuses[];

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
int fk_store_each_alert(struct fk_store *st, const struct fk_alert_filter *f,
                        int (*fn)(void *arg, const struct fk_alert_row *a), void *arg);
/* Inserts a (a->id 0; sets it) or updates it. Returns 0 or FK_ESTORE (diag says why). */
int fk_store_put_alert(struct fk_store *st, struct fk_alert_row *a, struct fk_diag *diag);
/* Stores an alarm; *added (may be NULL) is 0 when it was there already. Returns 0 or FK_ESTORE. */
int fk_store_put_alarm(struct fk_store *st, const struct fk_alarm_row *al, int *added,
                       struct fk_diag *diag);
/* Calls fn for each alarm of alert, by date then method. As fk_store_each_alert. */
int fk_store_each_alarm(struct fk_store *st, int64_t alert,
                        int (*fn)(void *arg, const struct fk_alarm_row *al), void *arg);
/* An alert's steps up the hierarchy, as tasks' (e->task is the alert's id). As above. */
int fk_store_put_alert_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                                  struct fk_diag *diag);
int fk_store_each_alert_escalation(struct fk_store *st, int64_t alert,
                                   int (*fn)(void *arg, const struct fk_escalation_row *e),
                                   void *arg);

struct fk_alerts_stats {
  long series;      /* series examined (channel x level x region) */
  long alarms;      /* alarms found in the scanned days */
  long raised;      /* new alerts */
  long joined;      /* alarms joined to an alert already raised */
  long known;       /* alarms stored before, or already judged not an outbreak */
  long escalations; /* steps up the hierarchy recorded */
};

/*
 *   st     the store (borrowed for the call); rules: the rule set (borrowed), its alerts and
 *          escalation sections; now: the scan's time (nothing reads the clock);
 *   stats  filled (may be NULL); diag: why it failed (may be NULL).
 * Scans as of now: for each source of rules->alerts, each of its levels and methods, the days
 * now - scan_days .. the day before now's are evaluated with history_days of history, and each
 * alarm joins or raises an alert (one transaction); then unverified alerts escalate
 * (fk_alerts_advance). stats (may be NULL) is filled.
 * Returns 0; FK_EINVAL when the rules have no alerts section; FK_ENOMEM; FK_ESTORE.
 */
int fk_alerts_scan(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                   struct fk_alerts_stats *stats, struct fk_diag *diag);

/*
 * Raises every unverified alert past its due time to each level whose delay (the rules'
 * escalation section) has passed by now, with the officer on duty then. Nothing without an
 * escalation section. Returns 0, FK_ENOMEM or FK_ESTORE.
 */
int fk_alerts_advance(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                      struct fk_alerts_stats *stats, struct fk_diag *diag);

/*
 * st borrowed; id the alert_id; note copied (may be NULL); now the time of the verification.
 * Records the verification of alert id as status (outbreak, not_outbreak, watch) at now, with a
 * note (may be NULL). An alert verified before may be re-judged; its first verification time
 * stays. Returns 0, FK_ENOTFOUND, FK_EINVAL (status open, now before the alert) or FK_ESTORE.
 */
int fk_alert_verify(struct fk_store *st, int64_t id, enum fk_alert_status status, const char *note,
                    fk_time now, struct fk_diag *diag);

/* The response figures CIDARS publishes, for alerts raised in a span. */
struct fk_alert_report {
  char channel[72]; /* "" for all channels */
  long signals;     /* alerts raised */
  long verified;
  long in_time;         /* verified within the rules' hours */
  long outbreaks;       /* verified as outbreaks */
  double share_in_time; /* in_time / signals; NaN without signals */
  double median_hours;  /* median time to verify, over verified alerts; NaN without any */
};

/*
 * st and rules borrowed (rules give verify_hours); from, to civil dates; rows and n out.
 * The report over alerts raised on days from..to (civil, inclusive): one row per channel (by
 * name) then the total (channel ""), in *rows (caller frees with fk_free), *n of them.
 * Returns 0, FK_ENOMEM or FK_ESTORE.
 */
int fk_alerts_report(struct fk_store *st, const struct fk_rules *rules, fk_date from, fk_date to,
                     struct fk_alert_report **rows, size_t *n, struct fk_diag *diag);

#endif
