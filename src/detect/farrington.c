/*
 * Farrington (1996) and Farrington-Noufaily (2013), as surveillance's farringtonFlexible
 * (1.20.3). For each evaluated point: the reference points b years back (same date; for weekly
 * series the nearest same weekday), windows of +-w points around them, optionally noPeriods - 1
 * seasonal levels filling the gaps; the last pastWeeksNotIncluded points and the current one
 * left out; a quasi-Poisson GLM with a trend, refitted after down-weighting past outbreaks by
 * their Anscombe residuals; the trend dropped unless significant, not extrapolating beyond the
 * data and b >= 3; then the upper bound by the delta method on the 2/3-power scale (Farrington)
 * or from a negative binomial quantile (Noufaily: nbPlugin, or muan which uses the upper
 * quantile of the mean). No alarm unless limit54 cases were seen in the last weeks.
 *
 * Two of R's quirks are reproduced because its outputs are the reference: the standard error of
 * the prediction and the trend's p-value use a dispersion computed from the Anscombe weights in
 * place of the working weights (farringtonFlexible stores the weights over the model's
 * `weights`), and the Noufaily score is computed against the linear predictor, not the mean.
 * docs/DETECT.md lists them.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "detect/detect_impl.h"
#include "detect/glm.h"
#include "detect/lanes.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

/* A run of points of one level: from .. to (inclusive). */
struct span {
  long from, to;
};

/* Working memory for one series, allocated once. */
struct work {
  struct span *span; /* the runs of one evaluation, (b + 1) x noPeriods (see mark_spans) */
  /* per point of the series, with room after it: y, y log y, log(y + 0.1), y^(2/3) */
  double *s_y, *s_ylogy, *s_ly01, *s_y23;
  /* per row of a fit */
  double *y, *t, *ylogy, *ly01, *y23, *omega, *eta, *mu, *w, *pw;
  double *ones;                        /* the first fit's prior weights: 1, or 0 on padding rows */
  int *level;                          /* compact level of each data row */
  int *ti;                             /* time of each data row */
  size_t start[FK__GLM_MAXLEVELS + 1]; /* where each level's rows start */
  double *a; /* the reweighting's weights before scaling (see fk__glm_anscombe) */
};

static void work_free(struct work *wk)
{
  fk_free(wk->span), fk_free(wk->y), fk_free(wk->t), fk_free(wk->omega);
  fk_free(wk->eta), fk_free(wk->mu), fk_free(wk->w), fk_free(wk->level), fk_free(wk->a);
  fk_free(wk->ti);
  fk_free(wk->s_y), fk_free(wk->s_ylogy), fk_free(wk->s_ly01), fk_free(wk->s_y23);
  fk_free(wk->ylogy), fk_free(wk->ly01), fk_free(wk->y23), fk_free(wk->pw), fk_free(wk->ones);
}

static int work_alloc(const struct fk_series *s, const struct fk_detect_params *p, struct work *wk)
{
  /* rows, their padding and copy_span's overrun (three); the power tables (glm.h) need the
     largest time + 64 */
  size_t n = s->n + FK__GLM_LANES * FK__GLM_MAXLEVELS;
  memset(wk, 0, sizeof *wk);
  wk->span = fk_calloc((size_t)(p->b + 1) * (size_t)p->noPeriods, sizeof *wk->span);
  wk->level = fk_calloc(n, sizeof *wk->level);
  wk->ti = fk_calloc(n, sizeof *wk->ti);
  double **d[] = {&wk->y,       &wk->t,      &wk->omega, &wk->eta, &wk->mu, &wk->w,
                  &wk->a,       &wk->ylogy,  &wk->ly01,  &wk->y23, &wk->pw, &wk->s_y,
                  &wk->s_ylogy, &wk->s_ly01, &wk->s_y23, &wk->ones};
  int ok = wk->span && wk->level && wk->ti;
  for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
    ok &= (*d[i] = fk_calloc(n, sizeof **d[i])) != NULL;
  if (!ok) return FK_ENOMEM;
  for (size_t i = 0; i < s->n; i++) {
    double y = s->observed[i];
    wk->s_ylogy[i] = y > 0 ? y * log(y) : 0;
    wk->s_y[i] = y, wk->s_ly01[i] = log(y + 0.1);
    wk->s_y23[i] = pow(y, 2.0 / 3);
  }
  return 0;
}

