/*
 * Distances and circles of the scan. Latitude and longitude become points in space and
 * distances are chords, as SaTScan measures them: the order of neighbours is the order of
 * great-circle distances, and a chord of a few km differs from the arc by under a millimetre.
 * The sphere is SaTScan's (FK_SCAN_EARTH_KM), not base/geo.h's mean radius, so that circles,
 * radii and the clusters they give are SaTScan's own.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/geo.h"
#include "detect/scan_impl.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

/* The unit vector of a point given in degrees. */
static void unit(double lat, double lon, double *v)
{
  const double rad = FK__GEO_RAD;
  v[0] = cos(lat * rad) * cos(lon * rad);
  v[1] = cos(lat * rad) * sin(lon * rad);
  v[2] = sin(lat * rad);
}

/* The chord in km between two unit vectors on SaTScan's sphere (FK_SCAN_EARTH_KM). */
static double chord_km(const double *a, const double *b)
{
  double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
  return FK_SCAN_EARTH_KM * sqrt(dx * dx + dy * dy + dz * dz);
}

double fk_scan_distance_km(double lat1, double lon1, double lat2, double lon2)
{
  double a[3], b[3];
  unit(lat1, lon1, a);
  unit(lat2, lon2, b);
  return chord_km(a, b);
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
_Static_assert(2 * sizeof(struct near) <= FK__SCAN_SCRATCH, "scratch too small for a neighbour");

/* The bits of a distance (never negative), which order as the distances do. */
static uint64_t key(double d)
{
  uint64_t k;
  memcpy(&k, &d, sizeof k);
  return k;
}

/*
 * Sorts a[n] nearest first by a stable radix sort on the distance's bits (tmp has room for n):
 * entries come in location order, so ties stay in it, as SaTScan's stable sort keeps them.
 * Bytes that no two distances differ in are skipped. A few times faster than qsort over the
 * n^2 distances of a large study.
 */
static void sort_near(struct near *a, struct near *tmp, size_t n)
{
  struct near *from = a, *to = tmp;
  for (int shift = 0; shift < 64; shift += 8) {
    size_t count[256] = {0}, at = 0;
    for (size_t j = 0; j < n; j++)
      count[(key(from[j].d) >> shift) & 255]++;
    if (n && count[(key(from[0].d) >> shift) & 255] == n) continue;
    for (int b = 0; b < 256; b++) {
      size_t c = count[b];
      count[b] = at;
      at += c;
    }
    for (size_t j = 0; j < n; j++)
      to[count[(key(from[j].d) >> shift) & 255]++] = from[j];
    struct near *t = from;
    from = to;
    to = t;
  }
  if (from != a) memcpy(a, from, n * sizeof *a);
}

/* Sorts the locations about centre i into near[nloc] (tmp: room for nloc more). */
static void sort_about(const double *xyz, size_t nloc, size_t i, struct near *near,
                       struct near *tmp)
{
  for (size_t j = 0; j < nloc; j++)
    near[j] = (struct near){chord_km(xyz + 3 * i, xyz + 3 * j), (uint32_t)j};
  sort_near(near, tmp, nloc);
}

size_t fk__scan_prefix(const double *xyz, size_t nloc, size_t i, size_t last, uint32_t *order,
                       double *dist, void *scratch)
{
  struct near *near = scratch;
  const double reach = chord_km(xyz + 3 * i, xyz + 3 * last);
  size_t n = 0;
  assert(xyz && order && dist && near && i < nloc && last < nloc);
  for (size_t j = 0; j < nloc; j++) { /* nearer than `last`, or as near and before it */
    double d = chord_km(xyz + 3 * i, xyz + 3 * j);
    if (d < reach || (d == reach && j <= last)) near[n++] = (struct near){d, (uint32_t)j};
  }
  sort_near(near, near + nloc, n);
  for (size_t j = 0; j < n; j++) {
    order[j] = near[j].i;
    dist[j] = near[j].d;
  }
  return n;
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
  struct near *near = fk_malloc((s->nloc ? 2 * s->nloc : 1) * sizeof *near);
  s->nb_off = fk_malloc((s->nloc + 1) * sizeof *s->nb_off);
  if (!near || !s->nb_off) {
    rc = FK_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < s->nloc; i++) {
    int64_t held = 0;
    s->nb_off[i] = n;
    sort_about(xyz, s->nloc, i, near, near + s->nloc);
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
