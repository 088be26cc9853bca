/*
 * The feed descriptors: every column of every feed, its type, whether it is required or part of
 * the natural key, and what it refers to. docs/FORMATS.md describes the same contract for people.
 */
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/ident.h"

static const char *const sexes[] = {"M", "F", NULL};
static const char *const case_kinds[] = {"confirmed", "asymptomatic", NULL};
static const char *const results[] = {"negative", "positive", "pending", NULL};

#define REQ FK_COL_REQUIRED
#define KEY (FK_COL_REQUIRED | FK_COL_KEY)
#define NONE FK_FEED_NONE
#define LAT(name)                                                                                  \
  {                                                                                                \
    name, FK_COL_REAL, REQ, NONE, 0, 0, -90, 90, NULL                                              \
  }
#define LON(name)                                                                                  \
  {                                                                                                \
    name, FK_COL_REAL, REQ, NONE, 0, 0, -180, 180, NULL                                            \
  }
#define TEXT(name, flags, max)                                                                     \
  {                                                                                                \
    name, FK_COL_TEXT, flags, NONE, 0, max, 0, 0, NULL                                             \
  }
#define ID(name, flags, ref)                                                                       \
  {                                                                                                \
    name, FK_COL_ID, flags, ref, 0, 0, 0, 0, NULL                                                  \
  }
#define TYPED(name, type, flags)                                                                   \
  {                                                                                                \
    name, type, flags, NONE, 0, 0, 0, 0, NULL                                                      \
  }
#define ENUM(name, flags, values)                                                                  \
  {                                                                                                \
    name, FK_COL_ENUM, flags, NONE, 0, 0, 0, 0, values                                             \
  }

static const struct fk_column grid_cols[] = {
    ID("grid_id", KEY, NONE),
    TEXT("name", REQ, 128),
    TEXT("community", REQ, 128),
    TEXT("street", REQ, 128),
    TEXT("district", REQ, 128),
    LAT("lat"),
    LON("lon"),
};

static const struct fk_column person_cols[] = {
    ID("person_id", KEY, NONE),
    TYPED("id_number", FK_COL_IDNUM, REQ),
    TEXT("name", REQ, 64),
    ENUM("sex", REQ, sexes),
    TYPED("birth_date", FK_COL_DATE, REQ),
    TYPED("phone", FK_COL_PHONE, 0),
    ID("household_id", REQ, NONE),
    ID("grid_id", REQ, FK_FEED_GRIDS),
    TEXT("address", 0, 256),
};

static const struct fk_column place_cols[] = {
    ID("place_id", KEY, NONE),
    TEXT("name", REQ, 128),
    ENUM("kind", REQ, fk_place_kinds),
    ID("grid_id", REQ, FK_FEED_GRIDS),
    LAT("lat"),
    LON("lon"),
    {"capacity", FK_COL_INT, REQ, NONE, 0, 10000000, 0, 0, NULL},
};

/* A centralized quarantine site (集中隔离点) with its three zones and two channels (三区两通道),
 * each described in words: a site lacking one cannot be used, so all five are required. */
static const struct fk_column site_cols[] = {
    ID("site_id", KEY, NONE),
    TEXT("name", REQ, 128),
    ID("grid_id", REQ, FK_FEED_GRIDS),
    LAT("lat"),
    LON("lon"),
    TEXT("clean_zone", REQ, 256),
    TEXT("buffer_zone", REQ, 256),
    TEXT("contaminated_zone", REQ, 256),
    TEXT("staff_channel", REQ, 256),
    TEXT("resident_channel", REQ, 256),
    {"staff", FK_COL_INT, REQ, NONE, 0, 100000, 0, 0, NULL},
    TYPED("allows_households", FK_COL_BOOL, REQ),
};

static const struct fk_column room_cols[] = {
    ID("site_id", KEY, FK_FEED_SITES),
    ID("room_id", KEY, NONE),
    ENUM("kind", REQ, fk_room_kinds),
    {"beds", FK_COL_INT, REQ, NONE, 1, 20, 0, 0, NULL},
};

static const struct fk_column checkin_cols[] = {
    ID("person_id", KEY, FK_FEED_PERSONS),
    ID("place_id", KEY, FK_FEED_PLACES),
    TYPED("checkin_at", FK_COL_TIME, KEY),
    TYPED("checkout_at", FK_COL_TIME, 0),
};

static const struct fk_column case_cols[] = {
    ID("person_id", KEY, FK_FEED_PERSONS), ENUM("kind", REQ, case_kinds),
    TYPED("onset_date", FK_COL_DATE, 0),   TYPED("sampled_at", FK_COL_TIME, REQ),
    TYPED("isolated_at", FK_COL_TIME, 0),
};

