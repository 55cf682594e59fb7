/* Window, renderer and the 1920x1080 canvas.
 *
 * Layout code only knows 1920x1080: SDL_RenderSetLogicalSize letterboxes it into any window.
 * With --screenshot-dir every frame is drawn into a 1920x1080 target texture (the canvas),
 * then scaled onto the window, so a screenshot reads the canvas itself: always exactly
 * 1920x1080, whatever the window size. Otherwise (or if the renderer cannot render to
 * textures) frames go straight to the window under the logical size: one pass instead of
 * two, which is what keeps video playback cheap. */
#ifndef DJTV_VIDEO_H
#define DJTV_VIDEO_H

#include <SDL.h>
#include <stddef.h>

#include "app/config.h"

struct video {
    SDL_Window *win;     /* owned */
    SDL_Renderer *r;     /* owned */
    SDL_Texture *canvas; /* owned; NULL when drawing straight to the window */
    int want_canvas;     /* screenshots are written: draw into the canvas */
};

/* Before SDL_Init: headless picks the offscreen video driver and the software renderer
 * unless SDL_VIDEODRIVER / SDL_RENDER_DRIVER are already set; the software renderer skips
 * SDL's GL probe for the window surface. */
void video_prepare_env(const struct app_config *cfg);
int video_open(struct video *v, const struct app_config *cfg, char *err, size_t errlen);
void video_close(struct video *v);
/* Point rendering at the canvas (if any). */
void video_begin(struct video *v);
/* Write what the canvas holds (the last frame drawn) as a 1920x1080 PNG. */
int video_screenshot(struct video *v, const char *path);
/* Scale the canvas (if any) onto the window and show it. */
void video_present(struct video *v);
/* The renderer lost its textures: make a new canvas (if one is wanted). */
int video_reset(struct video *v);

#endif
