/* The library's one allocator, with failure injection for tests (see fangkong/alloc.h). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fangkong/alloc.h"

/* 0: off; n: the n-th allocation from now fails, and all after it unless fail_once. Atomic: a
   trace shared between threads allocates on all of them, and a test injects into it. */
static _Atomic long fail_countdown;
static _Atomic int fail_once;

static int injected_failure(void)
{
  long n = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
  while (n > 1 && !atomic_compare_exchange_weak(&fail_countdown, &n, n - 1))
    ;
  if (n != 1) return 0;
  return !atomic_load(&fail_once) || atomic_compare_exchange_strong(&fail_countdown, &n, 0);
}

/* Arms the countdown-th allocation from now to fail, alone (once) or with all after it. */
static void arm(long countdown, int once)
{
  atomic_store(&fail_once, once);
  atomic_store(&fail_countdown, countdown < 0 ? 0 : countdown);
}

void fk_alloc_fail_after(long countdown)
{
  arm(countdown, 0);
}

void fk_alloc_fail_once(long countdown)
{
  arm(countdown, 1);
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
