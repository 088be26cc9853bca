/* The library's version, as CMake's project() gives it (also in fangkong.pc). */
#ifndef FANGKONG_VERSION_H
#define FANGKONG_VERSION_H

#include "fangkong/export.h"

/* Returns the version, "MAJOR.MINOR.PATCH"; static, never NULL. */
FK_API const char *fk_version(void);

#endif
