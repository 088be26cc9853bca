/*
 * The stored vocabularies: every closed set of names the store keeps as text (a task's kind, an
 * alert's status, a room's kind ...), with the enum whose values index it. The names are a
 * contract with programs outside the project (docs/FORMATS.md, the API): they are spelled once,
 * here, and defined in src/base/vocab.c, so the store and every engine read the same list.
 * Every array is NULL-terminated and indexed by its enum.
 */
#ifndef FANGKONG_VOCAB_H
#define FANGKONG_VOCAB_H

#include "fangkong/export.h"
#include "fangkong/time.h" /* FK_DATE_NONE, FK_TIME_NONE */

/*
 * Returns the index of name in names (a NULL-terminated vocabulary above), or FK_ENOTFOUND when
 * it is not one of them. A name read back from the store that is not in its vocabulary is the
 * store's error, said with the name: never index 0.
 */
FK_API int fk_vocab_index(const char *const *names, const char *name);

/* ---- Places, rooms and signals (the feeds) ---- */

/* The place kinds (场所 kinds); the order is stable. */
FK_API extern const char *const fk_place_kinds[];

/* The kinds of quarantine room. */
enum fk_room_kind { FK_ROOM_SINGLE = 0, FK_ROOM_FAMILY, FK_ROOM_ACCESSIBLE, FK_ROOM_NKINDS };
/* "single", "family", "accessible". */
FK_API extern const char *const fk_room_kinds[];

/* Syndromes of a fever-clinic visit and drug classes of a pharmacy sale. */
FK_API extern const char *const fk_syndromes[];
FK_API extern const char *const fk_drug_classes[];

/* ---- The hierarchy ---- */

/* The levels of the hierarchy, from the city down to the grid. */
enum fk_level {
  FK_LEVEL_CITY = 0,
  FK_LEVEL_DISTRICT,
  FK_LEVEL_STREET,
  FK_LEVEL_COMMUNITY,
  FK_LEVEL_GRID,
  FK_LEVEL_N
};
/* "city", "district", "street", "community", "grid". */
FK_API extern const char *const fk_levels[];

/* ---- Contacts (密接 and 一般接触者) ---- */

enum fk_category { FK_CAT_GENERAL = 0, FK_CAT_CLOSE = 1 };
/* "general", "close". */
FK_API extern const char *const fk_categories[];

/* ---- Measures placed on persons ---- */

/* Person categories a measure is written for. */
enum fk_person_cat {
  FK_PERSON_CASE = 0,
  FK_PERSON_CLOSE_CONTACT,
  FK_PERSON_SECONDARY_CONTACT,
  FK_PERSON_INBOUND_INTERNATIONAL,
  FK_PERSON_HIGH_RISK_AREA,   /* was in a high-risk area in the last days */
  FK_PERSON_MEDIUM_RISK_AREA, /* was in a medium-risk area */
  FK_PERSON_LOW_RISK_AREA,    /* was in a low-risk area of a county with high/medium areas */
  FK_PERSON_COMPANION,        /* spatiotemporal companion (时空伴随者) */
  FK_PERSON_NCATS
};
/* "case", "close_contact", "secondary_contact", "inbound_international", "high_risk_area",
 * "medium_risk_area", "low_risk_area", "companion". */
FK_API extern const char *const fk_person_cats[];

/* What a phase of a measure is. */
enum fk_measure_kind {
  FK_MEASURE_HOSPITAL = 0,
  FK_MEASURE_CENTRALIZED_QUARANTINE,
  FK_MEASURE_HOME_QUARANTINE,
  FK_MEASURE_HOME_HEALTH_MONITORING,
  FK_MEASURE_THREE_DAYS_TWO_TESTS,
  FK_MEASURE_NKINDS
};
/* "hospital", "centralized_quarantine", "home_quarantine", "home_health_monitoring",
 * "three_days_two_tests". */
FK_API extern const char *const fk_measure_kinds[];

enum fk_measure_status { FK_MSTATUS_ACTIVE = 0, FK_MSTATUS_RELEASED, FK_MSTATUS_SUPERSEDED };
/* "active", "released", "superseded". */
FK_API extern const char *const fk_measure_statuses[];

enum fk_test_status { FK_TEST_DUE = 0, FK_TEST_DONE, FK_TEST_MISSED, FK_TEST_POSITIVE };
/* "due", "done", "missed", "positive". */
FK_API extern const char *const fk_test_statuses[];

/* ---- Risk areas and health codes ---- */

enum fk_area_level { FK_AREA_LOW = 0, FK_AREA_MEDIUM, FK_AREA_HIGH, FK_AREA_NLEVELS };
/* "low", "medium", "high". */
FK_API extern const char *const fk_area_levels[];

enum fk_area_kind { FK_AREA_GRID = 0, FK_AREA_DISTRICT };
/* "grid", "district". */
FK_API extern const char *const fk_area_kinds[];

