/*
 * The tracer against an independent brute-force tracer written here from the semantics of
 * issue 3. A synthetic city (fixed seed, with a seeded outbreak) is generated as CSV files and
 * imported; the library traces every case at depth 1 and 2 through its index, while the brute
 * force reads the same CSV files (never the store or the index), computes windows from the
 * dates itself, and compares every pair of stays at the same place with plain nested loops.
 * Both must give the same contacts with the same degree, category, via, first and last
 * exposure and exposures (place, start, end, category), and the same links between cases.
 * Depth 1 is checked on an index refreshed as check-ins arrive (merged and pending) and on one
 * built at once; depth 2 on a smaller city, where the brute force stays fast under ASan. Cases
 * are traced on 1, 2 and 3 threads in turn (fk_trace_case_threads), and a third test checks
 * that any number of threads gives the one answer, in the same order, on a larger city.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/gen.h"
#include "fangkong/ingest.h"
#include "fangkong/rules.h"
#include "fangkong/site_store.h"
#include "fangkong/store.h"
#include "fangkong/time.h"
#include "fangkong/trace.h"
#include "same_result.h"
#include "testutil.h"
#include "trace/index.h" /* to see which refresh merged; fk__trace_place_of */
#include "trace/hot.h"   /* to trace with and without copies of busy places */
#include "trace/meet.h"  /* to trace with the plain kernel too */

/* ---- the protocol-9 numbers, written out independently of the rules reader --------------- */

static const char *const close_kinds[] = {
    "restaurant", "office", "factory", "school", "kindergarten",
    "gym",        "cinema", "theatre", "hotel",  "construction_site",
    "cold_store", NULL};

static const struct {
  const char *kind;
  int minutes;
} dwells[] = {{"supermarket", 30}, {"market", 30}, {"pharmacy", 15},  {"bank", 20},
              {"bus", 30},         {"metro", 30},  {"residential", 5}};

#define WINDOW_DAYS 4
#define DEFAULT_DWELL (60 * 60)
#define CITY_OFFSET (8 * 3600)
#define DAY 86400

#ifndef DEPTH2_SCALE
#define DEPTH2_SCALE 0.0005
#define DEPTH2_DAYS 3
#endif

/* ---- the city as read from its CSV files --------------------------------------------------- */

struct stay {
  int person, place;
  fk_time start, end;
};

struct bcase {
  int person;
  fk_time w0, w1; /* the window */
};

struct city {
  int npersons, nplaces, nstays, ncases;
  char **person_name, **household, **place_name;
  int *by_name;  /* person indexes sorted by name */
  int *place_by; /* place indexes sorted by name */
  int *close;    /* per place: 1 for a close kind */
  int *case_of;  /* per person: index in cases or -1 */
  int *hh;       /* per person: household number */
  struct stay *stays;
  int *place_off, *place_stays;   /* stays grouped by place (CSR) */
  int *person_off, *person_stays; /* stays grouped by person (CSR) */
  struct bcase *cases;
  fk_time *iso_from, *iso_to; /* per person: a quarantine-site stay [from, to) (to FK_TIME_NONE:
                                 open), or none (NULL arrays, or from FK_TIME_NONE) */
};

/* Splits one CSV line in place into at most max fields (quotes as RFC 4180); returns count. */
static int split(char *line, char **f, int max)
{
  int n = 0;
  char *p = line;
  for (;;) {
    if (n == max) fail_msg("too many fields");
    if (*p == '"') {
      char *w = ++p;
      f[n++] = w;
      for (;;) {
        if (!*p) fail_msg("unterminated quote");
        if (*p == '"' && p[1] == '"') {
          *w++ = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          *w++ = *p++;
        }
      }
      *w = '\0';
    } else {
      f[n++] = p;
      while (*p && *p != ',')
        p++;
    }
    if (*p != ',') {
      *p = '\0';
      return n;
    }
    *p++ = '\0';
  }
}

/* Calls fn for every data line of dir/name with its fields; the header gives column indexes. */
static void each_row(const char *dir, const char *name, const char *const *cols, int ncols,
                     void (*fn)(void *arg, char **f), void *arg)
{
  char path[1024], *f[32], *g[32];
  int at[16];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char *text = fk_test_read(path, NULL);
  if (!text) fail_msg("cannot read %s", path);
  char *line = text, *next;
  int header = 1, nh = 0;
  for (; *line; line = next) {
    next = strchr(line, '\n');
    if (next)
      *next++ = '\0';
    else
      next = line + strlen(line);
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r') line[len - 1] = '\0';
    if (!*line) continue;
    int n = split(line, f, 32);
    if (header) {
      nh = n;
      for (int c = 0; c < ncols; c++) {
        at[c] = -1;
        for (int k = 0; k < n; k++)
          if (!strcmp(f[k], cols[c])) at[c] = k;
        if (at[c] < 0) fail_msg("%s: no column %s", name, cols[c]);
      }
      header = 0;
      continue;
    }
    if (n != nh) fail_msg("%s: %d fields, header has %d", name, n, nh);
    for (int c = 0; c < ncols; c++)
      g[c] = f[at[c]];
    fn(arg, g);
  }
  free(text);
}

