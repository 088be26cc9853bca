/*
 * The synthetic city: deterministic, shaped like Taiyuan, and acceptable to the importer row for
 * row. One small city (scale 0.002, 3 days, a seeded outbreak) is generated once and read by
 * every test; two more runs check determinism and the seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ingest.h"
#include "fangkong/gen.h"
#include "fangkong/ident.h"
#include "gen/city.h"
#include "testutil.h"

#define SCALE 0.002
#define DAYS 3

static struct fk_gen_opts opts;
static char city_dir[512];
static struct fk_gen_stats city_stats;

/* One parsed CSV file: rows of fields pointing into a copy of the text. */
struct table {
  char *text;
  size_t nrows; /* data rows, header excluded */
  int ncols;
  char ***rows; /* rows[i][j], NUL-terminated */
  size_t **lens;
  char **header;
};

static char *parse_field(char **p, size_t *len)
{
  char *s = *p, *out = s, *start = s;
  if (*s == '"') {
    s++;
    for (;;) {
      if (*s == '"' && s[1] == '"') {
        *out++ = '"';
        s += 2;
      } else if (*s == '"') {
        s++;
        break;
      } else {
        assert_true(*s != '\0');
        *out++ = *s++;
      }
    }
  } else {
    while (*s != ',' && *s != '\n' && *s != '\0')
      *out++ = *s++;
  }
  *len = (size_t)(out - start);
  char end = *s;
  *out = '\0';
  *p = end ? s + 1 : s;
  if (end == '\n') *p = s + 1;
  return start;
}

static void table_load(struct table *t, const char *dir, const char *feed)
{
  char path[1024];
  size_t len;
  snprintf(path, sizeof path, "%s/%s.csv", dir, feed);
  memset(t, 0, sizeof *t);
  t->text = fk_test_read(path, &len);
  assert_non_null(t->text);
  assert_true(len > 0 && t->text[len - 1] == '\n');
  assert_null(memchr(t->text, '\r', len));
  size_t lines = 0;
  for (size_t i = 0; i < len; i++)
    lines += t->text[i] == '\n';
  const struct fk_feed *f = fk_feed_find(feed);
  t->ncols = f->ncols;
  t->rows = calloc(lines, sizeof *t->rows);
  t->lens = calloc(lines, sizeof *t->lens);
  char *p = t->text;
  for (size_t r = 0; r < lines; r++) {
    char **row = calloc((size_t)t->ncols, sizeof *row);
    size_t *lens = calloc((size_t)t->ncols, sizeof *lens);
    for (int c = 0; c < t->ncols; c++)
      row[c] = parse_field(&p, &lens[c]);
    if (r == 0) {
      t->header = row;
      free(lens);
    } else {
      t->rows[r - 1] = row;
      t->lens[r - 1] = lens;
    }
  }
  assert_true(*p == '\0'); /* exactly ncols fields a line */
  t->nrows = lines - 1;
}

static void table_free(struct table *t)
{
  for (size_t r = 0; r < t->nrows; r++) {
    free(t->rows[r]);
    free(t->lens[r]);
  }
  free(t->header);
  free(t->rows);
  free(t->lens);
  free(t->text);
}

static struct table tables[FK_FEED_COUNT];

static int setup(void **state)
{
  (void)state;
  struct fk_diag d;
  fk_gen_opts_init(&opts);
  opts.scale = SCALE;
  opts.days = DAYS;
  opts.seed = 7;
  opts.outbreak = 4;
  opts.pings = 1;
  snprintf(city_dir, sizeof city_dir, "%s", fk_test_dir("gen-city"));
  if (fk_gen_city(&opts, city_dir, &city_stats, &d)) return -1;
  for (int f = 0; f < FK_FEED_COUNT; f++)
    table_load(&tables[f], city_dir, fk_feed_get((enum fk_feed_id)f)->name);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  for (int f = 0; f < FK_FEED_COUNT; f++)
    table_free(&tables[f]);
  return 0;
}

