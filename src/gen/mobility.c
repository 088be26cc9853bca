/*
 * Daily mobility: for each person and day, a plan of stays drawn from the person's own stream
 * (seed, person, day) -- commute by bus or metro, a long stay at work or school, lunch out,
 * evening errands, the estate gate on the way home; markets, parks and clinics for those at
 * home; outings at weekends and, for pupils and students, in the school holidays -- about
 * three check-ins a person a day. A person's stays never
 * overlap: each begins after the previous one ended plus travel time, all within the day.
 * A day's check-ins are put in time order (then person) by a counting sort on the second.
 */
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "gen/city.h"

#define MAXSTAYS 16
#define LAST_START (22 * 3600 + 30 * 60)
#define H(h, m) ((h)*3600 + (m)*60)

struct stay {
  uint32_t person, place;
  int32_t in, out; /* seconds into the day; out is -1 when the exit was not scanned */
  int32_t end;     /* when the person really left, scanned or not (for pings) */
};

/* A phone's location report: seconds into the day, place, and a jitter in millionths of a
 * degree (phone fixes scatter by tens of meters). */
struct ping {
  uint32_t person, place;
  int32_t sec;
  int16_t dlat, dlon;
};

struct pings {
  struct ping *v;
  size_t n, cap;
};

struct plan {
  const struct fk__city *c;
  const struct fk__person *ps;
  struct fk__rng r;
  uint32_t person;
  int32_t t; /* earliest time the next stay may begin */
  int n;
  struct stay s[MAXSTAYS];
};

struct weighted {
  int kind, weight;
};

static const struct weighted evening[] = {
    {K_RESTAURANT, 30}, {K_SUPERMARKET, 25}, {K_MARKET, 8},  {K_MALL, 8},   {K_GYM, 6},
    {K_PARK, 8},        {K_PHARMACY, 4},     {K_BANK, 2},    {K_CINEMA, 3}, {K_HOTEL, 1},
    {K_THEATRE, 1},     {K_GOVERNMENT, 1},   {K_HOSPITAL, 1}};
static const struct weighted weekend[] = {
    {K_MALL, 15},    {K_RESTAURANT, 25}, {K_PARK, 14}, {K_SUPERMARKET, 15}, {K_MARKET, 6},
    {K_SCENIC, 4},   {K_CINEMA, 5},      {K_GYM, 5},   {K_THEATRE, 1},      {K_HOTEL, 1},
    {K_HOSPITAL, 1}, {K_PHARMACY, 3},    {K_BANK, 1},  {K_RAILWAY, 1}};
static const struct weighted after_school[] = {
    {K_PARK, 30}, {K_SUPERMARKET, 25}, {K_RESTAURANT, 25}, {K_MALL, 10}, {K_GYM, 10}};

#define DRAW(r, table) draw(r, table, (int)(sizeof table / sizeof table[0]))

static int draw(struct fk__rng *r, const struct weighted *t, int n)
{
  int total = 0;
  for (int i = 0; i < n; i++)
    total += t[i].weight;
  int x = (int)fk__rng_below(r, (uint32_t)total);
  for (int i = 0; i < n; i++) {
    if (x < t[i].weight) return t[i].kind;
    x -= t[i].weight;
  }
  return t[0].kind;
}

/* A time near `mean` seconds with spread `sd`, within [lo, hi]. */
static int32_t around(struct fk__rng *r, int32_t mean, int32_t sd, int32_t lo, int32_t hi)
{
  int32_t t = mean + (int32_t)(sd * fk__rng_normal(r));
  return t < lo ? lo : t > hi ? hi : t;
}

