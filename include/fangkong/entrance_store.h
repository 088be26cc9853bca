/*
 * The store's side of the entrance check (fangkong/entrance.h): every check stored with its
 * answer and, for the API's, who asked (the audit log's record of it).
 */
#ifndef FANGKONG_ENTRANCE_STORE_H
#define FANGKONG_ENTRANCE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "fangkong/export.h"
#include "fangkong/time.h"
#include "fangkong/vocab.h"

struct fk_diag;
struct fk_store;

struct fk_audit_row;

struct fk_entrance_row {
  int64_t person, place; /* internal ids */
  int64_t grid;          /* the place's grid (internal region id); filled when read */
  fk_time at;
  double temperature;
  int mask;
  int pass;
  int code;         /* enum fk_code */
  unsigned reasons; /* as fk_entrance_result.reasons */
  int fever;
  const struct fk_audit_row *who; /* the API's caller, stored with the check; NULL: none */
};

/*
 * Stores r unless a check of the same time, person and place is stored (*stored: 1 when this
 * call wrote it, else 0). Call inside a transaction to group writes. Returns 0 or FK_ESTORE.
 */
FK_API int fk_store_put_entrance(struct fk_store *st, const struct fk_entrance_row *r, int *stored);

/* Calls fn for every stored check with from <= at < to, in time order (rows borrowed for the
 * call). Returns 0, fn's first non-zero return, or FK_ESTORE. */
FK_API int fk_store_each_entrance(struct fk_store *st, fk_time from, fk_time to,
                                  int (*fn)(void *arg, const struct fk_entrance_row *r), void *arg);

/* Sets *place to the internal id of place_id, or 0 when unknown. Returns 0 or FK_ESTORE. */
FK_API int fk_store_place_id(struct fk_store *st, const char *place_id, int64_t *place);

#endif
