/* SQL of the broadcasts table: live meetings and lessons, scheduled, live or ended. */
#define LOG_TAG "store"
#include "store/sqlite/sq.h"

#include <errno.h>

#include "log.h"

static const char SQL_ACTIVE[] =
    "SELECT count(*) FROM broadcasts WHERE org_id IN (?1, ?2) AND state <> 'ended'";
static const char SQL_LIVE[] =
    "SELECT b.id, b.org_id, b.title, b.state, o.name, b.started_at, b.ended_at"
    " FROM broadcasts b JOIN orgs o ON o.id = b.org_id"
    " WHERE b.org_id IN (?1, ?2) AND b.state = 'live'"
    " ORDER BY b.started_at, b.id LIMIT ?3";
static const char SQL_ADD[] =
    "INSERT INTO broadcasts (org_id, title, state, started_at, ended_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

int sq_broadcast_count_active(struct store *s, const struct store_scope *scope, int *n)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = sq_stmt(c, SQ_BROADCAST_ACTIVE, SQL_ACTIVE);
    if (!st) {
        rc = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, scope->village_id);
    sqlite3_bind_int64(st, 2, scope->township_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *n = sqlite3_column_int(st, 0);
        rc = 0;
    } else {
        rc = sq_fail(c, step, "broadcast count");
    }
    sq_stmt_done(st);
out:
    sq_read_release(q, c);
    return rc;
}

int sq_broadcast_list_live(struct store *s, const struct store_scope *scope,
                           struct store_broadcast *out, int max, int *n)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    *n = 0;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = sq_stmt(c, SQ_BROADCAST_LIVE, SQL_LIVE);
    if (!st) {
        rc = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, scope->village_id);
    sqlite3_bind_int64(st, 2, scope->township_id);
    sqlite3_bind_int(st, 3, max);
    for (;;) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = sq_fail(c, step, "live broadcasts");
            break;
        }
        if (*n == max)
            break;
        struct store_broadcast *b = &out[(*n)++];
        b->id = sqlite3_column_int64(st, 0);
        b->org_id = sqlite3_column_int64(st, 1);
        sq_column_copy(st, 2, b->title, sizeof(b->title));
        sq_column_copy(st, 3, b->state, sizeof(b->state));
        sq_column_copy(st, 4, b->scope_name, sizeof(b->scope_name));
        b->started_at = sq_column_time(st, 5);
        b->ended_at = sq_column_time(st, 6);
    }
    sq_stmt_done(st);
out:
    sq_read_release(q, c);
    return rc;
}

int sq_broadcast_add(struct store_tx *tx, const struct store_broadcast_new *b, int64_t *id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_BROADCAST_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, b->org_id);
    sqlite3_bind_text(st, 2, b->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, b->state, -1, SQLITE_STATIC);
    if (sq_bind_time(st, 4, b->started_at) != SQLITE_OK ||
        sq_bind_time(st, 5, b->ended_at) != SQLITE_OK) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_step_done(w, st, "broadcast add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}
