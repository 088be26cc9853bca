/* The entrance check's hot paths against jansson: the answer as text (fk__entrance_json_text)
 * must be byte for byte json_dumps of fk__entrance_json, for every set of reasons, every code
 * and level, and texts that need escaping; the body's fast reader must take what devices send
 * and read it as the full parser does, and leave every other form to the full parser. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fangkong/areas.h"
#include "server/server.h"

/* Both writers on r; equal, or the test fails with both. */
static void same(const struct fk_entrance_result *r)
{
  char text[8192];
  json_t *o = fk__entrance_json(r);
  char *want = o ? json_dumps(o, JSON_COMPACT) : NULL;
  long n = fk__entrance_json_text(r, text, sizeof text);
  assert_non_null(want);
  assert_true(n >= 0);
  if ((size_t)n != strlen(want) || memcmp(text, want, (size_t)n))
    fail_msg("text %.*s\njansson %s", (int)n, text, want);
  free(want);
  json_decref(o);
}

static void every_reason_set(void **state)
{
  struct fk_entrance_result r;
  (void)state;
  for (unsigned set = 0; set < 1u << FK_ENTRANCE_NREASONS; set++) {
    memset(&r, 0, sizeof r);
    r.reasons = set;
    r.pass = !set;
    r.code = (enum fk_code)(set % 3);
    r.fever = (set >> 1) & 1;
    r.recorded = set & 1;
    r.area_level = (int)(set % 4) - 1;
    snprintf(r.grid_id, sizeof r.grid_id, "140105%03u", set % 1000);
    for (int i = 0; i < FK_ENTRANCE_NREASONS; i++)
      snprintf(r.text[i], sizeof r.text[i], "发热 fever: %u.%d °C", 37 + set % 3, i);
    same(&r);
  }
}

static void escapes(void **state)
{
  static const char *const texts[] = {"quote \" and backslash \\",
                                      "tab\tnewline\nreturn\rform\fback\b",
                                      "\x01\x1f\x7f/slash",
                                      "控制 \x02 中文",
                                      "",
                                      "ends with \\"};
  struct fk_entrance_result r;
  (void)state;
  for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
    memset(&r, 0, sizeof r);
    r.reasons = 1u << (k % FK_ENTRANCE_NREASONS);
    r.area_level = -1;
    snprintf(r.text[k % FK_ENTRANCE_NREASONS], FK_ENTRANCE_TEXT, "%s", texts[k]);
    snprintf(r.grid_id, sizeof r.grid_id, "%s", texts[k]);
    same(&r);
  }
}

static void too_small_a_buffer(void **state)
{
  struct fk_entrance_result r;
  char text[40];
  (void)state;
  memset(&r, 0, sizeof r);
  r.area_level = -1;
  assert_int_equal(fk__entrance_json_text(&r, text, sizeof text), -1);
}

/* Reads body both ways: fast must take it (or not, as `taken` says) and agree with full. */
static void body(const char *text, int taken)
{
  struct fk__entrance_req fast, full;
  char why[512];
  int rc = fk__entrance_body_full(text, strlen(text), &full, why, sizeof why);
  if (fk__entrance_body_fast(text, strlen(text), &fast) != taken)
    fail_msg("fast reader %s %s", taken ? "left" : "took", text);
  if (!taken) return;
  if (rc) fail_msg("full parser rejects %s: %s", text, why);
  assert_string_equal(fast.person_id, full.person_id);
  assert_string_equal(fast.place_id, full.place_id);
  assert_true(fast.temperature == full.temperature);
  assert_int_equal(fast.mask, full.mask);
  assert_true(fast.at == full.at);
}

static void bodies(void **state)
{
  (void)state;
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":36.5,\"mask\":true,"
       "\"at\":\"2022-07-11T09:00:00+08:00\"}",
       1);
  body(" {\n \"at\" : null , \"mask\":false,\t\"temperature\": 37, \"place_id\":\"R3\","
       "\"person_id\":\"P3\" }\r\n",
       1);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":38.25,\"mask\":true}", 1);
  /* forms left to the full parser, valid or not */
  body("{\"person_id\":\"P\\u0033\",\"place_id\":\"R3\",\"temperature\":36.5,\"mask\":true}", 0);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":3.65e1,\"mask\":true}", 0);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":29.9,\"mask\":true}", 0);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":36.5,\"mask\":1}", 0);
  body("{\"person_id\":\"P3\",\"person_id\":\"P4\",\"place_id\":\"R3\",\"temperature\":36.5,"
       "\"mask\":true}",
       0);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":36.5,\"mask\":true,\"x\":1}", 0);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":36.5,\"mask\":true} x", 0);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":036.5,\"mask\":true}", 0);
  body("{\"person_id\":\"\",\"place_id\":\"R3\",\"temperature\":36.5,\"mask\":true}", 0);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":36.5,\"mask\":true,"
       "\"at\":\"yesterday\"}",
       0);
  body("{\"person_id\":\"P3\",\"place_id\":\"R3\",\"mask\":true}", 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bodies),
      cmocka_unit_test(every_reason_set),
      cmocka_unit_test(escapes),
      cmocka_unit_test(too_small_a_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
