/* fangkong trace: from cases to their contacts, with the exposures that make each one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/trace_out.h"
#include "cli/traced.h"
#include "fangkong/error.h"
#include "fangkong/store.h"
#include "fangkong/trace.h"

static const char help[] =
    "usage: fangkong trace [--db PATH] [--rules FILE] (--case PERSON_ID | --cases FILE |\n"
    "                      --all-cases) [--now T] [--depth 1|2] [--format csv|json] [--merge]\n"
    "                      [--save]\n"
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
    "\n"
    "A summary per case goes to stderr. Exit status: 0, 1 on error, 2 on wrong usage.\n";

struct job {
  struct fk__traced t; /* rules, store and index */
  const char *now_text;
  fk_time now;
  int depth, save, merge;
  const char *rules_name;
  struct fk__trace_out out;
  struct fk_trace_result r; /* traced into case after case: its memory is reused */
};

/* Traces one case and hands the result to the output; returns an exit status. */
static int trace_one(struct job *j, int64_t person)
{
  struct fk_trace_result *r = &j->r;
  struct fk_diag diag;
  fk_time start, end;
  char msg[1024];
  const char *name = fk_trace_person_id(j->t.ix, person);
  fk_diag_clear(&diag);
  if (fk_trace_window(j->t.ix, person, j->now, &start, &end))
    return fk__fail("%s is not a case (not in cases.csv)", name);
  if (!j->now_text && (j->depth == 2 || end == j->now))
    return fk__fail("case %s: give --now (the case is not isolated, or depth 2 needs it)", name);
  if (fk_trace_case_reuse(j->t.ix, person, j->now, j->depth, r, &diag))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  int rc = j->save ? fk_store_save_trace(j->t.st, r, j->now, j->rules_name, &diag) : 0;
  if (rc)
    fk__fail("saving the trace of %s: %s", name, fk_diag_format(&diag, msg, sizeof msg));
  else
    rc = fk__trace_out_add(&j->out, r);
  return rc ? FK_EXIT_ERROR : FK_EXIT_OK;
}

static int trace_named(struct job *j, const char *id, size_t n)
{
  int64_t person = fk_trace_person(j->t.ix, id, n);
  if (!person) return fk__fail("unknown person '%.*s'", (int)n, id);
  return trace_one(j, person);
}

/* --cases FILE: one person_id a line; a header line "person_id" and blank lines are skipped. */
static int trace_file(struct job *j, const char *path)
{
  FILE *f = fopen(path, "r");
  char line[256];
  int rc = 0;
  if (!f) return fk__fail("cannot read %s", path);
  while (!rc && fgets(line, sizeof line, f)) {
    size_t n = strcspn(line, ",\r\n");
    if (n == 0 || (n == 9 && !memcmp(line, "person_id", 9))) continue;
    rc = trace_named(j, line, n);
  }
  fclose(f);
  return rc;
}

struct all {
  struct job *j;
  int rc;
};

static void trace_each(void *arg, int64_t person)
{
  struct all *a = arg;
  if (!a->rc) a->rc = trace_one(a->j, person);
}

int fk__cmd_trace(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *one = NULL, *file = NULL, *depth = "2",
             *fmt = "csv", *pos[1];
  int all = 0, npos, rc;
  struct job j = {.now = FK_TIME_NONE};
  struct fk__opt opts[] = {{"--db", &db, NULL},
                           {"--rules", &rules_path, NULL},
                           {"--case", &one, NULL},
                           {"--cases", &file, NULL},
                           {"--all-cases", NULL, &all},
                           {"--now", &j.now_text, NULL},
                           {"--depth", &depth, NULL},
                           {"--format", &fmt, NULL},
                           {"--merge", NULL, &j.merge},
                           {"--save", NULL, &j.save},
                           {0}};
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("trace", argc, argv, opts, pos, 0, &npos))) return rc;
  if (!!one + !!file + all != 1)
    return fk__usage("trace", "name the cases: one of --case, --cases or --all-cases");
  if (strcmp(depth, "1") && strcmp(depth, "2")) return fk__usage("trace", "--depth is 1 or 2");
  j.depth = depth[0] - '0';
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
    struct all a = {&j, 0};
    fk_trace_each_case(j.t.ix, trace_each, &a);
    rc = a.rc;
  }
  if (!rc) rc = fk__trace_out_finish(&j.out) ? FK_EXIT_ERROR : FK_EXIT_OK;
  fk__trace_out_free(&j.out);
  fk_trace_result_free(&j.r);
out:
  fk__traced_close(&j.t);
  return rc;
}
