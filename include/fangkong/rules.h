/*
 * The protocol as data: rule sets are JSON files (rules/protocol-9.json is the default and is
 * built into the program; rules/protocol-10.json is the November 2022 edition). They are read
 * once into the plain structs below, which engines receive as `const struct fk_rules *`. Code
 * knows the kinds of rule; every number lives in the file, and every rule carries its source.
 */
#ifndef FANGKONG_RULES_H
#define FANGKONG_RULES_H

#include <stddef.h>

#include "fangkong/time.h"

struct fk_diag;

/* Contact categories (密接 and 一般接触者). */
enum fk_category { FK_CAT_GENERAL = 0, FK_CAT_CLOSE = 1 };

#define FK_RULES_MAXKINDS 64
#define FK_RULES_SOURCE 512

/* How a place kind is treated by contact tracing. */
struct fk_kind_rules {
  enum fk_category category;
  fk_time dwell;       /* assumed stay in seconds when a check-in has no checkout */
  fk_time min_overlap; /* an overlap must exceed this many seconds to be an exposure */
  char source[FK_RULES_SOURCE];
};

struct fk_trace_rules {
  int window_days;        /* the window opens at 00:00 this many days before onset/sampling */
  int secondary_contacts; /* 1: trace degree 2 (密接的密接); 0: the edition dropped them */
  struct fk_kind_rules kinds[FK_RULES_MAXKINDS]; /* indexed as fk_place_kinds */
  char source[FK_RULES_SOURCE];
};

/* Spatiotemporal companions (时空伴随). */
struct fk_companion_rules {
  double cell_meters;  /* side of the square cell */
  fk_time min_overlap; /* seconds together in one cell, more than this */
  fk_time dwell;       /* either party more than this long in the cell ... */
  int lookback_days;   /* ... over this many days */
  char source[FK_RULES_SOURCE];
  /* How pings become presence in a cell (not from the protocol: our reading of the data). */
  fk_time ping;    /* a lone ping stands for this many seconds of presence */
  fk_time max_gap; /* pings in one cell further apart than this are separate presences */
  char presence_source[FK_RULES_SOURCE];
};

struct fk_rules {
  char name[64];
  char title[256];
  struct fk_trace_rules trace;
  struct fk_companion_rules companion;
};

/*
 * Parses a rule set from the n bytes of JSON at text; `origin` names it in messages. Every
 * problem is reported with its path in the file ("trace.kinds.gym.category: must be close or
 * general"): the first in diag, and all of them, one a line, through report (may be NULL).
 * Returns 0, or FK_EPARSE (not JSON), FK_EINVAL (a rule is wrong) or FK_ENOMEM.
 */
int fk_rules_parse(const char *text, size_t n, const char *origin, struct fk_rules *out,
                   void (*report)(void *arg, const char *path, const char *reason), void *arg,
                   struct fk_diag *diag);

/* Reads and parses the rule set in the file at path (see fk_rules_parse). FK_EIO if unreadable. */
int fk_rules_load(const char *path, struct fk_rules *out,
                  void (*report)(void *arg, const char *path, const char *reason), void *arg,
                  struct fk_diag *diag);

/* Fills out with the built-in default rule set (protocol-9). Returns 0 (or FK_ENOMEM). */
int fk_rules_default(struct fk_rules *out);

/* The built-in default's JSON text and its length. */
const char *fk_rules_default_text(size_t *n);

#endif
