/*
 * The importer on hand-made bad input: every rejected row has its line, column and a clear
 * reason, and every valid row is stored (checked by reading the store back).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "fangkong/ingest.h"
#include "fangkong/store.h"
#include "testutil.h"

struct env {
  char dir[512];
  struct fk_store *st;
};

static const char grids[] = "grid_id,name,community,street,district,lat,lon\n"
                            "G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n"
                            "G2,二网格,坞城社区,坞城街道,小店区,37.741,112.561\n";
static const char places[] = "place_id,name,kind,grid_id,lat,lon,capacity\n"
                             "PL1,华联超市,supermarket,G1,37.74,112.56,300\n"
                             "PL2,面馆,restaurant,G2,37.741,112.561,40\n";

/* A valid ID number for someone born on `birth` (YYYYMMDD) of the given sex. */
static const char *idnum(const char *birth, char sex, int serial)
{
  static char id[16][19];
  static int next;
  char *s = id[next++ % 16];
  snprintf(s, 19, "140105%s%02d%d", birth, serial % 100, sex == 'M' ? 1 : 2);
  s[17] = fk_idnum_check_char(s);
  s[18] = '\0';
  return s;
}

static struct fk_import_stats import(struct env *e, const char *feed, const char *name,
                                     const char *data, size_t len, int want_rc)
{
  struct fk_import_stats s = {0};
  struct fk_diag d;
  fk_diag_clear(&d);
  const char *path = fk_test_write(e->dir, name, data, len);
  int rc = fk_import_file(e->st, fk_feed_find(feed), path, NULL, &s, &d);
  if (rc != want_rc) fail_msg("%s: rc %d, want %d: %s", name, rc, want_rc, d.reason);
  return s;
}

static struct fk_import_stats import_text(struct env *e, const char *feed, const char *name,
                                          const char *data)
{
  return import(e, feed, name, data, strlen(data), 0);
}

/* The rejects file of input `name`, or "" when there is none. Caller frees. */
static char *rejects(struct env *e, const char *name)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.rejects.csv", e->dir, name);
  char *text = fk_test_read(path, NULL);
  return text ? text : calloc(1, 1);
}

static void assert_rejected(struct env *e, const char *name, const char *line_col,
                            const char *reason)
{
  char *text = rejects(e, name);
  char want[256];
  snprintf(want, sizeof want, "\n%s,", line_col);
  if (!strstr(text, want) || !strstr(text, reason))
    fail_msg("%s: want reject '%s' with '%s' in:\n%s", name, line_col, reason, text);
  free(text);
}

struct collect {
  int rows;
  char text[8192];
};

static int collect_row(void *arg, const char *const *cells)
{
  struct collect *c = arg;
  size_t n = strlen(c->text);
  snprintf(c->text + n, sizeof c->text - n, "%s|%s|%s\n", cells[0] ? cells[0] : "",
           cells[1] ? cells[1] : "", cells[2] ? cells[2] : "");
  c->rows++;
  return 0;
}

static struct collect stored(struct env *e, const char *feed)
{
  struct collect c = {0};
  assert_int_equal(fk_store_scan(e->st, fk_feed_find(feed), collect_row, &c), 0);
  return c;
}

static int setup(void **state)
{
  struct env *e = calloc(1, sizeof *e);
  char path[600];
  struct fk_diag d;
  snprintf(e->dir, sizeof e->dir, "%s", fk_test_dir("import"));
  snprintf(path, sizeof path, "%s/test.db", e->dir);
  assert_int_equal(fk_store_open(path, &e->st, &d), 0);
  import_text(e, "grids", "grids.csv", grids);
  import_text(e, "places", "places.csv", places);
  *state = e;
  return 0;
}

static int teardown(void **state)
{
  struct env *e = *state;
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_store_verify(e->st, &d)) fail_msg("store inconsistent: %s", d.reason);
  fk_store_close(e->st);
  free(e);
  return 0;
}

static char *persons_csv(const char *rows)
{
  static char buf[16384];
  snprintf(buf, sizeof buf,
           "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address\n%s", rows);
  return buf;
}

