/* The rejects file (see rejects.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fangkong/error.h"
#include "fangkong/table.h"
#include "ingest/reader.h"
#include "ingest/rejects.h"

/* A rejected record is kept whole up to this size; longer ones are cut and say so. */
#define KEEP_MAX 65536

int fk__rejects_init(struct fk__rejects *rj, const char *path)
{
  memset(rj, 0, sizeof *rj);
  if (snprintf(rj->path, sizeof rj->path, "%s.rejects.csv", path) >= (int)sizeof rj->path)
    return FK_ETOOLONG;
  return 0;
}

int fk__rejects_add(struct fk__rejects *rj, long line, const struct fk_diag *why, const char *raw,
                    size_t rawlen)
{
  char reason[640];
  if (!rj->out) {
    if (!(rj->out = fopen(rj->path, "w"))) return FK_EIO;
    fputs("line,column,reason,text\n", rj->out);
  }
  fprintf(rj->out, "%ld,", line);
  fk_csv_field(rj->out, why->field, strlen(why->field));
  fputc(',', rj->out);
  int n = snprintf(reason, sizeof reason, "%s", why->reason);
  if (rawlen > KEEP_MAX)
    snprintf(reason + n, sizeof reason - (size_t)n, " (text cut to its first %d of %zu bytes)",
             KEEP_MAX, rawlen);
  fk_csv_field(rj->out, reason, strlen(reason));
  fputc(',', rj->out);
  fk_csv_field(rj->out, raw, rawlen > KEEP_MAX ? KEEP_MAX : rawlen);
  fputc('\n', rj->out);
  return ferror(rj->out) ? FK_EIO : 0;
}

int fk__rejects_close(struct fk__rejects *rj)
{
  int rc = 0;
  if (rj->out) {
    if (fclose(rj->out)) rc = FK_EIO;
    rj->out = NULL;
  } else {
    unlink(rj->path);
  }
  return rc;
}
