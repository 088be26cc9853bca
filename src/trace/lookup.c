/*
 * What the trace index answers without tracing (fangkong/trace.h): persons and places by id and
 * name, the cases and their windows, the index's size. A leaf of the trace part: the tracer and
 * the grouping call it, it calls neither.
 */
#include <stdio.h>

#include "fangkong/error.h"
#include "fangkong/task_store.h"
#include "trace/index.h"

int64_t fk_trace_person(const struct fk_trace_index *ix, const char *person_id, size_t n)
{
  int64_t id;
  return fk__strmap_get(&ix->by_name, person_id, n, &id) ? id : 0;
}

const char *fk_trace_person_id(const struct fk_trace_index *ix, int64_t person)
{
  if (person <= 0 || person >= ix->nperson) return NULL;
  return (const char *)ix->names.data + ix->name_off[person];
}

const char *fk_trace_place_id(const struct fk_trace_index *ix, int64_t place)
{
  if (place <= 0 || place >= ix->nplace) return NULL;
  return (const char *)ix->place_names.data + ix->place_name_off[place];
}

int fk_trace_is_case(const struct fk_trace_index *ix, int64_t person)
{
  return person > 0 && person < ix->nperson && ix->case_of[person] >= 0;
}

void fk_trace_each_case(const struct fk_trace_index *ix, void (*fn)(void *arg, int64_t person),
                        void *arg)
{
  for (size_t i = 0; i < ix->cases.n; i++)
    fn(arg, FK__VEC_AT(&ix->cases, struct fk_case_row, i).person);
}

int fk_trace_window(const struct fk_trace_index *ix, int64_t person, fk_time now, fk_time *start,
                    fk_time *end)
{
  if (!fk_trace_is_case(ix, person)) return FK_ENOTFOUND;
  const struct fk_case_row *c = &FK__VEC_AT(&ix->cases, struct fk_case_row, ix->case_of[person]);
  fk_case_window(c, ix->rules->trace.window_days, now, start, end);
  return 0;
}

void fk_case_window(const struct fk_case_row *c, int window_days, fk_time now, fk_time *start,
                    fk_time *end)
{
  fk_date day = c->has_onset && !c->asymptomatic ? c->onset : fk_time_date(c->sampled);
  *start = fk_date_start(day - window_days);
  *end = c->has_isolated ? c->isolated : now;
}

void fk_trace_index_stats(const struct fk_trace_index *ix, struct fk_trace_index_stats *out)
{
  size_t stays = ix->nstays * (sizeof *ix->stays + sizeof *ix->person_stays) +
                 (ix->nstays / FK__PLACE_STEP + 2) * sizeof *ix->place_step +
                 ix->pending.cap * ix->pending.size;
  size_t people = (size_t)ix->nperson * (sizeof *ix->household + sizeof *ix->name_off +
                                         sizeof *ix->case_of + sizeof *ix->person_off) +
                  ix->names.cap + ((size_t)ix->nhousehold + 2) * sizeof *ix->hh_off +
                  (size_t)ix->nperson * sizeof *ix->hh_members +
                  (ix->by_name.cap + ix->households.cap) * sizeof(struct fk__strmap_slot);
  size_t places = (size_t)ix->nplace * (1 + sizeof *ix->place_name_off + sizeof *ix->maxdur +
                                        sizeof *ix->place_off) +
                  ix->place_names.cap;
  out->persons = (long)ix->nperson - 1;
  out->places = (long)ix->nplace - 1;
  out->households = (long)ix->nhousehold;
  out->cases = (long)ix->cases.n;
  out->checkins = (long)(ix->nstays + ix->pending.n);
  out->checkin_bytes = stays;
  out->total_bytes = stays + people + places + ix->cases.cap * ix->cases.size +
                     ix->isolations.cap * ix->isolations.size;
}

int fk_trace_person_name(const struct fk_trace_index *ix, struct fk_store *st, int64_t person,
                         char *out, size_t size)
{
  const char *id = ix ? fk_trace_person_id(ix, person) : NULL;
  struct fk_person_info pi;
  int rc = 0;
  if (!id && !(rc = fk_store_person_info(st, person, &pi))) id = pi.person_id;
  snprintf(out, size, "%s", id ? id : "?");
  return rc == FK_ENOTFOUND ? 0 : rc;
}
