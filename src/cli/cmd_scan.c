/* fangkong scan: the space-time permutation scan (时空重排扫描) over recent days. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "fangkong/scan.h"
#include "fangkong/store.h"
#include "fangkong/table.h"
#include "fangkong/time.h"

static const char help[] =
    "usage: fangkong scan (--cas FILE --geo FILE | --input FILE (--regions FILE | --db PATH)\n"
    "                     | --db PATH) [--channel NAME] [--start DATE] [--end DATE]\n"
    "                     [--max-days N] [--max-share X] [--replicates N] [--seed N]\n"
    "                     [--threads N] [--rules FILE] [--max-p P] [--format csv|json|table]\n"
    "\n"
    "Space-time permutation scan (时空重排扫描, Kulldorff 2005, as SaTScan computes it): finds\n"
    "groups of nearby places (circles about each location) whose cases over the last 1..N days\n"
    "exceed what their own history and the whole city's recent days predict. No population is\n"
    "needed. Expected counts come from the margins; significance from Monte Carlo replicates\n"
    "that permute the case dates. Clusters: the most likely first (cluster 1), then secondary\n"
    "clusters sharing no location with a better one. See docs/SCAN.md.\n"
    "\n"
    "Input, one of:\n"
    "  --cas FILE --geo FILE  SaTScan's case file (location id, cases, date YYYY/MM/DD) and\n"
    "                         coordinates file (location id, latitude, longitude)\n"
    "  --input FILE           counts.csv (date, region_id, channel, count), with coordinates\n"
    "                         from --regions FILE (region_id or grid_id, lat, lon) or from the\n"
    "                         grids of the store --db PATH\n"
    "  --db PATH              the store's cases at their home grid (网格), on their onset date\n"
    "                         (else the day sampled)\n"
    "  --channel NAME         the channel of counts.csv to scan (needed when it holds several)\n"
    "Study and settings (defaults from the rule set's `scan` section):\n"
    "  --start DATE, --end DATE  the study period (default: first and last day with cases);\n"
    "                         clusters end on --end (prospective)\n"
    "  --max-days N           clusters last 1..N days (rule: max_days)\n"
    "  --max-share X          a circle holds at most this share of all cases (rule: max_share)\n"
    "  --replicates N         Monte Carlo replicates; p = rank / (N + 1) (rule: replicates)\n"
    "  --seed N               the replicates' seed (rule: seed); the same seed gives the same\n"
    "                         p-values whatever the number of threads\n"
    "  --threads N            worker threads (default: every core)\n"
    "  --rules FILE           rule set (default: the built-in protocol-9)\n"
    "  --max-p P              print only clusters with p_value <= P (default: every cluster;\n"
    "                         they keep their numbers)\n"
    "  --format csv|json|table  csv (default): cluster, regions (';'-separated, nearest the\n"
    "                         centre first), start, end, observed, expected, llr, p_value,\n"
    "                         centre, radius_km; json adds the study and its settings\n"
    "\n"
    "Exit status: 0; 3 when input rows were rejected (each named on stderr with file, line,\n"
    "field and reason; the others were scanned); 1 on error; 2 on wrong usage.\n";

#define SHOWN_REJECTS 50

struct opts {
  const char *cas, *geo, *input, *regions, *db, *channel, *start, *end, *max_days, *max_share,
      *replicates, *seed, *threads, *rules, *format, *max_p;
};

struct rejects {
  long shown;
};

/* Prints a rejected row (the first SHOWN_REJECTS of them) on stderr. */
static void on_reject(void *arg, const struct fk_diag *why)
{
  struct rejects *r = arg;
  char msg[1024];
  if (r->shown++ < SHOWN_REJECTS)
    fprintf(stderr, "fangkong scan: rejected: %s\n", fk_diag_format(why, msg, sizeof msg));
}

/* A date as YYYY-MM-DD or YYYY/MM/DD; returns 0 or -1. */
static int parse_day(const char *s, fk_date *out)
{
  return fk_scan_date_parse(s, strlen(s), out) ? -1 : 0;
}

/* A number above 0 and at most 1 into *out; returns 0 or -1. */
static int parse_share(const char *s, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (!*s || *end || errno || !(v > 0 && v <= 1)) return -1;
  *out = v;
  return 0;
}

/* The settings: the rule set's (its name into name), then the options over them. Returns 0 or
 * an exit status. */
