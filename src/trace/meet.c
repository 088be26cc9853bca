/*
 * The tracer's inner loop, in plain C and in AVX-512 (see trace/meet.h).
 *
 * Both kernels write a hit for every stay they look at and keep it or not by the count: at
 * degree 2 whether a stay is kept is close to a coin toss, so a branch on it would be
 * mispredicted half the time. The AVX-512 kernel takes sixteen stays at a time: their fields
 * picked out of the 12-byte records by two permutes each, the skipped persons' bits gathered
 * from the bitmap, the kept ones compressed to the front and written as 16-byte hits.
 */
#include "trace/meet.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define FK__MEET_X86 1
#include <immintrin.h>
#endif

int fk__meet_simd = -1;

static size_t meet_plain(const struct fk__meeting *m, const struct fk__stay *s, size_t n,
                         struct fk__hit *h, size_t *scanned)
{
  size_t i = 0, k = 0;
  for (; i < n && s[i].start < m->y; i++) {
    uint32_t who = s[i].person;
    uint32_t a = s[i].start > m->x ? s[i].start : m->x, b = s[i].end < m->y ? s[i].end : m->y;
    uint32_t keep = (who != m->self) & (b > a) & (b - a > m->min);
    keep &= m->skip ? !fk__marked(m->skip, who) : 1;
    h[k] = (struct fk__hit){who, m->p, a, b};
    k += keep;
  }
  *scanned = i;
  return k;
}

#ifdef FK__MEET_X86
#define AVX512 __attribute__((target("avx512f")))

/* Lane j of field(f): word 3 j + f of the 48 in r0, r1, r2: picked from r0 and r1 (indexes
   0..31) by FIELD_LO, then the words beyond 32 from r2 (indexes 16..31 of FIELD_HI; 0..15 keep
   the lane). */
static const int FIELD_LO[3][16] = {{0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0},
                                    {1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0},
                                    {2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0}};
static const int FIELD_HI[3][16] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29},
                                    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30},
                                    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31}};

/* Lane j: field f (0 person, 1 start, 2 end) of stay j, from the 16 stays in r0, r1, r2. */
AVX512 static __m512i field(__m512i r0, __m512i r1, __m512i r2, int f)
{
  __m512i t = _mm512_permutex2var_epi32(r0, _mm512_loadu_si512(FIELD_LO[f]), r1);
  return _mm512_permutex2var_epi32(t, _mm512_loadu_si512(FIELD_HI[f]), r2);
}

/* Writes the 16 hits (who, p, a, b) lane by lane at h, 64 bytes at a time. */
AVX512 static void store_hits(struct fk__hit *h, __m512i who, __m512i p, __m512i a, __m512i b)
{
  __m512i t0 = _mm512_unpacklo_epi32(who, p), t1 = _mm512_unpackhi_epi32(who, p);
  __m512i t2 = _mm512_unpacklo_epi32(a, b), t3 = _mm512_unpackhi_epi32(a, b);
  __m512i u0 = _mm512_unpacklo_epi64(t0, t2);                         /* hits 0, 4, 8, 12 */
  __m512i u1 = _mm512_unpackhi_epi64(t0, t2);                         /* 1, 5, 9, 13 */
  __m512i u2 = _mm512_unpacklo_epi64(t1, t3);                         /* 2, 6, 10, 14 */
  __m512i u3 = _mm512_unpackhi_epi64(t1, t3);                         /* 3, 7, 11, 15 */
  __m512i s0 = _mm512_shuffle_i32x4(u0, u1, _MM_SHUFFLE(1, 0, 1, 0)); /* 0, 4, 1, 5 */
  __m512i s1 = _mm512_shuffle_i32x4(u2, u3, _MM_SHUFFLE(1, 0, 1, 0)); /* 2, 6, 3, 7 */
  __m512i s2 = _mm512_shuffle_i32x4(u0, u1, _MM_SHUFFLE(3, 2, 3, 2)); /* 8, 12, 9, 13 */
  __m512i s3 = _mm512_shuffle_i32x4(u2, u3, _MM_SHUFFLE(3, 2, 3, 2)); /* 10, 14, 11, 15 */
  _mm512_storeu_si512(h, _mm512_shuffle_i32x4(s0, s1, _MM_SHUFFLE(2, 0, 2, 0)));
  _mm512_storeu_si512(h + 4, _mm512_shuffle_i32x4(s0, s1, _MM_SHUFFLE(3, 1, 3, 1)));
  _mm512_storeu_si512(h + 8, _mm512_shuffle_i32x4(s2, s3, _MM_SHUFFLE(2, 0, 2, 0)));
  _mm512_storeu_si512(h + 12, _mm512_shuffle_i32x4(s2, s3, _MM_SHUFFLE(3, 1, 3, 1)));
}

