/* The public store interface: picks a backend and forwards to it (see store_impl.h). */
#include <assert.h>
#include <string.h>

#include "fangkong/error.h"
#include "store/store_impl.h"

int fk_store_open(const char *location, struct fk_store **out, struct fk_diag *diag)
{
  assert(location && out);
  *out = NULL;
  if (!strncmp(location, "postgres://", 11) || !strncmp(location, "postgresql://", 13))
    return fk_diag_set(diag, FK_EINVAL, NULL, "the PostgreSQL backend is not built yet");
  return fk__sqlite_open(location, out, diag);
}

void fk_store_close(struct fk_store *st)
{
  if (st) st->ops->close(st);
}

int fk_store_begin(struct fk_store *st)
{
  return st->ops->begin(st);
}

int fk_store_commit(struct fk_store *st)
{
  return st->ops->commit(st);
}

int fk_store_rollback(struct fk_store *st)
{
  return st->ops->rollback(st);
}

const char *fk_store_errmsg(struct fk_store *st)
{
  return st ? st->ops->errmsg(st) : "no store";
}

int fk_store_put(struct fk_store *st, const struct fk_feed *feed, const struct fk_value *row,
                 struct fk_diag *diag)
{
  assert(st && feed && row);
  return st->ops->put(st, feed, row, diag);
}

int fk_store_version(struct fk_store *st, int *version)
{
  return st->ops->version(st, version);
}

int fk_store_stats(struct fk_store *st, struct fk_table **feeds, struct fk_table **districts)
{
  return st->ops->stats(st, feeds, districts);
}

int fk_store_scan(struct fk_store *st, const struct fk_feed *feed,
                  int (*row)(void *arg, const char *const *cells), void *arg)
{
  assert(st && feed && row);
  return st->ops->scan(st, feed, row, arg);
}

int fk_store_save_trace(struct fk_store *st, const struct fk_trace_result *r, fk_time now,
                        const char *rules, struct fk_diag *diag)
{
  return st->ops->save_trace(st, r, now, rules, diag);
}

int fk_store_set_bulk(struct fk_store *st, int bulk)
{
  return st->ops->set_bulk(st, bulk);
}

int fk_store_verify(struct fk_store *st, struct fk_diag *diag)
{
  return st->ops->verify(st, diag);
}

int fk_store_each_checkin(struct fk_store *st, int64_t after_id,
                          int (*fn)(void *arg, const struct fk_checkin_row *row), void *arg)
{
  return st->ops->each_checkin(st, after_id, fn, arg);
}

int fk_store_each_person(struct fk_store *st, int64_t after_id,
                         int (*fn)(void *arg, const struct fk_person_row *row), void *arg)
{
  return st->ops->each_person(st, after_id, fn, arg);
}

int fk_store_each_place(struct fk_store *st, int64_t after_id,
                        int (*fn)(void *arg, const struct fk_place_row *row), void *arg)
{
  return st->ops->each_place(st, after_id, fn, arg);
}

int fk_store_each_ping(struct fk_store *st, int64_t after_id,
                       int (*fn)(void *arg, const struct fk_ping_row *row), void *arg)
{
  return st->ops->each_ping(st, after_id, fn, arg);
}

int fk_store_each_case(struct fk_store *st, int (*fn)(void *arg, const struct fk_case_row *row),
                       void *arg)
{
  return st->ops->each_case(st, fn, arg);
}

int fk_store_each_arrival(struct fk_store *st, int64_t after_id,
                          int (*fn)(void *arg, const struct fk_arrival_row *row), void *arg)
{
  return st->ops->each_arrival(st, after_id, fn, arg);
}

int fk_store_each_sample(struct fk_store *st, int64_t person,
                         int (*fn)(void *arg, const struct fk_sample_row *row), void *arg)
{
  return st->ops->each_sample(st, person, fn, arg);
}