static int settings(const struct opts *o, struct fk_scan_params *p, char *name, size_t size)
{
  struct fk_rules rules;
  struct fk_diag diag;
  char msg[1024];
  long v;
  fk_diag_clear(&diag);
  if (o->rules ? fk_rules_load(o->rules, &rules, NULL, NULL, &diag) : fk_rules_default(&rules))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if (!rules.scan.source[0])
    return fk__fail("rule set %s has no `scan` section (see rules/protocol-9.json)", rules.name);
  *p = (struct fk_scan_params){rules.scan.max_days, rules.scan.max_share, rules.scan.replicates,
                               (uint64_t)rules.scan.seed, 0};
  snprintf(name, size, "%s", rules.name);
  if (o->max_days) {
    if (fk__parse_long(o->max_days, 1, FK_SCAN_MAX_DAYS, &v))
      return fk__usage("scan", "--max-days is a whole number of days, 1 to %d", FK_SCAN_MAX_DAYS);
    p->max_days = (int)v;
  }
  if (o->replicates) {
    if (fk__parse_long(o->replicates, 0, FK_SCAN_MAX_REPLICATES, &v))
      return fk__usage("scan", "--replicates is 0 to %d", FK_SCAN_MAX_REPLICATES);
    p->replicates = (int)v;
  }
  if (o->threads) {
    if (fk__parse_long(o->threads, 1, FK_SCAN_MAX_THREADS, &v))
      return fk__usage("scan", "--threads is 1 to %d", FK_SCAN_MAX_THREADS);
    p->threads = (int)v;
  }
  if (o->max_share && parse_share(o->max_share, &p->max_share))
    return fk__usage("scan", "--max-share is a share above 0 and at most 1 (0.5 is half)");
  if (o->seed) {
    char *end;
    errno = 0;
    p->seed = strtoull(o->seed, &end, 10);
    if (!*o->seed || *end || errno || o->seed[0] == '-')
      return fk__usage("scan", "--seed is a whole number, 0 to 2^64-1");
  }
  return 0;
}

/* Reads the input the options name into in. Returns 0 or an exit status. */
static int load(const struct opts *o, struct fk_scan_input *in, struct rejects *rj, long *rejected)
{
  struct fk_diag diag;
  struct fk_store *st = NULL;
  char msg[1024];
  int rc = 0;
  fk_diag_clear(&diag);
  if (o->cas) {
    if (!(rc = fk_scan_read_file(in, FK_SCAN_GEO, o->geo, NULL, on_reject, rj, rejected, &diag)))
      rc = fk_scan_read_file(in, FK_SCAN_CAS, o->cas, NULL, on_reject, rj, rejected, &diag);
  } else {
    if (o->db && (rc = fk_store_open(o->db, &st, &diag))) goto out;
    if (o->regions)
      rc = fk_scan_read_file(in, FK_SCAN_REGIONS, o->regions, NULL, on_reject, rj, rejected, &diag);
    else
      rc = fk_scan_load_grids(in, st, &diag);
    if (!rc && o->input)
      rc = fk_scan_read_file(in, FK_SCAN_COUNTS, o->input, o->channel, on_reject, rj, rejected,
                             &diag);
    else if (!rc)
      rc = fk_scan_load_cases(in, st, &diag);
  }
out:
  fk_store_close(st);
  return rc ? fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg)) : 0;
}

/* A day as YYYY-MM-DD into buf (FK_DATE_BUFSZ bytes). */
static void day_text(fk_date d, char *buf)
{
  fk_date_format(d, buf);
}

/* One cluster's members as "A;B;C". */
static void join_regions(const struct fk_scan_input *in, const struct fk_scan_cluster *c, FILE *f,
                         int json)
{
  for (size_t j = 0; j < c->nlocs; j++) {
    const char *id = fk_scan_location_id(in, c->locs[j]);
    if (json) {
      fputs(j ? ", " : "", f);
      fk_json_string(f, id, strlen(id));
    } else {
      fputs(j ? ";" : "", f);
      fputs(id, f);
    }
  }
}

/* One cluster's members as one CSV field "A;B;C". */
static void csv_regions(FILE *f, const struct fk_scan_input *in, const struct fk_scan_cluster *c)
{
  size_t n = 0, at = 0;
  for (size_t j = 0; j < c->nlocs; j++)
    n += strlen(fk_scan_location_id(in, c->locs[j])) + 1;
  char *buf = fk_malloc(n + 1);
  if (!buf) {
    join_regions(in, c, f, 0); /* ids hold no separator a CSV reader would trip on */
    return;
  }
  for (size_t j = 0; j < c->nlocs; j++) {
    const char *id = fk_scan_location_id(in, c->locs[j]);
    if (j) buf[at++] = ';';
    memcpy(buf + at, id, strlen(id));
    at += strlen(id);
  }
  fk_csv_field(f, buf, at);
  fk_free(buf);
}

