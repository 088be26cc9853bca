/*
 * The tracer on hand-built cities: each test writes a few persons, places, check-ins and cases
 * as feed files, imports them into a fresh store, builds the trace index and asserts the exact
 * contacts (degree, category, via, first and last exposure, number of exposures) that the
 * semantics of issue 3 give. Unless a test says otherwise the case is P1, confirmed with onset
 * 2022-07-10 and isolated 2022-07-11 12:00, so its window is [07-06 00:00, 07-11 12:00) (UTC+8).
 */
#include "city.h"
#include "fangkong/alloc.h"
#include "fangkong/site_store.h"
#include "same_result.h"
#include "trace/index.h" /* only to see that a refresh took the merge path */

#define NOW "2022-07-12 00:00"
#define WINDOW_START "2022-07-06 00:00"
#define WINDOW_END "2022-07-11 12:00"

/* P1 alone in H1, a confirmed case with the window above. */
static void the_case(struct city *c)
{
  person(c, "P1", "H1");
  a_case(c, "P1", "confirmed", "2022-07-10", "2022-07-10 10:00", WINDOW_END);
}

static void touching_stays_are_not_exposures_and_one_second_of_overlap_is(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "touching");
  the_case(&c);
  for (int i = 2; i <= 5; i++) {
    char id[8], hh[8];
    snprintf(id, sizeof id, "P%d", i);
    snprintf(hh, sizeof hh, "H%d", i);
    person(&c, id, hh);
  }
  place(&c, "S1", "supermarket");
  visit(&c, "P1", "S1", "2022-07-08 09:00", "2022-07-08 10:00");
  visit(&c, "P2", "S1", "2022-07-08 10:00", "2022-07-08 11:00");    /* [b, c) after [a, b) */
  visit(&c, "P3", "S1", "2022-07-08 08:00", "2022-07-08 09:00");    /* [z, a) before */
  visit(&c, "P4", "S1", "2022-07-08 09:59:59", "2022-07-08 10:30"); /* one second at the end */
  visit(&c, "P5", "S1", "2022-07-08 08:00", "2022-07-08 09:00:01"); /* one second at the start */
  city_load(&c);
  trace(&c, "P1", NOW, 2);
  expect_none(&c, "P2");
  expect_none(&c, "P3");
  expect_contact(&c, "P4", 1, "general", NULL, "2022-07-08 09:59:59", "2022-07-08 10:00", 1);
  expect_contact(&c, "P5", 1, "general", NULL, "2022-07-08 09:00", "2022-07-08 09:00:01", 1);
  assert_int_equal(c.r.ncontacts, 2);
  assert_int_equal(c.r.nlinks, 0);
  city_free(&c);
}

static void a_case_who_met_nobody_and_lives_alone_has_no_contacts(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "alone");
  the_case(&c);
  person(&c, "P2", "H2");
  place(&c, "R1", "restaurant");
  visit(&c, "P1", "R1", "2022-07-08 12:00", "2022-07-08 13:00");
  visit(&c, "P2", "R1", "2022-07-09 12:00", "2022-07-09 13:00");
  city_load(&c);
  trace(&c, "P1", NOW, 2);
  assert_int_equal(c.r.ncontacts, 0);
  assert_int_equal(c.r.nlinks, 0);
  trace(&c, "P1", NOW, 1);
  assert_int_equal(c.r.ncontacts, 0);
  city_free(&c);
}

static void stays_are_cut_to_the_window_at_both_ends(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "window");
  the_case(&c);
  for (int i = 2; i <= 6; i++) {
    char id[8], hh[8];
    snprintf(id, sizeof id, "P%d", i);
    snprintf(hh, sizeof hh, "H%d", i);
    person(&c, id, hh);
  }
  place(&c, "R1", "restaurant");
  /* The case's stay straddles the window start. */
  visit(&c, "P1", "R1", "2022-07-05 23:00", "2022-07-06 01:00");
  visit(&c, "P2", "R1", "2022-07-05 22:00", WINDOW_START); /* ends exactly at the start */
  visit(&c, "P3", "R1", "2022-07-05 23:30", "2022-07-06 00:30");
  /* Wholly before the window: not an exposure even though the stays overlap. */
  visit(&c, "P1", "R1", "2022-07-05 20:00", "2022-07-05 21:00");
  visit(&c, "P6", "R1", "2022-07-05 20:00", "2022-07-05 21:00");
  /* The case's stay straddles the window end (isolation). */
  visit(&c, "P1", "R1", "2022-07-11 11:00", "2022-07-11 13:00");
  visit(&c, "P4", "R1", WINDOW_END, "2022-07-11 12:30"); /* starts exactly at the end */
  visit(&c, "P5", "R1", "2022-07-11 11:30", "2022-07-11 12:30");
  city_load(&c);
  trace(&c, "P1", NOW, 1);
  assert_int_equal(c.r.window_start, T(WINDOW_START));
  assert_int_equal(c.r.window_end, T(WINDOW_END));
  expect_none(&c, "P2");
  expect_contact(&c, "P3", 1, "close", NULL, WINDOW_START, "2022-07-06 00:30", 1);
  expect_none(&c, "P4");
  expect_contact(&c, "P5", 1, "close", NULL, "2022-07-11 11:30", WINDOW_END, 1);
  expect_none(&c, "P6");
  assert_int_equal(c.r.ncontacts, 2);
  city_free(&c);
}

