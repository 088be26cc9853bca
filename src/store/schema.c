/* SQLite migrations (see sqlite_impl.h). Never edit a shipped migration: add the next one. */
#include "store/sqlite_impl.h"

const char *const fk__sqlite_migrations[] = {
    /* 1: the hierarchy, persons, places and the first feeds. */
    "CREATE TABLE regions("
    "  id INTEGER PRIMARY KEY,"
    "  level INTEGER NOT NULL CHECK(level BETWEEN 1 AND 4)," /* 1 district .. 4 grid */
    "  code TEXT NOT NULL UNIQUE," /* grid_id for a grid, the name path above it otherwise */
    "  name TEXT NOT NULL,"
    "  parent INTEGER REFERENCES regions(id),"
    "  lat REAL, lon REAL);"
    "CREATE INDEX regions_parent ON regions(parent);"
    "CREATE TABLE persons("
    "  id INTEGER PRIMARY KEY,"
    "  person_id TEXT NOT NULL UNIQUE,"
    "  id_number TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  sex TEXT NOT NULL CHECK(sex IN ('M','F')),"
    "  birth_date TEXT NOT NULL,"
    "  phone TEXT,"
    "  household_id TEXT NOT NULL,"
    "  grid INTEGER NOT NULL REFERENCES regions(id),"
    "  address TEXT);"
    "CREATE INDEX persons_household ON persons(household_id);"
    "CREATE INDEX persons_grid ON persons(grid);"
    "CREATE INDEX persons_id_number ON persons(id_number);"
    "CREATE TABLE places("
    "  id INTEGER PRIMARY KEY,"
    "  place_id TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  grid INTEGER NOT NULL REFERENCES regions(id),"
    "  lat REAL NOT NULL, lon REAL NOT NULL,"
    "  capacity INTEGER NOT NULL);"
    "CREATE INDEX places_grid ON places(grid);"
    /* Check-ins are append-only events: the rowid is the monotonic event id that derived
       indexes (tracing) refresh from. */
    "CREATE TABLE checkins("
    "  id INTEGER PRIMARY KEY,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  place INTEGER NOT NULL REFERENCES places(id),"
    "  checkin_at INTEGER NOT NULL,"
    "  checkout_at INTEGER,"
    "  UNIQUE(checkin_at, person, place));" /* time first: feeds arrive in time order */
    "CREATE TABLE cases("
    "  person INTEGER PRIMARY KEY REFERENCES persons(id),"
    "  kind TEXT NOT NULL CHECK(kind IN ('confirmed','asymptomatic')),"
    "  onset_date TEXT,"
    "  sampled_at INTEGER NOT NULL,"
    "  isolated_at INTEGER);"
    "CREATE TABLE samples("
    "  id INTEGER PRIMARY KEY,"
    "  sample_id TEXT NOT NULL UNIQUE,"
    "  pool_id TEXT,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  sampled_at INTEGER NOT NULL,"
    "  site_id TEXT NOT NULL,"
    "  result TEXT NOT NULL CHECK(result IN ('negative','positive','pending')),"
    "  reported_at INTEGER);"
    "CREATE INDEX samples_person ON samples(person);"
    "CREATE INDEX samples_pool ON samples(pool_id) WHERE pool_id IS NOT NULL;"
    "CREATE TABLE arrivals("
    "  id INTEGER PRIMARY KEY,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  arrived_at INTEGER NOT NULL,"
    "  origin TEXT NOT NULL,"
    "  port TEXT,"
    "  international INTEGER NOT NULL CHECK(international IN (0,1)),"
    "  UNIQUE(person, arrived_at));"
    "CREATE TABLE vaccinations("
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  dose INTEGER NOT NULL,"
    "  vaccinated_at TEXT NOT NULL,"
    "  PRIMARY KEY(person, dose)) WITHOUT ROWID;",

    /* 2: phone locations for spatiotemporal companions; time first, as check-ins. */
    "CREATE TABLE pings("
    "  id INTEGER PRIMARY KEY,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  at INTEGER NOT NULL,"
    "  lat REAL NOT NULL, lon REAL NOT NULL,"
    "  UNIQUE(at, person));",

    /* 3: traces written back with their evidence (fangkong trace --save). */
    "CREATE TABLE trace_runs("
    "  id INTEGER PRIMARY KEY,"
    "  index_person INTEGER NOT NULL REFERENCES persons(id),"
    "  now INTEGER," /* NULL: no time given (isolated cases at depth 1) */
    "  depth INTEGER NOT NULL,"
    "  rules TEXT NOT NULL,"
    "  window_start INTEGER NOT NULL,"
    "  window_end INTEGER NOT NULL);"
    "CREATE INDEX trace_runs_person ON trace_runs(index_person);"
    "CREATE TABLE contacts("
    "  id INTEGER PRIMARY KEY,"
    "  run INTEGER NOT NULL REFERENCES trace_runs(id) ON DELETE CASCADE,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  degree INTEGER NOT NULL CHECK(degree IN (1, 2)),"
    "  category TEXT NOT NULL CHECK(category IN ('close', 'general')),"
    "  via INTEGER REFERENCES persons(id),"
    "  first_exposure INTEGER NOT NULL,"
    "  last_exposure INTEGER NOT NULL);"
    "CREATE INDEX contacts_run ON contacts(run);"
    "CREATE INDEX contacts_person ON contacts(person);"
    "CREATE TABLE exposures("
    "  contact INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    "  place INTEGER REFERENCES places(id)," /* NULL: the household */
    "  start_at INTEGER NOT NULL,"
    "  end_at INTEGER NOT NULL,"
    "  category TEXT NOT NULL);"
    "CREATE INDEX exposures_contact ON exposures(contact);"
    "CREATE TABLE case_links("
    "  run INTEGER NOT NULL REFERENCES trace_runs(id) ON DELETE CASCADE,"
    "  to_person INTEGER NOT NULL REFERENCES persons(id),"
    "  first_exposure INTEGER NOT NULL,"
    "  last_exposure INTEGER NOT NULL);"
    "CREATE INDEX case_links_run ON case_links(run);",

    /* 4: measures placed on persons, and their tests (fangkong measures apply). */
    "CREATE TABLE measures("
    "  id INTEGER PRIMARY KEY,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  linked INTEGER REFERENCES persons(id)," /* a secondary contact's close contact */
    "  category TEXT NOT NULL,"
    "  kind TEXT NOT NULL," /* the phase current when last applied */
    "  anchor_date TEXT NOT NULL,"
    "  placed_date TEXT NOT NULL,"
    "  start_date TEXT NOT NULL,"
    "  end_date TEXT," /* NULL: open-ended */
    "  status TEXT NOT NULL CHECK(status IN ('active','released','superseded')),"
    "  rule TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX measures_person ON measures(person);"
    "CREATE INDEX measures_active ON measures(status) WHERE status = 'active';"
    "CREATE TABLE measure_tests("
    "  measure INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,"
    "  phase INTEGER NOT NULL," /* -1: kept from an earlier anchor */
    "  day INTEGER NOT NULL,"
    "  due_date TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK(status IN ('due','done','missed','positive')),"
    "  sample_id TEXT);"
    "CREATE INDEX measure_tests_measure ON measure_tests(measure);",
    /* 5: the loop: tasks for the units responsible, their escalations, duty rosters, which
       cases the tick has traced, and entrance checks (fangkong tick, task, check). */
    "CREATE TABLE tasks("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL," /* notify, transfer, sample, release */
    "  person INTEGER REFERENCES persons(id),"
    "  measure INTEGER REFERENCES measures(id),"
    "  day TEXT NOT NULL DEFAULT '',"                   /* a sample task's due date; '' otherwise */
    "  unit TEXT NOT NULL,"                             /* who must do it: a grid_id, or a site */
    "  region INTEGER NOT NULL REFERENCES regions(id)," /* the unit's grid, for escalation */
    "  level INTEGER NOT NULL," /* 4 grid .. 1 district, 0 city: where it stands now */
    "  created_at INTEGER NOT NULL,"
    "  start_at INTEGER NOT NULL," /* from when it can be done (created -> due) */
    "  due_at INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK(status IN"
    "    ('created','due','acknowledged','done','failed','cancelled')),"
    "  acked_at INTEGER, closed_at INTEGER,"
    "  proof TEXT,"           /* what proves it done (a sample id, a room), or why it failed */
    "  reason TEXT NOT NULL," /* what it serves */
    "  UNIQUE(measure, kind, day));"
    "CREATE INDEX tasks_open ON tasks(due_at) WHERE status IN ('created','due','acknowledged');"
    "CREATE INDEX tasks_person ON tasks(person);"
    "CREATE TABLE task_escalations("
    "  task INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,"
    "  level INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"      /* when it reached the level: due_at + the rule's delay */
    "  unit TEXT NOT NULL,"       /* the region code at that level, or 'city' */
    "  officer TEXT, phone TEXT," /* on duty then (NULL: nobody on the roster) */
    "  PRIMARY KEY(task, level)) WITHOUT ROWID;"
    "CREATE TABLE duty("
    "  unit TEXT NOT NULL," /* a grid_id, a region code (/district/street/community) or 'city' */
    "  from_at INTEGER NOT NULL,"
    "  to_at INTEGER NOT NULL,"
    "  officer TEXT NOT NULL,"
    "  phone TEXT,"
    "  PRIMARY KEY(unit, from_at)) WITHOUT ROWID;"
    "CREATE TABLE case_traces("
    "  person INTEGER PRIMARY KEY REFERENCES persons(id),"
    "  window_end INTEGER NOT NULL," /* the end of the window the case was last traced over */
    "  traced_at INTEGER NOT NULL);"
    /* A case's stays over that window, kept so that risk areas need no trace index. */
    "CREATE TABLE case_stays("
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  place INTEGER NOT NULL REFERENCES places(id),"
    "  start_at INTEGER NOT NULL,"
    "  end_at INTEGER NOT NULL,"
    "  PRIMARY KEY(person, start_at, place)) WITHOUT ROWID;"
    "CREATE TABLE entrance_checks("
    "  id INTEGER PRIMARY KEY,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  place INTEGER NOT NULL REFERENCES places(id),"
    "  at INTEGER NOT NULL,"
    "  temperature REAL,"
    "  mask INTEGER NOT NULL,"
    "  decision TEXT NOT NULL CHECK(decision IN ('pass','deny')),"
    "  code TEXT NOT NULL,"
    "  reasons TEXT NOT NULL," /* ';'-separated reason keys */
    "  fever INTEGER NOT NULL,"
    "  UNIQUE(at, person, place));",

    /* 6: centralized quarantine sites, their rooms, who stayed where, who waits for a room
       (fangkong sites allocate). */
    "CREATE TABLE sites("
    "  id INTEGER PRIMARY KEY,"
    "  site_id TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  grid INTEGER NOT NULL REFERENCES regions(id),"
    "  lat REAL NOT NULL, lon REAL NOT NULL,"
    "  clean_zone TEXT NOT NULL," /* 三区两通道: the three zones and two channels, described */
    "  buffer_zone TEXT NOT NULL,"
    "  contaminated_zone TEXT NOT NULL,"
    "  staff_channel TEXT NOT NULL,"
    "  resident_channel TEXT NOT NULL,"
    "  staff INTEGER NOT NULL,"
    "  allows_households INTEGER NOT NULL CHECK(allows_households IN (0,1)));"
    "CREATE TABLE rooms("
    "  id INTEGER PRIMARY KEY,"
    "  site INTEGER NOT NULL REFERENCES sites(id),"
    "  room_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK(kind IN ('single','family','accessible')),"
    "  beds INTEGER NOT NULL CHECK(beds > 0),"
    "  UNIQUE(site, room_id));"
    "CREATE TABLE stays("
    "  id INTEGER PRIMARY KEY,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  room INTEGER NOT NULL REFERENCES rooms(id),"
    "  measure INTEGER REFERENCES measures(id)," /* the measure that sent the person */
    "  from_at INTEGER NOT NULL,"
    "  to_at INTEGER," /* NULL: still there */
    "  reason TEXT NOT NULL,"
    "  end_reason TEXT);"
    "CREATE INDEX stays_person ON stays(person);"
    "CREATE INDEX stays_open ON stays(person) WHERE to_at IS NULL;"
    "CREATE INDEX stays_to ON stays(to_at);"
    "CREATE TABLE site_waits("
    "  id INTEGER PRIMARY KEY,"
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  measure INTEGER REFERENCES measures(id),"
    "  site INTEGER REFERENCES sites(id)," /* the nearest site: where the demand is */
    "  since INTEGER NOT NULL,"
    "  until INTEGER," /* NULL: still waiting */
    "  end_reason TEXT);"
    "CREATE INDEX site_waits_open ON site_waits(person) WHERE until IS NULL;",

    /* 7: risk areas and their level history (fangkong areas update); when an arrival left
       its origin. */
    "ALTER TABLE arrivals ADD COLUMN left_at INTEGER;"
    "CREATE TABLE areas("
    "  id INTEGER PRIMARY KEY,"
    "  area_id TEXT NOT NULL UNIQUE," /* a grid_id, or a district's name */
    "  kind TEXT NOT NULL CHECK(kind IN ('grid','district')),"
    "  district TEXT NOT NULL,"
    "  lifts_on TEXT," /* projected; NULL: lifted */
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE area_levels("
    "  area INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,"
    "  level TEXT NOT NULL CHECK(level IN ('low','medium','high')),"
    "  from_date TEXT NOT NULL,"
    "  to_date TEXT," /* exclusive; NULL: in force */
    "  reason TEXT NOT NULL);"
    "CREATE INDEX area_levels_area ON area_levels(area);",

    /* 8: the loop's turns (fk_tick), so a replay knows which days it has ticked already. */
    "CREATE TABLE ticks("
    "  at INTEGER PRIMARY KEY," /* the tick's now */
    "  rules TEXT NOT NULL);",  /* the rule set's name */

    /* 9: signal line lists and counts (多点触发), alerts with their alarms and escalations
       (fangkong alert; docs/ALERTS.md). */
    "CREATE TABLE clinic_visits("
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  visited_at INTEGER NOT NULL,"
    "  place INTEGER NOT NULL REFERENCES places(id),"
    "  syndrome TEXT NOT NULL,"
    "  PRIMARY KEY(visited_at, person, place)) WITHOUT ROWID;"
    "CREATE TABLE pharmacy_sales("
    "  person INTEGER NOT NULL REFERENCES persons(id),"
    "  sold_at INTEGER NOT NULL,"
    "  place INTEGER NOT NULL REFERENCES places(id),"
    "  drug_class TEXT NOT NULL,"
    "  quantity INTEGER,"
    "  PRIMARY KEY(sold_at, person, place, drug_class)) WITHOUT ROWID;"
    "CREATE TABLE school_absences("
    "  place INTEGER NOT NULL REFERENCES places(id),"
    "  date TEXT NOT NULL,"
    "  class TEXT NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  PRIMARY KEY(date, place, class)) WITHOUT ROWID;"
    "CREATE TABLE signal_counts("
    "  date TEXT NOT NULL,"
    "  region INTEGER NOT NULL REFERENCES regions(id)," /* a grid or a region at any level */
    "  channel TEXT NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  PRIMARY KEY(channel, date, region)) WITHOUT ROWID;"
    "CREATE TABLE alerts("
    "  id INTEGER PRIMARY KEY,"
    "  channel TEXT NOT NULL,"
    "  region INTEGER NOT NULL," /* regions(id), or 0 for the city */
    "  region_level INTEGER NOT NULL,"
    "  level INTEGER NOT NULL," /* where it stands now (escalation): 4 grid .. 0 city */
    "  method TEXT NOT NULL,"   /* the first alarm's */
    "  first_date TEXT NOT NULL, last_date TEXT NOT NULL,"
    "  observed REAL NOT NULL, expected REAL, upperbound REAL," /* the first alarm's */
    "  alarms INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  due_at INTEGER NOT NULL,"  /* to be verified by */
    "  officer TEXT, phone TEXT," /* on duty for the region when raised */
    "  status TEXT NOT NULL CHECK(status IN ('open','outbreak','not_outbreak','watch')),"
    "  verified_at INTEGER,"
    "  note TEXT);"
    "CREATE INDEX alerts_series ON alerts(channel, region);"
    "CREATE TABLE alert_alarms("
    "  alert INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,"
    "  date TEXT NOT NULL,"
    "  method TEXT NOT NULL,"
    "  observed REAL NOT NULL, expected REAL, upperbound REAL, score REAL,"
    "  PRIMARY KEY(alert, date, method)) WITHOUT ROWID;"
    "CREATE TABLE alert_escalations("
    "  alert INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,"
    "  level INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  unit TEXT NOT NULL,"
    "  officer TEXT, phone TEXT,"
    "  PRIMARY KEY(alert, level)) WITHOUT ROWID;",
    /* 10: API tokens
       of `fangkong serve`, stored only as hashes, each with a role and a node of the hierarchy;
       its audit log. */
    "CREATE TABLE api_tokens("
    "  id INTEGER PRIMARY KEY,"
    "  hash TEXT NOT NULL UNIQUE," /* hex SHA-256 of the token; the token is never stored */
    "  role TEXT NOT NULL,"
    "  scope INTEGER REFERENCES regions(id)," /* NULL: the whole city */
    "  created_at INTEGER NOT NULL);"
    /* The API's audit log: who (token, role), what (action, object), when, from where. */
    "CREATE TABLE audit_log("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  token INTEGER REFERENCES api_tokens(id),"
    "  role TEXT NOT NULL,"
    "  action TEXT NOT NULL," /* "POST /v1/entrance-checks" */
    "  object TEXT NOT NULL," /* what it read or changed: "person P3 at place R3" */
    "  peer TEXT NOT NULL);",
    /* 11: a quarantine site's token (role site) sees the persons staying at its site. */
    "ALTER TABLE api_tokens ADD COLUMN site INTEGER REFERENCES sites(id);",
    /* 12: an entrance check posted to the API is its own audit record (who, when, from where):
       one insert fewer on the busiest route. NULL for checks made by the command line. */
    "ALTER TABLE entrance_checks ADD COLUMN audit_at INTEGER;"
    "ALTER TABLE entrance_checks ADD COLUMN token INTEGER;" /* api_tokens(id), kept as it was */
    "ALTER TABLE entrance_checks ADD COLUMN role TEXT;"
    "ALTER TABLE entrance_checks ADD COLUMN peer TEXT;",
};

const int fk__sqlite_migration_count =
    (int)(sizeof fk__sqlite_migrations / sizeof fk__sqlite_migrations[0]);
