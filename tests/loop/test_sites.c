/*
 * Rooms at quarantine sites on hand-built cities. Grid N (37.74 N, 112.56 E, 小店区) and grid F
 * about 18 km north (37.90 N); site SN stands beside N, site SF beside F. Persons and measures
 * are written by each test: a close contact's measure anchored on 2022-07-10 under protocol-9 is
 * centralized quarantine 07-11..07-17, then home health monitoring 07-18..07-20. Allocation runs
 * at 2022-07-11 10:00 unless a test says otherwise. Expected rooms and times were worked out by
 * hand from docs/SITES.md; the invariants test checks a random city against brute-force rules.
 */
#include "base/rng.h"
#include "fangkong/alloc.h"
#include "fangkong/measure.h"
#include "fangkong/measures.h"
#include "fangkong/site_store.h"
#include "fangkong/sites.h"
#include "trace/city.h"

#define NOW "2022-07-11 10:00"

static fk_date D(const char *s)
{
  fk_date d;
  if (fk_date_parse(s, strlen(s), &d, NULL)) fail_msg("bad date %s", s);
  return d;
}

struct town {
  struct city c; /* dir, store, rules; its person and place buffers are unused */
  struct sb persons, sites, rooms;
  int n;
};

static void town_init(struct town *t, const char *tag)
{
  memset(t, 0, sizeof *t);
  city_init(&t->c, tag);
  sb_add(&t->persons,
         "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address\n");
  sb_add(&t->sites, "site_id,name,grid_id,lat,lon,clean_zone,buffer_zone,contaminated_zone,"
                    "staff_channel,resident_channel,staff,allows_households\n");
  sb_add(&t->rooms, "site_id,room_id,kind,beds\n");
}

/* A man born on birth (YYYY-MM-DD) living in grid. */
static void resident(struct town *t, const char *id, const char *household, const char *grid,
                     const char *birth)
{
  char num[19];
  snprintf(num, sizeof num, "140105%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8,
           (t->n++ % 500) * 2 + 1);
  num[17] = fk_idnum_check_char(num);
  num[18] = '\0';
  sb_add(&t->persons, "%s,%s,测试,M,%s,,%s,%s,\n", id, num, birth, household, grid);
}

static void site(struct town *t, const char *id, const char *grid, int households)
{
  double lat = !strcmp(grid, "N") ? 37.741 : 37.901;
  sb_add(&t->sites,
         "%s,隔离点%s,%s,%.3f,112.561,清洁区,缓冲区,污染区,员工通道,隔离人员通道,10,%d\n", id, id,
         grid, lat, households);
}

static void room(struct town *t, const char *site_id, const char *id, const char *kind, int beds)
{
  sb_add(&t->rooms, "%s,%s,%s,%d\n", site_id, id, kind, beds);
}

static void town_load(struct town *t)
{
  static const char grids[] = "grid_id,name,community,street,district,lat,lon\n"
                              "N,南网格,坞城社区,坞城街道,小店区,37.74,112.56\n"
                              "F,北网格,北社区,北街道,杏花岭区,37.90,112.56\n";
  char path[600];
  struct fk_diag d;
  fk_diag_clear(&d);
  snprintf(path, sizeof path, "%s/sites.db", t->c.dir);
  if (fk_store_open(path, &t->c.st, &d)) fail_msg("open %s: %s", path, d.reason);
  import_text(&t->c, "grids", "grids.csv", grids, sizeof grids - 1);
  import_text(&t->c, "persons", "persons.csv", t->persons.s, t->persons.n);
  import_text(&t->c, "sites", "sites.csv", t->sites.s, t->sites.n);
  import_text(&t->c, "rooms", "rooms.csv", t->rooms.s, t->rooms.n);
}

static void town_free(struct town *t)
{
  sb_free(&t->persons);
  sb_free(&t->sites);
  sb_free(&t->rooms);
  sb_free(&t->c.persons);
  sb_free(&t->c.places);
  sb_free(&t->c.checkins);
  sb_free(&t->c.cases);
  fk_store_close(t->c.st);
}

static int64_t pid(struct town *t, const char *id)
{
  int64_t p = 0;
  if (fk_store_person_id(t->c.st, id, &p) || !p) fail_msg("no person %s", id);
  return p;
}

