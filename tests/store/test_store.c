/* The store on its own: schema versions, transactions, references, duplicates and conflicts. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/store.h"
#include "testutil.h"

static char db[600];

static int setup(void **state)
{
  (void)state;
  snprintf(db, sizeof db, "%s/store.db", fk_test_dir("store"));
  return 0;
}

static struct fk_store *open_store(void)
{
  struct fk_store *st = NULL;
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_store_open(db, &st, &d)) fail_msg("open: %s", d.reason);
  return st;
}

/* Sets value i of row from text. */
static void set(struct fk_value *row, int i, const char *s)
{
  row[i] = (struct fk_value){.present = s != NULL, .s = s, .n = s ? strlen(s) : 0};
}

static int put_grid(struct fk_store *st, const char *id, const char *community, double lat)
{
  struct fk_value row[7];
  set(row, 0, id);
  set(row, 1, "网格");
  set(row, 2, community);
  set(row, 3, "坞城街道");
  set(row, 4, "小店区");
  set(row, 5, "37.7");
  row[5].d = lat;
  set(row, 6, "112.5");
  row[6].d = 112.5;
  return fk_store_put(st, fk_feed_find("grids"), row, NULL);
}

static int put_checkin(struct fk_store *st, const char *person, const char *place, int64_t in)
{
  struct fk_value row[4];
  set(row, 0, person);
  set(row, 1, place);
  set(row, 2, "t");
  row[2].i = in;
  set(row, 3, NULL);
  return fk_store_put(st, fk_feed_find("checkins"), row, NULL);
}

static long count(struct fk_store *st, const char *feed)
{
  struct fk_table *feeds, *districts;
  long n = -1;
  assert_int_equal(fk_store_stats(st, &feeds, &districts), 0);
  for (int r = 0; r < feeds->nrows; r++)
    if (!strcmp(fk_table_cell(feeds, r, 0), feed)) n = atol(fk_table_cell(feeds, r, 1));
  fk_table_free(feeds);
  fk_table_free(districts);
  return n;
}

static void a_new_store_has_the_current_schema(void **state)
{
  (void)state;
  struct fk_store *st = open_store();
  int v = 0;
  assert_int_equal(fk_store_version(st, &v), 0);
  assert_int_equal(v, FK_STORE_SCHEMA_VERSION);
  fk_store_close(st);
  st = open_store(); /* reopening migrates nothing and keeps the version */
  assert_int_equal(fk_store_version(st, &v), 0);
  assert_int_equal(v, FK_STORE_SCHEMA_VERSION);
  fk_store_close(st);
}

static void a_store_from_a_newer_program_is_refused(void **state)
{
  (void)state;
  fk_store_close(open_store());
  sqlite3 *raw;
  assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  struct fk_store *st = NULL;
  struct fk_diag d;
  assert_int_equal(fk_store_open(db, &st, &d), FK_ESCHEMA);
  assert_null(st);
  assert_non_null(strstr(d.reason, "newer"));
}

static void rolled_back_rows_are_gone_and_committed_rows_stay(void **state)
{
  (void)state;
  struct fk_store *st = open_store();
  assert_int_equal(fk_store_begin(st), 0);
  assert_int_equal(put_grid(st, "G1", "坞城社区", 37.7), 0);
  assert_int_equal(fk_store_commit(st), 0);
  assert_int_equal(fk_store_begin(st), 0);
  assert_int_equal(put_grid(st, "G2", "坞城社区", 37.7), 0);
  assert_int_equal(fk_store_rollback(st), 0);
  /* After the rollback the store must not believe G2 exists. */
  assert_int_equal(put_grid(st, "G3", "坞城社区", 37.7), 0);
  fk_store_close(st);
  st = open_store();
  assert_int_equal(count(st, "grids"), 2);
  assert_int_equal(put_grid(st, "G2", "坞城社区", 37.7), 0); /* stored: it was never there */
  fk_store_close(st);
}

static void an_uncommitted_batch_vanishes_when_the_process_dies(void **state)
{
  (void)state;
  struct fk_store *st = open_store();
  assert_int_equal(put_grid(st, "G1", "坞城社区", 37.7), 0);
  assert_int_equal(fk_store_begin(st), 0);
  assert_int_equal(put_grid(st, "G2", "坞城社区", 37.7), 0);
  fk_store_close(st); /* closing with an open transaction rolls it back, as a crash would */
  st = open_store();
  assert_int_equal(count(st, "grids"), 1);
  fk_store_close(st);
}

