#include "ui/poster_grid.h"

#include <stdio.h>

#include "ui/focus.h"
#include "ui/layout.h"
#include "ui/button.h"
#include "ui/theme.h"

enum { CAPTION_H = 72 };

void ui_poster_grid_init(struct ui_poster_grid *g, int n, int cols, SDL_Rect area)
{
    g->n = n < 0 ? 0 : n > UI_POSTERS_MAX ? UI_POSTERS_MAX : n;
    g->cols = cols < 1 ? 1 : cols;
    g->rows = (g->n + g->cols - 1) / g->cols;
    if (g->rows < 1)
        g->rows = 1;
    g->focus = 0;
    g->area = area;
}

SDL_Rect ui_poster_rect(const struct ui_poster_grid *g, int i)
{
    return layout_grid_cell(&g->area, g->cols, g->rows, LAYOUT_GAP, i);
}

SDL_Rect ui_poster_picture_rect(const struct ui_poster_grid *g, int i)
{
    SDL_Rect r = ui_poster_rect(g, i);
    SDL_Rect pic = { r.x + 12, r.y + 12, r.w - 24, r.h - 24 - CAPTION_H };
    return pic;
}

int ui_poster_grid_action(struct ui_poster_grid *g, enum action a, int *handled)
{
    *handled = 0;
    if (g->n == 0)
        return -1;
    enum focus_dir dir;
    if (focus_dir_from_action(a, &dir)) {
        struct focus_item items[UI_POSTERS_MAX];
        for (int i = 0; i < g->n; i++) {
            SDL_Rect r = ui_poster_rect(g, i);
            focus_item_init(&items[i], r.x, r.y, r.w, r.h);
        }
        int next = focus_move(items, g->n, g->focus, dir);
        if (next != FOCUS_NONE) {
            g->focus = next;
            *handled = 1;
        }
        return -1;
    }
    if (a != ACTION_OK)
        return -1;
    *handled = 1;
    return g->focus;
}

void ui_poster_grid_draw(struct ui *ui, const struct ui_poster_grid *g,
                         const char *const *captions, SDL_Texture *const *pictures,
                         int has_focus, const char *name)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < g->n; i++) {
            int focused = has_focus && i == g->focus;
            if (focused != pass)
                continue;
            SDL_Rect r = ui_poster_rect(g, i);
            ui_draw_focus_box(ui, &r, focused);
            SDL_Rect pic = ui_poster_picture_rect(g, i);
            SDL_Texture *t = pictures ? pictures[i] : NULL;
            if (t && pic.h > 0)
                SDL_RenderCopy(ui->r, t, NULL, &pic);
            else if (pic.h > 0)
                ui_fill_round(ui, &pic, THEME_RADIUS / 2, theme_color(COL_TILE_EDGE));
            SDL_Rect cap = { r.x + 16, r.y + r.h - CAPTION_H - 6, r.w - 32, CAPTION_H };
            ui_text_in(ui, captions && captions[i] ? captions[i] : "", &cap, THEME_PX_BODY,
                       FONT_BOLD, theme_color(focused ? COL_FOCUS_TEXT : COL_TILE_TEXT),
                       UI_CENTER);
        }
    }
    char state[48];
    snprintf(state, sizeof(state), "focus=%d n=%d", g->focus, g->n);
    widget_log_add(&ui->widgets, "poster_grid", name, &g->area, has_focus, state);
}