static fk_time parse_time(const char *s)
{
  fk_time t;
  if (fk_time_parse(s, strlen(s), &t, NULL)) fail_msg("bad time %s", s);
  return t;
}

/* The civil day (UTC+8) of an instant, and the instant of a day's 00:00, computed here. */
static int64_t city_day(fk_time t)
{
  int64_t s = t + CITY_OFFSET;
  return s >= 0 ? s / DAY : -((-s + DAY - 1) / DAY);
}

static fk_time day_start(int64_t day)
{
  return day * DAY - CITY_OFFSET;
}

static const struct city *sort_city; /* for the qsort comparators below */

static int by_person_name(const void *a, const void *b)
{
  return strcmp(sort_city->person_name[*(const int *)a], sort_city->person_name[*(const int *)b]);
}

static int by_place_name(const void *a, const void *b)
{
  return strcmp(sort_city->place_name[*(const int *)a], sort_city->place_name[*(const int *)b]);
}

static int by_household(const void *a, const void *b)
{
  return strcmp(sort_city->household[*(const int *)a], sort_city->household[*(const int *)b]);
}

static int find(char **names, const int *sorted, int n, const char *name)
{
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    int c = strcmp(names[sorted[mid]], name);
    if (c == 0) return sorted[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  fail_msg("unknown id %s", name);
  return -1;
}

static void *grow(void *p, int n, size_t size)
{
  if (n & (n - 1)) return p; /* grow at powers of two */
  void *q = realloc(p, (size_t)(n ? 2 * n : 1) * size);
  if (!q) fail_msg("out of memory");
  return q;
}

static void read_person(void *arg, char **f)
{
  struct city *c = arg;
  c->person_name = grow(c->person_name, c->npersons, sizeof *c->person_name);
  c->household = grow(c->household, c->npersons, sizeof *c->household);
  c->person_name[c->npersons] = strdup(f[0]);
  c->household[c->npersons] = strdup(f[1]);
  c->npersons++;
}

static fk_time *dwell_of; /* per place, while reading check-ins */

static void read_place(void *arg, char **f)
{
  struct city *c = arg;
  c->place_name = grow(c->place_name, c->nplaces, sizeof *c->place_name);
  c->close = grow(c->close, c->nplaces, sizeof *c->close);
  dwell_of = grow(dwell_of, c->nplaces, sizeof *dwell_of);
  c->place_name[c->nplaces] = strdup(f[0]);
  c->close[c->nplaces] = 0;
  for (int k = 0; close_kinds[k]; k++)
    if (!strcmp(close_kinds[k], f[1])) c->close[c->nplaces] = 1;
  dwell_of[c->nplaces] = DEFAULT_DWELL;
  for (size_t k = 0; k < sizeof dwells / sizeof dwells[0]; k++)
    if (!strcmp(dwells[k].kind, f[1])) dwell_of[c->nplaces] = dwells[k].minutes * 60;
  c->nplaces++;
}

static void read_checkin(void *arg, char **f)
{
  struct city *c = arg;
  struct stay s;
  s.person = find(c->person_name, c->by_name, c->npersons, f[0]);
  s.place = find(c->place_name, c->place_by, c->nplaces, f[1]);
  s.start = parse_time(f[2]);
  s.end = *f[3] ? parse_time(f[3]) : s.start + dwell_of[s.place];
  c->stays = grow(c->stays, c->nstays, sizeof *c->stays);
  c->stays[c->nstays++] = s;
}

static void read_case(void *arg, char **f)
{
  struct city *c = arg;
  struct bcase k;
  k.person = find(c->person_name, c->by_name, c->npersons, f[0]);
  int confirmed = !strcmp(f[1], "confirmed");
  int64_t day = city_day(parse_time(f[3]));
  if (confirmed && *f[2]) {
    fk_date onset;
    if (fk_date_parse(f[2], strlen(f[2]), &onset, NULL)) fail_msg("bad onset %s", f[2]);
    day = onset;
  }
  k.w0 = day_start(day - WINDOW_DAYS);
  if (!*f[4]) fail_msg("the generated cases are isolated; %s is not", f[0]);
  k.w1 = parse_time(f[4]);
  c->cases = grow(c->cases, c->ncases, sizeof *c->cases);
  c->cases[c->ncases++] = k;
}

/* CSR: off[k]..off[k+1] index `items` of the stays whose key is k. */
static void group_by(const struct city *c, int nkeys, int place, int **off, int **items)
{
  *off = calloc((size_t)nkeys + 1, sizeof **off);
  *items = malloc(((size_t)c->nstays + 1) * sizeof **items);
  int *at = malloc(((size_t)nkeys + 1) * sizeof *at);
  for (int i = 0; i < c->nstays; i++)
    (*off)[(place ? c->stays[i].place : c->stays[i].person) + 1]++;
  for (int k = 0; k < nkeys; k++)
    (*off)[k + 1] += (*off)[k];
  memcpy(at, *off, (size_t)nkeys * sizeof *at);
  for (int i = 0; i < c->nstays; i++)
    (*items)[at[place ? c->stays[i].place : c->stays[i].person]++] = i;
  free(at);
}

static void read_city(struct city *c, const char *dir)
{
  static const char *const pcols[] = {"person_id", "household_id"};
  static const char *const lcols[] = {"place_id", "kind"};
  static const char *const kcols[] = {"person_id", "place_id", "checkin_at", "checkout_at"};
  static const char *const ccols[] = {"person_id", "kind", "onset_date", "sampled_at",
                                      "isolated_at"};
  memset(c, 0, sizeof *c);
  sort_city = c;
  each_row(dir, "persons.csv", pcols, 2, read_person, c);
  c->by_name = malloc((size_t)c->npersons * sizeof *c->by_name);
  for (int i = 0; i < c->npersons; i++)
    c->by_name[i] = i;
  qsort(c->by_name, (size_t)c->npersons, sizeof *c->by_name, by_person_name);
  int *order = malloc((size_t)c->npersons * sizeof *order);
  c->hh = malloc((size_t)c->npersons * sizeof *c->hh);
  for (int i = 0; i < c->npersons; i++)
    order[i] = i;
  qsort(order, (size_t)c->npersons, sizeof *order, by_household);
  for (int i = 0, h = 0; i < c->npersons; i++) {
    if (i && strcmp(c->household[order[i]], c->household[order[i - 1]])) h++;
    c->hh[order[i]] = h;
  }
  free(order);
  each_row(dir, "places.csv", lcols, 2, read_place, c);
  c->place_by = malloc((size_t)c->nplaces * sizeof *c->place_by);
  for (int i = 0; i < c->nplaces; i++)
    c->place_by[i] = i;
  qsort(c->place_by, (size_t)c->nplaces, sizeof *c->place_by, by_place_name);
  each_row(dir, "checkins.csv", kcols, 4, read_checkin, c);
  each_row(dir, "cases.csv", ccols, 5, read_case, c);
  c->case_of = malloc((size_t)c->npersons * sizeof *c->case_of);
  for (int i = 0; i < c->npersons; i++)
    c->case_of[i] = -1;
  for (int i = 0; i < c->ncases; i++)
    c->case_of[c->cases[i].person] = i;
  group_by(c, c->nplaces, 1, &c->place_off, &c->place_stays);
  group_by(c, c->npersons, 0, &c->person_off, &c->person_stays);
  free(dwell_of);
  dwell_of = NULL;
}

static void free_city(struct city *c)
{
  for (int i = 0; i < c->npersons; i++) {
    free(c->person_name[i]);
    free(c->household[i]);
  }
  for (int i = 0; i < c->nplaces; i++)
    free(c->place_name[i]);
  free(c->person_name);
  free(c->household);
  free(c->place_name);
  free(c->by_name);
  free(c->place_by);
  free(c->close);
  free(c->case_of);
  free(c->hh);
  free(c->iso_from);
  free(c->iso_to);
  free(c->stays);
  free(c->place_off);
  free(c->place_stays);
  free(c->person_off);
  free(c->person_stays);
  free(c->cases);
}

/* ---- contacts as both tracers' answers are compared ---------------------------------------- */

struct xp {
  int place; /* -1: the household */
  fk_time start, end;
  int close;
};

struct row {
  int person, via, degree, close; /* via -1 at degree 1 */
  fk_time first, last;
  int nexp;
  struct xp *exp;
};

struct answer {
  struct row *rows, *links;
  int nrows, nlinks;
};

/* qsort, for arrays that may be empty (and NULL). */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
  if (n) qsort(base, n, size, cmp);
}

