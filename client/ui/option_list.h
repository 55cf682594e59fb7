/* An option list: single choice among a few options, one per row (UP/DOWN, OK or the digit
 * chooses; the chosen one shows ●), or a 1–5 star rating in one row (LEFT/RIGHT or the digit
 * 1–5; the stars up to the focused one are lit ★, the rest ☆, and "3 星" says it in words).
 * Rules on plain rectangles (ui_option_rect, ui_option_list_action); drawing records the
 * widget in the UI dump: role "option_list" or "stars", state "focus=<i> chosen=<i>". */
#ifndef DJTV_OPTION_LIST_H
#define DJTV_OPTION_LIST_H

#include "input/action.h"
#include "ui/ui.h"

enum { UI_OPTIONS_MAX = 9, UI_STARS_MAX = 5 };

struct ui_option_list {
    const char *options[UI_OPTIONS_MAX]; /* borrowed; unused for stars */
    int n;         /* options, or stars (1..5) */
    int focus;
    int chosen;    /* -1 = none yet */
    int stars;     /* a star rating instead of rows */
    SDL_Rect area;
};

void ui_option_list_init(struct ui_option_list *l, const char *const *options, int n,
                         SDL_Rect area);
/* A rating of 1..n stars (n <= 5), none chosen. */
void ui_stars_init(struct ui_option_list *l, int n, SDL_Rect area);
SDL_Rect ui_option_rect(const struct ui_option_list *l, int i);
/* Moves (*handled = 1) or chooses: returns the chosen index (stars: index 0 = 1 star), or -1.
 * An arrow past the ends is not handled, so the screen can move on. */
int ui_option_list_action(struct ui_option_list *l, enum action a, int *handled);
void ui_option_list_draw(struct ui *ui, const struct ui_option_list *l, int has_focus,
                         const char *name);

#endif
