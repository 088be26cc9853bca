/*
 * The import loop (see fangkong/ingest.h): map the file, read records, validate, store in
 * batches, and account for every record as stored, duplicate or rejected.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mapfile.h"
#include "fangkong/error.h"
#include "fangkong/ingest.h"
#include "fangkong/store.h"
#include "ingest/progress.h"
#include "ingest/reader.h"
#include "ingest/rejects.h"

#define DEFAULT_BATCH 50000

/* The one validator (see reader.h): every column, then the feed's cross-field check. */
int fk__feed_validate(const struct fk_feed *feed, const struct fk__record *rec,
                      struct fk_value *row, struct fk_diag *diag)
{
  for (int c = 0; c < feed->ncols; c++) {
    int rc = fk_value_parse(&feed->cols[c], rec->text[c], rec->len[c], &row[c], diag);
    if (rc) return rc;
  }
  return feed->check ? feed->check(row, diag) : 0;
}

int fk__ingest_tally(struct fk_import_stats *stats, int rc)
{
  if (rc == FK_ESTORE || rc == FK_ENOMEM) return rc;
  stats->stored += rc == 0;
  stats->duplicate += rc == FK_EDUP;
  stats->rejected += rc && rc != FK_EDUP;
  return rc && rc != FK_EDUP;
}

struct run {
  struct fk_store *st;
  const struct fk_feed *feed;
  struct fk__rejects rejects;
  struct fk_import_stats *stats;
  long batch, in_batch;
};

/* Handles one record read (or not) from the file; returns 0 or a fatal error. */
static int one_record(struct run *run, int got, const struct fk__record *rec, struct fk_diag *why)
{
  struct fk_value row[FK_FEED_MAXCOLS];
  int rc = got;
  run->stats->read++;
  if (rc == 1 && !(rc = fk__feed_validate(run->feed, rec, row, why)))
    rc = fk_store_put(run->st, run->feed, row, why);
  if ((rc = fk__ingest_tally(run->stats, rc)) < 0) return rc;
  if (rc && fk__rejects_add(&run->rejects, rec->line, why, rec->raw, rec->rawlen)) return FK_EIO;
  if (++run->in_batch >= run->batch) {
    run->in_batch = 0;
    if ((rc = fk_store_commit(run->st)) || (rc = fk_store_begin(run->st))) return rc;
  }
  return 0;
}

static int read_all(struct run *run, struct fk__reader *rd, struct fk__progress *bar,
                    struct fk_diag *diag)
{
  struct fk__record rec = {0};
  struct fk_diag why;
  int rc = fk_store_set_bulk(run->st, 1), got;
  if (!rc) rc = fk_store_begin(run->st);
  while (!rc) {
    fk_diag_clear(&why);
    got = fk__reader_next(rd, &rec, &why);
    if (got == 0) break;
    if (got == FK_ENOMEM)
      rc = got;
    else
      rc = one_record(run, got, &rec, &why);
    if ((run->stats->read & 0x3fff) == 0) fk__progress_update(bar, rd->pos, run->stats->read);
  }
  if (!rc) rc = fk_store_commit(run->st);
  if (rc) {
    if (rc == FK_ESTORE)
      fk_diag_set(diag, rc, NULL, "store error at line %ld: %s", rec.line,
                  fk_store_errmsg(run->st));
    else if (rc == FK_EIO)
      fk_diag_set(diag, rc, NULL, "cannot write %s", run->rejects.path);
    else
      fk_diag_set(diag, rc, NULL, "%s", fk_strerror(rc));
    fk_store_rollback(run->st);
  }
  fk_store_set_bulk(run->st, 0);
  return rc;
}

int fk_import_file(struct fk_store *st, const struct fk_feed *feed, const char *path,
                   const struct fk_import_opts *opts, struct fk_import_stats *stats,
                   struct fk_diag *diag)
{
  struct fk__reader rd;
  struct fk__progress bar;
  struct run run = {st, feed, {{0}, NULL}, stats, DEFAULT_BATCH, 0};
  const char *buf;
  size_t size;
  int rc = fk__map_file(path, &buf, &size, diag);
  if (rc) return rc;
  if (opts && opts->batch_rows > 0) run.batch = opts->batch_rows;
  if ((rc = fk__rejects_init(&run.rejects, path))) {
    fk_diag_set(diag, rc, NULL, "path too long");
    goto unmap;
  }
  if ((rc = fk__reader_init(&rd, feed, buf, size, fk__is_ndjson_path(path), diag))) {
    if (diag) diag->line = 1; /* only a CSV header can stop a file before its rows */
    goto out;
  }
  fk__progress_start(&bar, opts ? opts->progress : NULL, feed->name, size);
  rc = read_all(&run, &rd, &bar, diag);
  fk__progress_end(&bar);
out:
  fk__reader_free(&rd);
  if (fk__rejects_close(&run.rejects) && !rc)
    rc = fk_diag_set(diag, FK_EIO, NULL, "cannot write %s", run.rejects.path);
unmap:
  fk__unmap_file(buf, size);
  if (rc && diag && !diag->file[0]) snprintf(diag->file, sizeof diag->file, "%s", path);
  return rc;
}

int fk_import_each(const char *dir,
                   int (*found)(const struct fk_feed *feed, const char *path, void *arg), void *arg)
{
  static const char *const exts[] = {".csv", ".ndjson", ".jsonl"};
  char path[4096];
  int any = 0;
  DIR *d = opendir(dir);
  if (!d) return FK_EIO;
  closedir(d);
  for (int f = 0; f < FK_FEED_COUNT; f++)
    for (int e = 0; e < 3; e++) {
      struct stat sb;
      const struct fk_feed *feed = fk_feed_get((enum fk_feed_id)f);
      snprintf(path, sizeof path, "%s/%s%s", dir, feed->name, exts[e]);
      if (stat(path, &sb) || !S_ISREG(sb.st_mode)) continue;
      any = 1;
      int rc = found(feed, path, arg);
      if (rc) return rc;
    }
  return any ? 0 : FK_ENOTFOUND;
}
