/* A person's health code from their measures (fangkong/rules.h): the rules' code of each state
 * that holds, the reddest winning. Pure: the measures are given, nothing is read. */
#include <stdio.h>

#include "fangkong/rules.h"
#include "fangkong/store.h" /* struct fk_measure_row: read, never stored from here */

enum fk_code fk_person_code(const struct fk_rules *rules, const struct fk_measure_row *m, int nm,
                            fk_time now, char *reason, size_t n)
{
  fk_date today = now == FK_TIME_NONE ? 0 : fk_time_date(now);
  enum fk_code code = rules->codes.none;
  char day[FK_DATE_BUFSZ];
  int decided = 0;
  snprintf(reason, n, "no measure and no test overdue");
  for (int i = 0; i < nm; i++) {
    const struct fk_measure_row *r = &m[i];
    if (r->status != FK_MSTATUS_ACTIVE) continue;
    if (now == FK_TIME_NONE || r->end == FK_DATE_NONE || today <= r->end) {
      enum fk_code c = rules->codes.states[r->category].code;
      if (!decided || c > code) {
        code = c;
        decided = 1;
        snprintf(reason, n, "%s under %s since %s (%s)", fk_person_cats[r->category],
                 fk_measure_kinds[r->kind], fk_date_format(r->start, day), r->reason);
      }
    }
    for (int t = 0; t < r->ntests; t++) {
      enum fk_code c = rules->codes.states[FK_CODE_STATE_TEST_OVERDUE].code;
      if (r->tests[t].status != FK_TEST_MISSED || (decided && c <= code)) continue;
      code = c;
      decided = 1;
      snprintf(reason, n, "test_overdue: the test due %s was missed",
               fk_date_format(r->tests[t].due, day));
    }
  }
  return code;
}