static int same_files(const char *a, const char *b)
{
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    char pa[1024], pb[1024];
    size_t la, lb;
    snprintf(pa, sizeof pa, "%s/%s.csv", a, fk_feed_get((enum fk_feed_id)f)->name);
    snprintf(pb, sizeof pb, "%s/%s.csv", b, fk_feed_get((enum fk_feed_id)f)->name);
    char *x = fk_test_read(pa, &la), *y = fk_test_read(pb, &lb);
    int same = x && y && la == lb && !memcmp(x, y, la);
    free(x);
    free(y);
    if (!same) return 0;
  }
  return 1;
}

static void same_arguments_give_byte_identical_files(void **state)
{
  (void)state;
  char other[512];
  snprintf(other, sizeof other, "%s", fk_test_dir("gen-again"));
  assert_int_equal(fk_gen_city(&opts, other, NULL, NULL), 0);
  assert_true(same_files(city_dir, other));
}

static void another_seed_gives_another_city(void **state)
{
  (void)state;
  struct fk_gen_opts o = opts;
  char other[512];
  o.seed = 8;
  snprintf(other, sizeof other, "%s", fk_test_dir("gen-seed"));
  assert_int_equal(fk_gen_city(&o, other, NULL, NULL), 0);
  assert_false(same_files(city_dir, other));
}

/* Pings draw from their own streams: turning them off changes pings.csv (header only) and
 * nothing else. */
static void pings_change_no_other_feed(void **state)
{
  (void)state;
  struct fk_gen_opts o = opts;
  struct fk_gen_stats st;
  char other[512], a[1024], b[1024];
  o.pings = 0;
  snprintf(other, sizeof other, "%s", fk_test_dir("gen-nopings"));
  assert_int_equal(fk_gen_city(&o, other, &st, NULL), 0);
  assert_int_equal(st.rows[FK_FEED_PINGS], 0);
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    const char *name = fk_feed_get((enum fk_feed_id)f)->name;
    size_t na, nb;
    snprintf(a, sizeof a, "%s/%s.csv", city_dir, name);
    snprintf(b, sizeof b, "%s/%s.csv", other, name);
    char *x = fk_test_read(a, &na), *y = fk_test_read(b, &nb);
    assert_non_null(x);
    assert_non_null(y);
    if (f == FK_FEED_PINGS)
      assert_string_equal(y, "person_id,at,lat,lon\n");
    else if (na != nb || memcmp(x, y, na))
      fail_msg("%s.csv differs with pings off", name);
    free(x);
    free(y);
  }
}

/* Pings come in time order, and each person has them all day: none more than an hour apart
 * from the first to the last of the day, so a stay or a night at home is one presence. */
static void pings_run_in_time_order_at_most_an_hour_apart(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_PINGS];
  const struct fk_feed *feed = fk_feed_get(FK_FEED_PINGS);
  long npersons = (long)tables[FK_FEED_PERSONS].nrows;
  fk_time *last = calloc((size_t)npersons + 1, sizeof *last);
  struct fk_value v;
  struct fk_diag d;
  long maxgap = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    if (r) assert_true(strcmp(t->rows[r - 1][1], t->rows[r][1]) <= 0);
    long p = atol(t->rows[r][0] + 1);
    assert_true(p >= 1 && p <= npersons);
    assert_int_equal(fk_value_parse(&feed->cols[1], t->rows[r][1], t->lens[r][1], &v, &d), 0);
    if (last[p] && v.i - last[p] > maxgap) maxgap = (long)(v.i - last[p]);
    last[p] = v.i;
  }
  free(last);
  assert_true(maxgap > 0 && maxgap <= 3600);
  assert_true(t->nrows > tables[FK_FEED_CHECKINS].nrows * 5);
}

static void headers_are_the_feed_columns(void **state)
{
  (void)state;
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    const struct fk_feed *feed = fk_feed_get((enum fk_feed_id)f);
    for (int c = 0; c < feed->ncols; c++)
      assert_string_equal(tables[f].header[c], feed->cols[c].name);
  }
}

/* The contract with the importer: every field parses as its column, every row passes the
 * feed's cross-field check. */