/* Stores a measure of category cat for person id, anchored and placed on the given dates. */
static int64_t measure(struct town *t, const char *id, int cat, const char *anchor,
                       const char *placed)
{
  struct fk_measure_row m;
  struct fk_diag d;
  memset(&m, 0, sizeof m);
  m.person = pid(t, id);
  m.category = cat;
  m.kind = cat == FK_PERSON_CASE ? FK_MEASURE_HOSPITAL : FK_MEASURE_CENTRALIZED_QUARANTINE;
  m.anchor = D(anchor);
  m.placed = D(placed);
  m.start = m.anchor + 1;
  m.end = cat == FK_PERSON_CASE ? FK_DATE_NONE : m.anchor + 10;
  m.status = FK_MSTATUS_ACTIVE;
  snprintf(m.rule, sizeof m.rule, "test");
  snprintf(m.reason, sizeof m.reason, "test");
  fk_diag_clear(&d);
  if (fk_store_put_measure(t->c.st, &m, &d)) fail_msg("put measure: %s", d.reason);
  return m.id;
}

static void set_status(struct town *t, int64_t id, enum fk_measure_status status)
{
  struct fk_measure_row *m = NULL;
  int n = 0;
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_measures_of(t->c.st, 0, FK_TIME_NONE, &m, &n, &d)) fail_msg("%s", d.reason);
  for (int i = 0; i < n; i++)
    if (m[i].id == id) {
      m[i].status = status;
      if (fk_store_put_measure(t->c.st, &m[i], &d)) fail_msg("%s", d.reason);
    }
  fk_free(m);
}

static struct fk_sites_stats allocate(struct town *t, const char *now)
{
  struct fk_sites_stats s;
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_sites_allocate(t->c.st, &t->c.rules, T(now), &s, &d)) fail_msg("allocate: %s", d.reason);
  return s;
}

/* The person's stay (or wait) in force at `at` (NULL: the one open); returns 0 when none. */
static int stay(struct town *t, const char *id, const char *at, struct fk_site_stay *s)
{
  struct fk_diag d;
  fk_diag_clear(&d);
  int rc = fk_sites_stay_of(t->c.st, pid(t, id), at ? T(at) : FK_TIME_NONE, s, &d);
  if (rc == FK_ENOTFOUND) return 0;
  if (rc) fail_msg("stay of %s: %s", id, d.reason);
  return 1;
}

/* "SITE/ROOM" of the person's open stay, "wait:SITE" when waiting, "-" when neither. */
static const char *where(struct town *t, const char *id)
{
  static char buf[4][160];
  static int next;
  char *b = buf[next++ % 4];
  struct fk_site_stay s;
  if (!stay(t, id, NULL, &s) || (s.to != FK_TIME_NONE))
    snprintf(b, 160, "-");
  else if (s.waiting)
    snprintf(b, 160, "wait:%s", s.site_id);
  else
    snprintf(b, 160, "%s/%s", s.site_id, s.room_id);
  return b;
}

static void nearest_site_with_a_free_room_is_chosen(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "nearest");
  resident(&t, "PN", "H1", "N", "1990-01-01");
  resident(&t, "PF", "H2", "F", "1990-01-01");
  site(&t, "SN", "N", 1);
  site(&t, "SF", "F", 1);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SF", "f1", "single", 1);
  town_load(&t);
  measure(&t, "PF", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "PN", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  struct fk_sites_stats s = allocate(&t, NOW);
  assert_int_equal(s.need, 2);
  assert_int_equal(s.admitted, 2);
  assert_string_equal(where(&t, "PN"), "SN/n1");
  assert_string_equal(where(&t, "PF"), "SF/f1");
  struct fk_site_stay st;
  assert_true(stay(&t, "PN", NULL, &st));
  assert_int_equal(st.from, T(NOW));
  assert_non_null(strstr(st.reason, "close_contact under centralized_quarantine to 2022-07-17"));
  town_free(&t);
}

