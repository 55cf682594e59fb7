/* Internal to the SQLite backend: connections, the statement cache, the per-table functions.
 * One file of SQL per table (sq_orgs.c, sq_households.c, ...); sq_store.c holds the plumbing. */
#ifndef DJTV_SQ_H
#define DJTV_SQ_H

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>

#include "store/store_impl.h"

/* Every statement the backend runs; each connection prepares one lazily and keeps it. */
enum sq_stmt_id {
    SQ_BEGIN,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_PING,
    SQ_USER_VERSION,
    SQ_ORG_GET,
    SQ_ORG_ADD,
    SQ_HOUSEHOLD_GET,
    SQ_HOUSEHOLD_MEMBERS,
    SQ_HOUSEHOLD_ADD,
    SQ_MEMBER_ADD,
    SQ_BOX_BY_HASH,
    SQ_BOX_ADD,
    SQ_BOX_REVOKE,
    SQ_CONTENT_COUNTS,
    SQ_CONTENT_ADD,
    SQ_BROADCAST_ACTIVE,
    SQ_BROADCAST_LIVE,
    SQ_BROADCAST_ADD,
    /* the data model of migration 2 (sq_model.h) */
    SQ_ACCOUNT_ADD, SQ_ACCOUNT_BY_NAME, SQ_ACCOUNT_GET, SQ_ACCOUNT_BY_PHONE, SQ_ACCOUNT_SET_PIN, SQ_ATTEMPT_ADD, SQ_ATTENDANCE, SQ_BALLOT_ADD, SQ_BALLOT_EXISTS, SQ_RESPONSE_EXISTS,
    SQ_BROADCAST_END, SQ_BROADCAST_PAST, SQ_BROADCAST_RECORDING, SQ_BROADCAST_MULTICAST, SQ_BROADCAST_REPLAY_ITEM, SQ_BROADCAST_EXISTS, SQ_BROADCAST_GET, SQ_BROADCAST_SCOPE, SQ_BROADCAST_START,
    SQ_BROADCAST_TOWNSHIP_LIVE,
    SQ_CHECKIN_ADD, SQ_CHECKIN_GET, SQ_CHECKIN_ROLLCALL, SQ_CHOICE_ADD, SQ_CONTENT_COUNT,
    SQ_CONTENT_GET, SQ_CONTENT_LIST, SQ_CONTENT_COUNT_CATEGORY, SQ_CONTENT_LIST_CATEGORY,
    SQ_COURSE_CATEGORIES, SQ_COURSE_GET, SQ_COURSE_LIST, SQ_COURSE_LIST_CATEGORY,
    SQ_COURSE_SET, SQ_CREDIT_ADD, SQ_CREDIT_LIST, SQ_HEARTBEAT_LAST, SQ_HEARTBEAT_PUT,
    SQ_IDEM_GET, SQ_IDEM_ADD, SQ_ATTEMPT_GET,
    SQ_GUEST_SET, SQ_GUEST_FIND, SQ_GUEST_SESSION_ADD, SQ_GUEST_SESSION_GET,
    SQ_LEDGER_ADD, SQ_LEDGER_LIST, SQ_DISCLOSURE_ROW_ADD, SQ_DISCLOSURE_ROWS, SQ_MEMBER_GET,
    SQ_OPTIONS, SQ_OPTION_ADD, SQ_OPTION_VOTE,
    SQ_PIONEER_GET, SQ_PIONEER_SET, SQ_QUESTIONNAIRE_GET, SQ_QUESTIONNAIRE_SET, SQ_QUESTIONS,
    SQ_QUESTION_ADD, SQ_QUIZ_GET, SQ_QUIZ_SET, SQ_REPLY_ADD, SQ_REPLY_LIST, SQ_REQUEST_ADD,
    SQ_REQUEST_COUNT, SQ_REQUEST_GET, SQ_REQUEST_LIST, SQ_REQUEST_REPLIED, SQ_RESPONSE_ADD,
    SQ_RESUME_GET, SQ_RESUME_PUT, SQ_ROLLCALL_CLOSE, SQ_ROLLCALL_EXISTS, SQ_ROLLCALL_EXPECT,
    SQ_ROLLCALL_GET, SQ_ROLLCALL_STATE, SQ_ROLLCALL_LIST_OPEN, SQ_ROLLCALL_OPEN, SQ_ROLLCALL_OPEN_IDS,
    SQ_ROLLCALL_ROSTER, SQ_SESSION_ADD, SQ_SESSION_BY_HASH, SQ_SESSION_DELETE, SQ_SESSION_PURGE,
    SQ_TURNOUT_COUNT, SQ_TURNOUT_LIST, SQ_TURNOUT_VILLAGES, SQ_TURNOUT_MEMBERS, SQ_TURNOUT_TREND,
    /* the service desk (sq_requests.c) and duty checks (sq_duty.c) */
    SQ_DESK_COUNT, SQ_DESK_GET, SQ_DESK_LIST, SQ_DESK_STAFF, SQ_REQUEST_ASSIGN, SQ_REQUEST_CLOSE,
    SQ_REQUEST_STATE, SQ_DUTY_ABSENT, SQ_DUTY_ADD, SQ_DUTY_ANSWER, SQ_DUTY_COUNT, SQ_DUTY_GET,
    SQ_DUTY_LIST, SQ_DUTY_OPEN, SQ_DUTY_STATE,
    /* the township dashboard's overviews (sq_dashboard.c) */
    SQ_BOX_LIST, SQ_FORM_SUMMARIES, SQ_WATCHING, SQ_BOX_REPORTED, SQ_BOX_REPORT,
    SQ_DUTY_PLAN_ADD, SQ_DUTY_PLAN_GET, SQ_DUTY_PLANS, SQ_DUTY_PLAN_MARK, SQ_DUTY_PLAN_STATE,
    /* upload jobs (sq_upload_jobs.c) */
    SQ_UPLOAD_JOB_ADD, SQ_UPLOAD_JOB_SET, SQ_UPLOAD_JOB_GET, SQ_UPLOAD_JOB_STATE, SQ_UPLOAD_JOBS_OPEN,
    SQ_STMT_COUNT
};

