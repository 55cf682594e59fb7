/* SQL of the idempotency_keys table: a box's own name (its offline outbox's key) for a write it
 * made, so the same write sent again after a lost reply, or from the outbox after the server
 * was gone, is found instead of made twice. Keys are per box; each names one row of one kind
 * (a service request, a quiz attempt, a questionnaire answer) for the household the box served
 * then. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <string.h>

static const char SQL_GET[] =
    "SELECT household_id, kind, ref_id FROM idempotency_keys WHERE box_id = ?1 AND key = ?2";
static const char SQL_ADD[] =
    "INSERT INTO idempotency_keys (box_id, key, household_id, kind, ref_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

int sq_idem_get(struct store_tx *tx, int64_t box_id, int64_t household_id, const char *kind,
                const char *key, int64_t *ref_id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_IDEM_GET, SQL_GET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, box_id);
    sq_bind_str(st, 2, key);
    int rc = sq_row(sq_tx_conn(tx), st, "idempotency key");
    if (rc == 1) {
        const char *k = (const char *)sqlite3_column_text(st, 1);
        if (sqlite3_column_int64(st, 0) != household_id || !k || strcmp(k, kind) != 0)
            rc = -EEXIST; /* the box used it for something else: never hand that out */
        else
            *ref_id = sqlite3_column_int64(st, 2);
    }
    sq_stmt_done(st);
    return rc;
}

int sq_idem_add(struct store_tx *tx, int64_t box_id, int64_t household_id, const char *kind,
                const char *key, int64_t ref_id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_IDEM_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, box_id);
    sq_bind_str(st, 2, key);
    sqlite3_bind_int64(st, 3, household_id);
    sq_bind_str(st, 4, kind);
    sqlite3_bind_int64(st, 5, ref_id);
    return sq_tx_insert(tx, st, "idempotency key add", NULL);
}

int sq_response_key(struct store_tx *tx, int64_t box_id, int64_t household_id, const char *key,
                    int64_t content_id)
{
    int64_t first = 0;
    int rc = sq_idem_get(tx, box_id, household_id, "response", key, &first);
    if (rc == 1)
        return first == content_id ? 1 : -EEXIST;
    if (rc < 0)
        return rc;
    /* A questionnaire is answered once per member: the key names the questionnaire. */
    return sq_idem_add(tx, box_id, household_id, "response", key, content_id);
}