/* One evaluation's data: the rows, the level of the current point and its time. */
struct model_data {
  struct fk__glm_data d;
  int now_level; /* compact level of the current window */
  double t0;     /* wtime of the current point */
  double ymax;   /* largest count in the fit */
};

/*
 * The windows and seasonal blocks of point k as R's blocks() marks them, as runs of points:
 * sp[y * noPeriods] the window of year y back (y = 0 the current one), sp[y * noPeriods + j]
 * the j-th period after year y's reference point (y >= 1, j = 1 .. noPeriods - 1, at level j;
 * windows are at level noPeriods). Windows that overlap (noPeriods 1 and w near half a year)
 * are cut so each point is in one run. Returns 0, or -1 when a reference point lies before
 * the series or the periods cannot hold noPeriods - 1 blocks.
 */
static int mark_spans(const struct fk_series *s, const struct fk_detect_params *p, size_t k,
                      struct span *sp)
{
  long prev = (long)k, np = p->noPeriods;
  sp[0] = (struct span){(long)k - p->w, (long)k};
  for (long j = 1; j < np; j++)
    sp[j] = (struct span){0, -1};
  for (int y = 1; y <= p->b; y++) {
    long ref = fk__year_back(s, k, y), newer = sp[(y - 1) * np].from;
    if (ref < 0 || ref >= prev) return -1;
    struct span *row = sp + y * np;
    row[0] = (struct span){ref - p->w, ref + p->w < newer ? ref + p->w : newer - 1};
    if (np != 1) {
      long period = prev - 2 * p->w - 1 - ref, start = ref + p->w + 1;
      if (period < np - 1) return -1;
      long len = period / (np - 1), rest = period % (np - 1);
      for (long j = 1; j < np; j++) {
        long l = len + (j <= rest);
        row[j] = (struct span){start, start + l - 1};
        start += l;
      }
    }
    prev = ref;
  }
  return 0;
}

/* The run of span sp that falls in 0 .. last (empty: to < from). */
static struct span clip(struct span sp, long last)
{
  return (struct span){sp.from < 0 ? 0 : sp.from, sp.to > last ? last : sp.to};
}

/* Pads level rows from `from` up to `to` (exclusive) with rows of prior weight 0 at time t (any
   finite log(y + 0.1) will do: the row adds nothing). */
static void pad(struct work *wk, size_t from, size_t to, int level, double t)
{
  for (size_t r = from; r < to; r++) {
    wk->y[r] = wk->ylogy[r] = wk->y23[r] = wk->ones[r] = 0;
    wk->ly01[r] = -1, wk->t[r] = t, wk->ti[r] = (int)t, wk->level[r] = level;
  }
}

/*
 * Copies the points of span sp (clipped) into rows r.. at level `level`; returns the next row
 * and raises *ymax to the largest count copied. Four rows at a time: up to three rows past the
 * span are written too (and read from the per-point arrays, which have room), to be overwritten
 * by the next span, the padding or the next level (levels are filled in order).
 */
