/*
 * Method names, their defaults (R's, see docs/DETECT.md) and parameters set by R's names. The
 * defaults are the published settings of each algorithm, not local rules: a CDC tunes them per
 * disease with --param (docs/DETECT.md lists every parameter and default).
 */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_impl.h"
#include "fangkong/vocab.h"
#include "fangkong/error.h"

int fk_detect_method_find(const char *name)
{
  assert(name);
  int i = fk_vocab_index(fk_detect_methods, name);
  return i < 0 ? -1 : i;
}

const char *fk_detect_method_name(enum fk_detect_method method)
{
  return (unsigned)method < FK_DETECT_METHOD_COUNT ? fk_detect_methods[method] : "?";
}

void fk_detect_defaults(enum fk_detect_method method, int step, struct fk_detect_params *p)
{
  assert(p && (step == 1 || step == 7));
  memset(p, 0, sizeof *p);
  p->threshold = 1, p->window = 1;
  p->period = step == 1 ? 7 : 1, p->percentile = 0.5;
  p->baseline = 7, p->minSigma = 0, p->c3_package = 0;
  p->k = 1.04, p->h = 2.26, p->m = NAN, p->trans = FK_CUSUM_STANDARD, p->cusum_alpha = 0.1;
  /* farringtonFlexible with the original Farrington (1996) settings */
  p->b = 5, p->w = 3, p->reweight = 1, p->weightsThreshold = 1, p->alpha = 0.05, p->trend = 1;
  p->pThresholdTrend = 0.05, p->limit54[0] = 5, p->limit54[1] = 4;
  p->powertrans = FK_POWER_TWO_THIRDS, p->noPeriods = 1, p->pastWeeksNotIncluded = 3;
  p->thresholdMethod = FK_THRESHOLD_DELTA;
  switch (method) {
  case FK_DETECT_CIDARS_MPM:
    p->b = 3, p->w = 2; /* CIDARS: 3 years, the period and 2 periods each side: 15 values */
    break;
  case FK_DETECT_EARS_C1:
  case FK_DETECT_EARS_C2:
    p->alpha = 0.001;
    break;
  case FK_DETECT_EARS_C3:
    p->alpha = 0.025;
    break;
  case FK_DETECT_FARRINGTON_NOUFAILY: /* Noufaily et al. (2013), as in Salmon et al. (2016) */
    p->weightsThreshold = 2.58, p->pThresholdTrend = 1, p->noPeriods = 10;
    p->pastWeeksNotIncluded = 26, p->thresholdMethod = FK_THRESHOLD_NBPLUGIN;
    break;
  default:
    break;
  }
}

enum kind { INT, REAL, BOOL, PAIR, CHOICE, MAYBE_REAL };

#define M(x) (1u << FK_DETECT_##x)
#define EARS (M(EARS_C1) | M(EARS_C2) | M(EARS_C3))
#define FARR (M(FARRINGTON) | M(FARRINGTON_NOUFAILY))

struct param {
  const char *name;
  enum kind kind;
  size_t off;
  double min, max;
  unsigned methods;
  const char *const *choices; /* CHOICE: values in enum order, NULL-terminated */
};

static const char *const trans_names[] = {"standard",      "rossi", "anscombe", "anscombe2nd",
                                          "pearsonNegBin", "none",  NULL};
static const char *const power_names[] = {"none", "1/2", "2/3", NULL};
static const char *const thr_names[] = {"delta", "nbPlugin", "muan", NULL};
static const char *const c3_names[] = {"published", "surveillance", NULL};

#define OFF(m) offsetof(struct fk_detect_params, m)
static const struct param params[] = {
    {"threshold", REAL, OFF(threshold), 0, 1e15, M(THRESHOLD), NULL},
    {"window", INT, OFF(window), 1, 366, M(THRESHOLD), NULL},
    {"period", INT, OFF(period), 1, 366, M(CIDARS_MPM), NULL},
    {"percentile", REAL, OFF(percentile), 0, 1, M(CIDARS_MPM), NULL},
    {"baseline", INT, OFF(baseline), 3, 366, EARS, NULL},
    {"minSigma", REAL, OFF(minSigma), 0, 1e15, EARS, NULL},
    {"C3", CHOICE, OFF(c3_package), 0, 0, M(EARS_C3), c3_names},
    {"k", REAL, OFF(k), 0, 1e6, M(CUSUM), NULL},
    {"h", REAL, OFF(h), 0, 1e6, M(CUSUM), NULL},
    {"m", MAYBE_REAL, OFF(m), 1e-300, 1e15, M(CUSUM), NULL},
    {"trans", CHOICE, OFF(trans), 0, 0, M(CUSUM), trans_names},
    {"alpha", REAL, OFF(cusum_alpha), 0, 1e6, M(CUSUM), NULL},
    {"b", INT, OFF(b), 1, 50, FARR | M(CIDARS_MPM), NULL},
    {"w", INT, OFF(w), 0, 60, FARR | M(CIDARS_MPM), NULL},
    {"reweight", BOOL, OFF(reweight), 0, 1, FARR, NULL},
    {"weightsThreshold", REAL, OFF(weightsThreshold), 0, 1e6, FARR, NULL},
    {"alpha", REAL, OFF(alpha), 1e-12, 0.5, FARR | EARS, NULL},
    {"trend", BOOL, OFF(trend), 0, 1, FARR, NULL},
    {"pThresholdTrend", REAL, OFF(pThresholdTrend), 0, 1, FARR, NULL},
    {"limit54", PAIR, OFF(limit54), 0, 1000, FARR, NULL},
    {"powertrans", CHOICE, OFF(powertrans), 0, 0, FARR, power_names},
    {"noPeriods", INT, OFF(noPeriods), 1, 52, FARR, NULL},
    {"pastWeeksNotIncluded", INT, OFF(pastWeeksNotIncluded), 0, 520, FARR, NULL},
    {"thresholdMethod", CHOICE, OFF(thresholdMethod), 0, 0, FARR, thr_names},
};