/* The clusters as CSV, one row each (the columns of the help); those with p above maxp left out. */
static void print_csv(FILE *f, const struct fk_scan_input *in, const struct fk_scan_result *r,
                      double maxp)
{
  char a[FK_DATE_BUFSZ], b[FK_DATE_BUFSZ];
  fputs("cluster,regions,start,end,observed,expected,llr,p_value,centre,radius_km\n", f);
  for (size_t i = 0; i < r->nclusters; i++) {
    const struct fk_scan_cluster *c = &r->clusters[i];
    if (c->p_value > maxp) continue;
    const char *centre = fk_scan_location_id(in, c->centre);
    day_text(c->start, a);
    day_text(c->end, b);
    fprintf(f, "%zu,", i + 1);
    csv_regions(f, in, c);
    fprintf(f, ",%s,%s,%lld,%.6f,%.6f,%.6g,", a, b, (long long)c->observed, c->expected, c->llr,
            c->p_value);
    fk_csv_field(f, centre, strlen(centre));
    fprintf(f, ",%.3f\n", c->radius_km);
  }
}

/* The study, its settings and rule set, and the clusters (p at most maxp), as one JSON object. */
static void print_json(FILE *f, const struct fk_scan_input *in, const struct fk_scan_params *p,
                       const char *rules, const struct fk_scan_result *r, double maxp)
{
  char a[FK_DATE_BUFSZ], b[FK_DATE_BUFSZ];
  day_text(r->start, a);
  day_text(r->end, b);
  fprintf(f,
          "{\"study\": {\"start\": \"%s\", \"end\": \"%s\", \"locations\": %zu, \"cases\": %lld, "
          "\"cases_outside\": %lld, \"max_days\": %d, \"max_share\": %g, \"replicates\": %d, "
          "\"seed\": %llu, \"model\": \"space-time permutation, high rates, prospective\", "
          "\"rules\": ",
          a, b, fk_scan_nlocations(in), (long long)r->cases, (long long)r->outside, r->max_days,
          p->max_share, r->replicates, (unsigned long long)p->seed);
  fk_json_string(f, rules, strlen(rules));
  fputs("},\n \"clusters\": [", f);
  for (size_t i = 0, shown = 0; i < r->nclusters; i++) {
    const struct fk_scan_cluster *c = &r->clusters[i];
    if (c->p_value > maxp) continue;
    const char *centre = fk_scan_location_id(in, c->centre);
    day_text(c->start, a);
    day_text(c->end, b);
    fprintf(f, "%s\n  {\"cluster\": %zu, \"kind\": \"%s\", \"regions\": [", shown++ ? "," : "",
            i + 1, i ? "secondary" : "most likely");
    join_regions(in, c, f, 1);
    fprintf(f,
            "], \"start\": \"%s\", \"end\": \"%s\", \"observed\": %lld, \"expected\": %.6f, "
            "\"llr\": %.6f, \"p_value\": %.6g, \"centre\": ",
            a, b, (long long)c->observed, c->expected, c->llr, c->p_value);
    fk_json_string(f, centre, strlen(centre));
    fprintf(f, ", \"radius_km\": %.3f}", c->radius_km);
  }
  fputs("]}\n", f);
}

/* The clusters (p at most maxp) for a person to read, in English with the Chinese terms. */
static void print_table(FILE *f, const struct fk_scan_input *in, const struct fk_scan_result *r,
                        double maxp)
{
  char a[FK_DATE_BUFSZ], b[FK_DATE_BUFSZ];
  day_text(r->start, a);
  day_text(r->end, b);
  fprintf(f, "时空重排扫描 space-time permutation scan, %s..%s: %lld cases, %d replicates\n", a, b,
          (long long)r->cases, r->replicates);
  size_t shown = 0;
  for (size_t i = 0; i < r->nclusters; i++) {
    const struct fk_scan_cluster *c = &r->clusters[i];
    if (c->p_value > maxp) continue;
    shown++;
    day_text(c->start, a);
    day_text(c->end, b);
    fprintf(f, "\n%zu. %s cluster (%s), %s..%s, centre %s, radius %.2f km\n", i + 1,
            i ? "secondary" : "most likely", i ? "次要聚集" : "最可能聚集", a, b,
            fk_scan_location_id(in, c->centre), c->radius_km);
    fprintf(f, "   observed %lld, expected %.2f, LLR %.6f, p = %.6g\n   regions: ",
            (long long)c->observed, c->expected, c->llr, c->p_value);
    join_regions(in, c, f, 0);
    fputc('\n', f);
  }
  if (!r->nclusters)
    fputs("no cylinder has more cases than expected\n", f);
  else if (!shown)
    fprintf(f, "no cluster with p <= %g (of %zu)\n", maxp, r->nclusters);
}

