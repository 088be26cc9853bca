/*
 * The epidemic side of the city: an optional seeded outbreak (index cases with onset dates,
 * half of them arrived from elsewhere a few days before; some of their household fall ill
 * after them), the routine 10-in-1 pooled screening that finds asymptomatic cases, single-tube
 * samples of every case and of the members of positive pools, and the daily stream of arrivals
 * by air, rail and road. It is bookkeeping, not a transmission model.
 */
#include <stdlib.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "gen/city.h"

#define SCREEN_SHARE 0.06   /* people screened a day */
#define ARRIVAL_SHARE 0.002 /* arrivals a day, as a share of residents */
#define POOL 10

struct gen_case {
  uint32_t person;
  int confirmed;
  fk_date onset;   /* confirmed cases only */
  fk_time sampled; /* the positive single-tube sample */
  fk_time isolated;
  uint32_t grid; /* site of the sample: the home grid */
};

struct arrival {
  fk_time at;
  uint32_t person;
  int origin; /* index into origins */
  int port;   /* index into ports, -1 for none */
};

static const struct {
  const char *name;
  int international;
} origins[] = {
    {"北京市", 0},       {"上海市", 0},       {"天津市", 0},           {"河北省石家庄市", 0},
    {"河南省郑州市", 0}, {"陕西省西安市", 0}, {"内蒙古呼和浩特市", 0}, {"广东省广州市", 0},
    {"广东省深圳市", 0}, {"四川省成都市", 0}, {"山西省大同市", 0},     {"山西省运城市", 0},
    {"山西省长治市", 0}, {"山西省临汾市", 0}, {"山东省济南市", 0},     {"湖北省武汉市", 0},
    {"江苏省南京市", 0}, {"浙江省杭州市", 0}, {"吉林省长春市", 0},     {"海南省三亚市", 0},
    {"韩国首尔", 1},     {"日本东京", 1},     {"俄罗斯莫斯科", 1},     {"美国洛杉矶", 1},
    {"德国法兰克福", 1}, {"新加坡", 1},       {"泰国曼谷", 1},         {"阿联酋迪拜", 1}};
#define NDOMESTIC 20
#define NORIGINS ((int)(sizeof origins / sizeof origins[0]))

static const char *const ports[] = {"太原武宿国际机场",  "太原南站",           "太原站",
                                    "太原东站",          "太旧高速武宿收费站", "太长高速小店收费站",
                                    "大运高速阳曲收费站"};

static int by_sampled(const void *a, const void *b)
{
  const struct gen_case *x = a, *y = b;
  if (x->sampled != y->sampled) return x->sampled < y->sampled ? -1 : 1;
  return x->person < y->person ? -1 : x->person > y->person;
}

static int by_arrival(const void *a, const void *b)
{
  const struct arrival *x = a, *y = b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  return x->person < y->person ? -1 : x->person > y->person;
}

static fk_time at_time(fk_date d, int32_t sec)
{
  return fk_date_start(d) + sec;
}

static void put_site(struct fk__csv *w, const struct fk__city *c, uint32_t grid)
{
  fk__csv_str(w, "ST");
  fk__put_grid_id(w, c, grid);
}

/* Writes one sample row; results after the window's end are still pending. */
static void put_sample(struct fk__csv *w, const struct fk__city *c, uint64_t id, uint64_t pool,
                       uint32_t person, fk_time at, uint32_t grid, int positive, fk_time reported,
                       fk_time window_end)
{
  fk__csv_row(w);
  fk__csv_str(w, "SP");
  fk__csv_u64(w, id);
  fk__csv_c(w, ',');
  if (pool) {
    fk__csv_str(w, "PO");
    fk__csv_u64(w, pool);
  }
  fk__csv_c(w, ',');
  fk__csv_id(w, 'P', person + 1);
  fk__csv_c(w, ',');
  fk__csv_time(w, at);
  fk__csv_c(w, ',');
  put_site(w, c, grid);
  if (reported >= window_end) {
    fk__csv_str(w, ",pending,");
  } else {
    fk__csv_str(w, positive ? ",positive," : ",negative,");
    fk__csv_time(w, reported);
  }
  fk__csv_end(w);
}

