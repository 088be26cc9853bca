/*
 * The scan's readers: SaTScan's case and coordinates files, counts.csv with a regions file, and
 * the store. A bad row is named with file, line, field and reason and skipped; the others are
 * kept and scanned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ingest.h"
#include "fangkong/scan.h"
#include "fangkong/store.h"
#include "testutil.h"

#define MAXREJ 16

struct rejects {
  int n;
  long line[MAXREJ];
  char field[MAXREJ][64];
  char file[MAXREJ][256];
  char reason[MAXREJ][512];
};

static void on_reject(void *arg, const struct fk_diag *why)
{
  struct rejects *r = arg;
  if (r->n >= MAXREJ) return;
  r->line[r->n] = why->line;
  memcpy(r->field[r->n], why->field, sizeof why->field);
  memcpy(r->file[r->n], why->file, sizeof why->file);
  memcpy(r->reason[r->n], why->reason, sizeof why->reason);
  r->n++;
}

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

/* Total cases of the input on days first..last, by running a scan without replicates. */
static int64_t cases_in(struct fk_scan_input *in, const char *first, const char *last)
{
  struct fk_scan_params p = {1, 1, 0, 1, 1};
  struct fk_scan_result r;
  struct fk_diag d;
  assert_int_equal(fk_scan_run(in, D(first), D(last), &p, &r, &d), 0);
  int64_t n = r.cases;
  fk_scan_result_free(&r);
  return n;
}

static const char geo[] = "A 37.80 112.50\n"
                          "B\t37.81\t112.51\r\n"
                          "\n"
                          "C 37.9x 112.6\n"  /* 4: lat */
                          "D 91 112.6\n"     /* 5: lat */
                          "A 37.00 112.00\n" /* 6: defined twice */
                          "E 37.8 112.5 7\n" /* 7: Cartesian or extra field */
                          "F 37.82\n"        /* 8: too few */
                          "   G   37.83   112.53   \n";

static void bad_coordinates_rows_are_named_and_the_rest_kept(void **state)
{
  (void)state;
  struct fk_scan_input *in;
  struct rejects rj = {0};
  struct fk_diag d;
  long bad = 0;
  assert_int_equal(fk_scan_input_new(&in), 0);
  assert_int_equal(fk_scan_read_geo(in, geo, strlen(geo), "city.geo", on_reject, &rj, &bad, &d), 0);
  assert_int_equal(bad, 5);
  assert_int_equal(rj.n, 5);
  assert_int_equal(fk_scan_nlocations(in), 3);
  assert_true(fk_scan_find_location(in, "G", 1) == 2);
  const long lines[] = {4, 5, 6, 7, 8};
  const char *fields[] = {"lat", "lat", "location_id", "", ""};
  for (int i = 0; i < 5; i++) {
    assert_int_equal(rj.line[i], lines[i]);
    assert_string_equal(rj.field[i], fields[i]);
    assert_string_equal(rj.file[i], "city.geo");
    assert_true(strlen(rj.reason[i]) > 5);
  }
  assert_non_null(strstr(rj.reason[0], "37.9x"));
  assert_non_null(strstr(rj.reason[3], "too many fields"));
  fk_scan_input_free(in);
}

