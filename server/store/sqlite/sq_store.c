/* SQLite backend plumbing: opening, the write connection, the pool of read connections, the
 * statement cache, transactions and small helpers. The SQL of each table is in its own file.
 *
 * Durability: WAL + synchronous=FULL, so a COMMIT that returned is on disk. All writes go
 * through the writer thread (sq_writer.c: one connection, group commit). Reads never touch the
 * writer: each thread borrows a read-only connection from the pool (WAL lets readers run beside
 * the writer). */
#define LOG_TAG "store"
#include "store/sqlite/sq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "utf8.h"
#include "util/fileio.h"
#include "util/isotime.h"

enum { BUSY_TIMEOUT_MS = 5000 };

/* Touches a real table, so it proves the file is readable and has our schema. */
static const char SQL_PING[] = "SELECT count(*) FROM (SELECT 1 FROM orgs LIMIT 1)";

int sq_errno(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return 0;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return -EBUSY;
    case SQLITE_NOMEM:
        return -ENOMEM;
    case SQLITE_NOTFOUND:
        return -ENOENT;
    case SQLITE_CANTOPEN:
        return -ENOENT;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return -EACCES;
    case SQLITE_FULL:
        return -ENOSPC;
    case SQLITE_TOOBIG:
        return -E2BIG;
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
        return -EINVAL;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return -EEXIST;
        return -EINVAL;
    default:
        return -EIO;
    }
}

int sq_fail(struct sq_conn *c, int rc, const char *context)
{
    log_error("%s: %s (%d)", context, c && c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc),
              rc);
    return sq_errno(rc);
}

static void conn_close(struct sq_conn *c)
{
    if (!c)
        return;
    for (int i = 0; i < SQ_STMT_COUNT; i++)
        sqlite3_finalize(c->stmts[i]);
    int rc = sqlite3_close(c->db);
    if (rc != SQLITE_OK)
        log_error("closing database: %s", sqlite3_errstr(rc));
    free(c);
}

/* Run a PRAGMA that returns one row and copy its first column (may be NULL). */
static int pragma(struct sq_conn *c, const char *sql, char *result, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sq_fail(c, rc, sql);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && result)
        sq_column_copy(st, 0, result, cap);
    else if (result && cap)
        result[0] = '\0';
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        int err = sq_fail(c, rc, sql);
        sqlite3_finalize(st);
        return err;
    }
    sqlite3_finalize(st);
    return 0;
}

static int conn_open(const char *path, int flags, struct sq_conn **out)
{
    *out = NULL;
    struct sq_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    int rc = sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        int err = sq_fail(c, rc, "opening database");
        conn_close(c);
        return err;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    *out = c;
    return 0;
}

static int writer_open(const char *path, unsigned flags, struct sq_conn **out)
{
    int oflags = SQLITE_OPEN_READWRITE;
    if (flags & STORE_OPEN_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    struct sq_conn *c = NULL;
    int rc = conn_open(path, oflags, &c);
    if (rc < 0)
        return rc;
    char mode[16];
    rc = pragma(c, "PRAGMA journal_mode=WAL", mode, sizeof(mode));
    if (rc < 0)
        goto fail;
    if (strcmp(mode, "wal") != 0) {
        log_error("database %s: could not switch to WAL (journal_mode=%s)", path, mode);
        rc = -EIO;
        goto fail;
    }
    /* DJTV_BENCH_SYNCHRONOUS=NORMAL exists only to measure what FULL costs (server/
     * DURABILITY.md): NORMAL loses acknowledged writes on power loss. */
    const char *sync = getenv("DJTV_BENCH_SYNCHRONOUS");
    if (sync && strcmp(sync, "NORMAL") == 0) {
        log_warn("synchronous=NORMAL for a benchmark: acknowledged writes are NOT durable");
        rc = pragma(c, "PRAGMA synchronous=NORMAL", NULL, 0);
    } else {
        rc = pragma(c, "PRAGMA synchronous=FULL", NULL, 0);
    }
    if (rc < 0)
        goto fail;
    rc = pragma(c, "PRAGMA foreign_keys=ON", NULL, 0);
    if (rc < 0)
        goto fail;
    *out = c;
    return 0;

fail:
    conn_close(c);
    return rc;
}

int sq_read_acquire(struct sq_store *q, struct sq_conn **out)
{
    pthread_mutex_lock(&q->pool_lock);
    struct sq_conn *c = q->idle;
    if (c) {
        q->idle = c->next;
        c->next = NULL;
    }
    pthread_mutex_unlock(&q->pool_lock);
    if (c) {
        *out = c;
        return 0;
    }
    /* None idle: open another. The pool grows to the number of threads reading at once. */
    int rc = conn_open(q->path, SQLITE_OPEN_READONLY, &c);
    if (rc < 0)
        return rc;
    pthread_mutex_lock(&q->pool_lock);
    q->n_readers++;
    pthread_mutex_unlock(&q->pool_lock);
    log_debug("opened read connection");
    *out = c;
    return 0;
}

void sq_read_release(struct sq_store *q, struct sq_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&q->pool_lock);
    c->next = q->idle;
    q->idle = c;
    pthread_mutex_unlock(&q->pool_lock);
}

