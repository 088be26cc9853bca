/*
 * Distances on the sphere of the Earth's mean radius (see base/geo.h).
 */
#include <math.h>

#include "base/geo.h"

double fk__geo_km(double lat1, double lon1, double lat2, double lon2)
{
  const double rad = FK__GEO_RAD;
  double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  double a = sin(dlat / 2) * sin(dlat / 2) +
             cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
  /* a can pass 1 by rounding for antipodes; asin would then give NaN */
  return 2 * FK__GEO_EARTH_KM * asin(sqrt(a < 1 ? a : 1));
}

double fk__geo_m_per_deg_lat(void)
{
  return FK__GEO_EARTH_M * FK__GEO_RAD;
}

double fk__geo_m_per_deg_lon(double lat)
{
  return FK__GEO_EARTH_M * FK__GEO_RAD * cos(lat * FK__GEO_RAD);
}
