/*
 * Two traces' results compared field by field, exposures included (the exposure pointers
 * differ): for tests that trace the same case two ways.
 */
#ifndef FK_TESTS_TRACE_SAME_RESULT_H
#define FK_TESTS_TRACE_SAME_RESULT_H

#include <string.h>

#include "fangkong/trace.h"
#include "testutil.h"

/* Are contacts x and y the same, exposures included? */
static inline int same_contact(const struct fk_contact *x, const struct fk_contact *y)
{
  return x->person == y->person && x->via == y->via && x->first == y->first && x->last == y->last &&
         x->nexp == y->nexp && x->degree == y->degree && x->category == y->category &&
         !memcmp(x->exp, y->exp, x->nexp * sizeof *x->exp);
}

/* Are the results a and b the same, in the same order? */
static inline void assert_same_result(const struct fk_trace_result *a,
                                      const struct fk_trace_result *b)
{
  assert_int_equal(a->ncontacts, b->ncontacts);
  assert_int_equal(a->nlinks, b->nlinks);
  for (size_t i = 0; i < a->ncontacts; i++)
    assert_true(same_contact(&a->contacts[i], &b->contacts[i]));
  for (size_t i = 0; i < a->nlinks; i++) {
    const struct fk_case_link *x = &a->links[i], *y = &b->links[i];
    assert_true(x->to == y->to && x->first == y->first && x->last == y->last &&
                x->nexp == y->nexp && !memcmp(x->exp, y->exp, x->nexp * sizeof *x->exp));
  }
}

#endif
