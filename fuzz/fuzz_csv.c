/* libFuzzer target: the CSV feed reader and every field validator behind it. */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  return fuzz_reader(data, size, 0);
}