static void window_opens_before_onset_or_before_sampling_when_asymptomatic_or_no_onset(void **state)
{
  struct city c;
  fk_time a, b;
  (void)state;
  city_init(&c, "onset");
  const char *cases[] = {"C1", "C2", "C3"}, *places[] = {"R1", "R2", "R3"};
  person(&c, "C1", "H1");
  person(&c, "C2", "H2");
  person(&c, "C3", "H3");
  /* Onset 07-10: from 07-06. */
  a_case(&c, "C1", "confirmed", "2022-07-10", "2022-07-12 10:00", "2022-07-12 12:00");
  /* Asymptomatic: the onset date is not used; sampled 07-12: from 07-08. */
  a_case(&c, "C2", "asymptomatic", "2022-07-10", "2022-07-12 10:00", "2022-07-12 12:00");
  /* No onset date; sampled at 00:30 on 07-12 in the city (07-11 in UTC): from 07-08. */
  a_case(&c, "C3", "confirmed", NULL, "2022-07-12 00:30", "2022-07-12 12:00");
  for (int i = 0; i < 3; i++) {
    char early[8], late[8];
    snprintf(early, sizeof early, "E%d", i + 1);
    snprintf(late, sizeof late, "L%d", i + 1);
    person(&c, early, early);
    person(&c, late, late);
    place(&c, places[i], "restaurant");
    visit(&c, cases[i], places[i], "2022-07-07 12:00", "2022-07-07 13:00");
    visit(&c, early, places[i], "2022-07-07 12:00", "2022-07-07 13:00");
    visit(&c, cases[i], places[i], "2022-07-08 00:00", "2022-07-08 01:00");
    visit(&c, late, places[i], "2022-07-07 23:00", "2022-07-08 00:30");
  }
  city_load(&c);
  assert_int_equal(fk_trace_window(c.ix, who(&c, "C1"), T(NOW), &a, &b), 0);
  assert_int_equal(a, T("2022-07-06 00:00"));
  assert_int_equal(b, T("2022-07-12 12:00"));
  assert_int_equal(fk_trace_window(c.ix, who(&c, "C2"), T(NOW), &a, &b), 0);
  assert_int_equal(a, T("2022-07-08 00:00"));
  assert_int_equal(fk_trace_window(c.ix, who(&c, "C3"), T(NOW), &a, &b), 0);
  assert_int_equal(a, T("2022-07-08 00:00"));
  assert_int_equal(fk_trace_window(c.ix, who(&c, "E1"), T(NOW), &a, &b), FK_ENOTFOUND);

  trace(&c, "C1", "2022-07-13 00:00", 1);
  expect_contact(&c, "E1", 1, "close", NULL, "2022-07-07 12:00", "2022-07-07 13:00", 1);
  expect_contact(&c, "L1", 1, "close", NULL, "2022-07-08 00:00", "2022-07-08 00:30", 1);
  trace(&c, "C2", "2022-07-13 00:00", 1);
  expect_none(&c, "E2");
  expect_contact(&c, "L2", 1, "close", NULL, "2022-07-08 00:00", "2022-07-08 00:30", 1);
  trace(&c, "C3", "2022-07-13 00:00", 1);
  expect_none(&c, "E3");
  expect_contact(&c, "L3", 1, "close", NULL, "2022-07-08 00:00", "2022-07-08 00:30", 1);
  assert_int_equal(c.r.ncontacts, 1);
  city_free(&c);
}

static void a_case_not_isolated_is_traced_until_now(void **state)
{
  struct city c;
  fk_time a, b;
  (void)state;
  city_init(&c, "now");
  person(&c, "P1", "H1");
  person(&c, "P2", "H2");
  person(&c, "P3", "H3");
  a_case(&c, "P1", "confirmed", "2022-07-10", "2022-07-10 10:00", NULL);
  place(&c, "R1", "restaurant");
  visit(&c, "P1", "R1", "2022-07-11 11:00", "2022-07-11 13:00");
  visit(&c, "P2", "R1", "2022-07-11 11:30", "2022-07-11 12:30");
  visit(&c, "P3", "R1", "2022-07-11 12:00", "2022-07-11 12:30");
  city_load(&c);
  assert_int_equal(fk_trace_window(c.ix, who(&c, "P1"), T("2022-07-11 12:00"), &a, &b), 0);
  assert_int_equal(a, T(WINDOW_START));
  assert_int_equal(b, T("2022-07-11 12:00"));
  trace(&c, "P1", "2022-07-11 12:00", 1);
  assert_int_equal(c.r.window_end, T("2022-07-11 12:00"));
  expect_contact(&c, "P2", 1, "close", NULL, "2022-07-11 11:30", "2022-07-11 12:00", 1);
  expect_none(&c, "P3");
  trace(&c, "P1", "2022-07-11 13:00", 1);
  expect_contact(&c, "P2", 1, "close", NULL, "2022-07-11 11:30", "2022-07-11 12:30", 1);
  expect_contact(&c, "P3", 1, "close", NULL, "2022-07-11 12:00", "2022-07-11 12:30", 1);
  city_free(&c);
}

static void a_missing_checkout_lasts_the_dwell_of_the_kind(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "dwell");
  the_case(&c);
  for (int i = 2; i <= 7; i++) {
    char id[8], hh[8];
    snprintf(id, sizeof id, "P%d", i);
    snprintf(hh, sizeof hh, "H%d", i);
    person(&c, id, hh);
  }
  place(&c, "S1", "supermarket"); /* protocol-9: 30 minutes */
  place(&c, "K1", "park");        /* no dwell of its own: the default 60 */
  visit(&c, "P1", "S1", "2022-07-08 09:00", NULL);
  visit(&c, "P2", "S1", "2022-07-08 09:29:59", NULL);
  visit(&c, "P3", "S1", "2022-07-08 09:30", "2022-07-08 10:00");
  visit(&c, "P6", "S1", "2022-07-08 08:40", NULL); /* [08:40, 09:10) */
  visit(&c, "P1", "K1", "2022-07-08 14:00", NULL);
  visit(&c, "P4", "K1", "2022-07-08 14:59", "2022-07-08 16:00");
  visit(&c, "P5", "K1", "2022-07-08 15:00", NULL);
  visit(&c, "P7", "K1", "2022-07-08 13:00", NULL); /* [13:00, 14:00): touches */
  city_load(&c);
  trace(&c, "P1", NOW, 1);
  expect_contact(&c, "P2", 1, "general", NULL, "2022-07-08 09:29:59", "2022-07-08 09:30", 1);
  expect_none(&c, "P3");
  expect_contact(&c, "P6", 1, "general", NULL, "2022-07-08 09:00", "2022-07-08 09:10", 1);
  expect_contact(&c, "P4", 1, "general", NULL, "2022-07-08 14:59", "2022-07-08 15:00", 1);
  expect_none(&c, "P5");
  expect_none(&c, "P7");
  assert_int_equal(c.r.ncontacts, 3);
  city_free(&c);
}

