/* The store's quarantine-site calls (fangkong/site_store.h), forwarded to the backend. */
#include <assert.h>

#include "fangkong/site_store.h"
#include "store/store_impl.h"

typedef int (*fk__row_fn)(void *, const void *);

int fk_store_each_site(struct fk_store *st, int (*fn)(void *arg, const struct fk_site_row *row),
                       void *arg)
{
  return st->ops->sites_each(st, FK__SITES_SITES, 0, 0, 0, 0, (fk__row_fn)fn, arg);
}

int fk_store_each_room(struct fk_store *st, int (*fn)(void *arg, const struct fk_room_row *row),
                       void *arg)
{
  return st->ops->sites_each(st, FK__SITES_ROOMS, 0, 0, 0, 0, (fk__row_fn)fn, arg);
}

int fk_store_each_need(struct fk_store *st, int (*fn)(void *arg, const struct fk_need_row *row),
                       void *arg)
{
  return st->ops->sites_each(st, FK__SITES_NEEDS, 0, 0, 0, 0, (fk__row_fn)fn, arg);
}

int fk_store_each_stay(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                       fk_time t1, int (*fn)(void *arg, const struct fk_stay_row *row), void *arg)
{
  return st->ops->sites_each(st, FK__SITES_STAYS, (int)view, person, t0, t1, (fk__row_fn)fn, arg);
}

int fk_store_each_wait(struct fk_store *st, enum fk_stay_view view, int64_t person, fk_time t0,
                       fk_time t1, int (*fn)(void *arg, const struct fk_wait_row *row), void *arg)
{
  return st->ops->sites_each(st, FK__SITES_WAITS, (int)view, person, t0, t1, (fk__row_fn)fn, arg);
}

static int take_version(void *arg, const struct fk_stays_version *v)
{
  *(struct fk_stays_version *)arg = *v;
  return 0;
}

int fk_store_stays_version(struct fk_store *st, struct fk_stays_version *out)
{
  *out = (struct fk_stays_version){0, 0};
  return st->ops->sites_each(st, FK__SITES_STAYS_VERSION, 0, 0, 0, 0, (fk__row_fn)take_version,
                             out);
}

int fk_store_put_stays(struct fk_store *st, struct fk_stay_row *rows, int n, struct fk_diag *diag)
{
  assert(st && (rows || n == 0));
  return n ? st->ops->sites_put(st, FK__SITES_STAYS, rows, n, diag) : 0;
}

int fk_store_put_waits(struct fk_store *st, struct fk_wait_row *rows, int n, struct fk_diag *diag)
{
  assert(st && (rows || n == 0));
  return n ? st->ops->sites_put(st, FK__SITES_WAITS, rows, n, diag) : 0;
}
