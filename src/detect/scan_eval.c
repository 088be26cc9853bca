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

double fk__scan_circles(const struct fk__scan_study *s, const int32_t *obs, const int32_t *floor,
                        struct fk__scan_best *best)
{
  const size_t w = (size_t)s->maxcz + 1;
  const int k = s->k;
  int64_t c[FK_SCAN_MAX_DAYS];
  double top = 0;
  assert(s && obs && k >= 1 && k <= FK_SCAN_MAX_DAYS);
  for (size_t i = 0; i < s->nloc; i++) {
    struct fk__scan_best b = {0};
    int64_t cz = 0;
    memset(c, 0, (size_t)k * sizeof *c);
    for (size_t j = s->nb_off[i]; j < s->nb_off[i + 1]; j++) {
      const int32_t *o = obs + (size_t)s->nb[j] * (size_t)k;
      cz += s->cz[s->nb[j]];
      if (!o[k - 1]) continue; /* no recent case here: counts are cumulative in a */
      for (int a = 0; a < k; a++) {
        if (!o[a]) continue;
        c[a] += o[a];
        if (floor && c[a] < floor[(size_t)a * w + (size_t)cz]) continue;
        double v = fk__scan_stat(s, c[a], cz, a);
        if (v > b.stat)
          b = (struct fk__scan_best){v, (uint32_t)(j - s->nb_off[i] + 1), a, c[a], cz};
      }
    }
    if (best) best[i] = b;
    if (b.stat > top) top = b.stat;
  }
  return top;
}