static void a_household_shares_a_family_room_where_the_site_allows_it(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "household");
  resident(&t, "A1", "HA", "N", "1985-03-01");
  resident(&t, "A2", "HA", "N", "2015-06-01");
  resident(&t, "B1", "HB", "N", "1990-01-01");
  site(&t, "SN", "N", 0); /* nearest, but takes no households */
  site(&t, "SF", "F", 1);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SN", "n2", "single", 1);
  room(&t, "SN", "nf", "family", 3);
  room(&t, "SF", "ff", "family", 2);
  town_load(&t);
  measure(&t, "A1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "A2", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "B1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  struct fk_sites_stats s = allocate(&t, NOW);
  assert_int_equal(s.together, 2);
  assert_string_equal(where(&t, "A1"), "SF/ff");
  assert_string_equal(where(&t, "A2"), "SF/ff");
  assert_string_equal(where(&t, "B1"), "SN/n1"); /* a stranger never joins them */
  town_free(&t);
}

static void without_the_rule_a_household_goes_one_to_a_room(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "apart");
  t.c.rules.sites.households_together = 0;
  resident(&t, "A1", "HA", "N", "1985-03-01");
  resident(&t, "A2", "HA", "N", "2015-06-01");
  site(&t, "SN", "N", 1);
  room(&t, "SN", "nf", "family", 3);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SN", "n2", "single", 1);
  town_load(&t);
  measure(&t, "A1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "A2", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  struct fk_sites_stats s = allocate(&t, NOW);
  assert_int_equal(s.together, 0);
  assert_string_equal(where(&t, "A1"), "SN/n1");
  assert_string_equal(where(&t, "A2"), "SN/n2");
  town_free(&t);
}

static void a_later_household_member_joins_the_family_room(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "joins");
  resident(&t, "A1", "HA", "N", "1985-03-01");
  resident(&t, "A2", "HA", "N", "2015-06-01");
  resident(&t, "A3", "HA", "N", "1960-01-01");
  site(&t, "SN", "N", 1);
  room(&t, "SN", "nf", "family", 3);
  room(&t, "SN", "n1", "single", 1);
  town_load(&t);
  measure(&t, "A1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "A2", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  allocate(&t, NOW);
  measure(&t, "A3", FK_PERSON_CLOSE_CONTACT, "2022-07-11", "2022-07-12");
  struct fk_sites_stats s = allocate(&t, "2022-07-12 10:00");
  assert_int_equal(s.admitted, 1);
  assert_int_equal(s.together, 1);
  assert_string_equal(where(&t, "A3"), "SN/nf");
  town_free(&t);
}

static void a_full_site_sends_the_next_person_to_the_next_site(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "full");
  resident(&t, "P1", "H1", "N", "1990-01-01");
  resident(&t, "P2", "H2", "N", "1990-01-01");
  site(&t, "SN", "N", 1);
  site(&t, "SF", "F", 1);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SF", "f1", "single", 1);
  town_load(&t);
  measure(&t, "P1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "P2", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  allocate(&t, NOW);
  /* Served in person order (same placement, nobody waiting): P1 first. */
  assert_string_equal(where(&t, "P1"), "SN/n1");
  assert_string_equal(where(&t, "P2"), "SF/f1");
  struct fk_site_stay s;
  assert_true(stay(&t, "P2", NULL, &s));
  assert_non_null(strstr(s.reason, "17.9 km"));
  town_free(&t);
}

static void the_old_get_an_accessible_room_first(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "accessible");
  resident(&t, "OLD", "H1", "N", "1950-01-01"); /* 72 on 2022-07-11 */
  resident(&t, "YOUNG", "H2", "N", "1990-01-01");
  site(&t, "SN", "N", 1);
  site(&t, "SF", "F", 1);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SN", "n2", "single", 1);
  room(&t, "SF", "fa", "accessible", 1);
  town_load(&t);
  measure(&t, "OLD", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "YOUNG", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  allocate(&t, NOW);
  assert_string_equal(where(&t, "OLD"), "SF/fa");
  assert_string_equal(where(&t, "YOUNG"), "SN/n1");
  town_free(&t);
}

