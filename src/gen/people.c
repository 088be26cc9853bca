/*
 * Households and persons. Family households average about 2.45 people (singles, couples,
 * parents with children, three generations); about 14.5 % of people live in collective
 * households (dormitories of students and workers, care homes), as Taiyuan's census counts.
 * Each person gets a role for the weekday (pupil, worker ...) and an anchor place (school,
 * workplace, campus) that stays the same every day. ID numbers and phones are unique.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "gen/city.h"
#include "gen/names.h"

#define PEOPLE_AT_SCALE_1 5400000.0
#define DORM_SHARE 0.145
#define MAX_HOUSEHOLD 400

struct member {
  int age;
  int sex; /* 0 M, 1 F, -1 either */
};

int fk__age_on(fk_date birth, fk_date on)
{
  int by, bm, bd, y, m, d;
  fk_date_to_ymd(birth, &by, &bm, &bd);
  fk_date_to_ymd(on, &y, &m, &d);
  int age = y - by;
  if (m < bm || (m == bm && d < bd)) age--;
  return age;
}

static int clamp(int v, int lo, int hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

/* A child's age for a parent of age `parent` (mothers and fathers 22-36 at birth). */
static int child_age(struct fk__rng *r, int parent)
{
  return clamp(parent - fk__rng_range(r, 22, 36), 0, 60);
}

/* Fills m with a family household of `size` members; returns size. */
static int family(struct fk__rng *r, int size, struct member *m)
{
  double u = fk__rng_unit(r);
  int n = 0, head;
  int sex = fk__rng_chance(r, 0.5);
  if (size == 1) {
    double v = fk__rng_unit(r);
    m[0].age = v < 0.40   ? fk__rng_range(r, 18, 34)
               : v < 0.68 ? fk__rng_range(r, 35, 59)
                          : fk__rng_range(r, 60, 92);
    m[0].sex = -1;
    return 1;
  }
  if (size == 2 && u < 0.35) { /* one parent and a child */
    head = fk__rng_range(r, 28, 62);
    m[n++] = (struct member){head, -1};
    m[n++] = (struct member){child_age(r, head), -1};
    return n;
  }
  if (size == 2)
    head = 22 + (int)(60 * fk__rng_unit(r));
  else if (size == 3 && u < 0.18)
    head = fk__rng_range(r, 52, 78);
  else
    head = fk__rng_range(r, 24, 47);
  m[n++] = (struct member){head, sex};
  m[n++] = (struct member){clamp(head + fk__rng_range(r, -3, 4), 20, 99), !sex};
  int grandparents = size >= 5 ? 2 : size == 4 && u < 0.3 ? 1 : 0;
  for (int i = 0; i < grandparents; i++)
    m[n++] = (struct member){clamp(head + fk__rng_range(r, 24, 32), 50, 99), i == 0 ? 1 : 0};
  while (n < size)
    m[n++] = (struct member){child_age(r, head), -1};
  return n;
}

/* Fills m with a collective household (dormitory or care home); returns its size. */
static int collective(struct fk__rng *r, int max, struct member *m)
{
  int size = (int)fk__rng_pareto(r, 6, 1.3);
  if (size > MAX_HOUSEHOLD) size = MAX_HOUSEHOLD;
  if (size > max) size = max;
  int care_home = fk__rng_chance(r, 0.03), students = fk__rng_chance(r, 0.6);
  /* Small dormitories house one sex (0 men, 1 women); large ones both (2). */
  int sex = size > 30 ? 2 : (int)fk__rng_below(r, 3);
  for (int i = 0; i < size; i++) {
    m[i].age = care_home  ? fk__rng_range(r, 65, 98)
               : students ? fk__rng_range(r, 18, 23)
                          : fk__rng_range(r, 19, 55);
    m[i].sex = sex == 2 ? -1 : sex;
  }
  return size;
}

static int family_size(struct fk__rng *r)
{
  static const double cum[] = {0.27, 0.58, 0.82, 0.92, 0.97, 1.0};
  double u = fk__rng_unit(r);
  int s = 0;
  while (s < 5 && u >= cum[s])
    s++;
  return s + 1;
}

/* Workplace kinds and their shares of jobs. */
static const struct {
  int kind;
  int weight;
} jobs[] = {{K_OFFICE, 34},     {K_FACTORY, 14},     {K_CONSTRUCTION, 6}, {K_RESTAURANT, 9},
            {K_SUPERMARKET, 6}, {K_MARKET, 3},       {K_MALL, 3},         {K_HOSPITAL, 4},
            {K_SCHOOL, 3},      {K_GOVERNMENT, 4},   {K_BANK, 2},         {K_HOTEL, 2},
            {K_COLD_STORE, 1},  {K_KINDERGARTEN, 1}, {K_UNIVERSITY, 1},   {K_PHARMACY, 1},
            {K_BUS, 2},         {K_GYM, 1}};

static int job_kind(struct fk__rng *r)
{
  int total = 0;
  for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
    total += jobs[i].weight;
  int x = (int)fk__rng_below(r, (uint32_t)total);
  for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
    if (x < jobs[i].weight) return jobs[i].kind;
    x -= jobs[i].weight;
  }
  return K_OFFICE;
}

