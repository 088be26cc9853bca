/*
 * Error codes and diagnostics.
 *
 * Every fallible function returns 0 or a negative FK_E* code from the one table below, so an
 * error always has a name and a message (fk_strerror). Detail for a person -- which file, line,
 * field and why -- goes into a caller-supplied struct fk_diag, never only to stderr.
 */
#ifndef FANGKONG_ERROR_H
#define FANGKONG_ERROR_H

#include "fangkong/export.h"

#include <stddef.h>

#define FK_ERRNO_MAP(X)                                                                            \
  X(NOMEM, "out of memory")                                                                        \
  X(INVAL, "invalid argument")                                                                     \
  X(IO, "input/output error")                                                                      \
  X(PARSE, "malformed input")                                                                      \
  X(RANGE, "value out of range")                                                                   \
  X(NOTFOUND, "not found")                                                                         \
  X(DUP, "duplicate of a stored record")                                                           \
  X(CONFLICT, "same key as a stored record with other values")                                     \
  X(NOREF, "refers to an unknown record")                                                          \
  X(STORE, "store error")                                                                          \
  X(SCHEMA, "store schema is newer than this program")                                             \
  X(TOOLONG, "input too long")                                                                     \
  X(UTF8, "invalid UTF-8")                                                                         \
  X(CHECKSUM, "check digit does not match")                                                        \
  X(USAGE, "wrong command-line usage")

enum fk__errpos {
  FK__ERRPOS_ZERO = 0,
#define FK__X(name, msg) FK__ERRPOS_##name,
  FK_ERRNO_MAP(FK__X)
#undef FK__X
      FK__ERRPOS_COUNT
};

/* Negative error codes: FK_ENOMEM, FK_EINVAL, ... */
enum fk_err {
  FK_OK = 0,
#define FK__X(name, msg) FK_E##name = -FK__ERRPOS_##name,
  FK_ERRNO_MAP(FK__X)
#undef FK__X
};

/* Returns a static English message for an FK_E* code (or "unknown error"). Never NULL. */
FK_API const char *fk_strerror(int err);

/* Returns the code's name ("FK_EPARSE"), static, never NULL. */
FK_API const char *fk_errname(int err);

/*
 * What went wrong, for a person to read: "persons.csv:12: id_number: check digit ...".
 * Callers own the struct; functions fill it only when they fail.
 */
struct fk_diag {
  char file[256];   /* input file, or "" */
  long line;        /* 1-based line of the record, or 0 */
  char field[64];   /* column or field name, or "" */
  char reason[512]; /* a sentence saying why */
};

/* Clears every member of diag (NULL is allowed and ignored). */
FK_API void fk_diag_clear(struct fk_diag *diag);

/*
 * Sets diag->field to field (NULL leaves it) and diag->reason from a printf format; returns err,
 * so a caller can write `return fk_diag_set(d, FK_EPARSE, "x", "bad")`. NULL diag is ignored.
 */
FK_API int fk_diag_set(struct fk_diag *diag, int err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes "file:line: field: reason" into buf (always NUL-terminated); returns buf. */
FK_API char *fk_diag_format(const struct fk_diag *diag, char *buf, size_t size);

#endif
