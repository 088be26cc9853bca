/*
 * The space-time permutation scan against SaTScan 10.3.2's answer on the shared reference
 * (../shared/reference/scan/README.md), against a brute force that enumerates every cylinder
 * and computes its expected count from the literal definition (sum over the cylinder's
 * location-days of C_z C_d / C), against an LLR worked out by hand, and for the promises of the
 * Monte Carlo: the same seed gives the same replicates on any number of threads, and p-values
 * agree across seeds within Monte Carlo error.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/scan_impl.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/scan.h"
#include "testutil.h"

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

static struct fk_scan_params params(int replicates, uint64_t seed, int threads)
{
  return (struct fk_scan_params){7, 0.5, replicates, seed, threads};
}

/* ---- The reference ---- */

static void reference_path(char *buf, size_t n, const char *name)
{
  const char *shared = getenv("FK_SHARED");
  snprintf(buf, n, "%s/reference/scan/%s", shared && *shared ? shared : "../shared", name);
}

static struct fk_scan_input *reference(void)
{
  struct fk_scan_input *in;
  struct fk_diag d;
  char geo[1024], cas[1024];
  long bad = 0;
  reference_path(geo, sizeof geo, "city.geo");
  reference_path(cas, sizeof cas, "city_last30.cas");
  assert_int_equal(fk_scan_input_new(&in), 0);
  if (fk_scan_read_file(in, FK_SCAN_GEO, geo, NULL, NULL, NULL, &bad, &d) ||
      fk_scan_read_file(in, FK_SCAN_CAS, cas, NULL, NULL, NULL, &bad, &d))
    fail_msg("%s: %s (set FK_SHARED to the shared folder)", d.file, d.reason);
  assert_int_equal(bad, 0);
  assert_int_equal(fk_scan_nlocations(in), 300);
  return in;
}

/* The cluster's location ids, sorted, joined by spaces. */
static void ids(const struct fk_scan_input *in, const struct fk_scan_cluster *c, char *out,
                size_t n)
{
  const char *v[512];
  size_t k = c->nlocs < 512 ? c->nlocs : 512;
  for (size_t i = 0; i < k; i++)
    v[i] = fk_scan_location_id(in, c->locs[i]);
  for (size_t i = 1; i < k; i++)
    for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
      const char *t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  out[0] = '\0';
  for (size_t i = 0; i < k; i++) {
    size_t at = strlen(out);
    snprintf(out + at, n - at, "%s%s", i ? " " : "", v[i]);
  }
}

static void reproduces_satscan_on_the_reference(void **state)
{
  (void)state;
  struct fk_scan_input *in = reference();
  struct fk_scan_params p = params(999, 7, 0);
  struct fk_scan_result r;
  struct fk_diag d;
  char got[4096];
  assert_int_equal(fk_scan_run(in, D("2023-12-02"), D("2023-12-31"), &p, &r, &d), 0);
  assert_int_equal(r.cases, 2390);
  assert_true(r.nclusters >= 2);
  /* The README's table, SaTScan 10.3.2 */
  const struct fk_scan_cluster *m = &r.clusters[0];
  ids(in, m, got, sizeof got);
  assert_string_equal(got, "L0001 L0065 L0071 L0085 L0168 L0181 L0202 L0218");
  assert_string_equal(fk_scan_location_id(in, m->centre), "L0001");
  assert_true(fabs(m->radius_km - 3.98) < 0.005);
  assert_int_equal(m->start, D("2023-12-29"));
  assert_int_equal(m->end, D("2023-12-31"));
  assert_int_equal(m->observed, 102);
  assert_true(fabs(m->expected - 18.85) < 0.005);
  assert_true(fabs(m->llr - 90.560276) < 1e-6);
  assert_true(m->p_value == 0.001); /* above every replicate, as in SaTScan */
  size_t s = 1;
  while (s < r.nclusters && strcmp(fk_scan_location_id(in, r.clusters[s].centre), "L0178"))
    s++;
  assert_true(s < r.nclusters);
  const struct fk_scan_cluster *c = &r.clusters[s];
  ids(in, c, got, sizeof got);
  assert_string_equal(got, "L0178");
  assert_int_equal(c->start, D("2023-12-29"));
  assert_int_equal(c->observed, 4);
  assert_true(fabs(c->expected - 0.66) < 0.005);
  assert_true(fabs(c->llr - 3.874663) < 1e-6);
  /* SaTScan: 0.956; one standard error of a p near 0.95 over 999 replicates is 0.0065 */
  assert_true(fabs(c->p_value - 0.956) < 4 * 0.0065);
  fk_scan_result_free(&r);
  fk_scan_input_free(in);
}

