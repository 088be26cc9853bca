/* Resident ID numbers and phones. The check digit reference below computes ISO 7064 MOD 11-2
 * from its definition (weights 2^(17-i) mod 11), independently of the library's table. */
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "testutil.h"

static char reference_check(const char *s17)
{
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    int w = 1;
    for (int k = 0; k < 17 - i; k++)
      w = w * 2 % 11;
    sum += (s17[i] - '0') * w;
  }
  int c = (12 - sum % 11) % 11;
  return c == 10 ? 'X' : (char)('0' + c);
}

static int check(const char *s)
{
  return fk_idnum_check(s, strlen(s), NULL, NULL);
}

static void the_standards_example_is_valid(void **state)
{
  (void)state;
  fk_date birth, want;
  assert_int_equal(fk_idnum_check("11010519491231002X", 18, &birth, NULL), 0);
  assert_int_equal(fk_date_from_ymd(1949, 12, 31, &want), 0);
  assert_int_equal(birth, want);
}

static void check_digit_matches_the_definition(void **state)
{
  (void)state;
  char id[19];
  for (long n = 0; n < 200000; n++) {
    snprintf(id, sizeof id, "140105%04ld%02ld%02ld%03ld", 1930 + n % 90, 1 + n % 12, 1 + n % 28,
             n % 1000);
    assert_int_equal(fk_idnum_check_char(id), reference_check(id));
    id[17] = reference_check(id);
    id[18] = '\0';
    assert_int_equal(check(id), 0);
  }
}

static void wrong_ids_are_refused_with_a_reason(void **state)
{
  (void)state;
  struct fk_diag d;
  assert_int_equal(fk_idnum_check("110105194912310021", 18, NULL, &d), FK_ECHECKSUM);
  assert_non_null(strstr(d.reason, "check digit"));
  assert_int_equal(check("11010519491231002x"), FK_EPARSE);
  assert_int_equal(check("11010519491231002"), FK_EPARSE);
  assert_int_equal(check("1101051949123100A2"), FK_EPARSE);
  assert_int_equal(check("010105194912310023"), FK_ERANGE);
  /* 30 February is not a birth date, whatever the check digit says. */
  char id[19] = "14010519900230123";
  id[17] = reference_check(id);
  id[18] = '\0';
  assert_int_equal(check(id), FK_ERANGE);
}

static void phones_are_eleven_digits_from_one(void **state)
{
  (void)state;
  assert_int_equal(fk_phone_check("13800000000", 11, NULL), 0);
  assert_int_equal(fk_phone_check("23800000000", 11, NULL), FK_EPARSE);
  assert_int_equal(fk_phone_check("1380000000", 10, NULL), FK_EPARSE);
  assert_int_equal(fk_phone_check("1380000000a", 11, NULL), FK_EPARSE);
}

static void masks_keep_only_what_identifies_nobody(void **state)
{
  (void)state;
  char out[64];
  assert_string_equal(fk_mask_idnum("14010519900101123X", 18, out, sizeof out),
                      "140105********123X");
  assert_string_equal(fk_mask_phone("13800000000", 11, out, sizeof out), "138****0000");
  assert_string_equal(fk_mask_name("张三丰", strlen("张三丰"), out, sizeof out), "张*");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_standards_example_is_valid),
      cmocka_unit_test(check_digit_matches_the_definition),
      cmocka_unit_test(wrong_ids_are_refused_with_a_reason),
      cmocka_unit_test(phones_are_eleven_digits_from_one),
      cmocka_unit_test(masks_keep_only_what_identifies_nobody),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
