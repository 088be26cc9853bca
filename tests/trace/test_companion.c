/*
 * Spatiotemporal companions on hand-built pings (each threshold exactly at and one second past
 * its rule, docs/TRACING.md), then the engine against a plain O(n^2) reading of the same
 * definition on a generated city.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/companion.h"
#include "fangkong/error.h"
#include "fangkong/gen.h"
#include "fangkong/ident.h"
#include "fangkong/ingest.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "testutil.h"

#define NPERSONS 20
#define HOUR 3600
#define MIN 60

struct env {
  char dir[512];
  struct fk_store *st;
  struct fk_rules rules;
  char *pings; /* pings.csv being written */
  size_t len, cap;
};

/* Two points 1.75 km apart, each far from its cell's borders (800 m cells). */
static const double cells[2][2] = {{37.80, 112.50}, {37.80, 112.52}};

static void import(struct env *e, const char *feed, const char *name, const char *data)
{
  struct fk_import_stats s = {0};
  struct fk_diag d;
  fk_diag_clear(&d);
  const char *path = fk_test_write(e->dir, name, data, strlen(data));
  int rc = fk_import_file(e->st, fk_feed_find(feed), path, NULL, &s, &d);
  if (rc || s.rejected)
    fail_msg("%s: rc %d, %ld rejected: %s", name, rc, (long)s.rejected, d.reason);
}

static int setup(void **state)
{
  static int n;
  struct env *e = calloc(1, sizeof *e);
  char tag[32], path[600], *persons = calloc(1, 16384);
  struct fk_diag d;
  snprintf(tag, sizeof tag, "companion%d", n++);
  snprintf(e->dir, sizeof e->dir, "%s", fk_test_dir(tag));
  snprintf(path, sizeof path, "%s/test.db", e->dir);
  assert_int_equal(fk_store_open(path, &e->st, &d), 0);
  assert_int_equal(fk_rules_default(&e->rules), 0);
  import(e, "grids", "grids.csv",
         "grid_id,name,community,street,district,lat,lon\nG1,一网格,坞城社区,坞城街道,小店区,37.8,"
         "112.5\n");
  strcpy(persons, "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address\n");
  for (int p = 1; p <= NPERSONS; p++) {
    char id[19], row[200];
    snprintf(id, sizeof id, "14010519900101%02d%d", p, 1);
    id[17] = fk_idnum_check_char(id);
    id[18] = '\0';
    snprintf(row, sizeof row, "P%d,%s,张%d,M,1990-01-01,,H%d,G1,\n", p, id, p, p);
    strcat(persons, row);
  }
  import(e, "persons", "persons.csv", persons);
  free(persons);
  e->cap = 1 << 16;
  e->pings = malloc(e->cap);
  e->len = (size_t)sprintf(e->pings, "person_id,at,lat,lon\n");
  *state = e;
  return 0;
}

static int teardown(void **state)
{
  struct env *e = *state;
  fk_store_close(e->st);
  free(e->pings);
  free(e);
  return 0;
}

static fk_time at(const char *iso)
{
  fk_time t;
  if (fk_time_parse(iso, strlen(iso), &t, NULL)) fail_msg("bad time %s", iso);
  return t;
}

static void ping(struct env *e, int person, int cell, fk_time t)
{
  char buf[FK_TIME_BUFSZ];
  if (e->len + 128 > e->cap) e->pings = realloc(e->pings, e->cap *= 2);
  e->len += (size_t)sprintf(e->pings + e->len, "P%d,%s,%.6f,%.6f\n", person, fk_time_format(t, buf),
                            cells[cell][0], cells[cell][1]);
}

/* Pings making exactly the presence [s, e) in cell: every 30 minutes from s, the last 5 minutes
 * (ping_minutes) before e. */
static void presence(struct env *e, int person, int cell, fk_time s, fk_time end)
{
  fk_time last = end - 5 * MIN;
  for (fk_time t = s; t < last; t += 30 * MIN)
    ping(e, person, cell, t);
  ping(e, person, cell, last);
}

/* Imports the pings so far and the cases; P1 is confirmed with onset 2022-07-10 and isolated at
 * 2022-07-11 12:00, so its window is [2022-07-06 00:00, 2022-07-11 12:00). */