enum fk_code { FK_CODE_GREEN = 0, FK_CODE_YELLOW, FK_CODE_RED };
/* "green", "yellow", "red". */
FK_API extern const char *const fk_codes[];

/* ---- Tasks and alerts ---- */

/* What a task asks of its unit. */
enum fk_task_kind {
  FK_TASK_NOTIFY = 0, /* tell the person of the measure (告知) */
  FK_TASK_TRANSFER,   /* take the person to a site or hospital (转运) */
  FK_TASK_SAMPLE,     /* take the day-k sample (采样) */
  FK_TASK_RELEASE,    /* release the person and close the file (解除) */
  FK_TASK_NKINDS
};
/* "notify", "transfer", "sample", "release". */
FK_API extern const char *const fk_task_kinds[];

enum fk_task_status {
  FK_TSTATUS_CREATED = 0,
  FK_TSTATUS_DUE,
  FK_TSTATUS_ACKNOWLEDGED,
  FK_TSTATUS_DONE,
  FK_TSTATUS_FAILED,
  FK_TSTATUS_CANCELLED,
  FK_TSTATUS_N
};
/* "created", "due", "acknowledged", "done", "failed", "cancelled". */
FK_API extern const char *const fk_task_statuses[];

/* 1 when a task of that status is still open (created, due, acknowledged). */
#define FK_TASK_OPEN(s) ((s) <= FK_TSTATUS_ACKNOWLEDGED)

enum fk_alert_status {
  FK_ALERT_OPEN = 0,     /* not verified yet */
  FK_ALERT_OUTBREAK,     /* verified: an outbreak (暴发), later alarms join it */
  FK_ALERT_NOT_OUTBREAK, /* verified: not an outbreak; closed */
  FK_ALERT_WATCH,        /* verified: needs watching (持续关注), later alarms join it */
  FK_ALERT_NSTATUS
};
/* "open", "outbreak", "not_outbreak", "watch". */
FK_API extern const char *const fk_alert_statuses[];

/* The aberration detection methods (fangkong/detect.h) whose alarms alerts keep. */
enum fk_detect_method {
  FK_DETECT_THRESHOLD,
  FK_DETECT_CIDARS_MPM,
  FK_DETECT_EARS_C1,
  FK_DETECT_EARS_C2,
  FK_DETECT_EARS_C3,
  FK_DETECT_CUSUM,
  FK_DETECT_FARRINGTON,
  FK_DETECT_FARRINGTON_NOUFAILY,
  FK_DETECT_METHOD_COUNT
};
/* "threshold", "cidars-mpm", "ears-c1", "ears-c2", "ears-c3", "cusum", "farrington",
 * "farrington-noufaily". */
FK_API extern const char *const fk_detect_methods[];

/* ---- The entrance check and the API ---- */

/* Why an entrance may be denied. A code or area reason is FK_ENTRANCE_CODE_GREEN + enum fk_code
 * or FK_ENTRANCE_AREA_LOW + enum fk_area_level. */
enum fk_entrance_reason {
  FK_ENTRANCE_FEVER = 0,
  FK_ENTRANCE_NO_MASK,
  FK_ENTRANCE_CODE_GREEN,
  FK_ENTRANCE_CODE_YELLOW,
  FK_ENTRANCE_CODE_RED,
  FK_ENTRANCE_AREA_LOW,
  FK_ENTRANCE_AREA_MEDIUM,
  FK_ENTRANCE_AREA_HIGH,
  FK_ENTRANCE_CONFINED,
  FK_ENTRANCE_NREASONS
};
/* "fever", "no_mask", "code_green", "code_yellow", "code_red", "area_low", "area_medium",
 * "area_high", "confined". */
FK_API extern const char *const fk_entrance_reasons[];
/* An entrance check's decision by its pass flag: "deny", "pass". */
FK_API extern const char *const fk_entrance_decisions[];

/* The roles of the API's tokens. */
enum fk_role {
  FK_ROLE_CITY = 0,       /* city command 市指挥部: the whole city */
  FK_ROLE_DISTRICT,       /* 区: a district (level 1) */
  FK_ROLE_STREET,         /* 街道: a street (level 2) */
  FK_ROLE_COMMUNITY,      /* 社区: a community (level 3) */
  FK_ROLE_GRID,           /* 网格员: a grid (level 4) */
  FK_ROLE_SITE,           /* 隔离点: a quarantine site's region */
  FK_ROLE_EPIDEMIOLOGIST, /* 流调: a region, or the city */
  FK_ROLE_ENTRANCE,       /* 场所码设备: an entrance device, for the places of its region */
  FK_ROLE_COUNT
};
/* "city", "district", "street", "community", "grid", "site", "epidemiologist", "entrance". */
FK_API extern const char *const fk_roles[];

#endif