/* Adds a stay at place from `at` (or later) for dur seconds; skipped when it does not fit. */
static void stay(struct plan *x, uint32_t place, int32_t at, int32_t dur, double p_no_exit)
{
  if (place == FK__NOPLACE || x->n >= MAXSTAYS) return;
  if (at < x->t) at = x->t + (int32_t)fk__rng_below(&x->r, 120);
  if (dur < 60) dur = 60;
  if (at > LAST_START) return;
  if (at + dur > 86340) dur = 86340 - at;
  struct stay *s = &x->s[x->n++];
  s->person = x->person;
  s->place = place;
  s->in = at;
  s->out = fk__rng_chance(&x->r, p_no_exit) ? -1 : at + dur;
  s->end = at + dur;
  x->t = at + dur + 60 + (int32_t)fk__rng_below(&x->r, 900);
}

/* A place of kind k near home (sometimes elsewhere in the city). */
static uint32_t near(struct plan *x, int k, double p_home)
{
  int d = fk__rng_chance(&x->r, p_home) ? x->ps->district : fk__city_pick_district(x->c, &x->r);
  return fk__city_pick(x->c, &x->r, d, k);
}

static void ride(struct plan *x, int32_t at)
{
  int metro = x->ps->district <= 3 && fk__rng_chance(&x->r, 0.3);
  uint32_t place = near(x, metro ? K_METRO : K_BUS, 0.9);
  stay(x, place, at, 600 + (int32_t)fk__rng_below(&x->r, 2400), 0.4);
}

static void errand(struct plan *x, int kind, int32_t at, int32_t dmin, int32_t dmax, double p_home)
{
  stay(x, near(x, kind, p_home), at, dmin + (int32_t)fk__rng_below(&x->r, (uint32_t)(dmax - dmin)),
       0.15);
}

static void home_gate(struct plan *x, double p)
{
  if (x->n && fk__rng_chance(&x->r, p)) stay(x, x->ps->home, x->t, 60, 1.0);
}

static void workday(struct plan *x)
{
  struct fk__rng *r = &x->r;
  const struct fk__place *work = &x->c->places[x->ps->anchor];
  int32_t leave = around(r, H(7, 20), 40 * 60, H(5, 30), H(9, 45));
  if (fk__rng_chance(r, 0.55)) ride(x, leave);
  int32_t done = around(r, H(17, 40), 50 * 60, H(15, 0), H(21, 0));
  if (fk__rng_chance(r, 0.4) && work->kind != K_RESTAURANT) {
    int32_t lunch = around(r, H(12, 0), 15 * 60, H(11, 30), H(12, 50));
    stay(x, x->ps->anchor, leave + 900, lunch - leave - 900, 0.15);
    stay(x, fk__city_pick(x->c, r, work->district, K_RESTAURANT), lunch,
         1500 + (int32_t)fk__rng_below(r, 2400), 0.3);
    stay(x, x->ps->anchor, x->t, done - x->t, 0.15);
  } else {
    stay(x, x->ps->anchor, leave + 900, done - leave - 900, 0.1);
  }
  if (fk__rng_chance(r, 0.5)) ride(x, x->t);
  int errands = fk__rng_chance(r, 0.7) + fk__rng_chance(r, 0.3);
  for (int i = 0; i < errands; i++)
    errand(x, DRAW(r, evening), x->t, 20 * 60, 90 * 60, 0.8);
  home_gate(x, 0.35);
}

static void schoolday(struct plan *x)
{
  struct fk__rng *r = &x->r;
  int kinder = x->ps->role == R_INFANT_K;
  int32_t start = kinder ? around(r, H(8, 15), 15 * 60, H(7, 40), H(9, 0))
                         : around(r, H(7, 35), 10 * 60, H(7, 0), H(8, 0));
  if (!kinder && fk__rng_chance(r, 0.2)) ride(x, start - 1800);
  int32_t end = around(r, kinder ? H(17, 0) : H(17, 10), 20 * 60, H(16, 0), H(18, 30));
  stay(x, x->ps->anchor, start, end - start, 0.08);
  if (fk__rng_chance(r, 0.45)) errand(x, DRAW(r, after_school), x->t, 20 * 60, 80 * 60, 0.9);
  home_gate(x, 0.3);
}

