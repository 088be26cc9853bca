/* What `fangkong detect` and `fangkong evaluate` share: reading counts.csv with its rejects on
   stderr, and turning --range FROM:TO into points. */
#ifndef FK_CLI_COUNTS_IN_H
#define FK_CLI_COUNTS_IN_H

#include <stddef.h>

struct fk_counts;

/* Reads path into *out, each rejected row printed on stderr (FILE:LINE: field: reason), their
   number in *rejected. Returns 0, or FK_EXIT_ERROR after saying why. */
int fk__counts_load(const char *path, struct fk_counts **out, long *rejected);

/* The points of c within range ("FROM:TO", or NULL for all) into from..to. Returns 0;
   FK_EXIT_USAGE for a malformed range; FK_EXIT_ERROR when it holds none of c's dates (both
   after saying so, as command cmd). */
int fk__range_points(const char *cmd, const char *range, const struct fk_counts *c, size_t *from,
                     size_t *to);

#endif
