/* SQL of the rollcalls and rollcall_members tables: roll calls of a broadcast for an org's
 * members, who was expected (fixed when it opened), and the sign-in roster. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>

#include "log.h"

enum { ROSTER_MAX = 200000 };

static const char SQL_OPEN[] =
    "INSERT INTO rollcalls (broadcast_id, org_id, opened_by, opened_at) VALUES (?1, ?2, ?3, ?4)";
/* The expected members: every member of a household of ORG (a village) or of its villages
 * (a township). */
static const char SQL_EXPECT[] =
    "INSERT INTO rollcall_members (rollcall_id, member_id)"
    " SELECT ?1, m.id FROM members m JOIN households h ON h.id = m.household_id"
    " JOIN orgs v ON v.id = h.village_id WHERE v.id = ?2 OR v.parent_id = ?2";
static const char SQL_CLOSE[] =
    "UPDATE rollcalls SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL";
static const char SQL_EXISTS[] = "SELECT 1 FROM rollcalls WHERE id = ?1";
#define ROLLCALL_COLUMNS                                                                       \
    "SELECT r.id, r.broadcast_id, r.org_id, b.title, r.opened_at, r.closed_at,"              \
    " (SELECT count(*) FROM rollcall_members e WHERE e.rollcall_id = r.id),"                 \
    " (SELECT count(*) FROM checkins c WHERE c.rollcall_id = r.id)"                          \
    " FROM rollcalls r JOIN broadcasts b ON b.id = r.broadcast_id"
static const char SQL_GET[] = ROLLCALL_COLUMNS " WHERE r.id = ?1";
static const char SQL_STATE[] =
    "SELECT r.id, r.broadcast_id, r.org_id, b.title, r.opened_at, r.closed_at, -1, -1"
    " FROM rollcalls r JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.id = ?1";
static const char SQL_LIST_OPEN[] = ROLLCALL_COLUMNS
    " WHERE r.org_id IN (?1, ?2) AND r.closed_at IS NULL"
    " ORDER BY r.opened_at DESC, r.id DESC LIMIT ?3";
static const char SQL_OPEN_IDS[] =
    "SELECT id FROM rollcalls WHERE broadcast_id = ?1 AND closed_at IS NULL ORDER BY id"
    " LIMIT ?2";
static const char SQL_ROSTER[] =
    "SELECT m.id, m.name, h.id, h.name, v.name, c.checked_in_at"
    " FROM rollcall_members e JOIN members m ON m.id = e.member_id"
    " JOIN households h ON h.id = m.household_id JOIN orgs v ON v.id = h.village_id"
    " LEFT JOIN checkins c ON c.rollcall_id = e.rollcall_id AND c.member_id = e.member_id"
    " WHERE e.rollcall_id = ?1 ORDER BY v.id, h.id, m.id";

int sq_rollcall_open(struct store_tx *tx, int64_t broadcast_id, int64_t org_id,
                     int64_t account_id, time_t now, int64_t *id, int *expected)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_ROLLCALL_OPEN, SQL_OPEN);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, broadcast_id);
    sqlite3_bind_int64(st, 2, org_id);
    sq_bind_id(st, 3, account_id);
    if (sq_bind_when(st, 4, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int64_t rid = 0;
    int rc = sq_tx_insert(tx, st, "rollcall open", &rid);
    if (rc < 0)
        return rc;
    st = sq_tx_stmt(tx, SQ_ROLLCALL_EXPECT, SQL_EXPECT);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, rid);
    sqlite3_bind_int64(st, 2, org_id);
    rc = sq_tx_insert(tx, st, "rollcall expected members", NULL);
    if (rc < 0)
        return rc;
    if (expected)
        *expected = sqlite3_changes(sq_tx_conn(tx)->db);
    if (id)
        *id = rid;
    return 0;
}

int sq_rollcall_close(struct store_tx *tx, int64_t id, time_t now)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_ROLLCALL_CLOSE, SQL_CLOSE);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    if (sq_bind_when(st, 2, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_tx_change(tx, st, "rollcall close");
    if (rc != -ENOENT)
        return rc;
    st = sq_tx_stmt(tx, SQ_ROLLCALL_EXISTS, SQL_EXISTS);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    rc = sq_row(sq_tx_conn(tx), st, "rollcall exists");
    sq_stmt_done(st);
    return rc < 0 ? rc : rc == 1 ? -ESTALE : -ENOENT;
}

static void rollcall_row(sqlite3_stmt *st, void *row)
{
    struct store_rollcall *r = row;
    r->id = sqlite3_column_int64(st, 0);
    r->broadcast_id = sqlite3_column_int64(st, 1);
    r->org_id = sqlite3_column_int64(st, 2);
    sq_column_copy(st, 3, r->title, sizeof(r->title));
    r->opened_at = sq_column_time(st, 4);
    r->closed_at = sq_column_time(st, 5);
    r->expected = sqlite3_column_int(st, 6);
    r->checked_in = sqlite3_column_int(st, 7);
}

int sq_rollcall_get(struct store *s, int64_t id, struct store_rollcall *out)
{
    return sq_read_by_id(s, SQ_ROLLCALL_GET, SQL_GET, id, rollcall_row, out, "rollcall get");
}

int sq_rollcall_state(struct store *s, int64_t id, struct store_rollcall *out)
{
    return sq_read_by_id(s, SQ_ROLLCALL_STATE, SQL_STATE, id, rollcall_row, out,
                         "rollcall state");
}

int sq_rollcall_list_open(struct store *s, const struct store_scope *scope,
                          struct store_rollcall *out, int max, int *n)
{
    return sq_read_scope_list(s, SQ_ROLLCALL_LIST_OPEN, SQL_LIST_OPEN, scope, rollcall_row, out,
                              sizeof(*out), max, n, "open rollcalls");
}

int sq_rollcall_open_ids(struct store *s, int64_t broadcast_id, int64_t *ids, int max, int *n)
{
    struct sq_read r;
    *n = 0;
    int rc = sq_read_begin(s, SQ_ROLLCALL_OPEN_IDS, SQL_OPEN_IDS, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, broadcast_id);
    sqlite3_bind_int(r.st, 2, max);
    while (*n < max) {
        int row = sq_row(r.c, r.st, "open rollcall ids");
        if (row <= 0) {
            rc = row;
            break;
        }
        ids[(*n)++] = sqlite3_column_int64(r.st, 0);
    }
    sq_read_end(&r);
    return rc;
}

int sq_rollcall_roster(struct store *s, int64_t rollcall_id, struct store_roster_entry **out,
                       int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_ROLLCALL_ROSTER, SQL_ROSTER, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, rollcall_id);
    struct store_roster_entry *list = NULL;
    int cap = 0, count = 0;
    for (;;) {
        int row = sq_row(r.c, r.st, "rollcall roster");
        if (row <= 0) {
            rc = row;
            break;
        }
        rc = sq_grow((void **)&list, &cap, count, sizeof(*list), ROSTER_MAX);
        if (rc < 0)
            break;
        struct store_roster_entry *e = &list[count++];
        e->member_id = sqlite3_column_int64(r.st, 0);
        sq_column_copy(r.st, 1, e->name, sizeof(e->name));
        e->household_id = sqlite3_column_int64(r.st, 2);
        sq_column_copy(r.st, 3, e->household, sizeof(e->household));
        sq_column_copy(r.st, 4, e->village, sizeof(e->village));
        e->checked_in_at = sq_column_time(r.st, 5);
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