static void campusday(struct plan *x)
{
  struct fk__rng *r = &x->r;
  int32_t start = around(r, H(8, 30), 40 * 60, H(7, 0), H(11, 0));
  if (!x->ps->dorm && fk__rng_chance(r, 0.5)) ride(x, start - 2400);
  int32_t end = around(r, H(18, 0), 90 * 60, H(14, 0), H(21, 30));
  stay(x, x->ps->anchor, start, end - start, 0.2);
  if (fk__rng_chance(r, 0.45)) errand(x, DRAW(r, evening), x->t, 30 * 60, 100 * 60, 0.7);
  if (fk__rng_chance(r, 0.15)) errand(x, DRAW(r, evening), x->t, 30 * 60, 100 * 60, 0.7);
  if (!x->ps->dorm) home_gate(x, 0.3);
}

/* Those at home on a weekday: markets, parks, clinics, banks. */
static void homeday(struct plan *x)
{
  struct fk__rng *r = &x->r;
  int retired = x->ps->role == R_RETIRED, toddler = x->ps->role == R_TODDLER;
  int32_t t0 = around(r, H(7, 30), 50 * 60, H(6, 0), H(10, 30));
  x->t = t0;
  if (fk__rng_chance(r, 0.3)) ride(x, t0);
  if (fk__rng_chance(r, retired ? 0.55 : 0.4)) errand(x, K_PARK, t0, 1800, 7200, 0.95);
  if (fk__rng_chance(r, retired ? 0.7 : toddler ? 0.4 : 0.6))
    errand(x, fk__rng_chance(r, 0.5) ? K_MARKET : K_SUPERMARKET, x->t, 900, 3600, 0.95);
  if (fk__rng_chance(r, retired ? 0.03 : 0.015)) errand(x, K_HOSPITAL, H(9, 0), 3600, 10800, 0.8);
  if (fk__rng_chance(r, 0.07)) errand(x, K_PHARMACY, x->t, 300, 1200, 0.95);
  if (fk__rng_chance(r, 0.002)) errand(x, K_FEVER_CLINIC, x->t, 3600, 7200, 0.9);
  if (!toddler && fk__rng_chance(r, 0.04)) errand(x, K_BANK, H(9, 30), 600, 2400, 0.9);
  if (!toddler && fk__rng_chance(r, 0.015)) errand(x, K_GOVERNMENT, H(9, 30), 1200, 3600, 0.8);
  if (fk__rng_chance(r, retired ? 0.45 : 0.55))
    errand(x, DRAW(r, evening), around(r, H(16, 30), 3600, H(14, 0), H(20, 0)), 1800, 5400, 0.8);
  home_gate(x, 0.3);
}

static void weekend_day(struct plan *x)
{
  struct fk__rng *r = &x->r;
  int outings = fk__rng_chance(r, 0.9) + fk__rng_chance(r, 0.75) + fk__rng_chance(r, 0.5) +
                fk__rng_chance(r, 0.25);
  if (!outings) return;
  int32_t t0 = around(r, H(10, 0), 80 * 60, H(7, 0), H(15, 0));
  if (fk__rng_chance(r, 0.35)) ride(x, t0);
  for (int i = 0; i < outings; i++)
    errand(x, DRAW(r, weekend), i ? x->t + (int32_t)fk__rng_below(r, 5400) : t0, 1800, 3 * 3600,
           0.7);
  home_gate(x, 0.3);
}

/* School holidays: summer from 10 July to the end of August, winter from 20 January to 20
 * February (approximately Shanxi's calendar). */
static int school_holiday(fk_date date)
{
  int y, m, d;
  fk_date_to_ymd(date, &y, &m, &d);
  return (m == 7 && d >= 10) || m == 8 || (m == 1 && d >= 20) || (m == 2 && d <= 20);
}

