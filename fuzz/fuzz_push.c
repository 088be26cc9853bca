/* libFuzzer target: the push reader (src/ingest/push.c) against the whole-body reader. The first
   byte picks the feed and the format, the second seeds how the body is cut into pieces (1 to
   64 bytes, now and then empty), the rest is the body; every record, error, line, raw text,
   field and reason must be the same both ways. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "ingest/push.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(int ok)
{
  if (!ok) abort();
}

static int same_bytes(const char *a, size_t na, const char *b, size_t nb)
{
  return na == nb && (!na || !memcmp(a, b, na));
}

/* The push reader's next record: adds pieces of body from *at until it has one or all is in. */
static int push_next(struct fk__push *p, const char *body, size_t size, size_t *at, unsigned *seed,
                     struct fk__record *rec, struct fk_diag *diag)
{
  for (;;) {
    int got = fk__push_next(p, rec, diag);
    if (got || p->ended) return got;
    if (*at == size) {
      fk__push_end(p);
      continue;
    }
    *seed = *seed * 1103515245u + 12345u;
    size_t n = (*seed >> 16) % 65;
    if (n > size - *at) n = size - *at;
    if (fk__push_add(p, body + *at, n)) abort(); /* no allocation fails here */
    *at += n;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fk__reader r;
  struct fk__push p;
  struct fk__record a, b;
  struct fk_diag da, db;
  if (size < 2) return 0;
  const struct fk_feed *feed = fk_feed_get((enum fk_feed_id)(data[0] % FK_FEED_COUNT));
  int ndjson = data[0] / FK_FEED_COUNT % 2, got, init;
  unsigned seed = data[1];
  const char *body = (const char *)data + 2;
  size_t n = size - 2, at = 0;
  fk_diag_clear(&da);
  fk_diag_clear(&db);
  init = fk__reader_init(&r, feed, body, n, ndjson, &da);
  fk__push_init(&p, feed, ndjson);
  if (init) { /* the header: the push reader's first answer is the same error */
    same(push_next(&p, body, n, &at, &seed, &b, &db) == init && p.broken);
    same(!strcmp(da.reason, db.reason) && !strcmp(da.field, db.field));
    same(push_next(&p, body, n, &at, &seed, &b, &db) == 0);
  }
  for (long guard = 0; !init && guard < 100000; guard++) {
    fk_diag_clear(&da);
    fk_diag_clear(&db);
    got = fk__reader_next(&r, &a, &da);
    same(push_next(&p, body, n, &at, &seed, &b, &db) == got);
    if (!got || got == FK_ENOMEM) break;
    same(a.line == b.line && same_bytes(a.raw, a.rawlen, b.raw, b.rawlen));
    same(!strcmp(da.reason, db.reason) && !strcmp(da.field, db.field));
    for (int c = 0; got == 1 && c < feed->ncols; c++)
      same(same_bytes(a.text[c], a.len[c], b.text[c], b.len[c]));
  }
  fk__reader_free(&r);
  fk__push_free(&p);
  return 0;
}