static void a_long_stay_that_began_days_before_the_case_came_is_found(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "long");
  the_case(&c);
  person(&c, "P2", "H2");
  person(&c, "P3", "H3");
  place(&c, "T1", "hotel");
  /* Many short stays by P3 between P2's check-in and the case's, so that the stays that can
     overlap the case's are not just the few starting shortly before it. */
  for (int d = 5; d <= 8; d++)
    for (int h = 0; h < 24; h++) {
      char in[32], out[32];
      snprintf(in, sizeof in, "2022-07-0%d %02d:00", d, h);
      snprintf(out, sizeof out, "2022-07-0%d %02d:10", d, h);
      visit(&c, "P3", "T1", in, out);
    }
  visit(&c, "P2", "T1", "2022-07-05 12:00", "2022-07-09 12:00");
  visit(&c, "P1", "T1", "2022-07-08 20:30", "2022-07-08 21:30");
  city_load(&c);
  trace(&c, "P1", NOW, 1);
  expect_contact(&c, "P2", 1, "close", NULL, "2022-07-08 20:30", "2022-07-08 21:30", 1);
  expect_contact(&c, "P3", 1, "close", NULL, "2022-07-08 21:00", "2022-07-08 21:10", 1);
  assert_int_equal(c.r.ncontacts, 2);
  city_free(&c);
}

static void household_members_are_exposed_over_the_whole_window(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "household");
  the_case(&c);
  person(&c, "P2", "H1");
  person(&c, "P3", "H1");
  person(&c, "P4", "H4");
  place(&c, "R1", "restaurant");
  visit(&c, "P1", "R1", "2022-07-08 12:00", "2022-07-08 13:00");
  visit(&c, "P3", "R1", "2022-07-08 12:30", "2022-07-08 13:30");
  city_load(&c);
  trace(&c, "P1", NOW, 1);
  expect_contact(&c, "P2", 1, "close", NULL, WINDOW_START, WINDOW_END, 1);
  const struct fk_contact *k = contact(&c, "P2", NULL);
  assert_int_equal(k->exp[0].place, 0);
  assert_int_equal(fk_trace_time(k->exp[0].start), T(WINDOW_START));
  assert_int_equal(fk_trace_time(k->exp[0].end), T(WINDOW_END));
  assert_int_equal(k->exp[0].category, FK_CAT_CLOSE);
  /* At home and at the restaurant: one contact, two exposures. */
  expect_contact(&c, "P3", 1, "close", NULL, WINDOW_START, WINDOW_END, 2);
  expect_none(&c, "P4");
  assert_int_equal(c.r.ncontacts, 2);
  city_free(&c);
}

static void supermarkets_give_general_contacts_restaurants_close_and_both_close(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "category");
  the_case(&c);
  person(&c, "P2", "H2");
  person(&c, "P3", "H3");
  person(&c, "P4", "H4");
  place(&c, "S1", "supermarket");
  place(&c, "R1", "restaurant");
  visit(&c, "P1", "S1", "2022-07-08 09:00", "2022-07-08 10:00");
  visit(&c, "P1", "R1", "2022-07-09 12:00", "2022-07-09 13:00");
  visit(&c, "P2", "S1", "2022-07-08 09:10", "2022-07-08 09:20");
  visit(&c, "P3", "R1", "2022-07-09 12:10", "2022-07-09 12:50");
  visit(&c, "P4", "S1", "2022-07-08 09:50", "2022-07-08 10:20");
  visit(&c, "P4", "R1", "2022-07-09 12:40", "2022-07-09 14:00");
  city_load(&c);
  trace(&c, "P1", NOW, 1);
  expect_contact(&c, "P2", 1, "general", NULL, "2022-07-08 09:10", "2022-07-08 09:20", 1);
  expect_contact(&c, "P3", 1, "close", NULL, "2022-07-09 12:10", "2022-07-09 12:50", 1);
  expect_contact(&c, "P4", 1, "close", NULL, "2022-07-08 09:50", "2022-07-09 13:00", 2);
  const struct fk_contact *k = contact(&c, "P4", NULL);
  int general = 0, close = 0;
  for (size_t i = 0; i < k->nexp; i++)
    *(k->exp[i].category == FK_CAT_CLOSE ? &close : &general) += 1;
  assert_int_equal(general, 1);
  assert_int_equal(close, 1);
  city_free(&c);
}

