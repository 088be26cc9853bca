/*
 * What a store backend implements (as SQLite's VFS): a table of operations over an opaque
 * backend state. src/store/store.c dispatches the public fk_store_* calls through it, so a
 * PostgreSQL backend is one more file here and no caller changes.
 */
#ifndef FK_STORE_IMPL_H
#define FK_STORE_IMPL_H

#include "fangkong/store.h"

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
  /* view: what rows (enum fk__view); fn gets a pointer to the view's fk_*_row struct. */
  int (*each)(struct fk_store *st, int view, int64_t after_id,
              int (*fn)(void *arg, const void *row), void *arg);
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
  int (*each_area)(struct fk_store *st, int (*fn)(void *arg, const struct fk_area_row *a),
                   void *arg);
  int (*put_area)(struct fk_store *st, struct fk_area_row *a, struct fk_diag *diag);
  int (*locate)(struct fk_store *st, enum fk_locate what, int64_t id, const char *text,
                struct fk_location *out);
  int (*each_grid_sample)(struct fk_store *st, int64_t grid, fk_time from, fk_time to,
                          int (*fn)(void *arg, const struct fk_sample_row *row), void *arg);
};

enum fk__view {
  FK__VIEW_CHECKINS,
  FK__VIEW_PERSONS,
  FK__VIEW_PLACES,
  FK__VIEW_CASES,
  FK__VIEW_PINGS,
  FK__VIEW_ARRIVALS,
  FK__VIEW_SAMPLES,   /* after_id: every sample */
  FK__VIEW_SAMPLES_OF /* after_id: the person */
};

/* Every backend's state begins with this header. */
struct fk_store {
  const struct fk__store_ops *ops;
};

/* The SQLite backend: opens `path` into *out (see fk_store_open for the contract). */
int fk__sqlite_open(const char *path, struct fk_store **out, struct fk_diag *diag);

#endif
