/* SQL of township staff's roll-call turnout: reads over rollcalls, rollcall_members (who was
 * expected, fixed when the roll call opened) and checkins. A member is "present" when an expected
 * member has a check-in; village and household are the member's current ones, as in the roster
 * (sq_rollcalls.c). Times are fixed-width ISO 8601 text, so text order is time order. */
#include "store/sqlite/sq_model.h"

#include <errno.h>

enum { MEMBERS_MAX = 200000, VILLAGES_MAX = 10000, POINTS_MAX = 100000 };

/* The roll calls of township ?1: called for it or for one of its villages. */
#define OF_TOWNSHIP "(r.org_id = ?1 OR r.org_id IN (SELECT id FROM orgs WHERE parent_id = ?1))"
#define OPENED_BETWEEN "(?2 IS NULL OR r.opened_at >= ?2) AND (?3 IS NULL OR r.opened_at <= ?3)"
/* Expected members of roll call R with a check-in. */
#define PRESENT_OF(r)                                                                          \
    "(SELECT count(*) FROM rollcall_members e JOIN checkins c"                                  \
    " ON c.rollcall_id = e.rollcall_id AND c.member_id = e.member_id"                           \
    " WHERE e.rollcall_id = " r ")"

static const char SQL_COUNT[] =
    "SELECT count(*) FROM rollcalls r WHERE " OF_TOWNSHIP " AND " OPENED_BETWEEN;
static const char SQL_LIST[] =
    "SELECT r.id, r.broadcast_id, r.org_id, b.title, r.opened_at, r.closed_at,"
    " (SELECT count(*) FROM rollcall_members e WHERE e.rollcall_id = r.id),"
    " " PRESENT_OF("r.id") ", o.name"
    " FROM rollcalls r JOIN broadcasts b ON b.id = r.broadcast_id JOIN orgs o ON o.id = r.org_id"
    " WHERE " OF_TOWNSHIP " AND " OPENED_BETWEEN
    " ORDER BY r.opened_at DESC, r.id DESC LIMIT ?4 OFFSET ?5";
/* Every village in the roll call's scope, also one whose members were all away when it opened
 * (expected 0). */
static const char SQL_VILLAGES[] =
    "SELECT v.id, v.name, count(e.member_id), count(c.member_id)"
    " FROM rollcalls r JOIN orgs v"
    " ON v.kind = 'village' AND (v.id = r.org_id OR v.parent_id = r.org_id)"
    " LEFT JOIN households h ON h.village_id = v.id"
    " LEFT JOIN members m ON m.household_id = h.id"
    " LEFT JOIN rollcall_members e ON e.rollcall_id = r.id AND e.member_id = m.id"
    " LEFT JOIN checkins c ON c.rollcall_id = e.rollcall_id AND c.member_id = e.member_id"
    " WHERE r.id = ?1 GROUP BY v.id, v.name ORDER BY v.id";
static const char SQL_MEMBERS[] =
    "SELECT m.id, m.name, m.phone, h.id, h.name, v.id, v.name, c.checked_in_at"
    " FROM rollcall_members e JOIN members m ON m.id = e.member_id"
    " JOIN households h ON h.id = m.household_id JOIN orgs v ON v.id = h.village_id"
    " LEFT JOIN checkins c ON c.rollcall_id = e.rollcall_id AND c.member_id = e.member_id"
    " WHERE e.rollcall_id = ?1 AND (?2 IS NULL OR v.id = ?2) AND (?3 = 0 OR c.id IS NULL)"
    " ORDER BY v.id, h.id, m.id";
/* The last ?3 closed roll calls (that called village ?2: its own, or the township's), then a
 * point per roll call and village. */
static const char SQL_TREND[] =
    "WITH last AS (SELECT r.id FROM rollcalls r"
    "  WHERE r.closed_at IS NOT NULL AND " OF_TOWNSHIP
    "  AND (?2 IS NULL OR r.org_id = ?2 OR r.org_id = ?1)"
    "  ORDER BY r.opened_at DESC, r.id DESC LIMIT ?3)"
    " SELECT r.id, b.title, r.opened_at, r.closed_at, v.id, v.name,"
    " count(e.member_id), count(c.member_id)"
    " FROM last l JOIN rollcalls r ON r.id = l.id JOIN broadcasts b ON b.id = r.broadcast_id"
    " JOIN rollcall_members e ON e.rollcall_id = r.id JOIN members m ON m.id = e.member_id"
    " JOIN households h ON h.id = m.household_id JOIN orgs v ON v.id = h.village_id"
    " LEFT JOIN checkins c ON c.rollcall_id = e.rollcall_id AND c.member_id = e.member_id"
    " WHERE (?2 IS NULL OR v.id = ?2)"
    " GROUP BY r.id, b.title, r.opened_at, r.closed_at, v.id, v.name"
    " ORDER BY r.opened_at, r.id, v.id";

static int bind_township(sqlite3_stmt *st, int64_t township_id, time_t from, time_t to)
{
    sqlite3_bind_int64(st, 1, township_id);
    if (sq_bind_time(st, 2, from) != SQLITE_OK || sq_bind_time(st, 3, to) != SQLITE_OK)
        return -EINVAL;
    return 0;
}

