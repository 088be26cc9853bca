/*
 * The synthetic city's topics of random streams (see base/rng.h): one per kind of decision, so
 * that adding draws to one leaves the others alone. A stream is fk__rng_make(seed, topic, a, b),
 * for example (seed, FK__RNG_MOBILITY, person, day). The numbers are part of every generated
 * city: append, never renumber.
 */
#ifndef FK_GEN_TOPICS_H
#define FK_GEN_TOPICS_H

enum fk__rng_topic {
  FK__RNG_GRIDS = 1,
  FK__RNG_PLACES,
  FK__RNG_HOUSEHOLDS,
  FK__RNG_PERSON,
  FK__RNG_IDENT,
  FK__RNG_ROLE,
  FK__RNG_MOBILITY,
  FK__RNG_OUTBREAK,
  FK__RNG_SAMPLES,
  FK__RNG_ARRIVALS,
  FK__RNG_VACCINES,
  FK__RNG_PINGS,
  FK__RNG_DUTY,

  FK__RNG_SITES,
  FK__RNG_SIGNALS

};

#endif
