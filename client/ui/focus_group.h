/* A focus container on top of ui/focus: its items (plain rectangles), the focused one, the
 * one it remembers while focus is elsewhere, and its wrap rules. A screen with a grid and a
 * button row keeps one group each; an arrow that finds nothing in a group without wrap is
 * an edge, and the screen moves focus to the next group (focus_group_leave / _enter), which
 * comes back to the item it had.
 *
 * Rebuild the items whenever the layout changes (focus_group_begin, _add…, _end): the focus
 * stays on the item nearest to where it was. */
#ifndef DJTV_FOCUS_GROUP_H
#define DJTV_FOCUS_GROUP_H

#include <SDL.h>

#include "input/action.h"
#include "ui/focus.h"

enum { FOCUS_GROUP_MAX = 64 };

enum focus_wrap {
    FOCUS_WRAP_NONE = 0,
    FOCUS_WRAP_H = 1, /* LEFT at a row's first item goes to its last, RIGHT the other way */
    FOCUS_WRAP_V = 2, /* UP at a column's top goes to its bottom, DOWN the other way */
};

enum focus_result {
    FOCUS_IGNORED, /* not an arrow */
    FOCUS_MOVED,   /* the focus changed */
    FOCUS_EDGE,    /* an arrow with nothing that way: *edge says which */
};

struct focus_group {
    struct focus_item items[FOCUS_GROUP_MAX];
    int n;
    int focus;          /* the focused item, remembered while the group is not active;
                         * FOCUS_NONE when it has no focusable item */
    int active;         /* the group has the focus (shows it, takes arrows) */
    unsigned wrap;      /* enum focus_wrap bits */
    SDL_Rect last_rect; /* where the focus was at focus_group_begin(); w 0 = nowhere */
};

/* Empty, with the focus (on its first item once it has items). */
void focus_group_init(struct focus_group *g, unsigned wrap);
/* Rebuild: forget the items (remembering where the focus was). */
void focus_group_begin(struct focus_group *g);
/* A focusable item; returns its index, or -1 when the group is full. */
int focus_group_add(struct focus_group *g, SDL_Rect r);
/* Done adding: the focus goes to the item nearest to where it was (the first if new). */
void focus_group_end(struct focus_group *g);
/* UP/DOWN/LEFT/RIGHT move the focus (geometry, links, wrap). */
enum focus_result focus_group_action(struct focus_group *g, enum action a, enum focus_dir *edge);
/* Focus item i (ignored when out of range or not focusable). */
void focus_group_set(struct focus_group *g, int i);
/* The focused item, or FOCUS_NONE. */
int focus_group_current(const struct focus_group *g);
/* Give the focus away: the group remembers its item and shows no focus. */
void focus_group_leave(struct focus_group *g);
/* Take the focus back: the remembered item (the first if none). */
void focus_group_enter(struct focus_group *g);
/* The rectangle of item i (an empty rect when out of range). */
SDL_Rect focus_group_rect(const struct focus_group *g, int i);

#endif
