/* A task as JSON with its escalations, shared by `fangkong task list` and GET /v1/tasks. */
#include <assert.h>
#include <jansson.h>
#include <string.h>

#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "fangkong/tasks.h"
#include "present/present.h"

static json_t *text_or_null(const char *s)
{
  return s[0] ? json_string(s) : json_null();
}

/* Appends escalation e to the array arg; the officer's name and phone masked. */
static int add_escalation(void *arg, const struct fk_escalation_row *e)
{
  char at[FK_TIME_BUFSZ], officer[96], phone[32];
  fk_mask_name(e->officer, strlen(e->officer), officer, sizeof officer);
  fk_mask_phone(e->phone, strlen(e->phone), phone, sizeof phone);
  return json_array_append_new(
             arg, json_pack("{s:s, s:s, s:s, s:o, s:o}", "level", fk_levels[e->level], "at",
                            fk_time_format(e->at, at), "unit", e->unit, "officer",
                            e->officer[0] ? json_string(officer) : json_null(), "phone",
                            e->phone[0] ? json_string(phone) : json_null()))
             ? FK_ENOMEM
             : 0;
}

int fk__task_json(struct fk_store *st, const struct fk_task_row *t, json_t **out)
{
  char due[FK_TIME_BUFSZ];
  json_t *esc = json_array();
  int rc;
  assert(st && t && out);
  *out = NULL;
  if (!esc) return FK_ENOMEM;
  if ((rc = fk_store_each_escalation(st, t->id, add_escalation, esc))) {
    json_decref(esc);
    return rc;
  }
  *out =
      json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "task_id", (json_int_t)t->id,
                "kind", fk_task_kinds[t->kind], "person_id", text_or_null(t->person_id), "unit",
                t->unit, "due_at", fk_time_format(t->due, due), "status",
                fk_task_statuses[t->status], "level", fk_levels[t->level], "reason", t->reason,
                "proof", text_or_null(t->proof), "escalations", esc);
  return *out ? 0 : FK_ENOMEM;
}
