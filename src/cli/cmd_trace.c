/* fangkong trace: from cases to their contacts, with the exposures that make each one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/trace_ahead.h"
#include "present/trace_out.h"
#include "cli/traced.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/trace.h"

static const char help[] =
    "usage: fangkong trace [--db PATH] [--rules FILE] (--case PERSON_ID | --cases FILE |\n"
    "                      --all-cases) [--now T] [--depth 1|2] [--format csv|json] [--merge]\n"
    "                      [--save] [--threads N]\n"
    "\n"
    "Finds every contact of the cases: household members, everyone whose stay at a place\n"
    "overlapped the case's within its window (close contact 密接 at close places, general\n"
    "contact 一般接触者 elsewhere), and at depth 2 the secondary contacts (密接的密接) of close\n"
    "contacts. Each contact carries its exposures. A case met as another case's contact is a\n"
    "link between cases (JSON \"links\"; see `fangkong chains`), not a contact.\n"
    "\n"
    "  --db PATH         the store (default ./fangkong.db)\n"
    "  --rules FILE      rule set (default: the built-in protocol-9)\n"
    "  --case ID         trace one case (its person_id)\n"
    "  --cases FILE      trace the cases listed one person_id a line\n"
    "  --all-cases       trace every case in the store\n"
    "  --now T           the time of the question (ISO 8601 with offset); needed for a case\n"
    "                    not yet isolated and for depth 2. The clock is never read.\n"
    "  --depth 1|2       2 (default) adds secondary contacts when the rules keep them\n"
    "  --format csv|json csv (default): index_person_id, contact_person_id, degree, category,\n"
    "                    via_person_id, first_exposure, last_exposure, exposures, places\n"
    "  --merge           one row per contact: lowest degree, then latest last exposure\n"
    "  --save            write the results and their exposures back to the store\n"
    "  --threads N       trace each case on N threads (1 to 8; default 1): the worst cases\n"
    "                    answer sooner when cores are free; the answer is the same\n"
    "\n"
    "A summary per case goes to stderr. Exit status: 0, 1 on error, 2 on wrong usage.\n";

struct job {
  struct fk__traced t; /* rules, store and index */
  const char *now_text;
  fk_time now;
  int depth, threads, save, merge;
  const char *rules_name;
  struct fk__trace_out out;
  struct fk_trace_result r; /* traced into case after case: its memory is reused */
};

/* The checks before tracing person: a case, and --now when it is needed. Returns an exit
   status. */
static int check_one(struct job *j, int64_t person)
{
  fk_time start, end;
  const char *name = fk_trace_person_id(j->t.ix, person);
  if (fk_trace_window(j->t.ix, person, j->now, &start, &end))
    return fk__fail("%s is not a case (not in cases.csv)", name);
  if (!j->now_text && (j->depth == 2 || end == j->now))
    return fk__fail("case %s: give --now (the case is not isolated, or depth 2 needs it)", name);
  return FK_EXIT_OK;
}

/* Saves (--save) and prints the trace r of person, or says why tracing failed (rc, diag).
   Returns an exit status. */
static int finish_one(struct job *j, int64_t person, int rc, const struct fk_diag *diag,
                      const struct fk_trace_result *r)
{
  struct fk_diag d;
  char msg[1024];
  if (rc) return fk__fail("%s", fk_diag_format(diag, msg, sizeof msg));
  fk_diag_clear(&d);
  rc = j->save ? fk_store_save_trace(j->t.st, r, j->now, j->rules_name, &d) : 0;
  if (rc)
    fk__fail("saving the trace of %s: %s", fk_trace_person_id(j->t.ix, person),
             fk_diag_format(&d, msg, sizeof msg));
  else
    rc = fk__trace_out_add(&j->out, r);
  return rc ? FK_EXIT_ERROR : FK_EXIT_OK;
}

/* Traces one case and hands the result to the output; returns an exit status. */
static int trace_one(struct job *j, int64_t person)
{
  struct fk_diag diag;
  int rc = check_one(j, person);
  if (rc) return rc;
  fk_diag_clear(&diag);
  rc = fk_trace_case_threads(j->t.ix, person, j->now, j->depth, j->threads, &j->r, &diag);
  return finish_one(j, person, rc, &diag, &j->r);
}

/* The cases to trace, in order. */
struct list {
  struct job *j;
  int64_t *persons;
  size_t n, cap;
};

/* Appends person; returns 0 or FK_ENOMEM. */
static int list_add(struct list *l, int64_t person)
{
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 64;
    int64_t *p = fk_realloc(l->persons, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    l->persons = p;
    l->cap = cap;
  }
  l->persons[l->n++] = person;
  return 0;
}

static int list_check(void *arg, size_t i)
{
  struct list *l = arg;
  return check_one(l->j, l->persons[i]);
}

