/* Resident ID numbers (GB 11643-1999) and mobile numbers (see fangkong/ident.h). */
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/ident.h"

/* GB 11643 / ISO 7064 MOD 11-2 weights of the first 17 digits, and the check characters. */
static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char checks[] = "10X98765432";

char fk_idnum_check_char(const char *s17)
{
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    if (s17[i] < '0' || s17[i] > '9') return 0;
    sum += (s17[i] - '0') * weights[i];
  }
  return checks[sum % 11];
}

int fk_idnum_check(const char *s, size_t n, fk_date *birth, struct fk_diag *diag)
{
  if (n != 18) return fk_diag_set(diag, FK_EPARSE, NULL, "ID number has %zu characters, not 18", n);
  for (int i = 0; i < 17; i++)
    if (s[i] < '0' || s[i] > '9')
      return fk_diag_set(diag, FK_EPARSE, NULL, "ID number character %d is not a digit", i + 1);
  if (!((s[17] >= '0' && s[17] <= '9') || s[17] == 'X'))
    return fk_diag_set(diag, FK_EPARSE, NULL, "ID number must end in a digit or 'X'");
  /* Province codes run from 11 (Beijing) to 82 (Macao); the first digit is never 0 or 9. */
  if (s[0] < '1' || s[0] > '8')
    return fk_diag_set(diag, FK_ERANGE, NULL, "ID number region code %.6s is not a region", s);
  int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
  int m = (s[10] - '0') * 10 + (s[11] - '0');
  int d = (s[12] - '0') * 10 + (s[13] - '0');
  fk_date b;
  if (y < 1800 || fk_date_from_ymd(y, m, d, &b))
    return fk_diag_set(diag, FK_ERANGE, NULL, "ID number birth date %.8s is not a date", s + 6);
  char want = fk_idnum_check_char(s);
  if (want != s[17])
    return fk_diag_set(diag, FK_ECHECKSUM, NULL, "ID number check digit is '%c', expected '%c'",
                       s[17], want);
  if (birth) *birth = b;
  return 0;
}

int fk_phone_check(const char *s, size_t n, struct fk_diag *diag)
{
  if (n != 11) return fk_diag_set(diag, FK_EPARSE, NULL, "phone has %zu characters, not 11", n);
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return fk_diag_set(diag, FK_EPARSE, NULL, "phone must be 11 digits");
  if (s[0] != '1') return fk_diag_set(diag, FK_EPARSE, NULL, "mobile number must start with 1");
  return 0;
}

/* Copies s, keeping `head` leading and `tail` trailing bytes and starring the rest. */
static char *mask(const char *s, size_t n, size_t head, size_t tail, char *out, size_t size)
{
  size_t i;
  if (size == 0) return out;
  for (i = 0; i < n && i + 1 < size; i++)
    out[i] = (i < head || i + tail >= n) ? s[i] : '*';
  out[i] = '\0';
  return out;
}

char *fk_mask_idnum(const char *s, size_t n, char *out, size_t size)
{
  return mask(s, n, 6, 4, out, size);
}

char *fk_mask_phone(const char *s, size_t n, char *out, size_t size)
{
  return mask(s, n, 3, 4, out, size);
}

char *fk_mask_name(const char *s, size_t n, char *out, size_t size)
{
  size_t first = 0;
  if (n) { /* length of the first UTF-8 character */
    unsigned char c = (unsigned char)s[0];
    first = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (first > n) first = n;
  }
  snprintf(out, size, "%.*s%s", (int)first, s, n > first ? "*" : "");
  return out;
}