static void every_field_of_every_row_passes_the_importer_checks(void **state)
{
  (void)state;
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    const struct fk_feed *feed = fk_feed_get((enum fk_feed_id)f);
    struct fk_value v[FK_FEED_MAXCOLS];
    struct fk_diag d;
    for (size_t r = 0; r < tables[f].nrows; r++) {
      for (int c = 0; c < feed->ncols; c++) {
        int rc =
            fk_value_parse(&feed->cols[c], tables[f].rows[r][c], tables[f].lens[r][c], &v[c], &d);
        if (rc)
          fail_msg("%s row %zu column %s '%s': %s", feed->name, r + 1, feed->cols[c].name,
                   tables[f].rows[r][c], d.reason);
      }
      if (feed->check && feed->check(v, &d))
        fail_msg("%s row %zu: %s: %s", feed->name, r + 1, d.field, d.reason);
    }
  }
}

static void every_feed_has_rows_and_stats_count_them(void **state)
{
  (void)state;
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    assert_int_equal(city_stats.rows[f], tables[f].nrows);
    assert_true(tables[f].nrows > 0);
  }
}

/* 20 rooms per 10,000 residents (at least 4 a site), a site in every district, rooms of every
 * site numbered uniquely, mostly single. */
static void quarantine_rooms_are_sized_to_the_city(void **state)
{
  (void)state;
  const struct table *s = &tables[FK_FEED_SITES], *r = &tables[FK_FEED_ROOMS];
  double want = (double)tables[FK_FEED_PERSONS].nrows * 20 / 10000;
  assert_true(s->nrows >= 10);
  assert_true((double)r->nrows >= want - 10 && (double)r->nrows <= want + 4 * 10 + 10);
  int grid = fk_feed_column(fk_feed_get(FK_FEED_SITES), "grid_id");
  for (int d = 0; d < 10; d++) {
    char code[16];
    int found = 0;
    snprintf(code, sizeof code, "G%s", fk__districts[d].code);
    for (size_t i = 0; i < s->nrows; i++)
      found |= !strncmp(s->rows[i][grid], code, strlen(code));
    assert_true(found);
  }
  size_t single = 0;
  for (size_t i = 0; i < r->nrows; i++) {
    single += !strcmp(r->rows[i][2], "single");
    for (size_t k = 0; k < i; k++) /* (site, room) unique */
      assert_false(!strcmp(r->rows[i][0], r->rows[k][0]) && !strcmp(r->rows[i][1], r->rows[k][1]));
  }
  assert_true(single * 10 >= r->nrows * 7);
}

static void the_ten_districts_appear_by_their_real_names(void **state)
{
  (void)state;
  static const char *const names[] = {"小店区", "迎泽区", "杏花岭区", "尖草坪区", "万柏林区",
                                      "晋源区", "清徐县", "阳曲县",   "娄烦县",   "古交市"};
  const struct table *g = &tables[FK_FEED_GRIDS];
  int col = fk_feed_column(fk_feed_get(FK_FEED_GRIDS), "district");
  for (int i = 0; i < 10; i++) {
    int found = 0;
    for (size_t r = 0; r < g->nrows && !found; r++)
      found = !strcmp(g->rows[r][col], names[i]);
    assert_true(found);
  }
  for (size_t r = 0; r < g->nrows; r++) {
    int known = 0;
    for (int i = 0; i < 10; i++)
      known |= !strcmp(g->rows[r][col], names[i]);
    assert_true(known);
  }
}

static void persons_number_about_5_4_million_times_scale(void **state)
{
  (void)state;
  double want = 5.4e6 * SCALE, got = (double)tables[FK_FEED_PERSONS].nrows;
  assert_true(got > want * 0.97 && got < want * 1.03);
}

static void about_three_checkins_a_person_a_day(void **state)
{
  (void)state;
  double mean =
      (double)tables[FK_FEED_CHECKINS].nrows / (double)tables[FK_FEED_PERSONS].nrows / DAYS;
  assert_true(mean >= 2.5 && mean <= 3.5);
}

