/*
 * The random number generators of fangkong, and only these, so that a seed means the same
 * numbers in every part: the synthetic city, the evaluation of detection methods, the scan's
 * Monte Carlo, tests and benchmarks. Never rand(): its sequence differs between C libraries.
 *
 * - SplitMix64 (Steele, Lea, Flood 2014): a stream keyed by (seed, topic, a, b) -- for example
 *   (seed, MOBILITY, person, day) -- so that what one person does on one day never depends on
 *   the order in which persons or days are drawn. One add and a mix per draw, period 2^64;
 *   good enough statistically for synthetic data. Each user names its own topics (the city's
 *   are in gen/topics.h), so adding draws to one topic leaves the others alone.
 * - xoshiro256** (Blackman, Vigna 2018) seeded from SplitMix64: a longer period and better
 *   equidistribution where millions of draws feed a statistic (the scan's replicates).
 *
 * Header only: every draw is a few instructions in someone's inner loop. Not thread-safe per
 * generator; give each thread its own. Changing any line here changes every generated city and
 * every seeded answer.
 */
#ifndef FK_BASE_RNG_H
#define FK_BASE_RNG_H

#include <math.h>
#include <stdint.h>

/* SplitMix64's output function (Stafford's Mix13): a bijection of the 64-bit integers that
 * mixes every input bit into every output bit. Also a good hash of an integer key. */
static inline uint64_t fk__mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* SplitMix64: advances the state *x by the golden-ratio gamma and returns its mix. */
static inline uint64_t fk__splitmix64(uint64_t *x)
{
  return fk__mix64(*x += 0x9e3779b97f4a7c15ULL);
}

/* A SplitMix64 stream. */
struct fk__rng {
  uint64_t s;
};

/* Returns the stream for (seed, topic, a, b); topic < 256. */
static inline struct fk__rng fk__rng_make(uint64_t seed, unsigned topic, uint64_t a, uint64_t b)
{
  struct fk__rng r;
  r.s = fk__mix64(seed ^ fk__mix64(((uint64_t)topic << 56) ^ fk__mix64(a + 0x632be59bd9b4e019ULL) ^
                                   fk__mix64(b * 0x9e3779b97f4a7c15ULL + 1)));
  return r;
}

/* Returns the next 64 random bits of r. */
static inline uint64_t fk__rng_u64(struct fk__rng *r)
{
  return fk__splitmix64(&r->s);
}

/* Returns a uniform integer in [0, n) (n < 2^32), by multiply-shift (no modulo bias to speak of).
 */
static inline uint32_t fk__rng_below(struct fk__rng *r, uint32_t n)
{
  return (uint32_t)(((fk__rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

/* Returns a uniform integer in [lo, hi]. */
static inline int fk__rng_range(struct fk__rng *r, int lo, int hi)
{
  return lo + (int)fk__rng_below(r, (uint32_t)(hi - lo + 1));
}

/* Returns a uniform double in [0, 1): the top 53 bits. */
static inline double fk__rng_unit(struct fk__rng *r)
{
  return (double)(fk__rng_u64(r) >> 11) * 0x1p-53;
}

/* Returns 1 with probability p. */
static inline int fk__rng_chance(struct fk__rng *r, double p)
{
  return fk__rng_unit(r) < p;
}

/* Returns a standard normal deviate (Box-Muller, one of the pair). */
static inline double fk__rng_normal(struct fk__rng *r)
{
  double u = 1.0 - fk__rng_unit(r), v = fk__rng_unit(r);
  return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Returns a Pareto deviate with minimum xm and shape alpha (heavy tail for alpha near 1). */
static inline double fk__rng_pareto(struct fk__rng *r, double xm, double alpha)
{
  return xm / pow(1.0 - fk__rng_unit(r), 1.0 / alpha);
}

/* Returns an index drawn from cumulative weights cum[0..n-1] (non-decreasing, cum[n-1] > 0). */
static inline uint32_t fk__rng_pick_cum(struct fk__rng *r, const uint64_t *cum, uint32_t n)
{
  uint64_t x = fk__rng_u64(r) % cum[n - 1];
  uint32_t lo = 0, hi = n - 1;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (cum[mid] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* An xoshiro256** generator. */
struct fk__xoshiro {
  uint64_t s[4];
};

/* Seeds g for stream `stream` of `seed` from SplitMix64, as its authors advise: any two streams
 * are independent, and the state is never all zero. */
static inline void fk__xoshiro_seed(struct fk__xoshiro *g, uint64_t seed, uint64_t stream)
{
  uint64_t x = seed ^ fk__splitmix64(&stream);
  for (int i = 0; i < 4; i++)
    g->s[i] = fk__splitmix64(&x);
}

/* Rotates x left by k bits (0 < k < 64). */
static inline uint64_t fk__rotl64(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* Returns the next 64 random bits of g. */
static inline uint64_t fk__xoshiro_next(struct fk__xoshiro *g)
{
  uint64_t *s = g->s, r = fk__rotl64(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = fk__rotl64(s[3], 45);
  return r;
}

/* Returns a uniform integer in [0, n), 0 < n < 2^32, without modulo bias (Lemire 2019): unlike
 * fk__rng_below it rejects, so a statistic over millions of draws carries no bias at all. */
static inline uint32_t fk__xoshiro_below(struct fk__xoshiro *g, uint32_t n)
{
  uint64_t m = (fk__xoshiro_next(g) >> 32) * (uint64_t)n;
  if ((uint32_t)m < n) {
    uint32_t t = (uint32_t)(-n) % n;
    while ((uint32_t)m < t)
      m = (fk__xoshiro_next(g) >> 32) * (uint64_t)n;
  }
  return (uint32_t)(m >> 32);
}

#endif
