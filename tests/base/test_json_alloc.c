/* jansson's allocator, set once for both JSON readers (base/json_alloc.c). */
#include <jansson.h>
#include <pthread.h>

#include "base/json_alloc.h"
#include "fangkong/alloc.h"
#include "testutil.h"

static void jansson_allocates_through_the_project_allocator(void **state)
{
  (void)state;
  fk__json_use_allocator();
  unsigned long before = fk__json_alloc_failures();
  fk_alloc_fail_after(1); /* only the project's allocator can make jansson fail here */
  json_t *o = json_object();
  fk_alloc_fail_after(0);
  assert_null(o);
  assert_true(fk__json_alloc_failures() > before);
  o = json_object();
  assert_non_null(o);
  json_decref(o);
}

static void *use_and_fail(void *arg)
{
  unsigned long *seen = arg;
  fk__json_use_allocator();
  fk_alloc_fail_after(1);
  json_t *o = json_string("x");
  fk_alloc_fail_after(0);
  json_decref(o);
  *seen = fk__json_alloc_failures();
  return NULL;
}

static void failures_count_on_the_thread_they_happen_on(void **state)
{
  (void)state;
  pthread_t t;
  unsigned long mine, theirs = 0;
  fk__json_use_allocator();
  mine = fk__json_alloc_failures();
  assert_int_equal(pthread_create(&t, NULL, use_and_fail, &theirs), 0);
  assert_int_equal(pthread_join(t, NULL), 0);
  assert_true(theirs > 0);
  assert_int_equal(fk__json_alloc_failures(), mine);
}

static void *use_many_times(void *arg)
{
  (void)arg;
  for (int i = 0; i < 1000; i++) {
    fk__json_use_allocator();
    json_decref(json_integer(i));
  }
  return NULL;
}

static void threads_may_set_it_at_once(void **state)
{
  (void)state;
  pthread_t t[4];
  for (int i = 0; i < 4; i++)
    assert_int_equal(pthread_create(&t[i], NULL, use_many_times, NULL), 0);
  for (int i = 0; i < 4; i++)
    assert_int_equal(pthread_join(t[i], NULL), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(threads_may_set_it_at_once),
      cmocka_unit_test(jansson_allocates_through_the_project_allocator),
      cmocka_unit_test(failures_count_on_the_thread_they_happen_on),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
