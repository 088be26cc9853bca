/*
 * GET /v1/persons/{id}: the person (fk__person_json) with their name, ID number and phone,
 * masked unless the role needs them whole; only for a person whose home grid lies in the
 * token's node (else 404, as for an unknown person). Read on the reader connection.
 */
#include <stdio.h>
#include <string.h>

#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/ident.h"
#include "fangkong/measures.h"
#include "fangkong/store.h"
#include "server/server.h"

/* Roles that see personal data whole: those who call or visit the person. */
static int sees_whole(int role)
{
  return role == FK_ROLE_GRID || role == FK_ROLE_EPIDEMIOLOGIST;
}

/* Adds "name", "id_number", "phone" (masked unless whole) and "masked" to o. */
static int add_private(json_t *o, const struct fk_person_private *p, int whole)
{
  char name[128], idnum[32], phone[32];
  if (!whole) {
    fk_mask_name(p->name, strlen(p->name), name, sizeof name);
    fk_mask_idnum(p->id_number, strlen(p->id_number), idnum, sizeof idnum);
    fk_mask_phone(p->phone, strlen(p->phone), phone, sizeof phone);
  }
  return json_object_set_new(o, "name", json_string(whole ? p->name : name)) ||
                 json_object_set_new(o, "id_number", json_string(whole ? p->id_number : idnum)) ||
                 json_object_set_new(o, "phone", json_string(whole ? p->phone : phone)) ||
                 json_object_set_new(o, "masked", json_boolean(!whole))
             ? FK_ENOMEM
             : 0;
}

int fk__person_read(struct fk_store *st, const struct fk_rules *rules, const char *person_id,
                    const struct fk_token_row *token, fk_time now, json_t **out,
                    struct fk_diag *diag)
{
  struct fk_person_private priv;
  struct fk_measure_row *m = NULL;
  int64_t person = 0;
  int in = 1, nm = 0, rc;
  *out = NULL;
  if ((rc = fk_store_person_id(st, person_id, &person)))
    return fk_diag_set(diag, rc, NULL, "store: %s", fk_store_errmsg(st));
  if (person && (rc = fk__token_sees_person(st, token, person, &in)))
    return fk_diag_set(diag, rc, NULL, "store: %s", fk_store_errmsg(st));
  if (!person || !in) return fk_diag_set(diag, FK_ENOTFOUND, "id", "no person %s", person_id);
  if ((rc = fk_store_person_private(st, person, &priv)) ||
      (rc = fk_measures_of(st, person, now, &m, &nm, diag)))
    goto out;
  *out = fk__person_json(st, rules, person_id, person, m, nm, now, &rc, diag);
  if (!rc && (!*out || add_private(*out, &priv, sees_whole(token->role)))) rc = FK_ENOMEM;
out:
  if (rc && diag && !diag->reason[0]) fk_diag_set(diag, rc, NULL, "store: %s", fk_store_errmsg(st));
  if (rc) {
    json_decref(*out);
    *out = NULL;
  }
  fk_free(m);
  return rc;
}
