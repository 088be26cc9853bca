/* fangkong chains: the transmission graph of the cases, as JSON or Graphviz DOT. */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/chains.h"
#include "fangkong/error.h"
#include "fangkong/table.h"
#include "fangkong/trace.h"

static const char help[] =
    "usage: fangkong chains [--db PATH] [--rules FILE] [--now T] [--format json|dot]\n"
    "\n"
    "Builds the transmission graph from the links between cases (a case met among another\n"
    "case's contacts, as `fangkong trace` finds them): each edge points from the case infected\n"
    "first (onset date for a confirmed case with one, else the day of sampling; then sampling\n"
    "time, then person_id) to the later one and carries its first and last exposure and places.\n"
    "Clusters are the connected groups of cases; the root of a cluster is its earliest case and\n"
    "a case's generation is the shortest path to it from the root along the edges (null when\n"
    "there is none). A case without links is a cluster of one. See docs/CHAINS.md.\n"
    "\n"
    "  --db PATH         the store (default ./fangkong.db)\n"
    "  --rules FILE      rule set (default: the built-in protocol-9)\n"
    "  --now T           the time of the question (ISO 8601 with offset): the end of the window\n"
    "                    of a case not yet isolated; needed when there is one. The clock is\n"
    "                    never read.\n"
    "  --format json|dot json (default): clusters with their cases and edges; dot: a Graphviz\n"
    "                    digraph with one subgraph per cluster (render with `dot -Tsvg`)\n"
    "\n"
    "Exit status: 0, 1 on error, 2 on wrong usage.\n";

static const char *person(const struct fk_trace_index *ix, int64_t p)
{
  const char *id = fk_trace_person_id(ix, p);
  return id ? id : "?";
}

static const char *place(const struct fk_trace_index *ix, int64_t p)
{
  const char *id = p ? fk_trace_place_id(ix, p) : "household";
  return id ? id : "?";
}

static void json_str(FILE *f, const char *s)
{
  fk_json_string(f, s, strlen(s));
}

static void json_case(FILE *f, const struct fk_trace_index *ix, const struct fk_chain_case *c)
{
  char day[FK_DATE_BUFSZ], at[FK_TIME_BUFSZ];
  fputs("{\"person_id\": ", f);
  json_str(f, person(ix, c->person));
  if (c->generation >= 0)
    fprintf(f, ", \"generation\": %d", c->generation);
  else
    fputs(", \"generation\": null", f);
  fprintf(f,
          ", \"kind\": \"%s\", \"onset_date\": ", c->asymptomatic ? "asymptomatic" : "confirmed");
  if (c->has_onset)
    fprintf(f, "\"%s\"", fk_date_format(c->onset, day));
  else
    fputs("null", f);
  fprintf(f, ", \"sampled_at\": \"%s\"}", fk_time_format(c->sampled, at));
}

static void json_edge(FILE *f, const struct fk_trace_index *ix, const struct fk_chain_edge *e)
{
  char a[FK_TIME_BUFSZ], b[FK_TIME_BUFSZ];
  fputs("{\"from\": ", f);
  json_str(f, person(ix, e->from));
  fputs(", \"to\": ", f);
  json_str(f, person(ix, e->to));
  fprintf(f, ", \"first_exposure\": \"%s\", \"last_exposure\": \"%s\", \"places\": [",
          fk_time_format(e->first, a), fk_time_format(e->last, b));
  for (size_t i = 0; i < e->nplaces; i++) {
    if (i) fputs(", ", f);
    json_str(f, place(ix, e->places[i]));
  }
  fputs("]}", f);
}

static void json(FILE *f, const struct fk_trace_index *ix, const struct fk_chains *ch)
{
  fputs("{\"clusters\": [", f);
  for (size_t k = 0; k < ch->nclusters; k++) {
    const struct fk_chain_cluster *cl = &ch->clusters[k];
    fprintf(f, "%s\n  {\"id\": %d, \"root\": ", k ? "," : "", cl->id);
    json_str(f, person(ix, cl->root));
    fputs(",\n   \"cases\": [", f);
    for (size_t i = 0; i < cl->ncases; i++) {
      fputs(i ? ",\n     " : "\n     ", f);
      json_case(f, ix, &cl->cases[i]);
    }
    fputs("],\n   \"edges\": [", f);
    for (size_t i = 0; i < cl->nedges; i++) {
      fputs(i ? ",\n     " : "\n     ", f);
      json_edge(f, ix, &cl->edges[i]);
    }
    fputs("]}", f);
  }
  fprintf(f, "],\n \"cases\": %zu, \"links\": %zu}\n", ch->ncases, ch->nedges);
}