static void secondary_clusters_share_no_location_and_fall_in_llr(void **state)
{
  (void)state;
  struct fk_scan_input *in = reference();
  struct fk_scan_params p = params(0, 1, 1);
  struct fk_scan_result r;
  struct fk_diag d;
  unsigned char seen[300] = {0};
  assert_int_equal(fk_scan_run(in, D("2023-12-02"), D("2023-12-31"), &p, &r, &d), 0);
  assert_true(r.nclusters > 2);
  for (size_t i = 0; i < r.nclusters; i++) {
    const struct fk_scan_cluster *c = &r.clusters[i];
    assert_true(c->p_value == 1); /* no replicates: no evidence */
    assert_true(c->observed > c->expected);
    if (i) assert_true(c->llr <= r.clusters[i - 1].llr + 1e-9);
    for (size_t j = 0; j < c->nlocs; j++) {
      assert_int_equal(seen[c->locs[j]], 0);
      seen[c->locs[j]] = 1;
    }
  }
  /* the same clusters when the LLR is computed with logs instead of tables */
  struct fk_scan_result q;
  fk__scan_table_max = 0;
  int rc = fk_scan_run(in, D("2023-12-02"), D("2023-12-31"), &p, &q, &d);
  fk__scan_table_max = 1 << 22;
  assert_int_equal(rc, 0);
  assert_int_equal(q.nclusters, r.nclusters);
  for (size_t i = 0; i < r.nclusters; i++) {
    assert_int_equal(q.clusters[i].centre, r.clusters[i].centre);
    assert_int_equal(q.clusters[i].nlocs, r.clusters[i].nlocs);
    assert_true(fabs(q.clusters[i].llr - r.clusters[i].llr) < 1e-9);
  }
  fk_scan_result_free(&q);
  fk_scan_result_free(&r);
  fk_scan_input_free(in);
}

/* ---- Monte Carlo ---- */

static void the_same_seed_gives_the_same_replicates_on_any_number_of_threads(void **state)
{
  (void)state;
  struct fk_scan_input *in = reference();
  struct fk_scan_result r[3];
  struct fk_diag d;
  const int threads[3] = {1, 2, 3};
  for (int t = 0; t < 3; t++) {
    struct fk_scan_params p = params(60, 42, threads[t]);
    assert_int_equal(fk_scan_run(in, D("2023-12-02"), D("2023-12-31"), &p, &r[t], &d), 0);
  }
  for (int t = 1; t < 3; t++) {
    assert_memory_equal(r[t].null_llr, r[0].null_llr, 60 * sizeof *r[0].null_llr);
    assert_int_equal(r[t].nclusters, r[0].nclusters);
    for (size_t i = 0; i < r[0].nclusters; i++)
      assert_true(r[t].clusters[i].p_value == r[0].clusters[i].p_value);
  }
  /* and another seed gives other replicates */
  struct fk_scan_params p = params(60, 43, 2);
  struct fk_scan_result o;
  assert_int_equal(fk_scan_run(in, D("2023-12-02"), D("2023-12-31"), &p, &o, &d), 0);
  assert_true(memcmp(o.null_llr, r[0].null_llr, 60 * sizeof *o.null_llr) != 0);
  fk_scan_result_free(&o);
  for (int t = 0; t < 3; t++)
    fk_scan_result_free(&r[t]);
  fk_scan_input_free(in);
}

