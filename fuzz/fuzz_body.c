/* libFuzzer target: the API's entrance-check body parser (POST /v1/entrance-checks). It never
   crashes; what it accepts has both ids non-empty, a temperature in range and a mask of 0 or 1;
   what it rejects says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fk__entrance_req r;
  char why[512];
  if (fk__entrance_body_parse((const char *)data, size, &r, why, sizeof why) == 0) {
    if (!r.person_id[0] || !r.place_id[0] || strlen(r.person_id) > FK__ID_MAX ||
        strlen(r.place_id) > FK__ID_MAX || !(r.temperature >= 30 && r.temperature <= 45) ||
        (r.mask != 0 && r.mask != 1))
      abort();
  } else if (!why[0])
    abort();
  return 0;
}