static int xp_order(const void *a, const void *b)
{
  const struct xp *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end < y->end ? -1 : 1;
  if (x->place != y->place) return x->place < y->place ? -1 : 1;
  return x->close - y->close;
}

static int row_order(const void *a, const void *b)
{
  const struct row *x = a, *y = b;
  if (x->degree != y->degree) return x->degree - y->degree;
  if (x->person != y->person) return x->person - y->person;
  return x->via - y->via;
}

static void add_row(struct row **rows, int *n, struct row r)
{
  *rows = grow(*rows, *n, sizeof **rows);
  sort(r.exp, (size_t)r.nexp, sizeof *r.exp, xp_order);
  (*rows)[(*n)++] = r;
}

static void free_answer(struct answer *a)
{
  for (int i = 0; i < a->nrows; i++)
    free(a->rows[i].exp);
  for (int i = 0; i < a->nlinks; i++)
    free(a->links[i].exp);
  free(a->rows);
  free(a->links);
  memset(a, 0, sizeof *a);
}

/* ---- the brute force ----------------------------------------------------------------------- */

struct hit {
  int person, via;
  struct xp e;
};

struct hits {
  struct hit *h;
  int n;
};

static void hit(struct hits *hs, int person, int via, int place, fk_time a, fk_time b, int close)
{
  hs->h = grow(hs->h, hs->n, sizeof *hs->h);
  hs->h[hs->n++] = (struct hit){person, via, {place, a, b, close}};
}

