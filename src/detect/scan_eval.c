/*
 * The inner loop of the scan: every circle, every cylinder length, for the observed counts and
 * for each replicate. A circle grows one location with cases at a time; a cylinder is scored
 * only when its count grows, since adding cases-free days or locations raises the expected
 * count alone and so can only lower a ratio that is above 1 (d LLR / d mu < 0 for c > mu).
 * A replicate may also skip, without a log, every cylinder whose count is below a floor that
 * its LLR needs to pass a threshold (see scan_mc.c).
 */
#include <assert.h>
#include <string.h>

#include "detect/scan_impl.h"

/* One centre without floors (studies too large to tabulate): every count that grows. */
static struct fk__scan_best plain(const struct fk__scan_study *s, const int32_t *obs, size_t i,
                                  int64_t *c)
{
  const int k = s->k;
  struct fk__scan_best b = {0};
  int64_t cz = 0;
  memset(c, 0, (size_t)k * sizeof *c);
  for (size_t j = s->nb_off[i]; j < s->nb_off[i + 1]; j++) {
    const int32_t *o = obs + (size_t)s->nb[j] * (size_t)s->kp;
    cz += s->cz[s->nb[j]];
    if (!o[k - 1]) continue; /* no recent case here: counts are cumulative in a */
    for (int a = 0; a < k; a++) {
      if (!o[a]) continue;
      c[a] += o[a];
      double v = fk__scan_stat(s, c[a], cz, a);
      if (v > b.stat) b = (struct fk__scan_best){v, (uint32_t)(j - s->nb_off[i] + 1), a, c[a], cz};
    }
  }
  return b;
}

/* Adds a location's counts o to c; returns whether a count grew to its floor f. The width is a
 * constant in the common case, so the compiler unrolls and vectorizes it. */
static inline int grow(int32_t *c, const int32_t *o, const fk__scan_floor *f, size_t kp)
{
  int hit = 0;
  for (size_t a = 0; a < kp; a++) {
    c[a] += o[a];
    hit |= (c[a] >= f[a]) & (o[a] != 0);
  }
  return hit;
}

/*
 * One centre with floors: the counts of all lengths grow together and are compared with their
 * floors without a branch; only a count that grew and reached its floor is scored.
 */
static struct fk__scan_best floored(const struct fk__scan_study *s, const int32_t *obs,
                                    const fk__scan_floor *fl, size_t i, int32_t *c)
{
  const size_t kp = (size_t)s->kp;
  struct fk__scan_best b = {0};
  int64_t cz = 0;
  memset(c, 0, kp * sizeof *c);
  for (size_t j = s->nb_off[i]; j < s->nb_off[i + 1]; j++) {
    const int32_t *o = obs + (size_t)s->nb[j] * kp;
    cz += s->cz[s->nb[j]];
    const fk__scan_floor *f = fl + (size_t)cz * kp;
    if (!(kp == 8 ? grow(c, o, f, 8) : grow(c, o, f, kp))) continue;
    for (size_t a = 0; a < (size_t)s->k; a++) {
      if (c[a] < f[a] || !o[a]) continue;
      double v = fk__scan_stat(s, c[a], cz, (int)a);
      if (v > b.stat)
        b = (struct fk__scan_best){v, (uint32_t)(j - s->nb_off[i] + 1), (int)a, c[a], cz};
    }
  }
  return b;
}

double fk__scan_circles(const struct fk__scan_study *s, const int32_t *obs,
                        const fk__scan_floor *fl, struct fk__scan_best *best)
{
  int64_t c64[FK_SCAN_MAX_DAYS];
  int32_t c32[FK_SCAN_MAX_DAYS];
  double top = 0;
  assert(s && obs && s->k >= 1 && s->k <= FK_SCAN_MAX_DAYS);
  if (!fl) fl = s->floor0;
  for (size_t i = 0; i < s->nloc; i++) {
    struct fk__scan_best b = fl ? floored(s, obs, fl, i, c32) : plain(s, obs, i, c64);
    if (best) best[i] = b;
    if (b.stat > top) top = b.stat;
  }
  return top;
}
