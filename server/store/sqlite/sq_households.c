/* SQL of the households and members tables (a member always belongs to one household). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>

#include "log.h"

static const char SQL_GET[] = "SELECT id, village_id, name FROM households WHERE id = ?1";
static const char SQL_MEMBERS[] =
    "SELECT id, household_id, name, birth_year, joined_on, phone, photo FROM members"
    " WHERE household_id = ?1 ORDER BY id";
static const char SQL_MEMBER_GET[] =
    "SELECT id, household_id, name, birth_year, joined_on, phone, photo FROM members"
    " WHERE id = ?1";
static const char SQL_ADD[] = "INSERT INTO households (village_id, name) VALUES (?1, ?2)";
static const char SQL_MEMBER_ADD[] =
    "INSERT INTO members (household_id, name, birth_year, joined_on, phone)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

enum { MEMBERS_MAX = 64 }; /* a household larger than this is a data error */

static void member_row(sqlite3_stmt *st, void *row)
{
    struct store_member *m = row;
    m->id = sqlite3_column_int64(st, 0);
    m->household_id = sqlite3_column_int64(st, 1);
    sq_column_copy(st, 2, m->name, sizeof(m->name));
    m->birth_year = sqlite3_column_int(st, 3);
    sq_column_copy(st, 4, m->joined_on, sizeof(m->joined_on));
    sq_column_copy(st, 5, m->phone, sizeof(m->phone));
    sq_column_copy(st, 6, m->photo, sizeof(m->photo));
}

static int read_members(struct sq_conn *c, struct store_household *h)
{
    sqlite3_stmt *st = sq_stmt(c, SQ_HOUSEHOLD_MEMBERS, SQL_MEMBERS);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, h->id);
    int rc = 0, cap = 0;
    for (;;) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = sq_fail(c, step, "household members");
            break;
        }
        if (h->n_members == MEMBERS_MAX) {
            log_warn("household %lld has more than %d members; list cut",
                     (long long)h->id, MEMBERS_MAX);
            break;
        }
        if (h->n_members == cap) {
            int ncap = cap ? cap * 2 : 4;
            struct store_member *m = realloc(h->members, (size_t)ncap * sizeof(*m));
            if (!m) {
                rc = -ENOMEM;
                break;
            }
            h->members = m;
            cap = ncap;
        }
        member_row(st, &h->members[h->n_members++]);
    }
    sq_stmt_done(st);
    return rc;
}

int sq_household_get(struct store *s, int64_t id, struct store_household *out)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = sq_stmt(c, SQ_HOUSEHOLD_GET, SQL_GET);
    if (!st) {
        rc = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->village_id = sqlite3_column_int64(st, 1);
        sq_column_copy(st, 2, out->name, sizeof(out->name));
        rc = 0;
    } else {
        rc = step == SQLITE_DONE ? -ENOENT : sq_fail(c, step, "household get");
    }
    sq_stmt_done(st);
    if (rc == 0)
        rc = read_members(c, out);
out:
    sq_read_release(q, c);
    return rc;
}

int sq_household_add(struct store_tx *tx, int64_t village_id, const char *name, int64_t *id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_HOUSEHOLD_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, village_id);
    sq_bind_text(st, 2, name);
    int rc = sq_step_done(w, st, "household add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}

int sq_member_add(struct store_tx *tx, const struct store_member *m, int64_t *id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_MEMBER_ADD, SQL_MEMBER_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, m->household_id);
    sq_bind_text(st, 2, m->name);
    if (m->birth_year > 0)
        sqlite3_bind_int(st, 3, m->birth_year);
    else
        sqlite3_bind_null(st, 3);
    sq_bind_text(st, 4, m->joined_on);
    sq_bind_text(st, 5, m->phone);
    int rc = sq_step_done(w, st, "member add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}

int sq_member_get(struct store *s, int64_t id, struct store_member *out)
{
    return sq_read_by_id(s, SQ_MEMBER_GET, SQL_MEMBER_GET, id, member_row, out, "member get");
}
