/* Mapping a file into memory (see base/mapfile.h). */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mapfile.h"
#include "fangkong/error.h"

int fk__map_file(const char *path, const char **buf, size_t *size, struct fk_diag *diag)
{
  struct stat sb;
  int fd = open(path, O_RDONLY);
  *buf = "";
  *size = 0;
  if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
    if (fd >= 0) close(fd);
    return fk_diag_set(diag, FK_EIO, NULL, "cannot read %s (not a readable regular file)", path);
  }
  if (sb.st_size > 0) {
    void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      close(fd);
      return fk_diag_set(diag, FK_EIO, NULL, "cannot map %s", path);
    }
    posix_madvise(p, (size_t)sb.st_size, POSIX_MADV_SEQUENTIAL);
    *buf = p;
    *size = (size_t)sb.st_size;
  }
  close(fd);
  return 0;
}

void fk__unmap_file(const char *buf, size_t size)
{
  if (size) munmap((void *)buf, size);
}
