/* fangkong evaluate: each method's sensitivity, false alarms and delay on the user's own counts,
   with simulated outbreaks injected (issue 5, item 6). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/counts_in.h"
#include "fangkong/detect.h"
#include "fangkong/error.h"
#include "fangkong/table.h"

#define MAX_PARAMS 64

static const char help[] =
    "usage: fangkong evaluate --input FILE [--methods LIST] [--param METHOD.KEY=VALUE ...]\n"
    "                         [--range FROM:TO] [--k SDS] [--duration POINTS]\n"
    "                         [--replicates N] [--seed S] [--format table|csv|json]\n"
    "\n"
    "How would each detection method (fangkong detect) do on these counts? The series are taken\n"
    "as baselines without outbreaks: what a method flags on them are false alarms. Then, one at\n"
    "a time, outbreaks are injected at a random point of the range -- Poisson(k x sd) extra\n"
    "cases, sd the series' sd before the range, spread over `duration` points -- and a method\n"
    "detects one when it alarms on one of its points. Prints per method: outbreaks, detected,\n"
    "sensitivity (灵敏度), false alarms per 100 series-weeks (误报), median days from the start\n"
    "of an outbreak to its first alarm (及时性). The same seed gives the same outbreaks.\n"
    "\n"
    "  --input FILE       counts.csv (see fangkong detect --help)\n"
    "  --methods LIST     comma-separated (default: every method)\n"
    "  --param M.K=V      parameter K of method M by R's name, e.g. farrington.b=3\n"
    "  --range FROM:TO    the evaluated dates (default: the last year of the input)\n"
    "  --k SDS            outbreak size in baseline sds (default 5)\n"
    "  --duration N       points an outbreak lasts (default 7 daily, 2 weekly)\n"
    "  --replicates N     outbreaks per series (default 10)\n"
    "  --seed S           (default 1)\n"
    "  --format FORMAT    table (default), csv or json\n";

struct opts {
  const char *input, *methods, *range, *k, *duration, *replicates, *seed, *format;
  const char *params[MAX_PARAMS];
  int nparams;
};

/* Applies the --param options meant for method m; returns 0 or FK_EXIT_USAGE. */
static int apply_params(const struct opts *o, enum fk_detect_method m, struct fk_detect_params *p)
{
  const char *name = fk_detect_method_name(m);
  size_t n = strlen(name);
  for (int i = 0; i < o->nparams; i++) {
    const char *a = o->params[i], *dot = strchr(a, '.'), *eq = strchr(a, '=');
    char key[64];
    if (!dot || !eq || eq < dot || (size_t)(eq - dot - 1) >= sizeof key)
      return fk__usage("evaluate", "--param wants METHOD.KEY=VALUE, not '%s'", a);
    if ((size_t)(dot - a) != n || strncmp(a, name, n)) continue;
    memcpy(key, dot + 1, (size_t)(eq - dot - 1));
    key[eq - dot - 1] = '\0';
    struct fk_diag d;
    fk_diag_clear(&d);
    if (fk_detect_param_set(m, p, key, eq + 1, &d))
      return fk__usage("evaluate", "--param %s: %s", a, d.reason);
  }
  return 0;
}

static int parse_setup(const struct opts *o, int step, struct fk_eval_setup *e)
{
  long v;
  char *end;
  fk_eval_defaults(step, e);
  if (o->k) {
    e->k = strtod(o->k, &end);
    if (end == o->k || *end || !(e->k >= 0 && e->k <= 1000))
      return fk__usage("evaluate", "--k wants a number in [0, 1000], not '%s'", o->k);
  }
  if (o->duration) {
    if (fk__parse_long(o->duration, 1, 366, &v))
      return fk__usage("evaluate", "--duration wants a whole number in [1, 366]");
    e->duration = (int)v;
  }
  if (o->replicates) {
    if (fk__parse_long(o->replicates, 1, 10000, &v))
      return fk__usage("evaluate", "--replicates wants a whole number in [1, 10000]");
    e->replicates = (int)v;
  }
  if (o->seed) {
    if (fk__parse_long(o->seed, 0, 2147483647L, &v))
      return fk__usage("evaluate", "--seed wants a whole number >= 0");
    e->seed = (unsigned long long)v;
  }
  return 0;
}