/* Picks the cases: index cases, then some of their household. Returns the count. */
static uint32_t pick_cases(const struct fk__city *c, struct gen_case *cs, uint32_t max,
                           uint8_t *is_case, struct arrival *arr, uint32_t *narr)
{
  const struct fk_gen_opts *o = c->opts;
  struct fk__rng r = fk__rng_make(o->seed, FK__RNG_OUTBREAK, 0, 0);
  uint32_t n = 0, nindex = (uint32_t)o->outbreak;
  if (nindex > c->npersons / 4) nindex = c->npersons / 4;
  const fk_date last = o->start + o->days - 1;
  for (uint32_t i = 0; i < nindex; i++) {
    uint32_t p;
    do
      p = fk__rng_below(&r, c->npersons);
    while (is_case[p]);
    is_case[p] = 1;
    struct gen_case *k = &cs[n++];
    k->person = p;
    k->confirmed = fk__rng_chance(&r, 0.8);
    k->onset = o->start + (fk_date)fk__rng_below(&r, (uint32_t)o->days);
    fk_date found = k->onset + (fk_date)fk__rng_below(&r, 2);
    if (found > last) found = last;
    /* Confirmed cases come to a fever clinic by day; the asymptomatic are found by the
     * morning's pooled screening and retested in the afternoon. */
    k->sampled = at_time(found, k->confirmed ? fk__rng_range(&r, 8 * 3600, 20 * 3600)
                                             : fk__rng_range(&r, 16 * 3600, 20 * 3600));
    k->isolated = k->sampled + fk__rng_range(&r, 2 * 3600, 12 * 3600);
    k->grid = c->places[c->persons[p].home].grid;
    if (fk__rng_chance(&r, 0.5)) { /* arrived from elsewhere shortly before */
      struct arrival *a = &arr[(*narr)++];
      int intl = fk__rng_chance(&r, 0.3);
      a->person = p;
      a->origin = intl ? NDOMESTIC + (int)fk__rng_below(&r, NORIGINS - NDOMESTIC)
                       : (int)fk__rng_below(&r, NDOMESTIC);
      a->port = intl ? 0 : (int)fk__rng_below(&r, 4);
      a->at = at_time(k->onset - fk__rng_range(&r, 1, 6), fk__rng_range(&r, 6 * 3600, 23 * 3600)) |
              1; /* odd seconds: never the same instant as a routine arrival (even) */
    }
  }
  /* Household members of index cases fall ill two to six days later. */
  for (uint32_t i = 0, nindex_cases = n; i < nindex_cases; i++) {
    uint32_t p0 = cs[i].person, h = c->persons[p0].household;
    uint32_t lo = p0, hi = p0;
    while (lo > 0 && c->persons[lo - 1].household == h)
      lo--;
    while (hi + 1 < c->npersons && c->persons[hi + 1].household == h)
      hi++;
    for (uint32_t p = lo; p <= hi && n < max; p++) {
      if (is_case[p] || !fk__rng_chance(&r, 0.35)) continue;
      fk_date onset = cs[i].onset + fk__rng_range(&r, 2, 6);
      if (onset > last) continue;
      is_case[p] = 1;
      struct gen_case *k = &cs[n++];
      k->person = p;
      k->confirmed = fk__rng_chance(&r, 0.7);
      k->onset = onset;
      k->sampled = at_time(onset, k->confirmed ? fk__rng_range(&r, 8 * 3600, 20 * 3600)
                                               : fk__rng_range(&r, 16 * 3600, 20 * 3600));
      k->isolated = k->sampled + fk__rng_range(&r, 1 * 3600, 8 * 3600);
      k->grid = c->places[c->persons[p].home].grid;
    }
  }
  return n;
}

