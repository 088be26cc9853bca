/* Error names, messages and diagnostics (see fangkong/error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fangkong/error.h"

static const char *const messages[FK__ERRPOS_COUNT] = {[FK__ERRPOS_ZERO] = "success",
#define FK__X(name, msg) [FK__ERRPOS_##name] = msg,
                                                       FK_ERRNO_MAP(FK__X)
#undef FK__X
};

static const char *const names[FK__ERRPOS_COUNT] = {[FK__ERRPOS_ZERO] = "FK_OK",
#define FK__X(name, msg) [FK__ERRPOS_##name] = "FK_E" #name,
                                                    FK_ERRNO_MAP(FK__X)
#undef FK__X
};

static int errpos(int err)
{
  if (err > 0 || -err >= FK__ERRPOS_COUNT) return -1;
  return -err;
}

const char *fk_strerror(int err)
{
  int pos = errpos(err);
  return pos < 0 ? "unknown error" : messages[pos];
}

const char *fk_errname(int err)
{
  int pos = errpos(err);
  return pos < 0 ? "FK_E?" : names[pos];
}

void fk_diag_clear(struct fk_diag *diag)
{
  if (diag) memset(diag, 0, sizeof *diag);
}

int fk_diag_set(struct fk_diag *diag, int err, const char *field, const char *fmt, ...)
{
  if (!diag) return err;
  if (field) snprintf(diag->field, sizeof diag->field, "%s", field);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(diag->reason, sizeof diag->reason, fmt, ap);
  va_end(ap);
  return err;
}

char *fk_diag_format(const struct fk_diag *diag, char *buf, size_t size)
{
  size_t at = 0;
  if (size == 0) return buf;
  buf[0] = '\0';
  if (diag->file[0]) at += (size_t)snprintf(buf, size, "%s:", diag->file);
  if (diag->line > 0 && at < size) at += (size_t)snprintf(buf + at, size - at, "%ld:", diag->line);
  if (at && at < size) at += (size_t)snprintf(buf + at, size - at, " ");
  if (diag->field[0] && at < size) at += (size_t)snprintf(buf + at, size - at, "%s: ", diag->field);
  if (at < size) snprintf(buf + at, size - at, "%s", diag->reason);
  return buf;
}
