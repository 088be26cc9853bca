/*
 * Transmission chains on hand-built cities: orientation by order of infection (not by which
 * case's trace found the link), generations along oriented edges, clusters, their roots, and
 * the evidence each edge carries. Person ids are chosen so that their text order disagrees with
 * the order of infection wherever that matters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/chains.h"
#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "fangkong/ingest.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/trace.h"
#include "testutil.h"

/* A store, the default rules, the index over them and the chains built from it. */
struct world {
  char dir[512];
  struct fk_store *st;
  struct fk_rules rules;
  struct fk_trace_index *ix;
  struct fk_chains ch;
};

static fk_time at(const char *s)
{
  fk_time t;
  if (fk_time_parse(s, strlen(s), &t, NULL)) fail_msg("bad time %s", s);
  return t;
}

static void import(struct world *w, const char *feed, const char *data)
{
  struct fk_import_stats s = {0};
  struct fk_diag d;
  char name[64];
  fk_diag_clear(&d);
  snprintf(name, sizeof name, "%s.csv", feed);
  const char *path = fk_test_write(w->dir, name, data, strlen(data));
  if (fk_import_file(w->st, fk_feed_find(feed), path, NULL, &s, &d))
    fail_msg("%s: %s", name, d.reason);
  if (s.rejected) fail_msg("%s: %ld rows rejected", name, (long)s.rejected);
}

/*
 * Builds a city from `people` ("P1,H1\n": person and household), check-ins and cases (the
 * rows of checkins.csv and cases.csv without their header), then the chains as of now.
 * Places: PL1 a supermarket (general), PL2 a restaurant (close).
 */
static void build(struct world *w, const char *tag, const char *people, const char *checkins,
                  const char *cases, fk_time now)
{
  char persons[8192] = "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,"
                       "address\n",
       buf[8192], path[600];
  struct fk_diag d;
  int serial = 0;
  memset(w, 0, sizeof *w);
  snprintf(w->dir, sizeof w->dir, "%s", fk_test_dir(tag));
  snprintf(path, sizeof path, "%s/test.db", w->dir);
  assert_int_equal(fk_store_open(path, &w->st, &d), 0);
  for (const char *p = people; *p;) {
    size_t n = strcspn(p, "\n"), len = strlen(persons);
    char id[32];
    snprintf(id, sizeof id, "14010519900101%02d1", ++serial % 100);
    id[17] = fk_idnum_check_char(id);
    id[18] = '\0';
    char *comma = memchr(p, ',', n);
    assert_non_null(comma);
    snprintf(persons + len, sizeof persons - len, "%.*s,%s,某人,M,1990-01-01,,%.*s,G1,\n",
             (int)(comma - p), p, id, (int)(n - (size_t)(comma - p) - 1), comma + 1);
    p += n + (p[n] == '\n');
  }
  import(w, "grids",
         "grid_id,name,community,street,district,lat,lon\n"
         "G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n");
  import(w, "persons", persons);
  import(w, "places",
         "place_id,name,kind,grid_id,lat,lon,capacity\n"
         "PL1,华联超市,supermarket,G1,37.74,112.56,300\n"
         "PL2,面馆,restaurant,G1,37.741,112.561,40\n");
  snprintf(buf, sizeof buf, "person_id,place_id,checkin_at,checkout_at\n%s", checkins);
  import(w, "checkins", buf);
  snprintf(buf, sizeof buf, "person_id,kind,onset_date,sampled_at,isolated_at\n%s", cases);
  import(w, "cases", buf);
  assert_int_equal(fk_rules_default(&w->rules), 0);
  assert_int_equal(fk_trace_index_build(w->st, &w->rules, &w->ix, &d), 0);
  if (fk_chains_build(w->ix, now, &w->ch, &d)) fail_msg("chains: %s", d.reason);
}

static void destroy(struct world *w)
{
  fk_chains_free(&w->ch);
  fk_trace_index_free(w->ix);
  fk_store_close(w->st);
}

static int64_t pid(struct world *w, const char *id)
{
  int64_t p = fk_trace_person(w->ix, id, strlen(id));
  if (!p) fail_msg("no person %s", id);
  return p;
}

/* The cluster holding person id, and the case in it. */
static const struct fk_chain_cluster *cluster_of(struct world *w, const char *id,
                                                 const struct fk_chain_case **c)
{
  int64_t p = pid(w, id);
  for (size_t k = 0; k < w->ch.nclusters; k++)
    for (size_t i = 0; i < w->ch.clusters[k].ncases; i++)
      if (w->ch.clusters[k].cases[i].person == p) {
        if (c) *c = &w->ch.clusters[k].cases[i];
        return &w->ch.clusters[k];
      }
  fail_msg("%s is in no cluster", id);
  return NULL;
}