static void bom_crlf_and_quoted_fields_are_read_as_written(void **state)
{
  struct env *e = *state;
  char data[4096];
  snprintf(data, sizeof data,
           "\xEF\xBB\xBF"
           "address,person_id,name,id_number,sex,birth_date,phone,household_id,grid_id\r\n"
           "\"坞城路1号, 2单元\",P1,张三,%s,M,1990-01-01,13800000000,H1,G1\r\n"
           "\"二楼\r\n东户 \"\"老宅\"\"\",P2,李四,%s,F,1991-02-03,,H1,G1\r\n",
           idnum("19900101", 'M', 1), idnum("19910203", 'F', 2));
  struct fk_import_stats s = import_text(e, "persons", "persons.csv", data);
  assert_int_equal(s.read, 2);
  assert_int_equal(s.stored, 2);
  assert_int_equal(s.rejected, 0);
  struct collect c = stored(e, "persons");
  assert_int_equal(c.rows, 2);
  assert_non_null(strstr(c.text, "P1|"));
  /* Export in feed order: person_id first, whatever the file's column order. */
  struct fk_store *st = e->st;
  (void)st;
  char *want = strstr(c.text, "P2|");
  assert_non_null(want);
}

struct addr {
  char text[256];
};

static int address_of_p2(void *arg, const char *const *cells)
{
  struct addr *a = arg;
  if (!strcmp(cells[0], "P2")) snprintf(a->text, sizeof a->text, "%s", cells[8] ? cells[8] : "");
  return 0;
}

static void quoted_newlines_and_quotes_survive_the_round_trip(void **state)
{
  struct env *e = *state;
  char rows[2048];
  snprintf(rows, sizeof rows, "P2,%s,李四,F,1991-02-03,,H1,G1,\"二楼\n东户 \"\"老宅\"\", 3号\"\n",
           idnum("19910203", 'F', 2));
  import_text(e, "persons", "persons.csv", persons_csv(rows));
  struct addr a = {{0}};
  assert_int_equal(fk_store_scan(e->st, fk_feed_find("persons"), address_of_p2, &a), 0);
  assert_string_equal(a.text, "二楼\n东户 \"老宅\", 3号");
}

static void each_bad_row_is_rejected_with_its_reason_and_the_rest_stored(void **state)
{
  struct env *e = *state;
  char rows[8192];
  snprintf(rows, sizeof rows,
           "P1,%s,张三,M,1990-01-01,13800000000,H1,G1,\n"      /* 2 ok */
           "P2,%s,李四,F,1991-02-03,,H1\n"                     /* 3 too few */
           "P3,%s,王五,M,1992-03-04,,H1,G1,,extra\n"           /* 4 too many */
           "P4,%s,,M,1993-04-05,,H1,G1,\n"                     /* 5 no name */
           "P5,140105199001011230,赵六,M,1990-01-01,,H1,G1,\n" /* 6 check digit */
           "P6,%s,钱七,F,2022-02-30,,H1,G1,\n"                 /* 7 no such date */
           "P7,%s,孙八,M,1994-05-06,,H1,G9,\n"                 /* 8 unknown grid */
           "P8,%s,周\xff九,M,1995-06-07,,H1,G1,\n"             /* 9 bad UTF-8 */
           "P9,%s,吴十,M,1996-07-08,23800000000,H1,G1,\n"      /* 10 bad phone */
           "P10,%s,郑一,F,1997-08-09,,H1,G1,\n"                /* 11 birth differs */
           "P11,%s,王二,F,1998-09-10,,H1,G1,\n"                /* 12 sex differs */
           "P12,%s,冯三,M,1999-10-11,,H1,G2,\n",               /* 13 ok */
           idnum("19900101", 'M', 1), idnum("19910203", 'F', 2), idnum("19920304", 'M', 3),
           idnum("19930405", 'M', 4), idnum("20220228", 'F', 6), idnum("19940506", 'M', 7),
           idnum("19950607", 'M', 8), idnum("19960708", 'M', 9), idnum("19970801", 'F', 10),
           idnum("19980910", 'M', 11), idnum("19991011", 'M', 12));
  struct fk_import_stats s = import_text(e, "persons", "p.csv", persons_csv(rows));
  assert_int_equal(s.read, 12);
  assert_int_equal(s.stored, 2);
  assert_int_equal(s.rejected, 10);
  assert_rejected(e, "p.csv", "3,", "7 fields, but the header has 9");
  assert_rejected(e, "p.csv", "4,", "fields, but the header has 9");
  assert_rejected(e, "p.csv", "5,name", "required field is empty");
  assert_rejected(e, "p.csv", "6,id_number", "check digit");
  assert_rejected(e, "p.csv", "7,birth_date", "no such date 2022-02-30");
  assert_rejected(e, "p.csv", "8,grid_id", "unknown grid_id 'G9'");
  assert_rejected(e, "p.csv", "9,name", "invalid UTF-8");
  assert_rejected(e, "p.csv", "10,phone", "must start with 1");
  assert_rejected(e, "p.csv", "11,birth_date", "differs from the birth date in the ID number");
  assert_rejected(e, "p.csv", "12,sex", "differs from the ID number");
  struct collect c = stored(e, "persons");
  assert_int_equal(c.rows, 2);
  assert_non_null(strstr(c.text, "P1|"));
  assert_non_null(strstr(c.text, "P12|"));
}