/*
 * Everyone exposed to `self` during [w0, w1): household members over [w0, w1), and every stay
 * at a place where self stayed (self's stay cut to [w0, w1)) overlapping it by more than 0.
 * close_only: only close places count.
 */
static void exposed_to(const struct city *c, struct hits *hs, int self, int via, fk_time w0,
                       fk_time w1, int close_only)
{
  if (w0 < w1)
    for (int p = 0; p < c->npersons; p++)
      if (p != self && c->hh[p] == c->hh[self]) hit(hs, p, via, -1, w0, w1, 1);
  for (int i = c->person_off[self]; i < c->person_off[self + 1]; i++) {
    const struct stay *s = &c->stays[c->person_stays[i]];
    fk_time x = s->start > w0 ? s->start : w0, y = s->end < w1 ? s->end : w1;
    if (x >= y || (close_only && !c->close[s->place])) continue;
    for (int j = c->place_off[s->place]; j < c->place_off[s->place + 1]; j++) {
      const struct stay *o = &c->stays[c->place_stays[j]];
      if (o->person == self) continue;
      fk_time a = o->start > x ? o->start : x, b = o->end < y ? o->end : y;
      if (b - a > 0) hit(hs, o->person, via, s->place, a, b, c->close[s->place]);
    }
  }
}

static int hit_order(const void *a, const void *b)
{
  const struct hit *x = a, *y = b;
  if (x->via != y->via) return x->via - y->via;
  return x->person - y->person;
}

/* Groups hits[from, n) by (via, person) into rows of the given degree (or links). */
static void group(const struct city *c, struct answer *ans, struct hits *hs, int from, int degree,
                  int index, const char *degree1)
{
  if (hs->n > from) qsort(hs->h + from, (size_t)(hs->n - from), sizeof *hs->h, hit_order);
  for (int i = from, j; i < hs->n; i = j) {
    for (j = i; j < hs->n && hs->h[j].person == hs->h[i].person && hs->h[j].via == hs->h[i].via;)
      j++;
    int p = hs->h[i].person;
    if (degree == 2 && (p == index || c->case_of[p] >= 0 || degree1[p])) continue;
    struct row r = {p, hs->h[i].via, degree, 0, hs->h[i].e.start, hs->h[i].e.end, j - i, NULL};
    r.exp = malloc((size_t)(j - i) * sizeof *r.exp);
    for (int k = i; k < j; k++) {
      r.exp[k - i] = hs->h[k].e;
      r.close |= hs->h[k].e.close;
      if (hs->h[k].e.start < r.first) r.first = hs->h[k].e.start;
      if (hs->h[k].e.end > r.last) r.last = hs->h[k].e.end;
    }
    if (degree == 1 && c->case_of[p] >= 0)
      add_row(&ans->links, &ans->nlinks, r);
    else
      add_row(&ans->rows, &ans->nrows, r);
  }
}

/* Where person's degree-2 window from first ends: when it entered its quarantine site, if that
   was before now and the stay had not ended by first (first itself when it was there then). */
static fk_time isolated(const struct city *c, int person, fk_time first, fk_time now)
{
  if (!c->iso_from || c->iso_from[person] == FK_TIME_NONE) return now;
  fk_time from = c->iso_from[person], to = c->iso_to[person];
  if (to != FK_TIME_NONE && to <= first) return now;
  fk_time at = from > first ? from : first;
  return at < now ? at : now;
}

static void brute_trace(const struct city *c, int k, fk_time now, int depth, struct answer *ans)
{
  const struct bcase *bc = &c->cases[k];
  struct hits hs = {NULL, 0};
  char *degree1 = calloc((size_t)c->npersons, 1);
  memset(ans, 0, sizeof *ans);
  exposed_to(c, &hs, bc->person, -1, bc->w0, bc->w1, 0);
  group(c, ans, &hs, 0, 1, bc->person, degree1);
  int n1 = ans->nrows, from = hs.n;
  for (int i = 0; i < n1; i++)
    degree1[ans->rows[i].person] = 1;
  if (depth == 2) {
    for (int i = 0; i < n1; i++)
      if (ans->rows[i].close)
        exposed_to(c, &hs, ans->rows[i].person, ans->rows[i].person, ans->rows[i].first,
                   isolated(c, ans->rows[i].person, ans->rows[i].first, now), 1);
    group(c, ans, &hs, from, 2, bc->person, degree1);
  }
  sort(ans->rows, (size_t)ans->nrows, sizeof *ans->rows, row_order);
  sort(ans->links, (size_t)ans->nlinks, sizeof *ans->links, row_order);
  free(hs.h);
  free(degree1);
}

/* ---- the library's answer in the same terms ------------------------------------------------ */

static int person_of(const struct city *c, const struct fk_trace_index *ix, int64_t id)
{
  const char *name = fk_trace_person_id(ix, id);
  if (!name) fail_msg("person %lld has no person_id", (long long)id);
  return find(c->person_name, c->by_name, c->npersons, name);
}