static void nobody_free_means_waiting_until_a_room_frees(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "waiting");
  resident(&t, "P1", "H1", "N", "1990-01-01");
  resident(&t, "P2", "H2", "N", "1990-01-01");
  site(&t, "SN", "N", 1);
  room(&t, "SN", "n1", "single", 1);
  town_load(&t);
  measure(&t, "P1", FK_PERSON_CLOSE_CONTACT, "2022-07-09", "2022-07-10");
  measure(&t, "P2", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  struct fk_sites_stats s = allocate(&t, NOW);
  assert_int_equal(s.waiting, 1);
  assert_int_equal(s.new_waits, 1);
  assert_string_equal(where(&t, "P1"), "SN/n1");
  assert_string_equal(where(&t, "P2"), "wait:SN");
  s = allocate(&t, "2022-07-12 10:00"); /* still full: the same wait goes on */
  assert_int_equal(s.new_waits, 0);
  assert_int_equal(s.written, 0);
  /* P1's centralized phase is 07-10..07-16: out at 07-17 00:00; P2 takes the room. */
  s = allocate(&t, "2022-07-17 09:00");
  assert_int_equal(s.discharged, 1);
  assert_int_equal(s.admitted, 1);
  assert_string_equal(where(&t, "P2"), "SN/n1");
  struct fk_site_stay w;
  assert_true(stay(&t, "P2", "2022-07-12 12:00", &w));
  assert_int_equal(w.waiting, 1);
  assert_int_equal(w.from, T(NOW));
  assert_true(stay(&t, "P1", NULL, &w));
  assert_int_equal(w.to, T("2022-07-17 00:00"));
  assert_string_equal(w.end_reason, "centralized quarantine ended 2022-07-16 (its last day)");
  town_free(&t);
}

static void stays_end_with_the_phase_or_on_release_or_supersession(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "discharge");
  resident(&t, "P1", "H1", "N", "1990-01-01");
  resident(&t, "P2", "H2", "N", "1990-01-01");
  resident(&t, "P3", "H3", "N", "1990-01-01");
  site(&t, "SN", "N", 1);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SN", "n2", "single", 1);
  room(&t, "SN", "n3", "single", 1);
  town_load(&t);
  measure(&t, "P1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  int64_t m2 = measure(&t, "P2", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  int64_t m3 = measure(&t, "P3", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  allocate(&t, NOW);
  /* 07-13: P2 became a case (hospital), P3's measure was released early. */
  set_status(&t, m2, FK_MSTATUS_SUPERSEDED);
  measure(&t, "P2", FK_PERSON_CASE, "2022-07-13", "2022-07-13");
  set_status(&t, m3, FK_MSTATUS_RELEASED);
  struct fk_sites_stats s = allocate(&t, "2022-07-13 15:00");
  assert_int_equal(s.discharged, 2);
  struct fk_site_stay x;
  assert_true(stay(&t, "P2", NULL, &x));
  assert_int_equal(x.to, T("2022-07-13 15:00"));
  assert_string_equal(x.end_reason, "measure superseded: now case under hospital");
  assert_true(stay(&t, "P3", NULL, &x));
  assert_int_equal(x.to, T("2022-07-13 15:00"));
  assert_string_equal(x.end_reason, "measure released");
  assert_string_equal(where(&t, "P1"), "SN/n1");
  /* 07-18: P1 is in home health monitoring; the stay ended at 07-18 00:00. */
  s = allocate(&t, "2022-07-18 08:00");
  assert_int_equal(s.discharged, 1);
  assert_true(stay(&t, "P1", NULL, &x));
  assert_int_equal(x.to, T("2022-07-18 00:00"));
  assert_string_equal(where(&t, "P1"), "-");
  town_free(&t);
}

