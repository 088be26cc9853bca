/*
 * Vaccinations: most adults have two or three doses (the 2021 campaign, boosters from late
 * 2021), children from three years two doses, the old fewer, a few fourth doses. Only doses
 * given before the window's first day are written.
 */
#include "fangkong/error.h"
#include "gen/city.h"

static fk_date ymd(int y, int m, int d)
{
  fk_date out = 0;
  fk_date_from_ymd(y, m, d, &out);
  return out;
}

int fk__write_vaccinations(const struct fk__city *c, struct fk__csv *w)
{
  const fk_date start = c->opts->start;
  const fk_date campaign = ymd(2021, 3, 15), children = ymd(2021, 7, 20), old = ymd(2021, 4, 1);
  const fk_date boosters = ymd(2021, 10, 15);
  for (uint32_t p = 0; p < c->npersons; p++) {
    const struct fk__person *ps = &c->persons[p];
    struct fk__rng r = fk__rng_make(c->opts->seed, FK__RNG_VACCINES, p, 0);
    int age = fk__age_on(ps->birth, start);
    double u = fk__rng_unit(&r);
    int doses;
    fk_date first;
    if (age < 3) continue;
    if (age < 18) {
      doses = u < 0.85 ? 2 : u < 0.9 ? 1 : 0;
      first = children + (fk_date)fk__rng_below(&r, 160);
    } else if (age < 60) {
      doses = u < 0.72 ? 3 : u < 0.9 ? 2 : u < 0.93 ? 1 : 0;
      first = campaign + (fk_date)fk__rng_below(&r, 200);
    } else {
      doses = u < (age < 80 ? 0.55 : 0.3) ? 3 : u < (age < 80 ? 0.7 : 0.45) ? 2 : u < 0.8 ? 1 : 0;
      first = old + (fk_date)fk__rng_below(&r, 360);
      if (doses == 3 && fk__rng_chance(&r, 0.1)) doses = 4;
    }
    fk_date when = first;
    for (int dose = 1; dose <= doses; dose++) {
      if (dose == 2) when += 21 + (fk_date)fk__rng_below(&r, 40);
      if (dose == 3) {
        when += 180 + (fk_date)fk__rng_below(&r, 60);
        if (when < boosters) when = boosters + (fk_date)fk__rng_below(&r, 60);
      }
      if (dose == 4) when += 180 + (fk_date)fk__rng_below(&r, 90);
      if (when >= start) break;
      fk__csv_row(w);
      fk__csv_id(w, 'P', p + 1);
      fk__csv_c(w, ',');
      fk__csv_c(w, (char)('0' + dose));
      fk__csv_c(w, ',');
      fk__csv_date(w, when);
      fk__csv_end(w);
    }
  }
  return w->err;
}