static const struct fk_column sample_cols[] = {
    ID("sample_id", KEY, NONE),
    ID("pool_id", 0, NONE),
    ID("person_id", REQ, FK_FEED_PERSONS),
    TYPED("sampled_at", FK_COL_TIME, REQ),
    ID("site_id", REQ, NONE),
    ENUM("result", REQ, results),
    TYPED("reported_at", FK_COL_TIME, 0),
};

static const struct fk_column arrival_cols[] = {
    ID("person_id", KEY, FK_FEED_PERSONS),
    TYPED("arrived_at", FK_COL_TIME, KEY),
    TEXT("origin", REQ, 128),
    TEXT("port", 0, 128),
    TYPED("international", FK_COL_BOOL, REQ),
    TYPED("left_at", FK_COL_TIME, 0), /* when the person left the origin (risk areas) */
};

static const struct fk_column vaccination_cols[] = {
    ID("person_id", KEY, FK_FEED_PERSONS),
    {"dose", FK_COL_INT, KEY, NONE, 1, 10, 0, 0, NULL},
    TYPED("vaccinated_at", FK_COL_DAY, REQ),
};

/* Phone locations, for spatiotemporal companions (时空伴随). */
static const struct fk_column ping_cols[] = {
    ID("person_id", KEY, FK_FEED_PERSONS),
    TYPED("at", FK_COL_TIME, KEY),
    LAT("lat"),
    LON("lon"),
};

/* Duty rosters (值班表): who answers for a unit in a shift, and so receives its escalations. */
static const struct fk_column duty_cols[] = {
    TEXT("unit", KEY, 160), /* a grid_id, a region code (/district/street/community) or city */
    TYPED("from", FK_COL_TIME, KEY), TYPED("to", FK_COL_TIME, REQ),
    TEXT("officer", REQ, 64),        TYPED("phone", FK_COL_PHONE, 0),
};

/* Signal line lists (多点触发): counted per day and region by fk_signal_counts. */
static const struct fk_column clinic_visit_cols[] = {
    ID("person_id", KEY, FK_FEED_PERSONS),
    TYPED("visited_at", FK_COL_TIME, KEY),
    ID("place_id", KEY, FK_FEED_PLACES), /* the clinic */
    ENUM("syndrome", REQ, fk_syndromes),
};

static const struct fk_column pharmacy_sale_cols[] = {
    ID("person_id", KEY, FK_FEED_PERSONS), /* the buyer, by real name (实名购药) */
    TYPED("sold_at", FK_COL_TIME, KEY),
    ID("place_id", KEY, FK_FEED_PLACES), /* the pharmacy */
    ENUM("drug_class", KEY, fk_drug_classes),
    {"quantity", FK_COL_INT, 0, NONE, 1, 1000, 0, 0, NULL},
};

static const struct fk_column school_absence_cols[] = {
    ID("place_id", KEY, FK_FEED_PLACES), /* the school or kindergarten */
    TYPED("date", FK_COL_DATE, KEY),
    TEXT("class", KEY, 64), /* grade and class, e.g. 3-2 */
    {"count", FK_COL_INT, REQ, NONE, 1, 100000, 0, 0, NULL},
};

/* A region_id is a grid_id or a region code (/district/street/community). */
static const struct fk_column count_cols[] = {
    TYPED("date", FK_COL_DATE, KEY),
    {"region_id", FK_COL_TEXT, KEY, FK_FEED_GRIDS, 0, 160, 0, 0, NULL},
    ID("channel", KEY, NONE),
    {"count", FK_COL_INT, REQ, NONE, 0, 100000000, 0, 0, NULL},
};

/* Indexes of the columns the cross-field checks read, named for legibility. */
enum { P_IDNUM = 1, P_SEX = 3, P_BIRTH = 4 };
enum { C_IN = 2, C_OUT = 3 };
enum { CASE_SAMPLED = 3, CASE_ISOLATED = 4 };
enum { S_SAMPLED = 3, S_REPORTED = 6 };
enum { R_KIND = 2, R_BEDS = 3 };
enum { ROOM_SINGLE = 0, ROOM_FAMILY = 1 };
enum { A_ARRIVED = 1, A_LEFT = 5 };

static int check_person(const struct fk_value *row, struct fk_diag *diag)
{
  fk_date birth;
  int rc = fk_idnum_check(row[P_IDNUM].s, row[P_IDNUM].n, &birth, NULL);
  if (rc) return fk_diag_set(diag, rc, "id_number", "ID number is invalid");
  if (birth != (fk_date)row[P_BIRTH].i)
    return fk_diag_set(diag, FK_ECONFLICT, "birth_date",
                       "birth_date differs from the birth date in the ID number (%.8s)",
                       row[P_IDNUM].s + 6);
  /* GB 11643: the 17th digit is odd for men and even for women. */
  int odd = (row[P_IDNUM].s[16] - '0') % 2;
  if (odd != (row[P_SEX].i == 0))
    return fk_diag_set(diag, FK_ECONFLICT, "sex", "sex %s differs from the ID number (%s)",
                       row[P_SEX].i == 0 ? "M" : "F", odd ? "M" : "F");
  return 0;
}

