/* SQL of the upload_jobs table (migration 12): the dashboard's upload jobs, kept so that a
 * restart can finish what was acknowledged. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char SQL_ADD[] =
    "INSERT INTO upload_jobs (township_id, account_id, file, name, size, state, item_json,"
    " target_item, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
/* A finished job drops its item JSON: only a job that may still run needs it. */
static const char SQL_SET[] =
    "UPDATE upload_jobs SET state = ?2, percent = ?3, received = ?4, item_id = ?5,"
    " media_url = ?6, poster = ?7, reason = ?8, updated_at = ?9,"
    " item_json = CASE WHEN ?2 IN ('done', 'failed') THEN NULL ELSE item_json END"
    " WHERE id = ?1 AND (?10 IS NULL OR state = ?10)";
static const char SQL_STATE[] = "SELECT state FROM upload_jobs WHERE id = ?1";
static const char SQL_GET[] =
    "SELECT id, township_id, account_id, file, name, size, received, state, percent,"
    " target_item, item_id, media_url, poster, reason, created_at, updated_at, item_json"
    " FROM upload_jobs WHERE id = ?1";
static const char SQL_OPEN[] =
    "SELECT id FROM upload_jobs WHERE state NOT IN ('done', 'failed') ORDER BY id LIMIT ?1";

int sq_upload_job_add(struct store_tx *tx, const struct store_upload_job *j, time_t now,
                      int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_UPLOAD_JOB_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, j->township_id);
    sq_bind_id(st, 2, j->account_id);
    sq_bind_str(st, 3, j->file);
    sq_bind_str(st, 4, j->name);
    sqlite3_bind_int64(st, 5, j->size);
    sq_bind_str(st, 6, j->state);
    sq_bind_text(st, 7, j->item_json);
    sq_bind_id(st, 8, j->target_item);
    if (sq_bind_when(st, 9, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_insert(tx, st, "upload job add", id);
}

int sq_upload_job_set(struct store_tx *tx, const struct store_upload_job *j, const char *from,
                      time_t now)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_UPLOAD_JOB_SET, SQL_SET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, j->id);
    sq_bind_str(st, 2, j->state);
    sqlite3_bind_int(st, 3, j->percent < 0 ? 0 : j->percent > 100 ? 100 : j->percent);
    sqlite3_bind_int64(st, 4, j->received);
    sq_bind_id(st, 5, j->item_id);
    sq_bind_text(st, 6, j->media_url);
    sq_bind_text(st, 7, j->poster);
    sq_bind_text(st, 8, j->reason);
    if (sq_bind_when(st, 9, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    sq_bind_text(st, 10, from);
    int rc = sq_tx_change(tx, st, "upload job set");
    if (rc != -ENOENT || !from)
        return rc;
    st = sq_tx_stmt(tx, SQ_UPLOAD_JOB_STATE, SQL_STATE); /* no row, or another state? */
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, j->id);
    rc = sq_row(sq_tx_conn(tx), st, "upload job state");
    sq_stmt_done(st);
    return rc == 1 ? -ESTALE : rc == 0 ? -ENOENT : rc;
}

int sq_upload_job_get(struct store *s, int64_t id, struct store_upload_job *j)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_UPLOAD_JOB_GET, SQL_GET, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, id);
    rc = sq_row(r.c, r.st, "upload job get");
    if (rc == 1) {
        j->id = sqlite3_column_int64(r.st, 0);
        j->township_id = sqlite3_column_int64(r.st, 1);
        j->account_id = sqlite3_column_int64(r.st, 2);
        sq_column_copy(r.st, 3, j->file, sizeof(j->file));
        sq_column_copy(r.st, 4, j->name, sizeof(j->name));
        j->size = sqlite3_column_int64(r.st, 5);
        j->received = sqlite3_column_int64(r.st, 6);
        sq_column_copy(r.st, 7, j->state, sizeof(j->state));
        j->percent = sqlite3_column_int(r.st, 8);
        j->target_item = sqlite3_column_int64(r.st, 9);
        j->item_id = sqlite3_column_int64(r.st, 10);
        sq_column_copy(r.st, 11, j->media_url, sizeof(j->media_url));
        sq_column_copy(r.st, 12, j->poster, sizeof(j->poster));
        sq_column_copy(r.st, 13, j->reason, sizeof(j->reason));
        j->created_at = sq_column_time(r.st, 14);
        j->updated_at = sq_column_time(r.st, 15);
        const char *json = (const char *)sqlite3_column_text(r.st, 16);
        rc = 0;
        if (json && !(j->item_json = strdup(json)))
            rc = -ENOMEM;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}

int sq_upload_jobs_open(struct store *s, int64_t *ids, int max, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_UPLOAD_JOBS_OPEN, SQL_OPEN, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int(r.st, 1, max);
    while (*n < max && (rc = sq_row(r.c, r.st, "upload jobs open")) == 1)
        ids[(*n)++] = sqlite3_column_int64(r.st, 0);
    sq_read_end(&r);
    return rc < 0 ? rc : 0;
}