static int generation(struct world *w, const char *id)
{
  const struct fk_chain_case *c;
  cluster_of(w, id, &c);
  return c->generation;
}

static const char *root(struct world *w, const char *id)
{
  return fk_trace_person_id(w->ix, cluster_of(w, id, NULL)->root);
}

/* The edge between two persons, whichever way it points, or NULL. */
static const struct fk_chain_edge *edge(struct world *w, const char *a, const char *b)
{
  int64_t x = pid(w, a), y = pid(w, b);
  for (size_t k = 0; k < w->ch.nclusters; k++)
    for (size_t i = 0; i < w->ch.clusters[k].nedges; i++) {
      const struct fk_chain_edge *e = &w->ch.clusters[k].edges[i];
      if ((e->from == x && e->to == y) || (e->from == y && e->to == x)) return e;
    }
  return NULL;
}

static void assert_edge(struct world *w, const char *from, const char *to)
{
  const struct fk_chain_edge *e = edge(w, from, to);
  if (!e) fail_msg("no edge between %s and %s", from, to);
  if (e->from != pid(w, from)) fail_msg("edge %s-%s points the wrong way", from, to);
}

/*
 * P3 falls ill first and meets P1 at the supermarket; P1 falls ill next and meets P2 at the
 * restaurant; P2 last. P3 and P2 never meet.
 */
static const char chain_people[] = "P1,H1\nP2,H2\nP3,H3\n";
static const char chain_checkins[] = "P3,PL1,2022-07-09T12:00:00+08:00,2022-07-09T13:00:00+08:00\n"
                                     "P1,PL1,2022-07-09T12:00:00+08:00,2022-07-09T13:00:00+08:00\n"
                                     "P1,PL2,2022-07-11T12:00:00+08:00,2022-07-11T13:00:00+08:00\n"
                                     "P2,PL2,2022-07-11T12:30:00+08:00,2022-07-11T14:00:00+08:00\n";
static const char chain_cases[] =
    "P3,confirmed,2022-07-10,2022-07-10T10:00:00+08:00,2022-07-11T00:00:00+08:00\n"
    "P1,confirmed,2022-07-12,2022-07-12T10:00:00+08:00,2022-07-13T00:00:00+08:00\n"
    "P2,confirmed,2022-07-14,2022-07-14T10:00:00+08:00,2022-07-15T00:00:00+08:00\n";

static void a_chain_runs_from_the_earliest_case_one_generation_an_edge(void **state)
{
  struct world w;
  (void)state;
  build(&w, "chains_chain", chain_people, chain_checkins, chain_cases, 0);
  assert_int_equal(w.ch.nclusters, 1);
  assert_int_equal(w.ch.ncases, 3);
  assert_int_equal(w.ch.nedges, 2);
  assert_string_equal(root(&w, "P2"), "P3");
  assert_int_equal(w.ch.clusters[0].id, 1);
  assert_int_equal(w.ch.clusters[0].cases[0].person, pid(&w, "P3")); /* the root comes first */
  assert_int_equal(generation(&w, "P3"), 0);
  assert_int_equal(generation(&w, "P1"), 1);
  assert_int_equal(generation(&w, "P2"), 2);
  assert_edge(&w, "P3", "P1");
  assert_edge(&w, "P1", "P2");
  assert_null(edge(&w, "P3", "P2"));

  /* Both traces report the supermarket stay: one exposure after merging, at PL1. */
  const struct fk_chain_edge *e = edge(&w, "P3", "P1");
  assert_int_equal(e->nexp, 1);
  assert_int_equal(e->first, at("2022-07-09T12:00:00+08:00"));
  assert_int_equal(e->last, at("2022-07-09T13:00:00+08:00"));
  assert_int_equal(e->nplaces, 1);
  assert_string_equal(fk_trace_place_id(w.ix, e->places[0]), "PL1");
  e = edge(&w, "P1", "P2");
  assert_int_equal(e->first, at("2022-07-11T12:30:00+08:00"));
  assert_int_equal(e->last, at("2022-07-11T13:00:00+08:00"));
  assert_string_equal(fk_trace_place_id(w.ix, e->places[0]), "PL2");
  destroy(&w);
}

