#include "ui/option_list.h"

#include <stdio.h>
#include <string.h>

#include "ui/button.h"
#include "ui/layout.h"
#include "ui/theme.h"

void ui_option_list_init(struct ui_option_list *l, const char *const *options, int n,
                         SDL_Rect area)
{
    memset(l, 0, sizeof(*l));
    if (n > UI_OPTIONS_MAX)
        n = UI_OPTIONS_MAX;
    for (int i = 0; i < n; i++)
        l->options[i] = options[i];
    l->n = n > 0 ? n : 0;
    l->chosen = -1;
    l->area = area;
}

void ui_stars_init(struct ui_option_list *l, int n, SDL_Rect area)
{
    memset(l, 0, sizeof(*l));
    l->n = n < 1 ? 1 : n > UI_STARS_MAX ? UI_STARS_MAX : n;
    l->chosen = -1;
    l->stars = 1;
    l->area = area;
}

SDL_Rect ui_option_rect(const struct ui_option_list *l, int i)
{
    if (l->stars) {
        /* Square cells on the left; the words ("3 星") go to their right. */
        int cell = l->area.h < 140 ? l->area.h : 140;
        SDL_Rect r = { l->area.x + i * (cell + LAYOUT_ROW_GAP), l->area.y, cell, cell };
        return r;
    }
    SDL_Rect r = { l->area.x, l->area.y + i * (LAYOUT_OPTION_H + LAYOUT_ROW_GAP), l->area.w,
                   LAYOUT_OPTION_H };
    return r;
}

int ui_option_list_action(struct ui_option_list *l, enum action a, int *handled)
{
    *handled = 0;
    if (l->n == 0)
        return -1;
    enum action prev = l->stars ? ACTION_LEFT : ACTION_UP;
    enum action next = l->stars ? ACTION_RIGHT : ACTION_DOWN;
    if ((a == prev && l->focus > 0) || (a == next && l->focus < l->n - 1)) {
        l->focus += a == prev ? -1 : 1;
        *handled = 1;
        return -1;
    }
    int d = action_digit(a);
    if (d >= 1 && d <= l->n) {
        l->focus = d - 1;
        a = ACTION_OK;
    }
    if (a != ACTION_OK)
        return -1;
    *handled = 1;
    l->chosen = l->focus;
    return l->chosen;
}

static void draw_stars(struct ui *ui, const struct ui_option_list *l, int has_focus)
{
    int lit = has_focus ? l->focus : l->chosen; /* what OK would give, or what was given */
    for (int i = 0; i < l->n; i++) {
        SDL_Rect r = ui_option_rect(l, i);
        int focused = has_focus && i == l->focus;
        ui_draw_focus_box(ui, &r, focused);
        ui_text_in(ui, i <= lit ? "★" : "☆", &r, THEME_PX_BIG, FONT_BOLD,
                   theme_color(focused ? COL_FOCUS_TEXT : COL_TILE_TEXT), UI_CENTER);
    }
    SDL_Rect last = ui_option_rect(l, l->n - 1);
    int x = last.x + last.w + LAYOUT_GAP;
    char words[32];
    if (lit >= 0)
        snprintf(words, sizeof(words), "%d 星", lit + 1);
    else
        snprintf(words, sizeof(words), "请打分");
    SDL_Rect t = { x, l->area.y, l->area.x + l->area.w - x, last.h };
    if (t.w > 0)
        ui_text_in(ui, words, &t, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
}

void ui_option_list_draw(struct ui *ui, const struct ui_option_list *l, int has_focus,
                         const char *name)
{
    if (l->stars) {
        draw_stars(ui, l, has_focus);
    } else {
        for (int i = 0; i < l->n; i++) {
            SDL_Rect r = ui_option_rect(l, i);
            ui_draw_button(ui, &r, l->options[i], i + 1, has_focus && i == l->focus,
                           i == l->chosen, THEME_PX_BODY);
        }
    }
    char state[64];
    snprintf(state, sizeof(state), "focus=%d chosen=%d n=%d", l->focus, l->chosen, l->n);
    widget_log_add(&ui->widgets, l->stars ? "stars" : "option_list", name, &l->area, has_focus,
                   state);
}
