/*
 * fangkong measures apply, fangkong person show, fangkong code: from cases to measures, and a
 * person's measures and code read back. No name, ID number or phone is ever printed here.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/measure.h"
#include "fangkong/measures.h"
#include "fangkong/sites.h"
#include "fangkong/store.h"
#include "fangkong/table.h"
#include "fangkong/trace.h"
#include "present/present.h"

static const char apply_help[] =
    "usage: fangkong measures apply [--db PATH] [--rules FILE] --now T\n"
    "\n"
    "Traces every case as of T and places its close contacts (and secondary contacts, when the\n"
    "rules keep them), the cases themselves and international arrivals under the measures the\n"
    "rules give them, with their test days; marks tests done, positive or missed from the\n"
    "samples; releases measures that ended with every test taken. The stricter measure wins; a\n"
    "later exposure moves the anchor. Applying twice with the same T changes nothing.\n"
    "\n"
    "  --db PATH     the store (default ./fangkong.db)\n"
    "  --rules FILE  rule set (default: the built-in protocol-9)\n"
    "  --now T       the time of the run (ISO 8601 with offset); placement is on its date\n"
    "\n"
    "Counts per category go to stderr. Exit status: 0, 1 on error, 2 on wrong usage.\n";

static const char person_help[] =
    "usage: fangkong person show PERSON_ID [--db PATH] [--rules FILE] [--now T]\n"
    "                            [--format json|text]\n"
    "\n"
    "The person's code and measures, one entry per phase (category, kind, anchor, start and\n"
    "end dates, status, the rule's source, tests with their day, due date and status). With\n"
    "--now the test statuses and the code are worked out from the samples as of T (nothing is\n"
    "written); without it they are as the last `measures apply` left them. `site` is the stay\n"
    "at a quarantine site in force then (status in, left or waiting; null for none). Prints no\n"
    "name, ID number or phone.\n"
    "\n"
    "Exit status: 0, 1 on error (unknown person), 2 on wrong usage.\n";

static const char code_help[] =
    "usage: fangkong code PERSON_ID [--db PATH] [--rules FILE] [--now T]\n"
    "\n"
    "Prints the person's health code (green, yellow, red) and the reason, from their measures\n"
    "and tests and the rules' codes section: as of T, else as the last `measures apply` left\n"
    "them.\n"
    "\n"
    "Exit status: 0, 1 on error (unknown person), 2 on wrong usage.\n";

int fk__cmd_measures(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *now_text = NULL, *pos[1];
  struct fk__opt opts[] = {
      {"--db", &db, NULL}, {"--rules", &rules_path, NULL}, {"--now", &now_text, NULL}, {0}};
  struct fk__traced t;
  struct fk_measures_stats s;
  struct fk_diag diag;
  char msg[1024];
  fk_time now;
  int rc, npos;
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(apply_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (strcmp(argv[1], "apply"))
    return fk__usage("measures", "unknown subcommand '%s' (apply)", argv[1]);
  if ((rc = fk__parse_opts("measures", argc - 1, argv + 1, opts, pos, 0, &npos))) return rc;
  if (!now_text) return fk__usage("measures", "give --now T");
  if (fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return fk__usage("measures", "--now must be an ISO 8601 time with offset");
  fk_diag_clear(&diag);
  if ((rc = fk__traced_open(&t, db, rules_path))) goto out;
  if (fk_measures_apply(t.st, t.ix, &t.rules, now, &s, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  for (int k = 0; k < FK_PERSON_NCATS; k++)
    if (s.placed[k] || s.active[k])
      fprintf(stderr, "%-22s placed %ld, active %ld\n", fk_person_cats[k], s.placed[k],
              s.active[k]);
  fprintf(stderr,
          "replanned %ld, superseded %ld, released %ld, written %ld; tests due %ld, done %ld, "
          "missed %ld, positive %ld\n",
          s.replanned, s.superseded, s.released, s.written, s.tests[FK_TEST_DUE],
          s.tests[FK_TEST_DONE], s.tests[FK_TEST_MISSED], s.tests[FK_TEST_POSITIVE]);
out:
  fk__traced_close(&t);
  return rc;
}

/* What person show and code share: the rules, the store and the person's measures. */
struct looked {
  struct fk_rules rules;
  struct fk_store *st;
  struct fk_measure_row *m;
  int nm;
  fk_time now; /* FK_TIME_NONE when not given */
  const char *person_id;
  int64_t person;
};

