/* Screenshots: read back what the renderer's current target holds and write a PNG. */
#ifndef DJTV_SHOT_H
#define DJTV_SHOT_H

#include <SDL.h>

/* Reads w x h pixels from the current render target. Returns 0 or -EIO (logged). */
int shot_save_png(SDL_Renderer *r, int w, int h, const char *path);

#endif
