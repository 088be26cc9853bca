/* The feed reader's common part: start, next record, free (see reader.h). */
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "ingest/reader.h"
#include "ingest/reader_impl.h"

int fk__reader_init(struct fk__reader *r, const struct fk_feed *feed, const char *buf, size_t size,
                    int ndjson, struct fk_diag *diag)
{
  memset(r, 0, sizeof *r);
  r->feed = feed;
  r->buf = buf;
  r->size = size;
  r->line = 1;
  r->ndjson = ndjson;
  if (size >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) r->pos = 3; /* UTF-8 byte order mark */
  return ndjson ? 0 : fk__csv_header(r, diag);
}

int fk__reader_next(struct fk__reader *r, struct fk__record *rec, struct fk_diag *diag)
{
  for (int i = 0; i < FK_FEED_MAXCOLS; i++) {
    rec->text[i] = "";
    rec->len[i] = 0;
  }
  if (!r->ndjson && !r->colmap) return 0; /* empty CSV file */
  return r->ndjson ? fk__ndjson_next(r, rec, diag) : fk__csv_next(r, rec, diag);
}

void fk__reader_free(struct fk__reader *r)
{
  fk__ndjson_free(r);
  fk_free(r->colmap);
  fk_free(r->scratch);
  fk_free(r->ftext);
  fk_free(r->flen);
  memset(r, 0, sizeof *r);
}

int fk__is_ndjson_path(const char *path)
{
  static const char *const exts[] = {".ndjson", ".jsonl", ".json"};
  size_t n = strlen(path);
  for (int i = 0; i < 3; i++) {
    size_t e = strlen(exts[i]);
    if (n > e && !strcmp(path + n - e, exts[i])) return 1;
  }
  return 0;
}