static int look(struct looked *l, const char *cmd, int argc, char **argv, const char **format)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *now_text = NULL, *pos[1] = {NULL};
  struct fk__opt opts[] = {{"--db", &db, NULL},
                           {"--rules", &rules_path, NULL},
                           {"--now", &now_text, NULL},
                           {"--format", format, NULL},
                           {0}};
  struct fk_diag diag;
  char msg[1024];
  int64_t person = 0;
  int rc, npos;
  memset(l, 0, sizeof *l);
  l->now = FK_TIME_NONE;
  if (!format) opts[3].name = NULL; /* `code` has no --format */
  if ((rc = fk__parse_opts(cmd, argc, argv, opts, pos, 1, &npos))) return rc;
  if (npos != 1) return fk__usage(cmd, "name the person (PERSON_ID)");
  l->person_id = pos[0];
  if (now_text && fk_time_parse(now_text, strlen(now_text), &l->now, NULL))
    return fk__usage(cmd, "--now must be an ISO 8601 time with offset");
  if (format && strcmp(*format, "json") && strcmp(*format, "text"))
    return fk__usage(cmd, "--format is json or text");
  fk_diag_clear(&diag);
  if (rules_path ? fk_rules_load(rules_path, &l->rules, NULL, NULL, &diag)
                 : fk_rules_default(&l->rules))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if (access(db, F_OK)) return fk__fail("no store at %s", db);
  if (fk_store_open(db, &l->st, &diag))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if (fk_store_person_id(l->st, pos[0], &person)) return fk__fail("%s", fk_store_errmsg(l->st));
  if (!person) return fk__fail("unknown person '%s'", pos[0]);
  l->person = person;
  if (fk_measures_of(l->st, person, l->now, &l->m, &l->nm, &diag))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  return FK_EXIT_OK;
}

static void unlook(struct looked *l)
{
  fk_free(l->m);
  fk_store_close(l->st);
}

static void text_measure(const struct fk_measure_row *m, const struct fk_plan *p, int ok)
{
  char a[FK_DATE_BUFSZ], b[FK_DATE_BUFSZ], c[FK_DATE_BUFSZ];
  printf("%s (%s) anchor %s, placed %s: %s\n  reason: %s\n  rule: %s\n",
         fk_person_cats[m->category], fk_measure_statuses[m->status], fk_date_format(m->anchor, a),
         fk_date_format(m->placed, b), fk_measure_kinds[m->kind], m->reason, m->rule);
  for (int i = 0; ok && i < p->nphases; i++)
    printf("  phase %d %s %s..%s\n", i + 1, fk_measure_kinds[p->phases[i].kind],
           fk_date_format(p->phases[i].start, a),
           p->phases[i].end == FK_DATE_NONE ? "(open)" : fk_date_format(p->phases[i].end, b));
  for (int i = 0; i < m->ntests; i++)
    printf("  test phase %d day %d due %s: %s\n", m->tests[i].phase + 1, m->tests[i].day,
           fk_date_format(m->tests[i].due, c), fk_test_statuses[m->tests[i].status]);
}

/* The person as JSON (the same object as GET /v1/persons/{id}: fk__person_json). */
static int person_json(const struct looked *l)
{
  struct fk_diag diag;
  char msg[1024];
  int rc = 0;
  fk_diag_clear(&diag);
  json_t *o =
      fk__person_json(l->st, &l->rules, l->person_id, l->person, l->m, l->nm, l->now, &rc, &diag);
  if (!o || json_dumpf(o, stdout, JSON_COMPACT)) rc = FK_ENOMEM;
  json_decref(o);
  putchar('\n');
  if (rc == FK_ENOMEM) return fk__fail("out of memory");
  return rc ? fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg)) : 0;
}

static int person_show(int argc, char **argv)
{
  struct looked l;
  const char *format = "json";
  char reason[1024];
  int rc = look(&l, "person", argc, argv, &format);
  if (!rc) {
    enum fk_code code = fk_person_code(&l.rules, l.m, l.nm, l.now, reason, sizeof reason);
    const char *id = l.person_id;
    if (!strcmp(format, "json")) {
      rc = person_json(&l);
    } else {
      printf("person %s: %s (%s)\n", id, fk_codes[code], reason);
      for (int i = 0; i < l.nm; i++) {
        struct fk_plan p;
        int ok = !fk_measure_plan(&l.rules, (enum fk_person_cat)l.m[i].category, l.m[i].anchor,
                                  l.m[i].placed, &p);
        text_measure(&l.m[i], &p, ok);
      }
    }
  }
  unlook(&l);
  return rc;
}

int fk__cmd_person(int argc, char **argv)
{
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(person_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (strcmp(argv[1], "show"))
    return fk__usage("person", "unknown subcommand '%s' (show)", argv[1]);
  return person_show(argc - 1, argv + 1);
}

int fk__cmd_code(int argc, char **argv)
{
  struct looked l;
  char reason[1024];
  int rc;
  if (fk__wants_help(argc, argv)) return fputs(code_help, stdout), FK_EXIT_OK;
  rc = look(&l, "code", argc, argv, NULL);
  if (!rc) {
    enum fk_code code = fk_person_code(&l.rules, l.m, l.nm, l.now, reason, sizeof reason);
    printf("%s\t%s\n", fk_codes[code], reason);
  }
  unlook(&l);
  return rc;
}
