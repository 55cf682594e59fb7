/* SQL of the content table: items of the home screen's sections. */
#define LOG_TAG "store"
#include "store/sqlite/sq.h"

#include <errno.h>

#include "log.h"

/* published_at is fixed-width ISO 8601 UTC text, so text comparison is time comparison. */
static const char SQL_COUNTS[] =
    "SELECT section, count(*) FROM content"
    " WHERE org_id IN (?1, ?2) AND published_at <= ?3"
    " GROUP BY section ORDER BY section";
static const char SQL_ADD[] =
    "INSERT INTO content (org_id, section, kind, title, body, published_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

int sq_content_count_by_section(struct store *s, const struct store_scope *scope, time_t now,
                                struct store_count *out, int max, int *n)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    *n = 0;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = sq_stmt(c, SQ_CONTENT_COUNTS, SQL_COUNTS);
    if (!st) {
        rc = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, scope->village_id);
    sqlite3_bind_int64(st, 2, scope->township_id);
    rc = sq_bind_time(st, 3, now);
    if (rc != SQLITE_OK) {
        rc = sq_fail(c, rc, "content counts bind");
        sq_stmt_done(st);
        goto out;
    }
    for (;;) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = sq_fail(c, step, "content counts");
            break;
        }
        if (*n == max)
            break;
        sq_column_copy(st, 0, out[*n].key, sizeof(out[*n].key));
        out[*n].count = sqlite3_column_int(st, 1);
        (*n)++;
    }
    sq_stmt_done(st);
out:
    sq_read_release(q, c);
    return rc;
}

int sq_content_add(struct store_tx *tx, const struct store_content_new *item, int64_t *id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_CONTENT_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, item->org_id);
    sqlite3_bind_text(st, 2, item->section, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, item->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, item->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, item->body, -1, SQLITE_STATIC);
    int rc = sq_bind_time(st, 6, item->published_at);
    if (rc != SQLITE_OK || item->published_at == 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    rc = sq_step_done(w, st, "content add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}
