/*
 * Transmission chains from case links (see fangkong/chains.h and docs/CHAINS.md).
 *
 * Cases are numbered by their order of infection (their rank), so an oriented edge always
 * goes from a lower rank to a higher one: the graph is acyclic, the earliest case of a
 * component is its smallest rank (which union-find keeps as the representative), and one pass
 * over the edges sorted by `from` settles every shortest path from the roots, since every edge
 * into a case comes from a smaller rank and is seen before the edges out of it.
 */
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/chains.h"
#include "fangkong/error.h"
#include "trace/index.h"

/* What orders infection; sorted to give every case its rank. */
struct key {
  fk_date day;
  fk_time sampled;
  const char *name;
  uint32_t ci; /* index in ix->cases */
};

/* One link as a trace reported it, already oriented by rank; its exposures in `exps`. */
struct raw {
  uint32_t a, b; /* ranks: a < b */
  size_t off, n;
};

/* Everything the result points into, freed at once. */
struct storage {
  struct fk_chain_case *cases;
  struct fk_chain_edge *edges;
  struct fk_exposure *exp;
  int64_t *places;
};

struct builder {
  const struct fk_trace_index *ix;
  size_t n;            /* cases */
  struct key *keys;    /* by rank */
  uint32_t *rank;      /* by index in ix->cases */
  struct fk__vec raw;  /* struct raw */
  struct fk__vec exps; /* struct fk_exposure */
  uint32_t *up;        /* union-find over ranks; a representative is its component's min */
};

static int by_infection(const void *x, const void *y)
{
  const struct key *a = x, *b = y;
  if (a->day != b->day) return a->day < b->day ? -1 : 1;
  if (a->sampled != b->sampled) return a->sampled < b->sampled ? -1 : 1;
  return strcmp(a->name, b->name);
}

static int by_pair(const void *x, const void *y)
{
  const struct raw *a = x, *b = y;
  if (a->a != b->a) return a->a < b->a ? -1 : 1;
  return a->b < b->b ? -1 : a->b > b->b;
}

static int by_time(const void *x, const void *y)
{
  const struct fk_exposure *a = x, *b = y;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->place != b->place) return a->place < b->place ? -1 : 1;
  return a->end < b->end ? -1 : a->end > b->end;
}

static uint32_t find(uint32_t *up, uint32_t r)
{
  while (up[r] != r)
    r = up[r] = up[up[r]]; /* path halving */
  return r;
}

/* Joins the components of a and b under the smaller representative: the earlier root. */
static void join(uint32_t *up, uint32_t a, uint32_t b)
{
  a = find(up, a);
  b = find(up, b);
  if (a < b)
    up[b] = a;
  else
    up[a] = b;
}

/* Ranks every case by its order of infection. */
static int rank_cases(struct builder *b)
{
  const struct fk_trace_index *ix = b->ix;
  b->keys = fk_malloc((b->n ? b->n : 1) * sizeof *b->keys);
  b->rank = fk_malloc((b->n ? b->n : 1) * sizeof *b->rank);
  if (!b->keys || !b->rank) return FK_ENOMEM;
  for (size_t i = 0; i < b->n; i++) {
    const struct fk_case_row *c = &FK__VEC_AT(&ix->cases, struct fk_case_row, i);
    const char *name = fk_trace_person_id(ix, c->person);
    b->keys[i] =
        (struct key){c->has_onset && !c->asymptomatic ? c->onset : fk_time_date(c->sampled),
                     c->sampled, name ? name : "", (uint32_t)i};
  }
  qsort(b->keys, b->n, sizeof *b->keys, by_infection);
  for (size_t r = 0; r < b->n; r++)
    b->rank[b->keys[r].ci] = (uint32_t)r;
  return 0;
}