static void rollcall_row(sqlite3_stmt *st, void *out)
{
    struct store_turnout_rollcall *t = out;
    t->rc.id = sqlite3_column_int64(st, 0);
    t->rc.broadcast_id = sqlite3_column_int64(st, 1);
    t->rc.org_id = sqlite3_column_int64(st, 2);
    sq_column_copy(st, 3, t->rc.title, sizeof(t->rc.title));
    t->rc.opened_at = sq_column_time(st, 4);
    t->rc.closed_at = sq_column_time(st, 5);
    t->rc.expected = sqlite3_column_int(st, 6);
    t->rc.checked_in = sqlite3_column_int(st, 7);
    sq_column_copy(st, 8, t->scope, sizeof(t->scope));
}

int sq_turnout_rollcalls(struct store *s, int64_t township_id, time_t from, time_t to,
                         int offset, int limit, struct store_turnout_rollcall *out, int *n,
                         int *total)
{
    struct sq_read r;
    *n = 0;
    *total = 0;
    int rc = sq_read_begin(s, SQ_TURNOUT_COUNT, SQL_COUNT, &r);
    if (rc < 0)
        return rc;
    rc = bind_township(r.st, township_id, from, to);
    if (rc == 0)
        rc = sq_row(r.c, r.st, "turnout count");
    if (rc == 1) {
        *total = sqlite3_column_int(r.st, 0);
        rc = 0;
    }
    sq_read_end(&r);
    if (rc < 0 || *total == 0 || offset >= *total || limit == 0)
        return rc;
    rc = sq_read_begin(s, SQ_TURNOUT_LIST, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    rc = bind_township(r.st, township_id, from, to);
    sqlite3_bind_int(r.st, 4, limit);
    sqlite3_bind_int(r.st, 5, offset);
    if (rc == 0)
        rc = sq_read_rows(&r, rollcall_row, out, sizeof(*out), limit, n, "turnout list");
    sq_read_end(&r);
    return rc;
}

static void village_row(sqlite3_stmt *st, void *out)
{
    struct store_turnout_village *v = out;
    v->village_id = sqlite3_column_int64(st, 0);
    sq_column_copy(st, 1, v->village, sizeof(v->village));
    v->expected = sqlite3_column_int(st, 2);
    v->present = sqlite3_column_int(st, 3);
}

int sq_turnout_villages(struct store *s, int64_t rollcall_id, struct store_turnout_village **out,
                        int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_TURNOUT_VILLAGES, SQL_VILLAGES, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, rollcall_id);
    void *rows = NULL;
    rc = sq_read_all(&r, village_row, sizeof(**out), VILLAGES_MAX, &rows, n, "turnout villages");
    sq_read_end(&r);
    *out = rows;
    return rc;
}

static void member_row(sqlite3_stmt *st, void *out)
{
    struct store_turnout_member *m = out;
    m->member_id = sqlite3_column_int64(st, 0);
    sq_column_copy(st, 1, m->name, sizeof(m->name));
    sq_column_copy(st, 2, m->phone, sizeof(m->phone));
    m->household_id = sqlite3_column_int64(st, 3);
    sq_column_copy(st, 4, m->household, sizeof(m->household));
    m->village_id = sqlite3_column_int64(st, 5);
    sq_column_copy(st, 6, m->village, sizeof(m->village));
    m->checked_in_at = sq_column_time(st, 7);
}

int sq_turnout_members(struct store *s, int64_t rollcall_id, int64_t village_id, int absent_only,
                       struct store_turnout_member **out, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_TURNOUT_MEMBERS, SQL_MEMBERS, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, rollcall_id);
    sq_bind_id(r.st, 2, village_id);
    sqlite3_bind_int(r.st, 3, absent_only ? 1 : 0);
    void *rows = NULL;
    rc = sq_read_all(&r, member_row, sizeof(**out), MEMBERS_MAX, &rows, n, "turnout members");
    sq_read_end(&r);
    *out = rows;
    return rc;
}

static void point_row(sqlite3_stmt *st, void *out)
{
    struct store_turnout_point *p = out;
    p->rollcall_id = sqlite3_column_int64(st, 0);
    sq_column_copy(st, 1, p->title, sizeof(p->title));
    p->opened_at = sq_column_time(st, 2);
    p->closed_at = sq_column_time(st, 3);
    p->village_id = sqlite3_column_int64(st, 4);
    sq_column_copy(st, 5, p->village, sizeof(p->village));
    p->expected = sqlite3_column_int(st, 6);
    p->present = sqlite3_column_int(st, 7);
}

int sq_turnout_trend(struct store *s, int64_t township_id, int64_t village_id, int last,
                     struct store_turnout_point **out, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_TURNOUT_TREND, SQL_TREND, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, township_id);
    sq_bind_id(r.st, 2, village_id);
    sqlite3_bind_int(r.st, 3, last);
    void *rows = NULL;
    rc = sq_read_all(&r, point_row, sizeof(**out), POINTS_MAX, &rows, n, "turnout trend");
    sq_read_end(&r);
    *out = rows;
    return rc;
}