static void about_a_quarter_of_checkins_have_no_checkout(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_CHECKINS];
  size_t empty = 0;
  for (size_t r = 0; r < t->nrows; r++)
    empty += t->lens[r][3] == 0;
  double share = (double)empty / (double)t->nrows;
  assert_true(share > 0.15 && share < 0.35);
}

static void id_numbers_match_birth_date_and_sex(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_PERSONS];
  for (size_t r = 0; r < t->nrows; r++) {
    const char *id = t->rows[r][1];
    fk_date birth, want;
    assert_int_equal(fk_idnum_check(id, strlen(id), &birth, NULL), 0);
    assert_int_equal(fk_date_parse(t->rows[r][4], 10, &want, NULL), 0);
    assert_int_equal(birth, want);
    assert_int_equal((id[16] - '0') % 2, t->rows[r][3][0] == 'M');
  }
}

static void phones_are_mobile_numbers_and_children_may_have_none(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_PERSONS];
  size_t none = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    if (!t->lens[r][5]) {
      none++;
      continue;
    }
    assert_int_equal(fk_phone_check(t->rows[r][5], t->lens[r][5], NULL), 0);
  }
  assert_true(none > 0 && none < t->nrows / 3);
}

static void checkouts_never_precede_checkins_and_days_run_in_time_order(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_CHECKINS];
  for (size_t r = 0; r < t->nrows; r++) {
    if (t->lens[r][3]) assert_true(strcmp(t->rows[r][3], t->rows[r][2]) >= 0);
    if (r) assert_true(strcmp(t->rows[r - 1][2], t->rows[r][2]) <= 0);
  }
}

/* A set of strings for key checks: open addressing, FNV-1a. */
struct strset {
  char **slot;
  size_t cap;
};

static int strset_add(struct strset *s, const char *key)
{
  uint64_t h = 1469598103934665603ULL;
  for (const char *p = key; *p; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211ULL;
  size_t i = (size_t)h & (s->cap - 1);
  while (s->slot[i]) {
    if (!strcmp(s->slot[i], key)) return 0;
    i = (i + 1) & (s->cap - 1);
  }
  s->slot[i] = strdup(key);
  return 1;
}

static void strset_init(struct strset *s, size_t n)
{
  s->cap = 1024;
  while (s->cap < n * 2)
    s->cap <<= 1;
  s->slot = calloc(s->cap, sizeof *s->slot);
}

static void strset_free(struct strset *s)
{
  for (size_t i = 0; i < s->cap; i++)
    free(s->slot[i]);
  free(s->slot);
}

static void natural_keys_are_unique(void **state)
{
  (void)state;
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    const struct fk_feed *feed = fk_feed_get((enum fk_feed_id)f);
    struct strset set;
    strset_init(&set, tables[f].nrows);
    for (size_t r = 0; r < tables[f].nrows; r++) {
      char key[512] = "";
      for (int c = 0; c < feed->ncols; c++)
        if (feed->cols[c].flags & FK_COL_KEY) {
          strcat(key, tables[f].rows[r][c]);
          strcat(key, "|");
        }
      if (!strset_add(&set, key)) fail_msg("%s: duplicate key %s", feed->name, key);
    }
    strset_free(&set);
  }
}

static void id_numbers_and_phones_are_unique(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_PERSONS];
  struct strset ids, phones;
  strset_init(&ids, t->nrows);
  strset_init(&phones, t->nrows);
  for (size_t r = 0; r < t->nrows; r++) {
    assert_true(strset_add(&ids, t->rows[r][1]));
    if (t->lens[r][5]) assert_true(strset_add(&phones, t->rows[r][5]));
  }
  strset_free(&ids);
  strset_free(&phones);
}

