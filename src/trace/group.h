/*
 * Grouping a trace's hits into contacts (src/trace/group.c).
 *
 * The walk (trace.c) finds the exposures of everyone met through one person at a time, the via
 * (0: the case itself at degree 1; a close contact at degree 2): each is a hit. Each via's hits
 * are grouped at once, while they are in cache (a few thousand): sorted by person, their
 * exposures written once, in order, into exposure chunks that never move, their contacts
 * appended in order of person. So a trace's contacts come by via, then person, and no hit ever
 * goes through main memory.
 */
#ifndef FK_TRACE_GROUP_H
#define FK_TRACE_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "trace/index.h"

/* One exposure found through the via being walked, in index time. 16 bytes. */
struct fk__hit {
  uint32_t person;
  uint32_t place; /* 0: the household */
  uint32_t start, end;
};

/* A block of exposures; once written, an exposure stays where it is until the next trace. */
struct fk__chunk {
  struct fk_exposure *e;
  size_t n, cap;
};

/* Exposure chunks, kept from trace to trace (they only grow in number): chunks [0, cur] hold
   this trace's exposures, in chunk cur up to its n. */
struct fk__exposures {
  struct fk__chunk *c;
  size_t nc, cap, cur;
};

/* Empties the chunks for a new trace (their memory kept). */
void fk__exposures_reset(struct fk__exposures *x);
/* Frees every chunk. */
void fk__exposures_free(struct fk__exposures *x);

/* One thread's room for grouping one via, kept from trace to trace: where its hits are moved
   to while they are sorted. */
struct fk__grouper {
  struct fk__hit *tmp;
  size_t tmp_cap;
};

void fk__grouper_free(struct fk__grouper *g);

/* Where one via's contacts go: contacts (struct fk_contact) appended to con; at degree 1, cases
   met become links (struct fk_case_link) appended to lnk, when lnk is not NULL. cases: a bit
   per person set for every case (NULL: asked of the index, a larger array). */
struct fk__sink {
  struct fk__vec *con, *lnk;
  struct fk__exposures *exp;
  const uint64_t *cases;
};

/*
 * Groups the n hits h[0..n) found through via (0: degree 1, through the case index_person) into
 * contacts appended to out->con in order of person, each one's exposures written into out->exp
 * in order of (start, place), found order for ties. At degree 1 a case met becomes a link from
 * index_person when out->lnk is set; index_person is left out. Categories: the place's at
 * degree 1, close at degree 2 (which only meets at home and at close places). The hits are
 * sorted in place: h holds them in no particular order afterwards. Returns 0 or FK_ENOMEM
 * (then out may hold part of this via's contacts).
 */
int fk__group_via(const struct fk_trace_index *ix, struct fk__grouper *g, struct fk__hit *h,
                  size_t n, uint32_t via, uint32_t index_person, struct fk__sink *out);

/* Returns p grown to hold n items of size bytes (what it holds kept; *cap follows), or NULL
   when out of memory (p is then unchanged). */
void *fk__grow(void *p, size_t *cap, size_t n, size_t size);

#endif
