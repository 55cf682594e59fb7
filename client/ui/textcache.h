/* Rendered text as textures, keyed by (string, px, style, colour), so a frame never
 * rasterises text that has not changed. Least-recently-used entries are dropped once the
 * textures' total size passes a byte cap.
 *
 * With a worker (text_cache_start_worker) and while the caller allows holding a frame
 * (text_cache_hold), a miss the shipped font covers is handed to ui/text_raster.h instead of
 * rasterised on the spot: the entry is pending (no texture, its size measured), and the
 * caller keeps its last frame on screen until text_cache_collect() has filled every pending
 * entry, then draws again. Rendering a new string costs ~0.3 ms of CPU at 40-56 px, so a
 * screen's first paint of 10-30 strings took 10-25 ms of the UI thread; the upload is a copy. */
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
    int pending; /* on the worker: tex is NULL, w and h are the measured size */
};

struct text_cache_stats {
    unsigned long hits;
    unsigned long misses;
    unsigned long evictions;
    size_t bytes; /* 4 bytes per texture pixel */
    int entries;
    double raster_ms; /* time in fonts_render on the caller's thread (wall) */
    double upload_ms; /* time turning surfaces into textures */
    int pending;      /* entries waiting for the worker */
    unsigned long handed; /* strings handed to the worker */
    double worker_ms; /* the worker's CPU time for the strings collected */
    unsigned long rendered_late; /* pending texts rendered here after all: a frame could not
                                    wait (the hold ran out, or it had to be complete) */
};

/* r and f are borrowed. byte_cap 0 = 64 MiB. */
struct text_cache *text_cache_create(SDL_Renderer *r, struct fonts *f, size_t byte_cap);
void text_cache_destroy(struct text_cache *tc);
int text_cache_get(struct text_cache *tc, const char *s, int px, enum font_style style,
                   SDL_Color fg, struct text_tex *out);
void text_cache_stats(const struct text_cache *tc, struct text_cache_stats *st);
/* Drop every texture (e.g. when the renderer lost its textures). */
void text_cache_clear(struct text_cache *tc);

/* Start the worker thread; wake_event (an SDL event type, 0 = none) is posted whenever it has
 * rendered everything handed to it. 0 or -ENOMEM (then every text is rendered in get). */
int text_cache_start_worker(struct text_cache *tc, uint32_t wake_event);
/* Tests: the worker waits delay_ms before each batch (a slow machine; 0 = none). */
void text_cache_slow_worker(struct text_cache *tc, int delay_ms);
/* allowed: misses may be handed to the worker (the caller will not show a frame with pending
 * texts). Not allowed (the default): every get returns a texture, a pending entry rendered on
 * the spot. */
void text_cache_hold(struct text_cache *tc, int allowed);
/* Entries waiting for the worker. */
int text_cache_pending(const struct text_cache *tc);
/* Upload what the worker finished. Returns how many pending entries it filled. */
int text_cache_collect(struct text_cache *tc);
/* Block until the worker has finished all it was handed (at most timeout_ms): 1 when it has
 * (collect then fills every pending entry), 0 on timeout. */
int text_cache_wait(struct text_cache *tc, int timeout_ms);

#endif