static void load(struct env *e)
{
  import(e, "pings", "pings.csv", e->pings);
  import(e, "cases", "cases.csv",
         "person_id,kind,onset_date,sampled_at,isolated_at\n"
         "P1,confirmed,2022-07-10,2022-07-10T10:00:00+08:00,2022-07-11T12:00:00+08:00\n"
         "P20,asymptomatic,,2022-07-10T10:00:00+08:00,\n");
}

/* Companions of P1 (person row ids are 1..NPERSONS in order). */
static struct fk_companion_result find(struct env *e, int64_t person, fk_time now)
{
  struct fk_companion_index *ix;
  struct fk_companion_result r;
  struct fk_diag d;
  assert_int_equal(fk_companion_index_build(e->st, &e->rules, &ix, &d), 0);
  int rc = fk_companions_case(ix, person, now, &r, &d);
  if (rc) fail_msg("fk_companions_case: %s", d.reason);
  fk_companion_index_free(ix);
  return r;
}

static const struct fk_companion *companion_of(const struct fk_companion_result *r, int64_t p)
{
  for (size_t i = 0; i < r->ncompanions; i++)
    if (r->companions[i].person == p) return &r->companions[i];
  return NULL;
}

static void ten_minutes_together_is_not_enough_ten_and_a_second_is(void **state)
{
  struct env *e = *state;
  presence(e, 1, 0, at("2022-07-07T00:00:00+08:00"), at("2022-07-08T08:00:00+08:00")); /* 32 h */
  presence(e, 1, 0, at("2022-07-08T09:10:00+08:00"), at("2022-07-08T09:30:00+08:00"));
  presence(e, 2, 0, at("2022-07-08T09:20:00+08:00"), at("2022-07-08T09:40:00+08:00"));
  presence(e, 3, 0, at("2022-07-08T09:19:59+08:00"), at("2022-07-08T09:40:00+08:00"));
  presence(e, 4, 1, at("2022-07-08T09:00:00+08:00"), at("2022-07-08T09:40:00+08:00"));
  load(e);
  struct fk_companion_result r = find(e, 1, FK_COMPANION_NO_NOW);
  assert_int_equal(r.window_start, at("2022-07-06T00:00:00+08:00"));
  assert_int_equal(r.window_end, at("2022-07-11T12:00:00+08:00"));
  assert_int_equal(r.ncompanions, 1);
  const struct fk_companion *c = companion_of(&r, 3);
  assert_non_null(c);
  assert_int_equal(c->index_person, 1);
  assert_int_equal(c->first, at("2022-07-08T09:19:59+08:00"));
  assert_int_equal(c->last, at("2022-07-08T09:30:00+08:00"));
  assert_int_equal(c->together, 10 * MIN + 1);
  assert_int_equal(c->dwell_party, FK_PARTY_INDEX); /* the case's 32 h (+20 min) in the cell */
  assert_int_equal(c->index_dwell, 32 * HOUR + 20 * MIN);
  assert_int_equal(c->contact_dwell, 10 * MIN + 1);
  fk_companion_result_free(&r);
}

static void another_cell_is_not_together(void **state)
{
  struct env *e = *state;
  presence(e, 1, 0, at("2022-07-07T00:00:00+08:00"), at("2022-07-08T12:00:00+08:00"));
  presence(e, 2, 1, at("2022-07-07T00:00:00+08:00"), at("2022-07-08T12:00:00+08:00"));
  load(e);
  struct fk_companion_result r = find(e, 1, FK_COMPANION_NO_NOW);
  assert_int_equal(r.ncompanions, 0);
  fk_companion_result_free(&r);
}

static void the_contacts_dwell_must_exceed_thirty_hours(void **state)
{
  struct env *e = *state;
  presence(e, 1, 1, at("2022-07-09T10:00:00+08:00"), at("2022-07-09T11:00:00+08:00"));
  presence(e, 5, 1, at("2022-07-08T05:00:00+08:00"), at("2022-07-09T11:00:00+08:00")); /* 30 h */
  presence(e, 6, 1, at("2022-07-08T04:59:59+08:00"), at("2022-07-09T11:00:00+08:00"));
  load(e);
  struct fk_companion_result r = find(e, 1, FK_COMPANION_NO_NOW);
  assert_int_equal(r.ncompanions, 1);
  const struct fk_companion *c = companion_of(&r, 6);
  assert_non_null(c);
  assert_int_equal(c->dwell_party, FK_PARTY_CONTACT);
  assert_int_equal(c->contact_dwell, 30 * HOUR + 1);
  assert_int_equal(c->index_dwell, HOUR);
  assert_int_equal(c->together, HOUR);
  fk_companion_result_free(&r);
}