static void separate_groups_are_separate_clusters_and_a_lone_case_is_its_own(void **state)
{
  struct world w;
  (void)state;
  /* P4->P5 at the supermarket; P6->P7 at home; P8 met no case. */
  build(&w, "chains_clusters", "P4,H4\nP5,H5\nP6,H6\nP7,H6\nP8,H8\n",
        "P4,PL1,2022-07-09T12:00:00+08:00,2022-07-09T13:00:00+08:00\n"
        "P5,PL1,2022-07-09T12:10:00+08:00,2022-07-09T12:20:00+08:00\n"
        "P8,PL1,2022-07-09T13:00:00+08:00,2022-07-09T14:00:00+08:00\n", /* only touches */
        "P6,asymptomatic,,2022-07-08T09:00:00+08:00,2022-07-08T20:00:00+08:00\n"
        "P4,confirmed,2022-07-10,2022-07-10T10:00:00+08:00,2022-07-11T00:00:00+08:00\n"
        "P5,confirmed,2022-07-12,2022-07-12T10:00:00+08:00,2022-07-13T00:00:00+08:00\n"
        "P7,confirmed,2022-07-11,2022-07-11T10:00:00+08:00,2022-07-12T00:00:00+08:00\n"
        "P8,confirmed,2022-07-13,2022-07-13T10:00:00+08:00,2022-07-14T00:00:00+08:00\n",
        0);
  assert_int_equal(w.ch.nclusters, 3);
  assert_int_equal(w.ch.ncases, 5);
  assert_int_equal(w.ch.nedges, 2);
  /* Numbered by their roots' infection: P6 (07-08), P4 (07-10), P8 (07-13). */
  assert_string_equal(fk_trace_person_id(w.ix, w.ch.clusters[0].root), "P6");
  assert_string_equal(fk_trace_person_id(w.ix, w.ch.clusters[1].root), "P4");
  assert_string_equal(fk_trace_person_id(w.ix, w.ch.clusters[2].root), "P8");
  for (int k = 0; k < 3; k++)
    assert_int_equal(w.ch.clusters[k].id, k + 1);
  assert_int_equal(cluster_of(&w, "P8", NULL)->ncases, 1);
  assert_int_equal(cluster_of(&w, "P8", NULL)->nedges, 0);
  assert_int_equal(generation(&w, "P8"), 0);
  assert_edge(&w, "P4", "P5");
  assert_edge(&w, "P6", "P7");
  assert_int_equal(generation(&w, "P7"), 1);

  /* The household, found from both sides over different windows: one place, "household". */
  const struct fk_chain_edge *e = edge(&w, "P6", "P7");
  assert_int_equal(e->nplaces, 1);
  assert_int_equal(e->places[0], 0);
  assert_int_equal(e->nexp, 2);
  assert_int_equal(e->first, at("2022-07-04T00:00:00+08:00")); /* P6's window */
  assert_int_equal(e->last, at("2022-07-12T00:00:00+08:00"));  /* P7's isolation */
  destroy(&w);
}

static void ties_go_to_the_earlier_sampling_then_the_smaller_person_id(void **state)
{
  struct world w;
  (void)state;
  /*
   * Same infection day 07-10 for all: P20 by onset (sampled 07-11), P21 by onset (sampled
   * 07-10 20:00), P22 asymptomatic and P23 confirmed without onset, both sampled 07-10 08:00
   * (so only their ids part them). All at home together: one cluster, a complete graph.
   */
  build(&w, "chains_ties", "P20,H1\nP21,H1\nP22,H1\nP23,H1\n", "",
        "P20,confirmed,2022-07-10,2022-07-11T09:00:00+08:00,2022-07-11T12:00:00+08:00\n"
        "P21,confirmed,2022-07-10,2022-07-10T20:00:00+08:00,2022-07-11T12:00:00+08:00\n"
        "P22,asymptomatic,2022-07-01,2022-07-10T08:00:00+08:00,2022-07-11T12:00:00+08:00\n"
        "P23,confirmed,,2022-07-10T08:00:00+08:00,2022-07-11T12:00:00+08:00\n",
        0);
  assert_int_equal(w.ch.nclusters, 1);
  assert_int_equal(w.ch.nedges, 6);
  /* An asymptomatic case's onset date does not count: P22 is ordered by its sampling day. */
  assert_string_equal(root(&w, "P20"), "P22");
  assert_edge(&w, "P22", "P23");
  assert_edge(&w, "P23", "P21");
  assert_edge(&w, "P21", "P20");
  assert_edge(&w, "P22", "P20");
  const struct fk_chain_cluster *cl = cluster_of(&w, "P20", NULL);
  const char *order[] = {"P22", "P23", "P21", "P20"};
  for (int i = 0; i < 4; i++)
    assert_string_equal(fk_trace_person_id(w.ix, cl->cases[i].person), order[i]);
  assert_int_equal(generation(&w, "P22"), 0);
  assert_int_equal(generation(&w, "P20"), 1); /* the shortest path: straight from the root */
  destroy(&w);

  /* Person ids compare bytewise: "P10" before "P9". */
  build(&w, "chains_ties_id", "P9,H1\nP10,H1\n", "",
        "P9,confirmed,2022-07-10,2022-07-10T08:00:00+08:00,2022-07-11T12:00:00+08:00\n"
        "P10,confirmed,2022-07-10,2022-07-10T08:00:00+08:00,2022-07-11T12:00:00+08:00\n",
        0);
  assert_string_equal(root(&w, "P9"), "P10");
  assert_edge(&w, "P10", "P9");
  destroy(&w);
}

