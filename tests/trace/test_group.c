/*
 * Grouping one via's hits into secondary contacts (src/trace/group.c) against a reference
 * written here: the hits sorted by (person, start, place, the order they were found in) with
 * qsort, one contact per person in order of person, its exposures those hits in that order,
 * first the earliest start, last the latest end. Persons of 10 to 30 bits, so that the radix
 * sort runs with two, three and four passes (the three-pass count has a loop of its own), and
 * via sizes on both sides of the insertion sort's limit.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "base/rng.h"
#include "trace/group.h"

/* A hit and the order it was found in, for the reference's sort. */
struct found {
  struct fk__hit h;
  size_t at;
};

static int by_person_start_place_at(const void *a, const void *b)
{
  const struct found *x = a, *y = b;
  if (x->h.person != y->h.person) return x->h.person < y->h.person ? -1 : 1;
  if (x->h.start != y->h.start) return x->h.start < y->h.start ? -1 : 1;
  if (x->h.place != y->h.place) return x->h.place < y->h.place ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at;
}

/* n hits of persons below 2^bits, drawn from about n / 2 of them (so most meet more than once),
   at a few places and close times (so starts tie). */
static struct fk__rng rng; /* one stream for the whole test (base/rng.h: never rand()) */

static uint32_t draw(uint32_t n)
{
  return fk__rng_below(&rng, n);
}

static void random_hits(struct fk__hit *h, size_t n, int bits)
{
  size_t npool = n / 2 + 1;
  uint32_t *pool = malloc(npool * sizeof *pool);
  assert_non_null(pool);
  for (size_t i = 0; i < npool; i++)
    pool[i] = 1 + draw((1u << bits) - 1);
  for (size_t i = 0; i < n; i++) {
    uint32_t start = 1000 + draw(50);
    h[i] = (struct fk__hit){pool[draw((uint32_t)npool)], 1 + draw(4), start, start + 1 + draw(100)};
  }
  free(pool);
}

/* Groups n random hits through via 7 with persons of `bits` bits and checks every contact and
   exposure against the reference. */
static void check_one(int bits, size_t n)
{
  struct fk_trace_index ix;
  struct fk__grouper g = {0};
  struct fk__exposures x = {0};
  struct fk__vec con = {NULL, 0, 0, sizeof(struct fk_contact)};
  struct fk__sink out = {&con, NULL, &x, NULL};
  struct fk__hit *h = malloc(n * sizeof *h);
  struct found *ref = malloc(n * sizeof *ref);
  assert_true(h && ref);
  memset(&ix, 0, sizeof ix);
  ix.nperson = bits >= 32 ? UINT32_MAX : 1u << bits;
  random_hits(h, n, bits);
  for (size_t i = 0; i < n; i++)
    ref[i] = (struct found){h[i], i};
  qsort(ref, n, sizeof *ref, by_person_start_place_at);
  assert_int_equal(fk__group_via(&ix, &g, h, n, 7, 0, &out), 0);
  size_t k = 0, c = 0;
  for (; k < n; c++) {
    assert_true(c < con.n);
    const struct fk_contact *ct = &FK__VEC_AT(&con, struct fk_contact, c);
    uint32_t last = 0;
    assert_int_equal(ct->person, ref[k].h.person);
    assert_int_equal(ct->via, 7);
    assert_int_equal(ct->degree, 2);
    assert_int_equal(ct->category, FK_CAT_CLOSE);
    assert_int_equal(ct->first, ref[k].h.start);
    for (uint32_t e = 0; e < ct->nexp; e++, k++) {
      const struct fk__hit *r = &ref[k].h;
      assert_true(k < n && r->person == ct->person);
      assert_int_equal(ct->exp[e].place, r->place);
      assert_int_equal(ct->exp[e].start, r->start);
      assert_int_equal(ct->exp[e].end, r->end);
      assert_int_equal(ct->exp[e].category, FK_CAT_CLOSE);
      last = r->end > last ? r->end : last;
    }
    assert_int_equal(ct->last, last);
    assert_true(k == n || ref[k].h.person != ct->person); /* all of the person's hits */
  }
  assert_int_equal(c, con.n);
  fk__grouper_free(&g);
  fk__exposures_free(&x);
  fk__vec_free(&con);
  free(h);
  free(ref);
}

static void contacts_and_exposures_match_the_reference(void **state)
{
  static const int bits[] = {10, 17, 20, 23, 24, 25, 30};
  static const size_t sizes[] = {1, 2, 31, 32, 33, 257, 4000, 20000};
  (void)state;
  rng = fk__rng_make(20261129, 0, 0, 0);
  for (size_t b = 0; b < sizeof bits / sizeof *bits; b++)
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
      check_one(bits[b], sizes[s]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(contacts_and_exposures_match_the_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