static void the_cases_dwell_must_exceed_thirty_hours(void **state)
{
  struct env *e = *state;
  presence(e, 1, 0, at("2022-07-07T05:00:00+08:00"), at("2022-07-08T11:00:00+08:00")); /* 30 h */
  presence(e, 2, 0, at("2022-07-08T10:00:00+08:00"), at("2022-07-08T11:00:00+08:00"));
  load(e);
  struct fk_companion_result r = find(e, 1, FK_COMPANION_NO_NOW);
  assert_int_equal(r.ncompanions, 0);
  fk_companion_result_free(&r);
  /* One more second in the cell: a ping a second before the first joins its presence. */
  ping(e, 1, 0, at("2022-07-07T04:59:59+08:00"));
  import(e, "pings", "pings2.csv", e->pings);
  r = find(e, 1, FK_COMPANION_NO_NOW);
  assert_int_equal(r.ncompanions, 1);
  assert_int_equal(r.companions[0].dwell_party, FK_PARTY_INDEX);
  assert_int_equal(r.companions[0].index_dwell, 30 * HOUR + 1);
  fk_companion_result_free(&r);
}

/* The lookback is the 14 x 24 hours ending when the overlap ends: 2022-06-25 11:00 for an
 * overlap ending 2022-07-09 11:00. */
static void dwell_counts_only_within_the_lookback(void **state)
{
  struct env *e = *state;
  presence(e, 1, 1, at("2022-07-09T10:00:00+08:00"), at("2022-07-09T11:00:00+08:00"));
  /* 29 h inside the lookback plus the hour together: 30 h, not more. */
  presence(e, 7, 1, at("2022-06-25T10:59:59+08:00"), at("2022-06-26T16:00:00+08:00"));
  presence(e, 7, 1, at("2022-07-09T10:00:00+08:00"), at("2022-07-09T11:00:00+08:00"));
  /* One second more, inside. */
  presence(e, 8, 1, at("2022-06-25T10:59:59+08:00"), at("2022-06-26T16:00:01+08:00"));
  presence(e, 8, 1, at("2022-07-09T10:00:00+08:00"), at("2022-07-09T11:00:00+08:00"));
  load(e);
  struct fk_companion_result r = find(e, 1, FK_COMPANION_NO_NOW);
  assert_int_equal(r.ncompanions, 1);
  assert_int_equal(r.companions[0].person, 8);
  assert_int_equal(r.companions[0].contact_dwell, 30 * HOUR + 1);
  fk_companion_result_free(&r);
}

static void overlaps_count_only_within_the_window(void **state)
{
  struct env *e = *state;
  presence(e, 9, 0, at("2022-07-01T00:00:00+08:00"), at("2022-07-03T00:00:00+08:00")); /* 48 h */
  presence(e, 10, 0, at("2022-07-01T00:00:00+08:00"), at("2022-07-03T00:00:00+08:00"));
  /* Before the window: together 07-05 22:00-23:00. */
  presence(e, 1, 0, at("2022-07-05T22:00:00+08:00"), at("2022-07-05T23:00:00+08:00"));
  presence(e, 9, 0, at("2022-07-05T22:00:00+08:00"), at("2022-07-05T23:00:00+08:00"));
  /* Across the window's start: 20 minutes of it inside. */
  presence(e, 1, 0, at("2022-07-05T23:40:00+08:00"), at("2022-07-06T00:20:00+08:00"));
  presence(e, 10, 0, at("2022-07-05T23:40:00+08:00"), at("2022-07-06T00:20:00+08:00"));
  load(e);
  struct fk_companion_result r = find(e, 1, FK_COMPANION_NO_NOW);
  assert_int_equal(r.ncompanions, 1);
  assert_int_equal(r.companions[0].person, 10);
  assert_int_equal(r.companions[0].first, at("2022-07-06T00:00:00+08:00"));
  assert_int_equal(r.companions[0].together, 20 * MIN);
  fk_companion_result_free(&r);
}

