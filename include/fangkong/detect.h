/*
 * Aberration detection (异常探测): does today's (or this week's) count stand out from its past?
 *
 * Each method is a plain function over one series of counts, daily or weekly, with the
 * parameter names of R's `surveillance` package (b, w, alpha, k, h, ...) and its defaults, so an
 * epidemiologist can carry settings across and compare outputs (docs/DETECT.md):
 *
 *   threshold            a fixed count (one case of certain diseases is a signal)
 *   cidars-mpm           CIDARS moving percentile: the last 7 days against the same and adjacent
 *                        7-day periods of the past years
 *   ears-c1, -c2, -c3    EARS (earsC), C3 as published or as the package computes it
 *   cusum                algo.cusum
 *   farrington           farringtonFlexible with the 1996 settings
 *   farrington-noufaily  farringtonFlexible with the 2013 (Noufaily) settings
 *
 * A method evaluates the points from..to of a series and writes one struct fk_detect_point per
 * point; a point whose history is too short is "not evaluated" (NaN bounds, alarm 0). Each
 * point uses only the counts up to itself, so results do not change when later data arrive
 * (CUSUM excepted by design: its path starts at `from`). Distribution functions are R's own
 * (libRmath), so quantiles match R's exactly. The functions allocate only working memory, hold
 * no state and may run on many threads at once.
 *
 * Also here: the counts.csv reader (date, region_id, channel, count), which turns a file into
 * series sharing one date axis.
 */
#ifndef FANGKONG_DETECT_H
#define FANGKONG_DETECT_H

#include "fangkong/export.h"

#include <stddef.h>

#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;
struct fk_counts;

/* A series: observed[i] is the count on start + i * step days (step 1 daily, 7 weekly). */
struct fk_series {
  const double *observed; /* borrowed; n counts (whole numbers >= 0) */
  size_t n;
  fk_date start; /* date of observed[0] */
  int step;      /* 1 (daily) or 7 (weekly) */
};

/* What a method says about one point. NaN marks "not available" (R's NA). */
struct fk_detect_point {
  double expected;   /* the baseline's expected count */
  double upperbound; /* the count above which the point alarms (threshold: the count it reaches) */
  double score;      /* the method's statistic (docs/DETECT.md says which) */
  double pvalue;     /* farrington: P(count >= observed) under the model; else NaN */
  double phi;        /* farrington: the overdispersion used; else NaN */
  int alarm;         /* 1 alarm, 0 none */
  int trend;         /* farrington: 1 when the time trend was kept */
  int evaluated;     /* 0 when the history was too short (or the model failed): all NaN */
};

enum fk_cusum_trans {
  FK_CUSUM_STANDARD,    /* (x - m) / sqrt(m) */
  FK_CUSUM_ROSSI,       /* (x - 3m + 2 sqrt(x m)) / (2 sqrt(m)) */
  FK_CUSUM_ANSCOMBE,    /* 3/2 (x^(2/3) - m^(2/3)) / m^(1/6) */
  FK_CUSUM_ANSCOMBE2ND, /* (x^(2/3) - (m^(2/3) - m^(-1/3)/9)) / (2/3 m^(1/6)) */
  FK_CUSUM_PEARSONNB,   /* (x - m) / sqrt(m + alpha m^2) */
  FK_CUSUM_NONE         /* x */
};

enum fk_powertrans { FK_POWER_NONE, FK_POWER_HALF, FK_POWER_TWO_THIRDS };
enum fk_threshold_method { FK_THRESHOLD_DELTA, FK_THRESHOLD_NBPLUGIN, FK_THRESHOLD_MUAN };

/*
 * Every method's settings, named as R names them. One struct for all methods, since a run uses
 * one method; fk_detect_defaults fills the method's defaults and fk_detect_param_set changes one
 * by name. Members a method does not use are ignored.
 */
