/*
 * The reader's per-record scratch buffer (see reader_impl.h), apart from reader.c: both parsers
 * use it and reader.c dispatches to both, so it is a leaf that calls neither.
 */
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "ingest/reader.h"
#include "ingest/reader_impl.h"

int fk__scratch(struct fk__reader *r, size_t need, char **out)
{
  if (need > r->scratch_cap) {
    char *p = fk_realloc(r->scratch, need);
    if (!p) return FK_ENOMEM;
    r->scratch = p;
    r->scratch_cap = need;
  }
  *out = r->scratch;
  return 0;
}
