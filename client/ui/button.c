#include "ui/button.h"

#include <stdio.h>

#include "ui/layout.h"
#include "ui/theme.h"

void ui_draw_focus_ring(struct ui *ui, const SDL_Rect *r)
{
    SDL_Rect ring = layout_inset(r, -THEME_FOCUS_RING);
    ui_fill_round(ui, &ring, THEME_RADIUS + THEME_FOCUS_RING, theme_color(COL_FOCUS_RING));
}

void ui_draw_focus_box(struct ui *ui, const SDL_Rect *r, int focused)
{
    if (focused)
        ui_draw_focus_ring(ui, r);
    ui_fill_round(ui, r, THEME_RADIUS, theme_color(focused ? COL_FOCUS : COL_TILE));
}

void ui_draw_button(struct ui *ui, const SDL_Rect *r, const char *label, int badge, int focused,
                    int selected, int px)
{
    ui_draw_focus_box(ui, r, focused);
    SDL_Color fg = theme_color(focused ? COL_FOCUS_TEXT : COL_TILE_TEXT);
    int x = r->x + 24, right = r->x + r->w - 24;
    if (badge > 0) {
        char num[16];
        snprintf(num, sizeof(num), "%d", badge);
        int d = px + 24;
        SDL_Rect b = { x, r->y + (r->h - d) / 2, d, d };
        ui_fill_round(ui, &b, d / 2, theme_color(focused ? COL_BADGE_FOCUS : COL_BADGE));
        ui_text_in(ui, num, &b, px, FONT_BOLD,
                   theme_color(focused ? COL_BADGE_FOCUS_TEXT : COL_BADGE_TEXT), UI_CENTER);
        x += d + 16;
    }
    if (selected) {
        int w = ui_text_width(ui, "●", px, FONT_BOLD);
        SDL_Rect m = { right - w, r->y, w, r->h };
        ui_text_in(ui, "●", &m, px, FONT_BOLD, fg, UI_RIGHT);
        right -= w + 16;
    }
    SDL_Rect t = { x, r->y, right - x, r->h };
    ui_text_in(ui, label, &t, px, FONT_BOLD, fg, badge > 0 || selected ? UI_LEFT : UI_CENTER);
}

void ui_button_row_init(struct ui_button_row *b, const char *const *labels, int n, SDL_Rect area,
                        int numbered)
{
    if (n > UI_BUTTONS_MAX)
        n = UI_BUTTONS_MAX;
    if (n < 0)
        n = 0;
    for (int i = 0; i < n; i++)
        b->labels[i] = labels[i];
    b->n = n;
    b->focus = 0;
    b->numbered = numbered;
    b->area = area;
}

SDL_Rect ui_button_row_rect(const struct ui_button_row *b, int i)
{
    return layout_grid_cell(&b->area, b->n > 0 ? b->n : 1, 1, LAYOUT_GAP, i);
}

int ui_button_row_action(struct ui_button_row *b, enum action a, int *handled)
{
    *handled = 0;
    if (b->n == 0)
        return -1;
    if ((a == ACTION_LEFT && b->focus > 0) || (a == ACTION_RIGHT && b->focus < b->n - 1)) {
        b->focus += a == ACTION_LEFT ? -1 : 1;
        *handled = 1;
        return -1;
    }
    int d = action_digit(a);
    if (b->numbered && d >= 1 && d <= b->n) {
        b->focus = d - 1;
        a = ACTION_OK;
    }
    if (a == ACTION_OK) {
        *handled = 1;
        return b->focus;
    }
    return -1;
}

void ui_button_row_draw(struct ui *ui, const struct ui_button_row *b, int has_focus,
                        const char *name)
{
    for (int pass = 0; pass < 2; pass++) { /* the focused one last: its ring on top */
        for (int i = 0; i < b->n; i++) {
            int focused = has_focus && i == b->focus;
            if (focused != pass)
                continue;
            SDL_Rect r = ui_button_row_rect(b, i);
            ui_draw_button(ui, &r, b->labels[i], b->numbered ? i + 1 : 0, focused, 0,
                           THEME_PX_BODY);
        }
    }
    char state[64];
    snprintf(state, sizeof(state), "focus=%d n=%d", b->focus, b->n);
    widget_log_add(&ui->widgets, "button_row", name, &b->area, has_focus, state);
}
