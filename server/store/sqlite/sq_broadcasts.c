/* SQL of the broadcasts table: live meetings and lessons, scheduled, live or ended. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

#define BROADCAST_COLUMNS                                                                      \
    "SELECT b.id, b.org_id, b.title, b.state, o.name, b.started_at, b.ended_at,"             \
    " b.playback_url, b.recording_url, b.recording_state, b.multicast_url, b.publish_key_hash," \
    " b.replay_item_id"                                                                       \
    " FROM broadcasts b JOIN orgs o ON o.id = b.org_id"

static const char SQL_ACTIVE[] =
    "SELECT count(*) FROM broadcasts WHERE org_id IN (?1, ?2) AND state <> 'ended'";
static const char SQL_LIVE[] = BROADCAST_COLUMNS
    " WHERE b.org_id IN (?1, ?2) AND b.state = 'live'"
    " ORDER BY b.started_at, b.id LIMIT ?3";
static const char SQL_SCOPE[] = BROADCAST_COLUMNS
    " WHERE b.org_id IN (?1, ?2) AND b.state <> 'ended'"
    " ORDER BY CASE b.state WHEN 'live' THEN 0 ELSE 1 END, b.started_at, b.id LIMIT ?3";
/* ?1 and ?2 are both the township: its own broadcasts and those of its villages. */
static const char SQL_TOWNSHIP_LIVE[] = BROADCAST_COLUMNS
    " WHERE b.state = 'live' AND (b.org_id = ?1 OR o.parent_id = ?2)"
    " ORDER BY b.started_at, b.id LIMIT ?3";
static const char SQL_PAST[] = BROADCAST_COLUMNS
    " WHERE b.org_id IN (?1, ?2) AND b.state = 'ended' AND b.recording_url IS NOT NULL"
    " ORDER BY b.started_at DESC, b.id DESC LIMIT ?3";
static const char SQL_RECORDING[] =
    "UPDATE broadcasts SET recording_state = ?2,"
    " recording_url = CASE WHEN ?3 IS NULL THEN recording_url ELSE ?3 END WHERE id = ?1";
static const char SQL_REPLAY_ITEM[] = "UPDATE broadcasts SET replay_item_id = ?2 WHERE id = ?1";
static const char SQL_MULTICAST[] = "UPDATE broadcasts SET multicast_url = ?2 WHERE id = ?1";
static const char SQL_GET[] = BROADCAST_COLUMNS " WHERE b.id = ?1";
static const char SQL_ADD[] =
    "INSERT INTO broadcasts (org_id, title, state, started_at, ended_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_START[] =
    "UPDATE broadcasts SET state = 'live', started_at = ?2, publish_key_hash = ?3,"
    " playback_url = ?4 WHERE id = ?1 AND state = 'scheduled'";
static const char SQL_END[] =
    "UPDATE broadcasts SET state = 'ended', ended_at = ?2 WHERE id = ?1 AND state = 'live'";
static const char SQL_EXISTS[] = "SELECT state FROM broadcasts WHERE id = ?1";

static void broadcast_row(sqlite3_stmt *st, void *row)
{
    struct store_broadcast *b = row;
    b->id = sqlite3_column_int64(st, 0);
    b->org_id = sqlite3_column_int64(st, 1);
    sq_column_copy(st, 2, b->title, sizeof(b->title));
    sq_column_copy(st, 3, b->state, sizeof(b->state));
    sq_column_copy(st, 4, b->scope_name, sizeof(b->scope_name));
    b->started_at = sq_column_time(st, 5);
    b->ended_at = sq_column_time(st, 6);
    sq_column_copy(st, 7, b->playback_url, sizeof(b->playback_url));
    sq_column_copy(st, 8, b->recording_url, sizeof(b->recording_url));
    sq_column_copy(st, 9, b->recording_state, sizeof(b->recording_state));
    sq_column_copy(st, 10, b->multicast_url, sizeof(b->multicast_url));
    sq_column_copy(st, 11, b->key_hash, sizeof(b->key_hash));
    b->replay_item_id = sqlite3_column_int64(st, 12);
}

