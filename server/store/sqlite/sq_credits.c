/* SQL of the credits table: the study-credit ledger (course completed, exam passed, meeting
 * attended), one row per member, reason and thing. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>

#include "log.h"

enum { CREDITS_MAX = 10000 };

static const char SQL_ADD[] =
    "INSERT INTO credits (member_id, reason, ref_id, points, earned_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (member_id, reason, ref_id) DO NOTHING";
/* The title of what earned it: the meeting's broadcast, or the course or exam item. */
static const char SQL_LIST[] =
    "SELECT k.reason, k.ref_id, COALESCE(b.title, c.title, ''), k.points, k.earned_at"
    " FROM credits k"
    " LEFT JOIN rollcalls r ON k.reason = 'meeting_attended' AND r.id = k.ref_id"
    " LEFT JOIN broadcasts b ON b.id = r.broadcast_id"
    " LEFT JOIN content c ON k.reason <> 'meeting_attended' AND c.id = k.ref_id"
    " WHERE k.member_id = ?1 ORDER BY k.earned_at DESC, k.id DESC";

int sq_credit_add(struct store_tx *tx, int64_t member_id, const char *reason, int64_t ref_id,
                  int points, time_t at, int *created)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_CREDIT_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, member_id);
    sq_bind_str(st, 2, reason);
    sqlite3_bind_int64(st, 3, ref_id);
    sqlite3_bind_int(st, 4, points);
    if (sq_bind_when(st, 5, at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_step_done(w, st, "credit add");
    if (rc == 0 && created)
        *created = sqlite3_changes(w->db) == 1;
    return rc;
}

int sq_credit_list(struct store *s, int64_t member_id, struct store_credit **out, int *n,
                   int *total)
{
    struct sq_read r;
    *total = 0;
    int rc = sq_read_begin(s, SQ_CREDIT_LIST, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, member_id);
    struct store_credit *list = NULL;
    int cap = 0, count = 0, sum = 0;
    for (;;) {
        int row = sq_row(r.c, r.st, "credit list");
        if (row <= 0) {
            rc = row;
            break;
        }
        rc = sq_grow((void **)&list, &cap, count, sizeof(*list), CREDITS_MAX);
        if (rc < 0)
            break;
        struct store_credit *k = &list[count++];
        sq_column_copy(r.st, 0, k->reason, sizeof(k->reason));
        k->ref_id = sqlite3_column_int64(r.st, 1);
        sq_column_copy(r.st, 2, k->title, sizeof(k->title));
        k->points = sqlite3_column_int(r.st, 3);
        k->earned_at = sq_column_time(r.st, 4);
        sum += k->points;
    }
    sq_read_end(&r);
    if (rc < 0) {
        free(list);
        return rc;
    }
    *out = list;
    *n = count;
    *total = sum;
    return 0;
}
