#include "ui/list.h"

#include <stdio.h>

#include "ui/button.h"
#include "ui/theme.h"

enum { PAD_X = 36, MARK_W = 76, TAG_PAD = 28, TAG_H = 64, TITLE_H = 76, META_H = 52 };

int ui_list_rows_fit(int h)
{
    int n = (h + UI_LIST_GAP) / (UI_LIST_ROW_H + UI_LIST_GAP);
    return n > 0 ? n : 1;
}

SDL_Rect ui_list_row_rect(const SDL_Rect *area, int i)
{
    SDL_Rect r = { area->x, area->y + i * (UI_LIST_ROW_H + UI_LIST_GAP), area->w, UI_LIST_ROW_H };
    return r;
}

static void draw_row(struct ui *ui, const SDL_Rect *r, const struct ui_list_row *row, int focused)
{
    SDL_Color title_fg, soft_fg, tag_bg, tag_fg;
    if (focused) {
        ui_draw_focus_ring(ui, r);
        ui_fill_round(ui, r, THEME_RADIUS, theme_color(COL_FOCUS));
        title_fg = theme_color(COL_FOCUS_TEXT);
        soft_fg = theme_color(COL_FOCUS_TEXT_SOFT);
        tag_bg = theme_color(COL_BADGE_FOCUS);
        tag_fg = theme_color(COL_BADGE_FOCUS_TEXT);
    } else {
        ui_fill_round(ui, r, THEME_RADIUS, theme_color(COL_TILE_EDGE));
        SDL_Rect inner = { r->x + 3, r->y + 3, r->w - 6, r->h - 6 };
        ui_fill_round(ui, &inner, THEME_RADIUS - 3, theme_color(COL_TILE));
        title_fg = theme_color(COL_TILE_TEXT);
        soft_fg = theme_color(COL_TILE_TEXT_SOFT);
        tag_bg = theme_color(COL_BADGE);
        tag_fg = theme_color(COL_BADGE_TEXT);
    }
    int x = r->x + PAD_X;
    if (focused) {
        /* A mark as well as the colour: focus must not depend on colour alone. */
        const char *mark = ui->arrows_ok ? "▶" : ">";
        SDL_Rect mbox = { x - 8, r->y, MARK_W, r->h };
        ui_text_in(ui, mark, &mbox, THEME_PX_COUNT, FONT_BOLD, title_fg, UI_LEFT);
    }
    x += MARK_W;
    int right = r->x + r->w - PAD_X;
    if (row->tag && row->tag[0]) {
        int tw = ui_text_width(ui, row->tag, THEME_PX_SMALL, FONT_BOLD) + 2 * TAG_PAD;
        SDL_Rect tag = { right - tw, r->y + (r->h - TAG_H) / 2, tw, TAG_H };
        ui_fill_round(ui, &tag, TAG_H / 2, tag_bg);
        ui_text_in(ui, row->tag, &tag, THEME_PX_SMALL, FONT_BOLD, tag_fg, UI_CENTER);
        right = tag.x - 32;
    }
    int text_h = TITLE_H + (row->meta ? META_H : 0);
    int y = r->y + (r->h - text_h) / 2;
    SDL_Rect title = { x, y, right - x, TITLE_H };
    ui_text_in(ui, row->title ? row->title : "", &title, THEME_PX_TITLE, FONT_BOLD, title_fg,
               UI_LEFT);
    if (row->meta) {
        SDL_Rect meta = { x, y + TITLE_H, right - x, META_H };
        ui_text_in(ui, row->meta, &meta, THEME_PX_SMALL, FONT_REGULAR, soft_fg, UI_LEFT);
    }
}

void ui_list_draw(struct ui *ui, const SDL_Rect *area, const struct ui_list_row *rows, int n,
                  int focused)
{
    for (int i = 0; i < n; i++) {
        if (i == focused)
            continue;
        SDL_Rect r = ui_list_row_rect(area, i);
        draw_row(ui, &r, &rows[i], 0);
    }
    if (focused >= 0 && focused < n) {
        SDL_Rect r = ui_list_row_rect(area, focused);
        draw_row(ui, &r, &rows[focused], 1);
    }
}

void ui_draw_page_indicator(struct ui *ui, int page, int pages)
{
    char text[64];
    snprintf(text, sizeof(text), "第 %d/%d 页", page, pages > 0 ? pages : 1);
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect box = { safe.x + safe.w / 2, THEME_HEADER_Y, safe.w / 2, THEME_HEADER_H };
    ui_text_in(ui, text, &box, THEME_PX_COUNT, FONT_BOLD, theme_color(COL_TEXT_SOFT), UI_RIGHT);
}

enum ui_list_move ui_list_nav(enum action a, int *focus, int n, int page, int pages)
{
    int f = *focus;
    switch (a) {
    case ACTION_UP:
        if (f > 0) {
            *focus = f - 1;
            return UI_LIST_MOVED;
        }
        if (page > 1) {
            *focus = -1;
            return UI_LIST_PREV_PAGE;
        }
        return UI_LIST_STAY;
    case ACTION_DOWN:
        if (f + 1 < n) {
            *focus = f + 1;
            return UI_LIST_MOVED;
        }
        if (page < pages) {
            *focus = 0;
            return UI_LIST_NEXT_PAGE;
        }
        return UI_LIST_STAY;
    case ACTION_LEFT:
        if (page > 1) {
            *focus = 0;
            return UI_LIST_PREV_PAGE;
        }
        if (f != 0 && n > 0) {
            *focus = 0;
            return UI_LIST_MOVED;
        }
        return UI_LIST_STAY;
    case ACTION_RIGHT:
        if (page < pages) {
            *focus = 0;
            return UI_LIST_NEXT_PAGE;
        }
        if (n > 0 && f != n - 1) {
            *focus = n - 1;
            return UI_LIST_MOVED;
        }
        return UI_LIST_STAY;
    default:
        return UI_LIST_IGNORED;
    }
}
