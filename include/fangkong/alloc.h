/*
 * One allocator for the whole library, so tests can make the N-th allocation fail and prove
 * that nothing leaks or crashes (SQLite's habit). Thin wrappers over malloc by default. Every
 * function is safe to call from any thread, injection included: the countdown is atomic, so a
 * failure injected while several threads allocate hits exactly one allocation (which one, the
 * schedule decides).
 */
#ifndef FANGKONG_ALLOC_H
#define FANGKONG_ALLOC_H

#include "fangkong/export.h"

#include <stddef.h>

/* Returns size bytes, or NULL when out of memory (or when a test injected a failure). */
FK_API void *fk_malloc(size_t size);
/* Returns n*size zeroed bytes, or NULL on overflow or when out of memory. */
FK_API void *fk_calloc(size_t n, size_t size);
/* Returns the resized block or NULL (ptr stays valid then), as realloc. */
FK_API void *fk_realloc(void *ptr, size_t size);
/* Frees ptr (NULL is fine). */
FK_API void fk_free(void *ptr);
/* Returns a copy of the n bytes at s plus a NUL, or NULL when out of memory. */
FK_API char *fk_strndup(const char *s, size_t n);

/*
 * For tests: the countdown-th allocation from now on fails, and every one after it
 * (0 turns injection off), counted across threads; tests only.
 */
FK_API void fk_alloc_fail_after(long countdown);
/* For tests: the countdown-th allocation from now on fails, and only that one: a failure the
   code ignored then shows as a wrong answer rather than as a later failure. */
FK_API void fk_alloc_fail_once(long countdown);

#endif