static const char checkin_header[] = "person_id,place_id,checkin_at,checkout_at\n";

static void add_two_persons(struct env *e)
{
  char rows[1024];
  snprintf(rows, sizeof rows,
           "P1,%s,张三,M,1990-01-01,13800000000,H1,G1,\nP2,%s,李四,F,1991-02-03,,H1,G1,\n",
           idnum("19900101", 'M', 1), idnum("19910203", 'F', 2));
  import_text(e, "persons", "persons.csv", persons_csv(rows));
}

static void times_need_an_offset_and_references_must_exist(void **state)
{
  struct env *e = *state;
  add_two_persons(e);
  char data[2048];
  snprintf(data, sizeof data, "%s%s", checkin_header,
           "P1,PL1,2022-07-14T09:31:00+08:00,2022-07-14T10:00:00+08:00\n" /* 2 ok */
           "P1,PL2,2022-07-14T12:00:00,\n"                                /* 3 no offset */
           "P9,PL1,2022-07-14T09:31:00+08:00,\n"                          /* 4 unknown person */
           "P2,PL9,2022-07-14T09:31:00+08:00,\n"                          /* 5 unknown place */
           "P2,PL1,2022-07-14T09:31:00+08:00,2022-07-14T09:00:00+08:00\n" /* 6 out before in */
           "P2,PL1,2022-07-14T01:31:00Z,\n");                             /* 7 ok */
  struct fk_import_stats s = import_text(e, "checkins", "c.csv", data);
  assert_int_equal(s.stored, 2);
  assert_int_equal(s.rejected, 4);
  assert_rejected(e, "c.csv", "3,checkin_at", "no UTC offset");
  assert_rejected(e, "c.csv", "4,person_id", "unknown person_id 'P9'");
  assert_rejected(e, "c.csv", "5,place_id", "unknown place_id 'PL9'");
  assert_rejected(e, "c.csv", "6,checkout_at", "checkout_at is before checkin_at");
  struct collect c = stored(e, "checkins");
  assert_string_equal(c.text,
                      "P1|PL1|2022-07-14T09:31:00+08:00\nP2|PL1|2022-07-14T09:31:00+08:00\n");
}

static void duplicates_are_skipped_and_conflicts_rejected(void **state)
{
  struct env *e = *state;
  add_two_persons(e);
  char data[2048];
  snprintf(data, sizeof data, "%s%s", checkin_header,
           "P1,PL1,2022-07-14T09:31:00+08:00,2022-07-14T10:00:00+08:00\n"
           "P1,PL1,2022-07-14T09:31:00+08:00,2022-07-14T10:00:00+08:00\n"   /* identical */
           "P1,PL1,2022-07-14T01:31:00Z,2022-07-14T02:00:00Z\n"             /* same instants */
           "P1,PL1,2022-07-14T09:31:00+08:00,2022-07-14T11:00:00+08:00\n"); /* other checkout */
  struct fk_import_stats s = import_text(e, "checkins", "d.csv", data);
  assert_int_equal(s.stored, 1);
  assert_int_equal(s.duplicate, 2);
  assert_int_equal(s.rejected, 1);
  assert_rejected(e, "d.csv", "5,person_id", "same key");
  /* Re-running the whole import stores nothing new and rejects the same row again. */
  s = import_text(e, "checkins", "d.csv", data);
  assert_int_equal(s.stored, 0);
  assert_int_equal(s.duplicate, 3);
  assert_int_equal(s.rejected, 1);
  assert_int_equal(stored(e, "checkins").rows, 1);
}

