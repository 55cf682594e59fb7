/* SQL of the duty_checks table: township staff check that a cadre is on duty in a village
 * service office (值班坐班). A check still "requested" that was asked before the caller's
 * EXPIRED_BEFORE reads as "absent" (computed in the SELECT, so a read never writes); an
 * answer that comes too late writes "absent" for good. Reads bind EXPIRED_BEFORE as ?1. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

#define DUTY_COLUMNS                                                                           \
    "SELECT d.id, d.village_id, v.parent_id, v.name, d.checked_by, a.display_name,"          \
    " CASE WHEN d.state = 'requested' AND d.requested_at < ?1 THEN 'absent' ELSE d.state END," \
    " d.requested_at, d.answered_at"                                                          \
    " FROM duty_checks d JOIN orgs v ON v.id = d.village_id"                                  \
    " LEFT JOIN accounts a ON a.id = d.checked_by"

/* At most one open check per village: a second one while the first waits inserts nothing. */
static const char SQL_ADD[] =
    "INSERT INTO duty_checks (village_id, checked_by, requested_at)"
    " SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM duty_checks"
    " WHERE village_id = ?1 AND state = 'requested' AND requested_at >= ?4)";
static const char SQL_ANSWER[] =
    "UPDATE duty_checks SET state = 'on_duty', answered_at = ?2"
    " WHERE id = ?1 AND state = 'requested' AND requested_at >= ?3";
/* Run after SQL_ANSWER changed nothing: a check still requested is then a late one. */
static const char SQL_ABSENT[] =
    "UPDATE duty_checks SET state = 'absent' WHERE id = ?1 AND state = 'requested'";
static const char SQL_STATE[] = "SELECT state FROM duty_checks WHERE id = ?1";
static const char SQL_GET[] = DUTY_COLUMNS " WHERE d.id = ?2";
static const char SQL_COUNT[] =
    "SELECT count(*) FROM duty_checks d JOIN orgs v ON v.id = d.village_id"
    " WHERE v.parent_id = ?1 AND (?2 = 0 OR d.village_id = ?2)";
static const char SQL_LIST[] = DUTY_COLUMNS
    " WHERE v.parent_id = ?2 AND (?3 = 0 OR d.village_id = ?3)"
    " ORDER BY d.requested_at DESC, d.id DESC LIMIT ?4 OFFSET ?5";
static const char SQL_OPEN[] = DUTY_COLUMNS
    " WHERE d.village_id = ?2 AND d.state = 'requested' AND d.requested_at >= ?1"
    " ORDER BY d.requested_at, d.id LIMIT ?3";

static void duty_row(sqlite3_stmt *st, void *row)
{
    struct store_duty_check *d = row;
    d->id = sqlite3_column_int64(st, 0);
    d->village_id = sqlite3_column_int64(st, 1);
    d->township_id = sqlite3_column_int64(st, 2);
    sq_column_copy(st, 3, d->village, sizeof(d->village));
    d->checked_by = sqlite3_column_int64(st, 4);
    sq_column_copy(st, 5, d->checked_by_name, sizeof(d->checked_by_name));
    sq_column_copy(st, 6, d->state, sizeof(d->state));
    d->requested_at = sq_column_time(st, 7);
    d->answered_at = sq_column_time(st, 8);
}

int sq_duty_add(struct store_tx *tx, int64_t village_id, int64_t account_id, time_t at,
                time_t expired_before, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_DUTY_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, village_id);
    sq_bind_id(st, 2, account_id);
    if (sq_bind_when(st, 3, at) < 0 || sq_bind_when(st, 4, expired_before) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_tx_insert(tx, st, "duty add", id);
    if (rc == 0 && sqlite3_changes(sq_tx_conn(tx)->db) == 0)
        rc = -EEXIST;
    return rc;
}

/* Step ST (a write of TX, NULL when it could not be prepared) with ID bound as ?1; *CHANGED
 * gets whether it changed a row. */