static void assign_role(struct fk__city *c, uint32_t p, int age)
{
  struct fk__person *ps = &c->persons[p];
  struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_ROLE, p, 0);
  int d = ps->district, role;
  double u = fk__rng_unit(&r);
  if (age <= 2)
    role = R_TODDLER;
  else if (age <= 5)
    role = u < 0.85 ? R_INFANT_K : R_TODDLER;
  else if (age <= 17)
    role = age >= 15 && u > 0.92 ? R_WORKER : R_PUPIL;
  else if (age <= 22)
    role = ps->dorm ? (u < 0.8 ? R_STUDENT : R_WORKER)
                    : (u < 0.35  ? R_STUDENT
                       : u < 0.8 ? R_WORKER
                                 : R_HOME);
  else if (age <= 59)
    role = u < (ps->sex ? 0.72 : 0.85) ? R_WORKER : R_HOME;
  else if (age <= 64)
    role = u < 0.2 ? R_WORKER : R_RETIRED;
  else
    role = R_RETIRED;
  ps->role = (uint8_t)role;
  ps->anchor = FK__NOPLACE;
  switch (role) {
  case R_INFANT_K:
    ps->anchor = fk__city_pick(c, &r, d, K_KINDERGARTEN);
    break;
  case R_PUPIL:
    ps->anchor = fk__city_pick(c, &r, d, K_SCHOOL);
    break;
  case R_STUDENT:
    ps->anchor = fk__city_pick(c, &r, ps->dorm ? d : fk__city_pick_district(c, &r), K_UNIVERSITY);
    break;
  case R_WORKER: {
    int wd =
        fk__rng_chance(&r, fk__districts[d].urban ? 0.65 : 0.8) ? d : fk__city_pick_district(c, &r);
    ps->anchor = fk__city_pick(c, &r, wd, job_kind(&r));
    break;
  }
  default:
    break;
  }
  if (ps->anchor == FK__NOPLACE && (role == R_STUDENT || role == R_WORKER)) ps->role = R_HOME;
}

