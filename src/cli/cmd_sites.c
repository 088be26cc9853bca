/*
 * fangkong sites allocate, fangkong site list: rooms at centralized quarantine sites (集中隔离点)
 * given as of a time, and each site's occupancy, now or per day. No personal data is printed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "fangkong/alloc.h"
#include "fangkong/error.h"
#include "fangkong/feed.h"
#include "fangkong/rules.h"
#include "fangkong/sites.h"
#include "fangkong/store.h"
#include "fangkong/table.h"

static const char allocate_help[] =
    "usage: fangkong sites allocate [--db PATH] [--rules FILE] --now T\n"
    "\n"
    "Gives a room at a centralized quarantine site (集中隔离点) to everyone whose measure is,\n"
    "as of T, in its centralized-quarantine phase (集中隔离) and has none: the nearest site with\n"
    "a suitable free room; a household together in a family room when the rules and the site\n"
    "allow it; an accessible room for those the rules say (by age); never with a stranger.\n"
    "Without a free room anywhere the person is recorded as waiting. Stays end when the phase\n"
    "ends (00:00 after its last day) or the measure is released or superseded (at T).\n"
    "Running it twice with the same T changes nothing. Run `measures apply` first.\n"
    "\n"
    "  --db PATH     the store (default ./fangkong.db)\n"
    "  --rules FILE  rule set (default: the built-in protocol-9); its `sites` section\n"
    "  --now T       the time of the run (ISO 8601 with offset)\n"
    "\n"
    "Counts go to stderr. Exit status: 0, 1 on error, 2 on wrong usage.\n";

static const char list_help[] =
    "usage: fangkong site list [--db PATH] [--now T] [--from DATE --to DATE]\n"
    "                          [--format json|text]\n"
    "\n"
    "Every quarantine site (集中隔离点) with its rooms (capacity, by kind), beds, staff, its\n"
    "three zones and two channels (三区两通道), and occupancy: rooms occupied, persons, rooms\n"
    "free, people waiting whose nearest site it is. As of T (default: the stays still open).\n"
    "With --from and --to (dates, at most 366 days) each site also lists every day: persons,\n"
    "rooms occupied and free at the end of the day (24:00), admitted, discharged, waiting.\n"
    "\n"
    "Exit status: 0, 1 on error, 2 on wrong usage.\n";

static int open_store(const char *db, struct fk_store **st)
{
  struct fk_diag diag;
  char msg[1024];
  fk_diag_clear(&diag);
  if (access(db, F_OK)) return fk__fail("no store at %s", db);
  if (fk_store_open(db, st, &diag)) return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  return FK_EXIT_OK;
}

static int allocate(int argc, char **argv)
{
  const char *db = FK_DEFAULT_DB, *rules_path = NULL, *now_text = NULL, *pos[1];
  struct fk__opt opts[] = {
      {"--db", &db, NULL}, {"--rules", &rules_path, NULL}, {"--now", &now_text, NULL}, {0}};
  static struct fk_rules rules;
  struct fk_store *st = NULL;
  struct fk_sites_stats s;
  struct fk_diag diag;
  char msg[1024];
  fk_time now;
  int rc, npos;
  if ((rc = fk__parse_opts("sites", argc, argv, opts, pos, 0, &npos))) return rc;
  if (!now_text) return fk__usage("sites", "give --now T");
  if (fk_time_parse(now_text, strlen(now_text), &now, NULL))
    return fk__usage("sites", "--now must be an ISO 8601 time with offset");
  fk_diag_clear(&diag);
  if (rules_path ? fk_rules_load(rules_path, &rules, NULL, NULL, &diag) : fk_rules_default(&rules))
    return fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  if ((rc = open_store(db, &st))) return rc;
  if (fk_sites_allocate(st, &rules, now, &s, &diag))
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
  else
    fprintf(stderr,
            "need a room %ld: housed %ld, waiting %ld (new %ld); admitted %ld (with household "
            "%ld), discharged %ld, written %ld\n",
            s.need, s.housed, s.waiting, s.new_waits, s.admitted, s.together, s.discharged,
            s.written);
  fk_store_close(st);
  return rc;
}

int fk__cmd_sites(int argc, char **argv)
{
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(allocate_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (strcmp(argv[1], "allocate"))
    return fk__usage("sites", "unknown subcommand '%s' (allocate)", argv[1]);
  return allocate(argc - 1, argv + 1);
}

/* ---- site list ---------------------------------------------------------------------------- */

