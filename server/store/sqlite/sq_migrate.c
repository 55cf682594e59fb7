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

/* The data model of the Backend issue. Money is integer fen; times are ISO 8601 UTC text; every
 * state is a CHECK list. Anonymous questionnaire answers exist only as vote counters on the
 * options: no row per answer, so nothing links an answer to a member, a box or a time. */
static const char MIGRATION_2[] =
    "ALTER TABLE members ADD COLUMN photo TEXT;"

    /* People who log in. A cadre belongs to one village (branch); staff and admins to the
     * township. Passwords: crypto_pwhash_str (argon2id) strings only. */
    "CREATE TABLE accounts ("
    "  id INTEGER PRIMARY KEY,"
    "  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 32),"
    "  display_name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('cadre', 'staff', 'admin')),"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  password_hash TEXT NOT NULL CHECK (substr(password_hash, 1, 10) = '$argon2id$'),"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX accounts_org ON accounts(org_id);"

    /* Login sessions: only the SHA-256 of the token; a fixed expiry. */
    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
    "  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),"
    "  created_at TEXT NOT NULL,"
    "  expires_at TEXT NOT NULL CHECK (expires_at > created_at)"
    ");"
    "CREATE INDEX sessions_account ON sessions(account_id);"
    "CREATE INDEX sessions_expires ON sessions(expires_at);"

    /* Content by kind: the lines of a finance disclosure (财务公示). */
    "CREATE TABLE ledger_lines ("
    "  id INTEGER PRIMARY KEY,"
    "  content_id INTEGER NOT NULL REFERENCES content(id) ON DELETE CASCADE,"
    "  line_no INTEGER NOT NULL CHECK (line_no >= 1),"
    "  entry_date TEXT NOT NULL CHECK (length(entry_date) = 10),"
    "  item TEXT NOT NULL,"
    "  income_fen INTEGER NOT NULL DEFAULT 0 CHECK (income_fen >= 0),"
    "  expense_fen INTEGER NOT NULL DEFAULT 0 CHECK (expense_fen >= 0),"
    "  UNIQUE (content_id, line_no)"
    ");"

    /* Playable lessons and videos. */
    "CREATE TABLE courses ("
    "  content_id INTEGER PRIMARY KEY REFERENCES content(id) ON DELETE CASCADE,"
    "  category TEXT NOT NULL,"
    "  poster TEXT,"
    "  duration_s INTEGER NOT NULL DEFAULT 0 CHECK (duration_s >= 0),"
    "  media_url TEXT"
    ");"
    "CREATE INDEX courses_category ON courses(category);"

    "CREATE TABLE pioneers ("
    "  content_id INTEGER PRIMARY KEY REFERENCES content(id) ON DELETE CASCADE,"
    "  photo TEXT,"
    "  citation TEXT NOT NULL"
    ");"

    /* Questionnaires and quizzes share questions and options. */
    "CREATE TABLE questionnaires ("
    "  content_id INTEGER PRIMARY KEY REFERENCES content(id) ON DELETE CASCADE,"
    "  anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),"
    "  ballot_salt TEXT CHECK (ballot_salt IS NULL OR length(ballot_salt) = 64),"
    "  CHECK (anonymous = 0 OR ballot_salt IS NOT NULL)"
    ");"
    "CREATE TABLE quizzes ("
    "  content_id INTEGER PRIMARY KEY REFERENCES content(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('quiz', 'exam')),"
    "  pass_mark INTEGER NOT NULL CHECK (pass_mark BETWEEN 0 AND 100)"
    ");"
    "CREATE TABLE questions ("
    "  id INTEGER PRIMARY KEY,"
    "  content_id INTEGER NOT NULL REFERENCES content(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL CHECK (position >= 1),"
    "  prompt TEXT NOT NULL,"
    "  multiple INTEGER NOT NULL DEFAULT 0 CHECK (multiple IN (0, 1)),"
    "  UNIQUE (content_id, position)"
    ");"
    "CREATE TABLE question_options ("
    "  id INTEGER PRIMARY KEY,"
    "  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL CHECK (position >= 1),"
    "  label TEXT NOT NULL,"
    "  correct INTEGER NOT NULL DEFAULT 0 CHECK (correct IN (0, 1)),"
    "  votes INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),"
    "  UNIQUE (question_id, position)"
    ");"
    /* Anonymous questionnaires: a salted hash per voter, to refuse a second vote. No member,
     * box, time or answer. */
    "CREATE TABLE ballots ("
    "  content_id INTEGER NOT NULL REFERENCES questionnaires(content_id) ON DELETE CASCADE,"
    "  voter_hash TEXT NOT NULL CHECK (length(voter_hash) = 64),"
    "  PRIMARY KEY (content_id, voter_hash)"
    ");"
    /* Named questionnaires: who answered what. */
    "CREATE TABLE responses ("
    "  id INTEGER PRIMARY KEY,"
    "  content_id INTEGER NOT NULL REFERENCES questionnaires(content_id) ON DELETE CASCADE,"
    "  member_id INTEGER NOT NULL REFERENCES members(id),"
    "  box_id INTEGER NOT NULL REFERENCES boxes(id),"
    "  submitted_at TEXT NOT NULL,"
    "  UNIQUE (content_id, member_id)"
    ");"
    "CREATE TABLE response_choices ("
    "  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,"
    "  option_id INTEGER NOT NULL REFERENCES question_options(id),"
    "  PRIMARY KEY (response_id, option_id)"
    ");"
    "CREATE TABLE quiz_attempts ("
    "  id INTEGER PRIMARY KEY,"
    "  content_id INTEGER NOT NULL REFERENCES quizzes(content_id) ON DELETE CASCADE,"
    "  member_id INTEGER NOT NULL REFERENCES members(id),"
    "  box_id INTEGER NOT NULL REFERENCES boxes(id),"
    "  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),"
    "  correct INTEGER NOT NULL CHECK (correct >= 0),"
    "  questions INTEGER NOT NULL CHECK (questions >= correct),"
    "  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),"
    "  submitted_at TEXT NOT NULL"
    ");"
    "CREATE INDEX quiz_attempts_member ON quiz_attempts(member_id, content_id);"

    /* Broadcasts: the publishing key's hash (the key is shown once), where to watch. */
    "ALTER TABLE broadcasts ADD COLUMN publish_key_hash TEXT"
    "  CHECK (publish_key_hash IS NULL OR length(publish_key_hash) = 64);"
    "ALTER TABLE broadcasts ADD COLUMN playback_url TEXT;"
    "ALTER TABLE broadcasts ADD COLUMN recording_url TEXT;"

    /* Roll calls: ORG's members are called (a village, or the whole township). At most one open
     * roll call per broadcast and org. */
    "CREATE TABLE rollcalls ("
    "  id INTEGER PRIMARY KEY,"
    "  broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  opened_by INTEGER REFERENCES accounts(id),"
    "  opened_at TEXT NOT NULL,"
    "  closed_at TEXT,"
    "  CHECK (closed_at IS NULL OR closed_at >= opened_at)"
    ");"
    "CREATE UNIQUE INDEX rollcalls_one_open ON rollcalls(broadcast_id, org_id)"
    "  WHERE closed_at IS NULL;"
    "CREATE INDEX rollcalls_org ON rollcalls(org_id, closed_at);"
    "CREATE TABLE rollcall_members ("
    "  rollcall_id INTEGER NOT NULL REFERENCES rollcalls(id) ON DELETE CASCADE,"
    "  member_id INTEGER NOT NULL REFERENCES members(id),"
    "  PRIMARY KEY (rollcall_id, member_id)"
    ");"
    "CREATE INDEX rollcall_members_member ON rollcall_members(member_id);"
    "CREATE TABLE checkins ("
    "  id INTEGER PRIMARY KEY,"
    "  rollcall_id INTEGER NOT NULL REFERENCES rollcalls(id) ON DELETE CASCADE,"
    "  member_id INTEGER NOT NULL REFERENCES members(id),"
    "  box_id INTEGER NOT NULL REFERENCES boxes(id),"
    "  checked_in_at TEXT NOT NULL,"
    "  UNIQUE (rollcall_id, member_id)"
    ");"
    "CREATE INDEX checkins_member ON checkins(member_id);"
    /* Only what the roll-call rule needs: the last heartbeat per box and broadcast. */
    "CREATE TABLE heartbeats ("
    "  box_id INTEGER NOT NULL REFERENCES boxes(id),"
    "  broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),"
    "  last_at TEXT NOT NULL,"
    "  PRIMARY KEY (box_id, broadcast_id)"
    ");"

    "CREATE TABLE resume_positions ("
    "  household_id INTEGER NOT NULL REFERENCES households(id),"
    "  content_id INTEGER NOT NULL REFERENCES content(id) ON DELETE CASCADE,"
    "  position_ms INTEGER NOT NULL CHECK (position_ms >= 0),"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (household_id, content_id)"
    ");"

    /* One-key service: the seven Nanhu categories; answered within 24 h. */
    "CREATE TABLE service_requests ("
    "  id INTEGER PRIMARY KEY,"
    "  household_id INTEGER NOT NULL REFERENCES households(id),"
    "  box_id INTEGER REFERENCES boxes(id),"
    "  member_id INTEGER REFERENCES members(id),"
    "  village_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  category TEXT NOT NULL CHECK (category IN ('agri_tech', 'farm_policy', 'consult',"
    "    'culture', 'dispute', 'complaint', 'income')),"
    "  phone TEXT NOT NULL CHECK (length(phone) BETWEEN 7 AND 16),"
    "  note TEXT NOT NULL DEFAULT '',"
    "  state TEXT NOT NULL DEFAULT 'open'"
    "    CHECK (state IN ('open', 'assigned', 'replied', 'closed')),"
    "  assignee_id INTEGER REFERENCES accounts(id),"
    "  created_at TEXT NOT NULL,"
    "  deadline_at TEXT NOT NULL CHECK (deadline_at > created_at),"
    "  closed_at TEXT"
    ");"
    "CREATE INDEX service_requests_household ON service_requests(household_id, created_at);"
    "CREATE INDEX service_requests_desk ON service_requests(village_id, state, deadline_at);"
    "CREATE TABLE request_replies ("
    "  id INTEGER PRIMARY KEY,"
    "  request_id INTEGER NOT NULL REFERENCES service_requests(id) ON DELETE CASCADE,"
    "  account_id INTEGER REFERENCES accounts(id),"
    "  body TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX request_replies_request ON request_replies(request_id, created_at);"

    /* Township staff checking that a cadre is on duty in a village service office. */
    "CREATE TABLE duty_checks ("
    "  id INTEGER PRIMARY KEY,"
    "  village_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  checked_by INTEGER REFERENCES accounts(id),"
    "  requested_at TEXT NOT NULL,"
    "  answered_at TEXT,"
    "  state TEXT NOT NULL DEFAULT 'requested'"
    "    CHECK (state IN ('requested', 'on_duty', 'absent')),"
    "  note TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX duty_checks_village ON duty_checks(village_id, requested_at);"

    /* The credits ledger: one row per member, reason and thing (idempotent by UNIQUE). */
    "CREATE TABLE credits ("
    "  id INTEGER PRIMARY KEY,"
    "  member_id INTEGER NOT NULL REFERENCES members(id),"
    "  reason TEXT NOT NULL"
    "    CHECK (reason IN ('course_completed', 'exam_passed', 'meeting_attended')),"
    "  ref_id INTEGER NOT NULL,"
    "  points INTEGER NOT NULL CHECK (points > 0),"
    "  earned_at TEXT NOT NULL,"
    "  UNIQUE (member_id, reason, ref_id)"
    ");";

