/* The numeric keypad: a large display of what was typed and twelve big keys — 1–9, ◀ (delete
 * the last digit), 0 and 确定. The remote's digit keys type straight in (and put the
 * focus on 确定, so OK then confirms); arrows + OK work the keys on screen. Rules on plain rectangles (ui_keypad_key_rect, ui_keypad_action); drawing
 * records the widget in the UI dump: role "keypad", state "digits=<typed> focus=<key>".
 * The modal overlay that owns one and answers whoever asked is screens/keypad_overlay. */
#ifndef DJTV_KEYPAD_H
#define DJTV_KEYPAD_H

#include "input/action.h"
#include "ui/ui.h"

enum {
    UI_KEYPAD_MAX_DIGITS = 20,
    UI_KEYPAD_KEYS = 12,
    UI_KEYPAD_DELETE = 9, /* key index of ◀ */
    UI_KEYPAD_ZERO = 10,
    UI_KEYPAD_DONE = 11,  /* 确定 */
};

struct ui_keypad {
    char digits[UI_KEYPAD_MAX_DIGITS + 1];
    int len;
    int max_len;   /* 1..UI_KEYPAD_MAX_DIGITS */
    int focus;     /* key index 0..11 */
    int secret;    /* a PIN: each digit shows as ●, and the dump says only how many */
    SDL_Rect area; /* display on top, the 4 x 3 keys below */
};

enum ui_keypad_event {
    UI_KEYPAD_IGNORED,  /* not a keypad key */
    UI_KEYPAD_MOVED,    /* the focus moved, or a key with nothing to do (full, empty) */
    UI_KEYPAD_CHANGED,  /* a digit typed or deleted */
    UI_KEYPAD_FINISHED, /* 确定 */
    UI_KEYPAD_CANCELLED /* BACK */
};

/* initial: digits already known (a remembered phone), may be NULL; non-digits are skipped. */
void ui_keypad_init(struct ui_keypad *k, const char *initial, int max_len, SDL_Rect area);
SDL_Rect ui_keypad_display_rect(const struct ui_keypad *k);
SDL_Rect ui_keypad_key_rect(const struct ui_keypad *k, int key);
/* "1".."9", "◀", "0", "确定" */
const char *ui_keypad_key_label(int key);
enum ui_keypad_event ui_keypad_action(struct ui_keypad *k, enum action a);
/* placeholder: shown greyed in the display when nothing is typed (e.g. "请输入手机号"). */
void ui_keypad_draw(struct ui *ui, const struct ui_keypad *k, const char *placeholder,
                    const char *name);

#endif
