#include "cli/cli.h"
int fk__cmd_import(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return fk__fail("import: not built yet");
}
