/* The public signal and alert calls of the store (fangkong/signal_store.h,
   fangkong/alert_store.h), forwarded to the backend. */
#include <assert.h>

#include "fangkong/alert_store.h"
#include "store/store_impl.h"

int fk_store_each_signal(struct fk_store *st, const struct fk_signal_query *q,
                         int (*fn)(void *arg, fk_date day, int64_t region, const char *code,
                                   double n),
                         void *arg)
{
  assert(st && q && fn);
  return st->ops->each_signal(st, q, fn, arg);
}

int fk_store_each_alert(struct fk_store *st, const struct fk_alert_filter *f,
                        int (*fn)(void *arg, const struct fk_alert_row *a), void *arg)
{
  assert(st && f && fn);
  return st->ops->each_alert(st, f, fn, arg);
}

int fk_store_put_alert(struct fk_store *st, struct fk_alert_row *a, struct fk_diag *diag)
{
  assert(st && a);
  return st->ops->put_alert(st, a, diag);
}

int fk_store_put_alarm(struct fk_store *st, const struct fk_alarm_row *al, int *added,
                       struct fk_diag *diag)
{
  assert(st && al);
  return st->ops->put_alarm(st, al, added, diag);
}

int fk_store_each_alarm(struct fk_store *st, int64_t alert,
                        int (*fn)(void *arg, const struct fk_alarm_row *al), void *arg)
{
  assert(st && fn);
  return st->ops->each_alarm(st, alert, fn, arg);
}

int fk_store_put_alert_escalation(struct fk_store *st, const struct fk_escalation_row *e,
                                  struct fk_diag *diag)
{
  assert(st && e);
  return st->ops->put_alert_escalation(st, e, diag);
}

int fk_store_each_alert_escalation(struct fk_store *st, int64_t alert,
                                   int (*fn)(void *arg, const struct fk_escalation_row *e),
                                   void *arg)
{
  assert(st && fn);
  return st->ops->each_alert_escalation(st, alert, fn, arg);
}
