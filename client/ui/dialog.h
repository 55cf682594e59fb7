/* A dialog panel drawn over any screen (the roll-call prompt, the service form): a dark veil
 * over what is under it, a light panel with a big title, lines of body text and rows of
 * big buttons (the kit's button row widget, ui/button.h), the focused one gold with a
 * ring. Pure drawing; the overlay that owns it decides what the keys do. */
#ifndef DJTV_DIALOG_H
#define DJTV_DIALOG_H

#include "ui/ui.h"

enum { DIALOG_LINES_MAX = 8, DIALOG_BUTTONS_MAX = 8 };

struct dialog {
    const char *title;                      /* borrowed, 56 px */
    const char *lines[DIALOG_LINES_MAX];    /* borrowed, 44 px; NULL ends the list */
    int strong[DIALOG_LINES_MAX];           /* 1: this line in bold, full contrast */
    const char *buttons[DIALOG_BUTTONS_MAX]; /* borrowed; NULL ends the list */
    int focus;                              /* focused button, -1 = none */
    int columns;                            /* buttons per row; 0 = all in one row */
    const char *hint;                       /* borrowed: the key-hint line at the bottom */
    const char *name;                       /* the buttons' name in the UI dump; NULL =
                                             * "dialog.buttons" */
};

/* Draw d in the middle of the canvas, sized to its content. */
void dialog_draw(struct ui *ui, const struct dialog *d);

#endif