static void plan_day(struct plan *x, int is_weekend, int holiday)
{
  switch (x->ps->role) {
  case R_WORKER:
    if (!is_weekend || fk__rng_chance(&x->r, 0.25))
      workday(x);
    else
      weekend_day(x);
    break;
  case R_PUPIL:
  case R_INFANT_K:
    if (is_weekend || (holiday && (x->ps->role == R_PUPIL || fk__rng_chance(&x->r, 0.5))))
      weekend_day(x);
    else
      schoolday(x);
    break;
  case R_STUDENT:
    if (is_weekend || holiday)
      weekend_day(x);
    else
      campusday(x);
    break;
  default:
    if (is_weekend && fk__rng_chance(&x->r, 0.6))
      weekend_day(x);
    else
      homeday(x);
  }
}

/* Phones report about every 15 minutes while out (10 to 20) and every 45 at home (40 to 50),
 * never more than an hour apart, so a stay or a night at home reads as one presence. */
#define PING_OUT 600
#define PING_HOME 2400
#define PING_JITTER 600
#define HOME_MARGIN 600 /* no home pings this close to a stay: the person is on the way */

static int add_ping(struct pings *pg, struct fk__rng *r, uint32_t person, uint32_t place,
                    int32_t sec)
{
  if (pg->n == pg->cap) {
    size_t cap = pg->cap ? pg->cap * 2 : 1u << 16;
    struct ping *v = fk_realloc(pg->v, cap * sizeof *v);
    if (!v) return FK_ENOMEM;
    pg->v = v;
    pg->cap = cap;
  }
  pg->v[pg->n++] = (struct ping){person, place, sec, (int16_t)fk__rng_range(r, -250, 250),
                                 (int16_t)fk__rng_range(r, -300, 300)};
  return 0;
}

/*
 * A person's pings for one day: at each stay's start and every ~15 minutes while there, and at
 * home whenever not out (before the first stay, between stays far enough apart, after the
 * last). They come from their own stream (seed, PINGS, person, day), so check-ins are the same
 * with or without them.
 */
static int day_pings(const struct fk__city *c, const struct plan *x, fk_date date, struct pings *pg)
{
  struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_PINGS, x->person, (uint64_t)date);
  int32_t from = -HOME_MARGIN + (int32_t)fk__rng_below(&r, PING_JITTER);
  for (int i = 0; i <= x->n; i++) {
    int32_t until = i < x->n ? x->s[i].in - HOME_MARGIN : 86400;
    for (int32_t t = from + HOME_MARGIN; t < until;
         t += PING_HOME + (int32_t)fk__rng_below(&r, PING_JITTER))
      if (add_ping(pg, &r, x->person, x->ps->home, t)) return FK_ENOMEM;
    if (i == x->n) break;
    for (int32_t t = x->s[i].in; t < x->s[i].end;
         t += PING_OUT + (int32_t)fk__rng_below(&r, PING_JITTER))
      if (add_ping(pg, &r, x->person, x->s[i].place, t)) return FK_ENOMEM;
    from = x->s[i].end;
  }
  return 0;
}

/* Writes a day's pings in time order (then person): a stable counting sort on the second. */
static int write_pings(const struct fk__city *c, struct fk__csv *w, const struct pings *pg,
                       fk_date date, uint32_t *count, uint32_t **order)
{
  uint32_t *grown = fk_realloc(*order, (pg->n ? pg->n : 1) * sizeof **order);
  char prefix[11];
  if (!grown) return FK_ENOMEM;
  *order = grown;
  for (int s = 0; s <= 86400; s++)
    count[s] = 0;
  for (size_t i = 0; i < pg->n; i++)
    count[pg->v[i].sec + 1]++;
  for (int s = 0; s < 86400; s++)
    count[s + 1] += count[s];
  for (size_t i = 0; i < pg->n; i++)
    grown[count[pg->v[i].sec]++] = (uint32_t)i;
  fk__csv_day_prefix(date, prefix);
  for (size_t i = 0; i < pg->n; i++) {
    const struct ping *p = &pg->v[grown[i]];
    const struct fk__place *pl = &c->places[p->place];
    fk__csv_row(w);
    fk__csv_id(w, 'P', p->person + 1);
    fk__csv_c(w, ',');
    fk__csv_daytime(w, prefix, p->sec);
    fk__csv_c(w, ',');
    fk__csv_deg(w, pl->lat + p->dlat * 1e-6);
    fk__csv_c(w, ',');
    fk__csv_deg(w, pl->lon + p->dlon * 1e-6);
    fk__csv_end(w);
  }
  return w->err;
}

