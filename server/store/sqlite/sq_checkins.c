/* SQL of the checkins table: a member signing in at a roll call, once; and a member's
 * attendance record across roll calls. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>

#include "log.h"

enum { ATTENDANCE_MAX = 10000 };

/* Written only while the roll call is open; a repeat hits the UNIQUE key and writes nothing. */
static const char SQL_ADD[] =
    "INSERT INTO checkins (rollcall_id, member_id, box_id, checked_in_at)"
    " SELECT ?1, ?2, ?3, ?4 FROM rollcalls WHERE id = ?1 AND closed_at IS NULL"
    " ON CONFLICT (rollcall_id, member_id) DO NOTHING";
static const char SQL_GET[] =
    "SELECT checked_in_at FROM checkins WHERE rollcall_id = ?1 AND member_id = ?2";
static const char SQL_ROLLCALL[] = "SELECT 1 FROM rollcalls WHERE id = ?1";
/* Roll calls the member was called to, or signed in at. */
static const char SQL_ATTENDANCE[] =
    "SELECT r.id, r.broadcast_id, b.title, r.opened_at, r.closed_at, c.checked_in_at"
    " FROM rollcalls r JOIN broadcasts b ON b.id = r.broadcast_id"
    " LEFT JOIN checkins c ON c.rollcall_id = r.id AND c.member_id = ?1"
    " WHERE r.id IN (SELECT rollcall_id FROM rollcall_members WHERE member_id = ?1"
    "   UNION SELECT rollcall_id FROM checkins WHERE member_id = ?1)"
    " ORDER BY r.opened_at DESC, r.id DESC";

/* The time of an existing check-in on connection C: 1 found, 0 none, or negative errno. */
static int existing(struct sq_conn *c, int64_t rollcall_id, int64_t member_id, time_t *at)
{
    sqlite3_stmt *st = sq_stmt(c, SQ_CHECKIN_GET, SQL_GET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, rollcall_id);
    sqlite3_bind_int64(st, 2, member_id);
    int rc = sq_row(c, st, "checkin get");
    if (rc == 1)
        *at = sq_column_time(st, 0);
    sq_stmt_done(st);
    return rc;
}

int sq_checkin_add(struct store_tx *tx, int64_t rollcall_id, int64_t member_id, int64_t box_id,
                   time_t at, time_t *at_out, int *created)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_CHECKIN_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, rollcall_id);
    sqlite3_bind_int64(st, 2, member_id);
    sqlite3_bind_int64(st, 3, box_id);
    if (sq_bind_when(st, 4, at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_step_done(w, st, "checkin add");
    if (rc < 0)
        return rc;
    if (sqlite3_changes(w->db) == 1) {
        *created = 1;
        *at_out = at;
        return 0;
    }
    *created = 0;
    rc = existing(w, rollcall_id, member_id, at_out);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    /* Nothing written and no earlier check-in: the roll call is closed or missing. */
    st = sq_stmt(w, SQ_CHECKIN_ROLLCALL, SQL_ROLLCALL);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, rollcall_id);
    rc = sq_row(w, st, "checkin rollcall");
    sq_stmt_done(st);
    return rc < 0 ? rc : rc == 1 ? -ESTALE : -ENOENT;
}

int sq_checkin_get(struct store *s, int64_t rollcall_id, int64_t member_id, time_t *at)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    rc = existing(c, rollcall_id, member_id, at);
    sq_read_release(q, c);
    return rc < 0 ? rc : rc == 1 ? 0 : -ENOENT;
}

int sq_attendance_list(struct store *s, int64_t member_id, struct store_attendance **out,
                       int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_ATTENDANCE, SQL_ATTENDANCE, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, member_id);
    struct store_attendance *list = NULL;
    int cap = 0, count = 0;
    for (;;) {
        int row = sq_row(r.c, r.st, "attendance");
        if (row <= 0) {
            rc = row;
            break;
        }
        rc = sq_grow((void **)&list, &cap, count, sizeof(*list), ATTENDANCE_MAX);
        if (rc < 0)
            break;
        struct store_attendance *a = &list[count++];
        a->rollcall_id = sqlite3_column_int64(r.st, 0);
        a->broadcast_id = sqlite3_column_int64(r.st, 1);
        sq_column_copy(r.st, 2, a->title, sizeof(a->title));
        a->opened_at = sq_column_time(r.st, 3);
        a->closed_at = sq_column_time(r.st, 4);
        a->checked_in_at = sq_column_time(r.st, 5);
    }
    sq_read_end(&r);
    if (rc < 0) {
        free(list);
        return rc;
    }
    *out = list;
    *n = count;
    return 0;
}
