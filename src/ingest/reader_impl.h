/* Internals shared by the CSV and NDJSON halves of the feed reader. */
#ifndef FK_INGEST_READER_IMPL_H
#define FK_INGEST_READER_IMPL_H

#include "ingest/reader.h"

/* Makes r->scratch hold at least `need` bytes; *out points at it. Returns 0 or FK_ENOMEM
 * (scratch.c: a leaf, since both parsers use it and reader.c calls both). */
int fk__scratch(struct fk__reader *r, size_t need, char **out);

int fk__csv_header(struct fk__reader *r, struct fk_diag *diag);
int fk__csv_fields(struct fk__reader *r, struct fk__record *rec, int *count, struct fk_diag *diag);
int fk__csv_next(struct fk__reader *r, struct fk__record *rec, struct fk_diag *diag);
int fk__ndjson_next(struct fk__reader *r, struct fk__record *rec, struct fk_diag *diag);
void fk__ndjson_free(struct fk__reader *r);

#endif
