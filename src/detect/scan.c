/*
 * The space-time permutation scan (see fangkong/scan.h): the study's margins, the observed
 * best cylinder of each centre, the replicates, and the clusters reported as SaTScan reports
 * them -- the most likely first, then each next best centre sharing no location with a cluster
 * already reported.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect/scan_impl.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

int64_t fk__scan_table_max = 1 << 22;

/* Checks the parameters and the period; returns 0 or FK_EINVAL / FK_ERANGE with diag set. */
static int check_params(const struct fk_scan_params *p, fk_date start, fk_date end,
                        struct fk_diag *diag)
{
  if (p->max_days < 1 || p->max_days > FK_SCAN_MAX_DAYS)
    return fk_diag_set(diag, FK_EINVAL, "max_days", "must be 1 to %d days", FK_SCAN_MAX_DAYS);
  if (!(p->max_share > 0 && p->max_share <= 1))
    return fk_diag_set(diag, FK_EINVAL, "max_share", "must be above 0 and at most 1");
  if (p->replicates < 0 || p->replicates > FK_SCAN_MAX_REPLICATES)
    return fk_diag_set(diag, FK_EINVAL, "replicates", "must be 0 to %d", FK_SCAN_MAX_REPLICATES);
  if (p->threads < 0)
    return fk_diag_set(diag, FK_EINVAL, "threads", "must be 0 (all cores) or more");
  if (end < start)
    return fk_diag_set(diag, FK_EINVAL, "end", "the study period ends before it starts");
  if ((int64_t)end - start + 1 > FK_SCAN_MAX_DAYS)
    return fk_diag_set(diag, FK_ERANGE, "start", "the study period is longer than %d days",
                       FK_SCAN_MAX_DAYS);
  return 0;
}

/* Frees what the study owns (a zeroed or half-built study is fine). */
void fk__scan_study_free(struct fk__scan_study *s)
{
  fk_free(s->cz);
  fk_free(s->obs);
  fk_free(s->cases);
  fk_free(s->nb_off);
  fk_free(s->nb);
  fk_free(s->xlogx);
  fk_free(s->logi);
  fk_free(s->logrest);
  fk_free(s->floor0);
}

/* Cases per location, per day and per (location, age) inside the period; the case list. */
static int margins(struct fk__scan_study *s, int64_t *outside)
{
  const struct fk_scan_input *in = s->in;
  const size_t k = (size_t)s->k, kp = (size_t)s->kp;
  int64_t perday[FK_SCAN_MAX_DAYS] = {0};
  *outside = 0;
  s->cz = fk_calloc(s->nloc + 1, sizeof *s->cz);
  s->obs = fk_calloc(s->nloc * kp + 1, sizeof *s->obs);
  if (!s->cz || !s->obs) return FK_ENOMEM;
  for (size_t i = 0; i < in->ncells; i++) {
    const struct fk__scan_cell *c = &in->cells[i];
    if (c->day < s->start || c->day > s->end) {
      *outside += c->n;
      continue;
    }
    int age = (int)(s->end - c->day);
    s->cz[c->loc] += c->n;
    perday[age] += c->n;
    s->C += c->n;
    if ((size_t)age < k) s->obs[c->loc * kp + (size_t)age] += (int32_t)c->n;
  }
  for (size_t a = 0; a < k; a++) {
    s->s[a] = perday[a] + (a ? s->s[a - 1] : 0);
    for (size_t z = 0; a && z < s->nloc; z++)
      s->obs[z * kp + a] += s->obs[z * kp + a - 1];
  }
  s->recent = s->s[k - 1];
  if (!(s->cases = fk_malloc(((size_t)s->C + 1) * sizeof *s->cases))) return FK_ENOMEM;
  for (size_t z = 0, at = 0; z < s->nloc; z++)
    for (int64_t j = 0; j < s->cz[z]; j++)
      s->cases[at++] = (uint32_t)z;
  return 0;
}

