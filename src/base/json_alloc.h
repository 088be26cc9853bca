/*
 * jansson pointed at the project's allocator (fk_malloc, fk_free), so that its allocations fail
 * when a test injects a failure, like every other one. The library's JSON readers (rules.c,
 * ndjson.c) call fk__json_use_allocator before they parse; the first call sets jansson's
 * allocator for the whole process (jansson has no allocator per call or per thread), and every
 * later one costs a check of a flag. Nothing here calls into the rest of the project but the
 * allocator.
 */
#ifndef FK_BASE_JSON_ALLOC_H
#define FK_BASE_JSON_ALLOC_H

/* Makes jansson allocate through fk_malloc and free through fk_free, from this call on. Safe to
 * call from several threads at once (the first call sets it; the others wait for it). */
void fk__json_use_allocator(void);

/* How many of this thread's allocations for jansson have failed so far. jansson reports some
 * of those as syntax errors, so a parser compares the count before and after to tell them
 * apart. */
unsigned long fk__json_alloc_failures(void);

#endif