static void jstr(const char *s)
{
  fk_json_string(stdout, s, strlen(s));
}

static const char *const zone_keys[FK_SITE_ZONES] = {
    "clean_zone", "buffer_zone", "contaminated_zone", "staff_channel", "resident_channel"};

static void json_day(const struct fk_site_day *d, int first)
{
  char day[FK_DATE_BUFSZ];
  printf("%s{\"date\":\"%s\",\"persons\":%d,\"occupied\":%d,\"free\":%d,\"admitted\":%d,"
         "\"discharged\":%d,\"waiting\":%d}",
         first ? "" : ",", fk_date_format(d->date, day), d->persons, d->rooms_occupied,
         d->rooms_free, d->admitted, d->discharged, d->waiting);
}

static void json_site(const struct fk_site_status *s, const struct fk_site_day *days, int ndays,
                      int first)
{
  printf("%s{\"site_id\":", first ? "" : ",");
  jstr(s->site_id);
  fputs(",\"name\":", stdout);
  jstr(s->name);
  fputs(",\"grid_id\":", stdout);
  jstr(s->grid_id);
  printf(",\"lat\":%.6f,\"lon\":%.6f,\"staff\":%d,\"allows_households\":%s", s->lat, s->lon,
         s->staff, s->allows_households ? "true" : "false");
  fputs(",\"zones\":{", stdout);
  for (int z = 0; z < FK_SITE_ZONES; z++) {
    printf("%s\"%s\":", z ? "," : "", zone_keys[z]);
    jstr(s->zones[z]);
  }
  printf("},\"rooms\":{\"single\":%d,\"family\":%d,\"accessible\":%d}", s->rooms[FK_ROOM_SINGLE],
         s->rooms[FK_ROOM_FAMILY], s->rooms[FK_ROOM_ACCESSIBLE]);
  printf(",\"capacity\":%d,\"beds\":%d,\"occupied\":%d,\"persons\":%d,\"free\":%d,\"waiting\":%d",
         s->nrooms, s->beds, s->rooms_occupied, s->persons, s->rooms_free, s->waiting);
  if (days) {
    fputs(",\"days\":[", stdout);
    for (int k = 0; k < ndays; k++)
      json_day(&days[k], k == 0);
    fputc(']', stdout);
  }
  fputc('}', stdout);
}

/* The table of sites (no range) or of site days (with one). */
static int text_list(const struct fk_site_status *s, int n, long unsited,
                     const struct fk_site_day *d, int ndays, const char *title)
{
  static const char *const scols[] = {"site_id",  "name",      "grid_id",   "#capacity",
                                      "#beds",    "#occupied", "#persons",  "#free",
                                      "#waiting", "#staff",    "households"};
  static const char *const dcols[] = {"site_id", "date",      "#persons",    "#occupied",
                                      "#free",   "#admitted", "#discharged", "#waiting"};
  struct fk_table *t = d ? fk_table_new(8, dcols) : fk_table_new(11, scols);
  int rc = t ? 0 : FK_ENOMEM;
  for (int i = 0; !rc && i < n; i++) {
    char num[8][24];
    if (!d) {
      int v[] = {s[i].nrooms,     s[i].beds,    s[i].rooms_occupied, s[i].persons,
                 s[i].rooms_free, s[i].waiting, s[i].staff};
      for (int k = 0; k < 7; k++)
        snprintf(num[k], sizeof num[k], "%d", v[k]);
      const char *row[] = {s[i].site_id,
                           s[i].name,
                           s[i].grid_id,
                           num[0],
                           num[1],
                           num[2],
                           num[3],
                           num[4],
                           num[5],
                           num[6],
                           s[i].allows_households ? "yes" : "no"};
      rc = fk_table_add(t, row);
      continue;
    }
    for (int k = 0; !rc && k < ndays; k++) {
      const struct fk_site_day *x = &d[i * ndays + k];
      int v[] = {x->persons,  x->rooms_occupied, x->rooms_free,
                 x->admitted, x->discharged,     x->waiting};
      char day[FK_DATE_BUFSZ];
      for (int j = 0; j < 6; j++)
        snprintf(num[j], sizeof num[j], "%d", v[j]);
      const char *row[] = {
          s[i].site_id, fk_date_format(x->date, day), num[0], num[1], num[2], num[3], num[4],
          num[5]};
      rc = fk_table_add(t, row);
    }
  }
  if (!rc) {
    fk_table_print(t, FK_FORMAT_TABLE, title, stdout);
    if (unsited) printf("waiting with no site to go to: %ld\n", unsited);
  }
  fk_table_free(t);
  return rc;
}