static void a_stricter_measure_that_quarantines_too_keeps_the_room(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "takeover");
  resident(&t, "P1", "H1", "N", "1990-01-01");
  site(&t, "SN", "N", 1);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SN", "n2", "single", 1);
  town_load(&t);
  /* From a high-risk area, left 07-08: centralized 07-09..07-15. */
  int64_t m1 = measure(&t, "P1", FK_PERSON_HIGH_RISK_AREA, "2022-07-08", "2022-07-09");
  allocate(&t, "2022-07-10 10:00");
  assert_string_equal(where(&t, "P1"), "SN/n1");
  /* 07-12: a close contact, last exposure 07-12: centralized 07-13..07-19 takes over. */
  set_status(&t, m1, FK_MSTATUS_SUPERSEDED);
  measure(&t, "P1", FK_PERSON_CLOSE_CONTACT, "2022-07-12", "2022-07-12");
  assert_int_equal(allocate(&t, "2022-07-12 10:00").written, 0);
  assert_int_equal(allocate(&t, "2022-07-17 10:00").written, 0);
  assert_string_equal(where(&t, "P1"), "SN/n1");
  struct fk_sites_stats s = allocate(&t, "2022-07-20 10:00");
  assert_int_equal(s.discharged, 1);
  struct fk_site_stay x;
  assert_true(stay(&t, "P1", NULL, &x));
  assert_int_equal(x.to, T("2022-07-20 00:00"));
  assert_string_equal(x.end_reason, "centralized quarantine ended 2022-07-19 (its last day)");
  town_free(&t);
}

/* Every stay and wait as text, for comparing the store before and after. */
static int dump_stay(void *arg, const struct fk_stay_row *r)
{
  sb_add(arg, "stay %lld %lld %lld %lld %lld %s|%s\n", (long long)r->id, (long long)r->person,
         (long long)r->room, (long long)r->from, (long long)r->to, r->reason,
         r->end_reason ? r->end_reason : "");
  return 0;
}

static int dump_wait(void *arg, const struct fk_wait_row *r)
{
  sb_add(arg, "wait %lld %lld %lld %lld %s\n", (long long)r->id, (long long)r->person,
         (long long)r->since, (long long)r->until, r->end_reason ? r->end_reason : "");
  return 0;
}

static void dump(struct town *t, struct sb *b)
{
  fk_store_each_stay(t->c.st, FK_STAYS_BETWEEN, 0, INT64_MIN / 2, INT64_MAX / 2, dump_stay, b);
  fk_store_each_wait(t->c.st, FK_STAYS_BETWEEN, 0, INT64_MIN / 2, INT64_MAX / 2, dump_wait, b);
}

static void the_same_now_twice_changes_nothing(void **state)
{
  (void)state;
  struct town t;
  struct sb before = {0}, after = {0};
  town_init(&t, "idempotent");
  for (int i = 0; i < 6; i++) {
    char id[8], hh[8];
    snprintf(id, sizeof id, "P%d", i);
    snprintf(hh, sizeof hh, "H%d", i / 2);
    resident(&t, id, hh, i % 3 ? "N" : "F", "1990-01-01");
  }
  site(&t, "SN", "N", 1);
  room(&t, "SN", "nf", "family", 2);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SN", "n2", "single", 1);
  town_load(&t);
  for (int i = 0; i < 6; i++) {
    char id[8];
    snprintf(id, sizeof id, "P%d", i);
    measure(&t, id, FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  }
  struct fk_sites_stats s = allocate(&t, NOW);
  assert_int_equal(s.need, 6);
  assert_int_equal(s.housed + s.waiting, 6);
  assert_true(s.waiting > 0);
  dump(&t, &before);
  s = allocate(&t, NOW);
  assert_int_equal(s.written, 0);
  dump(&t, &after);
  assert_string_equal(before.s, after.s);
  sb_free(&before);
  sb_free(&after);
  town_free(&t);
}

static void occupancy_is_counted_at_the_end_of_each_day(void **state)
{
  (void)state;
  struct town t;
  town_init(&t, "occupancy");
  resident(&t, "P1", "H1", "N", "1990-01-01");
  resident(&t, "P2", "H2", "N", "1990-01-01");
  resident(&t, "P3", "H3", "N", "1990-01-01");
  site(&t, "SN", "N", 1);
  room(&t, "SN", "n1", "single", 1);
  room(&t, "SN", "n2", "single", 1);
  town_load(&t);
  /* P1 in 07-11 10:00 (phase 07-10..07-16), out 07-17 00:00; P2 in 07-11 10:00, released and
     out 07-13 15:00; P3 waits from 07-11 10:00 and gets P2's room 07-13 15:00 (phase
     07-12..07-18, out 07-19 00:00). */
  measure(&t, "P1", FK_PERSON_CLOSE_CONTACT, "2022-07-09", "2022-07-10");
  int64_t m2 = measure(&t, "P2", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "P3", FK_PERSON_CLOSE_CONTACT, "2022-07-11", "2022-07-11");
  allocate(&t, NOW);
  set_status(&t, m2, FK_MSTATUS_RELEASED);
  allocate(&t, "2022-07-13 15:00");
  allocate(&t, "2022-07-17 09:00");
  allocate(&t, "2022-07-19 09:00");
  struct fk_site_day *d = NULL;
  int n = 0;
  struct fk_diag dg;
  fk_diag_clear(&dg);
  assert_int_equal(fk_sites_occupancy(t.c.st, D("2022-07-10"), D("2022-07-19"), &d, &n, &dg), 0);
  assert_int_equal(n, 10);
  /*                       07-10 11 12 13 14 15 16 17 18 19 */
  static const int persons[] = {0, 2, 2, 2, 2, 2, 1, 1, 0, 0};
  static const int admitted[] = {0, 2, 0, 1, 0, 0, 0, 0, 0, 0};
  static const int discharged[] = {0, 0, 0, 1, 0, 0, 1, 0, 1, 0};
  static const int waiting[] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0};
  for (int k = 0; k < n; k++) {
    assert_int_equal(d[k].date, D("2022-07-10") + k);
    assert_int_equal(d[k].persons, persons[k]);
    assert_int_equal(d[k].rooms_occupied, persons[k]);
    assert_int_equal(d[k].rooms_free, 2 - persons[k]);
    assert_int_equal(d[k].admitted, admitted[k]);
    assert_int_equal(d[k].discharged, discharged[k]);
    assert_int_equal(d[k].waiting, waiting[k]);
  }
  fk_free(d);
  assert_int_equal(fk_sites_occupancy(t.c.st, D("2022-07-10"), D("2022-07-09"), &d, &n, &dg),
                   FK_EINVAL);
  town_free(&t);
}