static void write_cases(struct fk__csv *w, const struct gen_case *cs, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++) {
    fk__csv_row(w);
    fk__csv_id(w, 'P', cs[i].person + 1);
    fk__csv_str(w, cs[i].confirmed ? ",confirmed," : ",asymptomatic,");
    if (cs[i].confirmed) fk__csv_date(w, cs[i].onset);
    fk__csv_c(w, ',');
    fk__csv_time(w, cs[i].sampled);
    fk__csv_c(w, ',');
    fk__csv_time(w, cs[i].isolated);
    fk__csv_end(w);
  }
}

static void write_samples(const struct fk__city *c, struct fk__csv *w, const struct gen_case *cs,
                          uint32_t ncases, const uint32_t *case_of)
{
  const struct fk_gen_opts *o = c->opts;
  const fk_time window_end = fk_date_start(o->start + o->days);
  uint64_t sid = 0, pool = 0;
  uint32_t members[POOL];
  for (int dd = 0; dd < o->days; dd++) {
    fk_date day = o->start + dd;
    int m = 0;
    for (uint32_t p = 0; p <= c->npersons; p++) {
      int take = 0, flush = p == c->npersons;
      if (!flush) {
        struct fk__rng r = fk__rng_make(o->seed, FK__RNG_SAMPLES, p, (uint64_t)day);
        const struct gen_case *k = case_of[p] ? &cs[case_of[p] - 1] : NULL;
        fk_date found = k ? fk_time_date(k->sampled) : 0;
        if (k && !k->confirmed && found == day)
          take = 1; /* the screening that finds an asymptomatic case */
        else if (!(k && day >= found))
          take = fk__rng_chance(&r, SCREEN_SHARE);
      }
      if (take) members[m++] = p;
      if (m == POOL || (flush && m)) {
        struct fk__rng r = fk__rng_make(o->seed, FK__RNG_SAMPLES, (uint64_t)pool, 1u << 31);
        fk_time t0 = at_time(day, fk__rng_range(&r, 7 * 3600, 12 * 3600));
        fk_time reported = t0 + fk__rng_range(&r, 5 * 3600, 10 * 3600);
        uint32_t site = c->places[c->persons[members[0]].home].grid;
        int positive = 0;
        const struct gen_case *hit = NULL;
        for (int i = 0; i < m; i++) /* positive when it holds a case found today */
          if (case_of[members[i]] && fk_time_date(cs[case_of[members[i]] - 1].sampled) == day) {
            positive = 1;
            hit = &cs[case_of[members[i]] - 1];
          }
        pool++;
        for (int i = 0; i < m; i++)
          put_sample(w, c, ++sid, pool, members[i], t0 + 20 * i, site, positive, reported,
                     window_end);
        /* A positive pool: every member is retested alone when the case is. */
        for (int i = 0; positive && i < m; i++)
          if (members[i] != hit->person)
            put_sample(w, c, ++sid, 0, members[i], hit->sampled + 60 * (i + 1), site, 0,
                       hit->sampled + 6 * 3600, window_end);
        m = 0;
      }
    }
    for (uint32_t i = 0; i < ncases; i++) /* the cases' own positive samples */
      if (fk_time_date(cs[i].sampled) == day)
        put_sample(w, c, ++sid, 0, cs[i].person, cs[i].sampled, cs[i].grid, 1,
                   cs[i].sampled + 4 * 3600, window_end);
  }
}

