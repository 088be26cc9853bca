/* SQLite migrations (see schema.h). Never edit a shipped migration: add the next one. */
#include "store/schema.h"

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
};

const int fk__sqlite_migration_count =
    (int)(sizeof fk__sqlite_migrations / sizeof fk__sqlite_migrations[0]);