/* A later instant (if given) must not come before the earlier one. */
static int check_order(const struct fk_value *early, const struct fk_value *late,
                       const char *late_name, const char *early_name, struct fk_diag *diag)
{
  if (early->present && late->present && late->i < early->i)
    return fk_diag_set(diag, FK_ERANGE, late_name, "%s is before %s", late_name, early_name);
  return 0;
}

static int check_checkin(const struct fk_value *row, struct fk_diag *diag)
{
  return check_order(&row[C_IN], &row[C_OUT], "checkout_at", "checkin_at", diag);
}

static int check_case(const struct fk_value *row, struct fk_diag *diag)
{
  return check_order(&row[CASE_SAMPLED], &row[CASE_ISOLATED], "isolated_at", "sampled_at", diag);
}

static int check_sample(const struct fk_value *row, struct fk_diag *diag)
{
  return check_order(&row[S_SAMPLED], &row[S_REPORTED], "reported_at", "sampled_at", diag);
}

static int check_duty(const struct fk_value *row, struct fk_diag *diag)
{
  if (row[1].present && row[2].present && row[2].i <= row[1].i)
    return fk_diag_set(diag, FK_ERANGE, "to", "to is not after from");
  return 0;
}

/* A single room (单人单间) has one bed; a family room has room for a household. */
static int check_room(const struct fk_value *row, struct fk_diag *diag)
{
  if (row[R_KIND].i == ROOM_SINGLE && row[R_BEDS].i != 1)
    return fk_diag_set(diag, FK_ERANGE, "beds", "a single room has 1 bed, not %lld",
                       (long long)row[R_BEDS].i);
  if (row[R_KIND].i == ROOM_FAMILY && row[R_BEDS].i < 2)
    return fk_diag_set(diag, FK_ERANGE, "beds", "a family room has at least 2 beds");

  return 0;
}

static int check_arrival(const struct fk_value *row, struct fk_diag *diag)
{
  return check_order(&row[A_LEFT], &row[A_ARRIVED], "arrived_at", "left_at", diag);
}

#define FEED(id, name, cols, check)                                                                \
  {                                                                                                \
    id, name, cols, (int)(sizeof cols / sizeof cols[0]), check                                     \
  }

static const struct fk_feed feeds[FK_FEED_COUNT] = {
    FEED(FK_FEED_GRIDS, "grids", grid_cols, NULL),
    FEED(FK_FEED_PERSONS, "persons", person_cols, check_person),
    FEED(FK_FEED_PLACES, "places", place_cols, NULL),
    FEED(FK_FEED_SITES, "sites", site_cols, NULL),
    FEED(FK_FEED_ROOMS, "rooms", room_cols, check_room),
    FEED(FK_FEED_CHECKINS, "checkins", checkin_cols, check_checkin),
    FEED(FK_FEED_CASES, "cases", case_cols, check_case),
    FEED(FK_FEED_SAMPLES, "samples", sample_cols, check_sample),
    FEED(FK_FEED_ARRIVALS, "arrivals", arrival_cols, check_arrival),
    FEED(FK_FEED_VACCINATIONS, "vaccinations", vaccination_cols, NULL),
    FEED(FK_FEED_PINGS, "pings", ping_cols, NULL),
    FEED(FK_FEED_DUTY, "duty", duty_cols, check_duty),
    FEED(FK_FEED_CLINIC_VISITS, "clinic_visits", clinic_visit_cols, NULL),
    FEED(FK_FEED_PHARMACY_SALES, "pharmacy_sales", pharmacy_sale_cols, NULL),
    FEED(FK_FEED_SCHOOL_ABSENCES, "school_absences", school_absence_cols, NULL),
    FEED(FK_FEED_COUNTS, "counts", count_cols, NULL),
};

const struct fk_feed *fk_feed_get(enum fk_feed_id id)
{
  if ((int)id < 0 || id >= FK_FEED_COUNT) return NULL;
  return &feeds[id];
}

const struct fk_feed *fk_feed_find(const char *name)
{
  for (int i = 0; i < FK_FEED_COUNT; i++)
    if (!strcmp(feeds[i].name, name)) return &feeds[i];
  return NULL;
}

int fk_feed_column(const struct fk_feed *feed, const char *name)
{
  for (int i = 0; i < feed->ncols; i++)
    if (!strcmp(feed->cols[i].name, name)) return i;
  return -1;
}
