/* SQL of the service_requests and request_replies tables: one-key service (一键服务), from the
 * box (create, list, read) and from the township's service desk (list, assign, reply, close). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

enum { REPLIES_MAX = 1000 };

static const char SQL_ADD[] =
    "INSERT INTO service_requests (household_id, box_id, member_id, village_id, category,"
    " phone, note, created_at, deadline_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
#define REQUEST_SELECT                                                                         \
    "SELECT r.id, r.household_id, r.box_id, r.member_id, r.village_id, r.assignee_id,"       \
    " r.category, r.phone, r.note, r.state, r.created_at, r.deadline_at, r.closed_at,"       \
    " (SELECT count(*) FROM request_replies p WHERE p.request_id = r.id)"
#define REQUEST_COLUMNS REQUEST_SELECT " FROM service_requests r"
static const char SQL_LIST[] = REQUEST_COLUMNS
    " WHERE r.household_id = ?1 ORDER BY r.created_at DESC, r.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_COUNT[] = "SELECT count(*) FROM service_requests WHERE household_id = ?1";
static const char SQL_GET[] = REQUEST_COLUMNS " WHERE r.id = ?1";
/* Written as INSERT ... SELECT so that a closed request takes no reply. */
static const char SQL_REPLY_ADD[] =
    "INSERT INTO request_replies (request_id, account_id, body, created_at)"
    " SELECT ?1, ?2, ?3, ?4 WHERE EXISTS"
    " (SELECT 1 FROM service_requests WHERE id = ?1 AND state <> 'closed')";
static const char SQL_REPLIED[] =
    "UPDATE service_requests SET state = 'replied' WHERE id = ?1 AND state <> 'closed'";
static const char SQL_REPLIES[] =
    "SELECT p.id, p.account_id, a.display_name, p.body, p.created_at"
    " FROM request_replies p LEFT JOIN accounts a ON a.id = p.account_id"
    " WHERE p.request_id = ?1 ORDER BY p.created_at, p.id";

/* The desk: a request with its village, household, member and assignee. */
#define DESK_COLUMNS                                                                           \
    REQUEST_SELECT ", v.parent_id, v.name, h.name, m.name, a.display_name"                   \
    " FROM service_requests r JOIN orgs v ON v.id = r.village_id"                             \
    " JOIN households h ON h.id = r.household_id"                                             \
    " LEFT JOIN members m ON m.id = r.member_id"                                              \
    " LEFT JOIN accounts a ON a.id = r.assignee_id"
/* ?1 township, ?2 village or 0, ?3 state or NULL, ?4 overdue only, ?5 now. */
/* Waiting for an answer past the deadline: the same rule as the box's own view. */
#define DESK_OVERDUE "(r.state IN ('open', 'assigned') AND r.deadline_at < ?5)"
#define DESK_PLACE "v.parent_id = ?1 AND (?2 = 0 OR r.village_id = ?2)"
#define DESK_FILTER "(?3 IS NULL OR r.state = ?3) AND (?4 = 0 OR " DESK_OVERDUE ")"
static const char SQL_DESK_COUNT[] =
    "SELECT COALESCE(SUM(CASE WHEN " DESK_FILTER " THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN " DESK_OVERDUE " THEN 1 ELSE 0 END), 0)"
    " FROM service_requests r JOIN orgs v ON v.id = r.village_id WHERE " DESK_PLACE;
/* Not closed first by deadline, then closed ones, last closed first. */
static const char SQL_DESK_LIST[] = DESK_COLUMNS " WHERE " DESK_PLACE " AND " DESK_FILTER
    " ORDER BY CASE WHEN r.state = 'closed' THEN 1 ELSE 0 END,"
    " CASE WHEN r.state = 'closed' THEN NULL ELSE r.deadline_at END, r.closed_at DESC, r.id"
    " LIMIT ?6 OFFSET ?7";
static const char SQL_DESK_GET[] = DESK_COLUMNS " WHERE r.id = ?1";
static const char SQL_DESK_STAFF[] =
    "SELECT id, display_name FROM accounts"
    " WHERE org_id = ?1 AND role = 'staff' AND disabled = 0 ORDER BY id LIMIT ?2";
static const char SQL_STATE[] = "SELECT state FROM service_requests WHERE id = ?1";
static const char SQL_ASSIGN[] =
    "UPDATE service_requests SET assignee_id = ?2,"
    " state = CASE state WHEN 'replied' THEN 'replied' ELSE 'assigned' END"
    " WHERE id = ?1 AND state <> 'closed'";
static const char SQL_CLOSE[] =
    "UPDATE service_requests SET state = 'closed', closed_at = ?2"
    " WHERE id = ?1 AND state <> 'closed'";

