/* A finance disclosure's months as a bar chart (ui/bar_chart): for each month of the ledger
 * (the last LEDGER_MONTHS_MAX when there are more), a bar of its income and a bar of its
 * spending, labelled "10月收入" / "10月支出" so the words tell them apart as well as the
 * colours (income and spending are the chart's two series, with a legend); the yuan above
 * each bar. The sums are a pure function of the ledger (tested on plain
 * data); drawing adds the caption above the chart. */
#ifndef DJTV_LEDGER_CHART_H
#define DJTV_LEDGER_CHART_H

#include <SDL.h>
#include <cjson/cJSON.h>
#include <stdint.h>

#include "net/catalogue.h"
#include "ui/bar_chart.h"
#include "ui/ui.h"

enum { LEDGER_MONTHS_MAX = UI_BARS_MAX / 2 };

struct ledger_month {
    char ym[8];          /* "2026-10" */
    int64_t income_fen;  /* the month's lines added up */
    int64_t expense_fen;
};

struct ledger_chart {
    struct ledger_month months[LEDGER_MONTHS_MAX]; /* oldest first */
    int n_months;
    char labels[UI_BARS_MAX][32];
    char values[UI_BARS_MAX][48];
};

/* The months of d's ledger lines (a line's month is its date's "YYYY-MM"; lines with a date
 * that is not one are left out). Returns the number of months (0: no chart). */
int ledger_chart_build(struct ledger_chart *c, const struct cat_detail *d);
/* The caption and the chart in area. */
void ledger_chart_draw(const struct ledger_chart *c, struct ui *ui, const SDL_Rect *area);
/* "chart": [{"month": "2026-10", "income_fen": N, "expense_fen": N}, …] for the UI dump. */
void ledger_chart_dump(const struct ledger_chart *c, cJSON *state);

#endif