/* Text inside a DOT string: ids are identifiers, but a quote or backslash would break it. */
static void dot_chars(FILE *f, const char *s)
{
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s, f);
  }
}

static void dot_str(FILE *f, const char *s)
{
  fputc('"', f);
  dot_chars(f, s);
  fputc('"', f);
}

/* The edge's place ids joined by ';', as one DOT string. */
static void dot_places(FILE *f, const struct fk_trace_index *ix, const struct fk_chain_edge *e)
{
  fputc('"', f);
  for (size_t p = 0; p < e->nplaces; p++) {
    if (p) fputc(';', f);
    dot_chars(f, place(ix, e->places[p]));
  }
  fputc('"', f);
}

static void dot(FILE *f, const struct fk_trace_index *ix, const struct fk_chains *ch)
{
  fputs("digraph chains {\n  node [shape=box];\n", f);
  for (size_t k = 0; k < ch->nclusters; k++) {
    const struct fk_chain_cluster *cl = &ch->clusters[k];
    char title[160];
    snprintf(title, sizeof title, "cluster %d, root %s", cl->id, person(ix, cl->root));
    fprintf(f, "  subgraph cluster_%d {\n    label=", cl->id);
    dot_str(f, title);
    fputs(";\n", f);
    for (size_t i = 0; i < cl->ncases; i++) {
      const struct fk_chain_case *c = &cl->cases[i];
      fputs("    ", f);
      dot_str(f, person(ix, c->person));
      fputs(" [label=\"", f);
      dot_chars(f, person(ix, c->person));
      if (c->generation >= 0) /* backslash-n is DOT's line break in a label */
        fprintf(f, "\\ngeneration %d\"", c->generation);
      else
        fputs("\\ngeneration ?\"", f);
      fputs("];\n", f);
    }
    for (size_t i = 0; i < cl->nedges; i++) {
      const struct fk_chain_edge *e = &cl->edges[i];
      fputs("    ", f);
      dot_str(f, person(ix, e->from));
      fputs(" -> ", f);
      dot_str(f, person(ix, e->to));
      fputs(" [label=", f);
      dot_places(f, ix, e);
      fputs("];\n", f);
    }
    fputs("  }\n", f);
  }
  fputs("}\n", f);
}

int fk__cmd_chains(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *now_text = NULL, *fmt = "json", *pos[1];
  const char *open_case;
  struct fk__traced t;
  struct fk_chains ch = {0};
  struct fk_diag diag;
  char msg[1024];
  fk_time now = 0;
  int npos, rc;
  struct fk__opt opts[] = {{"--db", &db, NULL},
                           {"--rules", &rules_path, NULL},
                           {"--now", &now_text, NULL},
                           {"--format", &fmt, NULL},
                           {0}};
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("chains", argc, argv, opts, pos, 0, &npos))) return rc;
  if (strcmp(fmt, "json") && strcmp(fmt, "dot"))
    return fk__usage("chains", "--format is json or dot");
  if (now_text && fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return fk__usage("chains", "--now must be an ISO 8601 time with offset");
  fk_diag_clear(&diag);
  if ((rc = fk__traced_open(&t, db, rules_path))) goto out;
  if (!now_text && (open_case = fk__traced_unisolated(&t))) {
    rc = fk__fail("case %s is not isolated: give --now (the end of its window)", open_case);
    goto out;
  }
  if (fk_chains_build(t.ix, now, &ch, &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  if (!strcmp(fmt, "dot"))
    dot(stdout, t.ix, &ch);
  else
    json(stdout, t.ix, &ch);
  if (fflush(stdout) || ferror(stdout)) rc = fk__fail("writing the chains failed");
out:
  fk_chains_free(&ch);
  fk__traced_close(&t);
  return rc;
}