static void request_row(sqlite3_stmt *st, void *row)
{
    struct store_request *r = row;
    r->id = sqlite3_column_int64(st, 0);
    r->household_id = sqlite3_column_int64(st, 1);
    r->box_id = sqlite3_column_int64(st, 2);
    r->member_id = sqlite3_column_int64(st, 3);
    r->village_id = sqlite3_column_int64(st, 4);
    r->assignee_id = sqlite3_column_int64(st, 5);
    sq_column_copy(st, 6, r->category, sizeof(r->category));
    sq_column_copy(st, 7, r->phone, sizeof(r->phone));
    sq_column_copy(st, 8, r->note, sizeof(r->note));
    sq_column_copy(st, 9, r->state, sizeof(r->state));
    r->created_at = sq_column_time(st, 10);
    r->deadline_at = sq_column_time(st, 11);
    r->closed_at = sq_column_time(st, 12);
    r->n_replies = sqlite3_column_int(st, 13);
}

static int add_row(struct store_tx *tx, const struct store_request *r, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_REQUEST_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, r->household_id);
    sq_bind_id(st, 2, r->box_id);
    sq_bind_id(st, 3, r->member_id);
    sqlite3_bind_int64(st, 4, r->village_id);
    sq_bind_str(st, 5, r->category);
    sq_bind_str(st, 6, r->phone);
    sq_bind_str(st, 7, r->note);
    if (sq_bind_when(st, 8, r->created_at) < 0 || sq_bind_when(st, 9, r->deadline_at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_insert(tx, st, "request add", id);
}

int sq_request_add(struct store_tx *tx, const struct store_request *r, int64_t *id)
{
    if (r->idempotency_key[0]) {
        int64_t first = 0;
        int rc = sq_idem_get(tx, r->box_id, r->household_id, "request", r->idempotency_key,
                             &first);
        if (rc == 1 && id)
            *id = first; /* a repeat: the request made the first time */
        if (rc != 0)
            return rc;
    }
    int64_t new_id = 0;
    int rc = add_row(tx, r, &new_id);
    if (rc == 0 && r->idempotency_key[0])
        rc = sq_idem_add(tx, r->box_id, r->household_id, "request", r->idempotency_key, new_id);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int sq_request_list_household(struct store *s, int64_t household_id, int offset, int limit,
                              struct store_request *out, int *n, int *total)
{
    struct sq_read r;
    *n = 0;
    *total = 0;
    int rc = sq_read_begin(s, SQ_REQUEST_COUNT, SQL_COUNT, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, household_id);
    rc = sq_row(r.c, r.st, "request count");
    if (rc == 1) {
        *total = sqlite3_column_int(r.st, 0);
        rc = 0;
    }
    sq_read_end(&r);
    if (rc < 0 || offset >= *total || limit == 0)
        return rc;
    rc = sq_read_begin(s, SQ_REQUEST_LIST, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, household_id);
    sqlite3_bind_int(r.st, 2, limit);
    sqlite3_bind_int(r.st, 3, offset);
    rc = sq_read_rows(&r, request_row, out, sizeof(*out), limit, n, "request list");
    sq_read_end(&r);
    return rc;
}

int sq_request_get(struct store *s, int64_t id, struct store_request *out)
{
    return sq_read_by_id(s, SQ_REQUEST_GET, SQL_GET, id, request_row, out, "request get");
}

/* Why a write to request ID changed nothing: -ESTALE when it is closed, -ENOENT when there is
 * no such request (or the error of the lookup). */
static int request_not_open(struct store_tx *tx, int64_t id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_REQUEST_STATE, SQL_STATE);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sq_row(sq_tx_conn(tx), st, "request state");
    if (rc == 1)
        rc = -ESTALE;
    else if (rc == 0)
        rc = -ENOENT;
    sq_stmt_done(st);
    return rc;
}

int sq_reply_add(struct store_tx *tx, int64_t request_id, int64_t account_id, const char *body,
                 time_t at, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_REPLY_ADD, SQL_REPLY_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, request_id);
    sq_bind_id(st, 2, account_id);
    sq_bind_str(st, 3, body);
    if (sq_bind_when(st, 4, at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_tx_insert(tx, st, "reply add", id);
    if (rc == 0 && sqlite3_changes(sq_tx_conn(tx)->db) == 0)
        rc = request_not_open(tx, request_id);
    if (rc < 0)
        return rc;
    st = sq_tx_stmt(tx, SQ_REQUEST_REPLIED, SQL_REPLIED);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, request_id);
    return sq_tx_insert(tx, st, "request replied", NULL);
}

static void reply_row(sqlite3_stmt *st, void *row)
{
    struct store_reply *p = row;
    p->id = sqlite3_column_int64(st, 0);
    p->account_id = sqlite3_column_int64(st, 1);
    sq_column_copy(st, 2, p->author, sizeof(p->author));
    sq_column_copy(st, 3, p->body, sizeof(p->body));
    p->created_at = sq_column_time(st, 4);
}

int sq_reply_list(struct store *s, int64_t request_id, struct store_reply **out, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_REPLY_LIST, SQL_REPLIES, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, request_id);
    void *list = NULL;
    rc = sq_read_all(&r, reply_row, sizeof(**out), REPLIES_MAX, &list, n, "reply list");
    sq_read_end(&r);
    if (rc == 0)
        *out = list;
    return rc;
}

