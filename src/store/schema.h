/*
 * The SQLite schema as an ordered list of migrations: migration i (1-based) takes the store from
 * version i-1 to i, in one transaction. A store newer than this program is refused, never
 * downgraded. Times are INTEGER seconds since the epoch (UTC); dates TEXT 'YYYY-MM-DD'.
 */
#ifndef FK_STORE_SCHEMA_H
#define FK_STORE_SCHEMA_H

extern const char *const fk__sqlite_migrations[];
extern const int fk__sqlite_migration_count;

#endif
