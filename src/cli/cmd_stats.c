#include "cli/cli.h"
int fk__cmd_stats(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return fk__fail("stats: not built yet");
}