static void desk_row(sqlite3_stmt *st, void *row)
{
    struct store_desk_request *d = row;
    request_row(st, &d->r);
    d->township_id = sqlite3_column_int64(st, 14);
    sq_column_copy(st, 15, d->village, sizeof(d->village));
    sq_column_copy(st, 16, d->household, sizeof(d->household));
    sq_column_copy(st, 17, d->member, sizeof(d->member));
    sq_column_copy(st, 18, d->assignee, sizeof(d->assignee));
}

/* Bind F as ?1..?5 of the desk statements. */
static int desk_bind(sqlite3_stmt *st, const struct store_desk_filter *f)
{
    sqlite3_bind_int64(st, 1, f->township_id);
    sqlite3_bind_int64(st, 2, f->village_id);
    sq_bind_text(st, 3, f->state);
    sqlite3_bind_int(st, 4, f->overdue_only ? 1 : 0);
    return sq_bind_when(st, 5, f->now);
}

int sq_request_desk_list(struct store *s, const struct store_desk_filter *f, int offset,
                         int limit, struct store_desk_request *out, int *n, int *total,
                         int *overdue)
{
    struct sq_read r;
    *n = 0;
    *total = 0;
    *overdue = 0;
    int rc = sq_read_begin(s, SQ_DESK_COUNT, SQL_DESK_COUNT, &r);
    if (rc < 0)
        return rc;
    rc = desk_bind(r.st, f);
    if (rc == 0)
        rc = sq_row(r.c, r.st, "desk count");
    if (rc == 1) {
        *total = sqlite3_column_int(r.st, 0);
        *overdue = sqlite3_column_int(r.st, 1);
        rc = 0;
    }
    sq_read_end(&r);
    if (rc < 0 || offset >= *total || limit == 0)
        return rc;
    rc = sq_read_begin(s, SQ_DESK_LIST, SQL_DESK_LIST, &r);
    if (rc < 0)
        return rc;
    rc = desk_bind(r.st, f);
    sqlite3_bind_int(r.st, 6, limit);
    sqlite3_bind_int(r.st, 7, offset);
    if (rc == 0)
        rc = sq_read_rows(&r, desk_row, out, sizeof(*out), limit, n, "desk list");
    sq_read_end(&r);
    return rc;
}

int sq_request_desk_get(struct store *s, int64_t id, struct store_desk_request *out)
{
    return sq_read_by_id(s, SQ_DESK_GET, SQL_DESK_GET, id, desk_row, out, "desk get");
}

int sq_request_assign(struct store_tx *tx, int64_t id, int64_t assignee_id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_REQUEST_ASSIGN, SQL_ASSIGN);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, assignee_id);
    int rc = sq_tx_change(tx, st, "request assign");
    return rc == -ENOENT ? request_not_open(tx, id) : rc;
}

int sq_request_close(struct store_tx *tx, int64_t id, time_t at)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_REQUEST_CLOSE, SQL_CLOSE);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    if (sq_bind_when(st, 2, at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_tx_change(tx, st, "request close");
    return rc == -ENOENT ? request_not_open(tx, id) : rc;
}

static void assignee_row(sqlite3_stmt *st, void *row)
{
    struct store_assignee *a = row;
    a->id = sqlite3_column_int64(st, 0);
    sq_column_copy(st, 1, a->name, sizeof(a->name));
}

int sq_request_assignees(struct store *s, int64_t township_id, struct store_assignee *out,
                         int max, int *n)
{
    struct sq_read r;
    *n = 0;
    int rc = sq_read_begin(s, SQ_DESK_STAFF, SQL_DESK_STAFF, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, township_id);
    sqlite3_bind_int(r.st, 2, max);
    rc = sq_read_rows(&r, assignee_row, out, sizeof(*out), max, n, "desk staff");
    sq_read_end(&r);
    return rc;
}