static void bad_case_rows_are_named_and_the_rest_kept(void **state)
{
  (void)state;
  static const char cas[] = "A 2 2024/03/01\n"
                            "B\t1\t2024/03/02\n"
                            "Z 1 2024/03/02\n"   /* 3: unknown location */
                            "A -1 2024/03/02\n"  /* 4: negative */
                            "A 1.5 2024/03/02\n" /* 5: not whole */
                            "A 1 2024/02/30\n"   /* 6: no such day */
                            "A 1 03/02/2024\n"   /* 7: layout */
                            "A 1 2024/03/02 m\n" /* 8: a covariate */
                            "A two 2024/03/02\n" /* 9: not a number */
                            "G 3 2024-03-03\r\n";
  struct fk_scan_input *in;
  struct rejects rj = {0};
  struct fk_diag d;
  long bad = 0;
  assert_int_equal(fk_scan_input_new(&in), 0);
  assert_int_equal(fk_scan_read_geo(in, geo, strlen(geo), "city.geo", NULL, NULL, NULL, &d), 0);
  assert_int_equal(fk_scan_read_cas(in, cas, strlen(cas), "city.cas", on_reject, &rj, &bad, &d), 0);
  assert_int_equal(bad, 7);
  const long lines[] = {3, 4, 5, 6, 7, 8, 9};
  const char *fields[] = {"location_id", "cases", "cases", "date", "date", "", "cases"};
  for (int i = 0; i < 7; i++) {
    assert_int_equal(rj.line[i], lines[i]);
    assert_string_equal(rj.field[i], fields[i]);
    assert_string_equal(rj.file[i], "city.cas");
  }
  assert_non_null(strstr(rj.reason[5], "covariates"));
  assert_int_equal(cases_in(in, "2024-03-01", "2024-03-03"), 6);
  fk_scan_input_free(in);
}

static void counts_csv_reads_one_channel_with_regions_or_grids(void **state)
{
  (void)state;
  static const char regions[] = "name,lat,region_id,lon\n"
                                "north,37.80,R1,112.50\n"
                                "south,37.70,R2,112.40\n"
                                "bad,95,R3,112.40\n"; /* 4: lat */
  static const char grids[] = "grid_id,name,community,street,district,lat,lon\n"
                              "G1,g,c,s,d,37.80,112.50\n";
  static const char counts[] = "date,region_id,channel,count\n"
                               "2024-03-01,R1,fever_clinic,3\n"
                               "2024-03-01,R2,pharmacy,40\n"
                               "2024-03-02,R2,fever_clinic,2\n"
                               "2024-03-02,R9,fever_clinic,2\n"  /* 5: no coordinates */
                               "2024-03-02,R1,fever_clinic,-2\n" /* 6: count */
                               "2024-13-02,R1,fever_clinic,1\n"; /* 7: date */
  struct fk_scan_input *in;
  struct rejects rj = {0};
  struct fk_diag d;
  long bad = 0;
  assert_int_equal(fk_scan_input_new(&in), 0);
  assert_int_equal(
      fk_scan_read_regions(in, regions, strlen(regions), "regions.csv", on_reject, &rj, &bad, &d),
      0);
  assert_int_equal(fk_scan_nlocations(in), 2);
  assert_int_equal(rj.line[0], 4);
  assert_string_equal(rj.field[0], "lat");
  assert_int_equal(fk_scan_read_counts(in, counts, strlen(counts), "counts.csv", "fever_clinic",
                                       on_reject, &rj, &bad, &d),
                   0);
  assert_int_equal(bad, 4);
  assert_int_equal(rj.line[1], 5);
  assert_string_equal(rj.field[1], "region_id");
  assert_int_equal(rj.line[2], 6);
  assert_string_equal(rj.field[2], "count");
  assert_int_equal(rj.line[3], 7);
  assert_string_equal(rj.field[3], "date");
  assert_int_equal(cases_in(in, "2024-03-01", "2024-03-02"), 5);
  /* without --channel a file of two channels is refused, naming one */
  assert_int_equal(
      fk_scan_read_counts(in, counts, strlen(counts), "counts.csv", NULL, NULL, NULL, NULL, &d),
      FK_EINVAL);
  assert_string_equal(d.field, "channel");
  assert_string_equal(d.file, "counts.csv");
  fk_scan_input_free(in);
  /* grids.csv serves as the regions file */
  assert_int_equal(fk_scan_input_new(&in), 0);
  assert_int_equal(
      fk_scan_read_regions(in, grids, strlen(grids), "grids.csv", NULL, NULL, NULL, &d), 0);
  assert_true(fk_scan_find_location(in, "G1", 2) == 0);
  /* a header without coordinates stops the file */
  assert_int_equal(fk_scan_read_regions(in, "id,x\n1,2\n", 9, "r.csv", NULL, NULL, NULL, &d),
                   FK_EPARSE);
  assert_string_equal(d.file, "r.csv");
  fk_scan_input_free(in);
}