/* Traces the case of rank r and keeps its links, oriented. */
static int collect(struct builder *b, uint32_t r, fk_time now, struct fk_diag *diag)
{
  const struct fk_trace_index *ix = b->ix;
  int64_t person = FK__VEC_AT(&ix->cases, struct fk_case_row, b->keys[r].ci).person;
  struct fk_trace_result res;
  int rc;
  if (!fk_trace_is_case(ix, person)) return 0; /* a case row whose person the index lacks */
  if ((rc = fk_trace_case(ix, person, now, 1, &res, diag))) return rc;
  for (size_t i = 0; !rc && i < res.nlinks; i++) {
    const struct fk_case_link *l = &res.links[i];
    uint32_t other = b->rank[ix->case_of[l->to]];
    struct raw w = {r < other ? r : other, r < other ? other : r, b->exps.n, l->nexp};
    for (size_t k = 0; !rc && k < l->nexp; k++)
      rc = fk__vec_push(&b->exps, &l->exp[k]);
    if (!rc) rc = fk__vec_push(&b->raw, &w);
  }
  fk_trace_result_free(&res);
  return rc ? fk_diag_set(diag, rc, NULL, "out of memory building chains") : 0;
}

/*
 * Fills edge e from the reported links [from, to) of one pair: their exposures, sorted and
 * without repeats (a pair traced from both sides may report the same stay twice), into *exp,
 * and the distinct places in order of first exposure into *places. Advances both cursors.
 */
static void settle_edge(struct builder *b, const struct raw *w, size_t from, size_t to,
                        struct fk_chain_edge *e, struct fk_exposure **exp, int64_t **places)
{
  const struct fk_exposure *all = b->exps.data;
  struct fk_exposure *x = *exp;
  int64_t *p = *places;
  size_t n = 0, np = 0;
  for (size_t i = from; i < to; i++) {
    if (!w[i].n) continue; /* never from a trace, but `all` may be NULL then */
    memcpy(x + n, all + w[i].off, w[i].n * sizeof *x);
    n += w[i].n;
  }
  qsort(x, n, sizeof *x, by_time);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!m || by_time(&x[m - 1], &x[i])) x[m++] = x[i];
  uint32_t last = m ? x[0].end : 0;
  e->first = m ? fk_trace_time(x[0].start) : 0;
  for (size_t i = 0; i < m; i++) {
    size_t k = 0;
    if (x[i].end > last) last = x[i].end;
    while (k < np && p[k] != x[i].place)
      k++;
    if (k == np) p[np++] = x[i].place;
  }
  e->last = m ? fk_trace_time(last) : 0;
  e->nexp = m;
  e->exp = x;
  e->nplaces = np;
  e->places = p;
  *exp = x + m;
  *places = p + np;
}

