/* fangkong gen: placeholder until the generator lands. */
#include "cli/cli.h"

int fk__cmd_gen(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return fk__fail("gen: not built yet");
}
