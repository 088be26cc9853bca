/*
 * Grouping a trace's hits into contacts (src/trace/group.c).
 *
 * The walk (trace.c) finds the exposures of everyone met through one person, the via (0: the
 * case itself at degree 1; a close contact at degree 2): each is a hit, collected in increasing
 * order of via. Contacts are (person, via) groups of hits, reported by person then via. Hits
 * are first cut into ranges of persons (at most 2^FK__RANGE_BITS, by the person's high bits)
 * with one stable scatter, which keeps the order of via within a range; each range, a few
 * thousand hits that stay in cache, is then sorted by person and grouped at once, its
 * exposures written into place and its contacts in order. Ranges are independent: threads can
 * share them.
 */
#ifndef FK_TRACE_GROUP_H
#define FK_TRACE_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "trace/index.h"

/* One exposure found by the walk, in index time. 20 bytes: a trace may collect millions. */
struct fk__hit {
  uint32_t person, via; /* via: 0 at degree 1 */
  uint32_t place;       /* 0: the household */
  uint32_t start, end;
};

#define FK__RANGE_BITS 10

/* How hits are cut into ranges of persons: person p is in range p >> shift, of n. */
struct fk__ranges {
  int shift;
  uint32_t n;
};

/* Sets *out for the persons of ix and about n hits: 2^FK__RANGE_BITS ranges (fewer when there
   are few persons), or one when the hits are few (FK__FEW_HITS: degree 1, which knows its n
   before counting; degree 2 counts as it walks and gives SIZE_MAX). */
#define FK__FEW_HITS 4096
void fk__ranges_for(const struct fk_trace_index *ix, size_t n, struct fk__ranges *out);

/* Adds to count[r] (room for rg->n) the number of hits of h[0..n) in range r. */
void fk__hits_count(const struct fk__ranges *rg, const struct fk__hit *h, size_t n, size_t *count);

/* Copies the hits h[0..n) into out by range, the next one of range r to out[pos[r]++] (pos has
   room for rg->n): stable. */
void fk__hits_scatter(const struct fk__ranges *rg, const struct fk__hit *h, size_t n, size_t *pos,
                      struct fk__hit *out);

/* Where grouping writes: contacts and (degree 1) links appended, their exposures pointing into
   the exposures written. */
struct fk__grouped {
  struct fk_contact *con;
  size_t ncon;
  struct fk_case_link *lnk; /* NULL at degree 2 */
  size_t nlnk;
};

/*
 * Groups the hits h[0..n) of one range (in increasing order of via, as collected) into contacts
 * (person, via) appended to out in order of person then via, each one's exposures written into
 * exp (room for n: exposure i comes from a hit of the range) in order of (start, place), found
 * order for ties. At degree 1 (via 0) cases become links from index_person, when out->lnk is
 * set; index_person is left out. key is room for 2 n keys to sort. Categories: the place's at
 * degree 1, close at degree 2 (which only meets at home and at close places).
 */
void fk__group_range(const struct fk_trace_index *ix, const struct fk__ranges *rg,
                     const struct fk__hit *h, size_t n, uint64_t *key, uint32_t index_person,
                     struct fk_exposure *exp, struct fk__grouped *out);

/* Returns p grown to hold n items of size bytes (what it holds kept; *cap follows), or NULL
   when out of memory (p is then unchanged). */
void *fk__grow(void *p, size_t *cap, size_t n, size_t size);

#endif
