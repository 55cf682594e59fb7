#include "ui/keypad.h"

#include <stdio.h>
#include <string.h>

#include "ui/button.h"
#include "ui/layout.h"
#include "ui/theme.h"

enum { DISPLAY_H = 150, COLS = 3, ROWS = 4 };

void ui_keypad_init(struct ui_keypad *k, const char *initial, int max_len, SDL_Rect area)
{
    memset(k, 0, sizeof(*k));
    k->max_len = max_len < 1 ? 1 : max_len > UI_KEYPAD_MAX_DIGITS ? UI_KEYPAD_MAX_DIGITS : max_len;
    for (const char *p = initial; p && *p && k->len < k->max_len; p++) {
        if (*p >= '0' && *p <= '9')
            k->digits[k->len++] = *p;
    }
    k->digits[k->len] = '\0';
    k->focus = k->len > 0 ? UI_KEYPAD_DONE : 0; /* a known number: OK keeps it */
    k->area = area;
}

SDL_Rect ui_keypad_display_rect(const struct ui_keypad *k)
{
    SDL_Rect r = { k->area.x, k->area.y, k->area.w, DISPLAY_H };
    return r;
}

SDL_Rect ui_keypad_key_rect(const struct ui_keypad *k, int key)
{
    SDL_Rect keys = layout_below(&k->area, k->area.y + DISPLAY_H + LAYOUT_GAP);
    return layout_grid_cell(&keys, COLS, ROWS, LAYOUT_ROW_GAP + 8, key);
}

const char *ui_keypad_key_label(int key)
{
    static const char *const labels[UI_KEYPAD_KEYS] = { "1", "2", "3", "4", "5", "6",
                                                        "7", "8", "9", "◀", "0", "确定" };
    return key >= 0 && key < UI_KEYPAD_KEYS ? labels[key] : "";
}

static enum ui_keypad_event type(struct ui_keypad *k, char c)
{
    if (k->len >= k->max_len)
        return UI_KEYPAD_MOVED; /* full: nothing to do, nothing lost */
    k->digits[k->len++] = c;
    k->digits[k->len] = '\0';
    return UI_KEYPAD_CHANGED;
}

static enum ui_keypad_event press(struct ui_keypad *k, int key)
{
    if (key == UI_KEYPAD_DONE)
        return UI_KEYPAD_FINISHED;
    if (key == UI_KEYPAD_DELETE) {
        if (k->len == 0)
            return UI_KEYPAD_MOVED;
        k->digits[--k->len] = '\0';
        return UI_KEYPAD_CHANGED;
    }
    return type(k, key == UI_KEYPAD_ZERO ? '0' : (char)('1' + key));
}

enum ui_keypad_event ui_keypad_action(struct ui_keypad *k, enum action a)
{
    int d = action_digit(a);
    if (d >= 0) {
        /* Typed on the remote: OK next confirms, as it would anywhere else. */
        k->focus = UI_KEYPAD_DONE;
        return type(k, (char)('0' + d));
    }
    int col = k->focus % COLS, row = k->focus / COLS;
    switch (a) {
    case ACTION_UP:
        row = row > 0 ? row - 1 : row;
        break;
    case ACTION_DOWN:
        row = row < ROWS - 1 ? row + 1 : row;
        break;
    case ACTION_LEFT:
        col = col > 0 ? col - 1 : col;
        break;
    case ACTION_RIGHT:
        col = col < COLS - 1 ? col + 1 : col;
        break;
    case ACTION_OK:
        return press(k, k->focus);
    case ACTION_BACK:
        return UI_KEYPAD_CANCELLED;
    default:
        return UI_KEYPAD_IGNORED;
    }
    k->focus = row * COLS + col;
    return UI_KEYPAD_MOVED;
}

void ui_keypad_draw(struct ui *ui, const struct ui_keypad *k, const char *placeholder,
                    const char *name)
{
    SDL_Rect disp = ui_keypad_display_rect(k);
    ui_fill_round(ui, &disp, THEME_RADIUS, theme_color(COL_PANEL));
    SDL_Rect text = layout_inset(&disp, 24);
    if (k->len > 0) {
        char shown[UI_KEYPAD_MAX_DIGITS * 3 + 8];
        if (k->secret) {
            size_t n = 0;
            for (int i = 0; i < k->len; i++, n += 3)
                memcpy(shown + n, "\xe2\x97\x8f", 3); /* ● */
            memcpy(shown + n, "_", 2);
        } else {
            snprintf(shown, sizeof(shown), "%s_", k->digits);
        }
        ui_text_in(ui, shown, &text, THEME_PX_BIG + 16, FONT_BOLD, theme_color(COL_PANEL_TEXT),
                   UI_CENTER);
    } else {
        ui_text_in(ui, placeholder ? placeholder : "请输入数字", &text, THEME_PX_TITLE,
                   FONT_REGULAR, theme_color(COL_PANEL_TEXT_SOFT), UI_CENTER);
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < UI_KEYPAD_KEYS; i++) {
            if ((i == k->focus) != pass)
                continue;
            SDL_Rect r = ui_keypad_key_rect(k, i);
            ui_draw_button(ui, &r, ui_keypad_key_label(i), 0, i == k->focus, 0, THEME_PX_TITLE);
        }
    }
    char state[96];
    char hidden[16];
    snprintf(hidden, sizeof(hidden), "(%d)", k->len);
    snprintf(state, sizeof(state), "digits=%s focus=%s", k->secret ? hidden : k->digits,
             ui_keypad_key_label(k->focus));
    widget_log_add(&ui->widgets, "keypad", name, &k->area, 1, state);
}