/* Every reference names a row of the feed it refers to. */
static void references_name_existing_rows(void **state)
{
  (void)state;
  struct strset keys[FK_FEED_COUNT];
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    strset_init(&keys[f], tables[f].nrows);
    for (size_t r = 0; r < tables[f].nrows; r++)
      strset_add(&keys[f], tables[f].rows[r][0]);
  }
  /* A region_id (counts.csv) may also name a district, street or community by its code. */
  for (size_t r = 0; r < tables[FK_FEED_GRIDS].nrows; r++) {
    char *const *g = tables[FK_FEED_GRIDS].rows[r];
    char code[512];
    snprintf(code, sizeof code, "/%s", g[4]);
    strset_add(&keys[FK_FEED_GRIDS], code);
    snprintf(code, sizeof code, "/%s/%s", g[4], g[3]);
    strset_add(&keys[FK_FEED_GRIDS], code);
    snprintf(code, sizeof code, "/%s/%s/%s", g[4], g[3], g[2]);
    strset_add(&keys[FK_FEED_GRIDS], code);
  }
  for (int f = 0; f < FK_FEED_COUNT; f++) {
    const struct fk_feed *feed = fk_feed_get((enum fk_feed_id)f);
    for (int c = 0; c < feed->ncols; c++) {
      int ref = feed->cols[c].ref;
      if (ref == FK_FEED_NONE) continue;
      for (size_t r = 0; r < tables[f].nrows; r++)
        if (strset_add(&keys[ref], tables[f].rows[r][c]))
          fail_msg("%s.%s: %s is unknown", feed->name, feed->cols[c].name, tables[f].rows[r][c]);
    }
  }
  for (int f = 0; f < FK_FEED_COUNT; f++)
    strset_free(&keys[f]);
}

static void place_kinds_are_known_and_match_the_internal_order(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_PLACES];
  int n = 0;
  while (fk_place_kinds[n])
    n++;
  assert_int_equal(n, FK__NKINDS);
  assert_string_equal(fk_place_kinds[K_RESIDENTIAL], "residential");
  assert_string_equal(fk_place_kinds[K_CONSTRUCTION], "construction_site");
  assert_string_equal(fk_place_kinds[K_RAILWAY], "railway_station");
  for (size_t r = 0; r < t->nrows; r++) {
    int known = 0;
    for (int k = 0; fk_place_kinds[k]; k++)
      known |= !strcmp(fk_place_kinds[k], t->rows[r][2]);
    assert_true(known);
  }
}

static void grid_names_are_unique_within_their_street(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_GRIDS];
  struct strset grids;
  strset_init(&grids, t->nrows);
  for (size_t r = 0; r < t->nrows; r++) {
    char key[600];
    snprintf(key, sizeof key, "%s|%s|%s", t->rows[r][4], t->rows[r][3], t->rows[r][1]);
    assert_true(strset_add(&grids, key));
  }
  strset_free(&grids);
}

static void pooled_samples_hold_at_most_ten(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_SAMPLES];
  size_t run = 0, pooled = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    if (!t->lens[r][1]) {
      run = 0;
      continue;
    }
    pooled++;
    run = r && !strcmp(t->rows[r - 1][1], t->rows[r][1]) ? run + 1 : 1;
    assert_true(run <= 10);
  }
  assert_true(pooled > t->nrows / 2);
}

static void the_outbreak_has_cases_of_both_kinds(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_CASES];
  assert_true(t->nrows >= 4);
  for (size_t r = 0; r < t->nrows; r++)
    assert_int_equal(!strcmp(t->rows[r][1], "asymptomatic"), t->lens[r][2] == 0);
}

static void bad_options_are_refused(void **state)
{
  (void)state;
  struct fk_gen_opts o = opts;
  struct fk_diag d;
  o.scale = 0;
  assert_int_equal(fk_gen_opts_check(&o, &d), FK_ERANGE);
  o.scale = 2.5;
  assert_int_equal(fk_gen_city(&o, city_dir, NULL, &d), FK_ERANGE);
  o = opts;
  o.days = 0;
  assert_int_equal(fk_gen_opts_check(&o, &d), FK_ERANGE);
  o.days = 367;
  assert_int_equal(fk_gen_opts_check(&o, &d), FK_ERANGE);
  assert_non_null(strstr(d.reason, "days"));
}

