/* SQL of the ledger_lines table: the lines of a finance disclosure (财务公示). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

enum { LEDGER_LINES_MAX = 5000 };

static const char SQL_ADD[] =
    "INSERT INTO ledger_lines (content_id, line_no, entry_date, item, income_fen, expense_fen)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* The running balance is a window sum, which PostgreSQL computes the same way. */
static const char SQL_LIST[] =
    "SELECT line_no, entry_date, item, income_fen, expense_fen,"
    " sum(income_fen - expense_fen) OVER (ORDER BY line_no"
    "   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    " FROM ledger_lines WHERE content_id = ?1 ORDER BY line_no";

int sq_ledger_add(struct store_tx *tx, int64_t content_id, const struct store_ledger_line *l)
{
    if (l->line_no < 1 || l->income_fen < 0 || l->expense_fen < 0)
        return -EINVAL;
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_LEDGER_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    sqlite3_bind_int(st, 2, l->line_no);
    sq_bind_str(st, 3, l->date);
    sq_bind_str(st, 4, l->item);
    sqlite3_bind_int64(st, 5, l->income_fen);
    sqlite3_bind_int64(st, 6, l->expense_fen);
    return sq_tx_insert(tx, st, "ledger add", NULL);
}

static void ledger_row(sqlite3_stmt *st, void *row)
{
    struct store_ledger_line *l = row;
    l->line_no = sqlite3_column_int(st, 0);
    sq_column_copy(st, 1, l->date, sizeof(l->date));
    sq_column_copy(st, 2, l->item, sizeof(l->item));
    l->income_fen = sqlite3_column_int64(st, 3);
    l->expense_fen = sqlite3_column_int64(st, 4);
    l->balance_fen = sqlite3_column_int64(st, 5);
}

int sq_ledger_list(struct store *s, int64_t content_id, struct store_ledger_line **out, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_LEDGER_LIST, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, content_id);
    void *lines = NULL;
    rc = sq_read_all(&r, ledger_row, sizeof(**out), LEDGER_LINES_MAX, &lines, n, "ledger list");
    sq_read_end(&r);
    if (rc == 0)
        *out = lines;
    return rc;
}
