/* D-pad focus on plain rectangles (LVGL/Kodi style): pressing a direction moves to the
 * nearest focusable item whose centre lies in that half-plane, by centre distance; LEFT and
 * RIGHT only consider items that overlap the current one vertically (so a row never jumps
 * to another row). Explicit links override geometry. At an edge the answer is FOCUS_NONE. */
#ifndef DJTV_FOCUS_H
#define DJTV_FOCUS_H

#include <SDL.h>

#include "input/action.h"

enum focus_dir { FOCUS_UP, FOCUS_DOWN, FOCUS_LEFT, FOCUS_RIGHT, FOCUS_DIRS };

enum {
    FOCUS_NONE = -1,       /* no item / nothing that way */
    FOCUS_LINK_AUTO = -1,  /* link: use geometry */
    FOCUS_LINK_BLOCK = -2, /* link: nothing that way, even if geometry finds something */
};

struct focus_item {
    SDL_Rect r;
    int focusable;
    int link[FOCUS_DIRS]; /* item index, FOCUS_LINK_AUTO or FOCUS_LINK_BLOCK */
};

/* Focusable, all links automatic. */
void focus_item_init(struct focus_item *it, int x, int y, int w, int h);

/* The item to focus after pressing dir on item `current`, or FOCUS_NONE. A current of
 * FOCUS_NONE (nothing focused yet) gives the first focusable item. */
int focus_move(const struct focus_item *items, int n, int current, enum focus_dir dir);

/* After items changed (one removed, list reloaded): the focusable item nearest to where
 * focus was (old rect's centre), or FOCUS_NONE when none is focusable. */
int focus_refocus(const struct focus_item *items, int n, const SDL_Rect *old);

/* UP/DOWN/LEFT/RIGHT → direction; 0 for other actions. */
int focus_dir_from_action(enum action a, enum focus_dir *dir);

#endif
