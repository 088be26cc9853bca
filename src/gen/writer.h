/*
 * Buffered CSV output for the generator: one 1 MiB buffer a file, handed to fwrite whole, and
 * hand-written formatting of integers, dates, instants and coordinates, because printf would
 * cost more than all the rest of generating a check-in. A row must fit in FK__CSV_ROWMAX bytes:
 * callers reserve that much before each row and then append without further checks.
 * Text fields are quoted (RFC 4180) only when they hold a comma, quote or line break.
 */
#ifndef FK_GEN_WRITER_H
#define FK_GEN_WRITER_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/feed.h"
#include "fangkong/time.h"

#define FK__CSV_CHUNK (1u << 20)
#define FK__CSV_ROWMAX 2048u

struct fk_diag;

struct fk__csv {
  FILE *f;
  char *buf; /* FK__CSV_CHUNK + FK__CSV_ROWMAX bytes, owned */
  size_t len;
  uint64_t rows, bytes;
  int err; /* sticky: set once a write failed */
  char path[1024];
};

/*
 * Creates dir/<feed>.csv and writes its header from the feed's column names. Returns 0, or
 * FK_ENOMEM / FK_EIO with the reason in diag; on failure nothing needs closing.
 */
int fk__csv_open(struct fk__csv *w, const char *dir, const struct fk_feed *feed,
                 struct fk_diag *diag);
/* Writes out the buffer when it holds a whole chunk; returns 0 or FK_EIO (sticky). */
int fk__csv_flush(struct fk__csv *w);
/* Flushes, closes and frees; returns 0 or FK_EIO with the file in diag. Safe to call twice. */
int fk__csv_close(struct fk__csv *w, struct fk_diag *diag);

/* Makes room for one row (at most FK__CSV_ROWMAX bytes). */
static inline void fk__csv_row(struct fk__csv *w)
{
  if (w->len >= FK__CSV_CHUNK) fk__csv_flush(w);
}

static inline void fk__csv_end(struct fk__csv *w)
{
  w->buf[w->len++] = '\n';
  w->rows++;
}

static inline void fk__csv_c(struct fk__csv *w, char c)
{
  w->buf[w->len++] = c;
}

static inline void fk__csv_mem(struct fk__csv *w, const char *s, size_t n)
{
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}

static inline void fk__csv_str(struct fk__csv *w, const char *s)
{
  fk__csv_mem(w, s, strlen(s));
}

/* Appends v in decimal. */
static inline void fk__csv_u64(struct fk__csv *w, uint64_t v)
{
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    w->buf[w->len++] = tmp[--n];
}

/* Appends v in decimal, zero-padded to width digits. */
static inline void fk__csv_u64w(struct fk__csv *w, uint64_t v, int width)
{
  for (int i = width - 1; i >= 0; i--) {
    w->buf[w->len + (size_t)i] = (char)('0' + v % 10);
    v /= 10;
  }
  w->len += (size_t)width;
}

/* Appends an identifier made of a prefix and a number ("P12345"). */
static inline void fk__csv_id(struct fk__csv *w, char prefix, uint64_t v)
{
  w->buf[w->len++] = prefix;
  fk__csv_u64(w, v);
}

/* Appends text, quoted only when it holds a comma, quote or line break. */
void fk__csv_text(struct fk__csv *w, const char *s, size_t n);

/* Appends "YYYY-MM-DD". */
void fk__csv_date(struct fk__csv *w, fk_date d);

/* The 11 bytes "YYYY-MM-DDT" of a day, made once per day for fk__csv_daytime. */
void fk__csv_day_prefix(fk_date d, char out[11]);

/* Appends prefix + "HH:MM:SS+08:00" for sec seconds (0..86399) into the day. */
static inline void fk__csv_daytime(struct fk__csv *w, const char prefix[11], int32_t sec)
{
  char *p = w->buf + w->len;
  int h = sec / 3600, m = sec / 60 % 60, s = sec % 60;
  memcpy(p, prefix, 11);
  p[11] = (char)('0' + h / 10);
  p[12] = (char)('0' + h % 10);
  p[13] = ':';
  p[14] = (char)('0' + m / 10);
  p[15] = (char)('0' + m % 10);
  p[16] = ':';
  p[17] = (char)('0' + s / 10);
  p[18] = (char)('0' + s % 10);
  memcpy(p + 19, "+08:00", 6);
  w->len += 25;
}

/* Appends the instant t in the city's zone, "2022-07-14T09:31:00+08:00". */
void fk__csv_time(struct fk__csv *w, fk_time t);

/* Appends a coordinate with six decimals (about 0.1 m). */
void fk__csv_deg(struct fk__csv *w, double deg);

#endif
