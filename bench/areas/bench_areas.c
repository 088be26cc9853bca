/*
 * bench/areas: what fk_areas_update costs on a stored city, apart from the trace index it
 * borrows (built once per tick for the measures too): the first update as of --now, then the
 * same update again (nothing to write). Prints the cases, infections inside grids and areas, so
 * cities of different sizes with the same outbreak can be compared.
 *   bench_areas --db PATH --now T [--rules FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fangkong/areas.h"
#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/trace.h"

static double seconds(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  const char *db = NULL, *now_text = NULL, *rules_path = NULL;
  static struct fk_rules rules;
  struct fk_store *st = NULL;
  struct fk_trace_index *ix = NULL;
  struct fk_areas_stats s;
  struct fk_diag d;
  fk_time now;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--db")) db = argv[i + 1];
    if (!strcmp(argv[i], "--now")) now_text = argv[i + 1];
    if (!strcmp(argv[i], "--rules")) rules_path = argv[i + 1];
  }
  if (!db || !now_text || fk_time_parse(now_text, strlen(now_text), &now, NULL)) {
    fprintf(stderr, "usage: bench_areas --db PATH --now T [--rules FILE]\n");
    return 2;
  }
  fk_diag_clear(&d);
  if ((rules_path ? fk_rules_load(rules_path, &rules, NULL, NULL, &d) : fk_rules_default(&rules)) ||
      fk_store_open(db, &st, &d)) {
    fprintf(stderr, "bench_areas: %s\n", d.reason);
    return 1;
  }
  double t0 = seconds();
  if (fk_trace_index_build(st, &rules, &ix, &d)) {
    fprintf(stderr, "bench_areas: %s\n", d.reason);
    return 1;
  }
  double t1 = seconds();
  int rc = fk_areas_update(st, ix, &rules, now, &s, &d);
  double t2 = seconds();
  long written = s.written;
  if (!rc) rc = fk_areas_update(st, ix, &rules, now, &s, &d);
  double t3 = seconds();
  if (rc) {
    fprintf(stderr, "bench_areas: %s\n", d.reason);
    return 1;
  }
  printf("index build %.3f s (borrowed, not the update's)\n", t1 - t0);
  printf("cases %ld, infections inside grids %ld, areas %ld (in force: high %ld, medium %ld, "
         "low %ld)\n",
         s.cases, s.events, s.areas, s.in_force[FK_AREA_HIGH], s.in_force[FK_AREA_MEDIUM],
         s.in_force[FK_AREA_LOW]);
  printf("first update %.3f s (%ld written), same now again %.3f s (%ld written)\n", t2 - t1,
         written, t3 - t2, s.written);
  fk_trace_index_free(ix);
  fk_store_close(st);
  return 0;
}