static void a_contact_who_is_a_case_is_a_link_not_a_contact(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "link");
  the_case(&c);
  person(&c, "P2", "H2");
  person(&c, "P3", "H1"); /* the case's household, a case too */
  person(&c, "P4", "H4");
  a_case(&c, "P2", "confirmed", "2022-07-09", "2022-07-09 10:00", "2022-07-09 18:00");
  a_case(&c, "P3", "asymptomatic", NULL, "2022-07-11 10:00", "2022-07-11 18:00");
  place(&c, "R1", "restaurant");
  visit(&c, "P1", "R1", "2022-07-08 12:00", "2022-07-08 13:00");
  visit(&c, "P2", "R1", "2022-07-08 12:15", "2022-07-08 12:45");
  visit(&c, "P4", "R1", "2022-07-08 12:00", "2022-07-08 12:30");
  city_load(&c);
  trace(&c, "P1", NOW, 2);
  expect_none(&c, "P2");
  expect_none(&c, "P3");
  expect_contact(&c, "P4", 1, "close", NULL, "2022-07-08 12:00", "2022-07-08 12:30", 1);
  assert_int_equal(c.r.ncontacts, 1);
  assert_int_equal(c.r.nlinks, 2);
  int64_t p2 = who(&c, "P2"), p3 = who(&c, "P3");
  for (size_t i = 0; i < c.r.nlinks; i++) {
    const struct fk_case_link *l = &c.r.links[i];
    assert_int_equal(l->from, who(&c, "P1"));
    if (l->to == p2) {
      assert_int_equal(l->first, T("2022-07-08 12:15"));
      assert_int_equal(l->last, T("2022-07-08 12:45"));
      assert_int_equal(l->nexp, 1);
      assert_string_equal(fk_trace_place_id(c.ix, l->exp[0].place), "R1");
    } else {
      assert_int_equal(l->to, p3);
      assert_int_equal(l->first, T(WINDOW_START));
      assert_int_equal(l->last, T(WINDOW_END));
      assert_int_equal(l->nexp, 1);
      assert_int_equal(l->exp[0].place, 0);
    }
  }
  city_free(&c);
}

static void a_contact_of_two_cases_is_in_both_traces_with_its_own_exposures(void **state)
{
  struct city c;
  (void)state;
  city_init(&c, "shared");
  the_case(&c);
  person(&c, "P2", "H2");
  person(&c, "P3", "H3");
  a_case(&c, "P2", "confirmed", "2022-07-10", "2022-07-10 11:00", WINDOW_END);
  place(&c, "S1", "supermarket");
  place(&c, "R1", "restaurant");
  visit(&c, "P1", "S1", "2022-07-08 09:00", "2022-07-08 10:00");
  visit(&c, "P3", "S1", "2022-07-08 09:30", "2022-07-08 10:30");
  visit(&c, "P2", "R1", "2022-07-09 12:00", "2022-07-09 13:00");
  visit(&c, "P3", "R1", "2022-07-09 12:00", "2022-07-09 12:40");
  city_load(&c);
  trace(&c, "P1", NOW, 1);
  expect_contact(&c, "P3", 1, "general", NULL, "2022-07-08 09:30", "2022-07-08 10:00", 1);
  assert_int_equal(c.r.ncontacts, 1);
  assert_int_equal(c.r.nlinks, 0);
  trace(&c, "P2", NOW, 1);
  expect_contact(&c, "P3", 1, "close", NULL, "2022-07-09 12:00", "2022-07-09 12:40", 1);
  assert_int_equal(c.r.ncontacts, 1);
  city_free(&c);
}

/*
 * The degree-2 city. P1 is the case (alone in H1). Close contacts: P2 (restaurant R1 on 07-08
 * 12:00, office O3 on 07-10) and P13 (R1). General contacts: P8 and P12 (supermarket S1).
 * Through P2: P3 (P2's household), P5 (office O1), P7 (office O2, cut to P2's first exposure);
 * not P4 (supermarket), P6 (before P2's first exposure), P11 (a case), P12 (degree 1), P1 (the
 * case). Through P8 (general): nobody, though P9 lives with P8 and P10 works with P8.
 */
static void degree2_city(struct city *c, const char *tag)
{
  city_init(c, tag);
  the_case(c);
  static const char *const people[][2] = {
      {"P2", "H2"}, {"P3", "H2"}, {"P4", "H4"},   {"P5", "H5"},   {"P6", "H6"},   {"P7", "H7"},
      {"P8", "H8"}, {"P9", "H8"}, {"P10", "H10"}, {"P11", "H11"}, {"P12", "H12"}, {"P13", "H13"}};
  for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
    person(c, people[i][0], people[i][1]);
  a_case(c, "P11", "confirmed", "2022-07-20", "2022-07-20 10:00", "2022-07-20 12:00");
  place(c, "R1", "restaurant");
  place(c, "S1", "supermarket");
  place(c, "O1", "office");
  place(c, "O2", "office");
  place(c, "O3", "office");
  place(c, "O4", "office");
  visit(c, "P1", "R1", "2022-07-08 12:00", "2022-07-08 13:00");
  visit(c, "P2", "R1", "2022-07-08 12:00", "2022-07-08 13:00");
  visit(c, "P13", "R1", "2022-07-08 12:30", "2022-07-08 13:30");
  visit(c, "P1", "O3", "2022-07-10 09:00", "2022-07-10 10:00");
  visit(c, "P2", "O3", "2022-07-10 09:00", "2022-07-10 10:00");
  visit(c, "P1", "S1", "2022-07-08 09:00", "2022-07-08 10:00");
  visit(c, "P8", "S1", "2022-07-08 09:00", "2022-07-08 10:00");
  visit(c, "P12", "S1", "2022-07-08 09:30", "2022-07-08 10:30");
  /* P2 after the first exposure: a supermarket (general, does not propagate), offices. */
  visit(c, "P2", "S1", "2022-07-09 18:00", "2022-07-09 19:00");
  visit(c, "P4", "S1", "2022-07-09 18:00", "2022-07-09 19:00");
  visit(c, "P2", "O1", "2022-07-09 09:00", "2022-07-09 17:00");
  visit(c, "P5", "O1", "2022-07-09 09:00", "2022-07-09 17:00");
  visit(c, "P11", "O1", "2022-07-09 09:00", "2022-07-09 17:00");
  visit(c, "P12", "O1", "2022-07-09 09:00", "2022-07-09 17:00");
  /* P2 at O2 before and across the first exposure (07-08 12:00). */
  visit(c, "P2", "O2", "2022-07-07 09:00", "2022-07-07 17:00");
  visit(c, "P6", "O2", "2022-07-07 09:00", "2022-07-07 17:00");
  visit(c, "P2", "O2", "2022-07-08 08:00", "2022-07-08 12:30");
  visit(c, "P6", "O2", "2022-07-08 08:00", "2022-07-08 12:00");
  visit(c, "P7", "O2", "2022-07-08 08:00", "2022-07-08 12:30");
  /* P8, a general contact, at work with P10. */
  visit(c, "P8", "O4", "2022-07-09 09:00", "2022-07-09 17:00");
  visit(c, "P10", "O4", "2022-07-09 09:00", "2022-07-09 17:00");
  city_load(c);
}