FK__LANES_CLONES
static size_t copy_span(struct work *wk, struct span sp, long origin, int level, size_t r,
                        double *ymax)
{
  const double *restrict obs = wk->s_y + sp.from, *restrict ylogy = wk->s_ylogy + sp.from;
  const double *restrict ly01 = wk->s_ly01 + sp.from, *restrict y23 = wk->s_y23 + sp.from;
  double *restrict oy = wk->y + r, *restrict ot = wk->t + r, *restrict oylogy = wk->ylogy + r;
  double *restrict oly01 = wk->ly01 + r, *restrict oy23 = wk->y23 + r, *restrict one = wk->ones + r;
  int *restrict oti = wk->ti + r, *restrict olevel = wk->level + r;
  long len = sp.to - sp.from + 1, t0 = sp.from - origin;
  double m = *ymax;
  for (long i = 0; i < len; i++)
    m = obs[i] > m ? obs[i] : m;
  *ymax = m;
  fk__vd iota = {0, 1, 2, 3}, ones = FK__VSPLAT(1.0), v;
  fk__vi iiota = {0, 1, 2, 3}, lv = {level, level, level, level}, iv;
  for (long i = 0; i < len; i += FK__LANES) {
    FK__VLOAD(v, obs + i), FK__VSTORE(oy + i, v);
    FK__VLOAD(v, ylogy + i), FK__VSTORE(oylogy + i, v);
    FK__VLOAD(v, ly01 + i), FK__VSTORE(oly01 + i, v);
    FK__VLOAD(v, y23 + i), FK__VSTORE(oy23 + i, v);
    v = FK__VSPLAT((double)(t0 + i)) + iota, FK__VSTORE(ot + i, v), FK__VSTORE(one + i, ones);
    iv = (int)(t0 + i) + iiota, memcpy(oti + i, &iv, sizeof iv);
    memcpy(olevel + i, &lv, sizeof lv);
  }
  return r + (size_t)(len > 0 ? len : 0);
}

/* Gathers the rows of the fit for point k into wk and md, grouped by level (each level one run
   of rows, in time order, padded for glm.c's vector steps: see glm.h); returns 0 or -1 (no
   usable data). */
static int gather(const struct fk_series *s, const struct fk_detect_params *p, size_t k,
                  struct work *wk, struct model_data *md)
{
  if (mark_spans(s, p, k, wk->span)) return -1;
  int np = p->noPeriods, code[FK__GLM_MAXLEVELS + 1];
  size_t count[FK__GLM_MAXLEVELS + 1] = {0}, n = 0;
  long last = (long)k - p->pastWeeksNotIncluded - 1, origin = last + 1;
  for (int y = 0; y <= p->b; y++)
    for (int j = 0; j < np; j++) {
      struct span sp = clip(wk->span[y * np + j], last);
      if (sp.from > sp.to) continue;
      count[j ? j : np] += (size_t)(sp.to - sp.from + 1), n += (size_t)(sp.to - sp.from + 1);
      if (sp.from < origin) origin = sp.from;
    }
  if (n == 0 || count[np] == 0) return -1;
  int nlevels = 0; /* levels numbered in R's factor order (ascending), first one the reference */
  size_t sum = 0;
  for (int v = 1; v <= np; v++) {
    code[v] = count[v] ? nlevels : -1;
    if (!count[v]) continue;
    wk->start[nlevels++] = sum;
    sum += (count[v] + FK__GLM_LANES - 1) / FK__GLM_LANES * FK__GLM_LANES;
  }
  wk->start[nlevels] = sum;
  md->ymax = 0;
  for (int v = 1; v <= np; v++) {
    if (code[v] < 0) continue;
    size_t r = wk->start[code[v]];
    for (int y = p->b; y >= (v == np ? 0 : 1); y--) { /* oldest first */
      struct span sp = clip(wk->span[y * np + (v == np ? 0 : v)], last);
      r = copy_span(wk, sp, origin, code[v], r, &md->ymax);
    }
    pad(wk, r, wk->start[code[v] + 1], code[v], wk->t[r - 1]);
  }
  md->d = (struct fk__glm_data){.n = sum,
                                .rows = n,
                                .y = wk->y,
                                .t = wk->t,
                                .ti = wk->ti,
                                .level = wk->level,
                                .start = wk->start,
                                .nlevels = nlevels,
                                .tmax = (double)(last - origin),
                                .ylogy = wk->ylogy,
                                .ly01 = wk->ly01};
  md->now_level = code[np];
  md->t0 = (double)((long)k - origin);
  return 0;
}