static struct row row_of(const struct city *c, const struct fk_trace_index *ix, int64_t person,
                         int64_t via, int degree, int close, fk_time first, fk_time last,
                         size_t nexp, const struct fk_exposure *exp)
{
  struct row r = {person_of(c, ix, person),
                  via ? person_of(c, ix, via) : -1,
                  degree,
                  close,
                  first,
                  last,
                  (int)nexp,
                  malloc((nexp + 1) * sizeof *r.exp)};
  for (size_t i = 0; i < nexp; i++) {
    const char *pl = exp[i].place ? fk_trace_place_id(ix, exp[i].place) : NULL;
    r.exp[i] = (struct xp){pl ? find(c->place_name, c->place_by, c->nplaces, pl) : -1,
                           fk_trace_time(exp[i].start), fk_trace_time(exp[i].end),
                           exp[i].category == FK_CAT_CLOSE};
  }
  return r;
}

/* Traces case k into a fresh result, or (reused not NULL) into *reused, which holds the last
   such trace, on `threads` threads: all must give the brute force's answer. */
static void library_trace(const struct city *c, const struct fk_trace_index *ix, int k, fk_time now,
                          int depth, int threads, struct answer *ans,
                          struct fk_trace_result *reused)
{
  struct fk_trace_result fresh, *rp = reused ? reused : &fresh;
  struct fk_diag d;
  const char *name = c->person_name[c->cases[k].person];
  int64_t p = fk_trace_person(ix, name, strlen(name));
  memset(ans, 0, sizeof *ans);
  if (!reused) memset(&fresh, 0, sizeof fresh);
  if (threads > 1 ? fk_trace_case_threads(ix, p, now, depth, threads, rp, &d)
      : reused    ? fk_trace_case_reuse(ix, p, now, depth, rp, &d)
                  : fk_trace_case(ix, p, now, depth, rp, &d))
    fail_msg("trace %s: %s", name, d.reason);
  const struct fk_trace_result r = *rp;
  assert_int_equal(r.window_start, c->cases[k].w0);
  assert_int_equal(r.window_end, c->cases[k].w1);
  for (size_t i = 0; i < r.ncontacts; i++) {
    const struct fk_contact *x = &r.contacts[i];
    add_row(&ans->rows, &ans->nrows,
            row_of(c, ix, x->person, x->via, x->degree, x->category == FK_CAT_CLOSE,
                   fk_trace_time(x->first), fk_trace_time(x->last), x->nexp, x->exp));
  }
  for (size_t i = 0; i < r.nlinks; i++) {
    const struct fk_case_link *l = &r.links[i];
    assert_int_equal(l->from, p);
    struct row x = row_of(c, ix, l->to, 0, 1, 0, l->first, l->last, l->nexp, l->exp);
    for (int e = 0; e < x.nexp; e++)
      x.close |= x.exp[e].close;
    add_row(&ans->links, &ans->nlinks, x);
  }
  if (!reused) fk_trace_result_free(&fresh);
  sort(ans->rows, (size_t)ans->nrows, sizeof *ans->rows, row_order);
  sort(ans->links, (size_t)ans->nlinks, sizeof *ans->links, row_order);
}

/* ---- comparison ---------------------------------------------------------------------------- */

static void describe(const struct city *c, const struct row *r, char *buf, size_t n)
{
  char a[FK_TIME_BUFSZ], b[FK_TIME_BUFSZ];
  size_t at = (size_t)snprintf(
      buf, n, "%s degree %d via %s %s %s..%s %d exposures:", c->person_name[r->person], r->degree,
      r->via >= 0 ? c->person_name[r->via] : "-", r->close ? "close" : "general",
      fk_time_format(r->first, a), fk_time_format(r->last, b), r->nexp);
  for (int i = 0; i < r->nexp && at < n; i++)
    at += (size_t)snprintf(buf + at, n - at, " %s[%s..%s)",
                           r->exp[i].place >= 0 ? c->place_name[r->exp[i].place] : "household",
                           fk_time_format(r->exp[i].start, a), fk_time_format(r->exp[i].end, b));
}

static int same_row(const struct row *x, const struct row *y)
{
  if (x->person != y->person || x->via != y->via || x->degree != y->degree ||
      x->close != y->close || x->first != y->first || x->last != y->last || x->nexp != y->nexp)
    return 0;
  for (int i = 0; i < x->nexp; i++)
    if (xp_order(&x->exp[i], &y->exp[i]) || x->exp[i].close != y->exp[i].close) return 0;
  return 1;
}

static void compare(const struct city *c, const char *what, const struct row *lib, int nlib,
                    const struct row *brute, int nbrute, const char *case_name, int depth)
{
  char a[4096], b[4096];
  int i = 0, j = 0;
  while (i < nlib || j < nbrute) {
    int order = i == nlib ? 1 : j == nbrute ? -1 : row_order(&lib[i], &brute[j]);
    if (order == 0 && same_row(&lib[i], &brute[j])) {
      i++, j++;
      continue;
    }
    if (order <= 0) describe(c, &lib[i], a, sizeof a);
    if (order >= 0) describe(c, &brute[j], b, sizeof b);
    fail_msg("case %s depth %d, %s: library %s\nbrute force %s", case_name, depth, what,
             order <= 0 ? a : "(none)", order >= 0 ? b : "(none)");
  }
}

