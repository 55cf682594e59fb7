/* Shared setup for the tests that draw with the shipped font (test_text.c, test_wrap.c,
 * test_fallback.c, test_widgets.c): the font file, SDL_ttf, and SDL's software renderer on a
 * small surface (no window, no video driver); a ui on it; and the check that a list of strings
 * has every glyph. Header-only because each
 * test is a single .c file. */
#ifndef DJTV_TEST_FONT_RIG_H
#define DJTV_TEST_FONT_RIG_H

#include "ui/font.h"
#include "ui/ui.h"
#include "../check.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct font_rig {
    char font_path[1024];
    SDL_Surface *target;    /* owned: what the renderer draws on */
    SDL_Renderer *renderer; /* owned */
};

static inline void font_rig_close(struct font_rig *rig)
{
    if (rig->renderer)
        SDL_DestroyRenderer(rig->renderer);
    SDL_FreeSurface(rig->target);
    TTF_Quit();
    SDL_Quit();
    memset(rig, 0, sizeof(*rig));
}

/* Finds fonts/NotoSansSC-DJTV.otf under $DJTV_TOP (default "."). Returns 0, or prints the
 * setup failure for tests/run.py and returns -1. */
static inline int font_rig_open(struct font_rig *rig)
{
    const char *top = getenv("DJTV_TOP");
    memset(rig, 0, sizeof(*rig));
    snprintf(rig->font_path, sizeof(rig->font_path), "%s/fonts/NotoSansSC-DJTV.otf",
             top ? top : ".");
    if (access(rig->font_path, R_OK) != 0) {
        printf("not ok - setup: font %s not found\n", rig->font_path);
        return -1;
    }
    if (TTF_Init() < 0) {
        printf("not ok - setup: TTF_Init: %s\n", TTF_GetError());
        return -1;
    }
    rig->target = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
    rig->renderer = rig->target ? SDL_CreateSoftwareRenderer(rig->target) : NULL;
    if (!rig->renderer) {
        printf("not ok - setup: software renderer: %s\n", SDL_GetError());
        font_rig_close(rig);
        return -1;
    }
    return 0;
}

/* A ui on the rig's renderer with the shipped font; NULL after printing the setup failure
 * and closing the rig. */
static inline struct ui *font_rig_ui(struct font_rig *rig)
{
    char err[256] = "";
    struct ui *ui = ui_create(rig->renderer, rig->font_path, -1, err, sizeof(err));
    if (!ui) {
        printf("not ok - setup: %s\n", err);
        font_rig_close(rig);
    }
    return ui;
}

/* A missing glyph would draw as blank space without any error: check each string. */
static inline void font_rig_check_glyphs(struct fonts *f, const char *const *texts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!fonts_has_glyphs(f, texts[i]))
            printf("# missing a glyph in \"%s\"\n", texts[i]);
        CHECK(fonts_has_glyphs(f, texts[i]));
    }
}

#endif
