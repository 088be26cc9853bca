/* The store's quarantine-site calls (fangkong/site_store.h), forwarded to the backend. */
#include <assert.h>

#include "fangkong/site_store.h"
#include "store/store_impl.h"

int fk_store_each_site(struct fk_store *st, int (*fn)(void *arg, const struct fk_site_row *row),
                       void *arg)
{
  return st->ops->each_site(st, fn, arg);
}

int fk_store_each_room(struct fk_store *st, int (*fn)(void *arg, const struct fk_room_row *row),
                       void *arg)
{
  return st->ops->each_room(st, fn, arg);
}

int fk_store_each_need(struct fk_store *st, int (*fn)(void *arg, const struct fk_need_row *row),
                       void *arg)
{
  return st->ops->each_need(st, fn, arg);
}

int fk_store_each_stay(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                       fk_time t1, int (*fn)(void *arg, const struct fk_stay_row *row), void *arg)
{
  return st->ops->each_stay(st, view, person, t0, t1, fn, arg);
}

int fk_store_each_wait(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                       fk_time t1, int (*fn)(void *arg, const struct fk_wait_row *row), void *arg)
{
  return st->ops->each_wait(st, view, person, t0, t1, fn, arg);
}

int fk_store_stays_version(struct fk_store *st, struct fk_stays_version *out)
{
  assert(st && out);
  return st->ops->stays_version(st, out);
}

int fk_store_put_stays(struct fk_store *st, struct fk_stay_row *rows, int n, struct fk_diag *diag)
{
  assert(st && (rows || n == 0));
  return n ? st->ops->put_stays(st, rows, n, diag) : 0;
}

int fk_store_put_waits(struct fk_store *st, struct fk_wait_row *rows, int n, struct fk_diag *diag)
{
  assert(st && (rows || n == 0));
  return n ? st->ops->put_waits(st, rows, n, diag) : 0;
}
