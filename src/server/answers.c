/* Answers as JSON, shared by the API and the command line (`fangkong check --format json`). */
#include <assert.h>
#include <jansson.h>

#include "fangkong/areas.h"
#include "fangkong/measure.h"
#include "server/server.h"

json_t *fk__entrance_json(const struct fk_entrance_result *r)
{
  json_t *o, *reasons = json_array();
  assert(r);
  for (int i = 0; reasons && i < FK_ENTRANCE_NREASONS; i++)
    if (r->reasons & (1u << i))
      json_array_append_new(
          reasons, json_pack("{s:s, s:s}", "key", fk_entrance_reasons[i], "text", r->text[i]));
  o = json_pack("{s:s, s:o*, s:s, s:b, s:s, s:o, s:b}", "decision", r->pass ? "pass" : "deny",
                "reasons", reasons, "code", fk_codes[r->code], "fever", r->fever, "grid_id",
                r->grid_id, "area_level",
                r->area_level >= 0 ? json_string(fk_area_levels[r->area_level]) : json_null(),
                "recorded", r->recorded);
  return o;
}
