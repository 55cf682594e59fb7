/* SQL of the pioneers table: honour-roll entries (时代先锋) with photo and citation. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

static const char SQL_SET[] =
    "INSERT INTO pioneers (content_id, photo, citation) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (content_id) DO UPDATE SET photo = excluded.photo,"
    " citation = excluded.citation";
static const char SQL_GET[] = "SELECT photo, citation FROM pioneers WHERE content_id = ?1";

int sq_pioneer_set(struct store_tx *tx, int64_t content_id, const struct store_pioneer *p)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_PIONEER_SET, SQL_SET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    sq_bind_text(st, 2, p->photo);
    sq_bind_str(st, 3, p->citation);
    return sq_tx_insert(tx, st, "pioneer set", NULL);
}

int sq_pioneer_get(struct store *s, int64_t content_id, struct store_pioneer *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_PIONEER_GET, SQL_GET, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, content_id);
    rc = sq_row(r.c, r.st, "pioneer get");
    if (rc == 1) {
        sq_column_copy(r.st, 0, out->photo, sizeof(out->photo));
        sq_column_copy(r.st, 1, out->citation, sizeof(out->citation));
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}
