/* fangkong detect: aberration detection (异常探测) over series of counts, one row per point. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/counts_in.h"
#include "fangkong/alloc.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "fangkong/signals.h"
#include "fangkong/store.h"
#include "fangkong/table.h"

#define MAX_PARAMS 32

static const char help[] =
    "usage: fangkong detect --method NAME [--param key=value ...] [--range FROM:TO]\n"
    "                       (--input FILE | --db PATH --channel C [--level L])\n"
    "                       [--format csv|json]\n"
    "\n"
    "Runs an aberration-detection method (异常探测) over every series of a counts file and\n"
    "prints one row per evaluated point: date, region_id, channel, observed, expected,\n"
    "upperbound, alarm (0|1), score. Empty (json: null) means not available, e.g. too\n"
    "little history. Methods follow R's surveillance package (docs/DETECT.md):\n"
    "\n"
    "  threshold            fixed threshold (固定阈值): threshold=1, window=1\n"
    "  cidars-mpm           CIDARS moving percentile (移动百分位数): percentile=0.5, b=3, w=2,\n"
    "                       period=7 (days; 1 for weekly series)\n"
    "  ears-c1, ears-c2     EARS: baseline=7, alpha=0.001, minSigma=0\n"
    "  ears-c3              EARS C3: alpha=0.025; C3=published (default) or C3=surveillance\n"
    "  cusum                algo.cusum: k=1.04, h=2.26, m=NULL (mean before the range),\n"
    "                       trans=standard (rossi, anscombe, anscombe2nd, pearsonNegBin, none)\n"
    "  farrington           farringtonFlexible, Farrington (1996): b=5, w=3, reweight=TRUE,\n"
    "                       weightsThreshold=1, alpha=0.05, trend=TRUE, pThresholdTrend=0.05,\n"
    "                       limit54=5,4, powertrans=2/3, noPeriods=1, pastWeeksNotIncluded=3,\n"
    "                       thresholdMethod=delta\n"
    "  farrington-noufaily  the same with Noufaily (2013) settings: weightsThreshold=2.58,\n"
    "                       pThresholdTrend=1, noPeriods=10, pastWeeksNotIncluded=26,\n"
    "                       thresholdMethod=nbPlugin (or muan)\n"
    "\n"
    "  --method NAME      one of the above\n"
    "  --param KEY=VALUE  a parameter by R's name (repeat the option for more)\n"
    "  --range FROM:TO    first and last dates evaluated (YYYY-MM-DD:YYYY-MM-DD); default all\n"
    "  --input FILE       counts.csv (date, region_id, channel, count; region_id and channel\n"
    "                     may be absent for a single series); weekly when every date is a\n"
    "                     multiple of 7 days apart, else daily; a missing date counts 0\n"
    "  --db PATH          the store: the counts of a signal channel per day and region\n"
    "  --channel C        with --db: fever_clinic, pharmacy_fever (_cough, _antiviral,\n"
    "                     _antibiotic, _cold), school_absence, entrance_fever, positive, or\n"
    "                     a channel of counts.csv (docs/ALERTS.md)\n"
    "  --level L          with --db: city, district (default), street, community or grid;\n"
    "                     a grid's counts roll up to every level above it\n"
    "  --format FORMAT    csv (default) or json\n"
    "  --threads N        series evaluated at once (default: the processors online)\n"
    "\n"
    "Exit status: 0 done, 1 error, 2 usage, 3 done but some input rows were rejected\n"
    "(each is reported on stderr as FILE:LINE: field: reason).\n";

struct opts {
  const char *method, *range, *input, *db, *format, *threads, *channel, *level;
  const char *params[MAX_PARAMS];
  int nparams;
};

static int parse_args(int argc, char **argv, struct opts *o)
{
  memset(o, 0, sizeof *o);
  const struct fk__opt opts[] = {{"--method", &o->method, NULL},
                                 {"--range", &o->range, NULL},
                                 {"--input", &o->input, NULL},
                                 {"--db", &o->db, NULL},
                                 {"--format", &o->format, NULL},
                                 {"--threads", &o->threads, NULL},
                                 {"--channel", &o->channel, NULL},
                                 {"--level", &o->level, NULL},
                                 {NULL, NULL, NULL}};
  int rc = fk__parse_opts_repeat("detect", argc, argv, opts, "--param", o->params, MAX_PARAMS,
                                 &o->nparams);
  if (rc) return rc;
  if (!o->method) return fk__usage("detect", "--method is required");
  if (!o->input == !o->db) return fk__usage("detect", "give one of --input FILE or --db PATH");
  if (o->db && !o->channel) return fk__usage("detect", "--db wants --channel C");
  if (o->input && (o->channel || o->level))
    return fk__usage("detect", "--channel and --level go with --db");
  if (o->format && strcmp(o->format, "csv") && strcmp(o->format, "json"))
    return fk__usage("detect", "--format must be csv or json");
  return 0;
}

static int apply_params(const struct opts *o, enum fk_detect_method m, struct fk_detect_params *p)
{
  for (int i = 0; i < o->nparams; i++) {
    char key[64];
    const char *eq = strchr(o->params[i], '=');
    if (!eq || eq == o->params[i] || (size_t)(eq - o->params[i]) >= sizeof key)
      return fk__usage("detect", "--param wants KEY=VALUE, not '%s'", o->params[i]);
    memcpy(key, o->params[i], (size_t)(eq - o->params[i]));
    key[eq - o->params[i]] = '\0';
    struct fk_diag d;
    fk_diag_clear(&d);
    if (fk_detect_param_set(m, p, key, eq + 1, &d))
      return fk__usage("detect", "--param %s: %s", key, d.reason);
  }
  return 0;
}

static void csv_number(FILE *f, double v)
{
  if (isnan(v)) return;
  if (isinf(v))
    fputs(v > 0 ? "Inf" : "-Inf", f);
  else
    fprintf(f, "%.15g", v);
}

static void json_number(FILE *f, double v)
{
  if (isfinite(v))
    fprintf(f, "%.15g", v);
  else
    fputs("null", f);
}

static void print_row(FILE *f, int json, fk_date date, const struct fk_counts_series *s, double y,
                      const struct fk_detect_point *o, int first)
{
  char d[FK_DATE_BUFSZ];
  fk_date_format(date, d);
  if (!json) {
    fprintf(f, "%s,", d);
    fk_csv_field(f, s->region_id, strlen(s->region_id));
    fputc(',', f);
    fk_csv_field(f, s->channel, strlen(s->channel));
    fprintf(f, ",%.15g,", y);
    csv_number(f, o->expected), fputc(',', f);
    csv_number(f, o->upperbound);
    fprintf(f, ",%d,", o->alarm);
    csv_number(f, o->score), fputc('\n', f);
    return;
  }
  fprintf(f, "%s{\"date\":\"%s\",\"region_id\":", first ? "" : ",\n", d);
  fk_json_string(f, s->region_id, strlen(s->region_id));
  fputs(",\"channel\":", f);
  fk_json_string(f, s->channel, strlen(s->channel));
  fprintf(f, ",\"observed\":%.15g,\"expected\":", y);
  json_number(f, o->expected);
  fputs(",\"upperbound\":", f);
  json_number(f, o->upperbound);
  fprintf(f, ",\"alarm\":%d,\"score\":", o->alarm);
  json_number(f, o->score);
  fputc('}', f);
}

/*
 * Series are evaluated in batches of BATCH, the series of a batch shared out between threads,
 * and printed in order; memory stays at BATCH series of results whatever the file holds.
 */
