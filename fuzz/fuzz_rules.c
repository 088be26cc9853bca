/* libFuzzer target: the rule set reader; whatever it accepts must have sane numbers. */
#include <stdint.h>
#include <stdlib.h>

#include "fangkong/error.h"
#include "fangkong/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *arg, const char *path, const char *reason)
{
  (void)arg;
  (void)path;
  (void)reason;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fk_rules r;
  struct fk_diag diag;
  if (fk_rules_parse((const char *)data, size, "fuzz", &r, ignore, NULL, &diag) == 0) {
    if (r.trace.window_days < 0 || r.companion.cell_meters <= 0) abort();
    for (int k = 0; k < FK_RULES_MAXKINDS; k++)
      if (r.trace.kinds[k].dwell <= 0 || r.trace.kinds[k].min_overlap < 0) abort();
  }
  return 0;
}
