/* A finance disclosure's months as a bar chart (see ledger_chart.h). */
#include "screens/ledger_chart.h"

#include <stdio.h>
#include <string.h>

#include "ui/theme.h"

enum { CAPTION_H = 64, MONTHS_SEEN_MAX = 64 };

/* "2026-10-16" → "2026-10"; 0, or -1 when the date does not start like that. */
static int month_of(const char *date, char ym[8])
{
    for (int i = 0; i < 7; i++) {
        char ch = date[i];
        if (i == 4 ? ch != '-' : (ch < '0' || ch > '9'))
            return -1;
    }
    memcpy(ym, date, 7);
    ym[7] = '\0';
    return 0;
}

int ledger_chart_build(struct ledger_chart *c, const struct cat_detail *d)
{
    memset(c, 0, sizeof(*c));
    struct ledger_month seen[MONTHS_SEEN_MAX];
    int n = 0;
    for (int i = 0; d->has_ledger && i < d->n_lines; i++) {
        const struct cat_ledger_line *l = &d->lines[i];
        char ym[8];
        if (month_of(l->date, ym) < 0)
            continue;
        int at = 0;
        while (at < n && strcmp(seen[at].ym, ym) < 0)
            at++;
        if (at == n || strcmp(seen[at].ym, ym) != 0) {
            if (n == MONTHS_SEEN_MAX)
                continue; /* beyond any real disclosure: the chart keeps the last months */
            memmove(&seen[at + 1], &seen[at], (size_t)(n - at) * sizeof(seen[0]));
            memset(&seen[at], 0, sizeof(seen[0]));
            memcpy(seen[at].ym, ym, sizeof(ym));
            n++;
        }
        seen[at].income_fen += l->income_fen;
        seen[at].expense_fen += l->expense_fen;
    }
    int first = n > LEDGER_MONTHS_MAX ? n - LEDGER_MONTHS_MAX : 0;
    c->n_months = n - first;
    memcpy(c->months, &seen[first], (size_t)c->n_months * sizeof(seen[0]));
    for (int m = 0; m < c->n_months; m++) {
        int month = (c->months[m].ym[5] - '0') * 10 + (c->months[m].ym[6] - '0');
        snprintf(c->labels[2 * m], sizeof(c->labels[0]), "%d月收入", month);
        snprintf(c->labels[2 * m + 1], sizeof(c->labels[0]), "%d月支出", month);
        cat_format_yuan(c->months[m].income_fen, c->values[2 * m], sizeof(c->values[0]));
        cat_format_yuan(c->months[m].expense_fen, c->values[2 * m + 1], sizeof(c->values[0]));
    }
    return c->n_months;
}

void ledger_chart_draw(const struct ledger_chart *c, struct ui *ui, const SDL_Rect *area)
{
    SDL_Rect cap = { area->x, area->y + 8, area->w, CAPTION_H - 8 };
    ui_text_in(ui, "每月收入和支出（单位：元）", &cap, THEME_PX_BODY, FONT_BOLD,
               theme_color(COL_TEXT_SOFT), UI_LEFT);
    const char *labels[UI_BARS_MAX];
    long yuan[UI_BARS_MAX];
    int n = 2 * c->n_months;
    for (int m = 0; m < c->n_months; m++) {
        labels[2 * m] = c->labels[2 * m];
        labels[2 * m + 1] = c->labels[2 * m + 1];
        /* Whole yuan for the heights: a long holds them on every platform. */
        yuan[2 * m] = (long)(c->months[m].income_fen / 100);
        yuan[2 * m + 1] = (long)(c->months[m].expense_fen / 100);
    }
    SDL_Rect chart = { area->x, area->y + CAPTION_H, area->w, area->h - CAPTION_H };
    struct ui_bar_chart bc;
    ui_bar_chart_init(&bc, labels, yuan, n, chart);
    for (int i = 0; i < n; i++)
        bc.value_texts[i] = c->values[i];
    static const char *const series[2] = { "收入", "支出" };
    ui_bar_chart_set_series(&bc, series, 2);
    ui_bar_chart_draw(ui, &bc, "ledger.chart");
}

void ledger_chart_dump(const struct ledger_chart *c, cJSON *state)
{
    cJSON *arr = cJSON_AddArrayToObject(state, "chart");
    for (int m = 0; arr && m < c->n_months; m++) {
        cJSON *o = cJSON_CreateObject();
        if (!o)
            return;
        cJSON_AddStringToObject(o, "month", c->months[m].ym);
        cJSON_AddNumberToObject(o, "income_fen", (double)c->months[m].income_fen);
        cJSON_AddNumberToObject(o, "expense_fen", (double)c->months[m].expense_fen);
        cJSON_AddItemToArray(arr, o);
    }
}
