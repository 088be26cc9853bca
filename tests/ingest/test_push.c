/*
 * The push reader (src/ingest/push.c) against the file reader: bodies cut at every place, a
 * byte at a time and in pieces give the same records, lines, fields and errors; a record
 * longer than the cap is skipped without being held and reading goes on at the right line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "ingest/push.h"
#include "testutil.h"

/* A record as read: what both readers must agree on, as one line of text. */
static char *describe(int got, const struct fk__record *rec, const struct fk_diag *d,
                      const struct fk_feed *feed, int with_raw)
{
  size_t size = 4096 + (with_raw ? rec->rawlen : 0);
  char *s = malloc(size);
  int n = snprintf(s, size, "%d line %ld [%s: %s]", got, rec->line, d->field, d->reason);
  if (!got) return snprintf(s, size, "the end"), s;
  if (with_raw) /* a record skipped for its length keeps only its first bytes */
    n += snprintf(s + n, size - (size_t)n, " raw %.*s",
                  (int)(rec->rawlen < FK__PUSH_KEEP ? rec->rawlen : FK__PUSH_KEEP), rec->raw);
  for (int c = 0; got == 1 && c < feed->ncols && (size_t)n < size; c++)
    n += snprintf(s + n, size - (size_t)n, " | %.*s", (int)rec->len[c], rec->text[c]);
  return s;
}

/* The file reader's records of body, one description each, ending with its last answer. */
static int whole(const struct fk_feed *feed, int ndjson, const char *body, size_t n, char **out,
                 int max, int with_raw)
{
  struct fk__reader r;
  struct fk__record rec;
  struct fk_diag d;
  int k = 0, got;
  fk_diag_clear(&d);
  if ((got = fk__reader_init(&r, feed, body, n, ndjson, &d))) {
    memset(&rec, 0, sizeof rec);
    out[k++] = describe(got, &rec, &d, feed, 0);
  }
  while (!got && k < max) {
    fk_diag_clear(&d);
    got = fk__reader_next(&r, &rec, &d);
    out[k++] = describe(got, &rec, &d, feed, with_raw);
    if (got == 0) break;
    got = 0;
  }
  fk__reader_free(&r);
  return k;
}

/* The push reader's, body given in pieces: cut[0..ncut) are the places it is cut at (rising),
 * or every `step` bytes when ncut is 0. */
static int pushed(const struct fk_feed *feed, int ndjson, const char *body, size_t n,
                  const size_t *cut, int ncut, size_t step, char **out, int max, int with_raw)
{
  struct fk__push p;
  struct fk__record rec;
  struct fk_diag d;
  size_t at = 0;
  int k = 0, piece = 0, got;
  fk__push_init(&p, feed, ndjson);
  while (k < max) {
    fk_diag_clear(&d);
    memset(&rec, 0, sizeof rec);
    got = fk__push_next(&p, &rec, &d);
    if (!got && !p.ended) {
      size_t to = ncut ? (piece < ncut ? cut[piece++] : n) : (at + step < n ? at + step : n);
      if (at == n)
        fk__push_end(&p);
      else
        assert_int_equal(fk__push_add(&p, body + at, to - at), 0);
      at = to;
      continue;
    }
    if (p.broken) {
      memset(&rec, 0, sizeof rec);
      out[k++] = describe(got, &rec, &d, feed, 0);
      break;
    }
    out[k++] = describe(got, &rec, &d, feed, with_raw);
    if (!got) break;
  }
  fk__push_free(&p);
  return k;
}

static void assert_same(char **a, int na, char **b, int nb)
{
  for (int i = 0; i < na && i < nb; i++)
    if (strcmp(a[i], b[i])) fail_msg("record %d:\n  whole: %s\n  push:  %s", i, a[i], b[i]);
  assert_int_equal(na, nb);
}

static void free_all(char **a, int n)
{
  for (int i = 0; i < n; i++)
    free(a[i]);
}

