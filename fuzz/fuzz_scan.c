/* libFuzzer target: the scan's readers (SaTScan's .geo and .cas, regions and counts CSV) and,
   when the input reads, a scan of it with a few replicates. The first byte picks the reader;
   case and count files are read against a few fixed locations. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char geo[] = "A 37.80 112.50\nB 37.81 112.51\nR1 37.9 112.6\nL0001 38 112.7\n";
static const char regions[] = "region_id,lat,lon\nA,37.8,112.5\nB,37.81,112.51\nR1,37.9,112.6\n";

static void scan(const struct fk_scan_input *in)
{
  struct fk_scan_params p = {3, 0.5, 3, 1, 1};
  struct fk_scan_result r;
  struct fk_diag d;
  fk_date first, last;
  if (fk_scan_days(in, &first, &last) || last - first >= FK_SCAN_MAX_DAYS) return;
  fk_scan_run(in, first, last, &p, &r, &d);
  fk_scan_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fk_scan_input *in;
  struct fk_diag d;
  long bad = 0;
  if (size < 1 || fk_scan_input_new(&in)) return 0;
  const char *text = (const char *)data + 1;
  size_t n = size - 1;
  switch (data[0] % 4) {
  case 0:
    fk_scan_read_geo(in, text, n, "fuzz.geo", NULL, NULL, &bad, &d);
    break;
  case 1:
    fk_scan_read_geo(in, geo, strlen(geo), "fixed.geo", NULL, NULL, &bad, &d);
    fk_scan_read_cas(in, text, n, "fuzz.cas", NULL, NULL, &bad, &d);
    break;
  case 2:
    fk_scan_read_regions(in, text, n, "fuzz.csv", NULL, NULL, &bad, &d);
    break;
  default:
    fk_scan_read_regions(in, regions, strlen(regions), "fixed.csv", NULL, NULL, &bad, &d);
    fk_scan_read_counts(in, text, n, "fuzz.csv", data[0] & 4 ? "c" : NULL, NULL, NULL, &bad, &d);
  }
  scan(in);
  fk_scan_input_free(in);
  return 0;
}