#define BATCH 64
#define MAX_THREADS 64

struct batch {
  const struct fk_counts *c;
  enum fk_detect_method m;
  const struct fk_detect_params *p;
  size_t from, len;            /* the evaluated points */
  size_t first, count;         /* the series of this batch */
  struct fk_detect_point *out; /* BATCH * len */
  int rc[BATCH];
  struct fk_diag diag[BATCH];
  size_t next; /* the next series of the batch to take */
  pthread_mutex_t lock;
};

static void *batch_worker(void *arg)
{
  struct batch *b = arg;
  for (;;) {
    pthread_mutex_lock(&b->lock);
    size_t i = b->next++;
    pthread_mutex_unlock(&b->lock);
    if (i >= b->count) return NULL;
    const struct fk_counts_series *s = &b->c->series[b->first + i];
    struct fk_series series = {s->observed, b->c->n, b->c->start, b->c->step};
    fk_diag_clear(&b->diag[i]);
    b->rc[i] = fk_detect_run(b->m, &series, b->p, b->from, b->from + b->len - 1,
                             b->out + i * b->len, &b->diag[i]);
  }
}

/* Evaluates the batch on `threads` threads (the calling one included). */
static void run_batch(struct batch *b, int threads)
{
  pthread_t tid[MAX_THREADS];
  int started = 0;
  b->next = 0;
  for (int k = 1; k < threads && k < MAX_THREADS; k++)
    if (!pthread_create(&tid[started], NULL, batch_worker, b)) started++;
  batch_worker(b);
  for (int k = 0; k < started; k++)
    pthread_join(tid[k], NULL);
}

