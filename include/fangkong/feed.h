/*
 * The feeds the command office receives, as data (the store's data model): each feed is a list
 * of typed columns, and the column names are a contract with programs outside the project
 * (docs/FORMATS.md). The store maps them to its tables; the ingest readers and validators, export
 * and the synthetic city all work from these descriptors, so a column is named and typed in
 * exactly one place. Parsing a field's text into a value is ingest's (fangkong/ingest.h).
 */
#ifndef FANGKONG_FEED_H
#define FANGKONG_FEED_H

#include "fangkong/export.h"

#include <stddef.h>
#include <stdint.h>

#include "fangkong/vocab.h"

struct fk_diag;

/* The feeds, in dependency order: a feed refers only to feeds before it. */
enum fk_feed_id {
  FK_FEED_GRIDS,
  FK_FEED_PERSONS,
  FK_FEED_PLACES,
  FK_FEED_SITES, /* centralized quarantine sites (集中隔离点) */
  FK_FEED_ROOMS, /* their rooms */
  FK_FEED_CHECKINS,
  FK_FEED_CASES,
  FK_FEED_SAMPLES,
  FK_FEED_ARRIVALS,
  FK_FEED_VACCINATIONS,
  FK_FEED_PINGS,
  FK_FEED_DUTY,
  FK_FEED_CLINIC_VISITS,   /* fever-clinic visits (发热门诊), a signal line list */
  FK_FEED_PHARMACY_SALES,  /* real-name sales of fever, cough, antiviral, antibiotic, cold drugs */
  FK_FEED_SCHOOL_ABSENCES, /* sick absences (因病缺勤) by school, day and class */
  FK_FEED_COUNTS,          /* signals reported as counts (date, region_id, channel, count) */
  FK_FEED_COUNT,
  FK_FEED_NONE = -1
};

enum fk_coltype {
  FK_COL_ID,    /* identifier: 1-64 bytes of [0-9A-Za-z_.:-] */
  FK_COL_TEXT,  /* UTF-8 text without control characters, up to `max` bytes */
  FK_COL_IDNUM, /* resident ID number (GB 11643) */
  FK_COL_PHONE, /* mainland mobile number */
  FK_COL_DATE,  /* YYYY-MM-DD, value.i is an fk_date */
  FK_COL_TIME,  /* ISO 8601 with offset, value.i is an fk_time */
  FK_COL_DAY,   /* a date, or an instant taken as its date in the city; value.i is an fk_date */
  FK_COL_INT,   /* decimal integer in [min, max] */
  FK_COL_REAL,  /* decimal number in [dmin, dmax] */
  FK_COL_ENUM,  /* one of `values` exactly; value.i is its index */
  FK_COL_BOOL   /* 0 or 1 */
};

/* Column flags. */
#define FK_COL_REQUIRED 1u /* must be present and not empty */
#define FK_COL_KEY 2u      /* part of the feed's natural key (duplicates are skipped) */

struct fk_column {
  const char *name;
  enum fk_coltype type;
  unsigned flags;
  enum fk_feed_id ref;       /* feed whose key this column names, or FK_FEED_NONE */
  int64_t min, max;          /* FK_COL_INT range; FK_COL_TEXT maximum length in bytes */
  double dmin, dmax;         /* FK_COL_REAL range */
  const char *const *values; /* FK_COL_ENUM choices, NULL-terminated */
};

/* One parsed field. Text-like types point into the record (s, n); others fill i or d. */
struct fk_value {
  int present; /* 0 when the field was empty or absent */
  const char *s;
  size_t n;
  int64_t i;
  double d;
};

struct fk_feed {
  enum fk_feed_id id;
  const char *name; /* "checkins": the file is checkins.csv or checkins.ndjson */
  const struct fk_column *cols;
  int ncols;
  /*
   * Cross-field checks after every column parsed (birth date against the ID number, checkout
   * after checkin ...). Returns 0 or an FK_E* code with diag->field and reason set. May be NULL.
   */
  int (*check)(const struct fk_value *row, struct fk_diag *diag);
};

/* The most columns any feed has. */
#define FK_FEED_MAXCOLS 16

/* Returns the descriptor of a feed; never NULL for a valid id. */
FK_API const struct fk_feed *fk_feed_get(enum fk_feed_id id);
/* Returns the feed named name ("checkins"), or NULL. */
FK_API const struct fk_feed *fk_feed_find(const char *name);
/* Returns the index of column `name` in feed, or -1. */
FK_API int fk_feed_column(const struct fk_feed *feed, const char *name);

#endif