/* The LLR tables (see fk__scan_stat); skipped for large studies. Returns 0 or FK_ENOMEM. */
static int tables(struct fk__scan_study *s)
{
  const size_t w = (size_t)s->maxcz + 1;
  const double C = (double)s->C;
  if (!s->C || s->C > fk__scan_table_max || (int64_t)((size_t)s->k * w) > fk__scan_table_max)
    return 0;
  s->xlogx = fk_malloc(((size_t)s->C + 1) * sizeof *s->xlogx);
  s->logi = fk_malloc(w * sizeof *s->logi);
  s->logrest = fk_malloc((size_t)s->k * w * sizeof *s->logrest);
  if (!s->xlogx || !s->logi || !s->logrest) return FK_ENOMEM;
  s->xlogx[0] = 0;
  for (int64_t x = 1; x <= s->C; x++)
    s->xlogx[x] = (double)x * log((double)x);
  s->logi[0] = 0;
  for (size_t x = 1; x < w; x++)
    s->logi[x] = log((double)x);
  for (int a = 0; a < s->k; a++) {
    s->logs[a] = s->s[a] ? log((double)s->s[a]) : 0;
    for (size_t x = 0; x < w; x++)
      s->logrest[(size_t)a * w + x] = log(C * C - (double)x * (double)s->s[a]);
  }
  if (!(s->floor0 = fk_malloc((size_t)s->kp * w * sizeof *s->floor0))) return FK_ENOMEM;
  memset(s->floor0, FK__SCAN_FLOOR_MAX, (size_t)s->kp * w * sizeof *s->floor0);
  for (size_t x = 0; x < w; x++)
    for (int a = 0; a < s->k; a++) /* the least c with c C > x s[a] */
      s->floor0[x * (size_t)s->kp + (size_t)a] = fk__scan_floor_of((int64_t)x * s->s[a] / s->C + 1);
  return 0;
}

/* See scan_impl.h. Returns 0 or FK_ENOMEM. */
int fk__scan_study_init(struct fk__scan_study *s, const struct fk_scan_input *in, fk_date start,
                        fk_date end, const struct fk_scan_params *p, int64_t *outside)
{
  double *xyz = NULL;
  int rc;
  memset(s, 0, sizeof *s);
  s->in = in;
  s->nloc = in->nloc;
  s->start = start;
  s->end = end;
  s->ndays = (int)(end - start + 1);
  s->k = p->max_days < s->ndays ? p->max_days : s->ndays;
  s->kp = (s->k + 7) / 8 * 8;
  if ((rc = margins(s, outside))) return rc;
  s->maxcz = (int64_t)floor(p->max_share * (double)s->C);
  if ((rc = tables(s))) return rc;
  if (!(xyz = fk_malloc((s->nloc * 3 + 1) * sizeof *xyz))) return FK_ENOMEM;
  fk__scan_xyz(in, xyz);
  rc = fk__scan_circles_build(s, xyz);
  fk_free(xyz);
  return rc;
}

struct candidate {
  double stat, radius;
  size_t centre;
};

/* Best first; of equal cylinders (a centre without cases and its neighbour with them, say) the
 * smaller circle first, then the first centre. */
static int by_stat(const void *a, const void *b)
{
  const struct candidate *x = a, *y = b;
  if (x->stat != y->stat) return x->stat > y->stat ? -1 : 1;
  if (x->radius != y->radius) return x->radius < y->radius ? -1 : 1;
  return x->centre < y->centre ? -1 : x->centre > y->centre;
}

/* qsort order of doubles, ascending. */
static int by_value(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* p = (1 + replicates at or above stat) / (replicates + 1); sorted holds them ascending. */
static double p_value(const double *sorted, int n, double stat)
{
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (sorted[mid] < stat)
      lo = mid + 1;
    else
      hi = mid;
  }
  return (double)(1 + n - lo) / (double)(n + 1);
}

/*
 * Lists the members of centre i's best cylinder into cl (nearest first, through the last
 * location with cases counted, so cases-free locations closer in are members as SaTScan lists
 * them) unless one is already taken; marks them taken. Returns 1 when kept, 0 when it overlaps,
 * or FK_ENOMEM.
 */
static int members(const struct fk__scan_study *s, const double *xyz, size_t i,
                   const struct fk__scan_best *b, unsigned char *taken, uint32_t *order,
                   double *dist, void *scratch, struct fk_scan_cluster *cl)
{
  uint32_t last = s->nb[s->nb_off[i] + b->pos - 1];
  size_t n = fk__scan_prefix(xyz, s->nloc, i, last, order, dist, scratch);
  assert(n >= 1 && order[n - 1] == last);
  for (size_t j = 0; j < n; j++)
    if (taken[order[j]]) return 0;
  if (!(cl->locs = fk_malloc(n * sizeof *cl->locs))) return FK_ENOMEM;
  for (size_t j = 0; j < n; j++) {
    taken[order[j]] = 1;
    cl->locs[j] = order[j];
  }
  cl->nlocs = n;
  cl->radius_km = dist[n - 1];
  return 1;
}

/* Fills cl's numbers from centre i's best cylinder. */
static void numbers(const struct fk__scan_study *s, size_t i, const struct fk__scan_best *b,
                    const double *sorted, int nnull, struct fk_scan_cluster *cl)
{
  cl->centre = i;
  cl->start = s->end - b->a;
  cl->end = s->end;
  cl->observed = b->c;
  cl->expected = (double)b->cz * (double)s->s[b->a] / (double)s->C;
  cl->llr = fk_scan_llr(b->c, cl->expected, s->C);
  cl->p_value = nnull ? p_value(sorted, nnull, b->stat) : 1;
}

