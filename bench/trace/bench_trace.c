/*
 * bench_trace: the trace index against SQLite answering the same question, on one store.
 *
 * Builds the trace index of a store (timed), traces N index cases chosen from the store's cases
 * with a seeded shuffle, at depth 1 and at `--depth` (each case timed, every pass repeated), then
 * answers the same question in SQL through SQLite's C API in this process, on a copy of the store
 * (never the store itself) given covering indexes on checkins(place, checkin_at, ...) and
 * checkins(person, checkin_at, ...) plus a per-place table of category, dwell, minimum overlap and
 * longest stay (the same facts the index keeps). Both answers must agree contact for contact
 * (person, degree, category, via, first, last, exposures) and link for link, or the program
 * exits 1 naming the first difference.
 *
 * It also says where our time goes: a replica of the tracer's index walk that only counts the
 * stays it touches (scanning) against the whole trace (the rest is collecting, sorting and
 * grouping the hits into contacts), and how far the scan is from memory bandwidth (bytes of
 * stays touched per trace against a memcpy measured here).
 *
 * The question's time is an argument (--now); the clock is read only to time things. Uses the
 * index's internal layout (src/trace/index.h) for the walk replica: a bench, not a user.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/rng.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/time.h"
#include "fangkong/trace.h"
#include "trace/index.h"

#define MAX_REPEAT 64
#define MAX_THREADS 16

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the process, seconds: on a shared machine, what the work cost apart from waiting
   for a core. */
static double cpu_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the calling thread, seconds. */
static double thread_cpu_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Median of n values (reorders v). */
static double median(double *v, size_t n)
{
  if (!n) return 0;
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double worst(const double *v, size_t n)
{
  double w = 0;
  for (size_t i = 0; i < n; i++)
    if (v[i] > w) w = v[i];
  return w;
}

static double sum(const double *v, size_t n)
{
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += v[i];
  return s;
}

static long max_rss_mb(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

static void die(const char *fmt, const char *what)
{
  fprintf(stderr, "bench_trace: ");
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\n");
  exit(1);
}

/* ---- options ------------------------------------------------------------------------------ */

struct opts {
  const char *db, *sql_db, *now_text, *rules;
  fk_time now;
  int ncases, depth, repeat, sql_repeat, keep_sql, no_sql, at_report, threads, case_threads;
  uint64_t seed;
};

static const char usage[] =
    "usage: bench_trace --db STORE --sql-db COPY --now T [--cases N] [--seed S] [--depth 1|2]\n"
    "                   [--repeat R] [--sql-repeat R] [--keep-sql] [--no-sql] [--at-report]\n"
    "                   [--threads T] [--case-threads T] [--rules FILE]\n"
    "  --db STORE      the store to trace (read only)\n"
    "  --sql-db COPY   where the store is copied for SQLite's indexes (replaced)\n"
    "  --now T         the time of the question, ISO 8601 with offset\n"
    "  --cases N       index cases, chosen from the store's cases by a seeded shuffle (100)\n"
    "  --seed S        the shuffle's seed (1)\n"
    "  --depth 1|2     depth compared against SQL (2)\n"
    "  --repeat R      passes over the cases for our timings; medians are reported (5)\n"
    "  --sql-repeat R  passes for SQL (1)\n"
    "  --keep-sql      reuse COPY when it already has the bench's indexes\n"
    "  --no-sql        our side only (profiling); --sql-db is then not needed\n"
    "  --at-report     ask each case's question at its report time (isolated_at, else\n"
    "                  sampled_at: the hour after a positive result) instead of --now\n"
    "  --threads T     also trace the cases at --depth on T threads, each case once a pass,\n"
    "                  and report the passes' wall and CPU times (2; 1: not)\n"
    "  --case-threads T  also trace the cases at --depth one after another, each shared\n"
    "                  between T threads (fk_trace_case_threads), and report their latencies\n"
    "                  (1, the default: not)\n";

static void parse_args(int argc, char **argv, struct opts *o)
{
  *o = (struct opts){.ncases = 100,
                     .depth = 2,
                     .repeat = 5,
                     .sql_repeat = 1,
                     .seed = 1,
                     .threads = 2,
                     .case_threads = 1};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--keep-sql") || !strcmp(a, "--no-sql") || !strcmp(a, "--at-report")) {
      *(a[2] == 'k' ? &o->keep_sql : a[2] == 'n' ? &o->no_sql : &o->at_report) = 1;
      continue;
    }
    if (!v) die("%s", usage);
    if (!strcmp(a, "--db"))
      o->db = v;
    else if (!strcmp(a, "--sql-db"))
      o->sql_db = v;
    else if (!strcmp(a, "--now"))
      o->now_text = v;
    else if (!strcmp(a, "--rules"))
      o->rules = v;
    else if (!strcmp(a, "--cases"))
      o->ncases = atoi(v);
    else if (!strcmp(a, "--seed"))
      o->seed = strtoull(v, NULL, 10);
    else if (!strcmp(a, "--depth"))
      o->depth = atoi(v);
    else if (!strcmp(a, "--repeat"))
      o->repeat = atoi(v);
    else if (!strcmp(a, "--sql-repeat"))
      o->sql_repeat = atoi(v);
    else if (!strcmp(a, "--threads"))
      o->threads = atoi(v);
    else if (!strcmp(a, "--case-threads"))
      o->case_threads = atoi(v);
    else
      die("%s", usage);
    i++;
  }
  if (!o->db || (!o->sql_db && !o->no_sql) || (!o->now_text && !o->at_report) || o->ncases < 1 ||
      o->depth < 1 || o->depth > 2 || o->repeat < 1 || o->repeat > MAX_REPEAT ||
      o->sql_repeat < 1 || o->sql_repeat > MAX_REPEAT || o->threads < 1 ||
      o->threads > MAX_THREADS || o->case_threads < 1 || o->case_threads > FK_TRACE_MAX_THREADS)
    die("%s", usage);
  if (o->now_text && fk_time_parse(o->now_text, strlen(o->now_text), &o->now, NULL))
    die("--now: not an ISO 8601 instant with offset: %s", o->now_text);
}

