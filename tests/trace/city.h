/*
 * Hand-built cities for the tracer's tests: persons with households, places of chosen kinds,
 * check-ins and cases written as feed CSVs in a temporary folder, imported into a fresh store
 * with the ordinary importer, and indexed. Times are written "2022-07-08 09:00[:ss]" and mean
 * that instant in the city's zone (UTC+8).
 *
 * Header-only (static functions), since every tests/<module>/test_*.c is its own binary.
 */
#ifndef FK_TESTS_TRACE_CITY_H
#define FK_TESTS_TRACE_CITY_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ident.h"
#include "fangkong/ingest.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/time.h"
#include "fangkong/trace.h"
#include "testutil.h"

/* A growing text buffer. */
struct sb {
  char *s;
  size_t n, cap;
};

static inline void sb_add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void sb_add(struct sb *b, const char *fmt, ...)
{
  va_list ap;
  for (;;) {
    size_t room = b->cap - b->n;
    va_start(ap, fmt);
    int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? room : 0, fmt, ap);
    va_end(ap);
    if (k < 0) fail_msg("vsnprintf failed");
    if (b->s && (size_t)k < room) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->n + (size_t)k + 1)
      cap *= 2;
    b->s = realloc(b->s, cap);
    if (!b->s) fail_msg("out of memory");
    b->cap = cap;
  }
}

static inline void sb_free(struct sb *b)
{
  free(b->s);
  memset(b, 0, sizeof *b);
}

struct city {
  char dir[512];
  struct sb persons, places, checkins, cases;
  int npersons;
  struct fk_store *st;
  struct fk_rules rules;
  struct fk_trace_index *ix;
  struct fk_trace_result r;
  int traced;
};

/* "2022-07-08 09:00" or "2022-07-08 09:00:01" as ISO 8601 with the city's offset. */
static inline const char *iso(const char *t)
{
  static char buf[8][40];
  static int next;
  char *s = buf[next++ % 8];
  size_t n = strlen(t);
  if (n != 16 && n != 19) fail_msg("bad test time '%s'", t);
  snprintf(s, 40, "%.10sT%.8s%s+08:00", t, t + 11, n == 16 ? ":00" : "");
  return s;
}

/* The instant of a test time. */
static inline fk_time T(const char *t)
{
  const char *s = iso(t);
  fk_time v;
  if (fk_time_parse(s, strlen(s), &v, NULL)) fail_msg("cannot parse %s", s);
  return v;
}

static inline void city_init(struct city *c, const char *tag)
{
  static int serial;
  char name[128];
  memset(c, 0, sizeof *c);
  snprintf(name, sizeof name, "%s_%d", tag, serial++);
  snprintf(c->dir, sizeof c->dir, "%s", fk_test_dir(name));
  sb_add(&c->persons,
         "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address\n");
  sb_add(&c->places, "place_id,name,kind,grid_id,lat,lon,capacity\n");
  sb_add(&c->checkins, "person_id,place_id,checkin_at,checkout_at\n");
  sb_add(&c->cases, "person_id,kind,onset_date,sampled_at,isolated_at\n");
  if (fk_rules_default(&c->rules)) fail_msg("no default rules");
}

/* Adds a man born 1990-01-01 (a valid ID number, odd 17th digit) to a household in a grid. */
static inline void person_in(struct city *c, const char *id, const char *household,
                             const char *grid)
{
  char num[19];
  snprintf(num, sizeof num, "14010519900101%03d", (c->npersons++ % 500) * 2 + 1);
  num[17] = fk_idnum_check_char(num);
  num[18] = '\0';
  sb_add(&c->persons, "%s,%s,测试,M,1990-01-01,,%s,%s,\n", id, num, household, grid);
}

/* The same in grid G1. */
static inline void person(struct city *c, const char *id, const char *household)
{
  person_in(c, id, household, "G1");
}

static inline void place_in(struct city *c, const char *id, const char *kind, const char *grid)
{
  sb_add(&c->places, "%s,场所,%s,%s,37.74,112.56,100\n", id, kind, grid);
}

static inline void place(struct city *c, const char *id, const char *kind)
{
  place_in(c, id, kind, "G1");
}

/* A check-in; out NULL when the exit was not scanned. */
static inline void visit(struct city *c, const char *pid, const char *where, const char *in,
                         const char *out)
{
  sb_add(&c->checkins, "%s,%s,%s,", pid, where, iso(in));
  sb_add(&c->checkins, "%s\n", out ? iso(out) : "");
}

