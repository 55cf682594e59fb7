/* SQL of the resume_positions table: where a household stopped watching an item. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

static const char SQL_GET[] =
    "SELECT position_ms, updated_at FROM resume_positions"
    " WHERE household_id = ?1 AND content_id = ?2";
static const char SQL_PUT[] =
    "INSERT INTO resume_positions (household_id, content_id, position_ms, updated_at)"
    " VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (household_id, content_id) DO UPDATE SET position_ms = excluded.position_ms,"
    " updated_at = excluded.updated_at";

int sq_resume_get(struct store *s, int64_t household_id, int64_t content_id,
                  int64_t *position_ms, time_t *updated_at)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_RESUME_GET, SQL_GET, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, household_id);
    sqlite3_bind_int64(r.st, 2, content_id);
    rc = sq_row(r.c, r.st, "resume get");
    if (rc == 1) {
        *position_ms = sqlite3_column_int64(r.st, 0);
        if (updated_at)
            *updated_at = sq_column_time(r.st, 1);
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}

int sq_resume_put(struct store_tx *tx, int64_t household_id, int64_t content_id,
                  int64_t position_ms, time_t at)
{
    if (position_ms < 0)
        return -EINVAL;
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_RESUME_PUT, SQL_PUT);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, household_id);
    sqlite3_bind_int64(st, 2, content_id);
    sqlite3_bind_int64(st, 3, position_ms);
    if (sq_bind_when(st, 4, at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_insert(tx, st, "resume put", NULL);
}
