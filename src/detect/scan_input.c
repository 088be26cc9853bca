/* Locations and cases to scan (see fangkong/scan.h). */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "detect/scan_impl.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"

int fk_scan_input_new(struct fk_scan_input **out)
{
  assert(out);
  struct fk_scan_input *in = fk_calloc(1, sizeof *in);
  *out = in;
  if (!in) return FK_ENOMEM;
  fk__strmap_init(&in->index);
  return 0;
}

void fk_scan_input_free(struct fk_scan_input *in)
{
  if (!in) return;
  for (size_t i = 0; i < in->nloc; i++)
    fk_free(in->ids[i]);
  fk_free(in->ids);
  fk_free(in->lat);
  fk_free(in->lon);
  fk_free(in->cells);
  fk__strmap_clear(&in->index);
  fk_free(in);
}

/* Grows the three location arrays to hold one more. Returns 0 or FK_ENOMEM. */
static int grow_locations(struct fk_scan_input *in)
{
  if (in->nloc < in->loccap) return 0;
  size_t cap = in->loccap ? in->loccap * 2 : 256;
  char **ids = fk_realloc(in->ids, cap * sizeof *ids);
  if (!ids) return FK_ENOMEM;
  in->ids = ids;
  double *lat = fk_realloc(in->lat, cap * sizeof *lat);
  if (!lat) return FK_ENOMEM;
  in->lat = lat;
  double *lon = fk_realloc(in->lon, cap * sizeof *lon);
  if (!lon) return FK_ENOMEM;
  in->lon = lon;
  in->loccap = cap;
  return 0;
}

int fk_scan_add_location(struct fk_scan_input *in, const char *id, size_t n, double lat, double lon,
                         struct fk_diag *diag)
{
  int64_t at;
  char *copy = NULL;
  int rc;
  assert(in && id);
  if (!(lat >= -90 && lat <= 90))
    return fk_diag_set(diag, FK_ERANGE, "lat", "latitude must be in [-90, 90] degrees");
  if (!(lon >= -180 && lon <= 180))
    return fk_diag_set(diag, FK_ERANGE, "lon", "longitude must be in [-180, 180] degrees");
  if (fk__strmap_get(&in->index, id, n, &at))
    return fk_diag_set(diag, FK_EDUP, "location_id",
                       "location %.*s is defined twice (the first "
                       "is kept)",
                       (int)(n > 64 ? 64 : n), id);
  if (in->nloc >= FK_SCAN_MAX_LOCATIONS)
    return fk_diag_set(diag, FK_ERANGE, "location_id", "more than %d locations",
                       FK_SCAN_MAX_LOCATIONS);
  if ((rc = grow_locations(in)) || !(copy = fk_strndup(id, n)) ||
      (rc = fk__strmap_put(&in->index, id, n, (int64_t)in->nloc))) {
    fk_free(copy);
    return fk_diag_set(diag, FK_ENOMEM, NULL, "out of memory adding a location");
  }
  in->ids[in->nloc] = copy;
  in->lat[in->nloc] = lat;
  in->lon[in->nloc] = lon;
  in->nloc++;
  return 0;
}

long fk_scan_find_location(const struct fk_scan_input *in, const char *id, size_t n)
{
  int64_t at;
  assert(in && id);
  return fk__strmap_get(&in->index, id, n, &at) ? (long)at : -1;
}

size_t fk_scan_nlocations(const struct fk_scan_input *in)
{
  assert(in);
  return in->nloc;
}

const char *fk_scan_location_id(const struct fk_scan_input *in, size_t i)
{
  assert(in && i < in->nloc);
  return in->ids[i];
}

int fk_scan_add_cases(struct fk_scan_input *in, size_t loc, fk_date day, int64_t n)
{
  assert(in);
  if (loc >= in->nloc || n < 0) return FK_EINVAL;
  if (n == 0) return 0;
  if (n > FK_SCAN_MAX_CASES - in->total) return FK_ERANGE;
  if (in->ncells == in->cellcap) {
    size_t cap = in->cellcap ? in->cellcap * 2 : 1024;
    struct fk__scan_cell *p = fk_realloc(in->cells, cap * sizeof *p);
    if (!p) return FK_ENOMEM;
    in->cells = p;
    in->cellcap = cap;
  }
  in->cells[in->ncells++] = (struct fk__scan_cell){(uint32_t)loc, day, n};
  in->total += n;
  return 0;
}

int fk_scan_days(const struct fk_scan_input *in, fk_date *first, fk_date *last)
{
  assert(in && first && last);
  if (!in->ncells) return FK_ENOTFOUND;
  *first = *last = in->cells[0].day;
  for (size_t i = 1; i < in->ncells; i++) {
    if (in->cells[i].day < *first) *first = in->cells[i].day;
    if (in->cells[i].day > *last) *last = in->cells[i].day;
  }
  return 0;
}