struct totals {
  long degree1, close1, degree2, links;
};

/* Every other case is traced into one result reused from case to case (fk_trace_case_reuse),
   every third one on 1, 2 or 3 threads in turn. */
static void trace_every_case(const struct city *c, const struct fk_trace_index *ix, fk_time now,
                             int depth, struct totals *t)
{
  struct fk_trace_result reused = {0};
  for (int k = 0; k < c->ncases; k++) {
    struct answer lib, brute;
    const char *name = c->person_name[c->cases[k].person];
    library_trace(c, ix, k, now, depth, 1 + k % 3, &lib, k % 2 ? &reused : NULL);
    brute_trace(c, k, now, depth, &brute);
    compare(c, "contacts", lib.rows, lib.nrows, brute.rows, brute.nrows, name, depth);
    compare(c, "links", lib.links, lib.nlinks, brute.links, brute.nlinks, name, depth);
    for (int i = 0; i < brute.nrows; i++) {
      t->degree1 += brute.rows[i].degree == 1;
      t->close1 += brute.rows[i].degree == 1 && brute.rows[i].close;
      t->degree2 += brute.rows[i].degree == 2;
    }
    t->links += brute.nlinks;
    free_answer(&lib);
    free_answer(&brute);
  }
  fk_trace_result_free(&reused);
}

/* ---- the generated city -------------------------------------------------------------------- */

struct importer {
  struct fk_store *st;
  int skip_checkins;
};

static void import_path(struct fk_store *st, const struct fk_feed *feed, const char *path)
{
  struct fk_import_stats s = {0};
  struct fk_diag d;
  fk_diag_clear(&d);
  if (fk_import_file(st, feed, path, NULL, &s, &d)) fail_msg("import %s: %s", path, d.reason);
  if (s.rejected) fail_msg("import %s: %ld rejected", path, s.rejected);
}

static int import_one(const struct fk_feed *feed, const char *path, void *arg)
{
  struct importer *im = arg;
  if (!(im->skip_checkins && feed->id == FK_FEED_CHECKINS)) import_path(im->st, feed, path);
  return 0;
}

/*
 * Writes check-in rows [from, to) of dir/checkins.csv (0 is the first row after the header)
 * as dir/name with the header; returns the rows written.
 */
static long checkins_part(const char *dir, const char *name, long from, long to)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/checkins.csv", dir);
  char *text = fk_test_read(path, NULL);
  if (!text) fail_msg("cannot read %s", path);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  long row = -1, n = 0;
  for (char *line = text, *next; *line; line = next, row++) {
    next = strchr(line, '\n');
    next = next ? next + 1 : line + strlen(line);
    if (row < 0 || (row >= from && row < to)) fwrite(line, 1, (size_t)(next - line), f);
    n += row >= from && row < to;
  }
  fclose(f);
  free(text);
  return n;
}

/*
 * Generates a city (days from 2022-07-01), imports it, indexes it; `now` is the day after.
 * incremental: the index is built when only the first 40,000 check-ins are stored, then
 * refreshed after 100,000 more (merged into the sorted arrays) and again after the rest (kept
 * pending), as check-ins arriving through the day would be.
 */
static void generated(const char *tag, double scale, int days, int outbreak, uint64_t seed,
                      int incremental, struct city *c, struct fk_store **st,
                      struct fk_trace_index **ix, struct fk_rules *rules, fk_time *now)
{
  struct fk_gen_opts o;
  struct fk_diag d;
  char dir[512], db[600], path[1024];
  fk_diag_clear(&d);
  fk_gen_opts_init(&o);
  o.scale = scale;
  o.days = days;
  o.outbreak = outbreak;
  o.seed = seed;
  snprintf(dir, sizeof dir, "%s", fk_test_dir(tag));
  if (fk_gen_city(&o, dir, NULL, &d)) fail_msg("gen: %s", d.reason);
  snprintf(db, sizeof db, "%s/city.db", dir);
  if (fk_store_open(db, st, &d)) fail_msg("store: %s", d.reason);
  struct importer im = {*st, incremental};
  assert_int_equal(fk_import_each(dir, import_one, &im), 0);
  assert_int_equal(fk_rules_default(rules), 0);
  read_city(c, dir);
  *now = day_start(o.start + days);
  if (!incremental) {
    if (fk_trace_index_build(*st, rules, ix, &d)) fail_msg("index: %s", d.reason);
    return;
  }
  static const long cut[] = {0, 40000, 140000, 1L << 40};
  const struct fk_feed *feed = fk_feed_get(FK_FEED_CHECKINS);
  long added, total = 0;
  struct fk_trace_index_stats is;
  assert_true(c->nstays > cut[2]);
  for (int part = 0; part < 3; part++) {
    char name[32];
    snprintf(name, sizeof name, "checkins_%d.csv", part);
    long n = checkins_part(dir, name, cut[part], cut[part + 1]);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    import_path(*st, feed, path);
    if (part == 0) {
      if (fk_trace_index_build(*st, rules, ix, &d)) fail_msg("index: %s", d.reason);
    } else {
      if (fk_trace_index_refresh(*ix, *st, &added, &d)) fail_msg("refresh: %s", d.reason);
      assert_int_equal(added, n);
      assert_int_equal((*ix)->pending.n, part == 1 ? 0 : (size_t)n); /* merged, then pending */
    }
    total += n;
    fk_trace_index_stats(*ix, &is);
    assert_int_equal(is.checkins, total);
  }
  assert_int_equal(total, c->nstays);
}

