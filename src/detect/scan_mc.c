/*
 * Monte Carlo replicates of the space-time permutation scan. A replicate permutes the case
 * dates against the case locations; both margins stay fixed, so every expected count stays as
 * observed and only the cases of the last k days matter. Dealing those dates to a uniformly
 * random subset of the cases -- a partial Fisher-Yates shuffle of the case list, undone
 * afterwards -- is the same in law as permuting all dates, at the cost of the recent cases
 * only.
 *
 * Replicate r draws from xoshiro256** seeded by splitmix64 from (seed, r) (base/rng.h), and
 * every worker starts each replicate from the case list in its original order, so replicate r
 * gives the same maximum whichever thread runs it and however many there are.
 *
 * Pruning: a replicate only needs its maximum. The first `pilot` replicates run in full; half
 * the smallest of their maxima, t, is a level nearly every replicate passes. For each cylinder
 * length and number of period cases in the circle, the floor is the least count whose LLR passes t
 * - EPS; a cylinder below its floor is skipped with one integer comparison instead of a log. A
 * replicate whose pruned maximum passes t has found its true maximum (the cylinder holding it
 * was not skipped, and was scored as the full scan scores it); one that does not is rescanned
 * in full. So every maximum is exactly the full scan's, bit for bit, on any thread.
 */
#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "base/rng.h"
#include "detect/scan_impl.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

#define EPS 1e-6 /* the floors' margin below the level, far above rounding in the LLR */

double fk__scan_level_share = 0.5;

struct worker {
  const struct fk__scan_study *s;
  int first, step, replicates;
  uint64_t seed;
  double *null;
  const fk__scan_floor *fl; /* NULL: no pruning */
  double level;             /* the floors' threshold */
  uint32_t *cases;          /* a private copy of the case list */
  uint32_t *swaps;          /* where each of the first `recent` positions drew from */
  int32_t *obs;
  pthread_t thread;
  int started;
};

/* The replicate's counts: position i of the dealt list gets the i-th most recent date. */
static void count(struct worker *w)
{
  const struct fk__scan_study *s = w->s;
  const size_t k = (size_t)s->k, kp = (size_t)s->kp;
  int64_t i = 0;
  memset(w->obs, 0, s->nloc * kp * sizeof *w->obs);
  for (size_t a = 0; a < k; a++)
    for (; i < s->s[a]; i++)
      w->obs[w->cases[i] * kp + a]++;
  for (size_t z = 0; z < s->nloc; z++)
    for (size_t a = 1; a < k; a++)
      w->obs[z * kp + a] += w->obs[z * kp + a - 1];
}

/* Replicate r: deals the recent dates, counts, scans, and restores the case list. */
static void replicate(struct worker *w, int r)
{
  const struct fk__scan_study *s = w->s;
  const uint32_t C = (uint32_t)s->C;
  struct fk__xoshiro g;
  fk__xoshiro_seed(&g, w->seed, (uint64_t)r);
  for (uint32_t i = 0; i < (uint32_t)s->recent; i++) {
    uint32_t j = i + fk__xoshiro_below(&g, C - i), t = w->cases[i];
    w->cases[i] = w->cases[j];
    w->cases[j] = t;
    w->swaps[i] = j;
  }
  count(w);
  double top = w->fl ? fk__scan_circles(s, w->obs, w->fl, NULL) : 0;
  w->null[r] = top > w->level ? top : fk__scan_circles(s, w->obs, NULL, NULL);
  for (uint32_t i = (uint32_t)s->recent; i-- > 0;) {
    uint32_t j = w->swaps[i], t = w->cases[i];
    w->cases[i] = w->cases[j];
    w->cases[j] = t;
  }
}

/* A worker thread: its share of the replicates (every step-th from first). Returns NULL. */
static void *work(void *arg)
{
  struct worker *w = arg;
  for (int r = w->first; r < w->replicates; r += w->step)
    replicate(w, r);
  return NULL;
}

/* Allocates a worker's private arrays before any thread starts, so that an injected allocation
 * failure is met before the replicates run. Returns 0 or FK_ENOMEM. */
