/* libFuzzer target: the counts.csv reader (fangkong detect --input). Whatever it accepts must be
   a well-formed set of series: a step of 1 or 7, every count a whole number >= 0. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "fangkong/detect.h"
#include "fangkong/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fk_counts *c = NULL;
  struct fk_diag diag;
  long rejected;
  if (fk_counts_parse((const char *)data, size, "counts.csv", &c, NULL, NULL, &rejected, &diag) ==
      0) {
    if (!c || (c->step != 1 && c->step != 7) || c->n == 0 || c->nseries == 0) abort();
    for (size_t s = 0; s < c->nseries; s++)
      for (size_t i = 0; i < c->n; i++) {
        double v = c->series[s].observed[i];
        if (!(v >= 0) || v != floor(v)) abort();
      }
  }
  fk_counts_free(c);
  return 0;
}
