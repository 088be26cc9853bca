/*
 * Positions on the Earth, for every part that measures one: the great-circle distance between
 * two positions (rooms at the nearest quarantine site) and metres per degree (the companion
 * index's square cells). One radius, the IUGG mean radius R1 = 6371.0088 km, so that two parts
 * never disagree about how far apart two places are. A sphere errs by under 0.5 % against the
 * WGS-84 ellipsoid, less than a phone ping's position is worth.
 *
 * Not here: the space-time scan's chord distance, which uses SaTScan's own radius
 * (FK_SCAN_EARTH_KM, fangkong/scan.h) so that its circles and radii are SaTScan's.
 */
#ifndef FK_BASE_GEO_H
#define FK_BASE_GEO_H

/* Pi as M_PI gives it (which C17 with _POSIX_C_SOURCE alone does not declare). */
#define FK__GEO_PI 3.14159265358979323846
/* Radians per degree. */
#define FK__GEO_RAD (FK__GEO_PI / 180)
/* The Earth's mean radius (IUGG R1), in km and in metres. */
#define FK__GEO_EARTH_KM 6371.0088
#define FK__GEO_EARTH_M (FK__GEO_EARTH_KM * 1000)

/* Returns the great-circle distance in km between two positions in degrees (haversine: well
 * conditioned for nearby points, where the spherical law of cosines loses digits). */
double fk__geo_km(double lat1, double lon1, double lat2, double lon2);

/* Returns the metres of one degree of latitude (the same at every latitude on a sphere). */
double fk__geo_m_per_deg_lat(void);

/* Returns the metres of one degree of longitude at latitude lat (degrees). */
double fk__geo_m_per_deg_lon(double lat);

#endif
