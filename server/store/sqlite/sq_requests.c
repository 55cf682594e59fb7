/* SQL of the service_requests and request_replies tables: one-key service (一键服务). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>

#include "log.h"

enum { REPLIES_MAX = 1000 };

static const char SQL_ADD[] =
    "INSERT INTO service_requests (household_id, box_id, member_id, village_id, category,"
    " phone, note, created_at, deadline_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
#define REQUEST_COLUMNS                                                                        \
    "SELECT r.id, r.household_id, r.box_id, r.member_id, r.village_id, r.assignee_id,"       \
    " r.category, r.phone, r.note, r.state, r.created_at, r.deadline_at, r.closed_at,"       \
    " (SELECT count(*) FROM request_replies p WHERE p.request_id = r.id)"                    \
    " FROM service_requests r"
static const char SQL_LIST[] = REQUEST_COLUMNS
    " WHERE r.household_id = ?1 ORDER BY r.created_at DESC, r.id DESC LIMIT ?2 OFFSET ?3";
static const char SQL_COUNT[] = "SELECT count(*) FROM service_requests WHERE household_id = ?1";
static const char SQL_GET[] = REQUEST_COLUMNS " WHERE r.id = ?1";
static const char SQL_REPLY_ADD[] =
    "INSERT INTO request_replies (request_id, account_id, body, created_at)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_REPLIED[] =
    "UPDATE service_requests SET state = 'replied' WHERE id = ?1 AND state <> 'closed'";
static const char SQL_REPLIES[] =
    "SELECT p.id, p.account_id, a.display_name, p.body, p.created_at"
    " FROM request_replies p LEFT JOIN accounts a ON a.id = p.account_id"
    " WHERE p.request_id = ?1 ORDER BY p.created_at, p.id";

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

int sq_request_add(struct store_tx *tx, const struct store_request *r, int64_t *id)
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
    while (*n < limit) {
        int row = sq_row(r.c, r.st, "request list");
        if (row <= 0) {
            rc = row;
            break;
        }
        request_row(r.st, &out[(*n)++]);
    }
    sq_read_end(&r);
    return rc;
}

int sq_request_get(struct store *s, int64_t id, struct store_request *out)
{
    return sq_read_by_id(s, SQ_REQUEST_GET, SQL_GET, id, request_row, out, "request get");
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
    if (rc < 0)
        return rc;
    st = sq_tx_stmt(tx, SQ_REQUEST_REPLIED, SQL_REPLIED);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, request_id);
    return sq_tx_insert(tx, st, "request replied", NULL);
}

int sq_reply_list(struct store *s, int64_t request_id, struct store_reply **out, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_REPLY_LIST, SQL_REPLIES, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, request_id);
    struct store_reply *list = NULL;
    int cap = 0, count = 0;
    for (;;) {
        int row = sq_row(r.c, r.st, "reply list");
        if (row <= 0) {
            rc = row;
            break;
        }
        rc = sq_grow((void **)&list, &cap, count, sizeof(*list), REPLIES_MAX);
        if (rc < 0)
            break;
        struct store_reply *p = &list[count++];
        p->id = sqlite3_column_int64(r.st, 0);
        p->account_id = sqlite3_column_int64(r.st, 1);
        sq_column_copy(r.st, 2, p->author, sizeof(p->author));
        sq_column_copy(r.st, 3, p->body, sizeof(p->body));
        p->created_at = sq_column_time(r.st, 4);
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
