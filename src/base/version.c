/* The version CMake's project() declares, compiled in (FK_VERSION_TEXT, see CMakeLists.txt). */
#include "fangkong/version.h"

const char *fk_version(void)
{
  return FK_VERSION_TEXT;
}
