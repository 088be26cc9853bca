/* jansson's allocator, set once (see base/json_alloc.h). */
#include <jansson.h>
#include <pthread.h>

#include "base/json_alloc.h"
#include "fangkong/alloc.h"

/* Per thread: a failure on another thread must not make this thread's parse out of memory. */
static _Thread_local unsigned long failures;

static void *json_alloc(size_t n)
{
  void *p = fk_malloc(n);
  if (!p) failures++;
  return p;
}

/* Once: json_set_alloc_funcs writes globals that other threads read while they use jansson. */
static void set_allocator(void)
{
  json_set_alloc_funcs(json_alloc, fk_free);
}

void fk__json_use_allocator(void)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, set_allocator);
}

unsigned long fk__json_alloc_failures(void)
{
  return failures;
}
