/* Whether a region lies in a token's node: up the hierarchy (at most four levels). */
#include "fangkong/error.h"
#include "fangkong/tasks.h"
#include "server/server.h"

int fk__region_in(struct fk_store *st, int64_t region, int64_t scope, int *in)
{
  struct fk_region_row row;
  int rc = 0;
  *in = !scope;
  for (int i = 0; !*in && region && i < 8 && !rc; i++) {
    if (region == scope) *in = 1;
    if (!*in && !(rc = fk_store_region(st, region, &row))) region = row.parent;
  }
  return rc;
}
