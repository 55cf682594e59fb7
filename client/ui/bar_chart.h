/* A bar chart for the sofa: one bar per label on a common base line, its value written
 * above it, the labels under the base line — every text >= 44 px. Values are >= 0 (a
 * negative one draws as 0). Bars may belong to up to UI_BAR_SERIES_MAX series (income and
 * spending): each series has its own colour (COL_CHART_A, COL_CHART_B; >= 3:1 on the
 * screen background) and, when there are two, a legend of a swatch and the series' name in
 * the chart's top right. Rules on plain rectangles (ui_bar_rect); drawing records role
 * "bar_chart", state "n=<n> max=<max>", then with series " legend=<name>:#rrggbb,…
 * series=<series of each bar, one digit per bar>" so the dump tells the series apart. */
#ifndef DJTV_BAR_CHART_H
#define DJTV_BAR_CHART_H

#include "ui/ui.h"

enum { UI_BARS_MAX = 12, UI_BAR_SERIES_MAX = 2 };

struct ui_bar_chart {
    const char *labels[UI_BARS_MAX];       /* borrowed: under each bar */
    const char *value_texts[UI_BARS_MAX];  /* borrowed, optional: above each bar ("1,200.00") */
    long values[UI_BARS_MAX];
    int series[UI_BARS_MAX];               /* each bar's series, 0 .. n_series - 1 */
    const char *series_names[UI_BAR_SERIES_MAX]; /* borrowed: the legend's words */
    int n_series;                          /* 0 or 1: one colour, no legend */
    int n;
    long max;
    SDL_Rect area;
};

void ui_bar_chart_init(struct ui_bar_chart *c, const char *const *labels, const long *values,
                       int n, SDL_Rect area);
/* Bars i, i + n_series, … belong to series 0, bars i + 1, … to series 1 (the bars of one
 * label next to each other); names label the legend. n_series is clamped to 1..MAX. */
void ui_bar_chart_set_series(struct ui_bar_chart *c, const char *const *names, int n_series);
/* The colour of series s (the first one for anything out of range). */
SDL_Color ui_bar_series_color(int s);
SDL_Rect ui_bar_rect(const struct ui_bar_chart *c, int i);
/* The legend's box (empty when there is none). */
SDL_Rect ui_bar_legend_rect(const struct ui_bar_chart *c);
void ui_bar_chart_draw(struct ui *ui, const struct ui_bar_chart *c, const char *name);

#endif