static void degree1_of_the_degree2_city(struct city *c)
{
  expect_contact(c, "P2", 1, "close", NULL, "2022-07-08 12:00", "2022-07-10 10:00", 2);
  expect_contact(c, "P13", 1, "close", NULL, "2022-07-08 12:30", "2022-07-08 13:00", 1);
  expect_contact(c, "P8", 1, "general", NULL, "2022-07-08 09:00", "2022-07-08 10:00", 1);
  expect_contact(c, "P12", 1, "general", NULL, "2022-07-08 09:30", "2022-07-08 10:00", 1);
  assert_int_equal(count_degree(c, 1), 4);
}

static void degree2_goes_through_the_household_and_close_places_of_close_contacts(void **state)
{
  struct city c;
  (void)state;
  degree2_city(&c, "degree2");
  trace(&c, "P1", NOW, 2);
  degree1_of_the_degree2_city(&c);
  /* The household of a close contact, from the contact's first exposure until now. */
  expect_contact(&c, "P3", 2, "close", "P2", "2022-07-08 12:00", NOW, 1);
  const struct fk_contact *k = contact(&c, "P3", "P2");
  assert_int_equal(k->exp[0].place, 0);
  /* A close place (an office). */
  expect_contact(&c, "P5", 2, "close", "P2", "2022-07-09 09:00", "2022-07-09 17:00", 1);
  /* Cut to the close contact's first exposure. */
  expect_contact(&c, "P7", 2, "close", "P2", "2022-07-08 12:00", "2022-07-08 12:30", 1);
  assert_int_equal(count_degree(&c, 2), 3);
  assert_int_equal(c.r.ncontacts, 7);
  city_free(&c);
}

static void degree2_is_only_at_close_places_and_from_the_first_exposure(void **state)
{
  struct city c;
  (void)state;
  degree2_city(&c, "degree2_where");
  trace(&c, "P1", NOW, 2);
  expect_none(&c, "P4"); /* met P2 at a supermarket */
  expect_none(&c, "P6"); /* worked with P2 only before P2's first exposure */
  city_free(&c);
}

static void degree2_never_lists_the_case_another_case_or_a_degree1_contact(void **state)
{
  struct city c;
  (void)state;
  degree2_city(&c, "degree2_never");
  trace(&c, "P1", NOW, 2);
  int64_t p1 = who(&c, "P1");
  for (size_t i = 0; i < c.r.ncontacts; i++)
    assert_true(c.r.contacts[i].person != p1);
  expect_none(&c, "P11"); /* a case, met by P2 at O1 */
  assert_int_equal(c.r.nlinks, 0);
  /* P12 (general) and P13 (close) are degree 1 and were met by P2: degree 1 only. */
  assert_null(contact(&c, "P12", "P2"));
  assert_null(contact(&c, "P13", "P2"));
  assert_null(contact(&c, "P2", "P13"));
  expect_contact(&c, "P12", 1, "general", NULL, "2022-07-08 09:30", "2022-07-08 10:00", 1);
  city_free(&c);
}

static void a_general_contact_does_not_propagate(void **state)
{
  struct city c;
  (void)state;
  degree2_city(&c, "degree2_general");
  trace(&c, "P1", NOW, 2);
  expect_none(&c, "P9");  /* lives with P8 */
  expect_none(&c, "P10"); /* works with P8 */
  for (size_t i = 0; i < c.r.ncontacts; i++)
    assert_true(c.r.contacts[i].via != who(&c, "P8") && c.r.contacts[i].via != who(&c, "P12"));
  city_free(&c);
}

static int first_room(void *arg, const struct fk_room_row *row)
{
  *(int64_t *)arg = row->id;
  return 1;
}

/* Stores the stay row (new, or ended when it has an id) and refreshes the index. */
static void put_stay(struct city *c, struct fk_stay_row *row)
{
  struct fk_diag d;
  fk_diag_clear(&d);
  assert_int_equal(fk_store_begin(c->st), 0);
  if (fk_store_put_stays(c->st, row, 1, &d)) fail_msg("stay: %s", d.reason);
  assert_int_equal(fk_store_commit(c->st), 0);
  if (fk_trace_index_refresh(c->ix, c->st, NULL, &d)) fail_msg("refresh: %s", d.reason);
}

/* Puts person_id in a quarantine site (集中隔离) over [from, to) (to NULL: still there), the
   site made at the first call, and refreshes the index; returns the stay's row. */
static struct fk_stay_row quarantine(struct city *c, const char *person_id, const char *from,
                                     const char *to)
{
  static const char sites[] =
      "site_id,name,grid_id,lat,lon,clean_zone,buffer_zone,contaminated_zone,staff_channel,"
      "resident_channel,staff,allows_households\n"
      "Q1,隔离点,G1,37.7,112.5,清洁区,缓冲区,污染区,员工通道,住户通道,20,1\n";
  static const char rooms[] = "site_id,room_id,kind,beds\nQ1,101,single,1\n";
  int64_t room = 0;
  if (fk_store_each_room(c->st, first_room, &room) < 0) fail_msg("rooms");
  if (!room) {
    import_text(c, "sites", "sites.csv", sites, sizeof sites - 1);
    import_text(c, "rooms", "rooms.csv", rooms, sizeof rooms - 1);
    fk_store_each_room(c->st, first_room, &room);
  }
  struct fk_stay_row row = {.person = who(c, person_id),
                            .room = room,
                            .from = T(from),
                            .to = to ? T(to) : FK_TIME_NONE,
                            .reason = "close contact (密接)",
                            .end_reason = to ? "released" : NULL};
  put_stay(c, &row);
  return row;
}

