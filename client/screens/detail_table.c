/* A disclosure's table for the detail screen (see detail_table.h). */
#include "screens/detail_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ui_table_col ledger_cols[] = {
    { "日期", 18, UI_LEFT },
    { "项目", 40, UI_LEFT },
    { "收入", 20, UI_RIGHT },
    { "支出", 20, UI_RIGHT },
    { "余额", 22, UI_RIGHT },
};
/* Three columns at 44 px leave room for a long name and "12,000.00". */
static const struct ui_table_col dues_cols[] = {
    { "姓名", 34, UI_LEFT },
    { "月份", 33, UI_LEFT },
    { "金额（元）", 33, UI_RIGHT },
};
static const struct ui_table_col candidate_cols[] = {
    { "姓名", 30, UI_LEFT },
    { "阶段", 35, UI_LEFT },
    { "日期", 35, UI_LEFT },
};

static void set_cell(struct detail_table *t, int row, int col, const char *s)
{
    snprintf(t->cells[row * t->n_cols + col], sizeof(t->cells[0]), "%s", s);
}

/* "2026-10" → "2026年10月"; "2026-11-05" → "2026年11月5日"; other text as it is. */
static void format_day(const char *s, char *out, size_t size)
{
    unsigned y, m, d;
    int n = 0;
    if (strlen(s) == 10 && sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) == 3 && n == 10)
        snprintf(out, size, "%u年%u月%u日", y, m, d);
    else if (strlen(s) == 7 && sscanf(s, "%4u-%2u%n", &y, &m, &n) == 2 && n == 7)
        snprintf(out, size, "%u年%u月", y, m);
    else
        snprintf(out, size, "%s", s);
}

static void fill_ledger(struct detail_table *t, const struct cat_detail *d)
{
    char money[48];
    for (int i = 0; i < d->n_lines; i++) {
        const struct cat_ledger_line *l = &d->lines[i];
        char day[32];
        cat_format_day(l->date, day, sizeof(day));
        set_cell(t, i, 0, day);
        set_cell(t, i, 1, l->item);
        /* A blank, not 0.00, where a line has no income (or no expense): easier to read. */
        cat_format_yuan(l->income_fen, money, sizeof(money));
        set_cell(t, i, 2, l->income_fen ? money : "");
        cat_format_yuan(l->expense_fen, money, sizeof(money));
        set_cell(t, i, 3, l->expense_fen ? money : "");
        cat_format_yuan(l->balance_fen, money, sizeof(money));
        set_cell(t, i, 4, money);
    }
    int r = d->n_lines;
    set_cell(t, r, 0, "合计");
    cat_format_yuan(d->income_fen, money, sizeof(money));
    set_cell(t, r, 2, money);
    cat_format_yuan(d->expense_fen, money, sizeof(money));
    set_cell(t, r, 3, money);
    cat_format_yuan(d->balance_fen, money, sizeof(money));
    set_cell(t, r, 4, money);
}

static void fill_roster(struct detail_table *t, const struct cat_detail *d)
{
    char text[64];
    for (int i = 0; i < d->n_roster; i++) {
        const struct cat_roster_row *r = &d->roster_rows[i];
        set_cell(t, i, 0, r->name);
        format_day(r->day, text, sizeof(text));
        if (d->roster == CAT_ROSTER_DUES) {
            set_cell(t, i, 1, text);
            cat_format_yuan(r->amount_fen, text, sizeof(text));
            set_cell(t, i, 2, text);
        } else {
            set_cell(t, i, 1, r->stage);
            set_cell(t, i, 2, text);
        }
    }
    if (t->has_total) {
        set_cell(t, d->n_roster, 0, "合计");
        snprintf(text, sizeof(text), "%d 笔", d->n_roster);
        set_cell(t, d->n_roster, 1, text);
        cat_format_yuan(d->roster_total_fen, text, sizeof(text));
        set_cell(t, d->n_roster, 2, text);
    }
}

int detail_table_build(struct detail_table *t, const struct cat_detail *d)
{
    memset(t, 0, sizeof(*t));
    int body_rows;
    if (d->has_ledger) {
        *t = (struct detail_table){ "ledger", "收支明细（单位：元）", "收支明细在下一页",
                                    ledger_cols, 5, NULL, NULL, 0, 1 };
        body_rows = d->n_lines;
    } else if (d->roster == CAT_ROSTER_DUES && d->n_roster > 0) {
        *t = (struct detail_table){ "dues", "党费缴纳明细", "党费明细在下一页", dues_cols, 3,
                                    NULL, NULL, 0, 1 };
        body_rows = d->n_roster;
    } else if (d->roster == CAT_ROSTER_CANDIDATES && d->n_roster > 0) {
        *t = (struct detail_table){ "candidates", "公示名单", "公示名单在下一页",
                                    candidate_cols, 3, NULL, NULL, 0, 0 };
        body_rows = d->n_roster;
    } else {
        return 0;
    }
    t->n_rows = body_rows + t->has_total;
    size_t n = (size_t)t->n_rows * (size_t)t->n_cols;
    t->cells = calloc(n, sizeof(*t->cells));
    t->cell_ptrs = calloc(n, sizeof(*t->cell_ptrs));
    if (!t->cells || !t->cell_ptrs) {
        detail_table_fini(t);
        return -ENOMEM;
    }
    if (d->has_ledger)
        fill_ledger(t, d);
    else
        fill_roster(t, d);
    for (size_t i = 0; i < n; i++)
        t->cell_ptrs[i] = t->cells[i];
    return 1;
}

void detail_table_fini(struct detail_table *t)
{
    free(t->cells);
    free(t->cell_ptrs);
    memset(t, 0, sizeof(*t));
}

void detail_table_dump(const struct detail_table *t, int first, int n, cJSON *state)
{
    if (!t->kind)
        return;
    cJSON *o = cJSON_AddObjectToObject(state, "table");
    cJSON *cols = o ? cJSON_AddArrayToObject(o, "columns") : NULL;
    cJSON *rows = o ? cJSON_AddArrayToObject(o, "rows") : NULL;
    if (!rows || !cJSON_AddStringToObject(o, "kind", t->kind))
        return;
    for (int c = 0; c < t->n_cols; c++)
        cJSON_AddItemToArray(cols, cJSON_CreateString(t->cols[c].title));
    for (int r = first; r >= 0 && r < first + n && r < t->n_rows; r++) {
        cJSON *row = cJSON_CreateStringArray(t->cell_ptrs + (size_t)r * t->n_cols, t->n_cols);
        if (!row)
            return;
        cJSON_AddItemToArray(rows, row);
    }
}