/* Pruned replicates skip cylinders that cannot reach a level; their maxima must be the full
 * scan's, bit for bit, including the replicates that fall below the level and are rescanned. */
static void pruned_replicates_have_the_full_scans_maxima(void **state)
{
  (void)state;
  struct fk_scan_input *in = reference();
  struct fk_scan_params p = params(200, 11, 2);
  struct fk__scan_study s;
  int64_t outside;
  double full[200], pruned[200];
  assert_int_equal(fk__scan_study_init(&s, in, D("2023-12-02"), D("2023-12-31"), &p, &outside), 0);
  assert_int_equal(fk__scan_replicates(&s, 200, 200, 11, 2, full, NULL), 0);
  assert_int_equal(fk__scan_replicates(&s, 200, 4, 11, 2, pruned, NULL), 0);
  assert_memory_equal(full, pruned, sizeof full);
  /* with the level at the least of the first 4 maxima, some later ones fall below and are
   * scanned again */
  fk__scan_level_share = 1;
  int rc = fk__scan_replicates(&s, 200, 4, 11, 2, pruned, NULL);
  fk__scan_level_share = 0.5;
  assert_int_equal(rc, 0);
  assert_memory_equal(full, pruned, sizeof full);
  int below = 0;
  double level = fmin(fmin(full[0], full[1]), fmin(full[2], full[3]));
  for (int r = 4; r < 200; r++)
    below += full[r] <= level;
  assert_true(below > 0);
  fk__scan_study_free(&s);
  fk_scan_input_free(in);
}

static void p_values_are_ranks_among_the_replicates_and_stable_across_seeds(void **state)
{
  (void)state;
  struct fk_scan_input *in = reference();
  struct fk_diag d;
  double p[3];
  for (int s = 0; s < 3; s++) {
    struct fk_scan_params prm = params(400, 1000 + (uint64_t)s, 0);
    struct fk_scan_result r;
    assert_int_equal(fk_scan_run(in, D("2023-12-02"), D("2023-12-31"), &prm, &r, &d), 0);
    for (size_t i = 0; i < r.nclusters; i++) { /* p = (1 + replicates at or above) / (R + 1) */
      int above = 0;
      for (int k = 0; k < 400; k++)
        above += r.null_llr[k] >= r.clusters[i].llr - 1e-9;
      assert_true(fabs(r.clusters[i].p_value - (1.0 + above) / 401.0) < 1e-12);
    }
    p[s] = r.clusters[1].p_value; /* L0178, SaTScan 0.956 */
    fk_scan_result_free(&r);
  }
  /* two seeds' p differ by at most ~5 standard errors of their difference */
  double se = sqrt(2 * 0.956 * 0.044 / 400);
  for (int s = 1; s < 3; s++)
    assert_true(fabs(p[s] - p[0]) < 5 * se);
  fk_scan_input_free(in);
}

/* ---- Brute force ---- */

struct cell {
  int loc, day, n;
};

struct small {
  int nloc, ndays, ncells;
  double lat[16], lon[16];
  struct cell cells[256];
};

static double bf_distance(const struct small *s, int a, int b)
{
  const double rad = 3.14159265358979323846 / 180;
  double p[3] = {cos(s->lat[a] * rad) * cos(s->lon[a] * rad),
                 cos(s->lat[a] * rad) * sin(s->lon[a] * rad), sin(s->lat[a] * rad)};
  double q[3] = {cos(s->lat[b] * rad) * cos(s->lon[b] * rad),
                 cos(s->lat[b] * rad) * sin(s->lon[b] * rad), sin(s->lat[b] * rad)};
  return 6367 * sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) +
                     (p[2] - q[2]) * (p[2] - q[2]));
}

struct bf_best {
  double llr;
  int centre, size, days;
  long c;
  double mu;
};

