/* SQL of the duty_plans table: duty checks planned ahead at random times; the planner
 * (duty/planner.c) sends each when it is due. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

#define PLAN_COLUMNS                                                                           \
    "SELECT p.id, p.village_id, v.parent_id, v.name, p.planned_by, a.display_name,"          \
    " p.due_at, p.state, p.check_id"                                                          \
    " FROM duty_plans p JOIN orgs v ON v.id = p.village_id"                                   \
    " LEFT JOIN accounts a ON a.id = p.planned_by"

static const char SQL_ADD[] =
    "INSERT INTO duty_plans (village_id, planned_by, due_at) VALUES (?1, ?2, ?3)";
static const char SQL_GET[] = PLAN_COLUMNS " WHERE p.id = ?1";
static const char SQL_LIST[] = PLAN_COLUMNS
    " WHERE p.state = 'planned' AND (?1 = 0 OR v.parent_id = ?1) AND (?2 IS NULL OR p.due_at <= ?2)"
    " ORDER BY p.due_at, p.id LIMIT ?3";
static const char SQL_MARK[] =
    "UPDATE duty_plans SET state = ?2, check_id = ?3 WHERE id = ?1 AND state = 'planned'";
static const char SQL_STATE[] = "SELECT state FROM duty_plans WHERE id = ?1";

static void plan_row(sqlite3_stmt *st, void *row)
{
    struct store_duty_plan *p = row;
    p->id = sqlite3_column_int64(st, 0);
    p->village_id = sqlite3_column_int64(st, 1);
    p->township_id = sqlite3_column_int64(st, 2);
    sq_column_copy(st, 3, p->village, sizeof(p->village));
    p->planned_by = sqlite3_column_int64(st, 4);
    sq_column_copy(st, 5, p->planned_by_name, sizeof(p->planned_by_name));
    p->due_at = sq_column_time(st, 6);
    sq_column_copy(st, 7, p->state, sizeof(p->state));
    p->check_id = sqlite3_column_int64(st, 8);
}

int sq_duty_plan_add(struct store_tx *tx, int64_t village_id, int64_t account_id,
                     time_t due_at, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_DUTY_PLAN_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, village_id);
    sq_bind_id(st, 2, account_id);
    if (sq_bind_when(st, 3, due_at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_insert(tx, st, "duty plan add", id);
}

int sq_duty_plan_get(struct store *s, int64_t id, struct store_duty_plan *out)
{
    return sq_read_by_id(s, SQ_DUTY_PLAN_GET, SQL_GET, id, plan_row, out, "duty plan get");
}

int sq_duty_plans(struct store *s, int64_t township_id, time_t due_by,
                  struct store_duty_plan *out, int max, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_DUTY_PLANS, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, township_id);
    if (due_by)
        rc = sq_bind_when(r.st, 2, due_by);
    else
        sqlite3_bind_null(r.st, 2);
    sqlite3_bind_int(r.st, 3, max);
    if (rc == 0)
        rc = sq_read_rows(&r, plan_row, out, sizeof(*out), max, n, "duty plans");
    sq_read_end(&r);
    return rc;
}

int sq_duty_plan_mark(struct store_tx *tx, int64_t id, const char *state, int64_t check_id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_DUTY_PLAN_MARK, SQL_MARK);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, state);
    sq_bind_id(st, 3, check_id);
    int rc = sq_tx_insert(tx, st, "duty plan mark", NULL);
    if (rc < 0 || sqlite3_changes(sq_tx_conn(tx)->db) > 0)
        return rc;
    st = sq_tx_stmt(tx, SQ_DUTY_PLAN_STATE, SQL_STATE);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sq_row(sq_tx_conn(tx), st, "duty plan state");
    sq_stmt_done(st);
    return rc == 1 ? -ESTALE : rc == 0 ? -ENOENT : rc;
}