/* A close contact propagates until it is isolated in a quarantine site, not until now: P2 (first
   exposed 07-08 12:00) enters one on 07-09 at 12:00, halfway through its day at O1 with P5. */
static void degree2_ends_when_the_close_contact_enters_a_quarantine_site(void **state)
{
  struct city c;
  (void)state;
  degree2_city(&c, "degree2_isolated");
  quarantine(&c, "P2", "2022-07-01 08:00", "2022-07-08 11:00"); /* an earlier stay, released */
  quarantine(&c, "P2", "2022-07-09 12:00", NULL);
  trace(&c, "P1", NOW, 2);
  degree1_of_the_degree2_city(&c);
  expect_contact(&c, "P3", 2, "close", "P2", "2022-07-08 12:00", "2022-07-09 12:00", 1);
  expect_contact(&c, "P5", 2, "close", "P2", "2022-07-09 09:00", "2022-07-09 12:00", 1);
  expect_contact(&c, "P7", 2, "close", "P2", "2022-07-08 12:00", "2022-07-08 12:30", 1);
  assert_int_equal(count_degree(&c, 2), 3);
  /* Asked before the isolation began, the answer is as if it had not (time is an input). */
  trace(&c, "P1", "2022-07-09 11:00", 2);
  expect_contact(&c, "P3", 2, "close", "P2", "2022-07-08 12:00", "2022-07-09 11:00", 1);
  expect_contact(&c, "P5", 2, "close", "P2", "2022-07-09 09:00", "2022-07-09 11:00", 1);
  city_free(&c);
}

/* A close contact already in a quarantine site at its first exposure (the case was placed in
   the same site) has no secondary contacts. */
static void a_close_contact_isolated_at_its_first_exposure_does_not_propagate(void **state)
{
  struct city c;
  (void)state;
  degree2_city(&c, "degree2_in_site");
  struct fk_stay_row row = quarantine(&c, "P2", "2022-07-08 11:00", NULL);
  trace(&c, "P1", NOW, 2);
  degree1_of_the_degree2_city(&c);
  assert_int_equal(count_degree(&c, 2), 0);
  /* The stay is ended (recorded later) before the first exposure: P2 propagates again once the
     index is refreshed, which rereads the stays when one ended. */
  row.to = T("2022-07-08 11:30");
  row.end_reason = "released";
  put_stay(&c, &row);
  trace(&c, "P1", NOW, 2);
  assert_int_equal(count_degree(&c, 2), 3);
  city_free(&c);
}

static void depth1_stops_at_the_contacts_of_the_case(void **state)
{
  struct city c;
  (void)state;
  degree2_city(&c, "depth1");
  trace(&c, "P1", NOW, 1);
  degree1_of_the_degree2_city(&c);
  assert_int_equal(c.r.ncontacts, 4);
  struct fk_trace_result r;
  struct fk_diag d;
  assert_int_equal(fk_trace_case(c.ix, who(&c, "P1"), T(NOW), 3, &r, &d), FK_EINVAL);
  assert_int_equal(fk_trace_case(c.ix, who(&c, "P1"), T(NOW), 0, &r, &d), FK_EINVAL);
  assert_int_equal(fk_trace_case(c.ix, who(&c, "P2"), T(NOW), 1, &r, &d), FK_ENOTFOUND);
  city_free(&c);
}

static void protocol10_rules_give_no_degree2_even_at_depth2(void **state)
{
  struct city c;
  char path[1024];
  struct fk_diag d;
  const char *src = getenv("FK_SRC");
  (void)state;
  degree2_city(&c, "protocol10");
  /* The same city indexed again under the tenth edition's rules. */
  fk_trace_index_free(c.ix);
  c.ix = NULL;
  snprintf(path, sizeof path, "%s/rules/protocol-10.json", src ? src : ".");
  assert_int_equal(fk_rules_load(path, &c.rules, NULL, NULL, &d), 0);
  assert_int_equal(fk_trace_index_build(c.st, &c.rules, &c.ix, &d), 0);
  trace(&c, "P1", NOW, 2);
  degree1_of_the_degree2_city(&c);
  assert_int_equal(c.r.ncontacts, 4);
  city_free(&c);
}

static void the_minimum_overlap_and_window_days_come_from_the_rule_set(void **state)
{
  static const char rules[] =
      "{\"name\": \"test-overlap\", \"trace\": {\"source\": \"a test\","
      " \"window_days_before_onset\": 2, \"secondary_contacts\": true,"
      " \"default_category\": \"general\", \"default_dwell_minutes\": 60,"
      " \"kinds\": {\"gym\": {\"category\": \"close\", \"min_overlap_minutes\": 15}}},"
      " \"companion\": {\"source\": \"a test\", \"cell_meters\": 800, \"min_minutes\": 10,"
      " \"dwell_hours\": 30, \"lookback_days\": 14}}";
  struct city c;
  struct fk_diag d;
  (void)state;
  city_init(&c, "overlap");
  const char *path = fk_test_write(c.dir, "rules.json", rules, sizeof rules - 1);
  if (fk_rules_load(path, &c.rules, NULL, NULL, &d)) fail_msg("rules: %s", d.reason);
  the_case(&c);
  for (int i = 2; i <= 5; i++) {
    char id[8], hh[8];
    snprintf(id, sizeof id, "P%d", i);
    snprintf(hh, sizeof hh, "H%d", i);
    person(&c, id, hh);
  }
  place(&c, "G1", "gym");
  place(&c, "K1", "park");
  visit(&c, "P1", "G1", "2022-07-08 10:00", "2022-07-08 11:00");
  visit(&c, "P2", "G1", "2022-07-08 10:45", "2022-07-08 11:30");    /* exactly 15 minutes */
  visit(&c, "P3", "G1", "2022-07-08 10:44:59", "2022-07-08 11:30"); /* 15 minutes 1 second */
  visit(&c, "P1", "K1", "2022-07-08 14:00", "2022-07-08 15:00");
  visit(&c, "P4", "K1", "2022-07-08 14:59:59", "2022-07-08 15:30"); /* any overlap at a park */
  visit(&c, "P5", "K1", "2022-07-08 15:00", "2022-07-08 15:30");
  visit(&c, "P1", "K1", "2022-07-07 14:00", "2022-07-07 15:00"); /* before a 2-day window */
  visit(&c, "P5", "K1", "2022-07-07 14:00", "2022-07-07 15:00");
  city_load(&c);
  trace(&c, "P1", NOW, 1);
  assert_int_equal(c.r.window_start, T("2022-07-08 00:00")); /* 2 days before onset */
  expect_none(&c, "P2");
  expect_contact(&c, "P3", 1, "close", NULL, "2022-07-08 10:44:59", "2022-07-08 11:00", 1);
  expect_contact(&c, "P4", 1, "general", NULL, "2022-07-08 14:59:59", "2022-07-08 15:00", 1);
  expect_none(&c, "P5");
  assert_int_equal(c.r.ncontacts, 2);
  city_free(&c);
}