int fk__write_checkins(const struct fk__city *c, struct fk__csv *w, struct fk__csv *pw)
{
  struct pings pg = {NULL, 0, 0};
  uint32_t *porder = NULL;
  int rc = 0;
  size_t cap = (size_t)c->npersons * 4 + 1024, n;
  struct stay *day = fk_malloc(cap * sizeof *day);
  uint32_t *order = NULL;
  uint32_t *count = fk_malloc((86400 + 1) * sizeof *count);
  if (!day || !count) {
    rc = FK_ENOMEM;
    goto out;
  }
  for (int dd = 0; dd < c->opts->days; dd++) {
    fk_date date = c->opts->start + dd;
    int dow = (int)(((int64_t)date % 7 + 11) % 7); /* 1970-01-01 was a Thursday: 0 is Sunday */
    int is_weekend = dow == 0 || dow == 6, holiday = school_holiday(date);
    n = 0;
    for (uint32_t p = 0; p < c->npersons; p++) {
      struct plan x;
      x.c = c;
      x.ps = &c->persons[p];
      x.r = fk__rng_make(c->opts->seed, FK__RNG_MOBILITY, p, (uint64_t)date);
      x.person = p;
      x.t = H(6, 0);
      x.n = 0;
      plan_day(&x, is_weekend, holiday);
      if (n + MAXSTAYS > cap) {
        size_t ncap = cap * 3 / 2;
        struct stay *grown = fk_realloc(day, ncap * sizeof *day);
        if (!grown) {
          rc = FK_ENOMEM;
          goto out;
        }
        day = grown;
        cap = ncap;
      }
      for (int i = 0; i < x.n; i++)
        day[n++] = x.s[i];
      if (pw && (rc = day_pings(c, &x, date, &pg))) goto out;
    }
    /* Stable counting sort by second of check-in: persons come in order within a second. */
    uint32_t *grown = fk_realloc(order, (n ? n : 1) * sizeof *order);
    if (!grown) {
      rc = FK_ENOMEM;
      goto out;
    }
    order = grown;
    for (int s = 0; s <= 86400; s++)
      count[s] = 0;
    for (size_t i = 0; i < n; i++)
      count[day[i].in + 1]++;
    for (int s = 0; s < 86400; s++)
      count[s + 1] += count[s];
    for (size_t i = 0; i < n; i++)
      order[count[day[i].in]++] = (uint32_t)i;
    char prefix[11];
    fk__csv_day_prefix(date, prefix);
    for (size_t i = 0; i < n; i++) {
      const struct stay *s = &day[order[i]];
      fk__csv_row(w);
      fk__csv_id(w, 'P', s->person + 1);
      fk__csv_c(w, ',');
      fk__csv_id(w, 'L', s->place + 1);
      fk__csv_c(w, ',');
      fk__csv_daytime(w, prefix, s->in);
      fk__csv_c(w, ',');
      if (s->out >= 0) fk__csv_daytime(w, prefix, s->out);
      fk__csv_end(w);
    }
    if (w->err) {
      rc = w->err;
      goto out;
    }
    if (pw) {
      if ((rc = write_pings(c, pw, &pg, date, count, &porder))) goto out;
      pg.n = 0;
    }
  }
out:
  fk_free(pg.v);
  fk_free(porder);
  fk_free(day);
  fk_free(order);
  fk_free(count);
  return rc;
}
