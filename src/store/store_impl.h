/*
 * What a store backend implements (as SQLite's VFS): a table of operations over the backend's
 * state, which begins with struct fk_store. src/store/store.c (with store_sites.c and
 * store_alerts.c) dispatches each public fk_store_* call to the op of the same name, which has
 * the public function's own type: a callback is always called through its own type, and a row
 * passed as it was given. A PostgreSQL backend is one more driver (its ops table and its open
 * function below) and no caller changes. The SQLite backend's own header is sqlite_impl.h.
 */
#ifndef FK_STORE_IMPL_H
#define FK_STORE_IMPL_H

#include "fangkong/alert_store.h"
#include "fangkong/entrance_store.h"
#include "fangkong/signal_store.h"
#include "fangkong/site_store.h"
#include "fangkong/store.h"
#include "fangkong/task_store.h"
#include "fangkong/token_store.h"
#include "fangkong/trace_store.h"

struct fk__store_ops {
  const char *name;
  void (*close)(struct fk_store *st);
  int (*begin)(struct fk_store *st);
  int (*commit)(struct fk_store *st);
  int (*rollback)(struct fk_store *st);
  const char *(*errmsg)(struct fk_store *st);
  int (*put)(struct fk_store *st, const struct fk_feed *feed, const struct fk_value *row,
             struct fk_diag *diag);
  int (*scan)(struct fk_store *st, const struct fk_feed *feed,
              int (*row)(void *arg, const char *const *cells), void *arg);
  /* The raw rows of derived indexes (fangkong/store.h): as the public functions of the same
     names. */
  int (*each_checkin)(struct fk_store *st, int64_t after_id,
                      int (*fn)(void *arg, const struct fk_checkin_row *row), void *arg);
  int (*each_person)(struct fk_store *st, int64_t after_id,
                     int (*fn)(void *arg, const struct fk_person_row *row), void *arg);
  int (*each_place)(struct fk_store *st, int64_t after_id,
                    int (*fn)(void *arg, const struct fk_place_row *row), void *arg);
  int (*each_case)(struct fk_store *st, int (*fn)(void *arg, const struct fk_case_row *row),
                   void *arg);
  int (*each_ping)(struct fk_store *st, int64_t after_id,
                   int (*fn)(void *arg, const struct fk_ping_row *row), void *arg);
  int (*each_arrival)(struct fk_store *st, int64_t after_id,
                      int (*fn)(void *arg, const struct fk_arrival_row *row), void *arg);
  int (*each_sample)(struct fk_store *st, int64_t person,
                     int (*fn)(void *arg, const struct fk_sample_row *row), void *arg);
  int (*save_trace)(struct fk_store *st, const struct fk_trace_result *r, fk_time now,
                    const char *rules, struct fk_diag *diag);
  int (*set_bulk)(struct fk_store *st, int bulk);
  int (*verify)(struct fk_store *st, struct fk_diag *diag);
  int (*version)(struct fk_store *st, int *version);
  int (*stats)(struct fk_store *st, struct fk_table **feeds, struct fk_table **districts);
  int (*each_measure)(struct fk_store *st, int64_t person,
                      int (*fn)(void *arg, const struct fk_measure_row *m), void *arg);
  int (*put_measure)(struct fk_store *st, struct fk_measure_row *m, struct fk_diag *diag);
  int (*person_id)(struct fk_store *st, const char *person_id, int64_t *person);
  int (*data_version)(struct fk_store *st, uint64_t *v);
  /* The loop (fangkong/tasks.h): as the public functions of the same names. */
  int (*each_task)(struct fk_store *st, const struct fk_task_filter *f,
                   int (*fn)(void *arg, const struct fk_task_row *t), void *arg);
  int (*put_task)(struct fk_store *st, struct fk_task_row *t, struct fk_diag *diag);
  int (*put_escalation)(struct fk_store *st, const struct fk_escalation_row *e,
                        struct fk_diag *diag);
  int (*each_escalation)(struct fk_store *st, int64_t task,
                         int (*fn)(void *arg, const struct fk_escalation_row *e), void *arg);
  int (*duty_at)(struct fk_store *st, const char *unit, fk_time at, char *officer, size_t osize,
                 char *phone, size_t psize);
  int (*region)(struct fk_store *st, int64_t id, struct fk_region_row *out);
  int (*person_info)(struct fk_store *st, int64_t person, struct fk_person_info *out);
  int (*case_traced)(struct fk_store *st, int64_t person, fk_time *window_end);
  int (*put_case_traced)(struct fk_store *st, int64_t person, fk_time window_end, fk_time now);
  int (*put_case_stays)(struct fk_store *st, int64_t person, const struct fk_stay *s, size_t n);
  int (*each_case_stay)(struct fk_store *st, int64_t person, fk_time from, fk_time to,
                        int (*fn)(void *arg, const struct fk_stay *s, const char *place_id),
                        void *arg);
  int (*put_tick)(struct fk_store *st, fk_time at, const char *rules);
  int (*last_tick)(struct fk_store *st, fk_time *at);

