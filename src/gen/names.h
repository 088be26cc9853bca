/*
 * Chinese names for the synthetic city: persons (common surnames, given names by sex), roads,
 * communities and places of each kind, including well-known places of Taiyuan in their real
 * districts. Read-only tables; the functions draw from a stream the caller passes.
 */
#ifndef FK_GEN_NAMES_H
#define FK_GEN_NAMES_H

#include <stddef.h>

#include "base/rng.h"

/* Writes a person's name (surname plus one or two characters) into out; returns its length. */
size_t fk__name_person(struct fk__rng *r, int female, char *out, size_t size);

/*
 * Writes community name number k (names of k .. k+3099 are all different, so a street that
 * numbers its communities from any offset gets distinct names); returns the length.
 */
size_t fk__name_community(unsigned k, int rural, char *out, size_t size);

/* Returns a road name of the city, drawn from r. */
const char *fk__name_road(struct fk__rng *r);

/*
 * Writes a name for a place of kind (index into fk_place_kinds) in district d. ordinal counts
 * places of that kind already named in the district, so the first ones take the real names of
 * well-known places there (山西大学, 晋祠 ...). Returns the length.
 */
size_t fk__name_place(struct fk__rng *r, int kind, int district, unsigned ordinal, char *out,
                      size_t size);

/* Returns how many well-known places of kind (fk_place_kinds index) district d has. */
unsigned fk__famous_count(int kind, int district);

#endif
