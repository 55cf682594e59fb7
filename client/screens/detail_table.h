/* The table of a disclosure on the detail screen, built once from the item: a finance
 * ledger (日期 项目 收入 支出 余额, with a totals row), a dues disclosure (姓名 月份 金额, with
 * a totals row) or a new-member disclosure (姓名 阶段 日期). Cells are formatted for the
 * screen (yuan, 2026年10月); ui/table draws them. Pure data, tested on plain items. */
#ifndef DJTV_DETAIL_TABLE_H
#define DJTV_DETAIL_TABLE_H

#include <cjson/cJSON.h>

#include "net/api.h"
#include "net/catalogue.h"
#include "ui/table.h"

enum { DETAIL_TABLE_COLS_MAX = 5 };

struct detail_table {
    const char *kind;                /* "ledger", "dues", "candidates"; NULL: no table */
    const char *caption;             /* above the table: "收支明细（单位：元）" */
    const char *next_hint;           /* at the foot of the page before: "收支明细在下一页" */
    const struct ui_table_col *cols; /* static, n_cols */
    int n_cols;
    char (*cells)[API_TITLE_MAX];    /* owned, n_rows * n_cols */
    const char **cell_ptrs;          /* owned, the same as pointers for ui_table */
    int n_rows;                      /* body rows + the totals row when has_total */
    int has_total;
};

/* 1 with a table built, 0 when the item has none (nothing to free), -ENOMEM. */
int detail_table_build(struct detail_table *t, const struct cat_detail *d);
void detail_table_fini(struct detail_table *t);
/* "table": {"kind", "columns": [...], "rows": [[cells] of rows FIRST .. FIRST + N - 1]} for
 * the UI dump: what the page shows. */
void detail_table_dump(const struct detail_table *t, int first, int n, cJSON *state);

#endif
