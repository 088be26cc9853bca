/* Shared body of the CSV and NDJSON reader fuzzers: the first byte picks the feed, the rest is
   the file; every record is read and validated as the importer would. */
#include <stddef.h>
#include <stdint.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ingest.h"
#include "ingest/reader.h"

static int fuzz_reader(const uint8_t *data, size_t size, int ndjson)
{
  struct fk__reader r;
  struct fk__record rec;
  struct fk_diag diag;
  if (size < 1) return 0;
  const struct fk_feed *feed = fk_feed_get((enum fk_feed_id)(data[0] % FK_FEED_COUNT));
  if (fk__reader_init(&r, feed, (const char *)data + 1, size - 1, ndjson, &diag) == 0) {
    int got;
    long guard = 0;
    while ((got = fk__reader_next(&r, &rec, &diag)) != 0 && got != FK_ENOMEM && guard++ < 100000) {
      if (got != 1) continue;
      struct fk_value row[FK_FEED_MAXCOLS];
      int rc = 0;
      for (int c = 0; c < feed->ncols && !rc; c++)
        rc = fk_value_parse(&feed->cols[c], rec.text[c], rec.len[c], &row[c], &diag);
      if (!rc && feed->check) feed->check(row, &diag);
    }
  }
  fk__reader_free(&r);
  return 0;
}