static int parse_real(const char *s, double min, double max, double *out)
{
  char *end;
  double v = strtod(s, &end);
  if (!*s || *end || !(v >= min && v <= max)) return -1;
  *out = v;
  return 0;
}

static int parse_int(const char *s, double min, double max, int *out)
{
  double v;
  if (parse_real(s, min, max, &v) || v != floor(v)) return -1;
  *out = (int)v;
  return 0;
}

static int parse_bool(const char *s, int *out)
{
  static const char *const yes[] = {"TRUE", "true", "T", "1", NULL}, *const no[] = {"FALSE",
                                                                                    "false", "F",
                                                                                    "0", NULL};
  if (fk_vocab_index(yes, s) >= 0) return *out = 1, 0;
  if (fk_vocab_index(no, s) >= 0) return *out = 0, 0;
  return -1;
}

static int parse_choice(const char *s, const char *const *choices, int *out)
{
  int i = fk_vocab_index(choices, s);
  return i < 0 ? -1 : (*out = i, 0);
}

/* "5,4" (R's c(5,4)); the period must be at least 1. */
static int parse_pair(const char *s, int out[2])
{
  char a[32];
  const char *comma = strchr(s, ',');
  if (!comma || (size_t)(comma - s) >= sizeof a) return -1;
  memcpy(a, s, (size_t)(comma - s));
  a[comma - s] = '\0';
  int x, y;
  if (parse_int(a, 0, 1000, &x) || parse_int(comma + 1, 1, 1000, &y)) return -1;
  out[0] = x, out[1] = y;
  return 0;
}

static int set_one(const struct param *q, struct fk_detect_params *p, const char *value)
{
  char *at = (char *)p + q->off;
  switch (q->kind) {
  case INT:
    return parse_int(value, q->min, q->max, (int *)(void *)at);
  case REAL:
    return parse_real(value, q->min, q->max, (double *)(void *)at);
  case MAYBE_REAL:
    if (!strcmp(value, "NULL")) return *(double *)(void *)at = NAN, 0;
    return parse_real(value, q->min, q->max, (double *)(void *)at);
  case BOOL:
    return parse_bool(value, (int *)(void *)at);
  case PAIR:
    return parse_pair(value, (int *)(void *)at);
  case CHOICE: {
    int v;
    if (parse_choice(value, q->choices, &v)) return -1;
    *(int *)(void *)at = v; /* every CHOICE member is an int-sized enum or int */
    return 0;
  }
  }
  return -1;
}

static void expected_text(const struct param *q, char *buf, size_t size)
{
  size_t at = 0;
  buf[0] = '\0';
  switch (q->kind) {
  case BOOL:
    snprintf(buf, size, "TRUE or FALSE");
    return;
  case PAIR:
    snprintf(buf, size, "two whole numbers 'cases,points' (points >= 1)");
    return;
  case CHOICE:
    for (int i = 0; q->choices[i] && at < size; i++)
      at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "one of ", q->choices[i]);
    return;
  default:
    snprintf(buf, size, "a %snumber in [%g, %g]%s", q->kind == INT ? "whole " : "", q->min, q->max,
             q->kind == MAYBE_REAL ? " or NULL" : "");
  }
}

int fk_detect_param_set(enum fk_detect_method method, struct fk_detect_params *p, const char *key,
                        const char *value, struct fk_diag *diag)
{
  assert(p && key && value && (unsigned)method < FK_DETECT_METHOD_COUNT);
  char names[512] = "", want[256];
  size_t at = 0;
  for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
    const struct param *q = &params[i];
    if (!(q->methods & (1u << method))) continue;
    if (!strcmp(q->name, key)) {
      if (!set_one(q, p, value)) return 0;
      expected_text(q, want, sizeof want);
      return fk_diag_set(diag, FK_EINVAL, key, "'%s' is not valid: want %s", value, want);
    }
    if (at < sizeof names)
      at += (size_t)snprintf(names + at, sizeof names - at, "%s%s", at ? ", " : "", q->name);
  }
  return fk_diag_set(diag, FK_EINVAL, key, "%s has no parameter '%s' (its parameters: %s)",
                     fk_detect_methods[method], key, names);
}

int fk_detect_run(enum fk_detect_method method, const struct fk_series *s,
                  const struct fk_detect_params *p, size_t from, size_t to,
                  struct fk_detect_point *out, struct fk_diag *diag)
{
  assert(s && p && out);
  if (from > to || to >= s->n || (s->step != 1 && s->step != 7))
    return fk_diag_set(diag, FK_EINVAL, "range", "points %zu..%zu do not lie in a series of %zu",
                       from, to, s->n);
  switch (method) {
  case FK_DETECT_THRESHOLD:
    return fk_detect_threshold(s, p, from, to, out, diag);
  case FK_DETECT_CIDARS_MPM:
    return fk_detect_cidars_mpm(s, p, from, to, out, diag);
  case FK_DETECT_EARS_C1:
  case FK_DETECT_EARS_C2:
  case FK_DETECT_EARS_C3:
    return fk_detect_ears(1 + (int)(method - FK_DETECT_EARS_C1), s, p, from, to, out, diag);
  case FK_DETECT_CUSUM:
    return fk_detect_cusum(s, p, from, to, out, diag);
  case FK_DETECT_FARRINGTON:
  case FK_DETECT_FARRINGTON_NOUFAILY:
    return fk_detect_farrington(s, p, from, to, out, diag);
  default:
    return fk_diag_set(diag, FK_EINVAL, "method", "no such method");
  }
}