/* Cuts body once at every place, then a byte at a time, then in pieces of 7. */
static void cut_everywhere(const char *feed_name, int ndjson, const char *body)
{
  const struct fk_feed *feed = fk_feed_find(feed_name);
  size_t n = strlen(body);
  char *want[64], *got[64];
  int nw = whole(feed, ndjson, body, n, want, 64, 1), ng;
  for (size_t c = 0; c <= n; c++) {
    ng = pushed(feed, ndjson, body, n, &c, 1, 0, got, 64, 1);
    assert_same(want, nw, got, ng);
    free_all(got, ng);
  }
  for (size_t step = 1; step <= 7; step += 6) {
    ng = pushed(feed, ndjson, body, n, NULL, 0, step, got, 64, 1);
    assert_same(want, nw, got, ng);
    free_all(got, ng);
  }
  free_all(want, nw);
}

static void csv_cut_anywhere_reads_as_the_whole(void **state)
{
  (void)state;
  cut_everywhere("checkins", 0,
                 "\xEF\xBB\xBF\r\n\nperson_id,place_id,checkin_at,checkout_at\r\n"
                 "\"P1\",\"R\"\"1\",2022-07-10T12:00:00+08:00,\r\n"
                 "\"P\n2\",R1,2022-07-10T12:00:00+08:00,2022-07-10T11:00:00+08:00\n"
                 "\n"
                 "P3,R1\n"
                 "P4,R\"1,2022-07-10T12:00:00+08:00,\r\n"
                 "\"P5\"x,R1,2022-07-10T12:00:00+08:00,\n"
                 "P6,R1,2022-07-10T12:00:00+08:00,\n"
                 "P7,\"R1\n\n,2022-07-10T12:00:00+08:00,");
  cut_everywhere("checkins", 0, "person_id,place_id,checkin_at\nP1,R1,2022-07-10T12:00:00+08:00");
  cut_everywhere("checkins", 0, "\n\r\n");
  cut_everywhere("checkins", 0, "");
}

static void ndjson_cut_anywhere_reads_as_the_whole(void **state)
{
  (void)state;
  cut_everywhere("checkins", 1,
                 "\xEF\xBB\xBF{\"person_id\":\"P1\",\"place_id\":\"R1\",\"checkin_at\":"
                 "\"2022-07-10T12:00:00+08:00\"}\r\n"
                 " \t\n"
                 "{\"person_id\":\"P2\",\"place_id\":\"R\\n1\",\"checkin_at\":null}\n"
                 "{\"person_id\":\n"
                 "[1]\n"
                 "{\"person_id\":\"P3\",\"person_id\":\"P4\"}\n"
                 "{\"person_id\":{\"a\":1},\"place_id\":1e5}\n"
                 "{\"person_id\":\"P5\",\"place_id\":12.5,\"checkin_at\":true}");
}

static void a_header_lacking_a_column_stops_both_alike(void **state)
{
  (void)state;
  cut_everywhere("checkins", 0, "person_id,checkin_at\nP1,2022-07-10T12:00:00+08:00\n");
  cut_everywhere("checkins", 0, "person_id,place_id,place_id,checkin_at\n");
  cut_everywhere("checkins", 0, "\"person_id,place_id,checkin_at\n");
}

/* A body holding a record of `big` bytes after two good ones, then a good one. */
static char *long_record_body(int ndjson, size_t big, char fill, int quoted, size_t *n)
{
  const char *head = ndjson ? "" : "person_id,place_id,checkin_at\n";
  const char *good = ndjson ? "{\"person_id\":\"P1\",\"place_id\":\"R1\",\"checkin_at\":"
                              "\"2022-07-10T12:00:00+08:00\"}\n"
                            : "P1,R1,2022-07-10T12:00:00+08:00\n";
  size_t hn = strlen(head), gn = strlen(good);
  char *s = malloc(hn + 3 * gn + big + 8), *p = s;
  memcpy(p, head, hn), p += hn;
  memcpy(p, good, gn), p += gn;
  memcpy(p, good, gn), p += gn;
  memset(p, fill, big);
  if (quoted) { /* a quoted field holding line ends: lines counted inside it */
    p[0] = '"';
    for (size_t i = 1000; i + 1 < big; i += 100000)
      p[i] = '\n';
    p[big - 1] = '"';
  }
  p += big;
  *p++ = '\n';
  memcpy(p, good, gn), p += gn;
  *n = (size_t)(p - s);
  return s;
}