/* The fitted model of farringtonFlexible's fitFun, with the two dispersions it uses. */
struct model {
  struct fk__glm_fit fit;
  double phi;  /* max(dispersion, 1), the overdispersion of the thresholds */
  double disp; /* the dispersion summary() then sees (see the file's comment) */
};

/* Farrington's reweighting: the prior weights omega of the refit from the Anscombe residuals
   of the first fit, scaled to sum to the number of rows. */
static void anscombe_weights(struct model_data *md, struct model *m, double threshold,
                             struct work *wk)
{
  const struct fk__glm_data *d = &md->d;
  double sum = fk__glm_anscombe(d, &m->fit, m->phi, threshold, wk->y23, wk->a);
  double gamma = (double)d->rows / sum;
  for (size_t i = 0; i < d->n; i++)
    wk->omega[i] = gamma * wk->a[i];
}

/* farringtonFlexible's fitFun: returns 0, or -1 when no model converges (R returns NULL). */
static int fit_model(struct model_data *md, const struct fk_detect_params *p, int trend,
                     struct work *wk, struct model *m)
{
  md->d.prior = wk->ones;
  m->fit.w2 = wk->eta, m->fit.mu = wk->mu, m->fit.w = wk->w, m->fit.pw = wk->pw;
  if (fk__glm_fit(&md->d, trend, &m->fit)) return -1;
  if (!m->fit.converged && trend && fk__glm_fit(&md->d, 0, &m->fit)) return -1;
  if (!m->fit.converged) return -1;
  double disp_prior;
  fk__glm_dispersions(&md->d, &m->fit, &m->disp, &disp_prior);
  if (isnan(m->disp)) return -1; /* no residual degrees of freedom: R stops with an error */
  m->phi = fmax(m->disp, 1);
  if (!p->reweight) return 0;
  anscombe_weights(md, m, p->weightsThreshold, wk);
  md->d.prior = wk->omega;
  if (fk__glm_fit(&md->d, m->fit.trend, &m->fit)) return -1;
  fk__glm_dispersions(&md->d, &m->fit, &m->phi, &m->disp);
  m->phi = fmax(m->phi, 1);
  if (isnan(m->disp)) return -1;
  return 0;
}

static double linkinv(double eta)
{
  double m = exp(eta);
  return m > DBL_EPSILON ? m : DBL_EPSILON;
}

/* algo.farrington.glm: fits, keeps or drops the trend; returns 0 or -1 (no model). */
static int fit_point(struct model_data *md, const struct fk_detect_params *p, struct work *wk,
                     struct model *m, int *kept)
{
  *kept = 0;
  if (fit_model(md, p, p->trend, wk, m)) return -1;
  if (!m->fit.trend) return 0;
  double eta0 = fk__glm_eta(&m->fit, md->now_level, md->t0);
  double tval = m->fit.beta_t / sqrt(m->disp / m->fit.s);
  double pv = 2 * fk__pt_lower(-fabs(tval), m->fit.df);
  *kept = p->b >= 3 && pv < p->pThresholdTrend && linkinv(eta0) <= md->ymax;
  if (*kept) return 0;
  return fit_model(md, p, 0, wk, m);
}

struct bounds {
  double upper, prob, score, expected;
};

static double power_of(enum fk_powertrans pt)
{
  return pt == FK_POWER_NONE ? 1 : pt == FK_POWER_HALF ? 0.5 : 2.0 / 3;
}

/* algo.farrington.threshold.farrington: the delta method on a power scale. */
static void delta_bounds(double eta0, double se_eta, double phi, const struct fk_detect_params *p,
                         double y, struct bounds *b)
{
  double mu0 = linkinv(eta0), se_mu = se_eta * mu0, e = power_of(p->powertrans);
  double tau = phi + se_mu * se_mu / mu0;
  double se = e == 1 ? sqrt(mu0 * tau) : e == 0.5 ? sqrt(tau / 4) : sqrt(4.0 / 9 * cbrt(mu0) * tau);
  b->upper = pow(pow(mu0, e) + fk__qnorm(1 - p->alpha, 0, 1) * se, 1 / e);
  b->prob = fk__pnorm_upper(pow(y, e), pow(mu0, e), se);
  b->score = isnan(b->upper) ? NAN : (y - mu0) / (b->upper - mu0);
  b->expected = mu0;
}

