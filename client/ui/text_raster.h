/* Text rasterised off the UI thread. The text cache (ui/textcache.h) hands it the strings a
 * frame wanted and did not have; one worker thread renders them with its own copy of the
 * shipped font (fonts_sibling) into surfaces, in batches sorted by size and style (switching
 * a font's size empties its glyph cache), and posts `wake_event` when the queue has run dry.
 * The UI thread then takes the surfaces and uploads them, which is cheap next to rendering.
 *
 * Threads: create, submit, take and destroy are the UI thread's; the worker touches the
 * queues only under `lock`, and its fonts only by itself. */
#ifndef DJTV_TEXT_RASTER_H
#define DJTV_TEXT_RASTER_H

#include <SDL.h>
#include <stdint.h>

#include "ui/font.h"

struct text_raster;

struct text_raster_done {
    char *text;        /* owned by the taker */
    int px;
    int style;
    SDL_Color fg;
    SDL_Surface *surf; /* owned by the taker; NULL when it could not be rendered (logged) */
    double cpu_ms;     /* the worker's CPU time for it */
};

/* like: the UI's fonts (borrowed; must outlive the raster). wake_event: an SDL event type
 * posted when every submitted string is done; 0 posts nothing (tests poll). NULL when out
 * of memory or threads. */
struct text_raster *text_raster_create(struct fonts *like, uint32_t wake_event);
/* Stops the worker (after the string in hand) and frees what is queued or done. */
void text_raster_destroy(struct text_raster *tr);
/* Queue a copy of s, which the shipped font must cover. 0 or -ENOMEM. */
int text_raster_submit(struct text_raster *tr, const char *s, int px, enum font_style style,
                       SDL_Color fg);
/* One finished string, oldest first: 1 with *out filled, 0 when none is done. */
int text_raster_take(struct text_raster *tr, struct text_raster_done *out);
/* Tests: the worker waits delay_ms before each batch it takes (0 = none), a slow machine. */
void text_raster_slow_down(struct text_raster *tr, int delay_ms);
/* Block until nothing is queued or in hand (at most timeout_ms). 1 if idle, 0 on timeout. */
int text_raster_wait_idle(struct text_raster *tr, int timeout_ms);

#endif