static void a_missing_file_is_an_io_error_naming_it(void **state)
{
  (void)state;
  struct fk_scan_input *in;
  struct fk_diag d;
  assert_int_equal(fk_scan_input_new(&in), 0);
  assert_int_equal(
      fk_scan_read_file(in, FK_SCAN_GEO, "/nonexistent/x.geo", NULL, NULL, NULL, NULL, &d), FK_EIO);
  assert_string_equal(d.file, "/nonexistent/x.geo");
  fk_scan_input_free(in);
}

/* Rows of a feed, written as the feed's CSV and imported, are the store the scan reads. */
static void the_store_gives_grids_and_cases_at_home_on_onset_or_sampling_day(void **state)
{
  (void)state;
  const char *dir = fk_test_dir("scan_store");
  char db[1024];
  struct fk_store *st;
  struct fk_diag d;
  snprintf(db, sizeof db, "%s/f.db", dir);
  assert_int_equal(fk_store_open(db, &st, &d), 0);
  const struct fk_feed *grids = fk_feed_get(FK_FEED_GRIDS), *persons = fk_feed_get(FK_FEED_PERSONS),
                       *cases = fk_feed_get(FK_FEED_CASES);
  struct fk_value g[FK_FEED_MAXCOLS] = {{0}}, p[FK_FEED_MAXCOLS] = {{0}},
                  c[FK_FEED_MAXCOLS] = {{0}};
  const char *gcells[] = {"G1", "n", "c", "s", "d", "37.80", "112.50"};
  assert_int_equal(grids->ncols, 7);
  for (int i = 0; i < 7; i++)
    assert_int_equal(fk_value_parse(&grids->cols[i], gcells[i], strlen(gcells[i]), &g[i], &d), 0);
  assert_int_equal(fk_store_put(st, grids, g, &d), 0);
  static const char *const people[2][9] = {
      {"P1", "11010519491231002X", "甲", "F", "1949-12-31", "", "H1", "G1", ""},
      {"P2", "110105194912310038", "乙", "M", "1949-12-31", "", "H2", "G1", ""}};
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < persons->ncols; i++) {
      const char *v = i < 9 ? people[k][i] : "";
      assert_int_equal(fk_value_parse(&persons->cols[i], v, strlen(v), &p[i], &d), 0);
    }
    if (fk_store_put(st, persons, p, &d)) fail_msg("person: %s %s", d.field, d.reason);
  }
  static const char *const cs[2][5] = {
      {"P1", "confirmed", "2024-03-01", "2024-03-02T10:00:00+08:00", ""},
      {"P2", "asymptomatic", "", "2024-03-02T23:30:00+08:00", ""}};
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < cases->ncols; i++) {
      const char *v = i < 5 ? cs[k][i] : "";
      assert_int_equal(fk_value_parse(&cases->cols[i], v, strlen(v), &c[i], &d), 0);
    }
    if (fk_store_put(st, cases, c, &d)) fail_msg("case: %s %s", d.field, d.reason);
  }
  struct fk_scan_input *in;
  assert_int_equal(fk_scan_input_new(&in), 0);
  assert_int_equal(fk_scan_load_grids(in, st, &d), 0);
  assert_int_equal(fk_scan_load_cases(in, st, &d), 0);
  fk_date first, last;
  assert_int_equal(fk_scan_days(in, &first, &last), 0);
  assert_int_equal(first, D("2024-03-01")); /* P1's onset */
  assert_int_equal(last, D("2024-03-02"));  /* P2 sampled at 23:30 in the city */
  assert_int_equal(cases_in(in, "2024-03-01", "2024-03-02"), 2);
  fk_scan_input_free(in);
  fk_store_close(st);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bad_coordinates_rows_are_named_and_the_rest_kept),
      cmocka_unit_test(bad_case_rows_are_named_and_the_rest_kept),
      cmocka_unit_test(counts_csv_reads_one_channel_with_regions_or_grids),
      cmocka_unit_test(a_missing_file_is_an_io_error_naming_it),
      cmocka_unit_test(the_store_gives_grids_and_cases_at_home_on_onset_or_sampling_day),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