/* ---- choosing the cases ------------------------------------------------------------------- */

struct persons {
  int64_t *v;
  size_t n, cap;
};

static void collect(void *arg, int64_t person)
{
  struct persons *p = arg;
  if (p->n == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 256;
    if (!(p->v = realloc(p->v, p->cap * sizeof *p->v))) die("%s", "out of memory");
  }
  p->v[p->n++] = person;
}

/* The first n of a seeded Fisher-Yates shuffle of the store's cases (in the store's order). */
static int64_t *choose_cases(const struct fk_trace_index *ix, const struct opts *o)
{
  struct persons all = {0};
  uint64_t s = o->seed;
  char msg[160];
  fk_trace_each_case(ix, collect, &all);
  if (all.n < (size_t)o->ncases) {
    snprintf(msg, sizeof msg, "%zu cases, %d asked for", all.n, o->ncases);
    die("the store has too few cases (%s): generate with a larger --outbreak", msg);
  }
  for (size_t i = all.n - 1; i > 0; i--) {
    size_t j = (size_t)(fk__splitmix64(&s) % (i + 1));
    int64_t t = all.v[i];
    all.v[i] = all.v[j];
    all.v[j] = t;
  }
  return all.v;
}

/* When the case was reported: its isolation (hours after sampling, on the positive result), or
   its sampling when it has no isolation time. */
static fk_time report_time(const struct fk_trace_index *ix, int64_t person)
{
  const struct fk_case_row *k = &FK__VEC_AT(&ix->cases, struct fk_case_row, ix->case_of[person]);
  return k->has_isolated ? k->isolated : k->sampled;
}

/* Best-of-five memcpy bandwidth over two 256 MiB buffers, bytes a second (read + write). */
static double memcpy_bandwidth(void)
{
  size_t n = (size_t)256 << 20;
  char *a = malloc(n), *b = malloc(n);
  double best = 0;
  if (!a || !b) die("%s", "out of memory");
  memset(a, 1, n);
  memset(b, 2, n);
  for (int r = 0; r < 5; r++) {
    double t0 = now_s();
    memcpy(r % 2 ? a : b, r % 2 ? b : a, n);
    double bw = 2.0 * (double)n / (now_s() - t0);
    if (bw > best) best = bw;
  }
  if (a[n / 2] + b[n / 3] == 7) puts(""); /* keep the copies */
  free(a);
  free(b);
  return best;
}

/* ---- SQL ---------------------------------------------------------------------------------- */

/* The bench's own indexes and per-place facts, created on the copy. */
static const char sql_indexes[] =
    "CREATE INDEX bench_checkins_place ON checkins(place, checkin_at, checkout_at, person);"
    "CREATE INDEX bench_checkins_person ON checkins(person, checkin_at, checkout_at, place);";

static const char sql_places[] =
    "CREATE TABLE bench_place(place INTEGER PRIMARY KEY, category INTEGER NOT NULL,"
    "  dwell INTEGER NOT NULL, min_overlap INTEGER NOT NULL, maxdur INTEGER NOT NULL);"
    "INSERT INTO bench_place"
    "  SELECT p.id, k.category, k.dwell, k.min_overlap,"
    "    COALESCE((SELECT max(COALESCE(c.checkout_at, c.checkin_at + k.dwell) - c.checkin_at)"
    "              FROM checkins c WHERE c.place = p.id), 0)"
    "  FROM places p JOIN temp.bench_kind k ON k.kind = p.kind;";

/* The case's window: ?1 person, ?2 window days, ?3 now. */
static const char sql_window[] =
    "SELECT CAST(strftime('%s', COALESCE(CASE WHEN kind <> 'asymptomatic' THEN onset_date END,"
    "                                    date(sampled_at + 28800, 'unixepoch')),"
    "                    printf('-%d days', ?2)) AS INTEGER) - 28800,"
    "       COALESCE(isolated_at, ?3)"
    "  FROM cases WHERE person = ?1";

/* Degree 1 into temp.d1: ?1 case, ?2 window start, ?3 window end. */
static const char sql_degree1[] =
    "INSERT INTO temp.d1 "
    "WITH cs AS ("
    "  SELECT c.place AS place, max(c.checkin_at, ?2) AS x,"
    "         min(COALESCE(c.checkout_at, c.checkin_at + bp.dwell), ?3) AS y,"
    "         bp.category AS cat, bp.dwell AS dwell, bp.min_overlap AS mo, bp.maxdur AS md"
    "    FROM checkins c JOIN bench_place bp ON bp.place = c.place"
    "   WHERE c.person = ?1 AND c.checkin_at < ?3),"
    " hits AS ("
    "  SELECT o.person AS person, max(o.checkin_at, cs.x) AS a,"
    "         min(COALESCE(o.checkout_at, o.checkin_at + cs.dwell), cs.y) AS b,"
    "         cs.cat AS cat, cs.mo AS mo"
    "    FROM cs JOIN checkins o"
    "      ON o.place = cs.place AND o.checkin_at >= cs.x - cs.md AND o.checkin_at < cs.y"
    "   WHERE cs.x < cs.y AND o.person <> ?1"
    "  UNION ALL"
    "  SELECT m.id, ?2, ?3, 1, -1"
    "    FROM persons me JOIN persons m ON m.household_id = me.household_id"
    "   WHERE me.id = ?1 AND m.id <> ?1 AND ?2 < ?3)"
    "SELECT person, min(a), max(b), count(*), max(cat),"
    "       EXISTS (SELECT 1 FROM cases k WHERE k.person = hits.person)"
    "  FROM hits WHERE b - a > mo GROUP BY person";

/* Degree 2 through the close degree-1 contacts in temp.d1, each until it entered a quarantine
   site (stays) or now: ?1 case, ?2 now. */
