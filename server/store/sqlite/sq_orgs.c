/* SQL of the orgs table (townships and villages). */
#define LOG_TAG "store"
#include "store/sqlite/sq.h"

#include <errno.h>

#include "log.h"

static const char SQL_GET[] = "SELECT id, parent_id, kind, name FROM orgs WHERE id = ?1";
static const char SQL_ADD[] = "INSERT INTO orgs (parent_id, kind, name) VALUES (?1, ?2, ?3)";

int sq_org_get(struct store *s, int64_t id, struct store_org *out)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = sq_stmt(c, SQ_ORG_GET, SQL_GET);
    if (!st) {
        rc = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->parent_id = sqlite3_column_int64(st, 1); /* NULL reads as 0 */
        sq_column_copy(st, 2, out->kind, sizeof(out->kind));
        sq_column_copy(st, 3, out->name, sizeof(out->name));
        rc = 0;
    } else {
        rc = step == SQLITE_DONE ? -ENOENT : sq_fail(c, step, "org get");
    }
    sq_stmt_done(st);
out:
    sq_read_release(q, c);
    return rc;
}

int sq_org_add(struct store_tx *tx, int64_t parent_id, const char *kind, const char *name,
               int64_t *id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_ORG_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    if (parent_id > 0)
        sqlite3_bind_int64(st, 1, parent_id);
    else
        sqlite3_bind_null(st, 1);
    sq_bind_text(st, 2, kind);
    sq_bind_text(st, 3, name);
    int rc = sq_step_done(w, st, "org add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}