int fk__gen_people(struct fk__city *c)
{
  const struct fk_gen_opts *o = c->opts;
  long total = 0;
  uint32_t want[FK__NDISTRICTS], n = 0;
  for (int d = 0; d < FK__NDISTRICTS; d++)
    total += fk__districts[d].population;
  for (int d = 0; d < FK__NDISTRICTS; d++) {
    long w =
        lround(PEOPLE_AT_SCALE_1 * o->scale * (double)fk__districts[d].population / (double)total);
    want[d] = w < 1 ? 1 : (uint32_t)w;
    n += want[d];
  }
  c->npersons = n;
  c->persons = fk_calloc(n, sizeof *c->persons);
  if (!c->persons) return FK_ENOMEM;
  struct member m[MAX_HOUSEHOLD];
  uint32_t p = 0, h = 0;
  uint64_t in_dorms = 0;
  for (int d = 0; d < FK__NDISTRICTS; d++) {
    struct fk__rng r = fk__rng_make(o->seed, FK__RNG_HOUSEHOLDS, (uint64_t)d, 0);
    uint32_t end = p + want[d];
    while (p < end) {
      int dorm = (double)in_dorms < DORM_SHARE * (double)(p + 1);
      int left = (int)(end - p > MAX_HOUSEHOLD ? MAX_HOUSEHOLD : end - p);
      int size = dorm ? collective(&r, left, m) : family(&r, family_size(&r), m);
      if (size > left) size = left;
      uint32_t home = fk__city_pick(c, &r, d, K_RESIDENTIAL);
      for (int i = 0; i < size; i++, p++) {
        struct fk__person *ps = &c->persons[p];
        int sex = m[i].sex >= 0 ? m[i].sex : fk__rng_chance(&r, 0.46);
        /* A birthday anywhere in the year before the age is reached on the start date. */
        ps->birth =
            o->start - (fk_date)(m[i].age * 365 + m[i].age / 4) - (fk_date)fk__rng_below(&r, 365);
        ps->household = h;
        ps->home = home;
        ps->district = (uint8_t)d;
        ps->sex = (uint8_t)sex;
        ps->dorm = (uint8_t)dorm;
        if (dorm) in_dorms++;
        assign_role(c, p, fk__age_on(ps->birth, o->start));
      }
      h++;
    }
  }
  c->nhouseholds = h;
  return 0;
}

/* An open-addressing set of nonzero 64-bit keys, to keep ID numbers and phones unique. */
struct keyset {
  uint64_t *slot;
  uint64_t mask;
};

static int keyset_init(struct keyset *s, uint32_t n)
{
  uint64_t cap = 1024;
  while (cap < (uint64_t)n * 2)
    cap <<= 1;
  s->mask = cap - 1;
  s->slot = fk_calloc(cap, sizeof *s->slot);
  return s->slot ? 0 : FK_ENOMEM;
}

/* Adds key; returns 1 when it was new, 0 when already there. */
static int keyset_add(struct keyset *s, uint64_t key)
{
  uint64_t i = fk__mix64(key) & s->mask;
  while (s->slot[i]) {
    if (s->slot[i] == key) return 0;
    i = (i + 1) & s->mask;
  }
  s->slot[i] = key;
  return 1;
}

static const char *const phone_prefixes[] = {
    "134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182",
    "183", "184", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153",
    "180", "181", "189", "177", "199", "166", "198", "191", "173", "176", "178", "147"};
#define NPREFIX (sizeof phone_prefixes / sizeof phone_prefixes[0])

static uint64_t digits_value(const char *s, int n)
{
  uint64_t v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (uint64_t)(s[i] - '0');
  return v;
}

/* Draws a fresh ID number for person ps into id (19 bytes). */
static void make_idnum(struct fk__rng *r, const struct fk__person *ps, struct keyset *seen,
                       char *id)
{
  const char *code = fk__rng_chance(r, ps->dorm ? 0.5 : 0.15)
                         ? fk__other_codes[fk__rng_below(r, (uint32_t)fk__n_other_codes)]
                         : fk__districts[ps->district].code;
  int y, m, d;
  fk_date_to_ymd(ps->birth, &y, &m, &d);
  snprintf(id, 19, "%.6s%04d%02d%02d", code, y, m, d);
  int tries = 0;
  do { /* 500 sequence numbers a day and sex: a handful of tries at most */
    uint32_t seq = fk__rng_below(r, 100);
    id[14] = (char)('0' + seq / 10);
    id[15] = (char)('0' + seq % 10);
    id[16] = (char)('0' + 2 * fk__rng_below(r, 5) + (ps->sex ? 0 : 1));
  } while (!keyset_add(seen, digits_value(id, 17)) && ++tries < 10000);
  id[17] = fk_idnum_check_char(id);
  id[18] = '\0';
}

