#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

const char *fk_test_dir(const char *tag)
{
  static char path[512];
  const char *base = getenv("FK_TMP");
  char cmd[1100];
  snprintf(path, sizeof path, "%s/%s.%ld", base && *base ? base : "/tmp", tag, (long)getpid());
  snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", path, path);
  if (system(cmd) != 0) fail_msg("cannot make %s", path);
  return path;
}

const char *fk_test_write(const char *dir, const char *name, const char *data, size_t len)
{
  static char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  if (len && fwrite(data, 1, len, f) != len) fail_msg("short write %s", path);
  fclose(f);
  return path;
}

char *fk_test_read(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) n = 0;
  buf[n] = '\0';
  fclose(f);
  if (len) *len = (size_t)n;
  return buf;
}
