/* Where things go on the 1920x1080 canvas, in one place: the bands every screen shares
 * (header, live banner, content, key hints: see theme.h), the message panel, dialogs of the
 * overlays, rows, grids and gaps. Screens and widgets take their rectangles from here rather
 * than from numbers of their own, so every screen lines up and every focus ring has room. */
#ifndef DJTV_LAYOUT_H
#define DJTV_LAYOUT_H

#include <SDL.h>

enum {
    LAYOUT_GAP = 40,          /* between tiles, buttons, cells */
    LAYOUT_PAD = 48,          /* inside panels and dialogs, left and right of text */
    LAYOUT_ROW_H = 140,       /* a list row: a title line and a meta line */
    LAYOUT_ROW_GAP = 16,
    LAYOUT_OPTION_H = 100,    /* one option of an option list, one text line */
    LAYOUT_BUTTON_H = 110,    /* a button of a button row */
    LAYOUT_BUTTON_MIN_W = 280,
    LAYOUT_PANEL_W = 1600,    /* the loading / empty / error panel */
    LAYOUT_PANEL_H = 480,
    LAYOUT_DIALOG_W = 1400,   /* an overlay's dialog: roll call, service, keypad */
    LAYOUT_DIALOG_H = 760,
};

/* The content band, inset so the focus ring of its items stays on the canvas. */
SDL_Rect layout_content(void);
/* The loading / empty / error panel, centred in the content band. */
SDL_Rect layout_message_panel(void);
/* A w x h box centred on the canvas, clamped to the safe area (w, h <= 0: the default
 * dialog size). */
SDL_Rect layout_dialog(int w, int h);
/* Cell i (row-major) of a cols x rows grid filling area with gaps of `gap`. */
SDL_Rect layout_grid_cell(const SDL_Rect *area, int cols, int rows, int gap, int i);
/* r with `by` px taken off every side. */
SDL_Rect layout_inset(const SDL_Rect *r, int by);
/* The part of r from y (absolute) down to its bottom; h 0 when y is past it. */
SDL_Rect layout_below(const SDL_Rect *r, int y);

#endif
