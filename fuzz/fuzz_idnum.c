/* libFuzzer target: resident ID number and phone checks; an accepted ID must carry its own
   check character and a birth date that formats back into its digits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *s = (const char *)data;
  fk_date birth;
  char buf[FK_DATE_BUFSZ], out[64];
  struct fk_diag diag;
  if (fk_idnum_check(s, size, &birth, &diag) == 0) {
    if (fk_idnum_check_char(s) != s[17]) abort();
    fk_date_format(birth, buf);
    if (memcmp(buf, s + 6, 4) || memcmp(buf + 5, s + 10, 2) || memcmp(buf + 8, s + 12, 2)) abort();
  }
  fk_phone_check(s, size, &diag);
  fk_mask_idnum(s, size, out, sizeof out);
  fk_mask_phone(s, size, out, sizeof out);
  fk_mask_name(s, size, out, sizeof out);
  return 0;
}