/* algo.farrington.threshold.noufaily: negative binomial quantiles. */
static void noufaily_bounds(double eta0, double se_eta, double phi,
                            const struct fk_detect_params *p, double y, struct bounds *b)
{
  double mu = p->thresholdMethod == FK_THRESHOLD_NBPLUGIN
                  ? exp(eta0)
                  : exp(fk__qnorm(1 - p->alpha, eta0, se_eta));
  b->expected = exp(eta0);
  if (isinf(mu)) {
    b->upper = b->prob = b->score = NAN;
    return;
  }
  if (phi > 1) {
    b->upper = fk__qnbinom(1 - p->alpha, mu / (phi - 1), 1 / phi);
    b->prob = fk__pnbinom_upper(y - 1, mu / (phi - 1), 1 / phi);
  } else {
    b->upper = fk__qpois(1 - p->alpha, mu);
    b->prob = fk__ppois_upper(y - 1, mu);
  }
  b->score = isnan(b->upper) ? NAN : (y - eta0) / (b->upper - eta0);
}

static void evaluate(const struct fk_series *s, const struct fk_detect_params *p, size_t k,
                     struct work *wk, struct fk_detect_point *o)
{
  struct model_data md;
  struct model m;
  int kept;
  fk__point_na(o);
  if (gather(s, p, k, wk, &md) || fit_point(&md, p, wk, &m, &kept)) return;
  double eta0 = fk__glm_eta(&m.fit, md.now_level, md.t0);
  double se_eta = sqrt(fk__glm_var0(&m.fit, md.now_level, md.t0) * m.disp), y = s->observed[k];
  struct bounds b;
  if (p->thresholdMethod == FK_THRESHOLD_DELTA)
    delta_bounds(eta0, se_eta, m.phi, p, y, &b);
  else
    noufaily_bounds(eta0, se_eta, m.phi, p, y, &b);
  double recent = 0;
  for (long i = (long)k - p->limit54[1] + 1; i <= (long)k; i++)
    if (i >= 0) recent += s->observed[i];
  int enough = recent >= p->limit54[0];
  o->evaluated = 1;
  o->phi = m.phi, o->pvalue = b.prob, o->score = b.score, o->trend = kept;
  o->upperbound = enough ? b.upper : NAN;
  o->expected = enough && !isnan(b.upper) ? b.expected : NAN;
  o->alarm = enough && !isnan(b.score) && b.score > 1 && y != 0;
}

int fk_detect_farrington(const struct fk_series *s, const struct fk_detect_params *p, size_t from,
                         size_t to, struct fk_detect_point *out, struct fk_diag *diag)
{
  assert(s && p && out && from <= to && to < s->n);
  if (p->b < 1 || p->w < 0 || p->noPeriods < 1 || p->noPeriods > FK__GLM_MAXLEVELS ||
      p->pastWeeksNotIncluded < 0 || p->limit54[1] < 1 || !(p->alpha > 0 && p->alpha < 1))
    return fk_diag_set(diag, FK_EINVAL, "b",
                       "need b >= 1, w >= 0, 1 <= noPeriods <= %d, pastWeeksNotIncluded >= 0, "
                       "limit54 points >= 1, 0 < alpha < 1",
                       FK__GLM_MAXLEVELS);
  struct work wk;
  int rc = work_alloc(s, p, &wk);
  if (rc) goto out;
  for (size_t k = from; k <= to; k++)
    evaluate(s, p, k, &wk, &out[k - from]);
out:
  work_free(&wk);
  return rc;
}