static const char sql_degree2[] =
    "WITH v AS (SELECT * FROM ("
    "   SELECT person AS via, first AS ws,"
    "          min(?2, COALESCE((SELECT min(max(s.from_at, d.first)) FROM stays s"
    "                            WHERE s.person = d.person"
    "                              AND (s.to_at IS NULL OR s.to_at > d.first)), ?2)) AS we"
    "     FROM temp.d1 d WHERE cat = 1 AND is_case = 0) WHERE ws < we),"
    " vs AS ("
    "  SELECT v.via AS via, c.place AS place, max(c.checkin_at, v.ws) AS x,"
    "         min(COALESCE(c.checkout_at, c.checkin_at + bp.dwell), v.we) AS y,"
    "         bp.dwell AS dwell, bp.min_overlap AS mo, bp.maxdur AS md"
    "    FROM v JOIN checkins c ON c.person = v.via AND c.checkin_at < v.we"
    "    JOIN bench_place bp ON bp.place = c.place AND bp.category = 1),"
    " hits AS ("
    "  SELECT o.person AS person, vs.via AS via, max(o.checkin_at, vs.x) AS a,"
    "         min(COALESCE(o.checkout_at, o.checkin_at + vs.dwell), vs.y) AS b, vs.mo AS mo"
    "    FROM vs JOIN checkins o"
    "      ON o.place = vs.place AND o.checkin_at >= vs.x - vs.md AND o.checkin_at < vs.y"
    "   WHERE vs.x < vs.y AND o.person <> vs.via"
    "  UNION ALL"
    "  SELECT m.id, v.via, v.ws, v.we, -1"
    "    FROM v JOIN persons me ON me.id = v.via"
    "    JOIN persons m ON m.household_id = me.household_id AND m.id <> v.via)"
    "SELECT person, via, min(a), max(b), count(*) FROM hits"
    " WHERE b - a > mo AND person <> ?1"
    "   AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person = hits.person)"
    "   AND NOT EXISTS (SELECT 1 FROM temp.d1 d WHERE d.person = hits.person AND d.is_case = 0)"
    " GROUP BY via, person ORDER BY via, person";

static const char sql_d1_rows[] =
    "SELECT person, first, last, n, cat, is_case FROM temp.d1 ORDER BY person";

/* One row of an answer, ours or SQL's, in a form both give. */
struct row {
  int64_t person, via; /* via: 0 at degree 1; -1 for a case link */
  int degree, category;
  int64_t first, last, n;
};

struct answer {
  struct row *v;
  size_t n, cap;
  int64_t person, window_start, window_end;
};

static void answer_add(struct answer *a, struct row r)
{
  if (a->n == a->cap) {
    a->cap = a->cap ? 2 * a->cap : 64;
    if (!(a->v = realloc(a->v, a->cap * sizeof *a->v))) die("%s", "out of memory");
  }
  a->v[a->n++] = r;
}

struct sql {
  sqlite3 *db;
  sqlite3_stmt *window, *degree1, *degree2, *d1_rows, *d1_clear;
};

static void sql_check(struct sql *s, int rc, const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "bench_trace: SQL %s: %s\n", what, sqlite3_errmsg(s->db));
    exit(1);
  }
}

static void sql_exec(struct sql *s, const char *text, const char *what)
{
  sql_check(s, sqlite3_exec(s->db, text, NULL, NULL, NULL), what);
}

/* Copies the file at from (and its -wal, if any) to to, replacing it. */
static void copy_store(const char *from, const char *to)
{
  static char buf[1 << 20];
  const char *sfx[] = {"", "-wal"};
  for (int k = 0; k < 2; k++) {
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s%s", from, sfx[k]);
    snprintf(b, sizeof b, "%s%s", to, sfx[k]);
    remove(b);
    FILE *in = fopen(a, "rb"), *out;
    if (!in) {
      if (k) continue;
      die("cannot read %s", a);
    }
    if (!(out = fopen(b, "wb"))) die("cannot write %s", b);
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
      if (fwrite(buf, 1, n, out) != n) die("writing %s", b);
    if (ferror(in) || fclose(out)) die("copying to %s", b);
    fclose(in);
  }
  char shm[4096];
  snprintf(shm, sizeof shm, "%s-shm", to);
  remove(shm);
}