/* Migration 3 (content import, issue 4 "media" helper): the importer's source key of an item
 * (manifest file + item key), so that a re-import updates the item instead of adding another. */
static const char MIGRATION_3[] =
    "ALTER TABLE content ADD COLUMN source_key TEXT;"
    "CREATE UNIQUE INDEX content_source_key ON content(source_key)"
    "  WHERE source_key IS NOT NULL;";

/* Migration 4 (live ingest, issue 12): what became of a broadcast's recording, and the
 * multicast group its headend sends to. */
static const char MIGRATION_4[] =
    "ALTER TABLE broadcasts ADD COLUMN recording_state TEXT"
    "  CHECK (recording_state IN ('recording', 'processing', 'ready', 'failed'));"
    "ALTER TABLE broadcasts ADD COLUMN multicast_url TEXT;"
    "CREATE INDEX broadcasts_org_past ON broadcasts(org_id, state, started_at)"
    "  WHERE recording_url IS NOT NULL;";

/* Migration 5 (issue 12): the replay of a broadcast is also a video item (category 会议回放),
 * so a box resumes it where it stopped, like any video. */
static const char MIGRATION_5[] =
    "ALTER TABLE broadcasts ADD COLUMN replay_item_id INTEGER REFERENCES content(id);";

/* Migration 6 (issue 11): what a box last reported of itself, its software version and when
 * (the staff's boxes view); duty checks planned ahead at random times (sent when due). */
