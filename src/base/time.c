/*
 * Civil dates and ISO 8601 instants (see fangkong/time.h). Day counting uses the classic
 * era-based conversion between days since 1970-01-01 and proleptic Gregorian dates, exact for
 * every year this system will see and far beyond.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/time.h"

int fk_is_leap_year(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int fk_days_in_month(int y, int m)
{
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return days[m - 1] + (m == 2 && fk_is_leap_year(y));
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int fk_date_from_ymd(int y, int m, int d, fk_date *out)
{
  if (y < 1 || y > 9999 || d < 1 || d > fk_days_in_month(y, m)) return FK_ERANGE;
  *out = (fk_date)days_from_civil(y, m, d);
  return 0;
}

void fk_date_to_ymd(fk_date date, int *py, int *pm, int *pd)
{
  int64_t z = (int64_t)date + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  int y = (int)(yoe + era * 400 + (m <= 2));
  if (py) *py = y;
  if (pm) *pm = m;
  if (pd) *pd = d;
}

/* Reads exactly `width` digits at s into *out; returns 0 or -1. */
static int digits(const char *s, int width, int *out)
{
  int v = 0;
  for (int i = 0; i < width; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

/* Parses "YYYY-MM-DD" at the start of s (at least 10 bytes available). */
static int ymd(const char *s, fk_date *out, struct fk_diag *diag, const char *what)
{
  int y, m, d;
  if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
      digits(s + 8, 2, &d))
    return fk_diag_set(diag, FK_EPARSE, NULL, "%s must start with YYYY-MM-DD", what);
  if (fk_date_from_ymd(y, m, d, out))
    return fk_diag_set(diag, FK_ERANGE, NULL, "no such date %.10s", s);
  return 0;
}

int fk_date_parse(const char *s, size_t n, fk_date *out, struct fk_diag *diag)
{
  if (n != 10) return fk_diag_set(diag, FK_EPARSE, NULL, "a date is YYYY-MM-DD (10 characters)");
  return ymd(s, out, diag, "a date");
}

char *fk_date_format(fk_date date, char *buf)
{
  int y, m, d;
  fk_date_to_ymd(date, &y, &m, &d);
  snprintf(buf, FK_DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
  return buf;
}

/* Parses the zone designator at s (n bytes left); sets *offset in seconds east of UTC. */
static int zone(const char *s, size_t n, int *offset, struct fk_diag *diag)
{
  int hh, mm;
  if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
    *offset = 0;
    return 0;
  }
  if (n == 0)
    return fk_diag_set(diag, FK_EPARSE, NULL,
                       "time has no UTC offset (write +08:00 or Z): local time is ambiguous");
  if ((s[0] != '+' && s[0] != '-') || !(n == 6 || n == 5) || digits(s + 1, 2, &hh))
    return fk_diag_set(diag, FK_EPARSE, NULL, "bad UTC offset '%.*s'", (int)n, s);
  if (n == 6 ? (s[3] != ':' || digits(s + 4, 2, &mm)) : digits(s + 3, 2, &mm))
    return fk_diag_set(diag, FK_EPARSE, NULL, "bad UTC offset '%.*s'", (int)n, s);
  if (hh > 14 || mm > 59)
    return fk_diag_set(diag, FK_ERANGE, NULL, "UTC offset out of range '%.*s'", (int)n, s);
  *offset = (s[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
  return 0;
}

int fk_time_parse(const char *s, size_t n, fk_time *out, struct fk_diag *diag)
{
  fk_date date;
  int hh, mi, ss = 0, offset = 0, rc;
  size_t at = 16;
  if (n < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || digits(s + 11, 2, &hh) ||
      s[13] != ':' || digits(s + 14, 2, &mi))
    return fk_diag_set(diag, FK_EPARSE, NULL,
                       "a time is YYYY-MM-DDTHH:MM:SS+08:00 (ISO 8601 with offset)");
  if ((rc = ymd(s, &date, diag, "a time"))) return rc;
  if (at < n && s[at] == ':') {
    if (n < at + 3 || digits(s + at + 1, 2, &ss))
      return fk_diag_set(diag, FK_EPARSE, NULL, "seconds must be two digits");
    at += 3;
    if (at < n && (s[at] == '.' || s[at] == ',')) {
      size_t f = ++at;
      while (at < n && s[at] >= '0' && s[at] <= '9')
        at++;
      if (at == f) return fk_diag_set(diag, FK_EPARSE, NULL, "empty fraction of a second");
    }
  }
  if (hh > 23 || mi > 59 || ss > 59)
    return fk_diag_set(diag, FK_ERANGE, NULL, "no such time of day %.*s", (int)(at - 11), s + 11);
  if ((rc = zone(s + at, n - at, &offset, diag))) return rc;
  *out = (fk_time)date * FK_SECONDS_PER_DAY + hh * 3600 + mi * 60 + ss - offset;
  return 0;
}

static int64_t floordiv(int64_t a, int64_t b)
{
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

fk_date fk_time_date(fk_time t)
{
  return (fk_date)floordiv(t + FK_CITY_UTC_OFFSET, FK_SECONDS_PER_DAY);
}

fk_time fk_date_start(fk_date d)
{
  return (fk_time)d * FK_SECONDS_PER_DAY - FK_CITY_UTC_OFFSET;
}

fk_time fk_date_at(fk_date d, int hh, int mm, int ss)
{
  return fk_date_start(d) + hh * 3600 + mm * 60 + ss;
}

/* Writes v (0..99) as two digits at p. */
static void two_digits(char *p, int v)
{
  p[0] = (char)('0' + v / 10);
  p[1] = (char)('0' + v % 10);
}

char *fk_time_format(fk_time t, char *buf)
{
  fk_date d = fk_time_date(t);
  int64_t sec = t + FK_CITY_UTC_OFFSET - (int64_t)d * FK_SECONDS_PER_DAY;
  int y, m, dd;
  fk_date_to_ymd(d, &y, &m, &dd);
  if (y < 0 || y > 9999) { /* outside what four digits hold: printf's way */
    snprintf(buf, FK_TIME_BUFSZ, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:%02d", y, m, dd,
             (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60), FK_CITY_UTC_OFFSET / 3600,
             FK_CITY_UTC_OFFSET / 60 % 60);
    return buf;
  }
  /* The same text without printf: traces write millions of these. */
  memcpy(buf, "0000-00-00T00:00:00+00:00", 26);
  two_digits(buf, y / 100);
  two_digits(buf + 2, y % 100);
  two_digits(buf + 5, m);
  two_digits(buf + 8, dd);
  two_digits(buf + 11, (int)(sec / 3600));
  two_digits(buf + 14, (int)(sec / 60 % 60));
  two_digits(buf + 17, (int)(sec % 60));
  two_digits(buf + 20, FK_CITY_UTC_OFFSET / 3600);
  two_digits(buf + 23, FK_CITY_UTC_OFFSET / 60 % 60);
  return buf;
}