/* Opens (copying when needed) the SQL side and creates its indexes; times both. */
static void sql_open(struct sql *s, const struct opts *o, const struct fk_rules *rules,
                     double *t_copy, double *t_index, double *t_places)
{
  double t0 = now_s();
  sqlite3_stmt *q;
  int have = 0;
  *t_copy = *t_index = *t_places = 0;
  if (o->keep_sql && sqlite3_open_v2(o->sql_db, &s->db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(s->db, "SELECT count(*) FROM bench_place", -1, &q, NULL) == SQLITE_OK) {
    have = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) > 0;
    sqlite3_finalize(q);
  }
  if (!have) {
    sqlite3_close(s->db);
    copy_store(o->db, o->sql_db);
    *t_copy = now_s() - t0;
    if (sqlite3_open_v2(o->sql_db, &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
      die("cannot open %s", o->sql_db);
  }
  sql_exec(s, "PRAGMA cache_size=-1048576; PRAGMA threads=2; PRAGMA temp_store=MEMORY;", "pragmas");
  sql_exec(s,
           "CREATE TEMP TABLE bench_kind(kind TEXT PRIMARY KEY, category INTEGER,"
           " dwell INTEGER, min_overlap INTEGER);"
           "CREATE TEMP TABLE d1(person INTEGER PRIMARY KEY, first INTEGER, last INTEGER,"
           " n INTEGER, cat INTEGER, is_case INTEGER);",
           "temp tables");
  sql_check(s,
            sqlite3_prepare_v2(s->db, "INSERT INTO temp.bench_kind VALUES(?,?,?,?)", -1, &q, NULL),
            "kinds");
  for (int k = 0; fk_place_kinds[k]; k++) {
    const struct fk_kind_rules *kr = &rules->trace.kinds[k];
    sqlite3_bind_text(q, 1, fk_place_kinds[k], -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, kr->category == FK_CAT_CLOSE);
    sqlite3_bind_int64(q, 3, kr->dwell);
    sqlite3_bind_int64(q, 4, kr->min_overlap);
    sql_check(s, sqlite3_step(q), "kinds");
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  if (!have) {
    t0 = now_s();
    sql_exec(s, sql_indexes, "creating indexes");
    *t_index = now_s() - t0;
    t0 = now_s();
    sql_exec(s, sql_places, "per-place table");
    sql_exec(s, "ANALYZE", "analyze");
    *t_places = now_s() - t0;
  }
  sql_check(s, sqlite3_prepare_v2(s->db, sql_window, -1, &s->window, NULL), "window");
  sql_check(s, sqlite3_prepare_v2(s->db, sql_degree1, -1, &s->degree1, NULL), "degree 1");
  sql_check(s, sqlite3_prepare_v2(s->db, sql_degree2, -1, &s->degree2, NULL), "degree 2");
  sql_check(s, sqlite3_prepare_v2(s->db, sql_d1_rows, -1, &s->d1_rows, NULL), "degree 1 rows");
  sql_check(s, sqlite3_prepare_v2(s->db, "DELETE FROM temp.d1", -1, &s->d1_clear, NULL), "clear");
}

static void sql_close(struct sql *s)
{
  sqlite3_finalize(s->window);
  sqlite3_finalize(s->degree1);
  sqlite3_finalize(s->degree2);
  sqlite3_finalize(s->d1_rows);
  sqlite3_finalize(s->d1_clear);
  sqlite3_close(s->db);
}

/* Answers one case in SQL: degree-1 contacts and links by person, then degree 2 by person, via. */
static void sql_trace(struct sql *s, int64_t person, fk_time now, const struct opts *o,
                      int window_days, struct answer *a)
{
  a->n = 0;
  sqlite3_bind_int64(s->window, 1, person);
  sqlite3_bind_int(s->window, 2, window_days);
  sqlite3_bind_int64(s->window, 3, now);
  if (sqlite3_step(s->window) != SQLITE_ROW) die("%s", "a chosen case has no row in cases");
  a->window_start = sqlite3_column_int64(s->window, 0);
  a->window_end = sqlite3_column_int64(s->window, 1);
  sqlite3_reset(s->window);

  sql_check(s, sqlite3_step(s->d1_clear), "clear");
  sqlite3_reset(s->d1_clear);
  sqlite3_bind_int64(s->degree1, 1, person);
  sqlite3_bind_int64(s->degree1, 2, a->window_start);
  sqlite3_bind_int64(s->degree1, 3, a->window_end);
  sql_check(s, sqlite3_step(s->degree1), "degree 1");
  sqlite3_reset(s->degree1);
  while (sqlite3_step(s->d1_rows) == SQLITE_ROW) {
    int is_case = sqlite3_column_int(s->d1_rows, 5);
    struct row r = {sqlite3_column_int64(s->d1_rows, 0),
                    is_case ? -1 : 0,
                    1,
                    sqlite3_column_int(s->d1_rows, 4),
                    sqlite3_column_int64(s->d1_rows, 1),
                    sqlite3_column_int64(s->d1_rows, 2),
                    sqlite3_column_int64(s->d1_rows, 3)};
    answer_add(a, r);
  }
  sqlite3_reset(s->d1_rows);
  if (o->depth < 2) return;
  sqlite3_bind_int64(s->degree2, 1, person);
  sqlite3_bind_int64(s->degree2, 2, now);
  int rc;
  while ((rc = sqlite3_step(s->degree2)) == SQLITE_ROW) {
    struct row r = {sqlite3_column_int64(s->degree2, 0),
                    sqlite3_column_int64(s->degree2, 1),
                    2,
                    1,
                    sqlite3_column_int64(s->degree2, 2),
                    sqlite3_column_int64(s->degree2, 3),
                    sqlite3_column_int64(s->degree2, 4)};
    answer_add(a, r);
  }
  sql_check(s, rc, "degree 2");
  sqlite3_reset(s->degree2);
}

/* Our result in the same rows: degree-1 contacts and links merged by person, then degree 2. */
static void our_answer(const struct fk_trace_result *r, struct answer *a)
{
  size_t i = 0, k = 0;
  a->n = 0;
  a->person = r->index_person;
  a->window_start = r->window_start;
  a->window_end = r->window_end;
  for (;;) {
    int take_link;
    int c1 = i < r->ncontacts && r->contacts[i].degree == 1;
    if (!c1 && k >= r->nlinks) break;
    take_link = k < r->nlinks && (!c1 || r->links[k].to < r->contacts[i].person);
    if (take_link) {
      const struct fk_case_link *l = &r->links[k++];
      int cat = FK_CAT_GENERAL;
      for (size_t e = 0; e < l->nexp; e++)
        if (l->exp[e].category == FK_CAT_CLOSE) cat = FK_CAT_CLOSE;
      answer_add(a, (struct row){l->to, -1, 1, cat, l->first, l->last, (int64_t)l->nexp});
    } else {
      const struct fk_contact *c = &r->contacts[i++];
      answer_add(a,
                 (struct row){c->person, 0, 1, c->category == FK_CAT_CLOSE, fk_trace_time(c->first),
                              fk_trace_time(c->last), (int64_t)c->nexp});
    }
  }
  for (; i < r->ncontacts; i++) {
    const struct fk_contact *c = &r->contacts[i];
    answer_add(a, (struct row){c->person, c->via, c->degree, c->category == FK_CAT_CLOSE,
                               fk_trace_time(c->first), fk_trace_time(c->last), (int64_t)c->nexp});
  }
}

static void print_row(const char *who, const struct row *r)
{
  fprintf(stderr,
          "  %s: person %lld degree %d category %d via %lld first %lld last %lld exposures %lld\n",
          who, (long long)r->person, r->degree, r->category, (long long)r->via, (long long)r->first,
          (long long)r->last, (long long)r->n);
}

static int same(const struct row *a, const struct row *b)
{
  return a->person == b->person && a->via == b->via && a->degree == b->degree &&
         a->category == b->category && a->first == b->first && a->last == b->last && a->n == b->n;
}

/* Returns 0 when both answers are the same, else prints the first difference and returns 1. */
static int compare(const struct fk_trace_index *ix, int64_t person, const struct answer *ours,
                   const struct answer *sql)
{
  const char *name = fk_trace_person_id(ix, person);
  if (ours->window_start != sql->window_start || ours->window_end != sql->window_end) {
    fprintf(stderr, "case %s: window [%lld, %lld) here, [%lld, %lld) in SQL\n", name,
            (long long)ours->window_start, (long long)ours->window_end,
            (long long)sql->window_start, (long long)sql->window_end);
    return 1;
  }
  for (size_t i = 0; i < ours->n || i < sql->n; i++) {
    if (i < ours->n && i < sql->n && same(&ours->v[i], &sql->v[i])) continue;
    fprintf(stderr, "case %s: row %zu differs (%zu rows here, %zu in SQL)\n", name, i, ours->n,
            sql->n);
    if (i < ours->n) print_row("ours", &ours->v[i]);
    if (i < sql->n) print_row("SQL ", &sql->v[i]);
    return 1;
  }
  return 0;
}

/* FNV-1a over the n 32-bit words of w (a word at a time), continuing from h. */
static uint64_t fnv(uint64_t h, const uint32_t *w, size_t n)
{
  for (size_t i = 0; i < n; i++)
    h = (h ^ w[i]) * UINT64_C(1099511628211);
  return h;
}

/* A digest of everything a result says, in its order: each contact's fields and exposures, each
   link's. Equal digests of two builds' results mean the same answer, byte for byte in any
   output made from it. */
static uint64_t digest(const struct fk_trace_result *r)
{
  uint64_t h = UINT64_C(14695981039346656037);
  for (size_t i = 0; i < r->ncontacts; i++) {
    const struct fk_contact *c = &r->contacts[i];
    uint32_t f[7] = {c->person, c->via, c->first, c->last, c->nexp, c->degree, c->category};
    h = fnv(h, f, 7);
    for (uint32_t e = 0; e < c->nexp; e++) {
      uint32_t x[4] = {c->exp[e].place, c->exp[e].start, c->exp[e].end, c->exp[e].category};
      h = fnv(h, x, 4);
    }
  }
  for (size_t i = 0; i < r->nlinks; i++) {
    const struct fk_case_link *l = &r->links[i];
    uint32_t f[5] = {(uint32_t)l->from, (uint32_t)l->to, (uint32_t)(l->first - FK_TRACE_EPOCH),
                     (uint32_t)(l->last - FK_TRACE_EPOCH), (uint32_t)l->nexp};
    h = fnv(h, f, 5);
    for (size_t e = 0; e < l->nexp; e++) {
      uint32_t x[4] = {l->exp[e].place, l->exp[e].start, l->exp[e].end, l->exp[e].category};
      h = fnv(h, x, 4);
    }
  }
  return h;
}

/* ---- our tracer --------------------------------------------------------------------------- */

/* Traces every case (case c as of now[c]) `repeat` times at depth, each on `threads` threads
   (fk_trace_case_threads); lat[c] and clat[c] get the medians of case c's wall and CPU times
   (the process's CPU time, in fk_trace_case), *cpu the
   median of the passes' CPU totals. Keeps the last pass's answers in ans (when not NULL),
   compactly: a depth-2 result holds hundreds of thousands of contacts, and their digests in
   dig. Returns the median of the passes' wall totals (time in fk_trace_case only). */
static double trace_all(const struct fk_trace_index *ix, const int64_t *cases, int n,
                        const fk_time *now, int depth, int threads, int repeat, double *lat,
                        double *clat, double *cpu, struct answer *ans, uint64_t *dig)
{
  double *t = malloc((size_t)n * repeat * sizeof *t), pass[MAX_REPEAT], cpus[MAX_REPEAT];
  double *ct = malloc((size_t)n * repeat * sizeof *ct);
  struct fk_trace_result one = {0}; /* traced into case after case, as `fangkong trace` does */
  struct fk_diag diag;
  char msg[1024];
  if (!t || !ct) die("%s", "out of memory");
  for (int r = 0; r < repeat; r++) {
    pass[r] = cpus[r] = 0;
    for (int c = 0; c < n; c++) {
      double t0 = now_s(), c0 = cpu_s();
      if (fk_trace_case_threads(ix, cases[c], now[c], depth, threads, &one, &diag))
        die("fk_trace_case: %s", fk_diag_format(&diag, msg, sizeof msg));
      t[(size_t)c * repeat + r] = now_s() - t0;
      ct[(size_t)c * repeat + r] = cpu_s() - c0;
      pass[r] += t[(size_t)c * repeat + r];
      cpus[r] += ct[(size_t)c * repeat + r];
      if (ans && r == repeat - 1) our_answer(&one, &ans[c]);
      if (r == repeat - 1) dig[c] = digest(&one);
    }
  }
  fk_trace_result_free(&one);
  for (int c = 0; c < n; c++) {
    lat[c] = median(t + (size_t)c * repeat, (size_t)repeat);
    clat[c] = median(ct + (size_t)c * repeat, (size_t)repeat);
  }
  free(t);
  free(ct);
  *cpu = median(cpus, (size_t)repeat);
  return median(pass, (size_t)repeat);
}

/* One thread of a parallel pass: traces the cases it takes (next) into its own result, as
   `fangkong trace` traces into one. */
struct worker {
  const struct fk_trace_index *ix;
  const int64_t *cases;
  const fk_time *now;
  int n, depth;
  atomic_int *next;
  uint64_t *dig;            /* each case's digest(), in the pass that takes them */
  int take_digests;         /* this pass: the last, whose time is not counted */
  struct fk_trace_result r; /* kept from pass to pass */
  double cpu;               /* this thread's CPU time in fk_trace_case, this pass */
};

static void *work(void *arg)
{
  struct worker *w = arg;
  struct fk_diag diag;
  char msg[1024];
  for (int c; (c = atomic_fetch_add(w->next, 1)) < w->n;) {
    double c0 = thread_cpu_s();
    if (fk_trace_case_reuse(w->ix, w->cases[c], w->now[c], w->depth, &w->r, &diag))
      die("fk_trace_case: %s", fk_diag_format(&diag, msg, sizeof msg));
    w->cpu += thread_cpu_s() - c0;
    if (w->take_digests) w->dig[c] = digest(&w->r);
  }
  return NULL;
}

/* Traces every case (case c as of now[c]) at depth on `threads` threads, which take the cases
   in turn, `repeat` passes. Returns the median of the passes' wall times (from the start to the
   last thread's end), *cpu the median of their CPU totals (the threads' in fk_trace_case); dig
   gets each case's digest() in one more pass, not counted (a digest reads the whole answer,
   which takes a tenth of the time of tracing it, and would be counted in wall time). */
static double trace_parallel(const struct fk_trace_index *ix, const int64_t *cases, int n,
                             const fk_time *now, int depth, int repeat, int threads, double *cpu,
                             uint64_t *dig)
{
  struct worker w[MAX_THREADS];
  pthread_t tid[MAX_THREADS];
  double wall[MAX_REPEAT], cpus[MAX_REPEAT];
  atomic_int next;
  for (int k = 0; k < threads; k++)
    w[k] = (struct worker){ix, cases, now, n, depth, &next, dig, 0, {0}, 0};
  for (int r = 0; r <= repeat; r++) {
    atomic_store(&next, 0);
    double t0 = now_s();
    for (int k = 0; k < threads; k++) {
      w[k].take_digests = r == repeat;
      if (pthread_create(&tid[k], NULL, work, &w[k])) die("%s", "cannot start a thread");
    }
    for (int k = 0; k < threads; k++)
      pthread_join(tid[k], NULL);
    if (r == repeat) break;
    wall[r] = now_s() - t0;
    cpus[r] = 0;
    for (int k = 0; k < threads; k++) {
      cpus[r] += w[k].cpu;
      w[k].cpu = 0;
    }
  }
  for (int k = 0; k < threads; k++)
    fk_trace_result_free(&w[k].r);
  *cpu = median(cpus, (size_t)repeat);
  return median(wall, (size_t)repeat);
}

/* What the tracer's index walk touches, without collecting anything (see trace.c). */
struct walk {
  uint64_t scanned, own, overlaps;
};

static void walk_person(const struct fk_trace_index *ix, uint32_t who, uint32_t wa, uint32_t wb,
                        int close_only, struct walk *w)
{
  if (who >= ix->csr_persons) return;
  for (uint32_t k = ix->person_off[who]; k < ix->person_off[who + 1]; k++) {
    const struct fk__stay *s = &ix->stays[ix->person_stays[k]];
    uint32_t p = fk__trace_place_of(ix, ix->person_stays[k]);
    uint32_t x = s->start > wa ? s->start : wa, y = s->end < wb ? s->end : wb;
    const struct fk_kind_rules *kr = &ix->rules->trace.kinds[ix->kind[p]];
    w->own++;
    if (x >= y || (close_only && kr->category != FK_CAT_CLOSE)) continue;
    uint32_t lo = fk__trace_first_overlap(ix, p, x);
    for (uint32_t i = lo; i < ix->place_off[p + 1] && ix->stays[i].start < y; i++) {
      const struct fk__stay *o = &ix->stays[i];
      w->scanned++;
      if (o->person != who && o->end > x && o->start < y) w->overlaps++;
    }
  }
}

/* Walks the stays the trace touched: the case's, then each close degree-1 contact's. */
static void walk_trace(const struct fk_trace_index *ix, const struct answer *a, fk_time now,
                       int depth, struct walk *w)
{
  walk_person(ix, (uint32_t)a->person, fk__trace_t32(a->window_start), fk__trace_t32(a->window_end),
              0, w);
  for (size_t i = 0; depth == 2 && i < a->n; i++) {
    const struct row *c = &a->v[i];
    if (c->degree == 1 && c->via == 0 && c->category == FK_CAT_CLOSE)
      walk_person(ix, (uint32_t)c->person, fk__trace_t32(c->first), fk__trace_t32(now), 1, w);
  }
}

/* ---- main --------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
  struct opts o;
  static struct fk_rules rules;
  struct fk_store *st = NULL;
  struct fk_trace_index *ix = NULL;
  struct fk_trace_index_stats stats;
  struct fk_diag diag;
  char msg[1024];
  parse_args(argc, argv, &o);
  fk_diag_clear(&diag);
  if (o.rules ? fk_rules_load(o.rules, &rules, NULL, NULL, &diag) : fk_rules_default(&rules))
    die("rules: %s", fk_diag_format(&diag, msg, sizeof msg));

  long rss0 = max_rss_mb();
  double t0 = now_s();
  if (fk_store_open(o.db, &st, &diag) || fk_trace_index_build(st, &rules, &ix, &diag))
    die("%s", fk_diag_format(&diag, msg, sizeof msg));
  double t_build = now_s() - t0;
  long rss1 = max_rss_mb();
  fk_store_close(st);
  fprintf(stderr, "bench_trace: index built in %.1f s\n", t_build);
  fk_trace_index_stats(ix, &stats);

  int n = o.ncases;
  int64_t *cases = choose_cases(ix, &o);
  double *lat1 = malloc((size_t)n * sizeof *lat1), *lat2 = malloc((size_t)n * sizeof *lat2);
  double *clat1 = malloc((size_t)n * sizeof *clat1), *clat2 = malloc((size_t)n * sizeof *clat2);
  double *lat_sql = malloc((size_t)n * sizeof *lat_sql);
  struct answer *res = calloc((size_t)n, sizeof *res);
  if (!lat1 || !lat2 || !clat1 || !clat2 || !lat_sql || !res) die("%s", "out of memory");
  fk_time *nows = malloc((size_t)n * sizeof *nows);
  if (!nows) die("%s", "out of memory");
  for (int c = 0; c < n; c++)
    nows[c] = o.at_report ? report_time(ix, cases[c]) : o.now;
  double cpu1, cpu2, cpu3 = 0, tot3 = 0, lat3[3] = {0}, clat3[3] = {0};
  uint64_t *dig[4], all[4] = {0};
  for (int d = 0; d < 4; d++)
    if (!(dig[d] = calloc((size_t)n, sizeof *dig[d]))) die("%s", "out of memory");
  double tot1 = trace_all(ix, cases, n, nows, 1, 1, o.repeat, lat1, clat1, &cpu1,
                          o.depth == 1 ? res : NULL, dig[0]);
  double tot2 = trace_all(ix, cases, n, nows, 2, 1, o.repeat, lat2, clat2, &cpu2,
                          o.depth == 2 ? res : NULL, dig[1]);
  double tot = o.depth == 2 ? tot2 : tot1;
  double par = 0, par_cpu = 0;
  if (o.threads > 1)
    par = trace_parallel(ix, cases, n, nows, o.depth, o.repeat, o.threads, &par_cpu, dig[2]);
  if (o.case_threads > 1) { /* latencies: median, worst, sum (wall, then CPU) */
    double *l = malloc((size_t)n * sizeof *l), *cl = malloc((size_t)n * sizeof *cl);
    if (!l || !cl) die("%s", "out of memory");
    tot3 = trace_all(ix, cases, n, nows, o.depth, o.case_threads, o.repeat, l, cl, &cpu3, NULL,
                     dig[3]);
    lat3[1] = worst(l, (size_t)n);
    clat3[1] = worst(cl, (size_t)n);
    lat3[0] = median(l, (size_t)n);
    clat3[0] = median(cl, (size_t)n);
    free(l);
    free(cl);
  }
  for (int d = 0; d < 4; d++)
    for (int c = 0; c < n; c++)
      all[d] = all[d] * UINT64_C(1099511628211) ^ dig[d][c];
  fprintf(stderr, "bench_trace: traced, %.1f s for %d cases at depth 2\n", tot2, n);

  /* Scanning alone: the same walk, counting; repeated like the traces. */
  struct walk w = {0};
  double walks[MAX_REPEAT];
  for (int r = 0; r < o.repeat; r++) {
    struct walk wr = {0};
    double w0 = now_s();
    for (int c = 0; c < n; c++)
      walk_trace(ix, &res[c], nows[c], o.depth, &wr);
    walks[r] = now_s() - w0;
    w = wr;
  }
  double t_walk = median(walks, (size_t)o.repeat);
  double bw = memcpy_bandwidth();
  double bytes = (double)w.scanned * sizeof(struct fk__stay) +
                 (double)w.own * (sizeof(struct fk__stay) + sizeof(uint32_t));

  size_t ncontacts = 0, nlinks = 0, nexp = 0, n2 = 0;
  double big_bytes = 0; /* the largest answer, as the result holds it */
  size_t big_con = 0, big_exp = 0;
  int big = 0;
  for (int c = 0; c < n; c++) {
    size_t con = 0, exp = 0;
    for (size_t i = 0; i < res[c].n; i++) {
      const struct row *r = &res[c].v[i];
      exp += (size_t)r->n;
      n2 += r->degree == 2;
      nlinks += r->via < 0;
      con += r->via >= 0;
    }
    double b = (double)con * sizeof(struct fk_contact) + (double)exp * sizeof(struct fk_exposure);
    if (b > big_bytes) big_bytes = b, big_con = con, big_exp = exp, big = c;
    ncontacts += con;
    nexp += exp;
  }
  double our_lat[4][3]; /* depth 1, depth 2: wall; then CPU */
  double *copy = malloc((size_t)n * sizeof *copy);
  if (!copy) die("%s", "out of memory");
  for (int d = 0; d < 4; d++) {
    double *l = d == 0 ? lat1 : d == 1 ? lat2 : d == 2 ? clat1 : clat2;
    memcpy(copy, l, (size_t)n * sizeof *copy);
    our_lat[d][1] = worst(l, (size_t)n);
    our_lat[d][2] = sum(l, (size_t)n);
    our_lat[d][0] = median(copy, (size_t)n);
  }

  /* SQL: the same question on a copy, answers compared case by case. */
  struct sql s = {0};
  double t_copy = 0, t_index = 0, t_places = 0, sql_tot = 0, sql_worst = 0, sql_med = 0;
  struct answer theirs = {0};
  double *ts = malloc((size_t)n * o.sql_repeat * sizeof *ts), spass[MAX_REPEAT], scpu[MAX_REPEAT],
         sql_cpu = 0;
  int bad = 0;
  if (!ts) die("%s", "out of memory");
  if (!o.no_sql) {
    sql_open(&s, &o, &rules, &t_copy, &t_index, &t_places);
    fprintf(stderr, "bench_trace: SQL set up (copy %.1f s, indexes %.1f s, places %.1f s)\n",
            t_copy, t_index, t_places);
    for (int r = 0; r < o.sql_repeat; r++) {
      double p0 = now_s();
      scpu[r] = 0;
      for (int c = 0; c < n; c++) {
        double q0 = now_s(), c0 = cpu_s();
        sql_trace(&s, cases[c], nows[c], &o, rules.trace.window_days, &theirs);
        ts[(size_t)c * o.sql_repeat + r] = now_s() - q0;
        scpu[r] += cpu_s() - c0;
        if (r == 0) bad += compare(ix, cases[c], &res[c], &theirs);
      }
      spass[r] = now_s() - p0;
    }
    for (int c = 0; c < n; c++)
      lat_sql[c] = median(ts + (size_t)c * o.sql_repeat, (size_t)o.sql_repeat);
    sql_tot = median(spass, (size_t)o.sql_repeat);
    sql_cpu = median(scpu, (size_t)o.sql_repeat);
    sql_worst = worst(lat_sql, (size_t)n);
    sql_med = median(lat_sql, (size_t)n);
    sql_close(&s);
  }

  printf("\nstore %s: %ld persons, %ld places, %ld households, %ld check-ins, %ld cases\n", o.db,
         stats.persons, stats.places, stats.households, stats.checkins, stats.cases);
  printf("question: %d cases (seed %llu), now %s, depth %d; our passes x%d, SQL passes x%d "
         "(medians)\n\n",
         n, (unsigned long long)o.seed,
         o.at_report ? "at each case's report time (isolated_at, else sampled_at)" : o.now_text,
         o.depth, o.repeat, o.sql_repeat);
  printf("index build (from the store)  %9.2f s   %.1f bytes/check-in, %.0f MB in all, "
         "peak RSS +%ld MB\n",
         t_build, (double)stats.checkin_bytes / (double)(stats.checkins ? stats.checkins : 1),
         (double)stats.total_bytes / 1e6, rss1 - rss0);
  printf("\n%-30s %12s %12s %12s\n", "per case", "median ms", "worst ms", "total ms");
  printf("%-30s %12.3f %12.3f %12.1f\n", "fk_trace_case, depth 1", our_lat[0][0] * 1e3,
         our_lat[0][1] * 1e3, tot1 * 1e3);
  printf("%-30s %12.3f %12.3f %12.1f\n", "fk_trace_case, depth 2", our_lat[1][0] * 1e3,
         our_lat[1][1] * 1e3, tot2 * 1e3);
  printf("%-30s %12.3f %12.3f %12.1f\n", "  the same in CPU time, depth 1", our_lat[2][0] * 1e3,
         our_lat[2][1] * 1e3, cpu1 * 1e3);
  printf("%-30s %12.3f %12.3f %12.1f\n", "  the same in CPU time, depth 2", our_lat[3][0] * 1e3,
         our_lat[3][1] * 1e3, cpu2 * 1e3);
  if (o.threads > 1)
    printf("%d threads, depth %d: %d cases in %.1f ms wall, %.1f ms CPU (cases taken in turn)\n",
           o.threads, o.depth, n, par * 1e3, par_cpu * 1e3);
  printf("answer digests (contacts, links, exposures in order): depth 1 %016llx, depth 2 "
         "%016llx",
         (unsigned long long)all[0], (unsigned long long)all[1]);
  if (o.threads > 1)
    printf("; on %d threads, depth %d %016llx (%s)", o.threads, o.depth, (unsigned long long)all[2],
           all[2] == all[o.depth - 1] ? "the same" : "DIFFERENT");
  if (o.case_threads > 1)
    printf("; each case on %d threads %016llx (%s)", o.case_threads, (unsigned long long)all[3],
           all[3] == all[o.depth - 1] ? "the same" : "DIFFERENT");
  printf("\n");
  if (o.case_threads > 1)
    printf("each case on %d threads (fk_trace_case_threads), depth %d: median %.3f ms, worst "
           "%.3f ms, %d cases %.1f ms wall;\n  CPU time: median %.3f ms, worst %.3f ms, "
           "%d cases %.1f ms\n",
           o.case_threads, o.depth, lat3[0] * 1e3, lat3[1] * 1e3, n, tot3 * 1e3, clat3[0] * 1e3,
           clat3[1] * 1e3, n, cpu3 * 1e3);
  if (!o.no_sql) {
    printf("%-30s %12.3f %12.3f %12.1f\n", o.depth == 2 ? "SQLite, depth 2" : "SQLite, depth 1",
           sql_med * 1e3, sql_worst * 1e3, sql_tot * 1e3);
    printf("\nSQL setup: copy %.1f s, indexes %.1f s, per-place table %.1f s%s\n", t_copy, t_index,
           t_places, t_index == 0 ? " (reused: --keep-sql)" : "");
    printf("ratio (SQL time / our time), %d cases at depth %d: %.1fx\n", n, o.depth, sql_tot / tot);
  }
  printf("(CPU time: the process's, beside wall time, which includes waiting for a core when\n"
         "the machine is shared; totals are medians of the passes)\n");
  if (!o.no_sql)
    printf("CPU time in SQLite, depth %d: %.1f ms; ratio of CPU times (SQL / ours): %.1fx\n",
           o.depth, sql_cpu * 1e3, sql_cpu / (o.depth == 2 ? cpu2 : cpu1));
  printf("answers: %zu contacts (%zu at degree 2), %zu case links, %zu exposures: %s\n", ncontacts,
         n2, nlinks, nexp,
         o.no_sql ? "not compared (--no-sql)"
         : bad    ? "DIFFERENT"
                  : "identical in both");
  printf("\nwhere our time goes (%d cases, depth %d, %.1f ms):\n", n, o.depth, tot * 1e3);
  printf("  scanning the index (walk replica, no output)  %8.1f ms  %5.1f %%\n", t_walk * 1e3,
         100 * t_walk / tot);
  printf("  collecting, sorting, grouping hits, output    %8.1f ms  %5.1f %%\n",
         (tot - t_walk) * 1e3, 100 * (tot - t_walk) / tot);
  printf("  stays scanned %llu (%llu own stays, %llu overlaps): %.1f MB touched, %.2f MB a case\n",
         (unsigned long long)w.scanned, (unsigned long long)w.own, (unsigned long long)w.overlaps,
         bytes / 1e6, bytes / 1e6 / n);
  printf("  memcpy bandwidth here %.1f GB/s: those bytes take %.2f ms at full bandwidth;\n"
         "  the walk takes %.1fx that, the whole trace %.1fx\n",
         bw / 1e9, bytes / bw * 1e3, t_walk / (bytes / bw), tot / (bytes / bw));
  printf("  the largest answer: %zu contacts, %zu exposures, %.1f MB as the result holds them,\n"
         "  traced in %.1f ms (%.1f ms of CPU) at depth %d; writing %.1f MB alone at memcpy\n"
         "  bandwidth takes %.1f ms\n",
         big_con, big_exp, big_bytes / 1e6, (o.depth == 2 ? lat2 : lat1)[big] * 1e3,
         (o.depth == 2 ? clat2 : clat1)[big] * 1e3, o.depth, big_bytes / 1e6, big_bytes / bw * 1e3);
  for (int c = 0; c < n; c++)
    free(res[c].v);
  fk_trace_index_free(ix);
  free(theirs.v);
  free(res);
  free(cases);
  free(lat1);
  free(lat2);
  free(clat1);
  free(clat2);
  free(lat_sql);
  free(nows);
  free(copy);
  free(ts);
  for (int d = 0; d < 4; d++)
    free(dig[d]);
  if ((o.threads > 1 && all[2] != all[o.depth - 1]) ||
      (o.case_threads > 1 && all[3] != all[o.depth - 1])) {
    fprintf(stderr, "bench_trace: the threads' answers differ from one thread's\n");
    return 1;
  }
  if (bad) {
    fprintf(stderr, "bench_trace: %d of %d cases differ between the index and SQL\n", bad, n);
    return 1;
  }
  return 0;
}
