/* SQL of the heartbeats table: the last playback heartbeat of each box for each broadcast (all
 * that the roll-call rule needs). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

/* Only ever moves forward, so a late, reordered heartbeat cannot move it back. */
static const char SQL_PUT[] =
    "INSERT INTO heartbeats (box_id, broadcast_id, last_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (box_id, broadcast_id) DO UPDATE SET last_at = excluded.last_at"
    " WHERE excluded.last_at > heartbeats.last_at";
static const char SQL_LAST[] =
    "SELECT last_at FROM heartbeats WHERE box_id = ?1 AND broadcast_id = ?2";

int sq_heartbeat_put(struct store_tx *tx, int64_t box_id, int64_t broadcast_id, time_t at)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_HEARTBEAT_PUT, SQL_PUT);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, box_id);
    sqlite3_bind_int64(st, 2, broadcast_id);
    if (sq_bind_when(st, 3, at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_insert(tx, st, "heartbeat put", NULL);
}

int sq_heartbeat_last(struct store *s, int64_t box_id, int64_t broadcast_id, time_t *at)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_HEARTBEAT_LAST, SQL_LAST, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, box_id);
    sqlite3_bind_int64(r.st, 2, broadcast_id);
    rc = sq_row(r.c, r.st, "heartbeat last");
    if (rc == 1) {
        *at = sq_column_time(r.st, 0);
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}
