/* The library's version, as CMake's project() gives it (also in fangkong.pc). */
#ifndef FANGKONG_VERSION_H
#define FANGKONG_VERSION_H

/* Returns the version, "MAJOR.MINOR.PATCH"; static, never NULL. */
const char *fk_version(void);

#endif
