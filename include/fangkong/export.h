/*
 * What the shared library exports: the library is built with hidden visibility, so only the
 * declarations marked FK_API (the public fk_ API of include/fangkong/) are seen by programs
 * that link it; internal fk__ functions stay inside (scripts/check-parts checks both ways).
 */
#ifndef FANGKONG_EXPORT_H
#define FANGKONG_EXPORT_H

#if defined(__GNUC__)
#define FK_API __attribute__((visibility("default")))
#else
#define FK_API
#endif

#endif