/* Prints the rows of batch b, the header before the first; returns an exit status. */
static int print_batch(const struct batch *b, int json, int *first)
{
  for (size_t i = 0; i < b->count; i++) {
    const struct fk_counts_series *s = &b->c->series[b->first + i];
    if (b->rc[i] == FK_EINVAL)
      return fk__usage("detect", "%s: %s", b->diag[i].field, b->diag[i].reason);
    if (b->rc[i]) return fk__fail("%s", fk_strerror(b->rc[i]));
    if (*first) /* the header once the parameters proved good */
      fputs(json ? "[\n" : "date,region_id,channel,observed,expected,upperbound,alarm,score\n",
            stdout);
    for (size_t t = 0; t < b->len; t++, *first = 0)
      print_row(stdout, json, b->c->start + (fk_date)((b->from + t) * (size_t)b->c->step), s,
                s->observed[b->from + t], &b->out[i * b->len + t], *first);
  }
  return FK_EXIT_OK;
}

/* Runs the method over every series and prints; returns an exit status. */
static int run(const struct fk_counts *c, enum fk_detect_method m, const struct fk_detect_params *p,
               size_t from, size_t to, int json, int threads)
{
  int status = FK_EXIT_OK, first = 1;
  struct batch *b = fk_calloc(1, sizeof *b);
  if (b) b->out = fk_calloc(BATCH * (to - from + 1), sizeof *b->out);
  if (!b || !b->out) {
    status = fk__fail("%s", fk_strerror(FK_ENOMEM));
    goto out;
  }
  b->c = c, b->m = m, b->p = p, b->from = from, b->len = to - from + 1;
  pthread_mutex_init(&b->lock, NULL);
  for (b->first = 0; b->first < c->nseries && !status; b->first += BATCH) {
    b->count = c->nseries - b->first < BATCH ? c->nseries - b->first : BATCH;
    run_batch(b, threads);
    status = print_batch(b, json, &first);
  }
  pthread_mutex_destroy(&b->lock);
  if (json && !status) fputs(first ? "[\n]\n" : "\n]\n", stdout);
out:
  if (b) fk_free(b->out);
  fk_free(b);
  return status;
}

/* --threads, or the processors online. */
static int threads_of(const char *s, int *out)
{
  long v = sysconf(_SC_NPROCESSORS_ONLN);
  if (s && fk__parse_long(s, 1, MAX_THREADS, &v))
    return fk__usage("detect", "--threads wants a whole number in [1, %d]", MAX_THREADS);
  *out = v < 1 ? 1 : v > MAX_THREADS ? MAX_THREADS : (int)v;
  return 0;
}

/* The counts of --channel at --level from the store at --db; returns an exit status. */
static int counts_of_store(const struct opts *o, struct fk_counts **c)
{
  struct fk_store *st = NULL;
  struct fk_diag d;
  char msg[1024];
  int level = FK_LEVEL_DISTRICT, rc = 0;
  if (o->level) {
    if ((level = fk_vocab_index(fk_levels, o->level)) < 0)
      return fk__usage("detect", "--level is city, district, street, community or grid");
  }
  fk_diag_clear(&d);
  if ((rc = fk_store_open(o->db, &st, &d)) ||
      (rc = fk_signal_counts(st, o->channel, level, FK_DATE_NONE, FK_DATE_NONE, c, NULL, &d)))
    rc = rc == FK_EINVAL ? fk__usage("detect", "%s", d.reason)
                         : fk__fail("%s", fk_diag_format(&d, msg, sizeof msg));
  fk_store_close(st);
  return rc;
}

int fk__cmd_detect(int argc, char **argv)
{
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  struct opts o;
  int rc = parse_args(argc, argv, &o);
  if (rc) return rc;
  int m = fk_detect_method_find(o.method);
  if (m < 0) return fk__usage("detect", "unknown method '%s'", o.method);
  struct fk_counts *c = NULL;
  long rejected = 0;
  if ((rc = o.db ? counts_of_store(&o, &c) : fk__counts_load(o.input, &c, &rejected))) return rc;
  struct fk_detect_params p;
  size_t from, to;
  fk_detect_defaults((enum fk_detect_method)m, c->step, &p);
  int threads = 1;
  if (!(rc = apply_params(&o, (enum fk_detect_method)m, &p)) &&
      !(rc = fk__range_points("detect", o.range, c, &from, &to)) &&
      !(rc = threads_of(o.threads, &threads)))
    rc = run(c, (enum fk_detect_method)m, &p, from, to, o.format && !strcmp(o.format, "json"),
             threads);
  fk_counts_free(c);
  if (!rc && rejected) rc = FK_EXIT_REJECTS;
  return rc;
}
