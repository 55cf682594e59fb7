/* SQL of the boxes table: set-top boxes and the hashes of their tokens. */
#define LOG_TAG "store"
#include "store/sqlite/sq.h"

#include <errno.h>

#include "log.h"

/* A box resolves to its household, village and township in one indexed lookup. */
static const char SQL_BY_HASH[] =
    "SELECT b.id, h.id, v.id, v.parent_id FROM boxes b"
    " JOIN households h ON h.id = b.household_id"
    " JOIN orgs v ON v.id = h.village_id"
    " WHERE b.token_hash = ?1 AND b.revoked = 0";
static const char SQL_ADD[] =
    "INSERT INTO boxes (household_id, token_hash, label) VALUES (?1, ?2, ?3)";
static const char SQL_REVOKE[] = "UPDATE boxes SET revoked = 1 WHERE id = ?1";

int sq_box_by_token_hash(struct store *s, const char *hash_hex, struct store_box_ident *out)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = sq_stmt(c, SQ_BOX_BY_HASH, SQL_BY_HASH);
    if (!st) {
        rc = -EIO;
        goto out;
    }
    sqlite3_bind_text(st, 1, hash_hex, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->box_id = sqlite3_column_int64(st, 0);
        out->household_id = sqlite3_column_int64(st, 1);
        out->village_id = sqlite3_column_int64(st, 2);
        out->township_id = sqlite3_column_int64(st, 3);
        rc = 0;
    } else {
        rc = step == SQLITE_DONE ? -ENOENT : sq_fail(c, step, "box lookup");
    }
    sq_stmt_done(st);
out:
    sq_read_release(q, c);
    return rc;
}

int sq_box_add(struct store_tx *tx, int64_t household_id, const char *token_hash_hex,
               const char *label, int64_t *id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_BOX_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, household_id);
    sq_bind_text(st, 2, token_hash_hex);
    sq_bind_text(st, 3, label);
    int rc = sq_step_done(w, st, "box add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}

int sq_box_revoke(struct store_tx *tx, int64_t box_id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_BOX_REVOKE, SQL_REVOKE);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, box_id);
    int rc = sq_step_done(w, st, "box revoke");
    if (rc == 0 && sqlite3_changes(w->db) == 0)
        rc = -ENOENT;
    return rc;
}
