/* fangkong rules: check a rule file, or show the rules in force so an official can read them. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/rules.h"
#include "fangkong/table.h"

static const char help[] =
    "usage: fangkong rules check FILE\n"
    "       fangkong rules show [--rules FILE] [--format table|json]\n"
    "\n"
    "check   reads a rule set strictly and reports every mistake, one a line, as\n"
    "        `FILE: path: reason` (the path names the key in the file, e.g.\n"
    "        measures.close_contact.phases[0].days). Exits 0 and prints\n"
    "        `FILE: ok (NAME, N rules)` when the file is valid, 1 when it is not.\n"
    "show    prints the rules in force: measures per person category (phases, days, test\n"
    "        days, anchor, rank, release, source), risk-area downgrades, code colours and\n"
    "        how quarantine-site rooms are given.\n"
    "\n"
    "  --rules FILE     a rule set (default: the built-in protocol-9)\n"
    "  --format FORMAT  table (default) or json\n"
    "\n"
    "docs/RULES.md describes every section and key of a rule file.\n";

struct checked {
  const char *file;
  char top[400]; /* a problem with the whole file (path ""), printed after parsing */
  int n;
};

static void on_problem(void *arg, const char *path, const char *reason)
{
  struct checked *c = arg;
  c->n++;
  if (!*path)
    snprintf(c->top, sizeof c->top, "%s", reason);
  else
    printf("%s: %s: %s\n", c->file, path, reason);
}

static int check(const char *file)
{
  static struct fk_rules rules;
  struct fk_diag diag;
  struct checked c = {file, "", 0};
  fk_diag_clear(&diag);
  int rc = fk_rules_load(file, &rules, on_problem, &c, &diag);
  if (rc == FK_EIO || rc == FK_ENOMEM) return fk__fail("%s", diag.reason);
  if (rc == FK_EPARSE) {
    printf("%s: line %ld: %s\n", file, diag.line, diag.reason);
    return FK_EXIT_ERROR;
  }
  if (c.top[0]) printf("%s: %s\n", file, c.top);
  if (rc) return FK_EXIT_ERROR;
  static const char *const what[] = {"measures (no category is given a measure)",
                                     "areas (risk areas have no downgrade rules)",
                                     "codes (every person's code is green)",
                                     "sites (one person a room, no accessible preference)"};
  for (int i = 0; i < 4; i++)
    if (!(rules.sections & (1u << i))) printf("%s: note: no section %s\n", file, what[i]);
  if ((rules.sections & FK_RULES_HAS_AREAS) && !rules.areas.home.used)
    printf("%s: note: no areas.designate (cases designate no risk area)\n", file);
  printf("%s: ok (%s, %d rules)\n", file, rules.name, fk_rules_count(&rules));
  return FK_EXIT_OK;
}