static void an_edge_points_forward_when_only_the_later_case_finds_the_link(void **state)
{
  struct world w;
  struct fk_trace_result r;
  struct fk_diag d;
  (void)state;
  /*
   * P31 falls ill first (07-05) but is isolated on 07-07, so its window misses their meeting
   * on 07-08; P30's window (from 07-05) holds it. Only P30's trace finds the link.
   */
  build(&w, "chains_later", "P30,H1\nP31,H2\n",
        "P31,PL2,2022-07-08T12:00:00+08:00,2022-07-08T13:00:00+08:00\n"
        "P30,PL2,2022-07-08T12:00:00+08:00,2022-07-08T13:00:00+08:00\n",
        "P31,confirmed,2022-07-05,2022-07-05T10:00:00+08:00,2022-07-07T00:00:00+08:00\n"
        "P30,confirmed,2022-07-09,2022-07-09T10:00:00+08:00,2022-07-10T00:00:00+08:00\n",
        0);
  assert_int_equal(fk_trace_case(w.ix, pid(&w, "P31"), 0, 1, &r, &d), 0);
  assert_int_equal(r.nlinks, 0);
  fk_trace_result_free(&r);
  assert_int_equal(fk_trace_case(w.ix, pid(&w, "P30"), 0, 1, &r, &d), 0);
  assert_int_equal(r.nlinks, 1);
  assert_int_equal(r.links[0].from, pid(&w, "P30"));
  fk_trace_result_free(&r);

  assert_int_equal(w.ch.nclusters, 1);
  assert_edge(&w, "P31", "P30");
  assert_string_equal(root(&w, "P30"), "P31");
  assert_int_equal(generation(&w, "P31"), 0);
  assert_int_equal(generation(&w, "P30"), 1);
  destroy(&w);
}

static void a_case_with_no_path_from_the_root_has_no_generation(void **state)
{
  struct world w;
  (void)state;
  /* P40 (07-05) and P41 (07-06) each meet P42 (07-09) but not each other. */
  build(&w, "chains_coprimary", "P40,H1\nP41,H2\nP42,H3\n",
        "P40,PL2,2022-07-07T12:00:00+08:00,2022-07-07T13:00:00+08:00\n"
        "P42,PL2,2022-07-07T12:00:00+08:00,2022-07-07T13:00:00+08:00\n"
        "P41,PL2,2022-07-08T12:00:00+08:00,2022-07-08T13:00:00+08:00\n"
        "P42,PL2,2022-07-08T12:00:00+08:00,2022-07-08T13:00:00+08:00\n",
        "P40,confirmed,2022-07-05,2022-07-05T10:00:00+08:00,\n"
        "P41,confirmed,2022-07-06,2022-07-06T10:00:00+08:00,\n"
        "P42,confirmed,2022-07-09,2022-07-09T10:00:00+08:00,\n",
        at("2022-07-10T00:00:00+08:00")); /* none isolated: windows end at now */
  assert_int_equal(w.ch.nclusters, 1);
  assert_string_equal(root(&w, "P42"), "P40");
  assert_edge(&w, "P40", "P42");
  assert_edge(&w, "P41", "P42");
  assert_int_equal(generation(&w, "P40"), 0);
  assert_int_equal(generation(&w, "P42"), 1);
  assert_int_equal(generation(&w, "P41"), -1);
  destroy(&w);
}

static void running_out_of_memory_anywhere_fails_cleanly(void **state)
{
  struct world w;
  struct fk_chains ch;
  struct fk_diag d;
  (void)state;
  build(&w, "chains_nomem", chain_people, chain_checkins, chain_cases, 0);
  for (long n = 1;; n++) {
    fk_alloc_fail_after(n);
    int rc = fk_chains_build(w.ix, 0, &ch, &d);
    fk_alloc_fail_after(0);
    if (!rc) {
      assert_int_equal(ch.nedges, 2);
      fk_chains_free(&ch);
      break;
    }
    assert_int_equal(rc, FK_ENOMEM);
    assert_int_equal(ch.nclusters, 0);
    assert_null(ch.storage_);
  }
  destroy(&w);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_chain_runs_from_the_earliest_case_one_generation_an_edge),
      cmocka_unit_test(separate_groups_are_separate_clusters_and_a_lone_case_is_its_own),
      cmocka_unit_test(ties_go_to_the_earlier_sampling_then_the_smaller_person_id),
      cmocka_unit_test(an_edge_points_forward_when_only_the_later_case_finds_the_link),
      cmocka_unit_test(a_case_with_no_path_from_the_root_has_no_generation),
      cmocka_unit_test(running_out_of_memory_anywhere_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