/* A case; onset (YYYY-MM-DD) and isolated may be NULL. */
static inline void a_case(struct city *c, const char *pid, const char *kind, const char *onset,
                          const char *sampled, const char *isolated)
{
  sb_add(&c->cases, "%s,%s,%s,", pid, kind, onset ? onset : "");
  sb_add(&c->cases, "%s,", iso(sampled));
  sb_add(&c->cases, "%s\n", isolated ? iso(isolated) : "");
}

/* Writes text as dir/name and imports it as feed; every row must be stored or a duplicate. */
static inline void import_text(struct city *c, const char *feed, const char *name, const char *text,
                               size_t len)
{
  struct fk_import_stats s = {0};
  struct fk_diag d;
  fk_diag_clear(&d);
  const char *path = fk_test_write(c->dir, name, text, len);
  int rc = fk_import_file(c->st, fk_feed_find(feed), path, NULL, &s, &d);
  if (rc || s.rejected) {
    char *rej;
    char rpath[1100];
    snprintf(rpath, sizeof rpath, "%s/%s.rejects.csv", c->dir, name);
    rej = fk_test_read(rpath, NULL);
    fail_msg("import %s: rc %d, %ld rejected: %s\n%s", name, rc, s.rejected, d.reason,
             rej ? rej : "");
  }
}

static inline void import_all(struct city *c, const char *suffix)
{
  char name[64];
  snprintf(name, sizeof name, "persons%s.csv", suffix);
  import_text(c, "persons", name, c->persons.s, c->persons.n);
  snprintf(name, sizeof name, "places%s.csv", suffix);
  import_text(c, "places", name, c->places.s, c->places.n);
  snprintf(name, sizeof name, "checkins%s.csv", suffix);
  import_text(c, "checkins", name, c->checkins.s, c->checkins.n);
  snprintf(name, sizeof name, "cases%s.csv", suffix);
  import_text(c, "cases", name, c->cases.s, c->cases.n);
}

/* Loads $FK_SRC/rules/<name>.json into r. */
static inline void city_rules(struct fk_rules *r, const char *name)
{
  const char *src = getenv("FK_SRC");
  char path[1024];
  struct fk_diag d;
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/rules/%s.json", src ? src : ".", name);
  if (fk_rules_load(path, r, NULL, NULL, &d)) fail_msg("%s: %s: %s", path, d.field, d.reason);
}

/* Samples given as "P2 2022-07-11 negative" (taken at 10:00 that day), imported as
   samples<suffix>.csv. */
static inline void city_samples(struct city *c, const char *suffix, const char *const *rows, int n)
{
  static int serial;
  struct sb b = {0};
  char name[64];
  sb_add(&b, "sample_id,pool_id,person_id,sampled_at,site_id,result,reported_at\n");
  for (int i = 0; i < n; i++) {
    char pid[16], day[16], result[16], t[32];
    if (sscanf(rows[i], "%15s %15s %15s", pid, day, result) != 3) fail_msg("bad row");
    snprintf(t, sizeof t, "%s 10:00", day);
    sb_add(&b, "S%d,,%s,%s,SITE1,%s,\n", ++serial, pid, iso(t), result);
  }
  snprintf(name, sizeof name, "samples%s.csv", suffix);
  import_text(c, "samples", name, b.s, b.n);
  sb_free(&b);
}

/* The loop's small town (not yet loaded): P1 a confirmed case (onset 07-10, sampled 07-10 10:00,
 * isolated 18:00) who ate with P2 at restaurant R1 on 07-10 12:00-13:00; P2 then worked with P3
 * at office O1 14:00-17:00. */
static inline void small_town(struct city *c)
{
  person(c, "P1", "H1");
  person(c, "P2", "H2");
  person(c, "P3", "H3");
  place(c, "R1", "restaurant");
  place(c, "O1", "office");
  a_case(c, "P1", "confirmed", "2022-07-10", "2022-07-10 10:00", "2022-07-10 18:00");
  visit(c, "P1", "R1", "2022-07-10 12:00", "2022-07-10 13:00");
  visit(c, "P2", "R1", "2022-07-10 12:00", "2022-07-10 13:00");
  visit(c, "P2", "O1", "2022-07-10 14:00", "2022-07-10 17:00");
  visit(c, "P3", "O1", "2022-07-10 14:00", "2022-07-10 17:00");
}

/* Opens a store, imports everything added so far and builds the index under c->rules. */
static inline void city_load(struct city *c)
{
  static const char grids[] = "grid_id,name,community,street,district,lat,lon\n"
                              "G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n";
  char path[600];
  struct fk_diag d;
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/city.db", c->dir);
  if (fk_store_open(path, &c->st, &d)) fail_msg("open %s: %s", path, d.reason);
  import_text(c, "grids", "grids.csv", grids, sizeof grids - 1);
  import_all(c, "");
  if (fk_trace_index_build(c->st, &c->rules, &c->ix, &d)) fail_msg("index: %s", d.reason);
}