/* Appends printf-style text to buf (size bytes). */
static void add(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(char *buf, size_t size, const char *fmt, ...)
{
  size_t at = strlen(buf);
  va_list ap;
  va_start(ap, fmt);
  if (at < size) vsnprintf(buf + at, size - at, fmt, ap);
  va_end(ap);
}

static void release_text(const struct fk_release_rules *r, char *buf, size_t size)
{
  buf[0] = 0;
  if (r->all_tests_negative) add(buf, size, "all tests negative");
  if (r->negative_tests)
    add(buf, size, "%s%d negative tests within %d days, %d h apart", buf[0] ? "; " : "",
        r->negative_tests, r->within_days, r->min_gap_hours);
  if (r->linked_negative_tests)
    add(buf, size, "%sthe close contact's first %d tests negative", buf[0] ? "; " : "",
        r->linked_negative_tests);
  if (r->on_linked_positive >= 0)
    add(buf, size, "%sbecomes %s if that contact is positive", buf[0] ? "; " : "",
        fk_person_cats[r->on_linked_positive]);
  if (r->discharge_criteria) add(buf, size, "%sdischarge criteria", buf[0] ? "; " : "");
}

static int show_table(const struct fk_rules *r)
{
  static const char *const mcols[] = {"category", "phases", "#days",   "test_days",
                                      "anchor",   "#rank",  "release", "source"};
  static const char *const acols[] = {"level", "downgrade", "source"};
  static const char *const ccols[] = {"state", "code", "source"};
  struct fk_table *m = fk_table_new(8, mcols), *a = fk_table_new(3, acols),
                  *c = fk_table_new(3, ccols);
  int rc = (m && a && c) ? 0 : FK_ENOMEM;
  for (int i = 0; !rc && i < FK_PERSON_NCATS; i++) {
    const struct fk_measure_rules *mr = &r->measures[i];
    char phases[512] = "", days[16] = "", tests[256] = "", rank[16] = "", rel[512] = "";
    int total = 0;
    if (!mr->applies) {
      const char *row[] = {fk_person_cats[i], "none", NULL, NULL, NULL, NULL, NULL, mr->source};
      rc = fk_table_add(m, row);
      continue;
    }
    for (int p = 0; p < mr->nphases; p++) {
      const struct fk_phase_rules *ph = &mr->phases[p];
      if (ph->days)
        add(phases, sizeof phases, "%s%s %d d", p ? " + " : "", fk_measure_kinds[ph->kind],
            ph->days);
      else
        add(phases, sizeof phases, "%s%s (open-ended)", p ? " + " : "", fk_measure_kinds[ph->kind]);
      total = (total < 0 || !ph->days) ? -1 : total + ph->days;
      add(tests, sizeof tests, "%s", p ? "; " : "");
      for (int t = 0; t < ph->ntests; t++)
        add(tests, sizeof tests, "%s%d", t ? "," : "", ph->test_days[t]);
      if (!ph->ntests) add(tests, sizeof tests, "-");
    }
    if (total >= 0) snprintf(days, sizeof days, "%d", total);
    snprintf(rank, sizeof rank, "%d", mr->rank);
    release_text(&mr->release, rel, sizeof rel);
    const char *row[] = {fk_person_cats[i],
                         phases,
                         total >= 0 ? days : NULL,
                         tests,
                         fk_anchors[mr->anchor],
                         rank,
                         rel,
                         mr->source};
    rc = fk_table_add(m, row);
  }
  for (int l = FK_AREA_NLEVELS - 1; !rc && l >= 0; l--) {
    const struct fk_area_level_rules *lv = &r->areas.levels[l];
    char steps[256] = "";
    if (!lv->used) continue;
    for (int s = 0; s < lv->nsteps; s++) {
      add(steps, sizeof steps, "%s%d days without infection", s ? ", then " : "",
          lv->steps[s].days);
      if (lv->steps[s].screening_day)
        add(steps, sizeof steps, " and negative screening on day %d", lv->steps[s].screening_day);
      add(steps, sizeof steps, " -> %s", fk_area_levels[lv->steps[s].to]);
    }
    if (!lv->nsteps) add(steps, sizeof steps, "with the county");
    const char *row[] = {fk_area_levels[l], steps, lv->source};
    rc = fk_table_add(a, row);
  }
  for (int d = 0; !rc && d < 2; d++) {
    const struct fk_area_designation *ds = d ? &r->areas.stayed : &r->areas.home;
    char what[64];
    if (!ds->used) continue;
    snprintf(what, sizeof what, "%s %s", d ? "stayed" : "home", fk_area_levels[ds->level]);
    const char *row[] = {what, d ? "a grid where a case stayed" : "a grid where a case lives",
                         ds->source};
    rc = fk_table_add(a, row);
  }
  for (int s = 0; !rc && s < FK_CODE_NSTATES; s++) {
    const char *row[] = {s < FK_PERSON_NCATS ? fk_person_cats[s] : "test_overdue",
                         fk_codes[r->codes.states[s].code], r->codes.states[s].source};
    rc = fk_table_add(c, row);
  }
  if (!rc) {
    char title[400];
    const char *none[] = {"none", fk_codes[r->codes.none], "under no measure"};
    rc = fk_table_add(c, none);
    snprintf(title, sizeof title, "%s: measures", r->name);
    printf("%s%s%s%s\n\n", r->name, r->issued[0] ? " (issued " : "", r->issued,
           r->issued[0] ? ")" : "");
    fk_table_print(m, FK_FORMAT_TABLE, title, stdout);
    snprintf(title, sizeof title, "%s: risk areas", r->name);
    putchar('\n');
    fk_table_print(a, FK_FORMAT_TABLE, title, stdout);
    snprintf(title, sizeof title, "%s: codes", r->name);
    putchar('\n');
    if (!rc) fk_table_print(c, FK_FORMAT_TABLE, title, stdout);
    if (r->sections & FK_RULES_HAS_SITES) {
      char together[64], age[64];
      snprintf(together, sizeof together, "households together: %s",
               r->sites.households_together ? "yes" : "no");
      snprintf(age, sizeof age, "accessible rooms from age %d", r->sites.accessible_from_age);
      printf("\n%s: quarantine sites\n  %s\n  %s (%s)\n  %s (%s)\n", r->name, r->sites.source,
             together, r->sites.households_source, age, r->sites.accessible_source);
    }
    if (r->sections & FK_RULES_HAS_BRIEFING)
      printf("\n%s: daily briefing\n  close contacts placed within %d h of their case (%s)\n",
             r->name, r->briefing.placed_within_hours, r->briefing.source);
  }
  fk_table_free(m);
  fk_table_free(a);
  fk_table_free(c);
  return rc ? fk__fail("%s", fk_strerror(rc)) : FK_EXIT_OK;
}

static json_t *show_json_value(const struct fk_rules *r)
{
  json_t *root = json_object(), *ms = json_array(), *as = json_array(), *cs = json_object();
  json_object_set_new(root, "name", json_string(r->name));
  json_object_set_new(root, "title", json_string(r->title));
  json_object_set_new(root, "issued", r->issued[0] ? json_string(r->issued) : json_null());
  for (int i = 0; i < FK_PERSON_NCATS; i++) {
    const struct fk_measure_rules *mr = &r->measures[i];
    json_t *m = json_object(), *phases = json_array();
    char rel[512];
    json_object_set_new(m, "category", json_string(fk_person_cats[i]));
    json_object_set_new(m, "applies", json_boolean(mr->applies));
    if (mr->applies) {
      json_object_set_new(m, "anchor", json_string(fk_anchors[mr->anchor]));
      json_object_set_new(m, "rank", json_integer(mr->rank));
      for (int p = 0; p < mr->nphases; p++) {
        const struct fk_phase_rules *ph = &mr->phases[p];
        json_t *o = json_object(), *t = json_array();
        for (int k = 0; k < ph->ntests; k++)
          json_array_append_new(t, json_integer(ph->test_days[k]));
        json_object_set_new(o, "kind", json_string(fk_measure_kinds[ph->kind]));
        json_object_set_new(o, "days", json_integer(ph->days));
        json_object_set_new(o, "test_days", t);
        json_object_set_new(o, "confined", json_boolean(ph->confined));
        json_array_append_new(phases, o);
      }
      json_object_set_new(m, "phases", phases);
      release_text(&mr->release, rel, sizeof rel);
      json_object_set_new(m, "release", json_string(rel));
    } else {
      json_decref(phases);
    }
    json_object_set_new(m, "source", json_string(mr->source));
    json_array_append_new(ms, m);
  }
  for (int l = FK_AREA_NLEVELS - 1; l >= 0; l--) {
    const struct fk_area_level_rules *lv = &r->areas.levels[l];
    json_t *o = json_object(), *steps = json_array();
    if (!lv->used) {
      json_decref(o);
      json_decref(steps);
      continue;
    }
    for (int s = 0; s < lv->nsteps; s++) {
      json_t *st = json_object();
      json_object_set_new(st, "to", json_string(fk_area_levels[lv->steps[s].to]));
      json_object_set_new(st, "days_without_infection", json_integer(lv->steps[s].days));
      json_object_set_new(st, "screening_day", json_integer(lv->steps[s].screening_day));
      json_array_append_new(steps, st);
    }
    json_object_set_new(o, "level", json_string(fk_area_levels[l]));
    json_object_set_new(o, "steps", steps);
    json_object_set_new(o, "source", json_string(lv->source));
    json_array_append_new(as, o);
  }
  for (int s = 0; s < FK_CODE_NSTATES; s++)
    json_object_set_new(cs, s < FK_PERSON_NCATS ? fk_person_cats[s] : "test_overdue",
                        json_string(fk_codes[r->codes.states[s].code]));
  json_object_set_new(cs, "none", json_string(fk_codes[r->codes.none]));
  json_object_set_new(root, "measures", ms);
  json_object_set_new(root, "areas", as);
  if (r->areas.home.used) {
    json_t *dz = json_object();
    for (int d = 0; d < 2; d++) {
      const struct fk_area_designation *ds = d ? &r->areas.stayed : &r->areas.home;
      json_t *o = json_object(), *kinds = json_array();
      if (!ds->used) {
        json_decref(o);
        json_decref(kinds);
        continue;
      }
      json_object_set_new(o, "level", json_string(fk_area_levels[ds->level]));
      for (int k = 0; d && fk_place_kinds[k] && k < FK_RULES_MAXKINDS; k++)
        if (ds->kinds[k]) json_array_append_new(kinds, json_string(fk_place_kinds[k]));
      if (d)
        json_object_set_new(o, "kinds", kinds);
      else
        json_decref(kinds);
      json_object_set_new(o, "source", json_string(ds->source));
      json_object_set_new(dz, d ? "stayed" : "home", o);
    }
    json_object_set_new(root, "designate", dz);
  }
  json_object_set_new(root, "codes", cs);
  if (r->sections & FK_RULES_HAS_SITES) {
    json_t *si = json_object();
    json_object_set_new(si, "households_together", json_boolean(r->sites.households_together));
    json_object_set_new(si, "accessible_from_age", json_integer(r->sites.accessible_from_age));
    json_object_set_new(si, "source", json_string(r->sites.source));
    json_object_set_new(root, "sites", si);
  }
  if (r->sections & FK_RULES_HAS_BRIEFING) {
    json_t *br = json_object();
    json_object_set_new(br, "placed_within_hours", json_integer(r->briefing.placed_within_hours));
    json_object_set_new(br, "source", json_string(r->briefing.source));
    json_object_set_new(root, "briefing", br);
  }
  return root;
}

static int show(int argc, char **argv)
{
  static struct fk_rules rules;
  const char *rules_path = NULL, *fmt = "table", *pos[1];
  int npos = 0, rc;
  struct fk_diag diag;
  struct fk__opt opts[] = {{"--rules", &rules_path, NULL}, {"--format", &fmt, NULL}, {NULL, 0, 0}};
  if ((rc = fk__parse_opts("rules", argc, argv, opts, pos, 0, &npos))) return rc;
  if (strcmp(fmt, "table") && strcmp(fmt, "json"))
    return fk__usage("rules", "unknown format '%s' (table or json)", fmt);
  fk_diag_clear(&diag);
  rc = rules_path ? fk_rules_load(rules_path, &rules, NULL, NULL, &diag) : fk_rules_default(&rules);
  if (rc) {
    char buf[1024];
    return fk__fail("%s (`fangkong rules check %s` lists every mistake)",
                    fk_diag_format(&diag, buf, sizeof buf), rules_path ? rules_path : "FILE");
  }
  if (!strcmp(fmt, "table")) return show_table(&rules);
  json_t *v = show_json_value(&rules);
  if (!v || json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) {
    json_decref(v);
    return fk__fail("%s", fk_strerror(FK_ENOMEM));
  }
  putchar('\n');
  json_decref(v);
  return FK_EXIT_OK;
}

int fk__cmd_rules(int argc, char **argv)
{
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (!strcmp(argv[1], "check")) {
    if (argc != 3) return fk__usage("rules", "check takes one FILE");
    return check(argv[2]);
  }
  if (!strcmp(argv[1], "show")) return show(argc - 1, argv + 1);
  return fk__usage("rules", "unknown subcommand '%s' (check or show)", argv[1]);
}
