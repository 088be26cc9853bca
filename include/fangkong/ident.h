/*
 * Checks of personal identifiers: the resident identity number (居民身份证号码, GB 11643-1999)
 * and mainland mobile numbers. These are the fields most often mistyped in feeds, and the most
 * sensitive, so they are also masked here for logs and outputs that do not need them whole.
 */
#ifndef FANGKONG_IDENT_H
#define FANGKONG_IDENT_H

#include "fangkong/export.h"

#include <stddef.h>

#include "time.h"

struct fk_diag;

/*
 * Returns the GB 11643 check character ('0'-'9' or 'X') for the first 17 digits at s, or 0 when
 * one of them is not a digit.
 */
FK_API char fk_idnum_check_char(const char *s17);

/*
 * Checks an 18-character resident ID number: 17 digits then a digit or 'X' (a lower-case 'x' is
 * refused: the standard writes 'X'), a plausible region code, a valid embedded birth date and
 * the check character. On success stores the embedded birth date in *birth (may be NULL) and
 * returns 0; otherwise FK_EPARSE, FK_ERANGE or FK_ECHECKSUM with the reason in diag.
 */
FK_API int fk_idnum_check(const char *s, size_t n, fk_date *birth, struct fk_diag *diag);

/*
 * Checks a mainland mobile number: exactly 11 digits starting with 1. Returns 0 or FK_EPARSE
 * with the reason in diag.
 */
FK_API int fk_phone_check(const char *s, size_t n, struct fk_diag *diag);

/* Masks an ID number as "140105********123X" (first 6 and last 4 kept) into out (size >= 19). */
FK_API char *fk_mask_idnum(const char *s, size_t n, char *out, size_t size);
/* Masks a phone as "138****0000" into out. */
FK_API char *fk_mask_phone(const char *s, size_t n, char *out, size_t size);
/* Masks a name as its first UTF-8 character followed by '*' ("张*") into out. */
FK_API char *fk_mask_name(const char *s, size_t n, char *out, size_t size);

#endif
