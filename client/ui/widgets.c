#include "ui/widgets.h"

#include <stdio.h>

#include "ui/button.h"
#include "ui/theme.h"

enum { TILE_PAD = 28, BADGE = 68, FOCUS_SCALE = 1060, SHADOW_DX = 10, SHADOW_DY = 14 };

static int scaled(int v, int permille)
{
    return v * permille / 1000;
}

void ui_draw_tile(struct ui *ui, const struct ui_tile *t, int focused)
{
    int k = focused ? FOCUS_SCALE : 1000;
    SDL_Rect r = ui_scale_rect(&t->rect, k);
    SDL_Color fill, title_fg, soft_fg, badge_bg, badge_fg;
    if (focused) {
        SDL_Rect shadow = { r.x + SHADOW_DX, r.y + SHADOW_DY, r.w, r.h };
        ui_fill_round(ui, &shadow, THEME_RADIUS, theme_color(COL_SHADOW));
        ui_draw_focus_ring(ui, &r);
        fill = theme_color(COL_FOCUS);
        title_fg = theme_color(COL_FOCUS_TEXT);
        soft_fg = theme_color(COL_FOCUS_TEXT_SOFT);
        badge_bg = theme_color(COL_BADGE_FOCUS);
        badge_fg = theme_color(COL_BADGE_FOCUS_TEXT);
        ui_fill_round(ui, &r, THEME_RADIUS, fill);
    } else {
        ui_fill_round(ui, &r, THEME_RADIUS, theme_color(COL_TILE_EDGE));
        SDL_Rect inner = { r.x + 3, r.y + 3, r.w - 6, r.h - 6 };
        fill = theme_color(COL_TILE);
        title_fg = theme_color(COL_TILE_TEXT);
        soft_fg = theme_color(COL_TILE_TEXT_SOFT);
        badge_bg = theme_color(COL_BADGE);
        badge_fg = theme_color(COL_BADGE_TEXT);
        ui_fill_round(ui, &inner, THEME_RADIUS - 3, fill);
    }

    /* Three lines, top to bottom: badge + name, count, description. */
    int pad = scaled(TILE_PAD, k);
    int top = scaled(20, k);
    int x = r.x + pad, w = r.w - 2 * pad;
    int title_h = scaled(96, k);
    int title_x = x;
    if (t->badge > 0) {
        int b = scaled(BADGE, k);
        SDL_Rect badge = { x, r.y + top + (title_h - b) / 2, b, b };
        ui_fill_round(ui, &badge, b / 2, badge_bg);
        char digit[4];
        snprintf(digit, sizeof(digit), "%d", t->badge % 10);
        ui_text_in(ui, digit, &badge, scaled(THEME_PX_SMALL, k), FONT_BOLD, badge_fg, UI_CENTER);
        title_x = x + b + scaled(20, k);
    }
    SDL_Rect title = { title_x, r.y + top, x + w - title_x, title_h };
    /* A long name gets smaller (never below title size) before it gets cut. */
    int title_px = ui_fit_px(ui, t->title, title.w, scaled(THEME_PX_TILE, k),
                             scaled(THEME_PX_TITLE, k), FONT_BOLD);
    ui_text_in(ui, t->title, &title, title_px, FONT_BOLD, title_fg, UI_LEFT);
    if (t->count) {
        SDL_Rect count = { x, r.y + top + title_h + scaled(10, k), w, scaled(64, k) };
        ui_text_in(ui, t->count, &count, scaled(THEME_PX_COUNT, k), FONT_BOLD, soft_fg, UI_LEFT);
    }
    if (t->desc) {
        SDL_Rect desc = { x, r.y + r.h - top - scaled(64, k), w, scaled(64, k) };
        ui_text_in(ui, t->desc, &desc, scaled(THEME_PX_SMALL, k), FONT_REGULAR, soft_fg, UI_LEFT);
    }
}