static void pings_of_the_case_after_isolation_are_ignored(void **state)
{
  struct env *e = *state;
  presence(e, 11, 0, at("2022-07-08T00:00:00+08:00"), at("2022-07-09T08:00:00+08:00"));
  presence(e, 12, 0, at("2022-07-08T00:00:00+08:00"), at("2022-07-09T08:00:00+08:00"));
  presence(e, 1, 0, at("2022-07-11T11:00:00+08:00"), at("2022-07-11T14:00:00+08:00"));
  presence(e, 11, 0, at("2022-07-11T11:52:00+08:00"), at("2022-07-11T14:00:00+08:00"));
  presence(e, 12, 0, at("2022-07-11T11:49:59+08:00"), at("2022-07-11T14:00:00+08:00"));
  load(e);
  struct fk_companion_result r = find(e, 1, at("2022-07-20T00:00:00+08:00"));
  assert_int_equal(r.ncompanions, 1);
  assert_int_equal(r.companions[0].person, 12);
  assert_int_equal(r.companions[0].last, at("2022-07-11T12:00:00+08:00"));
  assert_int_equal(r.companions[0].together, 10 * MIN + 1);
  fk_companion_result_free(&r);
}

/* Pings more than an hour apart are two presences of 5 minutes each, not one of an hour. */
static void a_silence_over_an_hour_ends_a_presence(void **state)
{
  struct env *e = *state;
  presence(e, 1, 0, at("2022-07-07T00:00:00+08:00"), at("2022-07-08T12:00:00+08:00")); /* 36 h */
  ping(e, 2, 0, at("2022-07-08T09:00:00+08:00"));
  ping(e, 2, 0, at("2022-07-08T10:00:01+08:00"));
  ping(e, 3, 0, at("2022-07-08T09:00:00+08:00"));
  ping(e, 3, 0, at("2022-07-08T10:00:00+08:00"));
  /* Seen elsewhere: the presence ends there, before its 5 minutes. */
  ping(e, 4, 0, at("2022-07-08T09:00:00+08:00"));
  ping(e, 4, 0, at("2022-07-08T09:07:00+08:00"));
  ping(e, 4, 1, at("2022-07-08T09:10:00+08:00"));
  load(e);
  struct fk_companion_result r = find(e, 1, FK_COMPANION_NO_NOW);
  assert_int_equal(r.ncompanions, 1);
  assert_int_equal(r.companions[0].person, 3);
  assert_int_equal(r.companions[0].together, HOUR + 5 * MIN);
  fk_companion_result_free(&r);
}

static void a_case_not_isolated_needs_now_and_a_non_case_is_refused(void **state)
{
  struct env *e = *state;
  struct fk_companion_index *ix;
  struct fk_companion_result r;
  struct fk_diag d;
  load(e);
  assert_int_equal(fk_companion_index_build(e->st, &e->rules, &ix, &d), 0);
  assert_int_equal(fk_companions_case(ix, 20, FK_COMPANION_NO_NOW, &r, &d), FK_EINVAL);
  assert_non_null(strstr(d.reason, "not isolated"));
  assert_int_equal(fk_companions_case(ix, 20, at("2022-07-12T00:00:00+08:00"), &r, &d), 0);
  assert_int_equal(r.window_start, at("2022-07-06T00:00:00+08:00")); /* 4 days before sampling */
  assert_int_equal(r.window_end, at("2022-07-12T00:00:00+08:00"));
  fk_companion_result_free(&r);
  assert_int_equal(fk_companions_case(ix, 2, FK_COMPANION_NO_NOW, &r, &d), FK_ENOTFOUND);
  fk_companion_index_free(ix);
}

/* Every allocation, made to fail in turn, gives FK_ENOMEM and leaks nothing (ASan checks). */
static void running_out_of_memory_fails_cleanly(void **state)
{
  struct env *e = *state;
  struct fk_companion_index *ix = NULL;
  struct fk_companion_result r;
  struct fk_diag d;
  presence(e, 1, 0, at("2022-07-07T00:00:00+08:00"), at("2022-07-08T12:00:00+08:00"));
  presence(e, 2, 0, at("2022-07-08T09:00:00+08:00"), at("2022-07-08T10:00:00+08:00"));
  presence(e, 3, 1, at("2022-07-08T09:00:00+08:00"), at("2022-07-08T10:00:00+08:00"));
  load(e);
  int rc = FK_ENOMEM;
  for (long n = 1; rc == FK_ENOMEM && n < 1000; n++) {
    fk_alloc_fail_after(n);
    rc = fk_companion_index_build(e->st, &e->rules, &ix, &d);
    if (!rc) {
      rc = fk_companions_case(ix, 1, FK_COMPANION_NO_NOW, &r, &d);
      fk_companion_index_free(ix);
      if (!rc) fk_companion_result_free(&r);
    }
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM || rc == FK_ESTORE);
    if (rc == FK_ESTORE) rc = FK_ENOMEM; /* SQLite's own allocations may fail too */
  }
  assert_int_equal(rc, 0);
}

