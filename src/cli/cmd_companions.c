/* fangkong companions: spatiotemporal companions (时空伴随者) of one case or of every case. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/alloc.h"
#include "fangkong/companion.h"
#include "fangkong/error.h"
#include "fangkong/rules.h"
#include "fangkong/store.h"
#include "fangkong/table.h"

static const char help[] =
    "usage: fangkong companions [--db PATH] [--rules FILE] (--case PERSON_ID | --all-cases)\n"
    "                           [--now T] [--format csv|json] [--stats]\n"
    "\n"
    "Lists the spatiotemporal companions (时空伴随者) of a case from the phone pings in the\n"
    "store: persons in the same square cell as the case for more than the rule set's minutes\n"
    "within the case's tracing window, where either of the two spent more than the rule set's\n"
    "hours in that cell over its lookback days (docs/TRACING.md). One row per companion and\n"
    "cell, with why: when, how long together, and who met the dwell rule with how many hours.\n"
    "\n"
    "  --db PATH        the store (default ./fangkong.db)\n"
    "  --rules FILE     a rule set (default: the built-in protocol-9)\n"
    "  --case ID        the case's person_id\n"
    "  --all-cases      every case in the store, in person order\n"
    "  --now T          the time now, ISO 8601 with offset (2022-07-14T12:00:00+08:00); the\n"
    "                   window of a case not yet isolated ends now, so it is required then\n"
    "  --format FORMAT  csv (default) or json\n"
    "  --stats          print the index's size and the time taken on standard error\n"
    "\n"
    "CSV columns: index_person_id, contact_person_id, category (companion), cell\n"
    "(side:column:row), first_overlap, last_overlap, minutes_together, dwell_party\n"
    "(index|contact), dwell_hours.\n";

/* Internal person ids to person_id text, for every person (ids are dense row ids). */
struct names {
  char *text;
  size_t len, cap;
  uint32_t *at; /* at[id]: offset of the name in text, UINT32_MAX when none */
  size_t nat;
  const char *want; /* --case: the person_id looked for */
  int64_t found;
  int rc;
};

static int on_person(void *arg, const struct fk_person_row *p)
{
  struct names *n = arg;
  size_t len = strlen(p->person_id) + 1;
  if (p->id < 0 || p->id >= (int64_t)UINT32_MAX) return 0;
  if ((size_t)p->id >= n->nat) {
    size_t nat = n->nat ? n->nat : 1024;
    while (nat <= (size_t)p->id)
      nat *= 2;
    uint32_t *at = fk_realloc(n->at, nat * sizeof *at);
    if (!at) return n->rc = FK_ENOMEM;
    memset(at + n->nat, 0xff, (nat - n->nat) * sizeof *at);
    n->at = at;
    n->nat = nat;
  }
  if (n->len + len > n->cap) {
    size_t cap = n->cap ? n->cap * 2 : 65536;
    while (cap < n->len + len)
      cap *= 2;
    char *t = cap < UINT32_MAX ? fk_realloc(n->text, cap) : NULL;
    if (!t) return n->rc = FK_ENOMEM;
    n->text = t;
    n->cap = cap;
  }
  memcpy(n->text + n->len, p->person_id, len);
  n->at[p->id] = (uint32_t)n->len;
  n->len += len;
  if (n->want && !strcmp(n->want, p->person_id)) n->found = p->id;
  return 0;
}

static const char *name_of(const struct names *n, int64_t id)
{
  return id >= 0 && (size_t)id < n->nat && n->at[id] != UINT32_MAX ? n->text + n->at[id] : "?";
}

struct run {
  const struct fk_companion_index *ix;
  const struct names *names;
  fk_time now;
  int json, ncases;
  long ncompanions;
  double seconds;
  int rc;
  char why[600];
};

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts); /* elapsed time for --stats only, never an input */
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_csv(const struct run *r, const struct fk_companion *c)
{
  char first[FK_TIME_BUFSZ], last[FK_TIME_BUFSZ], cell[FK_COMPANION_CELLSZ];
  const char *ip = name_of(r->names, c->index_person), *cp = name_of(r->names, c->person);
  fk_csv_field(stdout, ip, strlen(ip));
  fputc(',', stdout);
  fk_csv_field(stdout, cp, strlen(cp));
  printf(",companion,%s,%s,%s,%.2f,%s,%.2f\n", fk_companion_cell_format(r->ix, c->cell, cell),
         fk_time_format(c->first, first), fk_time_format(c->last, last), c->together / 60.0,
         c->dwell_party == FK_PARTY_INDEX ? "index" : "contact",
         (c->dwell_party == FK_PARTY_INDEX ? c->index_dwell : c->contact_dwell) / 3600.0);
}

static void print_json(const struct run *r, const struct fk_companion_result *res)
{
  char a[FK_TIME_BUFSZ], b[FK_TIME_BUFSZ], cell[FK_COMPANION_CELLSZ];
  const char *ip = name_of(r->names, res->index_person);
  fputs(r->ncases ? ",\n{\"index_person_id\":" : "{\"index_person_id\":", stdout);
  fk_json_string(stdout, ip, strlen(ip));
  printf(",\"window_start\":\"%s\",\"window_end\":\"%s\",\"companions\":[",
         fk_time_format(res->window_start, a), fk_time_format(res->window_end, b));
  for (size_t i = 0; i < res->ncompanions; i++) {
    const struct fk_companion *c = &res->companions[i];
    const char *cp = name_of(r->names, c->person);
    fputs(i ? ",\n {\"contact_person_id\":" : "\n {\"contact_person_id\":", stdout);
    fk_json_string(stdout, cp, strlen(cp));
    printf(",\"category\":\"companion\",\"cell\":\"%s\",\"first_overlap\":\"%s\","
           "\"last_overlap\":\"%s\",\"minutes_together\":%.2f,\"overlaps\":%d,"
           "\"dwell_party\":\"%s\",\"dwell_hours\":%.2f,\"index_dwell_hours\":%.2f,"
           "\"contact_dwell_hours\":%.2f}",
           fk_companion_cell_format(r->ix, c->cell, cell), fk_time_format(c->first, a),
           fk_time_format(c->last, b), c->together / 60.0, c->overlaps,
           c->dwell_party == FK_PARTY_INDEX ? "index" : "contact",
           (c->dwell_party == FK_PARTY_INDEX ? c->index_dwell : c->contact_dwell) / 3600.0,
           c->index_dwell / 3600.0, c->contact_dwell / 3600.0);
  }
  fputs("]}", stdout);
}

