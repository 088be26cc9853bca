/* libFuzzer target: ISO 8601 instants and dates; whatever parses must print and re-parse to the
   same instant. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fk_time t, back;
  fk_date d, dback;
  char buf[FK_TIME_BUFSZ];
  struct fk_diag diag;
  if (fk_time_parse((const char *)data, size, &t, &diag) == 0) {
    fk_time_format(t, buf);
    if (fk_time_parse(buf, strlen(buf), &back, NULL) || back != t) abort();
  }
  if (fk_date_parse((const char *)data, size, &d, &diag) == 0) {
    fk_date_format(d, buf);
    if (fk_date_parse(buf, strlen(buf), &dback, NULL) || dback != d) abort();
  }
  return 0;
}