static void a_persons_stays_never_overlap(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_CHECKINS];
  size_t np = tables[FK_FEED_PERSONS].nrows;
  char(*last)[32] = calloc(np + 1, sizeof *last); /* end of the person's latest stay */
  for (size_t r = 0; r < t->nrows; r++) {
    size_t p = strtoul(t->rows[r][0] + 1, NULL, 10);
    assert_true(p >= 1 && p <= np);
    assert_true(strcmp(last[p], t->rows[r][2]) < 0);
    snprintf(last[p], sizeof last[p], "%s", t->lens[r][3] ? t->rows[r][3] : t->rows[r][2]);
  }
  free(last);
}

static void ages_and_households_resemble_the_census(void **state)
{
  (void)state;
  const struct table *t = &tables[FK_FEED_PERSONS];
  size_t young = 0, old = 0, men = 0, households = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    fk_date birth;
    assert_int_equal(fk_date_parse(t->rows[r][4], 10, &birth, NULL), 0);
    int age = fk__age_on(birth, opts.start);
    young += age < 15;
    old += age >= 60;
    men += t->rows[r][3][0] == 'M';
    households += r == 0 || strcmp(t->rows[r][6], t->rows[r - 1][6]) != 0;
  }
  double n = (double)t->nrows;
  assert_true(young / n > 0.10 && young / n < 0.20); /* census 15.6 % */
  assert_true(old / n > 0.11 && old / n < 0.21);     /* census 16.1 % */
  assert_true(men / n > 0.47 && men / n < 0.55);     /* census 51.3 % */
  double mean = n / (double)households;              /* families 2.45, plus dormitories */
  assert_true(mean > 2.2 && mean < 3.2);
}

/* Every allocation, made to fail in turn, gives FK_ENOMEM and leaks nothing (ASan checks). */
static void running_out_of_memory_fails_cleanly(void **state)
{
  (void)state;
  struct fk_gen_opts o = opts;
  char dir[512];
  o.scale = 0.0005;
  o.days = 1;
  snprintf(dir, sizeof dir, "%s", fk_test_dir("gen-nomem"));
  int rc = FK_ENOMEM;
  for (long n = 1; rc == FK_ENOMEM && n < 1000; n++) {
    fk_alloc_fail_after(n);
    rc = fk_gen_city(&o, dir, NULL, NULL);
    fk_alloc_fail_after(0);
  }
  assert_int_equal(rc, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_arguments_give_byte_identical_files),
      cmocka_unit_test(another_seed_gives_another_city),
      cmocka_unit_test(pings_change_no_other_feed),
      cmocka_unit_test(pings_run_in_time_order_at_most_an_hour_apart),
      cmocka_unit_test(headers_are_the_feed_columns),
      cmocka_unit_test(every_field_of_every_row_passes_the_importer_checks),
      cmocka_unit_test(every_feed_has_rows_and_stats_count_them),
      cmocka_unit_test(quarantine_rooms_are_sized_to_the_city),
      cmocka_unit_test(the_ten_districts_appear_by_their_real_names),
      cmocka_unit_test(persons_number_about_5_4_million_times_scale),
      cmocka_unit_test(about_three_checkins_a_person_a_day),
      cmocka_unit_test(about_a_quarter_of_checkins_have_no_checkout),
      cmocka_unit_test(id_numbers_match_birth_date_and_sex),
      cmocka_unit_test(phones_are_mobile_numbers_and_children_may_have_none),
      cmocka_unit_test(checkouts_never_precede_checkins_and_days_run_in_time_order),
      cmocka_unit_test(natural_keys_are_unique),
      cmocka_unit_test(id_numbers_and_phones_are_unique),
      cmocka_unit_test(references_name_existing_rows),
      cmocka_unit_test(place_kinds_are_known_and_match_the_internal_order),
      cmocka_unit_test(grid_names_are_unique_within_their_street),
      cmocka_unit_test(pooled_samples_hold_at_most_ten),
      cmocka_unit_test(the_outbreak_has_cases_of_both_kinds),
      cmocka_unit_test(a_persons_stays_never_overlap),
      cmocka_unit_test(ages_and_households_resemble_the_census),
      cmocka_unit_test(bad_options_are_refused),
      cmocka_unit_test(running_out_of_memory_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