static const char MIGRATION_6[] =
    "ALTER TABLE boxes ADD COLUMN software_version TEXT;"
    "ALTER TABLE boxes ADD COLUMN reported_at TEXT;"
    "CREATE TABLE duty_plans ("
    "  id INTEGER PRIMARY KEY,"
    "  village_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  planned_by INTEGER REFERENCES accounts(id),"
    "  due_at TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'planned'"
    "    CHECK (state IN ('planned', 'sent', 'skipped', 'cancelled')),"
    "  check_id INTEGER REFERENCES duty_checks(id)"
    ");"
    "CREATE INDEX duty_plans_due ON duty_plans(state, due_at);";

/* Migration 7 (issue 13): an exam's time limit, shown and enforced on the box. */
static const char MIGRATION_7[] =
    "ALTER TABLE quizzes ADD COLUMN time_limit_s INTEGER"
    "  CHECK (time_limit_s IS NULL OR time_limit_s BETWEEN 10 AND 10800);";

/* Migration 8 (offline outbox, issue 13): a box names each write it may send twice (a retry
 * after a lost reply, its offline outbox after a restart) with a key of its own; the key maps
 * to the row made the first time, for the household the box served then. */
static const char MIGRATION_8[] =
    "CREATE TABLE idempotency_keys ("
    "  box_id INTEGER NOT NULL REFERENCES boxes(id),"
    "  key TEXT NOT NULL CHECK (length(key) BETWEEN 8 AND 64),"
    "  household_id INTEGER NOT NULL REFERENCES households(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('request', 'attempt', 'response')),"
    "  ref_id INTEGER NOT NULL,"
    "  PRIMARY KEY (box_id, key)"
    ") WITHOUT ROWID;";

