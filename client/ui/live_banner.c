#include "ui/live_banner.h"

#include <stdio.h>
#include <string.h>

#include "ui/button.h"
#include "ui/theme.h"

void live_banner_init(struct live_banner *lb)
{
    memset(lb, 0, sizeof(*lb));
}

void live_banner_set(struct live_banner *lb, const char *title, const char *scope, int count)
{
    lb->count = count > 0 ? count : 0;
    snprintf(lb->title, sizeof(lb->title), "%s", count > 0 && title ? title : "");
    snprintf(lb->scope, sizeof(lb->scope), "%s", count > 0 && scope ? scope : "");
}

int live_banner_visible(const struct live_banner *lb)
{
    return lb->count > 0;
}

void live_banner_draw(const struct live_banner *lb, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect band = { safe.x, THEME_LIVE_Y, safe.w, THEME_LIVE_H };
    if (lb->focused)
        ui_draw_focus_ring(ui, &band);
    ui_fill_round(ui, &band, THEME_RADIUS, theme_color(COL_LIVE_BG));

    const char *pill_text = "正在直播";
    int pw = ui_text_width(ui, pill_text, THEME_PX_SMALL, FONT_BOLD) + 48;
    SDL_Rect pill = { band.x + 20, band.y + 16, pw, band.h - 32 };
    ui_fill_round(ui, &pill, (band.h - 32) / 2, theme_color(COL_LIVE_PILL));
    ui_text_in(ui, pill_text, &pill, THEME_PX_SMALL, FONT_BOLD, theme_color(COL_LIVE_PILL_TEXT),
               UI_CENTER);

    char line[400];
    if (lb->scope[0])
        snprintf(line, sizeof(line), "%s（%s）", lb->title, lb->scope);
    else
        snprintf(line, sizeof(line), "%s", lb->title);
    int x = pill.x + pill.w + 28;
    int right = band.x + band.w - 28;
    if (lb->focused) {
        /* What OK does, always in full at the right. */
        const char *join = "按 确认 观看";
        int jw = ui_text_width(ui, join, THEME_PX_SMALL, FONT_BOLD) + 48;
        SDL_Rect jp = { right - jw, band.y + 16, jw, band.h - 32 };
        ui_fill_round(ui, &jp, (band.h - 32) / 2, theme_color(COL_LIVE_PILL));
        ui_text_in(ui, join, &jp, THEME_PX_SMALL, FONT_BOLD, theme_color(COL_LIVE_PILL_TEXT),
                   UI_CENTER);
        right -= jw + 24;
    }
    if (lb->count > 1) {
        /* "等 N 场" always shows in full; only the title gives way. */
        char more[64];
        snprintf(more, sizeof(more), "等 %d 场", lb->count);
        int mw = ui_text_width(ui, more, THEME_PX_BODY, FONT_BOLD);
        SDL_Rect mbox = { right - mw, band.y, mw, band.h };
        ui_text_in(ui, more, &mbox, THEME_PX_BODY, FONT_BOLD, theme_color(COL_LIVE_TEXT),
                   UI_RIGHT);
        right -= mw + 24;
    }
    SDL_Rect text = { x, band.y, right - x, band.h };
    ui_text_in(ui, line, &text, THEME_PX_BODY, FONT_BOLD, theme_color(COL_LIVE_TEXT), UI_LEFT);
}