static int step_changed(struct store_tx *tx, sqlite3_stmt *st, int64_t id, const char *what,
                        int *changed)
{
    *changed = 0;
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sq_tx_insert(tx, st, what, NULL);
    *changed = rc == 0 && sqlite3_changes(sq_tx_conn(tx)->db) > 0;
    return rc;
}

int sq_duty_answer(struct store_tx *tx, int64_t id, time_t at, time_t expired_before,
                   enum store_duty_result *res)
{
    int changed = 0;
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_DUTY_ANSWER, SQL_ANSWER);
    if (st && (sq_bind_when(st, 2, at) < 0 || sq_bind_when(st, 3, expired_before) < 0)) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = step_changed(tx, st, id, "duty answer", &changed);
    if (rc < 0 || changed) {
        *res = STORE_DUTY_ON_DUTY;
        return rc;
    }
    st = sq_tx_stmt(tx, SQ_DUTY_ABSENT, SQL_ABSENT);
    rc = step_changed(tx, st, id, "duty absent", &changed);
    if (rc < 0 || changed) {
        *res = STORE_DUTY_LATE;
        return rc;
    }
    st = sq_tx_stmt(tx, SQ_DUTY_STATE, SQL_STATE);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sq_row(sq_tx_conn(tx), st, "duty state");
    if (rc == 1) {
        const char *state = (const char *)sqlite3_column_text(st, 0);
        *res = state && state[0] == 'o' ? STORE_DUTY_ANSWERED : STORE_DUTY_ABSENT;
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_stmt_done(st);
    return rc;
}

int sq_duty_get(struct store *s, int64_t id, time_t expired_before,
                struct store_duty_check *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_DUTY_GET, SQL_GET, &r);
    if (rc < 0)
        return rc;
    rc = sq_bind_when(r.st, 1, expired_before);
    sqlite3_bind_int64(r.st, 2, id);
    if (rc == 0)
        rc = sq_row(r.c, r.st, "duty get");
    if (rc == 1) {
        duty_row(r.st, out);
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}

int sq_duty_list(struct store *s, int64_t township_id, int64_t village_id,
                 time_t expired_before, int offset, int limit, struct store_duty_check *out,
                 int *n, int *total)
{
    struct sq_read r;
    *n = 0;
    *total = 0;
    int rc = sq_read_begin(s, SQ_DUTY_COUNT, SQL_COUNT, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, township_id);
    sqlite3_bind_int64(r.st, 2, village_id);
    rc = sq_row(r.c, r.st, "duty count");
    if (rc == 1) {
        *total = sqlite3_column_int(r.st, 0);
        rc = 0;
    }
    sq_read_end(&r);
    if (rc < 0 || offset >= *total || limit == 0)
        return rc;
    rc = sq_read_begin(s, SQ_DUTY_LIST, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    rc = sq_bind_when(r.st, 1, expired_before);
    sqlite3_bind_int64(r.st, 2, township_id);
    sqlite3_bind_int64(r.st, 3, village_id);
    sqlite3_bind_int(r.st, 4, limit);
    sqlite3_bind_int(r.st, 5, offset);
    if (rc == 0)
        rc = sq_read_rows(&r, duty_row, out, sizeof(*out), limit, n, "duty list");
    sq_read_end(&r);
    return rc;
}

int sq_duty_open(struct store *s, int64_t village_id, time_t expired_before,
                 struct store_duty_check *out, int max, int *n)
{
    struct sq_read r;
    *n = 0;
    int rc = sq_read_begin(s, SQ_DUTY_OPEN, SQL_OPEN, &r);
    if (rc < 0)
        return rc;
    rc = sq_bind_when(r.st, 1, expired_before);
    sqlite3_bind_int64(r.st, 2, village_id);
    sqlite3_bind_int(r.st, 3, max);
    if (rc == 0)
        rc = sq_read_rows(&r, duty_row, out, sizeof(*out), max, n, "duty open");
    sq_read_end(&r);
    return rc;
}
