/* libFuzzer target: the API's body parsers (POST /v1/entrance-checks, POST /v1/tasks/{id}/done,
   POST /v1/alerts/{id}/verify). They never crash; an accepted check has both ids non-empty, a
   temperature in range and a mask of 0 or 1, an accepted proof is non-empty, an accepted
   verdict is outbreak, not_outbreak or watch with a note that fits; what they reject says why.
   The entrance body's fast reader (body_fast.c), whenever it takes a body, reads exactly what
   jansson's full parser reads from it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alerts.h"
#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fast reader took the body: the full parser must accept it and read the same. */
static void same_as_full(const uint8_t *data, size_t size)
{
  struct fk__entrance_req fast, full;
  char why[512];
  if (!fk__entrance_body_fast((const char *)data, size, &fast)) return;
  if (fk__entrance_body_full((const char *)data, size, &full, why, sizeof why) ||
      strcmp(fast.person_id, full.person_id) || strcmp(fast.place_id, full.place_id) ||
      memcmp(&fast.temperature, &full.temperature, sizeof fast.temperature) ||
      fast.mask != full.mask || fast.at != full.at)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fk__entrance_req r;
  char why[512];
  same_as_full(data, size);
  if (fk__entrance_body_parse((const char *)data, size, &r, why, sizeof why) == 0) {
    if (!r.person_id[0] || !r.place_id[0] || strlen(r.person_id) > FK__ID_MAX ||
        strlen(r.place_id) > FK__ID_MAX || !(r.temperature >= 30 && r.temperature <= 45) ||
        (r.mask != 0 && r.mask != 1))
      abort();
  } else if (!why[0])
    abort();
  char proof[128];
  if (fk__task_body_parse((const char *)data, size, proof, sizeof proof, why, sizeof why) == 0) {
    if (!proof[0] || strlen(proof) >= sizeof proof) abort();
  } else if (!why[0])
    abort();
  char note[256];
  int verdict;
  if (fk__verify_body_parse((const char *)data, size, &verdict, note, sizeof note, why,
                            sizeof why) == 0) {
    if (verdict <= FK_ALERT_OPEN || verdict >= FK_ALERT_NSTATUS || strlen(note) >= sizeof note)
      abort();
  } else if (!why[0] || verdict != -1)
    abort();
  return 0;
}
