#include "ui/dialog.h"

#include "ui/button.h"
#include "ui/theme.h"

enum {
    PANEL_W = 1400,
    PAD = 48,
    BUTTON_H = 104,
    BUTTON_GAP = 28,
    LINE_GAP = 10,
};

static int count(const char *const *v, int max)
{
    int n = 0;
    while (n < max && v[n])
        n++;
    return n;
}

void dialog_draw(struct ui *ui, const struct dialog *d)
{
    int n_lines = count(d->lines, DIALOG_LINES_MAX);
    int n_buttons = count(d->buttons, DIALOG_BUTTONS_MAX);
    int cols = d->columns > 0 ? d->columns : (n_buttons > 0 ? n_buttons : 1);
    int rows = n_buttons > 0 ? (n_buttons + cols - 1) / cols : 0;
    int th = ui_line_height(ui, THEME_PX_TITLE);
    int lh = ui_line_height(ui, THEME_PX_BODY);
    int hh = d->hint ? ui_line_height(ui, THEME_PX_SMALL) + LINE_GAP * 2 : 0;
    int h = PAD + th + LINE_GAP * 2 + n_lines * (lh + LINE_GAP) +
            rows * (BUTTON_H + BUTTON_GAP) + hh + PAD;
    SDL_Rect safe = theme_safe_rect();
    if (h > safe.h)
        h = safe.h;
    SDL_Rect panel = { (THEME_W - PANEL_W) / 2, safe.y + (safe.h - h) / 2, PANEL_W, h };

    /* The veil keeps the screen under it recognisable but quiet; no text sits on it. */
    SDL_Color veil = theme_color(COL_SHADOW);
    SDL_Rect all = { 0, 0, THEME_W, THEME_H };
    ui_fill_rect(ui, &all, veil);
    ui_fill_round(ui, &panel, THEME_RADIUS, theme_color(COL_PANEL));

    int y = panel.y + PAD;
    SDL_Rect box = { panel.x + PAD, y, panel.w - 2 * PAD, th };
    ui_text_in(ui, d->title, &box, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_PANEL_TEXT),
               UI_CENTER);
    y += th + LINE_GAP * 2;
    for (int i = 0; i < n_lines; i++) {
        SDL_Rect lb = { panel.x + PAD, y, panel.w - 2 * PAD, lh };
        int strong = d->strong[i];
        ui_text_in(ui, d->lines[i], &lb, THEME_PX_BODY, strong ? FONT_BOLD : FONT_REGULAR,
                   theme_color(strong ? COL_PANEL_TEXT : COL_PANEL_TEXT_SOFT), UI_CENTER);
        y += lh + LINE_GAP;
    }
    int bw = (panel.w - 2 * PAD - (cols - 1) * BUTTON_GAP) / cols;
    for (int i = 0; i < n_buttons; i++) {
        int r = i / cols, c = i % cols;
        int in_row = r == rows - 1 ? n_buttons - r * cols : cols;
        int row_w = in_row * bw + (in_row - 1) * BUTTON_GAP;
        int x0 = panel.x + (panel.w - row_w) / 2;
        SDL_Rect b = { x0 + c * (bw + BUTTON_GAP), y + r * (BUTTON_H + BUTTON_GAP), bw, BUTTON_H };
        int focused = i == d->focus;
        ui_draw_focus_box(ui, &b, focused);
        SDL_Rect tb = { b.x + 16, b.y, b.w - 32, b.h };
        int px = ui_fit_px(ui, d->buttons[i], tb.w, THEME_PX_COUNT, THEME_PX_SMALL, FONT_BOLD);
        ui_text_in(ui, d->buttons[i], &tb, px, FONT_BOLD,
                   theme_color(focused ? COL_FOCUS_TEXT : COL_TILE_TEXT), UI_CENTER);
    }
    y += rows * (BUTTON_H + BUTTON_GAP);
    if (d->hint) {
        SDL_Rect hb = { panel.x + PAD, y + LINE_GAP, panel.w - 2 * PAD,
                        ui_line_height(ui, THEME_PX_SMALL) };
        ui_text_in(ui, d->hint, &hb, THEME_PX_SMALL, FONT_REGULAR,
                   theme_color(COL_PANEL_TEXT_SOFT), UI_CENTER);
    }
}