/* Migration 9 (cadre mode on the TV): a cadre signs in on the activity-room box with the
 * remote, so with digits only: a phone number and a PIN, hashed like passwords. */
static const char MIGRATION_9[] =
    "ALTER TABLE accounts ADD COLUMN phone TEXT"
    "  CHECK (phone IS NULL OR (length(phone) = 11 AND phone NOT GLOB '*[^0-9]*'));"
    "ALTER TABLE accounts ADD COLUMN pin_hash TEXT"
    "  CHECK (pin_hash IS NULL OR substr(pin_hash, 1, 10) = '$argon2id$');"
    "CREATE UNIQUE INDEX accounts_phone ON accounts(phone);";

/* Migration 10 (a member away from home, issue 13): the township gives a member who works
 * elsewhere a PIN (only its argon2id hash is kept) for their phone; with both, any box of the
 * township opens a guest session (only the token's SHA-256 is kept) tied to the member, the box
 * they use and the meeting of their branch they joined. */
static const char MIGRATION_10[] =
    "ALTER TABLE members ADD COLUMN guest_pin_hash TEXT"
    "  CHECK (guest_pin_hash IS NULL OR substr(guest_pin_hash, 1, 10) = '$argon2id$');"
    "CREATE INDEX members_phone ON members(phone);"
    "CREATE TABLE guest_sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),"
    "  member_id INTEGER NOT NULL REFERENCES members(id),"
    "  box_id INTEGER NOT NULL REFERENCES boxes(id),"
    "  broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX guest_sessions_member ON guest_sessions(member_id);";
/* Migration 11 (issue 13): the rows of a dues disclosure (党费公示: who paid for which month,
 * how much) and of a new-member disclosure (发展党员公示: who, at which stage, since when), shown
 * as tables on the TV. One table for both: a row names a person, with a month and an amount
 * (dues) or a stage and a day (new members). */
static const char MIGRATION_11[] =
    "CREATE TABLE disclosure_rows ("
    "  id INTEGER PRIMARY KEY,"
    "  content_id INTEGER NOT NULL REFERENCES content(id) ON DELETE CASCADE,"
    "  row_no INTEGER NOT NULL CHECK (row_no >= 1),"
    "  name TEXT NOT NULL CHECK (length(name) >= 1),"
    "  stage TEXT,"
    "  day TEXT NOT NULL CHECK (length(day) IN (7, 10)),"
    "  amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen > 0),"
    "  CHECK ((stage IS NULL) <> (amount_fen IS NULL)),"
    "  UNIQUE (content_id, row_no)"
    ");";

/* Upload jobs (upload/): an acknowledged upload survives a restart. The job keeps what the
 * worker needs to run it again from the kept file (MEDIA/.uploads/ID.part): the new item's JSON
 * for a video, the target item for a poster. Live byte counts stay in memory. */
static const char MIGRATION_12[] =
    "CREATE TABLE upload_jobs ("
    "  id INTEGER PRIMARY KEY,"
    "  township_id INTEGER NOT NULL REFERENCES orgs(id),"
    "  account_id INTEGER REFERENCES accounts(id),"
    "  file TEXT NOT NULL CHECK (file IN ('video', 'poster')),"
    "  name TEXT NOT NULL,"
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  received INTEGER NOT NULL DEFAULT 0,"
    "  state TEXT NOT NULL CHECK (state IN ('waiting', 'receiving', 'queued', 'checking',"
    "    'converting', 'saving', 'done', 'failed')),"
    "  percent INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),"
    "  item_json TEXT,"
    "  target_item INTEGER,"
    "  item_id INTEGER,"
    "  media_url TEXT,"
    "  poster TEXT,"
    "  reason TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX upload_jobs_open ON upload_jobs(state, id);";

static const char *const migrations[] = { MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4,
                                          MIGRATION_5, MIGRATION_6, MIGRATION_7,
                                          MIGRATION_8, MIGRATION_9, MIGRATION_10,
                                          MIGRATION_11, MIGRATION_12 };
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