static uint32_t routine_arrivals(const struct fk__city *c, struct arrival *arr)
{
  const struct fk_gen_opts *o = c->opts;
  uint32_t per_day = (uint32_t)(c->npersons * ARRIVAL_SHARE) + 1, n = 0;
  for (int dd = 0; dd < o->days; dd++) {
    struct fk__rng r = fk__rng_make(o->seed, FK__RNG_ARRIVALS, (uint64_t)dd, 0);
    int32_t spacing = (int32_t)(17 * 3600 / per_day);
    for (uint32_t k = 0; k < per_day; k++) {
      struct arrival *a = &arr[n++];
      int intl = fk__rng_chance(&r, 0.03);
      a->person = fk__rng_below(&r, c->npersons);
      a->origin = intl ? NDOMESTIC + (int)fk__rng_below(&r, NORIGINS - NDOMESTIC)
                       : (int)fk__rng_below(&r, NDOMESTIC);
      double u = fk__rng_unit(&r);
      a->port = intl       ? 0
                : u < 0.3  ? 0
                : u < 0.65 ? 1
                : u < 0.8  ? 2
                : u < 0.85 ? 3
                : u < 0.95 ? 4 + (int)fk__rng_below(&r, 3)
                           : -1;
      int32_t sec = 6 * 3600 + (int32_t)k * spacing + (int32_t)fk__rng_below(&r, (uint32_t)spacing);
      a->at = at_time(o->start + dd, sec) & ~(fk_time)1;
    }
  }
  return n;
}

int fk__write_outbreak(const struct fk__city *c, struct fk__csv *cases, struct fk__csv *samples,
                       struct fk__csv *arrivals, struct fk__focus **foci, uint32_t *nfoci)
{
  const struct fk_gen_opts *o = c->opts;
  int rc = 0;
  uint32_t maxcases = (uint32_t)o->outbreak * 8 + 16;
  uint32_t per_day = (uint32_t)(c->npersons * ARRIVAL_SHARE) + 1;
  size_t maxarr = (size_t)per_day * (size_t)o->days + (size_t)o->outbreak + 16;
  struct gen_case *cs = fk_calloc(maxcases, sizeof *cs);
  struct arrival *arr = fk_calloc(maxarr, sizeof *arr);
  uint8_t *is_case = fk_calloc(c->npersons, 1);
  uint32_t *case_of = fk_calloc(c->npersons, sizeof *case_of);
  if (!cs || !arr || !is_case || !case_of) {
    rc = FK_ENOMEM;
    goto out;
  }
  uint32_t narr = 0;
  uint32_t ncases = pick_cases(c, cs, maxcases, is_case, arr, &narr);
  uint32_t nindex =
      (uint32_t)o->outbreak < c->npersons / 4 ? (uint32_t)o->outbreak : c->npersons / 4;
  if (nindex > ncases) nindex = ncases;
  if (!(*foci = fk_calloc(nindex + 1, sizeof **foci))) { /* index cases come first */
    rc = FK_ENOMEM;
    goto out;
  }
  for (uint32_t i = 0; i < nindex; i++)
    (*foci)[i] = (struct fk__focus){cs[i].grid, cs[i].onset};
  *nfoci = nindex;
  qsort(cs, ncases, sizeof *cs, by_sampled);
  for (uint32_t i = 0; i < ncases; i++)
    case_of[cs[i].person] = i + 1;
  write_cases(cases, cs, ncases);
  write_samples(c, samples, cs, ncases, case_of);
  narr += routine_arrivals(c, arr + narr);
  qsort(arr, narr, sizeof *arr, by_arrival);
  for (uint32_t i = 0; i < narr; i++) {
    fk__csv_row(arrivals);
    fk__csv_id(arrivals, 'P', arr[i].person + 1);
    fk__csv_c(arrivals, ',');
    fk__csv_time(arrivals, arr[i].at);
    fk__csv_c(arrivals, ',');
    fk__csv_str(arrivals, origins[arr[i].origin].name);
    fk__csv_c(arrivals, ',');
    if (arr[i].port >= 0) fk__csv_str(arrivals, ports[arr[i].port]);
    fk__csv_str(arrivals, origins[arr[i].origin].international ? ",1," : ",0,"); /* no left_at */
    fk__csv_end(arrivals);
  }
  rc = cases->err ? cases->err : samples->err ? samples->err : arrivals->err;
out:
  fk_free(cs);
  fk_free(arr);
  fk_free(is_case);
  fk_free(case_of);
  return rc;
}
