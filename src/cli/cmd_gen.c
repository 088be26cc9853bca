/* fangkong gen: writes a synthetic city shaped like Taiyuan (every feed) into a folder. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/gen.h"

static void help(void)
{
  printf("usage: fangkong gen [--scale S] [--days D] [--start YYYY-MM-DD] [--seed N]\n"
         "                    [--outbreak N] [--pings] --out DIR\n\n"
         "Writes every feed (grids, persons, places, checkins, cases, samples, arrivals,\n"
         "vaccinations, pings) of a synthetic city shaped like Taiyuan into DIR, as CSV.\n"
         "The same arguments always give byte-identical files.\n\n"
         "  --scale S      share of the real city, in (0, 2]; 1 is ~5.4 million people (0.01)\n"
         "  --days D       days of check-ins, samples and arrivals, 1..366 (14)\n"
         "  --start DATE   first day, YYYY-MM-DD (2022-07-01)\n"
         "  --seed N       random seed, a non-negative integer (1)\n"
         "  --outbreak N   index cases to seed, 0..100000 (0)\n"
         "  --pings        phone pings at every stay (~15 min) and at home overnight\n"
         "                 (~45 min); without it pings.csv has only its header\n"
         "  --out DIR      output folder, created if missing (required)\n");
}

int fk__cmd_gen(int argc, char **argv)
{
  struct fk_gen_opts o;
  struct fk_gen_stats st;
  struct fk_diag diag;
  const char *out = NULL;
  char *end;
  fk_gen_opts_init(&o);
  fk_diag_clear(&diag);
  if (fk__wants_help(argc, argv)) {
    help();
    return FK_EXIT_OK;
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--", 2) || !strcmp(a, "--"))
      return fk__usage("gen", "unexpected argument '%s'", a);
    if (!strcmp(a, "--pings")) {
      o.pings = 1;
      continue;
    }
    if (i + 1 >= argc) return fk__usage("gen", "%s needs a value", a);
    const char *v = argv[++i];
    errno = 0;
    if (!strcmp(a, "--scale")) {
      o.scale = strtod(v, &end);
      if (end == v || *end || errno || !(o.scale > 0 && o.scale <= 2))
        return fk__usage("gen", "--scale must be a number in (0, 2], not '%s'", v);
    } else if (!strcmp(a, "--days")) {
      long d = strtol(v, &end, 10);
      if (end == v || *end || errno || d < 1 || d > 366)
        return fk__usage("gen", "--days must be an integer 1..366, not '%s'", v);
      o.days = (int)d;
    } else if (!strcmp(a, "--start")) {
      if (fk_date_parse(v, strlen(v), &o.start, &diag))
        return fk__usage("gen", "--start: %s ('%s')", diag.reason, v);
    } else if (!strcmp(a, "--seed")) {
      unsigned long long s = strtoull(v, &end, 10);
      if (end == v || *end || errno || v[0] == '-')
        return fk__usage("gen", "--seed must be a non-negative integer, not '%s'", v);
      o.seed = (uint64_t)s;
    } else if (!strcmp(a, "--outbreak")) {
      long n = strtol(v, &end, 10);
      if (end == v || *end || errno || n < 0 || n > 100000)
        return fk__usage("gen", "--outbreak must be an integer 0..100000, not '%s'", v);
      o.outbreak = (int)n;
    } else if (!strcmp(a, "--out")) {
      out = v;
    } else {
      return fk__usage("gen", "unknown option '%s'", a);
    }
  }
  if (!out || !*out) return fk__usage("gen", "--out DIR is required");
  if (fk_gen_opts_check(&o, &diag)) return fk__usage("gen", "%s", diag.reason);
  int rc = fk_gen_city(&o, out, &st, &diag);
  if (rc) {
    char buf[1024];
    return fk__fail("gen: %s", fk_diag_format(&diag, buf, sizeof buf));
  }
  for (int f = 0; f < FK_FEED_COUNT; f++)
    fprintf(stderr, "gen: %s/%s.csv: %llu rows, %llu bytes\n", out,
            fk_feed_get((enum fk_feed_id)f)->name, (unsigned long long)st.rows[f],
            (unsigned long long)st.bytes[f]);
  return FK_EXIT_OK;
}