int fk_store_each_measure(struct fk_store *st, int64_t person,
                          int (*fn)(void *arg, const struct fk_measure_row *m), void *arg)
{
  return st->ops->each_measure(st, person, fn, arg);
}

int fk_store_put_measure(struct fk_store *st, struct fk_measure_row *m, struct fk_diag *diag)
{
  return st->ops->put_measure(st, m, diag);
}

int fk_store_person_id(struct fk_store *st, const char *person_id, int64_t *person)
{
  return st->ops->person_id(st, person_id, person);
}

int fk_store_data_version(struct fk_store *st, uint64_t *v)
{
  assert(st && v);
  return st->ops->data_version(st, v);
}

/* ---- The loop (fangkong/tasks.h) ---- */

int fk_store_each_task(struct fk_store *st, const struct fk_task_filter *f,
                       int (*fn)(void *arg, const struct fk_task_row *t), void *arg)
{
  return st->ops->each_task(st, f, fn, arg);
}

int fk_store_put_task(struct fk_store *st, struct fk_task_row *t, struct fk_diag *diag)
{
  return st->ops->put_task(st, t, diag);
}

int fk_store_put_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                            struct fk_diag *diag)
{
  return st->ops->put_escalation(st, e, diag);
}

int fk_store_each_escalation(struct fk_store *st, int64_t task,
                             int (*fn)(void *arg, const struct fk_escalation_row *e), void *arg)
{
  return st->ops->each_escalation(st, task, fn, arg);
}

int fk_store_duty_at(struct fk_store *st, const char *unit, fk_time at, char *officer,
                     size_t officer_size, char *phone, size_t phone_size)
{
  return st->ops->duty_at(st, unit, at, officer, officer_size, phone, phone_size);
}

int fk_store_region(struct fk_store *st, int64_t id, struct fk_region_row *out)
{
  return st->ops->region(st, id, out);
}

int fk_store_person_info(struct fk_store *st, int64_t person, struct fk_person_info *out)
{
  return st->ops->person_info(st, person, out);
}

int fk_store_case_traced(struct fk_store *st, int64_t person, fk_time *window_end)
{
  return st->ops->case_traced(st, person, window_end);
}

int fk_store_put_case_traced(struct fk_store *st, int64_t person, fk_time window_end, fk_time now)
{
  return st->ops->put_case_traced(st, person, window_end, now);
}

int fk_store_put_tick(struct fk_store *st, fk_time at, const char *rules)
{
  return st->ops->put_tick(st, at, rules);
}

int fk_store_last_tick(struct fk_store *st, fk_time *at)
{
  return st->ops->last_tick(st, at);
}

int fk_store_each_area(struct fk_store *st, int (*fn)(void *arg, const struct fk_area_row *a),
                       void *arg)
{
  return st->ops->each_area(st, fn, arg);
}

int fk_store_put_area(struct fk_store *st, struct fk_area_row *a, struct fk_diag *diag)
{
  return st->ops->put_area(st, a, diag);
}

int fk_store_locate(struct fk_store *st, enum fk_locate what, int64_t id, const char *text,
                    struct fk_location *out)
{
  assert(out && (what != FK_LOCATE_TEXT || text));
  return st->ops->locate(st, what, id, text, out);
}

int fk_store_each_grid_sample(struct fk_store *st, int64_t grid, fk_time from, fk_time to,
                              int (*fn)(void *arg, const struct fk_sample_row *row), void *arg)
{
  return st->ops->each_grid_sample(st, grid, from, to, fn, arg);
}

int fk_store_put_case_stays(struct fk_store *st, int64_t person, const struct fk_stay *s, size_t n)
{
  return st->ops->put_case_stays(st, person, s, n);
}

int fk_store_each_case_stay(struct fk_store *st, int64_t person, fk_time from, fk_time to,
                            int (*fn)(void *arg, const struct fk_stay *s, const char *place_id),
                            void *arg)
{
  return st->ops->each_case_stay(st, person, from, to, fn, arg);
}