/* Draws a fresh phone into ph (12 bytes). */
static void make_phone(struct fk__rng *r, struct keyset *seen, char *ph)
{
  int tries = 0;
  do {
    memcpy(ph, phone_prefixes[fk__rng_below(r, NPREFIX)], 3);
    uint32_t rest = fk__rng_below(r, 100000000u);
    for (int i = 10; i >= 3; i--, rest /= 10)
      ph[i] = (char)('0' + rest % 10);
  } while (!keyset_add(seen, digits_value(ph, 11)) && ++tries < 10000);
  ph[11] = '\0';
}

/* Writes household h's address (same for all its members) into out. */
static size_t address(const struct fk__city *c, const struct fk__person *ps, char *out, size_t size)
{
  struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_HOUSEHOLDS, ps->household, 1);
  uint32_t grid = c->places[ps->home].grid;
  size_t n = fk__grid_locality(c, grid, out, size);
  int k = ps->dorm ? snprintf(out + n, size - n, "%s路%u号宿舍%u号楼%u室", fk__name_road(&r),
                              1 + fk__rng_below(&r, 300), 1 + fk__rng_below(&r, 12),
                              101 + fk__rng_below(&r, 6) * 100 + fk__rng_below(&r, 30))
                   : snprintf(out + n, size - n, "%s路%u号院%u号楼%u单元%u室", fk__name_road(&r),
                              1 + fk__rng_below(&r, 400), 1 + fk__rng_below(&r, 30),
                              1 + fk__rng_below(&r, 6),
                              101 + fk__rng_below(&r, 25) * 100 + fk__rng_below(&r, 4));
  return k < 0 ? n : n + (size_t)k;
}

int fk__write_persons(const struct fk__city *c, struct fk__csv *w)
{
  struct keyset ids = {0}, phones = {0};
  int rc = keyset_init(&ids, c->npersons);
  if (!rc) rc = keyset_init(&phones, c->npersons);
  if (rc) goto out;
  char id[19], ph[12], name[64], addr[300];
  size_t addr_n = 0;
  for (uint32_t p = 0; p < c->npersons; p++) {
    const struct fk__person *ps = &c->persons[p];
    struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_IDENT, p, 0);
    int age = fk__age_on(ps->birth, c->opts->start);
    size_t nn = fk__name_person(&r, ps->sex, name, sizeof name);
    make_idnum(&r, ps, &ids, id);
    int has_phone =
        age >= 16 ? !(age >= 80 && fk__rng_chance(&r, 0.3)) : age >= 10 && fk__rng_chance(&r, 0.5);
    if (has_phone) make_phone(&r, &phones, ph);
    if (p == 0 || ps->household != c->persons[p - 1].household)
      addr_n = address(c, ps, addr, sizeof addr);
    fk__csv_row(w);
    fk__csv_id(w, 'P', p + 1);
    fk__csv_c(w, ',');
    fk__csv_mem(w, id, 18);
    fk__csv_c(w, ',');
    fk__csv_text(w, name, nn);
    fk__csv_str(w, ps->sex ? ",F," : ",M,");
    fk__csv_date(w, ps->birth);
    fk__csv_c(w, ',');
    if (has_phone) fk__csv_mem(w, ph, 11);
    fk__csv_c(w, ',');
    fk__csv_id(w, 'H', ps->household + 1);
    fk__csv_c(w, ',');
    fk__put_grid_id(w, c, c->places[ps->home].grid);
    fk__csv_c(w, ',');
    fk__csv_text(w, addr, addr_n);
    fk__csv_end(w);
  }
  rc = w->err;
out:
  fk_free(ids.slot);
  fk_free(phones.slot);
  return rc;
}
