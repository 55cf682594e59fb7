/* Numbered schema migrations. PRAGMA user_version holds the number of the last one applied;
 * each runs in its own IMMEDIATE transaction together with the version bump, so a crash leaves
 * either the old or the new schema. Never edit a released migration: add the next one.
 * The SQL sticks to what PostgreSQL also accepts where that costs nothing (TEXT timestamps in
 * ISO 8601 UTC, CHECK lists, explicit foreign keys); ids are SQLite rowid aliases. */
#define LOG_TAG "store"
#include "store/sqlite/sq.h"

#include <errno.h>
#include <stdio.h>

#include "log.h"

static const char MIGRATION_1[] =
    /* Townships and villages; later also branches and offices (kind grows). */
    "CREATE TABLE orgs ("
    "  id INTEGER PRIMARY KEY,"
    "  parent_id INTEGER REFERENCES orgs(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('township', 'village')),"
    "  name TEXT NOT NULL"
    ");"
    "CREATE INDEX orgs_parent ON orgs(parent_id);"

    "CREATE TABLE households ("
    "  id INTEGER PRIMARY KEY,"
    "  village_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  name TEXT NOT NULL"
    ");"
    "CREATE INDEX households_village ON households(village_id);"

    "CREATE TABLE members ("
    "  id INTEGER PRIMARY KEY,"
    "  household_id INTEGER NOT NULL REFERENCES households(id),"
    "  name TEXT NOT NULL,"
    "  birth_year INTEGER CHECK (birth_year BETWEEN 1900 AND 2100),"
    "  joined_on TEXT,"
    "  phone TEXT"
    ");"
    "CREATE INDEX members_household ON members(household_id);"

    /* A set-top box; only the SHA-256 of its token is kept (hex, so any engine stores it). */
    "CREATE TABLE boxes ("
    "  id INTEGER PRIMARY KEY,"
    "  household_id INTEGER NOT NULL REFERENCES households(id),"
    "  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),"
    "  label TEXT,"
    "  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))"
    ");"
    "CREATE INDEX boxes_household ON boxes(household_id);"

    "CREATE TABLE content ("
    "  id INTEGER PRIMARY KEY,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  section TEXT NOT NULL CHECK (section IN"
    "    ('affairs', 'live', 'study', 'video', 'pioneers', 'evaluation')),"
    "  kind TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  body TEXT NOT NULL DEFAULT '',"
    "  published_at TEXT NOT NULL"
    ");"
    "CREATE INDEX content_org_section ON content(org_id, section, published_at);"

    "CREATE TABLE broadcasts ("
    "  id INTEGER PRIMARY KEY,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  title TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('scheduled', 'live', 'ended')),"
    "  started_at TEXT,"
    "  ended_at TEXT"
    ");"
    "CREATE INDEX broadcasts_org_state ON broadcasts(org_id, state);";

static const char *const migrations[] = { MIGRATION_1 };
enum { N_MIGRATIONS = (int)(sizeof(migrations) / sizeof(migrations[0])) };

_Static_assert((int)N_MIGRATIONS == (int)STORE_SCHEMA_VERSION, "one migration per schema version");

static int read_version(struct sq_conn *c, int *version)
{
    sqlite3_stmt *st = sq_stmt(c, SQ_USER_VERSION, "PRAGMA user_version");
    if (!st)
        return -EIO;
    int rc = sqlite3_step(st);
    int err = 0;
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    else
        err = sq_fail(c, rc, "reading user_version");
    sq_stmt_done(st);
    return err;
}

static int exec(struct sq_conn *c, const char *sql, const char *context)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return 0;
    log_error("%s: %s", context, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return sq_errno(rc);
}

/* Apply migration N (1-based) if the database is still at N-1. */
static int apply(struct sq_conn *c, int n)
{
    int rc = exec(c, "BEGIN IMMEDIATE", "migration begin");
    if (rc < 0)
        return rc;
    int version = 0;
    rc = read_version(c, &version);
    if (rc < 0)
        goto fail;
    if (version >= n) { /* another process got there first */
        exec(c, "ROLLBACK", "migration rollback");
        return 0;
    }
    rc = exec(c, migrations[n - 1], "migration");
    if (rc < 0)
        goto fail;
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", n);
    rc = exec(c, sql, "migration version");
    if (rc < 0)
        goto fail;
    rc = exec(c, "COMMIT", "migration commit");
    if (rc < 0)
        goto fail;
    log_info("database schema migrated to version %d", n);
    return 0;

fail:
    if (!sqlite3_get_autocommit(c->db))
        exec(c, "ROLLBACK", "migration rollback");
    log_error("migration %d failed", n);
    return rc;
}

int sq_migrate(struct sq_conn *c)
{
    int version = 0;
    int rc = read_version(c, &version);
    if (rc < 0)
        return rc;
    if (version > N_MIGRATIONS) {
        log_error("database schema version %d is newer than this server (%d)", version,
                  N_MIGRATIONS);
        return -EPROTO;
    }
    for (int n = version + 1; n <= N_MIGRATIONS; n++) {
        rc = apply(c, n);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int sq_schema_version(struct store *s, int *version)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    rc = read_version(c, version);
    sq_read_release(q, c);
    return rc;
}