  /* Risk areas (fangkong/areas.h). */
  int (*each_area)(struct fk_store *st, int (*fn)(void *arg, const struct fk_area_row *a),
                   void *arg);
  int (*put_area)(struct fk_store *st, struct fk_area_row *a, struct fk_diag *diag);
  int (*locate)(struct fk_store *st, enum fk_locate what, int64_t id, const char *text,
                struct fk_location *out);
  int (*each_grid_sample)(struct fk_store *st, int64_t grid, fk_time from, fk_time to,
                          int (*fn)(void *arg, const struct fk_sample_row *row), void *arg);
  /* Quarantine sites (fangkong/site_store.h): as the public functions of the same names. */
  int (*each_site)(struct fk_store *st, int (*fn)(void *arg, const struct fk_site_row *row),
                   void *arg);
  int (*each_room)(struct fk_store *st, int (*fn)(void *arg, const struct fk_room_row *row),
                   void *arg);
  int (*each_need)(struct fk_store *st, int (*fn)(void *arg, const struct fk_need_row *row),
                   void *arg);
  int (*each_stay)(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                   fk_time t1, int (*fn)(void *arg, const struct fk_stay_row *row), void *arg);
  int (*each_wait)(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                   fk_time t1, int (*fn)(void *arg, const struct fk_wait_row *row), void *arg);
  int (*stays_version)(struct fk_store *st, struct fk_stays_version *out);
  int (*put_stays)(struct fk_store *st, struct fk_stay_row *rows, int n, struct fk_diag *diag);
  int (*put_waits)(struct fk_store *st, struct fk_wait_row *rows, int n, struct fk_diag *diag);
  /* Entrance checks (fangkong/entrance.h): as the public functions of the same names. */
  int (*put_entrance)(struct fk_store *st, const struct fk_entrance_row *r, int *stored);
  int (*each_entrance)(struct fk_store *st, fk_time from, fk_time to,
                       int (*fn)(void *arg, const struct fk_entrance_row *r), void *arg);
  int (*place_id)(struct fk_store *st, const char *place_id, int64_t *place);
  /* Signals and alerts (fangkong/signal_store.h, fangkong/alert_store.h): as the public
     functions of the same names. */
  int (*each_signal)(struct fk_store *st, const struct fk_signal_query *q,
                     int (*fn)(void *arg, fk_date day, int64_t region, const char *code, double n),
                     void *arg);
  int (*each_alert)(struct fk_store *st, const struct fk_alert_filter *f,
                    int (*fn)(void *arg, const struct fk_alert_row *a), void *arg);
  int (*put_alert)(struct fk_store *st, struct fk_alert_row *a, struct fk_diag *diag);
  int (*put_alarm)(struct fk_store *st, const struct fk_alarm_row *al, int *added,
                   struct fk_diag *diag);
  int (*each_alarm)(struct fk_store *st, int64_t alert,
                    int (*fn)(void *arg, const struct fk_alarm_row *al), void *arg);
  int (*put_alert_escalation)(struct fk_store *st, const struct fk_escalation_row *e,
                              struct fk_diag *diag);
  int (*each_alert_escalation)(struct fk_store *st, int64_t alert,
                               int (*fn)(void *arg, const struct fk_escalation_row *e), void *arg);
  /* API tokens and scope (fangkong/token_store.h): as the public functions of the same names. */
  int (*put_token)(struct fk_store *st, const char *hash, int role, int64_t scope, int64_t site,
                   fk_time created_at, int64_t *id);
  int (*token)(struct fk_store *st, const char *hash, struct fk_token_row *out);
  int (*region_by_code)(struct fk_store *st, const char *code, int64_t *id, int *level);
  int (*place_in)(struct fk_store *st, const char *place_id, int64_t region, int *in);
  int (*person_in)(struct fk_store *st, int64_t person, int64_t region, int *in);
  int (*site_by_code)(struct fk_store *st, const char *code, int64_t *id, int64_t *grid);
  int (*person_at_site)(struct fk_store *st, int64_t person, int64_t site, int *in);
  int (*key_in)(struct fk_store *st, enum fk_feed_id feed, const char *key, int64_t region,
                int *in);
  int (*person_private)(struct fk_store *st, int64_t person, struct fk_person_private *out);
  int (*put_audit)(struct fk_store *st, const struct fk_audit_row *r);
  int (*each_audit)(struct fk_store *st, int (*fn)(void *arg, const struct fk_audit_row *r),
                    void *arg);
};

/* Every backend's state begins with this header. */
struct fk_store {
  const struct fk__store_ops *ops;
};

/* The SQLite backend: opens `path` into *out (see fk_store_open for the contract). */
int fk__sqlite_open(const char *path, struct fk_store **out, struct fk_diag *diag);

#endif
