/*
 * Transmission chains: the graph of cases linked by contact, oriented from earlier to later
 * infection, cut into clusters, each with its earliest case (root) and every case's generation.
 *
 * Built from the links of tracing every case at depth 1 (fk_trace_case): a link says that two
 * cases met within one's window, which is evidence of contact but says nothing about who
 * infected whom. The direction comes from the order of infection (docs/CHAINS.md, "Chains"):
 * the day of onset for a confirmed case with an onset date, else the day of sampling; ties go
 * to the earlier sampling time, then the smaller person_id (bytewise). A pair linked from both
 * sides is one edge carrying the exposures found from either side.
 *
 * Cost: one depth-1 trace per case (so milliseconds a case on a city's index) plus sorting the
 * links; memory is proportional to the cases and the links. It does not guess who infected
 * whom when a case has several earlier neighbours: every edge is kept, and the generation is
 * the shortest oriented path from the root.
 */
#ifndef FANGKONG_CHAINS_H
#define FANGKONG_CHAINS_H

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/time.h"
#include "fangkong/trace.h"

struct fk_diag;

/* One case in a cluster. */
struct fk_chain_case {
  int64_t person;   /* internal person id (fk_trace_person_id gives the person_id) */
  int generation;   /* 0 for the root; -1 when no oriented path leads from the root */
  int asymptomatic; /* 1: kind asymptomatic; 0: confirmed */
  int has_onset;    /* 1 when onset holds the onset date */
  fk_date onset;
  fk_time sampled;
  fk_date infected; /* the day that orders infection: onset (confirmed with onset) or sampling */
};

/* A case-to-case edge, oriented from the earlier infection to the later one. */
struct fk_chain_edge {
  int64_t from, to;    /* internal person ids */
  fk_time first, last; /* start of the first exposure, end of the last */
  size_t nexp;
  const struct fk_exposure *exp; /* distinct, by start, place, end; owned by the chains */
  size_t nplaces;
  const int64_t *places; /* distinct places in order of first exposure; 0 for the household */
};

/* A connected component of cases. */
struct fk_chain_cluster {
  int id;       /* 1, 2, ... in order of their roots' infection */
  int64_t root; /* the cluster's earliest case */
  size_t ncases;
  const struct fk_chain_case *cases; /* root first, then in order of infection */
  size_t nedges;
  const struct fk_chain_edge *edges; /* by order of infection of `from`, then of `to` */
};

struct fk_chains {
  size_t nclusters;
  struct fk_chain_cluster *clusters; /* owned; slices of the arrays below */
  size_t ncases, nedges;             /* in all clusters */
  void *storage_;                    /* cases, edges, exposures, places; internal */
};

/*
 * Traces every case in ix at depth 1 as of `now` (the end of the window of a case not yet
 * isolated) and builds the chains from the links. Borrows ix for the call only: the result
 * holds internal ids, which stay valid for ix and any index built from the same store. On
 * success the caller frees *out with fk_chains_free; on failure *out is empty. Returns 0 or
 * FK_ENOMEM (diag says so).
 */
FK_API int fk_chains_build(const struct fk_trace_index *ix, fk_time now, struct fk_chains *out,
                           struct fk_diag *diag);

/* Frees what the chains hold (the struct itself is the caller's); an empty struct is fine. */
FK_API void fk_chains_free(struct fk_chains *c);

#endif
