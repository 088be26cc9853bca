/*
 * Distances and circles of the scan. Latitude and longitude become points in space and
 * distances are chords, as SaTScan measures them: the order of neighbours is the order of
 * great-circle distances, and a chord of a few km differs from the arc by under a millimetre.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "detect/scan_impl.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

/* The unit vector of a point given in degrees. */
static void unit(double lat, double lon, double *v)
{
  const double rad = 3.14159265358979323846 / 180.0;
  v[0] = cos(lat * rad) * cos(lon * rad);
  v[1] = cos(lat * rad) * sin(lon * rad);
  v[2] = sin(lat * rad);
}

/* The chord in km between two unit vectors on the sphere of FK_SCAN_EARTH_KM. */
static double chord(const double *a, const double *b)
{
  double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
  return FK_SCAN_EARTH_KM * sqrt(dx * dx + dy * dy + dz * dz);
}

double fk_scan_distance_km(double lat1, double lon1, double lat2, double lon2)
{
  double a[3], b[3];
  unit(lat1, lon1, a);
  unit(lat2, lon2, b);
  return chord(a, b);
}

void fk__scan_xyz(const struct fk_scan_input *in, double *xyz)
{
  assert(in && (xyz || !in->nloc));
  for (size_t i = 0; i < in->nloc; i++)
    unit(in->lat[i], in->lon[i], xyz + 3 * i);
}

struct near {
  double d;
  uint32_t i;
};

/* qsort order: nearest first, then the lower location index. */
static int by_distance(const void *a, const void *b)
{
  const struct near *x = a, *y = b;
  if (x->d != y->d) return x->d < y->d ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

/* Sorts the locations about centre i into near[nloc]. */
static void sort_about(const double *xyz, size_t nloc, size_t i, struct near *near)
{
  for (size_t j = 0; j < nloc; j++)
    near[j] = (struct near){chord(xyz + 3 * i, xyz + 3 * j), (uint32_t)j};
  qsort(near, nloc, sizeof *near, by_distance);
}

int fk__scan_order(const double *xyz, size_t nloc, size_t i, uint32_t *order, double *dist)
{
  struct near *near = fk_malloc(nloc * sizeof *near);
  assert(xyz && order && i < nloc);
  if (!near) return FK_ENOMEM;
  sort_about(xyz, nloc, i, near);
  for (size_t j = 0; j < nloc; j++) {
    order[j] = near[j].i;
    if (dist) dist[j] = near[j].d;
  }
  fk_free(near);
  return 0;
}

/* Appends v to the growing list *nb (n used, *cap allocated). Returns 0 or FK_ENOMEM. */
static int push(uint32_t **nb, size_t *n, size_t *cap, uint32_t v)
{
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 4096;
    uint32_t *p = fk_realloc(*nb, c * sizeof *p);
    if (!p) return FK_ENOMEM;
    *nb = p;
    *cap = c;
  }
  (*nb)[(*n)++] = v;
  return 0;
}

/* See scan_impl.h. Returns 0 or FK_ENOMEM. */
int fk__scan_circles_build(struct fk__scan_study *s, const double *xyz)
{
  size_t n = 0, cap = 0;
  int rc = 0;
  struct near *near = fk_malloc((s->nloc ? s->nloc : 1) * sizeof *near);
  s->nb_off = fk_malloc((s->nloc + 1) * sizeof *s->nb_off);
  if (!near || !s->nb_off) {
    rc = FK_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < s->nloc; i++) {
    int64_t held = 0;
    s->nb_off[i] = n;
    sort_about(xyz, s->nloc, i, near);
    /* As SaTScan: the circle grows until the next location would pass the limit. */
    for (size_t j = 0; j < s->nloc; j++) {
      uint32_t z = near[j].i;
      if (held + s->cz[z] > s->maxcz) break;
      held += s->cz[z];
      if (s->cz[z] && (rc = push(&s->nb, &n, &cap, z))) goto out;
    }
  }
  s->nb_off[s->nloc] = n;
out:
  fk_free(near);
  return rc;
}
