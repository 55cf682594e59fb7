/* Rendered text as textures, keyed by (string, px, style, colour), so a frame never
 * rasterises text that has not changed. Least-recently-used entries are dropped once the
 * textures' total size passes a byte cap. */
#ifndef DJTV_TEXTCACHE_H
#define DJTV_TEXTCACHE_H

#include <SDL.h>
#include <stddef.h>

#include "ui/font.h"

struct text_cache;

struct text_tex {
    SDL_Texture *tex; /* borrowed from the cache; valid until the next text_cache_get();
                         NULL for an empty string */
    int w, h;
    int missing; /* characters no face has, drawn as placeholders */
};

struct text_cache_stats {
    unsigned long hits;
    unsigned long misses;
    unsigned long evictions;
    size_t bytes; /* 4 bytes per texture pixel */
    int entries;
    double raster_ms; /* time in fonts_render (wall) */
    double upload_ms; /* time turning surfaces into textures */
};

/* r and f are borrowed. byte_cap 0 = 64 MiB. */
struct text_cache *text_cache_create(SDL_Renderer *r, struct fonts *f, size_t byte_cap);
void text_cache_destroy(struct text_cache *tc);
int text_cache_get(struct text_cache *tc, const char *s, int px, enum font_style style,
                   SDL_Color fg, struct text_tex *out);
void text_cache_stats(const struct text_cache *tc, struct text_cache_stats *st);
/* Drop every texture (e.g. when the renderer lost its textures). */
void text_cache_clear(struct text_cache *tc);

#endif
