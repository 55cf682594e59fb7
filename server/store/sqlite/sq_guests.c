/* SQL of a member away from home (流动党员): the phone and PIN hash the township set on the
 * member's row, and guest sessions (only the SHA-256 of each token) that tie the member to the
 * box they use and the meeting they joined. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

/* Only a member of the township's villages (?4): another township's is "no such member". */
static const char SQL_SET[] =
    "UPDATE members SET phone = ?2, guest_pin_hash = ?3 WHERE id = ?1 AND household_id IN"
    " (SELECT h.id FROM households h JOIN orgs v ON v.id = h.village_id WHERE v.parent_id = ?4)";
/* Members of the township's villages with this phone and a PIN; two rows mean ambiguous. */
static const char SQL_FIND[] =
    "SELECT m.id, m.name, h.village_id, m.guest_pin_hash FROM members m"
    " JOIN households h ON h.id = m.household_id JOIN orgs v ON v.id = h.village_id"
    " WHERE v.parent_id = ?1 AND m.phone = ?2 AND m.guest_pin_hash IS NOT NULL"
    " ORDER BY m.id LIMIT 2";
static const char SQL_SESSION_ADD[] =
    "INSERT INTO guest_sessions (token_hash, member_id, box_id, broadcast_id, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_SESSION_GET[] =
    "SELECT g.id, g.member_id, m.name, h.village_id, g.box_id, g.broadcast_id"
    " FROM guest_sessions g JOIN members m ON m.id = g.member_id"
    " JOIN households h ON h.id = m.household_id WHERE g.token_hash = ?1";

int sq_guest_set(struct store_tx *tx, int64_t township_id, int64_t member_id, const char *phone,
                 const char *pin_hash)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_GUEST_SET, SQL_SET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, member_id);
    sqlite3_bind_int64(st, 4, township_id);
    if (sq_bind_text(st, 2, phone) < 0 || sq_bind_text(st, 3, pin_hash) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_change(tx, st, "guest set");
}

int sq_guest_find(struct store *s, int64_t township_id, const char *phone,
                  struct store_guest *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_GUEST_FIND, SQL_FIND, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, township_id);
    if (sq_bind_text(r.st, 2, phone) < 0) {
        sq_read_end(&r);
        return -EINVAL;
    }
    rc = sq_row(r.c, r.st, "guest find");
    if (rc == 1) {
        out->member_id = sqlite3_column_int64(r.st, 0);
        sq_column_copy(r.st, 1, out->name, sizeof(out->name));
        out->village_id = sqlite3_column_int64(r.st, 2);
        sq_column_copy(r.st, 3, out->pin_hash, sizeof(out->pin_hash));
        rc = sq_row(r.c, r.st, "guest find");
        if (rc == 1)
            rc = -EEXIST; /* one phone, two members: the township must fix it */
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}

int sq_guest_session_add(struct store_tx *tx, const char *token_hash_hex, int64_t member_id,
                         int64_t box_id, int64_t broadcast_id, time_t now, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_GUEST_SESSION_ADD, SQL_SESSION_ADD);
    if (!st)
        return -EIO;
    if (sq_bind_text(st, 1, token_hash_hex) < 0 || sq_bind_when(st, 5, now) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    sqlite3_bind_int64(st, 2, member_id);
    sqlite3_bind_int64(st, 3, box_id);
    sqlite3_bind_int64(st, 4, broadcast_id);
    return sq_tx_insert(tx, st, "guest session add", id);
}

int sq_guest_session_get(struct store *s, const char *token_hash_hex,
                         struct store_guest_session *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_GUEST_SESSION_GET, SQL_SESSION_GET, &r);
    if (rc < 0)
        return rc;
    if (sq_bind_text(r.st, 1, token_hash_hex) < 0) {
        sq_read_end(&r);
        return -EINVAL;
    }
    rc = sq_row(r.c, r.st, "guest session get");
    if (rc == 1) {
        out->id = sqlite3_column_int64(r.st, 0);
        out->member_id = sqlite3_column_int64(r.st, 1);
        sq_column_copy(r.st, 2, out->name, sizeof(out->name));
        out->village_id = sqlite3_column_int64(r.st, 3);
        out->box_id = sqlite3_column_int64(r.st, 4);
        out->broadcast_id = sqlite3_column_int64(r.st, 5);
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}