/* Every circle about every centre, every window of the last 1..k days. */
static void brute_force(const struct small *s, int k, double share, struct bf_best *per_centre,
                        struct bf_best *top)
{
  long cz[16] = {0}, cd[64] = {0}, C = 0;
  for (int i = 0; i < s->ncells; i++) {
    cz[s->cells[i].loc] += s->cells[i].n;
    cd[s->cells[i].day] += s->cells[i].n;
    C += s->cells[i].n;
  }
  *top = (struct bf_best){0, -1, 0, 0, 0, 0};
  for (int i = 0; i < s->nloc; i++) {
    int order[16];
    double dist[16];
    for (int j = 0; j < s->nloc; j++)
      order[j] = j, dist[j] = bf_distance(s, i, j);
    for (int a = 1; a < s->nloc; a++) /* insertion sort: nearest first, ties by index */
      for (int b = a; b > 0 && (dist[order[b - 1]] > dist[order[b]] ||
                                (dist[order[b - 1]] == dist[order[b]] && order[b - 1] > order[b]));
           b--) {
        int t = order[b];
        order[b] = order[b - 1];
        order[b - 1] = t;
      }
    per_centre[i] = (struct bf_best){0, i, 0, 0, 0, 0};
    long held = 0;
    for (int m = 1; m <= s->nloc; m++) {
      held += cz[order[m - 1]];
      if ((double)held > share * (double)C) break;
      for (int w = 1; w <= k && w <= s->ndays; w++) {
        long c = 0;
        double mu = 0;
        for (int x = 0; x < m; x++)
          for (int day = s->ndays - w; day < s->ndays; day++)
            mu += (double)cz[order[x]] * (double)cd[day] / (double)C;
        for (int e = 0; e < s->ncells; e++)
          for (int x = 0; x < m; x++)
            if (s->cells[e].loc == order[x] && s->cells[e].day >= s->ndays - w) c += s->cells[e].n;
        if ((double)c <= mu) continue;
        double llr = c * log(c / mu) + (C - c ? (C - c) * log((C - c) / (C - mu)) : 0);
        if (llr > per_centre[i].llr + 1e-12) per_centre[i] = (struct bf_best){llr, i, m, w, c, mu};
      }
    }
    if (per_centre[i].llr > top->llr + 1e-12) *top = per_centre[i];
  }
}

static struct fk_scan_input *small_input(const struct small *s)
{
  struct fk_scan_input *in;
  assert_int_equal(fk_scan_input_new(&in), 0);
  for (int i = 0; i < s->nloc; i++) {
    char id[16];
    snprintf(id, sizeof id, "Z%02d", i);
    assert_int_equal(fk_scan_add_location(in, id, strlen(id), s->lat[i], s->lon[i], NULL), 0);
  }
  for (int i = 0; i < s->ncells; i++)
    assert_int_equal(fk_scan_add_cases(in, (size_t)s->cells[i].loc,
                                       D("2024-03-01") + s->cells[i].day, s->cells[i].n),
                     0);
  return in;
}