/* The mask of the first `words` of 16 (0 to 16 and beyond). */
static __mmask16 first_words(size_t words)
{
  return words >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << words) - 1);
}

AVX512 static size_t meet_avx512(const struct fk__meeting *m, const struct fk__stay *s, size_t n,
                                 struct fk__hit *h, size_t *scanned)
{
  const __m512i x = _mm512_set1_epi32((int)m->x), y = _mm512_set1_epi32((int)m->y);
  const __m512i min = _mm512_set1_epi32((int)m->min), self = _mm512_set1_epi32((int)m->self);
  const __m512i p = _mm512_set1_epi32((int)m->p), low5 = _mm512_set1_epi32(31);
  const __m512i one = _mm512_set1_epi32(1);
  size_t i = 0, k = 0, seen = 0;
  while (i < n) {
    size_t left = n - i, w = 3 * left;
    const int *r = (const int *)(s + i);
    __mmask16 in = first_words(left);
    __m512i r0 = _mm512_maskz_loadu_epi32(first_words(w), r);
    __m512i r1 = _mm512_maskz_loadu_epi32(first_words(w > 16 ? w - 16 : 0), r + 16);
    __m512i r2 = _mm512_maskz_loadu_epi32(first_words(w > 32 ? w - 32 : 0), r + 32);
    __m512i who = field(r0, r1, r2, 0), st = field(r0, r1, r2, 1), en = field(r0, r1, r2, 2);
    __mmask16 valid = _mm512_mask_cmplt_epu32_mask(in, st, y); /* starts are in order */
    __m512i a = _mm512_max_epu32(st, x), b = _mm512_min_epu32(en, y);
    __mmask16 keep = _mm512_mask_cmpgt_epu32_mask(valid, b, a);
    keep = _mm512_mask_cmpgt_epu32_mask(keep, _mm512_sub_epi32(b, a), min);
    keep = _mm512_mask_cmpneq_epi32_mask(keep, who, self);
    if (m->skip && keep) {
      __m512i word = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), keep,
                                                 _mm512_srli_epi32(who, 5), m->skip, 4);
      __m512i bit = _mm512_srlv_epi32(word, _mm512_and_si512(who, low5));
      keep = _mm512_mask_testn_epi32_mask(keep, bit, one);
    }
    store_hits(h + k, _mm512_maskz_compress_epi32(keep, who), p,
               _mm512_maskz_compress_epi32(keep, a), _mm512_maskz_compress_epi32(keep, b));
    k += (size_t)__builtin_popcount(keep);
    seen += (size_t)__builtin_popcount(valid);
    if (valid != in || left <= 16) break;
    i += 16;
  }
  *scanned = seen;
  return k;
}

/* Does this processor run the AVX-512 kernel? */
static int have_avx512(void)
{
  return __builtin_cpu_supports("avx512f");
}
#endif

size_t fk__meet(const struct fk__meeting *m, const struct fk__stay *s, size_t n, struct fk__hit *h,
                size_t *scanned)
{
#ifdef FK__MEET_X86
  if (fk__meet_simd && have_avx512()) return meet_avx512(m, s, n, h, scanned);
#endif
  return meet_plain(m, s, n, h, scanned);
}
