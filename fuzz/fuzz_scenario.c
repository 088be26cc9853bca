/* libFuzzer target: the scenario line parser (fk_scenario_parse) and the field validators it
   shares with import; each input is one line. */
#include <stddef.h>
#include <stdint.h>

#include "fangkong/error.h"
#include "fangkong/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct fk_scenario_event ev;
  struct fk_diag diag;
  fk_diag_clear(&diag);
  fk_scenario_parse((const char *)data, size, &ev, &diag);
  fk_scenario_event_free(&ev);
  return 0;
}
