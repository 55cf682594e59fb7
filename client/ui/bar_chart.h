/* A bar chart for the sofa: one bar per label on a common base line, its value written
 * above it, the labels under the base line — every text >= 44 px. Values are >= 0 (a
 * negative one draws as 0). Rules on plain rectangles (ui_bar_rect); drawing records role
 * "bar_chart", state "n=<n> max=<max>". */
#ifndef DJTV_BAR_CHART_H
#define DJTV_BAR_CHART_H

#include "ui/ui.h"

enum { UI_BARS_MAX = 12 };

struct ui_bar_chart {
    const char *labels[UI_BARS_MAX];       /* borrowed: under each bar */
    const char *value_texts[UI_BARS_MAX];  /* borrowed, optional: above each bar ("1,200.00") */
    long values[UI_BARS_MAX];
    int n;
    long max;
    SDL_Rect area;
};

void ui_bar_chart_init(struct ui_bar_chart *c, const char *const *labels, const long *values,
                       int n, SDL_Rect area);
SDL_Rect ui_bar_rect(const struct ui_bar_chart *c, int i);
void ui_bar_chart_draw(struct ui *ui, const struct ui_bar_chart *c, const char *name);

#endif
