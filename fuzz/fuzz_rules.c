/* libFuzzer target: the rule set reader; whatever it accepts must have sane numbers and plans
   (and an alerts section, known methods within its bounds). */
#include <stdint.h>
#include <stdlib.h>

#include "fangkong/error.h"
#include "fangkong/measure.h"
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
    if ((r.sections & FK_RULES_HAS_BRIEFING) &&
        (r.briefing.placed_within_hours < 1 || r.briefing.placed_within_hours > 1000))
      abort();
    if ((r.sections & FK_RULES_HAS_ALERTS) &&
        (r.alerts.verify_hours < 1 || r.alerts.scan_days < 1 || r.alerts.history_days < 7 ||
         r.alerts.nsources < 1 || r.alerts.nsources > FK_ALERT_MAX_SOURCES))
      abort();
    for (int i = 0; (r.sections & FK_RULES_HAS_ALERTS) && i < r.alerts.nsources; i++)
      for (int m = 0; m < r.alerts.sources[i].nmethods; m++)
        if (r.alerts.sources[i].methods[m].method < 0 ||
            r.alerts.sources[i].methods[m].method >= FK_DETECT_METHOD_COUNT)
          abort();
    if ((r.sections & FK_RULES_HAS_LOOP) &&
        !(r.loop.entrance.fever_celsius >= 35 && r.loop.entrance.fever_celsius <= 42))
      abort();
    /* Whatever measures it accepts must plan within bounds, tests inside their phases. */
    for (int c = 0; c < FK_PERSON_NCATS; c++) {
      static struct fk_plan p, q;
      int rc = fk_measure_plan(&r, (enum fk_person_cat)c, 19000, 19003, &p);
      if (rc == FK_ENOTFOUND) continue;
      if (rc || p.nphases < 1 || p.nphases > FK_RULES_MAXPHASES || p.ntests > FK_PLAN_MAXTESTS)
        abort();
      for (int i = 0; i < p.ntests; i++) {
        const struct fk_plan_phase *ph = &p.phases[p.tests[i].phase];
        if (p.tests[i].nominal < ph->start || p.tests[i].due < 19003) abort();
        if (ph->end != FK_DATE_NONE && p.tests[i].nominal > ph->end) abort();
        p.tests[i].done_on = p.tests[i].due;
      }
      if (fk_measure_replan(&r, &p, 19002, &q) != 0) abort();
    }
  }
  return 0;
}
