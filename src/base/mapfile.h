/*
 * A whole file in memory, read-only: mapped, so a large feed costs no copy and no heap. Shared
 * by the importer and the readers of the scan.
 */
#ifndef FK_BASE_MAPFILE_H
#define FK_BASE_MAPFILE_H

#include <stddef.h>

struct fk_diag;

/* Maps the regular file at path into *buf (*size bytes; an empty file maps to an empty buffer
 * that needs no unmapping). Returns 0 or FK_EIO (diag says why). Release with fk__unmap_file. */
int fk__map_file(const char *path, const char **buf, size_t *size, struct fk_diag *diag);

/* Releases a mapping made by fk__map_file (size 0 is fine). */
void fk__unmap_file(const char *buf, size_t size);

#endif
