/*
 * The tracer's inner loop (src/trace/meet.c) against a reference written here from the rule:
 * a stay [start, end) at the place, in order of start, is met by [x, y) when it starts before
 * y, overlaps it by more than min, is not self's and is not marked in skip; the hit is the
 * overlap. Both kernels (plain C and, when the processor has it, AVX-512) must give exactly
 * the reference's hits, in order, and say how many stays they looked at, on random runs of
 * every length around the 16-stay blocks, with and without a bitmap.
 */
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "testutil.h"
#include "trace/meet.h"

#define PERSONS 300

/* The reference: hits into out (room for n), the stays before the first starting at or after
   y into *scanned; returns the number of hits. */
static size_t reference(const struct fk__meeting *m, const struct fk__stay *s, size_t n,
                        struct fk__hit *out, size_t *scanned)
{
  size_t k = 0, i = 0;
  for (; i < n; i++) {
    if (s[i].start >= m->y) break;
    uint32_t a = s[i].start > m->x ? s[i].start : m->x;
    uint32_t b = s[i].end < m->y ? s[i].end : m->y;
    if (b <= a || b - a <= m->min || s[i].person == m->self) continue;
    if (m->skip && (m->skip[s[i].person / 64] >> (s[i].person % 64) & 1)) continue;
    out[k++] = (struct fk__hit){s[i].person, m->p, a, b};
  }
  *scanned = i;
  return k;
}

static struct fk__rng rng; /* one stream for the whole test (base/rng.h: never rand()) */

static uint32_t draw(uint32_t n)
{
  return fk__rng_below(&rng, n);
}

/* n stays at random, in order of start, over about a day from t0. */
static void random_stays(struct fk__stay *s, size_t n, uint32_t t0)
{
  uint32_t start = t0;
  for (size_t i = 0; i < n; i++) {
    start += draw(600);
    s[i] = (struct fk__stay){draw(PERSONS), start, start + 1 + draw(7200)};
  }
}

static void check(const struct fk__meeting *m, const struct fk__stay *s, size_t n)
{
  struct fk__hit *want = malloc((n + 1) * sizeof *want);
  struct fk__hit *got = malloc((n + FK__MEET_SLACK) * sizeof *got);
  size_t want_scanned, got_scanned;
  size_t nw = reference(m, s, n, want, &want_scanned);
  for (int simd = 0; simd < 2; simd++) {
    fk__meet_simd = simd ? -1 : 0;
    memset(got, 0xAB, (n + FK__MEET_SLACK) * sizeof *got);
    size_t ng = fk__meet(m, s, n, got, &got_scanned);
    assert_int_equal(ng, nw);
    assert_int_equal(got_scanned, want_scanned);
    assert_memory_equal(got, want, nw * sizeof *got);
  }
  fk__meet_simd = -1;
  free(want);
  free(got);
}

static void both_kernels_give_the_reference_hits(void **state)
{
  static struct fk__stay s[400];
  uint64_t skip[(PERSONS + 63) / 64];
  (void)state;
  rng = fk__rng_make(20221129, 0, 0, 0);
  for (int round = 0; round < 3000; round++) {
    size_t n = draw(70); /* 0 .. 69: every remainder of 16, several blocks */
    if (round % 50 == 0) n = 300 + draw(100);
    uint32_t t0 = 700000000u + draw(1000);
    random_stays(s, n, t0);
    for (size_t w = 0; w < sizeof skip / sizeof skip[0]; w++)
      skip[w] = fk__rng_u64(&rng);
    uint32_t x = t0 + draw(20000), y = x + draw(30000);
    struct fk__meeting m = {
        1 + draw(9), x, y, round % 3 ? 0 : draw(1800), draw(PERSONS), round % 2 ? skip : NULL};
    check(&m, s, n);
  }
}

/* Edges the random runs may miss: a stay that only touches [x, y), one second of overlap, the
   stay starting exactly at y (where the scan stops), and a minimum exactly met. */
static void touching_exact_and_the_stop(void **state)
{
  static const struct fk__stay s[] = {
      {1, 100, 200}, /* ends at x: touches */
      {2, 150, 201}, /* one second */
      {3, 200, 260}, /* 60 s: not more than a 60 s minimum */
      {4, 210, 271}, /* 61 s */
      {5, 299, 400}, /* starts one second before y */
      {6, 300, 400}, /* starts at y: the scan stops here */
      {7, 301, 400},
  };
  struct fk__meeting m = {3, 200, 300, 0, 0, NULL};
  (void)state;
  check(&m, s, sizeof s / sizeof s[0]);
  m.min = 60;
  check(&m, s, sizeof s / sizeof s[0]);
  m.self = 2;
  check(&m, s, sizeof s / sizeof s[0]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(both_kernels_give_the_reference_hits),
      cmocka_unit_test(touching_exact_and_the_stop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
