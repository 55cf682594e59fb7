#define LOG_TAG "shot"
#include "ui/shot.h"

#include <SDL_image.h>
#include <errno.h>

#include "log.h"

int shot_save_png(SDL_Renderer *r, int w, int h, const char *path)
{
    int rc = -EIO;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        log_error("screenshot %s: %s", path, SDL_GetError());
        return -ENOMEM;
    }
    if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) < 0) {
        log_error("screenshot %s: read pixels: %s", path, SDL_GetError());
        goto fail;
    }
    /* The canvas is opaque; make sure the PNG is too, whatever the readback left in alpha. */
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
    for (int y = 0; y < h; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < w; x++)
            row[x] |= 0xff000000u;
    }
    if (IMG_SavePNG(s, path) < 0) {
        log_error("screenshot %s: %s", path, IMG_GetError());
        goto fail;
    }
    rc = 0;
fail:
    SDL_FreeSurface(s);
    return rc;
}
