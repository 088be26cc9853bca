/*
 * Civil time in the city's zone.
 *
 * Inside, an instant is an fk_time (int64 seconds since 1970-01-01T00:00:00Z) and a civil date
 * is an fk_date (days since 1970-01-01). Text is parsed and printed only at the edges, in
 * ISO 8601: instants always carry their offset ("2022-07-14T09:31:00+08:00" or "...Z"), since a
 * time without one is ambiguous and is refused. The city's zone is UTC+8 (China Standard Time,
 * no daylight saving since 1991). No function here reads the clock: time is an input.
 */
#ifndef FANGKONG_TIME_H
#define FANGKONG_TIME_H

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

struct fk_diag;

typedef int64_t fk_time;
typedef int32_t fk_date;

/* The city's offset from UTC in seconds (Asia/Shanghai). */
#define FK_CITY_UTC_OFFSET (8 * 3600)
#define FK_SECONDS_PER_DAY 86400

/* "No time given", where a time is optional. */
#define FK_TIME_NONE INT64_MIN
/* "No date": the end of an open-ended phase, a test not taken, a date not given. */
#define FK_DATE_NONE INT32_MIN

/* Buffer sizes that always suffice for the formatters below, NUL included. */
#define FK_DATE_BUFSZ 16
#define FK_TIME_BUFSZ 32

/* Sets *out from a proleptic Gregorian y-m-d; returns 0 or FK_ERANGE (no 2022-02-30). */
FK_API int fk_date_from_ymd(int y, int m, int d, fk_date *out);
/* Splits a date into year, month (1-12) and day (1-31); any pointer may be NULL. */
FK_API void fk_date_to_ymd(fk_date date, int *y, int *m, int *d);
/* Returns 1 for a leap year, else 0. */
FK_API int fk_is_leap_year(int y);
/* Returns the number of days in month m (1-12) of year y, or 0 for a bad month. */
FK_API int fk_days_in_month(int y, int m);

/*
 * Parses exactly "YYYY-MM-DD" from the n bytes at s. Returns 0, FK_EPARSE (shape) or
 * FK_ERANGE (no such day); diag, if not NULL, says which.
 */
FK_API int fk_date_parse(const char *s, size_t n, fk_date *out, struct fk_diag *diag);
/* Writes "YYYY-MM-DD" into buf (FK_DATE_BUFSZ bytes); returns buf. */
FK_API char *fk_date_format(fk_date date, char *buf);

/*
 * Parses an ISO 8601 instant with its offset from the n bytes at s:
 * YYYY-MM-DD(T| )HH:MM[:SS[.fraction]](Z|+HH:MM|-HH:MM|+HHMM|-HHMM). A fraction is accepted and
 * dropped (the store keeps seconds). Returns 0, FK_EPARSE or FK_ERANGE, with the reason in diag.
 */
FK_API int fk_time_parse(const char *s, size_t n, fk_time *out, struct fk_diag *diag);
/* Writes t in the city's zone, "2022-07-14T09:31:00+08:00", into buf (FK_TIME_BUFSZ). */
FK_API char *fk_time_format(fk_time t, char *buf);

/* Returns the city's civil date at instant t. */
FK_API fk_date fk_time_date(fk_time t);
/* Returns the instant of 00:00 in the city's zone on date d. */
FK_API fk_time fk_date_start(fk_date d);
/* Returns the instant of hh:mm:ss on date d in the city's zone. */
FK_API fk_time fk_date_at(fk_date d, int hh, int mm, int ss);

#endif