static void presence_rules_are_read_strictly(void **state)
{
  (void)state;
  struct fk_rules r;
  struct fk_diag d;
  char path[1024];
  snprintf(path, sizeof path, "%s/rules/protocol-10.json",
           getenv("FK_SRC") ? getenv("FK_SRC") : ".");
  assert_int_equal(fk_rules_load(path, &r, NULL, NULL, &d), 0);
  assert_int_equal(r.companion.ping, 5 * MIN);
  assert_int_equal(r.companion.max_gap, HOUR);
  static const char bad[] =
      "{\"name\": \"x\", \"trace\": {\"source\": \"s\", \"window_days_before_onset\": 4,"
      " \"default_dwell_minutes\": 60},"
      " \"companion\": {\"source\": \"s\", \"cell_meters\": 800, \"min_minutes\": 10,"
      " \"dwell_hours\": 30, \"lookback_days\": 14, \"presence\": {\"ping_minute\": 5}}}";
  assert_int_equal(fk_rules_parse(bad, strlen(bad), "bad", &r, NULL, NULL, &d), FK_EINVAL);
  assert_string_equal(d.field, "companion.presence.ping_minute");
}

/* ---- the engine against a plain reading of the definition, on a generated city ---- */

struct bp {
  int64_t person;
  fk_time at;
  int64_t col, row;
};

struct bpres {
  int64_t person, col, row;
  fk_time s, e;
};

struct brute {
  struct bp *p;
  size_t n, cap;
  double cell;
};

static int brute_ping(void *arg, const struct fk_ping_row *r)
{
  struct brute *b = arg;
  const double deg = 3.14159265358979323846 / 180;
  if (b->n == b->cap) b->p = realloc(b->p, (b->cap = b->cap ? b->cap * 2 : 4096) * sizeof *b->p);
  b->p[b->n++] = (struct bp){
      r->person, r->at,
      (int64_t)floor((r->lon - 112.55) * (6371008.8 * deg * cos(37.87 * deg)) / b->cell),
      (int64_t)floor((r->lat - 37.87) * (6371008.8 * deg) / b->cell)};
  return 0;
}

static int bp_cmp(const void *a, const void *b)
{
  const struct bp *x = a, *y = b;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  return (x->at > y->at) - (x->at < y->at);
}

struct bcase {
  int64_t person;
  fk_time ws, we;
};

static int brute_case(void *arg, const struct fk_case_row *c)
{
  struct bcase **v = arg;
  size_t n = 0;
  while ((*v)[n].person)
    n++;
  fk_date day = c->has_onset && !c->asymptomatic ? c->onset : fk_time_date(c->sampled);
  (*v)[n].person = c->person;
  (*v)[n].ws = fk_date_start(day - 4);
  (*v)[n].we = c->has_isolated ? c->isolated : 0;
  return 0;
}

/* The presences [*lo, *hi) of person (presences are in person order). */
static void person_range(const struct bpres *v, size_t n, int64_t person, size_t *lo, size_t *hi)
{
  size_t a = 0, b = n;
  while (a < b) {
    size_t m = (a + b) / 2;
    if (v[m].person < person)
      a = m + 1;
    else
      b = m;
  }
  *lo = a;
  while (a < n && v[a].person == person)
    a++;
  *hi = a;
}

/* Seconds person was in (col, row) during [from, to), over all the person's presences. */
static fk_time brute_dwell(const struct bpres *v, size_t n, int64_t person, int64_t col,
                           int64_t row, fk_time from, fk_time to)
{
  fk_time sum = 0;
  size_t lo, hi;
  person_range(v, n, person, &lo, &hi);
  for (size_t i = lo; i < hi; i++) {
    if (v[i].col != col || v[i].row != row) continue;
    fk_time s = v[i].s > from ? v[i].s : from, e = v[i].e < to ? v[i].e : to;
    if (e > s) sum += e - s;
  }
  return sum;
}