/* The reported clusters: best centres by statistic, none sharing a location with a better. */
static int clusters(const struct fk__scan_study *s, const struct fk__scan_best *best,
                    const double *sorted, int nnull, struct fk_scan_result *out)
{
  struct candidate *cand = fk_malloc((s->nloc + 1) * sizeof *cand);
  unsigned char *taken = fk_calloc(s->nloc + 1, 1);
  uint32_t *order = fk_malloc((s->nloc + 1) * sizeof *order);
  double *dist = fk_malloc((s->nloc + 1) * sizeof *dist), *xyz = fk_malloc((s->nloc * 3 + 1) * 8);
  void *scratch = fk_malloc((s->nloc + 1) * FK__SCAN_SCRATCH);
  size_t n = 0;
  int rc = 0;
  if (!cand || !taken || !order || !dist || !xyz || !scratch) {
    rc = FK_ENOMEM;
    goto out;
  }
  fk__scan_xyz(s->in, xyz);
  for (size_t i = 0; i < s->nloc; i++) {
    if (!(best[i].stat > 0)) continue;
    const struct fk_scan_input *in = s->in;
    size_t last = s->nb[s->nb_off[i] + best[i].pos - 1];
    double r = fk_scan_distance_km(in->lat[i], in->lon[i], in->lat[last], in->lon[last]);
    cand[n++] = (struct candidate){best[i].stat, r, i};
  }
  qsort(cand, n, sizeof *cand, by_stat);
  if (n && !(out->clusters = fk_calloc(n, sizeof *out->clusters))) {
    rc = FK_ENOMEM;
    goto out;
  }
  for (size_t c = 0; c < n; c++) {
    struct fk_scan_cluster *cl = &out->clusters[out->nclusters];
    const struct fk__scan_best *b = &best[cand[c].centre];
    int kept = members(s, xyz, cand[c].centre, b, taken, order, dist, scratch, cl);
    if (kept < 0) {
      rc = kept;
      goto out;
    }
    if (!kept) continue;
    numbers(s, cand[c].centre, b, sorted, nnull, cl);
    out->nclusters++;
  }
out:
  fk_free(cand);
  fk_free(taken);
  fk_free(order);
  fk_free(dist);
  fk_free(xyz);
  fk_free(scratch);
  return rc;
}

int fk_scan_run(const struct fk_scan_input *in, fk_date start, fk_date end,
                const struct fk_scan_params *p, struct fk_scan_result *out, struct fk_diag *diag)
{
  struct fk__scan_study s;
  struct fk__scan_best *best = NULL;
  double *sorted = NULL;
  int rc;
  assert(in && p && out);
  memset(out, 0, sizeof *out);
  memset(&s, 0, sizeof s);
  if ((rc = check_params(p, start, end, diag))) return rc;
  out->start = start;
  out->end = end;
  out->replicates = p->replicates;
  if ((rc = fk__scan_study_init(&s, in, start, end, p, &out->outside))) goto out;
  out->cases = s.C;
  out->max_days = s.k;
  if (!(best = fk_calloc(s.nloc + 1, sizeof *best)) ||
      !(out->null_llr = fk_calloc((size_t)p->replicates + 1, sizeof *out->null_llr)) ||
      !(sorted = fk_malloc(((size_t)p->replicates + 1) * sizeof *sorted))) {
    rc = FK_ENOMEM;
    goto out;
  }
  if (s.C == 0) goto out; /* nothing to scan: no cluster */
  fk__scan_circles(&s, s.obs, NULL, best);
  rc = fk__scan_replicates(&s, p->replicates, FK__SCAN_PILOT, p->seed, p->threads, out->null_llr,
                           diag);
  if (rc) goto out;
  memcpy(sorted, out->null_llr, (size_t)p->replicates * sizeof *sorted);
  qsort(sorted, (size_t)p->replicates, sizeof *sorted, by_value);
  rc = clusters(&s, best, sorted, p->replicates, out);
out:
  if (rc == FK_ENOMEM) fk_diag_set(diag, rc, NULL, "out of memory scanning");
  fk__scan_study_free(&s);
  fk_free(best);
  fk_free(sorted);
  return rc;
}

void fk_scan_result_free(struct fk_scan_result *r)
{
  if (!r) return;
  for (size_t i = 0; i < r->nclusters; i++)
    fk_free(r->clusters[i].locs);
  fk_free(r->clusters);
  fk_free(r->null_llr);
  memset(r, 0, sizeof *r);
}