static void a_ten_megabyte_line_is_rejected_and_reading_goes_on(void **state)
{
  struct env *e = *state;
  add_two_persons(e);
  size_t big = 10u << 20, at = 0;
  char *data = malloc(big + 1024);
  at += (size_t)sprintf(data, "%sP1,PL1,2022-07-14T09:31:00+08:00,\nP1,", checkin_header);
  memset(data + at, 'x', big);
  at += big;
  at += (size_t)sprintf(data + at,
                        ",2022-07-14T09:31:00+08:00,\nP2,PL2,2022-07-14T12:00:00+08:00,\n");
  struct fk_import_stats s = import(e, "checkins", "big.csv", data, at, 0);
  free(data);
  assert_int_equal(s.read, 3);
  assert_int_equal(s.stored, 2);
  assert_int_equal(s.rejected, 1);
  assert_rejected(e, "big.csv", "3,", "longer than the limit");
}

static void empty_files_and_bare_headers_store_nothing_and_succeed(void **state)
{
  struct env *e = *state;
  struct fk_import_stats s = import(e, "checkins", "empty.csv", "", 0, 0);
  assert_int_equal(s.read, 0);
  s = import_text(e, "checkins", "header.csv", checkin_header);
  assert_int_equal(s.read, 0);
  s = import_text(e, "checkins", "header-crlf.csv", "person_id,place_id,checkin_at\r\n\r\n");
  assert_int_equal(s.read, 0);
  s = import(e, "checkins", "empty.ndjson", "", 0, 0);
  assert_int_equal(s.read, 0);
}

static void a_header_without_a_required_column_stops_the_file(void **state)
{
  struct env *e = *state;
  struct fk_import_stats s = {0};
  struct fk_diag d;
  fk_diag_clear(&d);
  const char *path = fk_test_write(e->dir, "noin.csv", "person_id,place_id\nP1,PL1\n", 26);
  assert_int_equal(fk_import_file(e->st, fk_feed_find("checkins"), path, NULL, &s, &d), FK_EPARSE);
  assert_string_equal(d.field, "checkin_at");
  assert_non_null(strstr(d.reason, "header lacks required column"));
  assert_int_equal(s.read, 0);
}

static void unterminated_quotes_and_stray_quotes_are_rejected(void **state)
{
  struct env *e = *state;
  add_two_persons(e);
  char data[1024];
  snprintf(data, sizeof data, "%s%s", checkin_header,
           "P1,PL1,2022-07-14T09:31:00+08:00,\n"
           "P1,P\"L1,2022-07-14T10:31:00+08:00,\n"
           "P1,\"PL1\"x,2022-07-14T11:31:00+08:00,\n"
           "P2,PL1,2022-07-14T09:31:00+08:00,\n"
           "P2,\"PL1,2022-07-14T12:31:00+08:00,\n");
  struct fk_import_stats s = import_text(e, "checkins", "q.csv", data);
  assert_int_equal(s.stored, 2);
  assert_int_equal(s.rejected, 3);
  assert_rejected(e, "q.csv", "3,", "quote inside unquoted field");
  assert_rejected(e, "q.csv", "4,", "text after a closing quote");
  assert_rejected(e, "q.csv", "6,", "unterminated quoted field");
}