static int list_take(void *arg, size_t i, int rc, const struct fk_diag *diag,
                     const struct fk_trace_result *r)
{
  struct list *l = arg;
  return finish_one(l->j, l->persons[i], rc, diag, r);
}

/* Traces the listed cases in order: each on a second thread while the one before is saved and
   printed (fk__trace_ahead), or here when there is one. Returns an exit status. */
static int trace_list(struct list *l)
{
  struct fk__ahead_fns fns = {list_check, list_take, l};
  if (l->n < 2) return l->n ? trace_one(l->j, l->persons[0]) : FK_EXIT_OK;
  return fk__trace_ahead(l->j->t.ix, l->persons, l->n, l->j->now, l->j->depth, l->j->threads, &fns);
}

/*
 * --cases FILE: one person_id a line; a header line "person_id" and blank lines are skipped.
 * The cases up to the first unknown person are traced, then that person is named.
 */
static int trace_file(struct job *j, const char *path)
{
  struct list l = {j, NULL, 0, 0};
  FILE *f = fopen(path, "r");
  char line[256], unknown[256] = "";
  int rc = 0;
  if (!f) return fk__fail("cannot read %s", path);
  while (!rc && !unknown[0] && fgets(line, sizeof line, f)) {
    size_t n = strcspn(line, ",\r\n");
    if (n == 0 || (n == 9 && !memcmp(line, "person_id", 9))) continue;
    int64_t person = fk_trace_person(j->t.ix, line, n);
    if (person)
      rc = list_add(&l, person) ? fk__fail("out of memory") : 0;
    else
      snprintf(unknown, sizeof unknown, "%.*s", (int)n, line);
  }
  fclose(f);
  if (!rc) rc = trace_list(&l);
  if (!rc && unknown[0]) rc = fk__fail("unknown person '%s'", unknown);
  fk_free(l.persons);
  return rc;
}

static int trace_named(struct job *j, const char *id, size_t n)
{
  int64_t person = fk_trace_person(j->t.ix, id, n);
  if (!person) return fk__fail("unknown person '%.*s'", (int)n, id);
  return trace_one(j, person);
}

static void list_case(void *arg, int64_t person)
{
  struct list *l = arg;
  if (l->j && list_add(l, person)) l->j = NULL; /* out of memory: said once listed */
}

/* --all-cases: every case in the store's order. */
static int trace_all(struct job *j)
{
  struct list l = {j, NULL, 0, 0};
  fk_trace_each_case(j->t.ix, list_case, &l);
  int rc = l.j ? trace_list(&l) : fk__fail("out of memory");
  fk_free(l.persons);
  return rc;
}

int fk__cmd_trace(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *one = NULL, *file = NULL, *depth = "2",
             *fmt = "csv", *threads = "1", *pos[1];
  int all = 0, npos, rc;
  struct job j = {.now = FK_TIME_NONE};
  struct fk__opt opts[] = {
      {"--db", &db, NULL},       {"--rules", &rules_path, NULL}, {"--case", &one, NULL},
      {"--cases", &file, NULL},  {"--all-cases", NULL, &all},    {"--now", &j.now_text, NULL},
      {"--depth", &depth, NULL}, {"--format", &fmt, NULL},       {"--merge", NULL, &j.merge},
      {"--save", NULL, &j.save}, {"--threads", &threads, NULL},  {0}};
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("trace", argc, argv, opts, pos, 0, &npos))) return rc;
  if (!!one + !!file + all != 1)
    return fk__usage("trace", "name the cases: one of --case, --cases or --all-cases");
  if (strcmp(depth, "1") && strcmp(depth, "2")) return fk__usage("trace", "--depth is 1 or 2");
  j.depth = depth[0] - '0';
  long nt;
  if (fk__parse_long(threads, 1, FK_TRACE_MAX_THREADS, &nt))
    return fk__usage("trace", "--threads is 1 to %d", FK_TRACE_MAX_THREADS);
  j.threads = (int)nt;
  if (strcmp(fmt, "csv") && strcmp(fmt, "json"))
    return fk__usage("trace", "--format is csv or json");
  if (j.now_text && fk_time_parse(j.now_text, strlen(j.now_text), &j.now, NULL))
    return fk__usage("trace", "--now must be an ISO 8601 time with offset");
  if ((rc = fk__traced_open(&j.t, db, rules_path))) goto out;
  j.rules_name = j.t.rules.name;
  fk__trace_out_init(&j.out, j.t.ix, !strcmp(fmt, "json"), j.merge, stdout);
  if (one) {
    rc = trace_named(&j, one, strlen(one));
  } else if (file) {
    rc = trace_file(&j, file);
  } else {
    rc = trace_all(&j);
  }
  if (!rc) rc = fk__trace_out_finish(&j.out) ? FK_EXIT_ERROR : FK_EXIT_OK;
  fk__trace_out_free(&j.out);
  fk_trace_result_free(&j.r);
out:
  fk__traced_close(&j.t);
  return rc;
}