static void duplicates_conflicts_and_unknown_references_are_told_apart(void **state)
{
  (void)state;
  struct fk_store *st = open_store();
  struct fk_diag d;
  assert_int_equal(put_grid(st, "G1", "坞城社区", 37.7), 0);
  assert_int_equal(put_grid(st, "G1", "坞城社区", 37.7), FK_EDUP);
  assert_int_equal(put_grid(st, "G1", "坞城社区", 37.8), FK_ECONFLICT);
  assert_int_equal(put_grid(st, "G1", "营盘社区", 37.7), FK_ECONFLICT);
  assert_int_equal(put_checkin(st, "P1", "PL1", 1000), FK_ENOREF);
  struct fk_value row[4];
  set(row, 0, "P404");
  set(row, 1, "PL1");
  set(row, 2, "t");
  set(row, 3, NULL);
  fk_diag_clear(&d);
  assert_int_equal(fk_store_put(st, fk_feed_find("checkins"), row, &d), FK_ENOREF);
  assert_string_equal(d.field, "person_id");
  assert_non_null(strstr(d.reason, "P404"));
  assert_int_equal(count(st, "grids"), 1);
  assert_int_equal(count(st, "checkins"), 0);
  fk_store_close(st);
}

static void the_data_version_moves_with_other_connections_commits_only(void **state)
{
  (void)state;
  struct fk_store *st = open_store(), *other = open_store();
  uint64_t v0, v1, v2;
  assert_int_equal(fk_store_data_version(st, &v0), 0);
  assert_int_equal(put_grid(st, "G1", "坞城社区", 37.7), 0);
  assert_int_equal(fk_store_data_version(st, &v1), 0);
  assert_true(v1 == v0);
  assert_int_equal(put_grid(other, "G2", "坞城社区", 37.7), 0);
  assert_int_equal(fk_store_data_version(st, &v2), 0);
  assert_true(v2 != v1);
  fk_store_close(other);
  fk_store_close(st);
}

static void the_hierarchy_is_built_from_grids(void **state)
{
  (void)state;
  struct fk_store *st = open_store();
  assert_int_equal(put_grid(st, "G1", "坞城社区", 37.7), 0);
  assert_int_equal(put_grid(st, "G2", "坞城社区", 37.7), 0);
  assert_int_equal(put_grid(st, "G3", "营盘社区", 37.7), 0);
  struct fk_table *feeds, *districts;
  assert_int_equal(fk_store_stats(st, &feeds, &districts), 0);
  assert_int_equal(districts->nrows, 1);
  assert_string_equal(fk_table_cell(districts, 0, 0), "小店区");
  assert_string_equal(fk_table_cell(districts, 0, 1), "1"); /* streets */
  assert_string_equal(fk_table_cell(districts, 0, 2), "2"); /* communities */
  assert_string_equal(fk_table_cell(districts, 0, 3), "3"); /* grids */
  fk_table_free(feeds);
  fk_table_free(districts);
  fk_store_close(st);
}

static void verify_finds_a_dangling_reference(void **state)
{
  (void)state;
  struct fk_store *st = open_store();
  struct fk_diag d;
  assert_int_equal(put_grid(st, "G1", "坞城社区", 37.7), 0);
  assert_int_equal(fk_store_verify(st, &d), 0);
  fk_store_close(st);
  sqlite3 *raw; /* what a careless tool writing to the file directly could do */
  assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw,
                                "INSERT INTO places(place_id, name, kind, grid, lat, lon, capacity)"
                                " VALUES('PL1', 'x', 'market', 999, 0, 0, 1)",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  st = open_store();
  fk_diag_clear(&d);
  assert_int_equal(fk_store_verify(st, &d), FK_ESTORE);
  assert_non_null(strstr(d.reason, "places"));
  fk_store_close(st);
}

static void a_missing_folder_is_a_clear_error(void **state)
{
  (void)state;
  struct fk_store *st = NULL;
  struct fk_diag d;
  fk_diag_clear(&d);
  assert_int_equal(fk_store_open("/nonexistent/dir/x.db", &st, &d), FK_EIO);
  assert_non_null(strstr(d.reason, "/nonexistent/dir/x.db"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(a_new_store_has_the_current_schema, setup),
      cmocka_unit_test_setup(a_store_from_a_newer_program_is_refused, setup),
      cmocka_unit_test_setup(rolled_back_rows_are_gone_and_committed_rows_stay, setup),
      cmocka_unit_test_setup(an_uncommitted_batch_vanishes_when_the_process_dies, setup),
      cmocka_unit_test_setup(duplicates_conflicts_and_unknown_references_are_told_apart, setup),
      cmocka_unit_test_setup(the_data_version_moves_with_other_connections_commits_only, setup),
      cmocka_unit_test_setup(the_hierarchy_is_built_from_grids, setup),
      cmocka_unit_test_setup(verify_finds_a_dangling_reference, setup),
      cmocka_unit_test_setup(a_missing_folder_is_a_clear_error, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