/* Every allocation of a run failing in turn: the run says so and writes nothing. */
static void running_out_of_memory_writes_nothing(void **state)
{
  (void)state;
  struct town t;
  struct sb before = {0};
  town_init(&t, "oom");
  resident(&t, "A1", "HA", "N", "1985-03-01");
  resident(&t, "A2", "HA", "N", "2015-06-01");
  resident(&t, "B1", "HB", "N", "1950-01-01");
  resident(&t, "C1", "HC", "F", "1990-01-01");
  site(&t, "SN", "N", 1);
  room(&t, "SN", "nf", "family", 3);
  room(&t, "SN", "na", "accessible", 1);
  town_load(&t);
  measure(&t, "A1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "A2", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "B1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  measure(&t, "C1", FK_PERSON_CLOSE_CONTACT, "2022-07-10", "2022-07-10");
  dump(&t, &before);
  int failed = 0;
  for (long n = 1; n < 200; n++) {
    struct fk_sites_stats s;
    struct fk_diag d;
    struct sb after = {0};
    fk_diag_clear(&d);
    fk_alloc_fail_after(n);
    int rc = fk_sites_allocate(t.c.st, &t.c.rules, T(NOW), &s, &d);
    fk_alloc_fail_after(0);
    if (rc == 0) break;
    assert_int_equal(rc, FK_ENOMEM);
    failed++;
    dump(&t, &after);
    assert_string_equal(before.s ? before.s : "", after.s ? after.s : "");
    sb_free(&after);
  }
  assert_true(failed > 5);
  assert_string_equal(where(&t, "A1"), "SN/nf");
  assert_string_equal(where(&t, "B1"), "SN/na");
  assert_string_equal(where(&t, "C1"), "wait:SN");
  sb_free(&before);
  town_free(&t);
}

/* ---- Invariants on a random city, checked by brute force -------------------------------- */

struct check {
  struct fk_stay_row s[512];
  char hh[512][16];
  int n;
};

static int keep_open(void *arg, const struct fk_stay_row *r)
{
  struct check *c = arg;
  if (c->n >= 512) fail_msg("too many stays");
  c->s[c->n] = *r;
  snprintf(c->hh[c->n], sizeof c->hh[c->n], "%s", r->household_id);
  c->n++;
  return 0;
}

struct beds {
  int64_t id;
  int beds;
} rooms_seen[256];
static int nrooms_seen;

static int keep_room(void *arg, const struct fk_room_row *r)
{
  (void)arg;
  rooms_seen[nrooms_seen++] = (struct beds){r->id, r->beds};
  return 0;
}

static void nobody_shares_with_a_stranger_and_no_room_overflows(void **state)
{
  (void)state;
  struct town t;
  struct fk__rng rng = fk__rng_make(12345, 0, 0, 0);
  town_init(&t, "invariants");
  for (int i = 0; i < 120; i++) {
    char id[8], hh[8];
    uint64_t seed = fk__rng_u64(&rng);
    snprintf(id, sizeof id, "P%d", i);
    snprintf(hh, sizeof hh, "H%d", (int)((seed >> 33) % 50));
    resident(&t, id, hh, (seed >> 20) & 1 ? "N" : "F",
             (seed >> 40) % 4 ? "1990-01-01" : "1945-05-05");
  }
  site(&t, "SN", "N", 1);
  site(&t, "SF", "F", 0);
  for (int i = 0; i < 30; i++) {
    char id[8];
    snprintf(id, sizeof id, "r%d", i);
    room(&t, i % 2 ? "SN" : "SF", id,
         i % 5 == 0   ? "family"
         : i % 7 == 0 ? "accessible"
                      : "single",
         i % 5 == 0 ? 2 + i % 3 : 1);
  }
  town_load(&t);
  for (int i = 0; i < 120; i++) {
    char id[8], anchor[16];
    snprintf(id, sizeof id, "P%d", i);
    snprintf(anchor, sizeof anchor, "2022-07-%02d", 5 + i % 6);
    measure(&t, id, FK_PERSON_CLOSE_CONTACT, anchor, anchor);
  }
  const char *runs[] = {"2022-07-08 10:00", "2022-07-11 10:00", "2022-07-13 10:00",
                        "2022-07-16 10:00", "2022-07-19 10:00"};
  nrooms_seen = 0;
  fk_store_each_room(t.c.st, keep_room, NULL);
  for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
    struct fk_sites_stats s = allocate(&t, runs[r]);
    static struct check c;
    c.n = 0;
    fk_store_each_stay(t.c.st, FK_STAYS_OPEN, 0, 0, 0, keep_open, &c);
    assert_int_equal(c.n, s.housed);
    for (int a = 0; a < c.n; a++) {
      int in_room = 0, beds = 0;
      for (int k = 0; k < nrooms_seen; k++)
        if (rooms_seen[k].id == c.s[a].room) beds = rooms_seen[k].beds;
      for (int b = 0; b < c.n; b++) {
        if (c.s[b].room != c.s[a].room) continue;
        in_room++;
        assert_string_equal(c.hh[a], c.hh[b]); /* never a stranger */
        if (b != a) assert_true(c.s[a].person != c.s[b].person);
      }
      assert_true(in_room <= beds);
    }
    /* Everyone whose phase is centralized is housed or waiting, never both. */
    assert_int_equal(s.housed + s.waiting, s.need);
    assert_int_equal(allocate(&t, runs[r]).written, 0);
  }
  town_free(&t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nearest_site_with_a_free_room_is_chosen),
      cmocka_unit_test(a_household_shares_a_family_room_where_the_site_allows_it),
      cmocka_unit_test(without_the_rule_a_household_goes_one_to_a_room),
      cmocka_unit_test(a_later_household_member_joins_the_family_room),
      cmocka_unit_test(a_full_site_sends_the_next_person_to_the_next_site),
      cmocka_unit_test(the_old_get_an_accessible_room_first),
      cmocka_unit_test(nobody_free_means_waiting_until_a_room_frees),
      cmocka_unit_test(stays_end_with_the_phase_or_on_release_or_supersession),
      cmocka_unit_test(a_stricter_measure_that_quarantines_too_keeps_the_room),
      cmocka_unit_test(the_same_now_twice_changes_nothing),
      cmocka_unit_test(occupancy_is_counted_at_the_end_of_each_day),
      cmocka_unit_test(running_out_of_memory_writes_nothing),
      cmocka_unit_test(nobody_shares_with_a_stranger_and_no_room_overflows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