static void a_hand_computed_cylinder_is_the_most_likely(void **state)
{
  (void)state;
  /* A and B close together, C and D far off; days 0..2. A: 1 case on day 0, 3 on day 2;
   * B: 1 on day 0, 1 on day 1; C: 2 on day 0, 1 on day 1; D: 2 on day 0, 1 on day 1. C = 12.
   * {A} over the last day: c = 3, mu = C_A S_1 / C = 4 * 3 / 12 = 1, so
   * LLR = 3 ln 3 + 9 ln(9 / 11). Wider circles or longer windows only add expected cases. */
  struct small s = {
      4,
      3,
      8,
      {37.80, 37.80, 37.90, 38.00},
      {112.50, 112.51, 112.60, 112.70},
      {{0, 0, 1}, {0, 2, 3}, {1, 0, 1}, {1, 1, 1}, {2, 0, 2}, {2, 1, 1}, {3, 0, 2}, {3, 1, 1}}};
  struct fk_scan_input *in = small_input(&s);
  struct fk_scan_params p = params(99, 5, 1);
  struct fk_scan_result r;
  struct fk_diag d;
  assert_int_equal(fk_scan_run(in, D("2024-03-01"), D("2024-03-03"), &p, &r, &d), 0);
  assert_true(r.nclusters >= 1);
  assert_int_equal(r.clusters[0].nlocs, 1);
  assert_string_equal(fk_scan_location_id(in, r.clusters[0].locs[0]), "Z00");
  assert_int_equal(r.clusters[0].start, D("2024-03-03"));
  assert_int_equal(r.clusters[0].observed, 3);
  assert_true(fabs(r.clusters[0].expected - 1.0) < 1e-12);
  assert_true(fabs(r.clusters[0].llr - (3 * log(3.0) + 9 * log(9.0 / 11))) < 1e-12);
  assert_true(fabs(fk_scan_llr(3, 1.0, 12) - (3 * log(3.0) + 9 * log(9.0 / 11))) < 1e-12);
  assert_true(fk_scan_llr(1, 1.0, 12) == 0); /* not above its expectation */
  fk_scan_result_free(&r);
  fk_scan_input_free(in);
}

/* Random small studies: uniform coordinates (some shared), a few cases a cell, some locations
 * with none. */
static void random_small(struct small *s, unsigned *seed)
{
  s->nloc = 3 + (int)(rand_r(seed) % 12);
  s->ndays = 2 + (int)(rand_r(seed) % 9);
  s->ncells = 0;
  for (int i = 0; i < s->nloc; i++) {
    s->lat[i] = 37.7 + (rand_r(seed) % 10000) / 50000.0;
    s->lon[i] = 112.4 + (rand_r(seed) % 10000) / 50000.0;
    if (i && rand_r(seed) % 5 == 0) /* a place shared with the one before: ties in distance */
      s->lat[i] = s->lat[i - 1], s->lon[i] = s->lon[i - 1];
  }
  for (int i = 0; i < s->nloc; i++)
    for (int day = 0; day < s->ndays && s->ncells < 256; day++)
      if (i % 5 != 4 && rand_r(seed) % 3 == 0)
        s->cells[s->ncells++] = (struct cell){i, day, 1 + (int)(rand_r(seed) % 4)};
}

static void every_cluster_is_its_centres_best_cylinder_as_brute_force_finds(void **state)
{
  (void)state;
  unsigned seed = 20240301;
  for (int round = 0; round < 300; round++) {
    struct small s;
    struct bf_best per[16], top;
    random_small(&s, &seed);
    int k = 1 + round % 4;
    double share = round % 3 == 0 ? 1.0 : 0.5;
    brute_force(&s, k, share, per, &top);
    struct fk_scan_input *in = small_input(&s);
    struct fk_scan_params p = {k, share, 0, 1, 1};
    struct fk_scan_result r;
    struct fk_diag d;
    fk__scan_table_max = round % 2 ? 1 << 22 : 0; /* with LLR tables, and with logs */
    int rc = fk_scan_run(in, D("2024-03-01"), D("2024-03-01") + s.ndays - 1, &p, &r, &d);
    fk__scan_table_max = 1 << 22;
    assert_int_equal(rc, 0);
    if (top.centre < 0) {
      assert_int_equal(r.nclusters, 0);
    } else {
      assert_true(r.nclusters >= 1);
      assert_true(fabs(r.clusters[0].llr - top.llr) < 1e-9 * (1 + top.llr));
    }
    for (size_t i = 0; i < r.nclusters; i++) {
      const struct fk_scan_cluster *c = &r.clusters[i];
      const struct bf_best *b = &per[c->centre];
      assert_true(fabs(c->llr - b->llr) < 1e-9 * (1 + b->llr));
      assert_int_equal(c->observed, b->c);
      assert_true(fabs(c->expected - b->mu) < 1e-9 * (1 + b->mu));
      assert_int_equal(c->end - c->start + 1, b->days);
      assert_int_equal((int)c->nlocs, b->size);
    }
    fk_scan_result_free(&r);
    fk_scan_input_free(in);
  }
}

