/*
 * The scan's log-likelihood ratio (see fangkong/scan.h): what the observed scan (scan.c), the
 * inner loop (scan_eval.c, through fk__scan_stat) and the replicates' floors (scan_mc.c) all
 * score with. A file of its own that calls none of the others, so that calls between the
 * scan's files run one way: scan.c -> scan_mc.c -> scan_eval.c -> scan_llr.c.
 */
#include <math.h>

#include "detect/scan_impl.h"

double fk_scan_llr(int64_t observed, double expected, int64_t total)
{
  double c = (double)observed, C = (double)total;
  if (!(c > expected) || expected <= 0) return 0;
  double llr = c * log(c / expected);
  if (observed < total) llr += (C - c) * log((C - c) / (C - expected));
  return llr;
}
