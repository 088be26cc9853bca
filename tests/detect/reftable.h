/* A reader for the reference CSV files R wrote (write.csv): a header of quoted names, numbers,
   "NA", TRUE/FALSE, quoted dates. Test helper only. */
#ifndef FK_TEST_REFTABLE_H
#define FK_TEST_REFTABLE_H

#include <stddef.h>

struct reftable {
  int ncols;
  size_t nrows;
  char **names;
  double *cells; /* row-major; NA is NaN, TRUE 1, FALSE 0, text NaN */
};

/* Loads $FK_SHARED/reference/surveillance/<name>; fails the test when it cannot. */
void reftable_load(struct reftable *t, const char *name);
/* The column named name (fails the test when absent): a pointer to row 0; stride t->ncols. */
const double *reftable_col(const struct reftable *t, const char *name);
/* The value at row r of column c (from reftable_col). */
#define REF(t, c, r) ((c)[(size_t)(r) * (size_t)(t)->ncols])
void reftable_free(struct reftable *t);

#endif
