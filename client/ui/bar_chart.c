#include "ui/bar_chart.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui/layout.h"
#include "ui/recorder.h"
#include "ui/theme.h"

enum {
    LABEL_H = 72,
    VALUE_H = 64,
    PX = THEME_PX_BODY,
    LEGEND_H = 64,      /* the legend's band above the bars */
    SWATCH = 40,        /* a legend's colour square */
    LEGEND_ITEM_W = 220 /* swatch, gap and a two-character name at 44 px */
};

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

void ui_bar_chart_set_series(struct ui_bar_chart *c, const char *const *names, int n_series)
{
    c->n_series = n_series < 1 ? 1 : n_series > UI_BAR_SERIES_MAX ? UI_BAR_SERIES_MAX : n_series;
    for (int s = 0; s < c->n_series; s++)
        c->series_names[s] = names ? names[s] : NULL;
    for (int i = 0; i < c->n; i++)
        c->series[i] = i % c->n_series;
}

SDL_Color ui_bar_series_color(int s)
{
    return theme_color(s == 1 ? COL_CHART_B : COL_CHART_A);
}

static int has_legend(const struct ui_bar_chart *c)
{
    return c->n_series > 1;
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
    int room = c->area.h - LABEL_H - VALUE_H - (has_legend(c) ? LEGEND_H : 0);
    int h = c->max > 0 ? (int)((long long)room * c->values[i] / c->max) : 0;
    int w = col.w * 3 / 5;
    SDL_Rect r = { col.x + (col.w - w) / 2, base - h, w, h };
    return r;
}

SDL_Rect ui_bar_legend_rect(const struct ui_bar_chart *c)
{
    SDL_Rect r = { 0, 0, 0, 0 };
    if (!has_legend(c))
        return r;
    r.w = c->n_series * LEGEND_ITEM_W;
    r.h = LEGEND_H;
    r.x = c->area.x + c->area.w - r.w;
    r.y = c->area.y;
    return r;
}

static void draw_legend(struct ui *ui, const struct ui_bar_chart *c)
{
    SDL_Rect box = ui_bar_legend_rect(c);
    for (int s = 0; s < c->n_series; s++) {
        int x = box.x + s * LEGEND_ITEM_W;
        SDL_Rect sw = { x, box.y + (LEGEND_H - SWATCH) / 2, SWATCH, SWATCH };
        ui_fill_rect(ui, &sw, ui_bar_series_color(s));
        SDL_Rect tb = { x + SWATCH + 16, box.y, LEGEND_ITEM_W - SWATCH - 32, LEGEND_H };
        ui_text_in(ui, c->series_names[s] ? c->series_names[s] : "", &tb, PX, FONT_BOLD,
                   theme_color(COL_TEXT), UI_LEFT);
    }
}

/* Append to a state string; a full one stays cut where it ended. */
static void append(char *state, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *state, size_t size, const char *fmt, ...)
{
    size_t len = strlen(state);
    if (len + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(state + len, size - len, fmt, ap);
    va_end(ap);
}

/* " legend=收入:#ffd54a,支出:#6ec6ff series=0101" appended to state. */
static void describe_series(const struct ui_bar_chart *c, char *state, size_t size)
{
    append(state, size, " legend=");
    for (int s = 0; s < c->n_series; s++) {
        char hex[8];
        recorder_hex(ui_bar_series_color(s), hex);
        append(state, size, "%s%s:%s", s ? "," : "",
               c->series_names[s] ? c->series_names[s] : "", hex);
    }
    append(state, size, " series=");
    for (int i = 0; i < c->n; i++)
        append(state, size, "%d", c->series[i]);
}

void ui_bar_chart_draw(struct ui *ui, const struct ui_bar_chart *c, const char *name)
{
    int base = c->area.y + c->area.h - LABEL_H;
    SDL_Rect axis = { c->area.x, base, c->area.w, 4 };
    ui_fill_rect(ui, &axis, theme_color(COL_TEXT_SOFT));
    if (has_legend(c))
        draw_legend(ui, c);
    for (int i = 0; i < c->n; i++) {
        SDL_Rect bar = ui_bar_rect(c, i);
        if (bar.h > 0)
            ui_fill_rect(ui, &bar, ui_bar_series_color(c->series[i]));
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
    char state[160];
    snprintf(state, sizeof(state), "n=%d max=%ld", c->n, c->max);
    if (has_legend(c))
        describe_series(c, state, sizeof(state));
    widget_log_add(&ui->widgets, "bar_chart", name, &c->area, 0, state);
}