static void an_empty_study_has_no_cluster_and_bad_settings_are_refused(void **state)
{
  (void)state;
  struct small s = {2, 3, 1, {37.8, 37.9}, {112.5, 112.6}, {{0, 0, 2}}};
  struct fk_scan_input *in = small_input(&s);
  struct fk_scan_params p = params(9, 1, 1);
  struct fk_scan_result r;
  struct fk_diag d;
  /* one case only: nothing can be above its expectation */
  assert_int_equal(fk_scan_run(in, D("2024-03-01"), D("2024-03-03"), &p, &r, &d), 0);
  assert_int_equal(r.nclusters, 0);
  fk_scan_result_free(&r);
  /* a period without cases */
  assert_int_equal(fk_scan_run(in, D("2025-01-01"), D("2025-01-05"), &p, &r, &d), 0);
  assert_int_equal(r.cases, 0);
  assert_int_equal(r.outside, 2);
  assert_int_equal(r.nclusters, 0);
  fk_scan_result_free(&r);
  p.max_share = 0;
  assert_int_equal(fk_scan_run(in, D("2024-03-01"), D("2024-03-03"), &p, &r, &d), FK_EINVAL);
  assert_string_equal(d.field, "max_share");
  fk_scan_result_free(&r);
  p = params(9, 1, 1);
  assert_int_equal(fk_scan_run(in, D("2024-03-03"), D("2024-03-01"), &p, &r, &d), FK_EINVAL);
  fk_scan_result_free(&r);
  assert_int_equal(fk_scan_run(in, D("2023-01-01"), D("2024-03-01"), &p, &r, &d), FK_ERANGE);
  fk_scan_result_free(&r);
  fk_scan_input_free(in);
}

static void a_failed_allocation_anywhere_fails_cleanly(void **state)
{
  (void)state;
  struct small s = {
      4,
      3,
      8,
      {37.80, 37.80, 37.90, 38.00},
      {112.50, 112.51, 112.60, 112.70},
      {{0, 0, 1}, {0, 2, 3}, {1, 0, 1}, {1, 1, 1}, {2, 0, 2}, {2, 1, 1}, {3, 0, 1}, {3, 1, 1}}};
  struct fk_scan_input *in = small_input(&s);
  struct fk_scan_params p = params(20, 5, 2);
  int failed = 0;
  for (long n = 1; n < 1000; n++) {
    struct fk_scan_result r;
    struct fk_diag d;
    fk_alloc_fail_after(n);
    int rc = fk_scan_run(in, D("2024-03-01"), D("2024-03-03"), &p, &r, &d);
    fk_alloc_fail_after(0);
    fk_scan_result_free(&r);
    if (rc == 0) break;
    assert_int_equal(rc, FK_ENOMEM);
    failed++;
  }
  assert_true(failed > 5);
  fk_scan_input_free(in);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reproduces_satscan_on_the_reference),
      cmocka_unit_test(secondary_clusters_share_no_location_and_fall_in_llr),
      cmocka_unit_test(the_same_seed_gives_the_same_replicates_on_any_number_of_threads),
      cmocka_unit_test(pruned_replicates_have_the_full_scans_maxima),
      cmocka_unit_test(p_values_are_ranks_among_the_replicates_and_stable_across_seeds),
      cmocka_unit_test(a_hand_computed_cylinder_is_the_most_likely),
      cmocka_unit_test(every_cluster_is_its_centres_best_cylinder_as_brute_force_finds),
      cmocka_unit_test(an_empty_study_has_no_cluster_and_bad_settings_are_refused),
      cmocka_unit_test(a_failed_allocation_anywhere_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
