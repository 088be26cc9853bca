/*
 * Seeded random streams for the generator. A stream is keyed by (seed, topic, a, b) -- for
 * example (seed, MOBILITY, person, day) -- so what one person does on one day never depends on
 * the order in which persons or days are generated. The generator is SplitMix64: one add and a
 * mix per draw, full period 2^64, good enough statistically for synthetic data and never rand().
 */
#ifndef FK_GEN_RNG_H
#define FK_GEN_RNG_H

#include <math.h>
#include <stdint.h>

struct fk__rng {
  uint64_t s;
};

/* Topics of streams: one per kind of decision, so adding draws to one leaves the others alone. */
enum fk__rng_topic {
  FK__RNG_GRIDS = 1,
  FK__RNG_PLACES,
  FK__RNG_HOUSEHOLDS,
  FK__RNG_PERSON,
  FK__RNG_IDENT,
  FK__RNG_ROLE,
  FK__RNG_MOBILITY,
  FK__RNG_OUTBREAK,
  FK__RNG_SAMPLES,
  FK__RNG_ARRIVALS,
  FK__RNG_VACCINES,
  FK__RNG_PINGS,
  FK__RNG_DUTY,

  FK__RNG_SITES,
  FK__RNG_SIGNALS

};

static inline uint64_t fk__mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Returns the stream for (seed, topic, a, b). */
static inline struct fk__rng fk__rng_make(uint64_t seed, unsigned topic, uint64_t a, uint64_t b)
{
  struct fk__rng r;
  r.s = fk__mix64(seed ^ fk__mix64(((uint64_t)topic << 56) ^ fk__mix64(a + 0x632be59bd9b4e019ULL) ^
                                   fk__mix64(b * 0x9e3779b97f4a7c15ULL + 1)));
  return r;
}

static inline uint64_t fk__rng_u64(struct fk__rng *r)
{
  r->s += 0x9e3779b97f4a7c15ULL;
  return fk__mix64(r->s);
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

/* Returns a uniform double in [0, 1). */
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

#endif
