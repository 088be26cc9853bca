/* Helpers shared by the cmocka tests: temporary folders and files made by the test itself. */
#ifndef FK_TESTUTIL_H
#define FK_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Returns a fresh empty folder under $FK_TMP (or /tmp) named for tag; static storage. */
const char *fk_test_dir(const char *tag);
/* Writes len bytes to dir/name and returns the path (static storage, overwritten next call). */
const char *fk_test_write(const char *dir, const char *name, const char *data, size_t len);
/* Reads a whole file into a NUL-terminated malloc'd buffer (caller frees), or NULL. */
char *fk_test_read(const char *path, size_t *len);

#endif
