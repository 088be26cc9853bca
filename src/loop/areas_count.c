/*
 * One grid's countdown (see fk__area_count): its new infections, in date order, against the
 * downgrade steps of the rules. The level follows the steps of the level it was designated at
 * (high: -> medium, then -> low); a new infection restarts the count at the level the grid has
 * then, raised to the infection's own level when that is higher. A step to low lifts the grid:
 * from then on it is part of its county's low area.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/measure.h"
#include "loop/areas_impl.h"

/* Where a grid stands in its count. */
struct count {
  const struct fk_area_rules *r;
  int cur;           /* level in force, or -1 */
  int path;          /* the level whose steps are followed */
  int step;          /* the next step of path */
  fk_date zero;      /* day 0 of the step's count */
  char why[160];     /* why it has its level */
  char restart[128]; /* the last restart, or "" */
  struct fk_area_row *out;
};

static const struct fk_area_step *next_step(const struct count *c)
{
  const struct fk_area_level_rules *l = &c->r->levels[c->path];
  return c->step < l->nsteps ? &l->steps[c->step] : NULL;
}

/* Opens a span at level lv from date d (closing the one in force). */
static void open_span(struct count *c, int lv, fk_date d)
{
  struct fk_area_row *o = c->out;
  if (o->nspans && o->spans[o->nspans - 1].to == FK_DATE_NONE) {
    if (o->spans[o->nspans - 1].from == d)
      o->nspans--; /* raised the day it was lowered: no span of no days */
    else
      o->spans[o->nspans - 1].to = d;
  }
  if (o->nspans == FK_AREA_MAXSPANS) { /* the oldest go */
    memmove(o->spans, o->spans + 1, (FK_AREA_MAXSPANS - 1) * sizeof *o->spans);
    o->nspans--;
  }
  struct fk_area_span *s = &o->spans[o->nspans++];
  s->level = lv;
  s->from = d;
  s->to = FK_DATE_NONE;
  c->restart[0] = '\0';
  snprintf(s->reason, sizeof s->reason, "%s", c->why);
}

/* The span in force says why, with the last restart. */
static void say_why(struct count *c)
{
  struct fk_area_span *s = &c->out->spans[c->out->nspans - 1];
  if (c->restart[0])
    snprintf(s->reason, sizeof s->reason, "%.150s; %.100s", c->why, c->restart);
  else
    snprintf(s->reason, sizeof s->reason, "%s", c->why);
}

/* A new infection inside on e->date. */
static void infection(struct count *c, const struct fk__area_event *e)
{
  char day[FK_DATE_BUFSZ];
  if (e->level > c->cur) { /* designated, or raised */
    snprintf(c->why, sizeof c->why, "%s", e->reason);
    c->cur = c->path = e->level;
    c->step = 0;
    c->zero = e->date;
    open_span(c, e->level, e->date);
  } else if (c->cur >= 0 && c->r->restart_on_new_infection &&
             (e->date != c->zero || c->step || c->path != c->cur)) { /* else nothing moves */
    c->path = c->cur;
    c->step = 0;
    c->zero = e->date;
    snprintf(c->restart, sizeof c->restart, "count restarted %s: %.100s",
             fk_date_format(e->date, day), e->reason);
    say_why(c);
  }
}

/*
 * When the next step takes effect: *eff, and *known 1 when it did by today (its screening
 * passed), else 0 with *eff the projection (the screening passing on its day, or today).
 */
static int step_effect(struct count *c, const struct fk_area_step *s, fk_date today,
                       fk__screening_fn screening, void *arg, fk_date *eff, int *known, char *why,
                       size_t size)
{
  fk_date nominal = c->zero + s->days + 1;
  char day[FK_DATE_BUFSZ];
  int rc = 0, ok = 0;
  *known = 0;
  snprintf(why, size, "%d days without a new infection after %s", s->days,
           fk_date_format(c->zero, day));
  if (!s->screening_day) {
    *eff = nominal;
    *known = nominal <= today;
    return 0;
  }
  fk_date d = c->zero + s->screening_day;
  for (; d < today; d++) { /* a missing screening holds the step */
    char res[96];
    if ((rc = screening(arg, d, &ok, res, sizeof res))) return rc;
    if (ok) {
      size_t at = strlen(why);
      snprintf(why + at, size - at, ", screening of %s %s", fk_date_format(d, day), res);
      break;
    }
  }
  *eff = d + 1 > nominal ? d + 1 : nominal; /* when not passed: if it passes today */
  *known = ok && *eff <= today;
  return 0;
}

/* Lowers the level by step s on date eff. */
static void downgrade(struct count *c, const struct fk_area_step *s, fk_date eff, const char *why)
{
  char day[FK_DATE_BUFSZ];
  snprintf(c->why, sizeof c->why, "down from %s on %s: %s", fk_area_levels[c->cur],
           fk_date_format(eff, day), why);
  c->step++;
  c->zero = eff - 1;          /* the last day at the level before: "N more days" count from there */
  if (s->to == FK_AREA_LOW) { /* lifted: part of the county's low area from now */
    c->out->spans[c->out->nspans - 1].to = eff;
    c->cur = -1;
    return;
  }
  c->cur = s->to;
  if (!next_step(c)) { /* the path ends above low: the level's own steps go on */
    c->path = s->to;
    c->step = 0;
  }
  open_span(c, s->to, eff);
}

/* The projected lift from where c stands, the pending step taking effect on eff. */
static fk_date project(struct count c, fk_date eff)
{
  for (int guard = 0; guard < 4 * FK_RULES_MAXSTEPS; guard++) {
    const struct fk_area_step *s = next_step(&c);
    if (!s) return FK_DATE_NONE; /* a level without steps: lifted with its county */
    if (s->to == FK_AREA_LOW) return eff;
    c.step++;
    c.zero = eff - 1;
    c.cur = s->to;
    if (!next_step(&c)) {
      c.path = s->to;
      c.step = 0;
    }
    s = next_step(&c);
    if (s) eff = c.zero + s->days + 1;
  }
  return FK_DATE_NONE;
}

int fk__area_count(const struct fk_area_rules *r, const struct fk__area_event *e, int n,
                   fk_date today, fk__screening_fn screening, void *arg, struct fk_area_row *out)
{
  struct count c = {r, -1, 0, 0, 0, "", "", out};
  int i = 0, rc = 0;
  out->nspans = 0;
  out->lifts_on = FK_DATE_NONE;
  for (;;) {
    const struct fk_area_step *s = c.cur >= 0 ? next_step(&c) : NULL;
    fk_date eff = FK_DATE_NONE;
    int known = 0;
    char why[200] = "";
    if (s && (rc = step_effect(&c, s, today, screening, arg, &eff, &known, why, sizeof why)))
      return rc;
    if (i < n && (!s || !known || e[i].date < eff)) {
      infection(&c, &e[i++]);
    } else if (s && known) {
      downgrade(&c, s, eff, why);
    } else {
      if (c.cur >= 0) out->lifts_on = s ? project(c, eff) : FK_DATE_NONE;
      return 0;
    }
  }
}