static int worker_init(struct worker *w, const struct fk__scan_study *s)
{
  size_t C = (size_t)s->C;
  w->cases = fk_malloc((C ? C : 1) * sizeof *w->cases);
  w->swaps = fk_malloc((s->recent ? (size_t)s->recent : 1) * sizeof *w->swaps);
  w->obs = fk_malloc((s->nloc * (size_t)s->kp + 1) * sizeof *w->obs);
  if (!w->cases || !w->swaps || !w->obs) return FK_ENOMEM;
  if (C) memcpy(w->cases, s->cases, C * sizeof *w->cases);
  return 0;
}

/* Frees a worker's arrays (NULL members are fine). */
static void worker_free(struct worker *w)
{
  fk_free(w->cases);
  fk_free(w->swaps);
  fk_free(w->obs);
}

/*
 * The floors for level t: floor[cz * kp + a] is the least count c with
 * LLR(c, cz s[a] / C) > t - EPS (past the most the cylinder can hold: never reached). The expected
 * count grows with cz, so the floor does too, and one walk per length finds them all. NULL when
 * there are no LLR tables (a study too large to tabulate is not pruned either) or memory runs out
 * (pruning is only a saving).
 */
static fk__scan_floor *floors(const struct fk__scan_study *s, double t)
{
  const size_t w = (size_t)s->maxcz + 1, k = (size_t)s->k, kp = (size_t)s->kp;
  if (!s->floor0 || !(t > EPS)) return NULL;
  fk__scan_floor *f = fk_malloc(kp * w * sizeof *f);
  if (!f) return NULL;
  memset(f, FK__SCAN_FLOOR_MAX, kp * w * sizeof *f);
  for (size_t a = 0; a < k; a++) {
    int64_t c = 1;
    for (size_t cz = 0; cz < w; cz++) {
      double mu = (double)cz * (double)s->s[a] / (double)s->C;
      int64_t most = (int64_t)cz < s->s[a] ? (int64_t)cz : s->s[a];
      while (c <= most && !(fk_scan_llr(c, mu, s->C) > t - EPS))
        c++;
      f[cz * kp + a] = fk__scan_floor_of(c); /* past `most`: never reached, or saturated */
    }
  }
  return f;
}

/* The number of workers: `threads`, or one per online processor, never more than replicates. */
static int nworkers(int threads, int replicates)
{
  long n = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > FK_SCAN_MAX_THREADS) n = FK_SCAN_MAX_THREADS;
  return (int)(n < replicates ? n : replicates);
}

int fk__scan_replicates(const struct fk__scan_study *s, int replicates, int pilot, uint64_t seed,
                        int threads, double *null, struct fk_diag *diag)
{
  if (pilot > replicates) pilot = replicates;
  int n = nworkers(threads, replicates - pilot > 0 ? replicates - pilot : 1), rc = 0;
  struct worker *w;
  fk__scan_floor *fl = NULL;
  assert(s && (null || !replicates));
  if (replicates <= 0) return 0;
  if (!(w = fk_calloc((size_t)n, sizeof *w)))
    return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory for the replicates");
  for (int t = 0; t < n && !rc; t++) {
    w[t] = (struct worker){.s = s,
                           .first = pilot + t,
                           .step = n,
                           .replicates = replicates,
                           .seed = seed,
                           .null = null,
                           .level = 0};
    rc = worker_init(&w[t], s);
  }
  if (rc) {
    fk_diag_set(diag, rc, NULL, "out of memory for the replicates");
    goto out;
  }
  double level = 0;
  for (int r = 0; r < pilot; r++) {
    replicate(&w[0], r);
    if (!r || null[r] < level) level = null[r];
  }
  level *= fk__scan_level_share;
  if (level > 0 && (fl = floors(s, level)))
    for (int t = 0; t < n; t++)
      w[t].fl = fl, w[t].level = level;
  for (int t = 1; t < n; t++) {
    if (pthread_create(&w[t].thread, NULL, work, &w[t])) {
      rc = fk_diag_set(diag, FK_EIO, NULL, "cannot start thread %d of %d", t + 1, n);
      break;
    }
    w[t].started = 1;
  }
  if (!rc) work(&w[0]);
  for (int t = 1; t < n; t++)
    if (w[t].started) pthread_join(w[t].thread, NULL);
out:
  for (int t = 0; t < n; t++)
    worker_free(&w[t]);
  fk_free(w);
  fk_free(fl);
  return rc;
}