/* Starts a new batch of feed rows (written after the index was built: see city_more). */
static inline void city_next_batch(struct city *c)
{
  sb_free(&c->persons);
  sb_free(&c->places);
  sb_free(&c->checkins);
  sb_free(&c->cases);
  sb_add(&c->persons,
         "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address\n");
  sb_add(&c->places, "place_id,name,kind,grid_id,lat,lon,capacity\n");
  sb_add(&c->checkins, "person_id,place_id,checkin_at,checkout_at\n");
  sb_add(&c->cases, "person_id,kind,onset_date,sampled_at,isolated_at\n");
}

/* Imports the current batch into the store (the index is not touched). */
static inline void city_more(struct city *c, const char *suffix)
{
  import_all(c, suffix);
}

static inline void city_untrace(struct city *c)
{
  if (c->traced) fk_trace_result_free(&c->r);
  c->traced = 0;
}

static inline void city_free(struct city *c)
{
  city_untrace(c);
  fk_trace_index_free(c->ix);
  fk_store_close(c->st);
  sb_free(&c->persons);
  sb_free(&c->places);
  sb_free(&c->checkins);
  sb_free(&c->cases);
}

static inline int64_t who(struct city *c, const char *person_id)
{
  int64_t p = fk_trace_person(c->ix, person_id, strlen(person_id));
  if (!p) fail_msg("no person %s in the index", person_id);
  return p;
}

/* Traces a case as of now ("2022-07-12 00:00") to depth; the result is c->r. */
static inline void trace(struct city *c, const char *case_id, const char *now, int depth)
{
  struct fk_diag d;
  fk_diag_clear(&d);
  city_untrace(c);
  int rc = fk_trace_case(c->ix, who(c, case_id), T(now), depth, &c->r, &d);
  if (rc) fail_msg("trace %s: rc %d: %s", case_id, rc, d.reason);
  c->traced = 1;
}

/* The contact person_id at degree 1 (via NULL) or degree 2 through via, or NULL. */
static inline const struct fk_contact *contact(struct city *c, const char *person_id,
                                               const char *via)
{
  int64_t p = who(c, person_id), v = via ? who(c, via) : 0;
  for (size_t i = 0; i < c->r.ncontacts; i++)
    if (c->r.contacts[i].person == p && c->r.contacts[i].via == v) return &c->r.contacts[i];
  return NULL;
}

/* Does person_id appear anywhere among the contacts (any degree, any via)? */
static inline int listed(struct city *c, const char *person_id)
{
  int64_t p = who(c, person_id);
  for (size_t i = 0; i < c->r.ncontacts; i++)
    if (c->r.contacts[i].person == p) return 1;
  return 0;
}

static inline size_t count_degree(const struct city *c, int degree)
{
  size_t n = 0;
  for (size_t i = 0; i < c->r.ncontacts; i++)
    n += c->r.contacts[i].degree == degree;
  return n;
}

static inline const char *fmt_time(fk_time t)
{
  static char buf[4][FK_TIME_BUFSZ];
  static int next;
  return fk_time_format(t, buf[next++ % 4]);
}

/* Asserts one contact exactly: degree, category, via, first and last exposure, exposures. */
static inline void expect_contact(struct city *c, const char *person_id, int degree,
                                  const char *cat, const char *via, const char *first,
                                  const char *last, size_t nexp)
{
  const struct fk_contact *k = contact(c, person_id, via);
  if (!k) fail_msg("%s (via %s) is not a contact", person_id, via ? via : "-");
  enum fk_category want = !strcmp(cat, "close") ? FK_CAT_CLOSE : FK_CAT_GENERAL;
  if (k->degree != degree || k->category != want || fk_trace_time(k->first) != T(first) ||
      fk_trace_time(k->last) != T(last) || k->nexp != nexp)
    fail_msg("%s: degree %d %s %s..%s %zu exposures; want degree %d %s %s..%s %zu", person_id,
             k->degree, k->category == FK_CAT_CLOSE ? "close" : "general",
             fmt_time(fk_trace_time(k->first)), fmt_time(fk_trace_time(k->last)), (size_t)k->nexp,
             degree, cat, iso(first), iso(last), nexp);
}

static inline void expect_none(struct city *c, const char *person_id)
{
  if (listed(c, person_id)) fail_msg("%s should not be a contact", person_id);
}

#endif