struct fk_detect_params {
  /* threshold */
  double threshold; /* alarm when the sum over `window` points reaches it (default 1) */
  int window;       /* points summed, the current one included (default 1) */
  /* cidars-mpm (and b, w below) */
  int period;        /* points in one period (default 7 daily, 1 weekly) */
  double percentile; /* alarm above this quantile of the baseline periods (default 0.5) */
  /* EARS */
  int baseline;    /* points in the baseline (default 7) */
  double minSigma; /* floor of the baseline's sd (default 0) */
  int c3_package;  /* C3 as surveillance 1.20.3 computes it (lags only); default 0: published */
  /* CUSUM */
  double k, h; /* reference value and decision interval (1.04, 2.26) */
  double m;    /* reference mean; NaN: mean of all points before `from` */
  enum fk_cusum_trans trans;
  double cusum_alpha; /* pearsonNegBin overdispersion (R: alpha, default 0.1) */
  /* farrington (cidars-mpm uses b and w too) */
  int b;                   /* years back */
  int w;                   /* half window (points) around each reference point */
  int reweight;            /* down-weight past outbreaks by Anscombe residuals */
  double weightsThreshold; /* residuals above it are down-weighted */
  double alpha;            /* one-sided level (EARS: its z is qnorm(1 - alpha)) */
  int trend;               /* fit a time trend when possible */
  double pThresholdTrend;  /* the trend is kept when its p-value is below */
  int limit54[2];          /* no alarm unless >= limit54[0] cases in the last limit54[1] points */
  enum fk_powertrans powertrans;
  int noPeriods;            /* seasonal factor levels between the windows (1: none) */
  int pastWeeksNotIncluded; /* recent points left out of the fit */
  enum fk_threshold_method thresholdMethod;
};

/* Returns the method named name ("ears-c3"), or -1. */
FK_API int fk_detect_method_find(const char *name);
/* Returns the name of a method ("farrington-noufaily"), or "?". */
FK_API const char *fk_detect_method_name(enum fk_detect_method method);

/* Fills *p with the defaults of method for a series of the given step (1 or 7). */
FK_API void fk_detect_defaults(enum fk_detect_method method, int step, struct fk_detect_params *p);

/*
 * Sets parameter key (R's name, e.g. "b", "thresholdMethod", "limit54") of method to the text
 * value ("3", "nbPlugin", "5,4", "TRUE"). Returns 0, or FK_EINVAL for a key the method does not
 * have or a value out of range, with the reason in diag (field = key).
 */
FK_API int fk_detect_param_set(enum fk_detect_method method, struct fk_detect_params *p,
                               const char *key, const char *value, struct fk_diag *diag);

/*
 * Runs method over points from..to (0-based, inclusive, to < s->n) of series s and writes
 * out[0 .. to-from]. Borrows s and p for the call. Returns 0; FK_EINVAL for bad parameters or
 * range (diag says why; cusum without m needs from >= 1); FK_ENOMEM. Points whose history is
 * too short are written with evaluated = 0, not as errors.
 */
FK_API int fk_detect_run(enum fk_detect_method method, const struct fk_series *s,
                         const struct fk_detect_params *p, size_t from, size_t to,
                         struct fk_detect_point *out, struct fk_diag *diag);

/* The methods one by one, as fk_detect_run (which dispatches to them). */
FK_API int fk_detect_threshold(const struct fk_series *s, const struct fk_detect_params *p,
                               size_t from, size_t to, struct fk_detect_point *out,
                               struct fk_diag *diag);
FK_API int fk_detect_cidars_mpm(const struct fk_series *s, const struct fk_detect_params *p,
                                size_t from, size_t to, struct fk_detect_point *out,
                                struct fk_diag *diag);
/* c is 1, 2 or 3. */
FK_API int fk_detect_ears(int c, const struct fk_series *s, const struct fk_detect_params *p,
                          size_t from, size_t to, struct fk_detect_point *out,
                          struct fk_diag *diag);
FK_API int fk_detect_cusum(const struct fk_series *s, const struct fk_detect_params *p, size_t from,
                           size_t to, struct fk_detect_point *out, struct fk_diag *diag);