struct list_args {
  const char *db, *now, *from, *to, *format;
  fk_time at;
  fk_date d0, d1;
};

static int list_parse(int argc, char **argv, struct list_args *a)
{
  const char *pos[1];
  int npos, rc;
  struct fk__opt opts[] = {{"--db", &a->db, NULL},         {"--now", &a->now, NULL},
                           {"--from", &a->from, NULL},     {"--to", &a->to, NULL},
                           {"--format", &a->format, NULL}, {0}};
  if ((rc = fk__parse_opts("site", argc, argv, opts, pos, 0, &npos))) return rc;
  if (strcmp(a->format, "json") && strcmp(a->format, "text"))
    return fk__usage("site", "--format is json or text");
  if (a->now && fk_time_parse(a->now, strlen(a->now), &a->at, NULL))
    return fk__usage("site", "--now must be an ISO 8601 time with offset");
  if (!a->from != !a->to) return fk__usage("site", "give --from and --to together");
  if (a->from && (fk_date_parse(a->from, strlen(a->from), &a->d0, NULL) ||
                  fk_date_parse(a->to, strlen(a->to), &a->d1, NULL)))
    return fk__usage("site", "--from and --to are dates, YYYY-MM-DD");
  if (a->from && (a->d1 < a->d0 || a->d1 - a->d0 >= 366))
    return fk__usage("site", "--to must be on or after --from, at most 366 days");
  return 0;
}

static int list(int argc, char **argv)
{
  struct list_args a = {FK_DEFAULT_DB, NULL, NULL, NULL, "json", FK_TIME_NONE, 0, 0};
  struct fk_store *st = NULL;
  struct fk_site_status *s = NULL;
  struct fk_site_day *d = NULL;
  struct fk_diag diag;
  char msg[1024], title[128];
  int rc, n = 0, nd = 0, ndays = 0;
  long unsited = 0;
  if ((rc = list_parse(argc, argv, &a)) || (rc = open_store(a.db, &st))) return rc;
  fk_diag_clear(&diag);
  if (fk_sites_status(st, a.at, &s, &n, &unsited, &diag) ||
      (a.from && fk_sites_occupancy(st, a.d0, a.d1, &d, &nd, &diag))) {
    rc = fk__fail("%s", fk_diag_format(&diag, msg, sizeof msg));
    goto out;
  }
  ndays = a.from ? a.d1 - a.d0 + 1 : 0;
  if (!strcmp(a.format, "json")) {
    fputc('[', stdout);
    for (int i = 0; i < n; i++)
      json_site(&s[i], d ? &d[i * ndays] : NULL, ndays, i == 0);
    fputs("]\n", stdout);
  } else {
    if (a.from)
      snprintf(title, sizeof title, "quarantine sites (集中隔离点) per day, %s..%s (at 24:00)",
               a.from, a.to);
    else
      snprintf(title, sizeof title, "quarantine sites (集中隔离点) %s%s", a.now ? "as of " : "now",
               a.now ? a.now : "");
    if (text_list(s, n, unsited, d, ndays, title)) rc = fk__fail("%s", fk_strerror(FK_ENOMEM));
  }
out:
  fk_free(s);
  fk_free(d);
  fk_store_close(st);
  return rc;
}

int fk__cmd_site(int argc, char **argv)
{
  if (argc < 2 || fk__wants_help(argc, argv)) {
    fputs(list_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FK_EXIT_USAGE : FK_EXIT_OK;
  }
  if (strcmp(argv[1], "list")) return fk__usage("site", "unknown subcommand '%s' (list)", argv[1]);
  return list(argc - 1, argv + 1);
}