/* Checks which input the options name. Returns 0 or FK_EXIT_USAGE. */
static int check_input(const struct opts *o)
{
  if (!o->cas != !o->geo) return fk__usage("scan", "--cas and --geo go together");
  if (o->cas && (o->input || o->regions || o->db))
    return fk__usage("scan", "give --cas/--geo, or --input, or --db: one input");
  if (!o->cas && !o->input && !o->db)
    return fk__usage("scan", "give an input: --cas and --geo, --input, or --db");
  if (o->input && !o->regions && !o->db)
    return fk__usage("scan", "--input needs coordinates: --regions FILE or --db PATH");
  if (o->regions && !o->input) return fk__usage("scan", "--regions goes with --input");
  if (o->channel && !o->input) return fk__usage("scan", "--channel goes with --input");
  return 0;
}

/* The study period: the options', else the first and last day with cases. */
static int period(const struct opts *o, const struct fk_scan_input *in, fk_date *start,
                  fk_date *end)
{
  fk_date first = 0, last = 0;
  int none = fk_scan_days(in, &first, &last);
  if (o->start && parse_day(o->start, start)) return fk__usage("scan", "--start is YYYY-MM-DD");
  if (o->end && parse_day(o->end, end)) return fk__usage("scan", "--end is YYYY-MM-DD");
  if (none && (!o->start || !o->end)) return fk__fail("no cases to scan");
  if (!o->start) *start = first;
  if (!o->end) *end = last;
  return 0;
}

int fk__cmd_scan(int argc, char **argv)
{
  struct opts o = {0};
  struct fk_scan_params p;
  struct fk_scan_input *in = NULL;
  struct fk_scan_result r = {0};
  struct rejects rj = {0};
  struct fk_diag diag;
  enum fk_format format = FK_FORMAT_CSV;
  const char *pos[1];
  char msg[1024], rules[64];
  double maxp = 1;
  fk_date start = 0, end = 0;
  long rejected = 0;
  int npos, rc;
  struct fk__opt opts[] = {{"--cas", &o.cas, NULL},
                           {"--geo", &o.geo, NULL},
                           {"--input", &o.input, NULL},
                           {"--regions", &o.regions, NULL},
                           {"--db", &o.db, NULL},
                           {"--channel", &o.channel, NULL},
                           {"--start", &o.start, NULL},
                           {"--end", &o.end, NULL},
                           {"--max-days", &o.max_days, NULL},
                           {"--max-share", &o.max_share, NULL},
                           {"--replicates", &o.replicates, NULL},
                           {"--seed", &o.seed, NULL},
                           {"--threads", &o.threads, NULL},
                           {"--rules", &o.rules, NULL},
                           {"--format", &o.format, NULL},
                           {"--max-p", &o.max_p, NULL},
                           {0}};
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("scan", argc, argv, opts, pos, 0, &npos))) return rc;
  if ((rc = check_input(&o))) return rc;
  if (o.format && fk_format_parse(o.format, &format))
    return fk__usage("scan", "--format is csv, json or table");
  if ((rc = settings(&o, &p, rules, sizeof rules))) return rc;
  if (o.max_p && parse_share(o.max_p, &maxp))
    return fk__usage("scan", "--max-p is a p-value above 0 and at most 1");
  if (fk_scan_input_new(&in)) return fk__fail("out of memory");
  if ((rc = load(&o, in, &rj, &rejected)) || (rc = period(&o, in, &start, &end))) goto out;
  fk_diag_clear(&diag);
  if (fk_scan_run(in, start, end, &p, &r, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  if (format == FK_FORMAT_JSON)
    print_json(stdout, in, &p, rules, &r, maxp);
  else if (format == FK_FORMAT_TABLE)
    print_table(stdout, in, &r, maxp);
  else
    print_csv(stdout, in, &r, maxp);
  if (fflush(stdout) || ferror(stdout)) rc = fk__fail("writing the clusters failed");
  if (!rc && rejected) {
    fprintf(stderr, "fangkong scan: %ld input row%s rejected%s\n", rejected,
            rejected == 1 ? "" : "s", rj.shown > SHOWN_REJECTS ? " (the first shown)" : "");
    rc = FK_EXIT_REJECTS;
  }
out:
  fk_scan_result_free(&r);
  fk_scan_input_free(in);
  return rc;
}