struct sq_conn {
    sqlite3 *db;                        /* owned */
    sqlite3_stmt *stmts[SQ_STMT_COUNT]; /* owned, prepared on first use */
    struct sq_conn *next;               /* borrowed link in the idle list */
};

struct sq_writer;

struct sq_store {
    struct store base;
    char *path;             /* owned */
    struct sq_conn *writer; /* owned; used by the writer thread and the transaction it runs */
    struct sq_writer *w;    /* owned: the writer thread and its queue (sq_writer.c) */
    pthread_mutex_t pool_lock; /* guards idle and n_readers */
    struct sq_conn *idle;      /* owned: read connections not in use */
    int n_readers;             /* read connections open (idle or lent) */
};

struct sq_tx {
    struct store_tx base;
    struct sq_store *q; /* borrowed */
};

/* Map an SQLite result code to a negative errno. */
int sq_errno(int rc);
/* Log the connection's last error with CONTEXT and return sq_errno(rc). */
int sq_fail(struct sq_conn *c, int rc, const char *context);

/* Borrow a read connection for the calling thread (opening one when none is idle), give it back
 * with sq_read_release. A connection is used by one thread at a time. */
int sq_read_acquire(struct sq_store *q, struct sq_conn **out);
void sq_read_release(struct sq_store *q, struct sq_conn *c);
/* The write connection of an open transaction. */
struct sq_conn *sq_tx_conn(struct store_tx *tx);

/* The writer thread (sq_writer.c): group commit of queued jobs and blocking transactions on
 * q->writer. Start it once the schema is migrated; stop runs what is queued, then joins. */
int sq_writer_start(struct sq_store *q);
void sq_writer_stop(struct sq_store *q);
int sq_writer_submit(struct store *s, store_job_fn run, store_done_fn done, void *arg);
int sq_writer_write(struct store *s, store_job_fn run, void *arg);
int sq_writer_tx_begin(struct store *s, struct store_tx **out);
int sq_writer_tx_commit(struct store_tx *tx);
void sq_writer_tx_rollback(struct store_tx *tx);
int sq_writer_stats(struct store *s, struct store_writer_stats *out);
static inline struct sq_store *sq_from(struct store *s)
{
    return (struct sq_store *)s;
}

/* The cached statement ID (prepared from SQL on first use), or NULL (logged). */
sqlite3_stmt *sq_stmt(struct sq_conn *c, enum sq_stmt_id id, const char *sql);
/* Reset and unbind a statement after use, so it holds no read snapshot. */
void sq_stmt_done(sqlite3_stmt *st);
/* Step a statement that returns no rows; 0 or negative errno (logged). */
int sq_step_done(struct sq_conn *c, sqlite3_stmt *st, const char *context);

/* Binding and reading helpers. Empty/NULL text and time 0 are bound as SQL NULL. */
int sq_bind_text(sqlite3_stmt *st, int idx, const char *s);
int sq_bind_time(sqlite3_stmt *st, int idx, time_t t);
time_t sq_column_time(sqlite3_stmt *st, int col);
/* Copy a text column into DST (cap bytes), cutting at a UTF-8 character boundary. */
void sq_column_copy(sqlite3_stmt *st, int col, char *dst, size_t cap);

/* Bring the schema to STORE_SCHEMA_VERSION (store/sqlite/sq_migrate.c). */
int sq_migrate(struct sq_conn *c);
int sq_schema_version(struct store *s, int *version);

/* Per-table functions, installed in the ops table by sq_store.c. */
int sq_org_get(struct store *s, int64_t id, struct store_org *out);
int sq_org_add(struct store_tx *tx, int64_t parent_id, const char *kind, const char *name,
               int64_t *id);
int sq_household_get(struct store *s, int64_t id, struct store_household *out);
int sq_household_add(struct store_tx *tx, int64_t village_id, const char *name, int64_t *id);
int sq_member_add(struct store_tx *tx, const struct store_member *m, int64_t *id);
int sq_box_by_token_hash(struct store *s, const char *hash_hex, struct store_box_ident *out);
int sq_box_add(struct store_tx *tx, int64_t household_id, const char *token_hash_hex,
               const char *label, int64_t *id);
int sq_box_revoke(struct store_tx *tx, int64_t box_id);
int sq_content_count_by_section(struct store *s, const struct store_scope *scope, time_t now,
                                struct store_count *out, int max, int *n);
int sq_content_add(struct store_tx *tx, const struct store_content_new *c, int64_t *id);
int sq_broadcast_count_active(struct store *s, const struct store_scope *scope, int *n);
int sq_broadcast_list_live(struct store *s, const struct store_scope *scope,
                           struct store_broadcast *out, int max, int *n);
int sq_broadcast_add(struct store_tx *tx, const struct store_broadcast_new *b, int64_t *id);

#endif