struct sq_conn *sq_tx_conn(struct store_tx *tx)
{
    return ((struct sq_tx *)tx)->q->writer;
}

sqlite3_stmt *sq_stmt(struct sq_conn *c, enum sq_stmt_id id, const char *sql)
{
    if (c->stmts[id])
        return c->stmts[id];
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmts[id], NULL);
    if (rc != SQLITE_OK) {
        sq_fail(c, rc, "preparing statement");
        c->stmts[id] = NULL;
    }
    return c->stmts[id];
}

void sq_stmt_done(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int sq_step_done(struct sq_conn *c, sqlite3_stmt *st, const char *context)
{
    int rc = sqlite3_step(st);
    int err = rc == SQLITE_DONE ? 0 : sq_fail(c, rc, context);
    sq_stmt_done(st);
    return err;
}

int sq_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, idx);
    return sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

int sq_bind_time(sqlite3_stmt *st, int idx, time_t t)
{
    char iso[ISOTIME_LEN];
    if (t == 0)
        return sqlite3_bind_null(st, idx);
    if (isotime_format(t, iso, sizeof(iso)) < 0)
        return SQLITE_RANGE;
    return sqlite3_bind_text(st, idx, iso, -1, SQLITE_TRANSIENT);
}

time_t sq_column_time(sqlite3_stmt *st, int col)
{
    time_t t = 0;
    const char *s = (const char *)sqlite3_column_text(st, col);
    if (s && isotime_parse(s, &t) < 0)
        t = 0;
    return t;
}

void sq_column_copy(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
    if (!cap)
        return;
    const char *s = (const char *)sqlite3_column_text(st, col);
    size_t n = s ? (size_t)sqlite3_column_bytes(st, col) : 0;
    n = utf8_prefix(s, n, cap - 1); /* never half a character */
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

/* ---- ops ---- */

static void sq_close(struct store *s)
{
    struct sq_store *q = sq_from(s);
    sq_writer_stop(q); /* runs what is queued first */
    struct sq_conn *c = q->idle;
    while (c) {
        struct sq_conn *next = c->next;
        conn_close(c);
        c = next;
    }
    /* The writer closes last: the last connection checkpoints and removes the WAL file. */
    conn_close(q->writer);
    pthread_mutex_destroy(&q->pool_lock);
    free(q->path);
    free(q);
}

static int sq_ping(struct store *s)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = sq_stmt(c, SQ_PING, SQL_PING);
    if (!st) {
        rc = -EIO;
    } else {
        int step = sqlite3_step(st);
        rc = step == SQLITE_ROW ? 0 : sq_fail(c, step, "ping");
        sq_stmt_done(st);
    }
    sq_read_release(q, c);
    return rc;
}

static const struct store_ops sq_ops = {
    .name = "sqlite",
    .close = sq_close,
    .ping = sq_ping,
    .schema_version = sq_schema_version,
    .box_by_token_hash = sq_box_by_token_hash,
    .org_get = sq_org_get,
    .household_get = sq_household_get,
    .content_count_by_section = sq_content_count_by_section,
    .broadcast_count_active = sq_broadcast_count_active,
    .broadcast_list_live = sq_broadcast_list_live,
    .tx_begin = sq_writer_tx_begin,
    .tx_commit = sq_writer_tx_commit,
    .tx_rollback = sq_writer_tx_rollback,
    .submit = sq_writer_submit,
    .write = sq_writer_write,
    .writer_stats = sq_writer_stats,
    .org_add = sq_org_add,
    .household_add = sq_household_add,
    .member_add = sq_member_add,
    .box_add = sq_box_add,
    .box_revoke = sq_box_revoke,
    .content_add = sq_content_add,
    .broadcast_add = sq_broadcast_add,
};

int store_sqlite_open(const char *path, unsigned flags, struct store **out)
{
    if (!(flags & STORE_OPEN_CREATE) && !fileio_exists(path)) {
        log_error("database %s does not exist (create one with `djtv-server demo`)", path);
        return -ENOENT;
    }
    struct sq_store *q = calloc(1, sizeof(*q));
    if (!q)
        return -ENOMEM;
    q->base.ops = &sq_ops;
    pthread_mutex_init(&q->pool_lock, NULL);
    int rc = -ENOMEM;
    q->path = strdup(path);
    if (!q->path)
        goto fail;
    rc = writer_open(path, flags, &q->writer);
    if (rc < 0)
        goto fail;
    rc = sq_migrate(q->writer); /* before the writer thread: nobody else uses it yet */
    if (rc == 0)
        rc = sq_writer_start(q);
    if (rc < 0)
        goto fail;
    *out = &q->base;
    return 0;

fail:
    sq_close(&q->base);
    return rc;
}