static void check_against_brute_force(struct fk_store *st, const struct fk_rules *rules)
{
  const struct fk_companion_rules *cr = &rules->companion;
  struct brute b = {NULL, 0, 0, cr->cell_meters};
  struct bcase *cases = calloc(4096, sizeof *cases);
  struct fk_companion_index *ix;
  struct fk_diag d;
  fk_time now = at("2022-07-20T00:00:00+08:00");
  assert_int_equal(fk_store_each_ping(st, 0, brute_ping, &b), 0);
  assert_int_equal(fk_store_each_case(st, brute_case, &cases), 0);
  qsort(b.p, b.n, sizeof *b.p, bp_cmp);
  struct bpres *pres = calloc(b.n + 1, sizeof *pres);
  size_t np = 0;
  for (size_t i = 0, j; i < b.n; i = j) {
    fk_time last = b.p[i].at;
    for (j = i + 1; j < b.n && b.p[j].person == b.p[i].person && b.p[j].col == b.p[i].col &&
                    b.p[j].row == b.p[i].row && b.p[j].at - last <= cr->max_gap;
         j++)
      last = b.p[j].at;
    fk_time end = last + cr->ping;
    if (j < b.n && b.p[j].person == b.p[i].person && b.p[j].at < end) end = b.p[j].at;
    if (end > b.p[i].at)
      pres[np++] = (struct bpres){b.p[i].person, b.p[i].col, b.p[i].row, b.p[i].at, end};
  }
  assert_int_equal(fk_companion_index_build(st, rules, &ix, &d), 0);
  long total = 0;
  for (int c = 0; cases[c].person; c++) {
    struct fk_companion_result r;
    assert_int_equal(fk_companions_case(ix, cases[c].person, now, &r, &d), 0);
    fk_time ws = cases[c].ws, we = cases[c].we ? cases[c].we : now;
    assert_int_equal(r.window_start, ws);
    assert_int_equal(r.window_end, we);
    /* Every presence q of anyone else against every presence p of the case. */
    size_t c0, c1;
    person_range(pres, np, cases[c].person, &c0, &c1);
    struct fk_companion *want = calloc(np + 1, sizeof *want);
    int64_t *wcol = calloc(np + 1, sizeof *wcol), *wrow = calloc(np + 1, sizeof *wrow);
    size_t nw = 0;
    for (size_t i = 0; i < np; i++) {
      const struct bpres *q = &pres[i];
      if (q->person == cases[c].person) continue;
      for (size_t j = c0; j < c1; j++) {
        const struct bpres *p = &pres[j];
        if (p->col != q->col || p->row != q->row) continue;
        fk_time ps = p->s > ws ? p->s : ws, pe = p->e < we ? p->e : we;
        fk_time os = q->s > ps ? q->s : ps, oe = q->e < pe ? q->e : pe;
        if (oe - os <= cr->min_overlap) continue;
        fk_time look = (fk_time)cr->lookback_days * 86400;
        fk_time id = brute_dwell(pres, np, p->person, p->col, p->row, oe - look, oe);
        fk_time cd = brute_dwell(pres, np, q->person, q->col, q->row, oe - look, oe);
        if (id <= cr->dwell && cd <= cr->dwell) continue;
        size_t w = 0;
        while (w < nw && !(want[w].person == q->person && wcol[w] == q->col && wrow[w] == q->row))
          w++;
        if (w == nw) {
          nw++;
          want[w] = (struct fk_companion){cases[c].person,
                                          q->person,
                                          0,
                                          os,
                                          oe,
                                          0,
                                          0,
                                          id > cr->dwell ? FK_PARTY_INDEX : FK_PARTY_CONTACT,
                                          id,
                                          cd};
          wcol[w] = q->col;
          wrow[w] = q->row;
        }
        if (os < want[w].first) {
          want[w].first = os;
          want[w].dwell_party = id > cr->dwell ? FK_PARTY_INDEX : FK_PARTY_CONTACT;
          want[w].index_dwell = id;
          want[w].contact_dwell = cd;
        }
        if (oe > want[w].last) want[w].last = oe;
        want[w].together += oe - os;
        want[w].overlaps++;
      }
    }
    assert_int_equal(r.ncompanions, nw);
    for (size_t i = 0; i < r.ncompanions; i++) {
      const struct fk_companion *g = &r.companions[i];
      char cell[FK_COMPANION_CELLSZ], wcell[FK_COMPANION_CELLSZ];
      size_t w = 0;
      fk_companion_cell_format(ix, g->cell, cell);
      for (; w < nw; w++) {
        snprintf(wcell, sizeof wcell, "%g:%lld:%lld", cr->cell_meters, (long long)wcol[w],
                 (long long)wrow[w]);
        if (want[w].person == g->person && !strcmp(cell, wcell)) break;
      }
      if (w == nw)
        fail_msg("case %lld: unexpected companion %lld in %s", (long long)cases[c].person,
                 (long long)g->person, cell);
      assert_int_equal(g->first, want[w].first);
      assert_int_equal(g->last, want[w].last);
      assert_int_equal(g->together, want[w].together);
      assert_int_equal(g->overlaps, want[w].overlaps);
      assert_int_equal(g->dwell_party, want[w].dwell_party);
      assert_int_equal(g->index_dwell, want[w].index_dwell);
      assert_int_equal(g->contact_dwell, want[w].contact_dwell);
    }
    total += (long)nw;
    free(want);
    free(wcol);
    free(wrow);
    fk_companion_result_free(&r);
  }
  assert_true(total > 0);
  print_message("brute force: %zu pings, %zu presences, %ld companion rows agree\n", b.n, np,
                total);
  fk_companion_index_free(ix);
  free(pres);
  free(b.p);
  free(cases);
}

