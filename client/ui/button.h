/* Buttons: one painter for every focusable box with a label (buttons, options, keypad keys)
 * and the button row. Focused: gold fill, dark text, a thick white ring — never colour
 * alone; a number badge says which digit key chooses it.
 *
 * The row is data + rules + drawing: ui_button_row_rect() and ui_button_row_action() work on
 * plain rectangles (tested without a window); ui_button_row_draw() paints and records the
 * widget in the UI dump (role "button_row", state "focus=<i>"). */
#ifndef DJTV_BUTTON_H
#define DJTV_BUTTON_H

#include "input/action.h"
#include "ui/ui.h"

/* The focus ring: thick, white, round-cornered, just outside r; drawn before r's fill. */
void ui_draw_focus_ring(struct ui *ui, const SDL_Rect *r);
/* A focusable box: the ring and the gold fill when focused, else the tile fill. */
void ui_draw_focus_box(struct ui *ui, const SDL_Rect *r, int focused);

/* One box: label centred (cut with … if too wide), badge > 0 drawn at its left, selected
 * adds a ● (an option that is chosen). Text size px (>= 40). */
void ui_draw_button(struct ui *ui, const SDL_Rect *r, const char *label, int badge, int focused,
                    int selected, int px);

enum { UI_BUTTONS_MAX = 8 };

struct ui_button_row {
    const char *labels[UI_BUTTONS_MAX]; /* borrowed */
    int n;
    int focus;       /* the focused button */
    int numbered;    /* digits 1..n choose; badges show them */
    SDL_Rect area;   /* the row's box; buttons share it with LAYOUT_GAP between them */
};

/* n buttons from labels, focus on the first, laid out in area. */
void ui_button_row_init(struct ui_button_row *b, const char *const *labels, int n, SDL_Rect area,
                        int numbered);
SDL_Rect ui_button_row_rect(const struct ui_button_row *b, int i);
/* LEFT/RIGHT move (*handled = 1; not at the ends, so the screen can take the edge), OK and
 * the digits choose: returns the chosen index, else -1. */
int ui_button_row_action(struct ui_button_row *b, enum action a, int *handled);
/* has_focus 0 draws no focus (another part of the screen has it). name: for the dump. */
void ui_button_row_draw(struct ui *ui, const struct ui_button_row *b, int has_focus,
                        const char *name);

#endif
