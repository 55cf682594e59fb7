#include "ui/layout.h"

#include "ui/theme.h"

SDL_Rect layout_content(void)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect r = { safe.x + THEME_FOCUS_RING, THEME_CONTENT_Y, safe.w - 2 * THEME_FOCUS_RING,
                   THEME_CONTENT_H };
    return r;
}

SDL_Rect layout_message_panel(void)
{
    SDL_Rect r = { (THEME_W - LAYOUT_PANEL_W) / 2, THEME_CONTENT_Y + 20, LAYOUT_PANEL_W,
                   LAYOUT_PANEL_H };
    return r;
}

SDL_Rect layout_dialog(int w, int h)
{
    SDL_Rect safe = theme_safe_rect();
    if (w <= 0)
        w = LAYOUT_DIALOG_W;
    if (h <= 0)
        h = LAYOUT_DIALOG_H;
    if (w > safe.w)
        w = safe.w;
    if (h > safe.h)
        h = safe.h;
    SDL_Rect r = { (THEME_W - w) / 2, (THEME_H - h) / 2, w, h };
    return r;
}

SDL_Rect layout_grid_cell(const SDL_Rect *area, int cols, int rows, int gap, int i)
{
    if (cols < 1)
        cols = 1;
    if (rows < 1)
        rows = 1;
    int w = (area->w - (cols - 1) * gap) / cols;
    int h = (area->h - (rows - 1) * gap) / rows;
    int col = i % cols, row = i / cols;
    SDL_Rect r = { area->x + col * (w + gap), area->y + row * (h + gap), w, h };
    return r;
}

SDL_Rect layout_inset(const SDL_Rect *r, int by)
{
    SDL_Rect o = { r->x + by, r->y + by, r->w - 2 * by, r->h - 2 * by };
    if (o.w < 0)
        o.w = 0;
    if (o.h < 0)
        o.h = 0;
    return o;
}

SDL_Rect layout_below(const SDL_Rect *r, int y)
{
    SDL_Rect o = *r;
    if (y > r->y) {
        o.y = y;
        o.h = r->y + r->h - y;
    }
    if (o.h < 0)
        o.h = 0;
    return o;
}
