/* Buffered CSV output (see writer.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "gen/writer.h"

int fk__csv_open(struct fk__csv *w, const char *dir, const struct fk_feed *feed,
                 struct fk_diag *diag)
{
  memset(w, 0, sizeof *w);
  snprintf(w->path, sizeof w->path, "%s/%s.csv", dir, feed->name);
  w->buf = fk_malloc(FK__CSV_CHUNK + FK__CSV_ROWMAX);
  if (!w->buf) return fk_diag_set(diag, FK_ENOMEM, NULL, "no memory for the output buffer");
  w->f = fopen(w->path, "wb");
  if (!w->f) {
    int e = errno;
    fk_free(w->buf);
    w->buf = NULL;
    if (diag) snprintf(diag->file, sizeof diag->file, "%.255s", w->path);
    return fk_diag_set(diag, FK_EIO, NULL, "cannot create: %s", strerror(e));
  }
  for (int i = 0; i < feed->ncols; i++) {
    if (i) fk__csv_c(w, ',');
    fk__csv_str(w, feed->cols[i].name);
  }
  w->buf[w->len++] = '\n';
  return 0;
}

int fk__csv_flush(struct fk__csv *w)
{
  if (w->len && !w->err && fwrite(w->buf, 1, w->len, w->f) != w->len) w->err = FK_EIO;
  w->bytes += w->len;
  w->len = 0;
  return w->err;
}

int fk__csv_close(struct fk__csv *w, struct fk_diag *diag)
{
  int rc = 0;
  if (!w->f) return 0;
  fk__csv_flush(w);
  rc = w->err;
  if (fclose(w->f) != 0 && !rc) rc = FK_EIO;
  w->f = NULL;
  fk_free(w->buf);
  w->buf = NULL;
  if (rc) {
    if (diag) snprintf(diag->file, sizeof diag->file, "%.255s", w->path);
    return fk_diag_set(diag, rc, NULL, "write failed (disk full?)");
  }
  return 0;
}

void fk__csv_text(struct fk__csv *w, const char *s, size_t n)
{
  if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
    fk__csv_mem(w, s, n);
    return;
  }
  fk__csv_c(w, '"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') fk__csv_c(w, '"');
    fk__csv_c(w, s[i]);
  }
  fk__csv_c(w, '"');
}

void fk__csv_date(struct fk__csv *w, fk_date d)
{
  int y, m, dd;
  fk_date_to_ymd(d, &y, &m, &dd);
  fk__csv_u64w(w, (uint64_t)y, 4);
  fk__csv_c(w, '-');
  fk__csv_u64w(w, (uint64_t)m, 2);
  fk__csv_c(w, '-');
  fk__csv_u64w(w, (uint64_t)dd, 2);
}

void fk__csv_day_prefix(fk_date d, char out[11])
{
  int y, m, dd;
  fk_date_to_ymd(d, &y, &m, &dd);
  out[0] = (char)('0' + y / 1000 % 10);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + dd / 10);
  out[9] = (char)('0' + dd % 10);
  out[10] = 'T';
}

void fk__csv_time(struct fk__csv *w, fk_time t)
{
  fk_time local = t + FK_CITY_UTC_OFFSET;
  int64_t day = local >= 0 ? local / FK_SECONDS_PER_DAY : -((-local + 86399) / 86400);
  char prefix[11];
  fk__csv_day_prefix((fk_date)day, prefix);
  fk__csv_daytime(w, prefix, (int32_t)(local - day * FK_SECONDS_PER_DAY));
}

void fk__csv_deg(struct fk__csv *w, double deg)
{
  int64_t micro = (int64_t)llround(deg * 1e6);
  if (micro < 0) {
    fk__csv_c(w, '-');
    micro = -micro;
  }
  fk__csv_u64(w, (uint64_t)(micro / 1000000));
  fk__csv_c(w, '.');
  fk__csv_u64w(w, (uint64_t)(micro % 1000000), 6);
}