static void checkins_imported_after_the_build_appear_after_a_refresh(void **state)
{
  struct city c;
  struct fk_diag d;
  struct fk_trace_index_stats s0, s1;
  long added = -1;
  (void)state;
  city_init(&c, "refresh");
  the_case(&c);
  person(&c, "P2", "H2");
  place(&c, "R1", "restaurant");
  visit(&c, "P1", "R1", "2022-07-08 12:00", "2022-07-08 13:00");
  visit(&c, "P2", "R1", "2022-07-08 12:00", "2022-07-08 12:30");
  city_load(&c);
  fk_trace_index_stats(c.ix, &s0);
  assert_int_equal(s0.persons, 2);
  assert_int_equal(s0.places, 1);
  assert_int_equal(s0.cases, 1);
  assert_int_equal(s0.checkins, 2);

  /* A new person at a new place with the case, and one more at the old place. */
  city_next_batch(&c);
  person(&c, "P3", "H3");
  person(&c, "P4", "H2"); /* joins P2's household */
  place(&c, "R2", "restaurant");
  visit(&c, "P1", "R2", "2022-07-09 18:00", "2022-07-09 19:00");
  visit(&c, "P3", "R2", "2022-07-09 18:30", "2022-07-09 20:00");
  visit(&c, "P4", "R1", "2022-07-08 12:50", "2022-07-08 14:00");
  city_more(&c, "_2");
  trace(&c, "P1", NOW, 2);
  assert_int_equal(c.r.ncontacts, 1); /* the index has not seen them yet */
  assert_int_equal(fk_trace_index_refresh(c.ix, c.st, &added, &d), 0);
  assert_int_equal(added, 3);
  fk_trace_index_stats(c.ix, &s1);
  assert_int_equal(s1.checkins, s0.checkins + 3);
  assert_int_equal(s1.persons, 4);
  assert_int_equal(s1.places, 2);
  trace(&c, "P1", NOW, 2);
  expect_contact(&c, "P2", 1, "close", NULL, "2022-07-08 12:00", "2022-07-08 12:30", 1);
  expect_contact(&c, "P3", 1, "close", NULL, "2022-07-09 18:30", "2022-07-09 19:00", 1);
  expect_contact(&c, "P4", 1, "close", NULL, "2022-07-08 12:50", "2022-07-08 13:00", 1);
  /* P2 and P4 now share a household, and both are close contacts: neither is degree 2. */
  assert_int_equal(count_degree(&c, 2), 0);
  assert_int_equal(fk_trace_index_refresh(c.ix, c.st, &added, &d), 0);
  assert_int_equal(added, 0);

  /* More than 65,536 new check-ins: the refresh merges them into the sorted arrays. */
  enum { FILLERS = 100, EACH = 700 };
  city_next_batch(&c);
  for (int p = 0; p < FILLERS; p++) {
    char id[16];
    snprintf(id, sizeof id, "F%d", p);
    person(&c, id, "HF");
  }
  place(&c, "K1", "park");
  for (int p = 0; p < FILLERS; p++)
    for (int k = 0; k < EACH; k++) {
      /* Hourly from 2022-06-01, far from the window; 700 hours is about 29 days. */
      fk_time in = T("2022-05-01 00:00") + (fk_time)k * 3600;
      char a[FK_TIME_BUFSZ], b[FK_TIME_BUFSZ];
      sb_add(&c.checkins, "F%d,%s,%s,%s\n", p, k % 2 ? "K1" : "R1", fk_time_format(in, a),
             fk_time_format(in + 1800, b));
    }
  visit(&c, "F7", "R1", "2022-07-08 11:00", "2022-07-08 12:00:01");
  visit(&c, "F8", "R2", "2022-07-09 18:59", NULL); /* restaurant: the default hour */
  city_more(&c, "_3");
  assert_int_equal(fk_trace_index_refresh(c.ix, c.st, &added, &d), 0);
  assert_int_equal(added, FILLERS * EACH + 2);
  assert_int_equal(c.ix->pending.n, 0); /* merged */
  fk_trace_index_stats(c.ix, &s1);
  assert_int_equal(s1.checkins, s0.checkins + 3 + FILLERS * EACH + 2);
  assert_int_equal(s1.persons, 4 + FILLERS);
  assert_int_equal(s1.places, 3);
  trace(&c, "P1", NOW, 1);
  expect_contact(&c, "F7", 1, "close", NULL, "2022-07-08 12:00", "2022-07-08 12:00:01", 1);
  expect_contact(&c, "F8", 1, "close", NULL, "2022-07-09 18:59", "2022-07-09 19:00", 1);
  expect_contact(&c, "P3", 1, "close", NULL, "2022-07-09 18:30", "2022-07-09 19:00", 1);
  assert_int_equal(c.r.ncontacts, 5);

  /* And a few more after the merge, pending again next to the merged ones. */
  city_next_batch(&c);
  visit(&c, "F9", "R1", "2022-07-08 12:59", "2022-07-08 13:10");
  city_more(&c, "_4");
  assert_int_equal(fk_trace_index_refresh(c.ix, c.st, &added, &d), 0);
  assert_int_equal(added, 1);
  trace(&c, "P1", NOW, 1);
  expect_contact(&c, "F9", 1, "close", NULL, "2022-07-08 12:59", "2022-07-08 13:00", 1);
  assert_int_equal(c.r.ncontacts, 6);

  /* A new member of the case's household, and P3 found positive: a contact, and a link. */
  city_next_batch(&c);
  person(&c, "P9", "H1");
  a_case(&c, "P3", "confirmed", "2022-07-11", "2022-07-11 09:00", "2022-07-11 20:00");
  city_more(&c, "_5");
  assert_int_equal(fk_trace_index_refresh(c.ix, c.st, &added, &d), 0);
  assert_int_equal(added, 0);
  fk_trace_index_stats(c.ix, &s1);
  assert_int_equal(s1.cases, 2);
  assert_true(fk_trace_is_case(c.ix, who(&c, "P3")));
  trace(&c, "P1", NOW, 1);
  expect_contact(&c, "P9", 1, "close", NULL, WINDOW_START, WINDOW_END, 1);
  expect_none(&c, "P3");
  assert_int_equal(c.r.ncontacts, 6);
  assert_int_equal(c.r.nlinks, 1);
  assert_int_equal(c.r.links[0].to, who(&c, "P3"));
  assert_int_equal(c.r.links[0].first, T("2022-07-09 18:30"));

  /* Only a case reported, no new person or check-in (the refresh then skips rebuilding the
     person lookups unless the cases changed): P2 becomes a second link. */
  city_next_batch(&c);
  a_case(&c, "P2", "confirmed", "2022-07-11", "2022-07-11 10:00", "2022-07-11 20:00");
  city_more(&c, "_6");
  assert_int_equal(fk_trace_index_refresh(c.ix, c.st, &added, &d), 0);
  assert_int_equal(added, 0);
  assert_true(fk_trace_is_case(c.ix, who(&c, "P2")));
  trace(&c, "P1", NOW, 1);
  expect_none(&c, "P2");
  assert_int_equal(c.r.ncontacts, 5);
  assert_int_equal(c.r.nlinks, 2);
  city_free(&c);
}