enum { HINT_GAP = 64, CAP_PAD = 20, CAP_H = 64, CAP_LABEL_GAP = 16 };

static const char *hint_key(const struct ui *ui, const char *key)
{
    if (key[0] == UI_KEY_ARROWS[0])
        return ui->arrows_ok ? "◀▶▲▼" : "←→↑↓";
    return key;
}

void ui_draw_hint_bar(struct ui *ui, const struct ui_hint *hints, int n)
{
    SDL_Rect bar = { 0, THEME_HINT_Y, THEME_W, THEME_H - THEME_HINT_Y };
    ui_fill_rect(ui, &bar, theme_color(COL_HINT_BG));
    const int px = THEME_PX_SMALL;
    int total = 0;
    for (int i = 0; i < n; i++) {
        total += ui_text_width(ui, hint_key(ui, hints[i].key), px, FONT_BOLD) + 2 * CAP_PAD;
        total += CAP_LABEL_GAP + ui_text_width(ui, hints[i].label, px, FONT_REGULAR);
        if (i > 0)
            total += HINT_GAP;
    }
    SDL_Rect safe = theme_safe_rect();
    int x = safe.x + (safe.w - total) / 2;
    if (x < safe.x)
        x = safe.x;
    int cy = THEME_HINT_Y + THEME_HINT_TEXT_H / 2;
    for (int i = 0; i < n; i++) {
        const char *key = hint_key(ui, hints[i].key);
        int kw = ui_text_width(ui, key, px, FONT_BOLD) + 2 * CAP_PAD;
        SDL_Rect cap = { x, cy - CAP_H / 2, kw, CAP_H };
        ui_fill_round(ui, &cap, 12, theme_color(COL_KEYCAP));
        ui_text_in(ui, key, &cap, px, FONT_BOLD, theme_color(COL_KEYCAP_TEXT), UI_CENTER);
        x += kw + CAP_LABEL_GAP;
        int lw = ui_text_width(ui, hints[i].label, px, FONT_REGULAR);
        if (x + lw > safe.x + safe.w)
            break;
        SDL_Rect label = { x, cy - CAP_H / 2, lw, CAP_H };
        ui_text_in(ui, hints[i].label, &label, px, FONT_REGULAR, theme_color(COL_HINT_TEXT),
                   UI_LEFT);
        x += lw + HINT_GAP;
    }
}

void ui_draw_panel(struct ui *ui, const SDL_Rect *r, const char *title, const char *line1,
                   const char *line2)
{
    ui_fill_round(ui, r, THEME_RADIUS, theme_color(COL_PANEL));
    int th = ui_line_height(ui, THEME_PX_TITLE);
    int lh = ui_line_height(ui, THEME_PX_BODY);
    int gap = 24;
    int total = th + (line1 ? gap + lh : 0) + (line2 ? gap / 2 + lh : 0);
    int y = r->y + (r->h - total) / 2;
    SDL_Rect box = { r->x + 48, y, r->w - 96, th };
    ui_text_in(ui, title, &box, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_PANEL_TEXT), UI_CENTER);
    y += th;
    if (line1) {
        y += gap;
        SDL_Rect b1 = { r->x + 48, y, r->w - 96, lh };
        ui_text_in(ui, line1, &b1, THEME_PX_BODY, FONT_REGULAR,
                   theme_color(COL_PANEL_TEXT_SOFT), UI_CENTER);
        y += lh;
    }
    if (line2) {
        y += gap / 2;
        SDL_Rect b2 = { r->x + 48, y, r->w - 96, lh };
        ui_text_in(ui, line2, &b2, THEME_PX_BODY, FONT_REGULAR,
                   theme_color(COL_PANEL_TEXT_SOFT), UI_CENTER);
    }
}

void ui_draw_header_title(struct ui *ui, const char *title)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect box = { safe.x, THEME_HEADER_Y, safe.w, THEME_HEADER_H };
    ui_text_in(ui, title, &box, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
}
