/* The library's one allocator, with failure injection for tests (see fangkong/alloc.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"

static long fail_countdown; /* 0: off; n: the n-th allocation from now fails, and all after */

static int injected_failure(void)
{
  if (fail_countdown == 0) return 0;
  if (fail_countdown > 1) {
    fail_countdown--;
    return 0;
  }
  return 1;
}

void fk_alloc_fail_after(long countdown)
{
  fail_countdown = countdown < 0 ? 0 : countdown;
}

void *fk_malloc(size_t size)
{
  if (injected_failure()) return NULL;
  return malloc(size ? size : 1);
}

void *fk_calloc(size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size) return NULL;
  if (injected_failure()) return NULL;
  return calloc(n ? n : 1, size ? size : 1);
}

void *fk_realloc(void *ptr, size_t size)
{
  if (injected_failure()) return NULL;
  return realloc(ptr, size ? size : 1);
}

void fk_free(void *ptr)
{
  free(ptr);
}

char *fk_strndup(const char *s, size_t n)
{
  char *p = fk_malloc(n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}