static void one_case(void *arg, int64_t person)
{
  struct run *r = arg;
  struct fk_companion_result res;
  struct fk_diag diag;
  if (r->rc) return;
  fk_diag_clear(&diag);
  double t0 = now_seconds();
  int rc = fk_companions_case(r->ix, person, r->now, &res, &diag);
  r->seconds += now_seconds() - t0;
  if (rc) {
    r->rc = rc;
    snprintf(r->why, sizeof r->why, "case %s: %s", name_of(r->names, person), diag.reason);
    return;
  }
  if (r->json)
    print_json(r, &res);
  else
    for (size_t i = 0; i < res.ncompanions; i++)
      print_csv(r, &res.companions[i]);
  r->ncases++;
  r->ncompanions += (long)res.ncompanions;
  fk_companion_result_free(&res);
}

int fk__cmd_companions(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *case_id = NULL, *now_text = NULL;
  const char *fmt = "csv", *pos[1];
  int npos, all = 0, stats = 0, rc, status = FK_EXIT_ERROR;
  struct fk__opt opts[] = {{"--db", &db, NULL},        {"--rules", &rules_path, NULL},
                           {"--case", &case_id, NULL}, {"--all-cases", NULL, &all},
                           {"--now", &now_text, NULL}, {"--format", &fmt, NULL},
                           {"--stats", NULL, &stats},  {0}};
  struct fk_store *st = NULL;
  struct fk_companion_index *ix = NULL;
  struct fk_rules rules;
  struct names names;
  struct run run;
  struct fk_diag diag;
  char msg[1024];

  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("companions", argc, argv, opts, pos, 1, &npos))) return rc;
  if (npos) return fk__usage("companions", "unexpected argument '%s'", pos[0]);
  if (!case_id == !all)
    return fk__usage("companions", "give either --case PERSON_ID or --all-cases");
  if (strcmp(fmt, "csv") && strcmp(fmt, "json"))
    return fk__usage("companions", "unknown format '%s' (csv or json)", fmt);
  memset(&run, 0, sizeof run);
  memset(&names, 0, sizeof names);
  run.json = !strcmp(fmt, "json");
  run.now = FK_COMPANION_NO_NOW;
  fk_diag_clear(&diag);
  if (now_text && fk_time_parse(now_text, strlen(now_text), &run.now, &diag))
    return fk__usage("companions", "--now: %s ('%s')", diag.reason, now_text);
  rc = rules_path ? fk_rules_load(rules_path, &rules, NULL, NULL, &diag) : fk_rules_default(&rules);
  if (rc) return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if (access(db, F_OK)) return fk__fail("no store at %s", db);
  if ((rc = fk_store_open(db, &st, &diag))) {
    fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  names.want = case_id;
  if ((rc = fk_store_each_person(st, 0, on_person, &names)) || (rc = names.rc)) {
    fk__fail("companions: cannot read persons: %s", fk_strerror(rc));
    goto out;
  }
  if (case_id && !names.found) {
    fk__fail("companions: no person %s in the store", case_id);
    goto out;
  }
  double t0 = now_seconds();
  if ((rc = fk_companion_index_build(st, &rules, &ix, &diag))) {
    fk__fail("companions: %s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  double built = now_seconds() - t0;
  run.ix = ix;
  run.names = &names;
  if (run.json) fputs("[\n", stdout);
  if (!run.json)
    puts("index_person_id,contact_person_id,category,cell,first_overlap,last_overlap,"
         "minutes_together,dwell_party,dwell_hours");
  if (case_id)
    one_case(&run, names.found);
  else
    fk_companion_each_case(ix, one_case, &run);
  if (run.json) fputs("\n]\n", stdout);
  if (run.rc) {
    if (run.rc == FK_EINVAL && !now_text)
      strncat(run.why, " (--now T)", sizeof run.why - strlen(run.why) - 1);
    fk__fail("companions: %s", run.why);
    goto out;
  }
  if (stats) {
    struct fk_companion_index_stats s;
    fk_companion_index_stats(ix, &s);
    fprintf(stderr,
            "companions: index: %ld pings (%ld skipped), %ld presences, %ld cells, %ld cases, "
            "%zu bytes (%.2f a ping), built in %.3f s\n"
            "companions: %d cases, %ld companion rows, found in %.3f s\n",
            s.pings, s.skipped, s.presences, s.cells, s.cases, s.bytes,
            s.pings ? (double)s.bytes / (double)s.pings : 0.0, built, run.ncases, run.ncompanions,
            run.seconds);
  }
  status = fflush(stdout) ? FK_EXIT_ERROR : FK_EXIT_OK;
out:
  fk_companion_index_free(ix);
  fk_free(names.text);
  fk_free(names.at);
  fk_store_close(st);
  return status;
}