FK_API int fk_detect_farrington(const struct fk_series *s, const struct fk_detect_params *p,
                                size_t from, size_t to, struct fk_detect_point *out,
                                struct fk_diag *diag);

/*
 * Evaluation (issue 5, item 6): how a method would do on a CDC's own data. Outbreaks are
 * injected into the series (taken as outbreak-free baselines), one per series and replicate,
 * starting at a random point of from..to: Poisson(k x sd) extra cases, sd the series' sample sd
 * before `from` (at least 1), each case on a uniformly drawn point of the `duration` points.
 */
struct fk_eval_setup {
  double k;       /* outbreak size in baseline sds (default 5) */
  int duration;   /* points an outbreak lasts (default 7 daily, 2 weekly) */
  int replicates; /* outbreaks per series (default 10) */
  unsigned long long seed;
};

struct fk_eval_result {
  long outbreaks;      /* injected */
  long detected;       /* with an alarm on one of their points */
  double sensitivity;  /* detected / outbreaks */
  long false_alarms;   /* alarms on the series without outbreaks, points from..to */
  double series_weeks; /* series x evaluated points, in weeks */
  double false_alarms_per_100_weeks;
  double median_days; /* from an outbreak's start to its first alarm, over those detected; NaN
                         when none was */
};

/* Fills *e with the defaults for a series of the given step (1 or 7). */
FK_API void fk_eval_defaults(int step, struct fk_eval_setup *e);

/*
 * Evaluates method with parameters p on every series of c over points from..to (0-based,
 * inclusive; from >= 1, and the outbreak must fit: to - from + 1 >= e->duration). Borrows
 * everything. Returns 0, FK_EINVAL (diag says why), FK_ENOMEM. Deterministic for a seed.
 */
FK_API int fk_evaluate(const struct fk_counts *c, enum fk_detect_method method,
                       const struct fk_detect_params *p, size_t from, size_t to,
                       const struct fk_eval_setup *e, struct fk_eval_result *out,
                       struct fk_diag *diag);

/*
 * Counts files. A file holds one or many series: rows (date, region_id, channel, count), the
 * last three optional in the header except count. Every series spans the file's first to last
 * date; a date without a row counts 0. The step is weekly when every gap between dates is a
 * multiple of 7 days, else daily.
 */
struct fk_counts_series {
  char *region_id; /* "" when the file has no region_id column */
  char *channel;   /* "" when the file has no channel column */
  double *observed;
};

struct fk_counts {
  fk_date start; /* the first date of the file */
  int step;      /* 1 or 7 */
  size_t n;      /* points per series */
  size_t nseries;
  struct fk_counts_series *series; /* sorted by region_id, then channel */
};

/* Called for each rejected row with its file, line, field and reason; the row is skipped. */
typedef void (*fk_counts_reject_fn)(void *arg, const struct fk_diag *why);

/*
 * Parses the size bytes at buf (a counts CSV named name, for messages) into *out, which the
 * caller frees with fk_counts_free. Bad rows (a bad date or count, a duplicate date for a series)
 * are reported to on_reject (may be NULL) and skipped; *nrejected counts them. Returns 0;
 * FK_EPARSE when the header lacks date or count or no row is valid (diag says why); FK_ERANGE
 * when the dates span more than 100 years or series x dates exceed 2^27; FK_ENOMEM.
 */
FK_API int fk_counts_parse(const char *buf, size_t size, const char *name, struct fk_counts **out,
                           fk_counts_reject_fn on_reject, void *arg, long *nrejected,
                           struct fk_diag *diag);

/* Reads the file at path as fk_counts_parse; also FK_EIO when it cannot be read. */
FK_API int fk_counts_read(const char *path, struct fk_counts **out, fk_counts_reject_fn on_reject,
                          void *arg, long *nrejected, struct fk_diag *diag);

/* Frees counts and everything in it (NULL is fine). */
FK_API void fk_counts_free(struct fk_counts *counts);

#endif