static void a_record_over_the_cap_is_skipped_unheld_and_reading_goes_on(void **state)
{
  static const struct {
    int ndjson, quoted;
    char fill;
  } cases[] = {{0, 0, 'x'}, {0, 1, 'x'}, {1, 0, 'x'}, {1, 0, ' '}};
  const struct fk_feed *feed = fk_feed_find("checkins");
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n, big = 8u << 20; /* 8 MiB: eight times the cap */
    char *body = long_record_body(cases[i].ndjson, big, cases[i].fill, cases[i].quoted, &n);
    char *want[16], *got[16];
    int nw = whole(feed, cases[i].ndjson, body, n, want, 16, 1), ng;
    struct fk__push p;
    struct fk__record rec;
    struct fk_diag d;
    ng = pushed(feed, cases[i].ndjson, body, n, NULL, 0, 16384, got, 16, 1);
    assert_same(want, nw, got, ng);
    assert_int_equal(nw, cases[i].fill == ' ' ? 4 : 5); /* blanks: a blank line, as a file */
    free_all(want, nw);
    free_all(got, ng);
    /* What is held stays near the cap, however long the record. */
    fk__push_init(&p, feed, cases[i].ndjson);
    for (size_t at = 0; at < n; at += 16384) {
      assert_int_equal(fk__push_add(&p, body + at, n - at < 16384 ? n - at : 16384), 0);
      while (fk__push_next(&p, &rec, &d))
        ;
      assert_true(p.cap <= 2 * (FK__RECORD_MAX + 16384));
    }
    fk__push_free(&p);
    free(body);
  }
}

static void a_quote_left_open_over_the_cap_runs_to_the_end_as_in_a_file(void **state)
{
  const struct fk_feed *feed = fk_feed_find("checkins");
  const char *head = "person_id,place_id,checkin_at\nP1,R1,2022-07-10T12:00:00+08:00\nP2,\"";
  size_t hn = strlen(head), n = hn + (3u << 20);
  char *body = malloc(n), *want[16], *got[16];
  int nw, ng;
  (void)state;
  memcpy(body, head, hn);
  for (size_t i = hn; i < n; i++) /* lines of text inside the quote never closed */
    body[i] = i % 80 ? 'x' : '\n';
  nw = whole(feed, 0, body, n, want, 16, 1);
  ng = pushed(feed, 0, body, n, NULL, 0, 4096, got, 16, 1);
  assert_same(want, nw, got, ng);
  assert_int_equal(nw, 3); /* P1, the open quote, the end */
  assert_non_null(strstr(got[1], "unterminated quoted field"));
  free_all(want, nw);
  free_all(got, ng);
  free(body);
}

static void allocation_failures_are_clean(void **state)
{
  const char *body = "person_id,place_id,checkin_at\nP1,R1,2022-07-10T12:00:00+08:00\n";
  const struct fk_feed *feed = fk_feed_find("checkins");
  (void)state;
  for (int k = 1; k < 8; k++) {
    struct fk__push p;
    struct fk__record rec;
    struct fk_diag d;
    int rc, got = 0;
    fk__push_init(&p, feed, 0);
    fk_alloc_fail_after(k);
    rc = fk__push_add(&p, body, strlen(body));
    fk__push_end(&p);
    while (!rc && (got = fk__push_next(&p, &rec, &d)) > 0)
      ;
    fk_alloc_fail_after(0);
    assert_true(rc == 0 || rc == FK_ENOMEM);
    assert_true(got >= 0 || got == FK_ENOMEM);
    fk__push_free(&p);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(csv_cut_anywhere_reads_as_the_whole),
      cmocka_unit_test(ndjson_cut_anywhere_reads_as_the_whole),
      cmocka_unit_test(a_header_lacking_a_column_stops_both_alike),
      cmocka_unit_test(a_record_over_the_cap_is_skipped_unheld_and_reading_goes_on),
      cmocka_unit_test(a_quote_left_open_over_the_cap_runs_to_the_end_as_in_a_file),
      cmocka_unit_test(allocation_failures_are_clean),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
