/* SQL of the disclosure_rows table: the rows of a dues disclosure (党费公示) and of a
 * new-member disclosure (发展党员公示). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

enum { DISCLOSURE_ROWS_MAX = 5000 };

static const char SQL_ADD[] =
    "INSERT INTO disclosure_rows (content_id, row_no, name, stage, day, amount_fen)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_LIST[] =
    "SELECT row_no, name, coalesce(stage, ''), day, coalesce(amount_fen, 0)"
    " FROM disclosure_rows WHERE content_id = ?1 ORDER BY row_no";

int sq_disclosure_row_add(struct store_tx *tx, int64_t content_id,
                          const struct store_disclosure_row *r)
{
    /* A row is either dues (an amount, no stage) or a new member's (a stage, no amount). */
    if (r->row_no < 1 || !r->name[0] || r->amount_fen < 0 || (r->amount_fen > 0) == !!r->stage[0])
        return -EINVAL;
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_DISCLOSURE_ROW_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    sqlite3_bind_int(st, 2, r->row_no);
    sq_bind_str(st, 3, r->name);
    sq_bind_text(st, 4, r->stage); /* "" (dues) is NULL */
    sq_bind_str(st, 5, r->day);
    if (r->amount_fen > 0)
        sqlite3_bind_int64(st, 6, r->amount_fen);
    else
        sqlite3_bind_null(st, 6);
    return sq_tx_insert(tx, st, "disclosure row add", NULL);
}

static void disclosure_row(sqlite3_stmt *st, void *row)
{
    struct store_disclosure_row *r = row;
    r->row_no = sqlite3_column_int(st, 0);
    sq_column_copy(st, 1, r->name, sizeof(r->name));
    sq_column_copy(st, 2, r->stage, sizeof(r->stage));
    sq_column_copy(st, 3, r->day, sizeof(r->day));
    r->amount_fen = sqlite3_column_int64(st, 4);
}

int sq_disclosure_rows(struct store *s, int64_t content_id, struct store_disclosure_row **out,
                       int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_DISCLOSURE_ROWS, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, content_id);
    void *rows = NULL;
    rc = sq_read_all(&r, disclosure_row, sizeof(**out), DISCLOSURE_ROWS_MAX, &rows, n,
                     "disclosure rows");
    sq_read_end(&r);
    if (rc == 0)
        *out = rows;
    return rc;
}