static int import_found(const struct fk_feed *feed, const char *path, void *arg)
{
  struct fk_diag d;
  struct fk_import_stats s = {0};
  int rc = fk_import_file(arg, feed, path, NULL, &s, &d);
  if (rc) fail_msg("%s: %s", path, d.reason);
  return 0;
}

static void the_engine_agrees_with_brute_force_on_a_generated_city(void **state)
{
  (void)state;
  struct fk_gen_opts o;
  struct fk_store *st;
  struct fk_rules rules;
  struct fk_diag d;
  char dir[512], path[600];
  fk_gen_opts_init(&o);
  o.scale = 0.001;
  o.days = 3;
  o.outbreak = 3;
  o.pings = 1;
  snprintf(dir, sizeof dir, "%s", fk_test_dir("companion-city"));
  assert_int_equal(fk_gen_city(&o, dir, NULL, &d), 0);
  snprintf(path, sizeof path, "%s/city.db", dir);
  assert_int_equal(fk_store_open(path, &st, &d), 0);
  assert_int_equal(fk_store_set_bulk(st, 1), 0);
  assert_int_equal(fk_import_each(dir, import_found, st), 0);
  assert_int_equal(fk_rules_default(&rules), 0);
  check_against_brute_force(st, &rules);
  /* Small cells, a short dwell and long silences: other presences, other companions. */
  rules.companion.cell_meters = 150;
  rules.companion.dwell = 5 * HOUR;
  rules.companion.min_overlap = 30 * MIN;
  rules.companion.ping = 20 * MIN;
  rules.companion.max_gap = 20 * MIN;
  check_against_brute_force(st, &rules);
  fk_store_close(st);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(ten_minutes_together_is_not_enough_ten_and_a_second_is, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(another_cell_is_not_together, setup, teardown),
      cmocka_unit_test_setup_teardown(the_contacts_dwell_must_exceed_thirty_hours, setup, teardown),
      cmocka_unit_test_setup_teardown(the_cases_dwell_must_exceed_thirty_hours, setup, teardown),
      cmocka_unit_test_setup_teardown(dwell_counts_only_within_the_lookback, setup, teardown),
      cmocka_unit_test_setup_teardown(overlaps_count_only_within_the_window, setup, teardown),
      cmocka_unit_test_setup_teardown(pings_of_the_case_after_isolation_are_ignored, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_silence_over_an_hour_ends_a_presence, setup, teardown),
      cmocka_unit_test_setup_teardown(a_case_not_isolated_needs_now_and_a_non_case_is_refused,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(running_out_of_memory_fails_cleanly, setup, teardown),
      cmocka_unit_test(presence_rules_are_read_strictly),
      cmocka_unit_test(the_engine_agrees_with_brute_force_on_a_generated_city),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