static int first_room(void *arg, const struct fk_room_row *row)
{
  *(int64_t *)arg = row->id;
  return 1;
}

/*
 * Puts about a third of the persons in a quarantine site (集中隔离) once, at a time spread over
 * [t0, t1), for one to three days or still there, and refreshes the index: close contacts
 * then stop propagating at different points of their degree-2 windows.
 */
static void quarantine_some(struct city *c, struct fk_store *st, struct fk_trace_index *ix,
                            fk_time t0, fk_time t1)
{
  struct fk_diag d;
  int64_t room = 0;
  fk_store_each_room(st, first_room, &room);
  assert_true(room > 0);
  c->iso_from = malloc((size_t)c->npersons * sizeof *c->iso_from);
  c->iso_to = malloc((size_t)c->npersons * sizeof *c->iso_to);
  assert_int_equal(fk_store_begin(st), 0);
  for (int p = 0; p < c->npersons; p++) {
    uint64_t h = (uint64_t)(p + 1) * UINT64_C(0x9E3779B97F4A7C15);
    c->iso_from[p] = c->iso_to[p] = FK_TIME_NONE;
    if ((h >> 60) % 3) continue;
    c->iso_from[p] = t0 + (fk_time)((h >> 20) % (uint64_t)(t1 - t0));
    if ((h >> 8) % 4) c->iso_to[p] = c->iso_from[p] + 86400 * (fk_time)(1 + (h >> 12) % 3);
    const char *name = c->person_name[p];
    struct fk_stay_row row = {.person = fk_trace_person(ix, name, strlen(name)),
                              .room = room,
                              .from = c->iso_from[p],
                              .to = c->iso_to[p],
                              .reason = "close contact (密接)",
                              .end_reason = c->iso_to[p] == FK_TIME_NONE ? NULL : "released"};
    if (fk_store_put_stays(st, &row, 1, &d)) fail_msg("stay: %s", d.reason);
  }
  assert_int_equal(fk_store_commit(st), 0);
  if (fk_trace_index_refresh(ix, st, NULL, &d)) fail_msg("refresh: %s", d.reason);
}

/* Holds fk__trace_place_of (a search between the index's notes of every FK__PLACE_STEP-th
   stay's place) to the place found by walking the CSR groups, for every stay. */
static void place_of_matches_a_walk(const struct fk_trace_index *ix)
{
  uint32_t p = 0;
  assert_true(ix->nstays > 4 * FK__PLACE_STEP); /* several notes, or it proves little */
  for (uint32_t i = 0; i < ix->nstays; i++) {
    while (ix->place_off[p + 1] <= i) /* empty places passed over */
      p++;
    if (fk__trace_place_of(ix, i) != p)
      fail_msg("stay %u: place_of %u, walk %u", i, fk__trace_place_of(ix, i), p);
  }
}

static void every_case_matches_the_brute_force_at_depth1_built_or_refreshed(void **state)
{
  struct city c;
  struct fk_store *st;
  struct fk_trace_index *ix;
  struct fk_rules rules;
  struct totals t = {0};
  fk_time now;
  (void)state;
  generated("brute1", 0.002, 5, 3, 20221129, 1, &c, &st, &ix, &rules, &now);
  place_of_matches_a_walk(ix);
  trace_every_case(&c, ix, now, 1, &t);
  /* The same store indexed in one build. */
  struct fk_diag d;
  struct totals again = {0};
  fk_trace_index_free(ix);
  if (fk_trace_index_build(st, &rules, &ix, &d)) fail_msg("index: %s", d.reason);
  place_of_matches_a_walk(ix);
  trace_every_case(&c, ix, now, 1, &again);
  assert_int_equal(again.degree1, t.degree1);
  /* The comparison means something only if the city gives contacts of every kind. */
  print_message("%d cases, %d stays: %ld contacts (%ld close), %ld links\n", c.ncases, c.nstays,
                t.degree1, t.close1, t.links);
  assert_true(c.ncases >= 3);
  assert_true(t.close1 > 0);
  assert_true(t.degree1 > t.close1);
  assert_true(t.links > 0);
  assert_int_equal(t.degree2, 0);
  fk_trace_index_free(ix);
  fk_store_close(st);
  free_city(&c);
}