/* Any allocation of a depth-2 trace may fail, on one thread or with the close contacts' parts
   shared between two: the trace then returns FK_ENOMEM with its result emptied (nothing leaks:
   the sanitizer build checks); a trace that returns 0 gives the answer of one that never
   failed. Each allocation fails alone (a failure the code ignored would show as a wrong
   answer), up to beyond the last one a trace makes. */
static void running_out_of_memory_anywhere_fails_cleanly(void **state)
{
  struct city c;
  (void)state;
  degree2_city(&c, "degree2_nomem");
  trace(&c, "P1", NOW, 2);
  for (int threads = 1; threads <= 2; threads++) {
    int failed = 0, ok_in_a_row = 0;
    for (long n = 1; ok_in_a_row < 20; n++) {
      struct fk_trace_result r = {0};
      struct fk_diag d;
      fk_alloc_fail_once(n);
      int rc = fk_trace_case_threads(c.ix, who(&c, "P1"), T(NOW), 2, threads, &r, &d);
      fk_alloc_fail_after(0);
      ok_in_a_row = rc ? 0 : ok_in_a_row + 1;
      if (rc) {
        assert_int_equal(rc, FK_ENOMEM);
        assert_null(r.contacts);
        assert_null(r.storage_);
        failed++;
        continue;
      }
      assert_same_result(&r, &c.r);
      fk_trace_result_free(&r);
    }
    assert_true(failed > 5); /* the trace allocates: the loop went past its allocations */
  }
  city_free(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(touching_stays_are_not_exposures_and_one_second_of_overlap_is),
      cmocka_unit_test(a_case_who_met_nobody_and_lives_alone_has_no_contacts),
      cmocka_unit_test(stays_are_cut_to_the_window_at_both_ends),
      cmocka_unit_test(window_opens_before_onset_or_before_sampling_when_asymptomatic_or_no_onset),
      cmocka_unit_test(a_case_not_isolated_is_traced_until_now),
      cmocka_unit_test(a_missing_checkout_lasts_the_dwell_of_the_kind),
      cmocka_unit_test(a_long_stay_that_began_days_before_the_case_came_is_found),
      cmocka_unit_test(household_members_are_exposed_over_the_whole_window),
      cmocka_unit_test(supermarkets_give_general_contacts_restaurants_close_and_both_close),
      cmocka_unit_test(a_contact_who_is_a_case_is_a_link_not_a_contact),
      cmocka_unit_test(a_contact_of_two_cases_is_in_both_traces_with_its_own_exposures),
      cmocka_unit_test(degree2_goes_through_the_household_and_close_places_of_close_contacts),
      cmocka_unit_test(degree2_is_only_at_close_places_and_from_the_first_exposure),
      cmocka_unit_test(degree2_never_lists_the_case_another_case_or_a_degree1_contact),
      cmocka_unit_test(a_general_contact_does_not_propagate),
      cmocka_unit_test(degree2_ends_when_the_close_contact_enters_a_quarantine_site),
      cmocka_unit_test(a_close_contact_isolated_at_its_first_exposure_does_not_propagate),
      cmocka_unit_test(depth1_stops_at_the_contacts_of_the_case),
      cmocka_unit_test(protocol10_rules_give_no_degree2_even_at_depth2),
      cmocka_unit_test(the_minimum_overlap_and_window_days_come_from_the_rule_set),
      cmocka_unit_test(checkins_imported_after_the_build_appear_after_a_refresh),
      cmocka_unit_test(running_out_of_memory_anywhere_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
