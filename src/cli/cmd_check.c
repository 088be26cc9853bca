/*
 * fangkong check: the entrance check (测温、扫码、验证、戴口罩) of a person at a place
 * (fangkong/entrance.h). The answer names the reasons, never the person's name, ID or phone.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/traced.h"
#include "fangkong/entrance.h"
#include "fangkong/error.h"
#include "present/present.h"

static const char help[] =
    "usage: fangkong check PERSON_ID PLACE_ID --at T --temperature C --mask 0|1 [--db PATH]\n"
    "                      [--rules FILE] [--format json|text]\n"
    "\n"
    "The entrance check (测温、扫码、验证、戴口罩) of a person at a place at time T: pass or "
    "deny,\n"
    "with every reason that holds under the rule set's `entrance` section: fever 发热 (at or\n"
    "above its threshold), no_mask 未戴口罩, code_yellow 黄码 / code_red 红码 (the person's code "
    "at T),\n"
    "area_high 高风险区 / area_medium 中风险区 (the place's grid at T), confined 隔离中 (a measure "
    "whose\n"
    "phase keeps the person in). The check is recorded (once per T, person and place); a pass\n"
    "records the check-in too. JSON: {\"decision\": \"pass\"|\"deny\", \"reasons\": [{\"key\", "
    "\"text\"}],\n"
    "\"code\": \"green\"|\"yellow\"|\"red\", \"fever\", \"grid_id\", \"area_level\", "
    "\"recorded\"}.\n"
    "\n"
    "Exit status: 0 (pass or deny: read the decision), 1 on error (unknown person or place),\n"
    "2 on wrong usage.\n";

/* The answer as JSON (the same object the API answers: fk__entrance_json). */
static int print_json(const struct fk_entrance_result *r)
{
  json_t *o = fk__entrance_json(r);
  int rc = o ? json_dumpf(o, stdout, JSON_COMPACT) : -1;
  json_decref(o);
  if (rc) return fk__fail("out of memory");
  putchar('\n');
  return FK_EXIT_OK;
}

static void print_text(const struct fk_entrance_result *r)
{
  static const char *const codes[] = {"绿码", "黄码", "红码"};
  printf("%s (%s); code 健康码 %s %s\n", r->pass ? "通行 pass" : "禁止通行 deny",
         r->recorded ? "recorded" : "recorded before", codes[r->code], fk_codes[r->code]);
  for (int i = 0; i < FK_ENTRANCE_NREASONS; i++)
    if (r->reasons & (1u << i)) printf("  %s  %s\n", fk_entrance_reasons[i], r->text[i]);
}

/* Parses a temperature in degrees Celsius (a plain number, 30..45). */
static int parse_celsius(const char *s, double *out)
{
  char *end;
  errno = 0;
  *out = strtod(s, &end);
  return errno || end == s || *end || !isfinite(*out) || *out < 30 || *out > 45 ? -1 : 0;
}

int fk__cmd_check(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *at_text = NULL, *temp_text = NULL,
             *mask_text = NULL, *format = "json", *pos[2] = {NULL, NULL};
  struct fk__opt opts[] = {{"--db", &db, NULL},
                           {"--rules", &rules_path, NULL},
                           {"--at", &at_text, NULL},
                           {"--temperature", &temp_text, NULL},
                           {"--mask", &mask_text, NULL},
                           {"--format", &format, NULL},
                           {0}};
  struct fk__traced t = {0};
  struct fk_entrance_result r;
  struct fk_diag diag;
  char msg[1024];
  fk_time at;
  double celsius;
  int rc, npos;
  if (fk__wants_help(argc, argv)) return fputs(help, stdout), FK_EXIT_OK;
  if ((rc = fk__parse_opts("check", argc, argv, opts, pos, 2, &npos))) return rc;
  if (npos != 2) return fk__usage("check", "name the person and the place: PERSON_ID PLACE_ID");
  if (!at_text || fk_time_parse(at_text, strlen(at_text), &at, NULL))
    return fk__usage("check", "give --at T, an ISO 8601 time with offset");
  if (!temp_text || parse_celsius(temp_text, &celsius))
    return fk__usage("check", "give --temperature C, degrees Celsius between 30 and 45");
  if (!mask_text || (strcmp(mask_text, "0") && strcmp(mask_text, "1")))
    return fk__usage("check", "give --mask 1 (wears a mask) or --mask 0");
  if (strcmp(format, "json") && strcmp(format, "text"))
    return fk__usage("check", "--format is json or text");
  fk_diag_clear(&diag);
  if ((rc = fk__ruled_open(&t, db, rules_path))) goto out;
  if (fk_entrance_check(t.st, &t.rules, pos[0], pos[1], at, celsius, mask_text[0] == '1', &r,
                        &diag)) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  if (!strcmp(format, "json"))
    rc = print_json(&r);
  else
    print_text(&r);
out:
  fk__traced_close(&t);
  return rc;
}
