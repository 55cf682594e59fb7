#define LOG_TAG "video"
#include "app/video.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ui/shot.h"
#include "ui/theme.h"

void video_prepare_env(const struct app_config *cfg)
{
    if (cfg->headless) {
        /* overwrite = 0: an explicit choice in the environment wins. The software renderer
         * starts in ~0.1 s (GL/EGL on llvmpipe takes ~0.5 s) and its pixels are
         * deterministic. */
        setenv("SDL_VIDEODRIVER", "offscreen", 0);
        setenv("SDL_RENDER_DRIVER", "software", 0);
    }
    /* With the software renderer SDL would otherwise create a GL context (loading
     * Mesa/llvmpipe) only to decide how to back the window surface it draws into: +0.2 s,
     * +100 MB, and leaks inside Mesa. The pixels are identical either way. */
    const char *rd = getenv("SDL_RENDER_DRIVER");
    if (rd && strcmp(rd, "software") == 0)
        setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 0);
}

static int make_canvas(struct video *v)
{
    if (!v->want_canvas) {
        v->canvas = NULL;
        return 0;
    }
    if (!SDL_RenderTargetSupported(v->r)) {
        log_warn("renderer cannot draw to textures; drawing to the window directly");
        v->canvas = NULL;
        return 0;
    }
    v->canvas = SDL_CreateTexture(v->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                  THEME_W, THEME_H);
    if (!v->canvas) {
        log_warn("cannot create the canvas (%s); drawing to the window directly",
                 SDL_GetError());
    }
    return 0;
}

int video_open(struct video *v, const struct app_config *cfg, char *err, size_t errlen)
{
    memset(v, 0, sizeof(*v));
    Uint32 flags;
    int w, h;
    if (cfg->headless) {
        flags = SDL_WINDOW_HIDDEN;
        w = THEME_W, h = THEME_H;
    } else if (cfg->fullscreen) {
        flags = SDL_WINDOW_FULLSCREEN_DESKTOP;
        w = THEME_W, h = THEME_H;
    } else {
        flags = SDL_WINDOW_RESIZABLE;
        w = 1280, h = 720;
    }
    Uint64 t0 = SDL_GetPerformanceCounter();
    v->win = SDL_CreateWindow("DJTV", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!v->win) {
        snprintf(err, errlen, "cannot create the window (video driver %s): %s",
                 SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "none",
                 SDL_GetError());
        goto fail;
    }
    Uint32 rflags = SDL_RENDERER_TARGETTEXTURE | (cfg->headless ? 0 : SDL_RENDERER_PRESENTVSYNC);
    v->r = SDL_CreateRenderer(v->win, -1, rflags);
    if (!v->r)
        v->r = SDL_CreateRenderer(v->win, -1, 0);
    if (!v->r) {
        snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
        goto fail;
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(v->r, &info) == 0)
        log_info("video driver %s, renderer %s (%.0f ms)", SDL_GetCurrentVideoDriver(), info.name,
                 (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                     (double)SDL_GetPerformanceFrequency());
    /* Letterbox the 16:9 canvas into whatever the window or screen is. */
    SDL_RenderSetLogicalSize(v->r, THEME_W, THEME_H);
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    /* The canvas costs every frame a full 1920x1080 pass (video: YUV->RGB at 1920x1080, then a
     * second scaled copy to the window); only screenshots need it, which are written only
     * with --screenshot-dir. Otherwise draw straight to the window under the logical size:
     * same coordinates, one pass (measured: 2.4x ffplay's CPU at 720p with the canvas). */
    v->want_canvas = cfg->screenshot_dir[0] != '\0';
    make_canvas(v);
    log_info("drawing %s", v->canvas ? "into the 1920x1080 canvas" : "straight to the window");
    if (cfg->fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    return 0;
fail:
    video_close(v);
    return -1;
}

void video_close(struct video *v)
{
    if (v->canvas)
        SDL_DestroyTexture(v->canvas);
    if (v->r)
        SDL_DestroyRenderer(v->r);
    if (v->win)
        SDL_DestroyWindow(v->win);
    memset(v, 0, sizeof(*v));
}

void video_begin(struct video *v)
{
    if (v->canvas)
        SDL_SetRenderTarget(v->r, v->canvas);
}

int video_screenshot(struct video *v, const char *path)
{
    int w = THEME_W, h = THEME_H;
    if (!v->canvas) {
        SDL_GetRendererOutputSize(v->r, &w, &h);
        return shot_save_png(v->r, w, h, path);
    }
    /* Read the canvas, never the window: it keeps the last frame between presents. */
    SDL_Texture *was = SDL_GetRenderTarget(v->r);
    SDL_SetRenderTarget(v->r, v->canvas);
    int rc = shot_save_png(v->r, w, h, path);
    SDL_SetRenderTarget(v->r, was);
    return rc;
}

void video_present(struct video *v)
{
    if (v->canvas) {
        SDL_SetRenderTarget(v->r, NULL);
        SDL_SetRenderDrawColor(v->r, 0, 0, 0, 255);
        SDL_RenderClear(v->r);
        SDL_RenderCopy(v->r, v->canvas, NULL, NULL);
    }
    SDL_RenderPresent(v->r);
}

int video_reset(struct video *v)
{
    if (v->canvas)
        SDL_DestroyTexture(v->canvas);
    v->canvas = NULL;
    return make_canvas(v);
}