int sq_broadcast_count_active(struct store *s, const struct store_scope *scope, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_BROADCAST_ACTIVE, SQL_ACTIVE, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, scope->village_id);
    sqlite3_bind_int64(r.st, 2, scope->township_id);
    rc = sq_row(r.c, r.st, "broadcast count");
    if (rc == 1) {
        *n = sqlite3_column_int(r.st, 0);
        rc = 0;
    } else if (rc == 0) {
        rc = -EIO;
    }
    sq_read_end(&r);
    return rc;
}

static int list(struct store *s, enum sq_stmt_id id, const char *sql,
                const struct store_scope *scope, struct store_broadcast *out, int max, int *n)
{
    return sq_read_scope_list(s, id, sql, scope, broadcast_row, out, sizeof(*out), max, n,
                              "broadcast list");
}

int sq_broadcast_list_live(struct store *s, const struct store_scope *scope,
                           struct store_broadcast *out, int max, int *n)
{
    return list(s, SQ_BROADCAST_LIVE, SQL_LIVE, scope, out, max, n);
}

int sq_broadcast_list_scope(struct store *s, const struct store_scope *scope,
                            struct store_broadcast *out, int max, int *n)
{
    return list(s, SQ_BROADCAST_SCOPE, SQL_SCOPE, scope, out, max, n);
}

int sq_broadcast_list_township_live(struct store *s, int64_t township_id,
                                    struct store_broadcast *out, int max, int *n)
{
    struct store_scope both = { .village_id = township_id, .township_id = township_id };
    return list(s, SQ_BROADCAST_TOWNSHIP_LIVE, SQL_TOWNSHIP_LIVE, &both, out, max, n);
}

int sq_broadcast_get(struct store *s, int64_t id, struct store_broadcast *out)
{
    return sq_read_by_id(s, SQ_BROADCAST_GET, SQL_GET, id, broadcast_row, out, "broadcast get");
}

int sq_broadcast_add(struct store_tx *tx, const struct store_broadcast_new *b, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_BROADCAST_ADD, SQL_ADD);
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
    return sq_tx_insert(tx, st, "broadcast add", id);
}

/* After a conditional UPDATE changed nothing: -ENOENT when the broadcast is missing, else
 * -ESTALE (it is in another state). */
static int why_unchanged(struct store_tx *tx, int64_t id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_BROADCAST_EXISTS, SQL_EXISTS);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sq_row(sq_tx_conn(tx), st, "broadcast state");
    sq_stmt_done(st);
    return rc < 0 ? rc : rc == 1 ? -ESTALE : -ENOENT;
}

int sq_broadcast_start(struct store_tx *tx, int64_t id, time_t now, const char *key_hash_hex,
                       const char *playback_url)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_BROADCAST_START, SQL_START);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    if (sq_bind_when(st, 2, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    sq_bind_text(st, 3, key_hash_hex);
    sq_bind_text(st, 4, playback_url);
    int rc = sq_tx_change(tx, st, "broadcast start");
    return rc == -ENOENT ? why_unchanged(tx, id) : rc;
}

int sq_broadcast_end(struct store_tx *tx, int64_t id, time_t now)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_BROADCAST_END, SQL_END);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    if (sq_bind_when(st, 2, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_tx_change(tx, st, "broadcast end");
    return rc == -ENOENT ? why_unchanged(tx, id) : rc;
}

int sq_broadcast_list_past(struct store *s, const struct store_scope *scope,
                           struct store_broadcast *out, int max, int *n)
{
    return list(s, SQ_BROADCAST_PAST, SQL_PAST, scope, out, max, n);
}

int sq_broadcast_set_recording(struct store_tx *tx, int64_t id, const char *state,
                               const char *url)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_BROADCAST_RECORDING, SQL_RECORDING);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, state);
    if (url)
        sq_bind_text(st, 3, url);
    else
        sqlite3_bind_null(st, 3);
    return sq_tx_change(tx, st, "broadcast recording");
}

int sq_broadcast_set_multicast(struct store_tx *tx, int64_t id, const char *url)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_BROADCAST_MULTICAST, SQL_MULTICAST);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, url);
    return sq_tx_change(tx, st, "broadcast multicast");
}

int sq_broadcast_set_replay_item(struct store_tx *tx, int64_t id, int64_t item_id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_BROADCAST_REPLAY_ITEM, SQL_REPLAY_ITEM);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, item_id);
    return sq_tx_change(tx, st, "broadcast replay item");
}