/* Adds method m's row to t; returns an exit status. */
static int evaluate_one(const struct opts *o, const struct fk_counts *c, enum fk_detect_method m,
                        size_t from, size_t to, const struct fk_eval_setup *e, struct fk_table *t)
{
  struct fk_detect_params p;
  struct fk_eval_result r;
  struct fk_diag d;
  fk_detect_defaults(m, c->step, &p);
  if (m == FK_DETECT_THRESHOLD) p.threshold = 1;
  int rc = apply_params(o, m, &p);
  if (rc) return rc;
  fk_diag_clear(&d);
  rc = fk_evaluate(c, m, &p, from, to, e, &r, &d);
  if (rc == FK_EINVAL) return fk__usage("evaluate", "%s: %s", fk_detect_method_name(m), d.reason);
  if (rc) return fk__fail("%s", fk_strerror(rc));
  char cells[5][32];
  snprintf(cells[0], sizeof cells[0], "%ld", r.outbreaks);
  snprintf(cells[1], sizeof cells[1], "%ld", r.detected);
  snprintf(cells[2], sizeof cells[2], "%.3f", r.sensitivity);
  snprintf(cells[3], sizeof cells[3], "%.3f", r.false_alarms_per_100_weeks);
  snprintf(cells[4], sizeof cells[4], "%g", r.median_days);
  const char *row[] = {fk_detect_method_name(m),
                       cells[0],
                       cells[1],
                       cells[2],
                       cells[3],
                       isnan(r.median_days) ? NULL : cells[4]};
  return fk_table_add(t, row) ? fk__fail("%s", fk_strerror(FK_ENOMEM)) : 0;
}

/* The methods named in list (all when NULL) into ms; returns how many, or -1 after a usage
   error. */
static int methods_of(const char *list, enum fk_detect_method *ms)
{
  int n = 0;
  if (!list) {
    for (int m = 0; m < FK_DETECT_METHOD_COUNT; m++)
      ms[n++] = (enum fk_detect_method)m;
    return n;
  }
  for (const char *at = list; *at && n < FK_DETECT_METHOD_COUNT;) {
    char name[64];
    size_t len = strcspn(at, ",");
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), at);
    int m = fk_detect_method_find(name);
    if (m < 0) return fk__usage("evaluate", "unknown method '%s'", name), -1;
    ms[n++] = (enum fk_detect_method)m;
    at += len + (at[len] == ',');
  }
  return n;
}

int fk__cmd_evaluate(int argc, char **argv)
{
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  struct opts o;
  memset(&o, 0, sizeof o);
  const struct fk__opt opts[] = {{"--input", &o.input, NULL},
                                 {"--methods", &o.methods, NULL},
                                 {"--range", &o.range, NULL},
                                 {"--k", &o.k, NULL},
                                 {"--duration", &o.duration, NULL},
                                 {"--replicates", &o.replicates, NULL},
                                 {"--seed", &o.seed, NULL},
                                 {"--format", &o.format, NULL},
                                 {NULL, NULL, NULL}};
  int rc = fk__parse_opts_repeat("evaluate", argc, argv, opts, "--param", o.params, MAX_PARAMS,
                                 &o.nparams);
  if (rc) return rc;
  enum fk_format fmt = FK_FORMAT_TABLE;
  if (!o.input) return fk__usage("evaluate", "--input FILE is required");
  if (o.format && fk_format_parse(o.format, &fmt))
    return fk__usage("evaluate", "--format must be table, csv or json");
  enum fk_detect_method ms[FK_DETECT_METHOD_COUNT];
  int nm = methods_of(o.methods, ms);
  if (nm < 0) return FK_EXIT_USAGE;
  struct fk_counts *c = NULL;
  long rejected = 0;
  if ((rc = fk__counts_load(o.input, &c, &rejected))) return rc;
  struct fk_eval_setup e;
  size_t from, to;
  static const char *const cols[] = {"method",
                                     "#outbreaks",
                                     "#detected",
                                     "#sensitivity",
                                     "#false_alarms_per_100_series_weeks",
                                     "#median_days_to_detection"};
  struct fk_table *t = fk_table_new(6, cols);
  if (!t) rc = fk__fail("%s", fk_strerror(FK_ENOMEM));
  if (!rc) rc = parse_setup(&o, c->step, &e);
  if (!rc) rc = fk__range_points("evaluate", o.range, c, &from, &to);
  if (!rc && !o.range) { /* the last year */
    size_t year = c->step == 7 ? 52 : 365;
    from = c->n > year ? c->n - year : 1;
  }
  for (int i = 0; i < nm && !rc; i++)
    rc = evaluate_one(&o, c, ms[i], from, to, &e, t);
  if (!rc)
    fk_table_print(t, fmt, "Detection methods on simulated outbreaks (模拟暴发评价)", stdout);
  fk_table_free(t);
  fk_counts_free(c);
  if (!rc && rejected) rc = FK_EXIT_REJECTS;
  return rc;
}