int fk_store_put_entrance(struct fk_store *st, const struct fk_entrance_row *r, int *stored)
{
  assert(st && r);
  return st->ops->put_entrance(st, r, stored);
}

int fk_store_each_entrance(struct fk_store *st, fk_time from, fk_time to,
                           int (*fn)(void *arg, const struct fk_entrance_row *r), void *arg)
{
  assert(st && fn);
  return st->ops->each_entrance(st, from, to, fn, arg);
}

int fk_store_place_id(struct fk_store *st, const char *place_id, int64_t *place)
{
  assert(st && place_id && place);
  return st->ops->place_id(st, place_id, place);
}

int fk_store_end(struct fk_store *st, int rc)
{
  if (!rc) return fk_store_commit(st);
  fk_store_rollback(st);
  return rc;
}

int fk_store_fail(struct fk_store *st, int rc, struct fk_diag *diag, const char *what)
{
  if (rc && diag && !diag->reason[0])
    fk_diag_set(diag, rc, NULL, "%s: %s", what,
                rc == FK_ESTORE ? fk_store_errmsg(st) : fk_strerror(rc));
  return rc;
}

int fk_store_put_token(struct fk_store *st, const char *hash, int role, int64_t scope, int64_t site,
                       fk_time created_at, int64_t *id)
{
  assert(st && hash && role >= 0 && role < FK_ROLE_COUNT);
  assert(!site == (role != FK_ROLE_SITE));
  return st->ops->put_token(st, hash, role, scope, site, created_at, id);
}

int fk_store_site_by_code(struct fk_store *st, const char *code, int64_t *id, int64_t *grid)
{
  assert(st && code && id && grid);
  return st->ops->site_by_code(st, code, id, grid);
}

int fk_store_person_at_site(struct fk_store *st, int64_t person, int64_t site, int *in)
{
  assert(st && in);
  return st->ops->person_at_site(st, person, site, in);
}

int fk_store_token(struct fk_store *st, const char *hash, struct fk_token_row *out)
{
  assert(st && hash && out);
  return st->ops->token(st, hash, out);
}

int fk_store_region_by_code(struct fk_store *st, const char *code, int64_t *id, int *level)
{
  assert(st && code && id);
  return st->ops->region_by_code(st, code, id, level);
}

int fk_store_place_in(struct fk_store *st, const char *place_id, int64_t region, int *in)
{
  assert(st && place_id && in);
  return st->ops->place_in(st, place_id, region, in);
}

int fk_store_put_audit(struct fk_store *st, const struct fk_audit_row *r)
{
  assert(st && r && r->role >= 0 && r->role < FK_ROLE_COUNT);
  return st->ops->put_audit(st, r);
}

int fk_store_each_audit(struct fk_store *st, int (*fn)(void *arg, const struct fk_audit_row *r),
                        void *arg)
{
  assert(st && fn);
  return st->ops->each_audit(st, fn, arg);
}

int fk_store_person_in(struct fk_store *st, int64_t person, int64_t region, int *in)
{
  assert(st && in);
  return st->ops->person_in(st, person, region, in);
}

int fk_store_key_in(struct fk_store *st, enum fk_feed_id feed, const char *key, int64_t region,
                    int *in)
{
  assert(st && key && in);
  return st->ops->key_in(st, feed, key, region, in);
}

int fk_store_person_private(struct fk_store *st, int64_t person, struct fk_person_private *out)
{
  assert(st && out);
  return st->ops->person_private(st, person, out);
}

/* Backend-neutral: the hierarchy has at most four levels under the city, walked up by parent. */
int fk_store_region_in(struct fk_store *st, int64_t region, int64_t scope, int *in)
{
  struct fk_region_row row;
  int rc = 0;
  assert(st && in);
  *in = !scope;
  for (int i = 0; !*in && region && i < 8 && !rc; i++) {
    if (region == scope) *in = 1;
    if (!*in && !(rc = fk_store_region(st, region, &row))) region = row.parent;
  }
  return rc;
}
