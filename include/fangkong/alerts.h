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

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/alert_store.h"
#include "fangkong/tasks.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;

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
FK_API int fk_alerts_scan(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                          struct fk_alerts_stats *stats, struct fk_diag *diag);

/*
 * Raises every unverified alert past its due time to each level whose delay (the rules'
 * escalation section) has passed by now, with the officer on duty then. Nothing without an
 * escalation section. Returns 0, FK_ENOMEM or FK_ESTORE.
 */
FK_API int fk_alerts_advance(struct fk_store *st, const struct fk_rules *rules, fk_time now,
                             struct fk_alerts_stats *stats, struct fk_diag *diag);

/*
 * st borrowed; id the alert_id; note copied (may be NULL); now the time of the verification.
 * Records the verification of alert id as status (outbreak, not_outbreak, watch) at now, with a
 * note (may be NULL). An alert verified before may be re-judged; its first verification time
 * stays. Returns 0, FK_ENOTFOUND, FK_EINVAL (status open, now before the alert) or FK_ESTORE.
 */
FK_API int fk_alert_verify(struct fk_store *st, int64_t id, enum fk_alert_status status,
                           const char *note, fk_time now, struct fk_diag *diag);

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
FK_API int fk_alerts_report(struct fk_store *st, const struct fk_rules *rules, fk_date from,
                            fk_date to, struct fk_alert_report **rows, size_t *n,
                            struct fk_diag *diag);

#endif
