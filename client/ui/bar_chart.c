#include "ui/bar_chart.h"

#include <stdio.h>
#include <string.h>

#include "ui/layout.h"
#include "ui/theme.h"

enum { LABEL_H = 72, VALUE_H = 64, PX = THEME_PX_BODY };

void ui_bar_chart_init(struct ui_bar_chart *c, const char *const *labels, const long *values,
                       int n, SDL_Rect area)
{
    memset(c, 0, sizeof(*c));
    c->n = n < 0 ? 0 : n > UI_BARS_MAX ? UI_BARS_MAX : n;
    for (int i = 0; i < c->n; i++) {
        c->labels[i] = labels[i];
        c->values[i] = values[i] > 0 ? values[i] : 0;
        if (c->values[i] > c->max)
            c->max = c->values[i];
    }
    c->area = area;
}

/* The column of bar i: its slot across the area. */
static SDL_Rect column(const struct ui_bar_chart *c, int i)
{
    return layout_grid_cell(&c->area, c->n > 0 ? c->n : 1, 1, LAYOUT_GAP, i);
}

SDL_Rect ui_bar_rect(const struct ui_bar_chart *c, int i)
{
    SDL_Rect col = column(c, i);
    int base = c->area.y + c->area.h - LABEL_H;
    int room = c->area.h - LABEL_H - VALUE_H;
    int h = c->max > 0 ? (int)((long long)room * c->values[i] / c->max) : 0;
    int w = col.w * 3 / 5;
    SDL_Rect r = { col.x + (col.w - w) / 2, base - h, w, h };
    return r;
}

void ui_bar_chart_draw(struct ui *ui, const struct ui_bar_chart *c, const char *name)
{
    int base = c->area.y + c->area.h - LABEL_H;
    SDL_Rect axis = { c->area.x, base, c->area.w, 4 };
    ui_fill_rect(ui, &axis, theme_color(COL_TEXT_SOFT));
    for (int i = 0; i < c->n; i++) {
        SDL_Rect bar = ui_bar_rect(c, i);
        if (bar.h > 0)
            ui_fill_rect(ui, &bar, theme_color(COL_FOCUS));
        SDL_Rect col = column(c, i);
        char v[32];
        const char *vt = c->value_texts[i];
        if (!vt) {
            snprintf(v, sizeof(v), "%ld", c->values[i]);
            vt = v;
        }
        SDL_Rect vbox = { col.x, bar.y - VALUE_H, col.w, VALUE_H };
        ui_text_in(ui, vt, &vbox, PX, FONT_BOLD, theme_color(COL_TEXT), UI_CENTER);
        SDL_Rect lbox = { col.x, base + 8, col.w, LABEL_H - 8 };
        ui_text_in(ui, c->labels[i] ? c->labels[i] : "", &lbox, PX, FONT_REGULAR,
                   theme_color(COL_TEXT), UI_CENTER);
    }
    char state[64];
    snprintf(state, sizeof(state), "n=%d max=%ld", c->n, c->max);
    widget_log_add(&ui->widgets, "bar_chart", name, &c->area, 0, state);
}
