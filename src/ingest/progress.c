/* Terminal progress bar (see progress.h). */
#include <time.h>

#include "ingest/progress.h"

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fk__progress_start(struct fk__progress *p, FILE *out, const char *label, size_t total)
{
  p->out = out;
  p->label = label;
  p->total = total;
  p->start = p->last = out ? now_seconds() : 0;
}

void fk__progress_update(struct fk__progress *p, size_t done, long rows)
{
  if (!p->out) return;
  double t = now_seconds();
  if (t - p->last < 0.25) return;
  p->last = t;
  double frac = p->total ? (double)done / (double)p->total : 1;
  double rate = rows / (t - p->start > 1e-9 ? t - p->start : 1e-9);
  double eta = frac > 0 ? (t - p->start) * (1 - frac) / frac : 0;
  char bar[31];
  int fill = (int)(frac * 30);
  for (int i = 0; i < 30; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[30] = '\0';
  fprintf(p->out, "\r%-18.18s [%s] %3d%%  %ld rows  %.0f rows/s  ETA %d:%02d ", p->label, bar,
          (int)(frac * 100), rows, rate, (int)eta / 60, (int)eta % 60);
  fflush(p->out);
}

void fk__progress_end(struct fk__progress *p)
{
  if (!p->out) return;
  fprintf(p->out, "\r%100s\r", "");
  fflush(p->out);
}
