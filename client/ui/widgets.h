/* Widgets shared by screens: tiles, the key-hint bar at the bottom of every screen, and
 * message panels (loading, errors, "coming soon"). */
#ifndef DJTV_WIDGETS_H
#define DJTV_WIDGETS_H

#include "ui/ui.h"

struct ui_tile {
    SDL_Rect rect;
    const char *title; /* borrowed, big */
    const char *count; /* borrowed, e.g. "14 条"; may be NULL */
    const char *desc;  /* borrowed, one plain line; may be NULL */
    int badge;         /* number shown in the corner (digit shortcut), 0 = none */
};

/* Focused: gold fill, dark text, a thick white ring, a shadow and 6 % larger, so focus never
 * depends on colour alone and is seen from across a room. */
void ui_draw_tile(struct ui *ui, const struct ui_tile *t, int focused);

/* One hint: a key drawn as a key cap, then what it does. Key UI_KEY_ARROWS stands for the
 * four arrows (◀▶▲▼ when the font has them, else ←→↑↓). */
struct ui_hint {
    const char *key;
    const char *label;
};
#define UI_KEY_ARROWS "\x01"
void ui_draw_hint_bar(struct ui *ui, const struct ui_hint *hints, int n);

/* A light panel with a title and up to two lines, centred in r. Lines may be NULL. */
void ui_draw_panel(struct ui *ui, const SDL_Rect *r, const char *title, const char *line1,
                   const char *line2);

/* The screen title at the left of the header band. */
void ui_draw_header_title(struct ui *ui, const char *title);

#endif