/* Lays the graph out as clusters: cases and edges as contiguous slices, generations set. */
static int lay_out(struct builder *b, struct fk_chains *out)
{
  const struct fk_trace_index *ix = b->ix;
  struct raw *w = b->raw.data;
  size_t nraw = b->raw.n, nedges = 0, nclusters = 0;
  int rc = 0;
  uint32_t *cluster = fk_malloc((b->n ? b->n : 1) * sizeof *cluster); /* by rank */
  size_t *coff = NULL, *eoff = NULL;
  int *gen = fk_malloc((b->n ? b->n : 1) * sizeof *gen);
  struct storage *st = out->storage_;

  if (nraw) qsort(w, nraw, sizeof *w, by_pair); /* w is NULL without links */
  for (size_t i = 0; i < nraw; i++)
    if (!i || by_pair(&w[i - 1], &w[i])) nedges++;
  st->cases = fk_malloc((b->n ? b->n : 1) * sizeof *st->cases);
  st->edges = fk_malloc((nedges ? nedges : 1) * sizeof *st->edges);
  st->exp = fk_malloc((b->exps.n ? b->exps.n : 1) * sizeof *st->exp);
  st->places = fk_malloc((b->exps.n ? b->exps.n : 1) * sizeof *st->places);
  if (!cluster || !gen || !st->cases || !st->edges || !st->exp || !st->places) {
    rc = 1;
    goto out;
  }

  /* Components; numbered in order of their roots, which is rank order of representatives. */
  for (size_t r = 0; r < b->n; r++)
    b->up[r] = (uint32_t)r;
  for (size_t i = 0; i < nraw; i++)
    join(b->up, w[i].a, w[i].b);
  for (size_t r = 0; r < b->n; r++) {
    uint32_t root = find(b->up, (uint32_t)r);
    cluster[r] = root == r ? (uint32_t)nclusters++ : cluster[root];
    gen[r] = root == r ? 0 : -1;
  }
  out->clusters = fk_calloc(nclusters ? nclusters : 1, sizeof *out->clusters);
  coff = fk_calloc(nclusters + 1, sizeof *coff);
  eoff = fk_calloc(nclusters + 1, sizeof *eoff);
  if (!out->clusters || !coff || !eoff) {
    rc = 1;
    goto out;
  }

  /* Generations: edges in order of `from` see every path into `from` settled already. */
  for (size_t i = 0; i < nraw; i++)
    if (gen[w[i].a] >= 0 && (gen[w[i].b] < 0 || gen[w[i].a] + 1 < gen[w[i].b]))
      gen[w[i].b] = gen[w[i].a] + 1;

  /* Slices: count per cluster, then place in rank order (the root, smallest, comes first). */
  for (size_t r = 0; r < b->n; r++)
    coff[cluster[r] + 1]++;
  for (size_t i = 0; i < nraw; i++)
    if (!i || by_pair(&w[i - 1], &w[i])) eoff[cluster[w[i].a] + 1]++;
  for (size_t c = 0; c < nclusters; c++) {
    coff[c + 1] += coff[c];
    eoff[c + 1] += eoff[c];
    out->clusters[c].id = (int)c + 1;
    out->clusters[c].cases = st->cases + coff[c];
    out->clusters[c].edges = st->edges + eoff[c];
  }
  for (size_t r = 0; r < b->n; r++) {
    const struct key *k = &b->keys[r];
    const struct fk_case_row *c = &FK__VEC_AT(&ix->cases, struct fk_case_row, k->ci);
    struct fk_chain_cluster *cl = &out->clusters[cluster[r]];
    if (!cl->ncases) cl->root = c->person;
    st->cases[coff[cluster[r]] + cl->ncases++] = (struct fk_chain_case){
        c->person, gen[r], c->asymptomatic, c->has_onset, c->onset, c->sampled, k->day};
  }
  struct fk_exposure *exp = st->exp;
  int64_t *places = st->places;
  for (size_t i = 0; i < nraw;) {
    size_t j = i + 1;
    while (j < nraw && !by_pair(&w[i], &w[j]))
      j++;
    struct fk_chain_cluster *cl = &out->clusters[cluster[w[i].a]];
    struct fk_chain_edge *e = &st->edges[eoff[cluster[w[i].a]] + cl->nedges++];
    e->from = FK__VEC_AT(&ix->cases, struct fk_case_row, b->keys[w[i].a].ci).person;
    e->to = FK__VEC_AT(&ix->cases, struct fk_case_row, b->keys[w[i].b].ci).person;
    settle_edge(b, w, i, j, e, &exp, &places);
    i = j;
  }
  out->nclusters = nclusters;
  out->ncases = b->n;
  out->nedges = nedges;
out:
  fk_free(cluster);
  fk_free(gen);
  fk_free(coff);
  fk_free(eoff);
  return rc ? FK_ENOMEM : 0;
}

int fk_chains_build(const struct fk_trace_index *ix, fk_time now, struct fk_chains *out,
                    struct fk_diag *diag)
{
  struct builder b = {.ix = ix,
                      .n = ix->cases.n,
                      .raw = {.size = sizeof(struct raw)},
                      .exps = {.size = sizeof(struct fk_exposure)}};
  int rc;
  memset(out, 0, sizeof *out);
  if (!(out->storage_ = fk_calloc(1, sizeof(struct storage)))) {
    rc = fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory building chains");
    goto out;
  }
  if ((rc = rank_cases(&b)) || !(b.up = fk_malloc((b.n ? b.n : 1) * sizeof *b.up))) {
    rc = fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory building chains");
    goto out;
  }
  for (uint32_t r = 0; !rc && r < b.n; r++)
    rc = collect(&b, r, now, diag);
  if (!rc && (rc = lay_out(&b, out))) fk_diag_set(diag, rc, NULL, "out of memory building chains");
out:
  fk_free(b.keys);
  fk_free(b.rank);
  fk_free(b.up);
  fk__vec_free(&b.raw);
  fk__vec_free(&b.exps);
  if (rc) fk_chains_free(out);
  return rc;
}

void fk_chains_free(struct fk_chains *c)
{
  struct storage *st = c->storage_;
  if (st) {
    fk_free(st->cases);
    fk_free(st->edges);
    fk_free(st->exp);
    fk_free(st->places);
  }
  fk_free(st);
  fk_free(c->clusters);
  memset(c, 0, sizeof *c);
}