/* Depth 2 on a smaller city: the brute force there is quadratic in a close contact's places. */
static void every_case_matches_the_brute_force_at_depth2(void **state)
{
  struct city c;
  struct fk_store *st;
  struct fk_trace_index *ix;
  struct fk_rules rules;
  struct totals t = {0};
  fk_time now;
  (void)state;
  generated("brute2", DEPTH2_SCALE, DEPTH2_DAYS, 3, 7, 0, &c, &st, &ix, &rules, &now);
  trace_every_case(&c, ix, now, 2, &t);
  /* The same with the inner loop in plain C (the processor may have AVX-512: trace/meet.c). */
  struct totals plain = {0};
  fk__meet_simd = 0;
  trace_every_case(&c, ix, now, 2, &plain);
  fk__meet_simd = -1;
  assert_int_equal(plain.degree2, t.degree2);
  /* The same with busy places never copied, and every place copied at once (trace/hot.h). */
  for (int copies = 0; copies <= 2; copies += 2) {
    struct totals other = {0};
    fk__hot_copies = copies;
    trace_every_case(&c, ix, now, 2, &other);
    fk__hot_copies = 1;
    assert_int_equal(other.degree2, t.degree2);
  }
  /* Again with close contacts isolated in a quarantine site along the way. */
  struct totals iso = {0};
  quarantine_some(&c, st, ix, now - 86400 * DEPTH2_DAYS, now);
  trace_every_case(&c, ix, now, 2, &iso);
  print_message("with a third of the persons isolated along the way: %ld secondary\n", iso.degree2);
  assert_true(iso.degree2 > 0 && iso.degree2 < t.degree2);
  print_message("%d cases, %d stays: %ld contacts (%ld close), %ld links, %ld secondary\n",
                c.ncases, c.nstays, t.degree1, t.close1, t.links, t.degree2);
  assert_true(c.ncases >= 3);
  assert_true(t.close1 > 0);
  assert_true(t.degree2 > 0);
  fk_trace_index_free(ix);
  fk_store_close(st);
  free_city(&c);
}

/* Is r in the order of a result: degree-1 contacts by person, then degree-2 by (via, person)? */
static void assert_in_order(const struct fk_trace_result *r)
{
  for (size_t i = 1; i < r->ncontacts; i++) {
    const struct fk_contact *x = &r->contacts[i - 1], *y = &r->contacts[i];
    assert_true(x->degree < y->degree ||
                (x->degree == y->degree &&
                 (x->via < y->via || (x->via == y->via && x->person < y->person))));
  }
}

/* The answer does not depend on the number of threads: every case of a city larger than the
   brute force's, at depth 2, traced on 1 to FK_TRACE_MAX_THREADS threads, into results fresh
   and reused, gives the same contacts, exposures and links in the same order. */
static void any_number_of_threads_gives_the_same_answer(void **state)
{
  struct city c;
  struct fk_store *st;
  struct fk_trace_index *ix;
  struct fk_rules rules;
  struct fk_trace_result one = {0}, many = {0};
  struct fk_diag d;
  fk_time now;
  long secondary = 0;
  (void)state;
  generated("threads", 0.002, 4, 3, 11, 0, &c, &st, &ix, &rules, &now);
  for (int k = 0; k < c.ncases; k++) {
    const char *name = c.person_name[c.cases[k].person];
    int64_t p = fk_trace_person(ix, name, strlen(name));
    if (fk_trace_case(ix, p, now, 2, &one, &d)) fail_msg("trace %s: %s", name, d.reason);
    assert_in_order(&one);
    for (size_t i = 0; i < one.ncontacts; i++)
      secondary += one.contacts[i].degree == 2;
    for (int t = 2; t <= FK_TRACE_MAX_THREADS; t++) {
      if (fk_trace_case_threads(ix, p, now, 2, t, &many, &d))
        fail_msg("trace %s on %d threads: %s", name, t, d.reason);
      assert_same_result(&one, &many);
    }
    fk_trace_result_free(&one);
  }
  print_message("%d cases: %ld secondary contacts\n", c.ncases, secondary);
  assert_true(secondary > 1000);
  /* a number of threads out of range is refused, the result left as it was */
  int64_t p = fk_trace_person(ix, c.person_name[c.cases[0].person],
                              strlen(c.person_name[c.cases[0].person]));
  size_t n = many.ncontacts;
  assert_int_equal(fk_trace_case_threads(ix, p, now, 2, 0, &many, &d), FK_EINVAL);
  assert_int_equal(fk_trace_case_threads(ix, p, now, 2, FK_TRACE_MAX_THREADS + 1, &many, &d),
                   FK_EINVAL);
  assert_int_equal(many.ncontacts, n);
  fk_trace_result_free(&many);
  fk_trace_index_free(ix);
  fk_store_close(st);
  free_city(&c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_case_matches_the_brute_force_at_depth1_built_or_refreshed),
      cmocka_unit_test(every_case_matches_the_brute_force_at_depth2),
      cmocka_unit_test(any_number_of_threads_gives_the_same_answer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
