/* A poster / photo grid: cells of `cols` columns with a picture on top and a caption under
 * it (the pioneers' photos, course posters). Arrows move by geometry (ui/focus), OK chooses.
 * Pictures are optional textures (borrowed; NULL draws a plain card). Rules on plain
 * rectangles; drawing records role "poster_grid", state "focus=<i> n=<n>". */
#ifndef DJTV_POSTER_GRID_H
#define DJTV_POSTER_GRID_H

#include "input/action.h"
#include "ui/ui.h"

enum { UI_POSTERS_MAX = 24 };

struct ui_poster_grid {
    int n, cols, rows;
    int focus;
    SDL_Rect area;
};

void ui_poster_grid_init(struct ui_poster_grid *g, int n, int cols, SDL_Rect area);
SDL_Rect ui_poster_rect(const struct ui_poster_grid *g, int i);
/* The picture's part of cell i (above the caption): where a screen draws a photo itself. */
SDL_Rect ui_poster_picture_rect(const struct ui_poster_grid *g, int i);
/* Arrows move (*handled = 1; nothing that way is the screen's edge), OK returns the focused
 * index, else -1. */
int ui_poster_grid_action(struct ui_poster_grid *g, enum action a, int *handled);
/* captions[i] under each picture; pictures may be NULL or hold NULLs. */
void ui_poster_grid_draw(struct ui *ui, const struct ui_poster_grid *g,
                         const char *const *captions, SDL_Texture *const *pictures,
                         int has_focus, const char *name);

#endif
