/* SQL of the sessions table: login sessions of accounts, by the hash of their token. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <string.h>

#include "log.h"

/* A cadre's org is a village (its parent the township); staff's and admins' the township. */
static const char SQL_BY_HASH[] =
    "SELECT s.id, a.id, a.role, o.kind, o.id, o.parent_id, s.expires_at, a.disabled"
    " FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN orgs o ON o.id = a.org_id"
    " WHERE s.token_hash = ?1";
static const char SQL_ADD[] =
    "INSERT INTO sessions (account_id, token_hash, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_DELETE[] = "DELETE FROM sessions WHERE id = ?1";
static const char SQL_PURGE[] = "DELETE FROM sessions WHERE expires_at < ?1";

int sq_session_by_token_hash(struct store *s, const char *hash_hex,
                             struct store_session_ident *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_SESSION_BY_HASH, SQL_BY_HASH, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(r.st, 1, hash_hex, -1, SQLITE_STATIC);
    rc = sq_row(r.c, r.st, "session lookup");
    if (rc == 1) {
        char kind[STORE_KEY_MAX];
        out->session_id = sqlite3_column_int64(r.st, 0);
        out->account_id = sqlite3_column_int64(r.st, 1);
        sq_column_copy(r.st, 2, out->role, sizeof(out->role));
        sq_column_copy(r.st, 3, kind, sizeof(kind));
        int village = strcmp(kind, "village") == 0;
        out->village_id = village ? sqlite3_column_int64(r.st, 4) : 0;
        out->township_id = sqlite3_column_int64(r.st, village ? 5 : 4);
        out->expires_at = sq_column_time(r.st, 6);
        out->disabled = sqlite3_column_int(r.st, 7);
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}

int sq_session_add(struct store_tx *tx, int64_t account_id, const char *token_hash_hex,
                   time_t created_at, time_t expires_at, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_SESSION_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, account_id);
    sq_bind_str(st, 2, token_hash_hex);
    if (sq_bind_when(st, 3, created_at) < 0 || sq_bind_when(st, 4, expires_at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_insert(tx, st, "session add", id);
}

int sq_session_delete(struct store_tx *tx, int64_t session_id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_SESSION_DELETE, SQL_DELETE);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, session_id);
    return sq_tx_change(tx, st, "session delete");
}

int sq_session_purge(struct store_tx *tx, time_t now, int *n)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_SESSION_PURGE, SQL_PURGE);
    if (!st)
        return -EIO;
    if (sq_bind_when(st, 1, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    struct sq_conn *w = sq_tx_conn(tx);
    int rc = sq_step_done(w, st, "session purge");
    if (rc == 0 && n)
        *n = sqlite3_changes(w->db);
    return rc;
}
