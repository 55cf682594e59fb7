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
    ui_veil_around(ui, veil, &panel, THEME_RADIUS);
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
    /* One button row (the kit's widget) per row of buttons; a shorter last row is centred
     * with buttons as wide as the others. */
    int bw = (panel.w - 2 * PAD - (cols - 1) * BUTTON_GAP) / cols;
    for (int r = 0; r < rows; r++) {
        int first = r * cols;
        int in_row = n_buttons - first < cols ? n_buttons - first : cols;
        int row_w = in_row * bw + (in_row - 1) * BUTTON_GAP;
        SDL_Rect area = { panel.x + (panel.w - row_w) / 2, y + r * (BUTTON_H + BUTTON_GAP),
                          row_w, BUTTON_H };
        struct ui_button_row row;
        ui_button_row_init(&row, d->buttons + first, in_row, area, 0);
        int has_focus = d->focus >= first && d->focus < first + in_row;
        if (has_focus)
            row.focus = d->focus - first;
        ui_button_row_draw(ui, &row, has_focus, d->name ? d->name : "dialog.buttons");
    }
    y += rows * (BUTTON_H + BUTTON_GAP);
    if (d->hint) {
        SDL_Rect hb = { panel.x + PAD, y + LINE_GAP, panel.w - 2 * PAD,
                        ui_line_height(ui, THEME_PX_SMALL) };
        ui_text_in(ui, d->hint, &hb, THEME_PX_SMALL, FONT_REGULAR,
                   theme_color(COL_PANEL_TEXT_SOFT), UI_CENTER);
    }
}
