/* SQL of the accounts table: cadres, township staff and admins. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

static const char SQL_BY_NAME[] =
    "SELECT id, username, display_name, role, org_id, password_hash, disabled, ''"
    " FROM accounts WHERE username = ?1";
static const char SQL_BY_PHONE[] =
    "SELECT id, username, display_name, role, org_id, '', disabled, coalesce(pin_hash, '')"
    " FROM accounts WHERE phone = ?1";
/* Cadres only: a PIN opens the TV's cadre mode, nothing of staff's. */
static const char SQL_SET_PIN[] =
    "UPDATE accounts SET phone = ?2, pin_hash = ?3 WHERE id = ?1 AND role = 'cadre'";
/* The org must be of the role's kind: written as INSERT ... SELECT so a wrong one inserts
 * nothing. */
static const char SQL_ADD[] =
    "INSERT INTO accounts (username, display_name, role, org_id, password_hash, created_at)"
    " SELECT ?1, ?2, ?3, o.id, ?5, ?6 FROM orgs o"
    " WHERE o.id = ?4 AND o.kind = CASE ?3 WHEN 'cadre' THEN 'village' ELSE 'township' END";

static const char SQL_GET[] =
    "SELECT id, username, display_name, role, org_id, '', disabled, ''"
    " FROM accounts WHERE id = ?1";

/* The row of R's statement into OUT: 0, -ENOENT or a negative errno. Ends R. */
static int account_row(struct sq_read *r, struct store_account *out)
{
    int rc = sq_row(r->c, r->st, "account lookup");
    if (rc == 1) {
        out->id = sqlite3_column_int64(r->st, 0);
        sq_column_copy(r->st, 1, out->username, sizeof(out->username));
        sq_column_copy(r->st, 2, out->display_name, sizeof(out->display_name));
        sq_column_copy(r->st, 3, out->role, sizeof(out->role));
        out->org_id = sqlite3_column_int64(r->st, 4);
        sq_column_copy(r->st, 5, out->password_hash, sizeof(out->password_hash));
        out->disabled = sqlite3_column_int(r->st, 6);
        sq_column_copy(r->st, 7, out->pin_hash, sizeof(out->pin_hash));
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(r);
    return rc;
}

int sq_account_by_username(struct store *s, const char *username, struct store_account *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_ACCOUNT_BY_NAME, SQL_BY_NAME, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(r.st, 1, username, -1, SQLITE_STATIC);
    return account_row(&r, out);
}

int sq_account_get(struct store *s, int64_t id, struct store_account *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_ACCOUNT_GET, SQL_GET, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, id);
    return account_row(&r, out);
}

int sq_account_by_phone(struct store *s, const char *phone, struct store_account *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_ACCOUNT_BY_PHONE, SQL_BY_PHONE, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(r.st, 1, phone, -1, SQLITE_STATIC);
    return account_row(&r, out);
}

int sq_account_set_pin(struct store_tx *tx, int64_t account_id, const char *phone,
                       const char *pin_hash)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_ACCOUNT_SET_PIN, SQL_SET_PIN);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, account_id);
    sq_bind_str(st, 2, phone);
    sq_bind_str(st, 3, pin_hash);
    struct sq_conn *w = sq_tx_conn(tx);
    int rc = sq_step_done(w, st, "account pin");
    if (rc == 0 && sqlite3_changes(w->db) == 0)
        return -ENOENT;
    return rc;
}

int sq_account_add(struct store_tx *tx, const struct store_account *a, time_t now, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_ACCOUNT_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sq_bind_str(st, 1, a->username);
    sq_bind_str(st, 2, a->display_name);
    sq_bind_str(st, 3, a->role);
    sqlite3_bind_int64(st, 4, a->org_id);
    sq_bind_str(st, 5, a->password_hash);
    if (sq_bind_when(st, 6, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    struct sq_conn *w = sq_tx_conn(tx);
    int rc = sq_step_done(w, st, "account add");
    if (rc == 0 && sqlite3_changes(w->db) == 0) {
        log_warn("account %s: org %lld is missing or not of a %s's kind", a->username,
                 (long long)a->org_id, a->role);
        return -EINVAL;
    }
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}