static void ndjson_rows_are_checked_like_csv_rows(void **state)
{
  struct env *e = *state;
  add_two_persons(e);
  const char data[] =
      "{\"person_id\":\"P1\",\"place_id\":\"PL1\",\"checkin_at\":\"2022-07-14T09:31:00+08:00\"}\r\n"
      "\n"
      "{\"person_id\":\"P1\",\"place_id\":\"PL1\",\"checkin_at\":\"2022-07-14T09:31:00+08:00\"\n"
      "[1,2]\n"
      "{\"person_id\":\"P2\",\"place_id\":{\"x\":1},\"checkin_at\":\"2022-07-14T09:31:00+08:00\"}\n"
      "{\"person_id\":\"P2\",\"person_id\":\"P1\",\"place_id\":\"PL1\",\"checkin_at\":\"2022-07-"
      "14T09:31:00+08:00\"}\n"
      "{\"person_id\":\"P2\",\"place_id\":\"PL2\",\"checkin_at\":\"2022-07-14T08:00:00+08:00\","
      "\"checkout_at\":null,\"note\":\"ignored\"}\n"
      "{\"person_id\":\"P2\",\"place_id\":\"PL2\",\"checkin_at\":20220714}\n";
  struct fk_import_stats s = import_text(e, "checkins", "c.ndjson", data);
  assert_int_equal(s.read, 7);
  assert_int_equal(s.stored, 2);
  assert_int_equal(s.rejected, 5);
  assert_rejected(e, "c.ndjson", "3,", "invalid JSON");
  assert_rejected(e, "c.ndjson", "4,", "one JSON object");
  assert_rejected(e, "c.ndjson", "5,place_id", "must be a string, number");
  assert_rejected(e, "c.ndjson", "6,", "duplicate object key");
  assert_rejected(e, "c.ndjson", "8,checkin_at", "a time is");
}

static void a_clean_rerun_removes_the_stale_rejects_file(void **state)
{
  struct env *e = *state;
  add_two_persons(e);
  char data[1024];
  snprintf(data, sizeof data, "%sP1,PL1,2022-07-14T09:31:00,\n", checkin_header);
  import_text(e, "checkins", "r.csv", data);
  char path[1024];
  snprintf(path, sizeof path, "%s/r.csv.rejects.csv", e->dir);
  assert_int_equal(access(path, F_OK), 0);
  snprintf(data, sizeof data, "%sP1,PL1,2022-07-14T09:31:00+08:00,\n", checkin_header);
  import_text(e, "checkins", "r.csv", data);
  assert_int_not_equal(access(path, F_OK), 0);
}

/* Every allocation of an import failing in turn: a clean error, nothing half-stored, and the
   same import afterwards stores everything. */
static void allocation_failures_are_clean_errors(void **state)
{
  struct env *e = *state;
  add_two_persons(e);
  char data[4096];
  snprintf(data, sizeof data, "%s%s", checkin_header,
           "P1,PL1,2022-07-14T09:31:00+08:00,\n"
           "P1,\"PL2\",2022-07-14T10:31:00+08:00,\n"
           "P2,PL1,2022-07-14T09:31:00+08:00,\n");
  const char *path = fk_test_write(e->dir, "oom.csv", data, strlen(data));
  for (long n = 1; n < 60; n++) {
    struct fk_import_stats s = {0};
    struct fk_diag d;
    fk_alloc_fail_after(n);
    int rc = fk_import_file(e->st, fk_feed_find("checkins"), path, NULL, &s, &d);
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM || rc == FK_EIO);
  }
  struct fk_import_stats s = import_text(e, "checkins", "oom.csv", data);
  assert_int_equal(s.stored + s.duplicate, 3);
  assert_int_equal(stored(e, "checkins").rows, 3);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(bom_crlf_and_quoted_fields_are_read_as_written, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(quoted_newlines_and_quotes_survive_the_round_trip, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(each_bad_row_is_rejected_with_its_reason_and_the_rest_stored,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(times_need_an_offset_and_references_must_exist, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(duplicates_are_skipped_and_conflicts_rejected, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_ten_megabyte_line_is_rejected_and_reading_goes_on, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(empty_files_and_bare_headers_store_nothing_and_succeed, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_header_without_a_required_column_stops_the_file, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(unterminated_quotes_and_stray_quotes_are_rejected, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(ndjson_rows_are_checked_like_csv_rows, setup, teardown),
      cmocka_unit_test_setup_teardown(a_clean_rerun_removes_the_stale_rejects_file, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(allocation_failures_are_clean_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
