/* Pictures off the UI thread: a screen hands the encoded bytes of a poster or photo (as the
 * network brought them) to the loader under a key (its URL path); one worker thread decodes
 * and shrinks them (ui/image.h) and posts `wake_event` so the main loop comes round; the main
 * thread then uploads what is ready (image_loader_collect) into the texture cache, an LRU
 * bounded in megabytes. Until then the image widget (ui/image_view.h) shows a placeholder.
 *
 * Threads: submit, collect, state, get and destroy are main-thread only; the worker touches
 * only its job (bytes in, surface out) under `lock`. */
#ifndef DJTV_IMAGE_LOADER_H
#define DJTV_IMAGE_LOADER_H

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

enum image_state {
    IMAGE_NONE,     /* never submitted, or evicted since: submit the bytes again */
    IMAGE_DECODING, /* on the worker, or decoded and waiting for collect */
    IMAGE_READY,    /* a texture in the cache */
    IMAGE_FAILED,   /* the bytes were not a readable image */
};

enum { IMAGE_LOADER_JOBS = 16 }; /* decodes queued or waiting for collect at once */

struct image_loader;

/* cache_mb: texture memory budget in MiB (width * height * 4 per picture). wake_event: an
 * SDL event type (SDL_RegisterEvents) posted when a decode finished; 0 posts nothing (tests
 * poll). NULL when out of memory or threads. */
struct image_loader *image_loader_create(int cache_mb, uint32_t wake_event);
/* Stops the worker (a decode in progress finishes first) and frees everything, textures
 * included: call while the renderer is alive. NULL is a no-op. */
void image_loader_destroy(struct image_loader *l);

/* Decode a copy of data (len bytes) for key, shrunk to fit max_w x max_h (0 = no limit).
 * Returns 0 (also when key is already decoding or ready: nothing to do), -EINVAL, -E2BIG
 * (over IMAGE_MAX_BYTES), -EAGAIN (IMAGE_LOADER_JOBS busy: try again later), -ENOMEM. */
int image_loader_submit(struct image_loader *l, const char *key, const void *data, size_t len,
                        int max_w, int max_h);
/* Upload the finished decodes into the cache. Returns how many changed state (ready or
 * failed): the caller redraws when > 0. */
int image_loader_collect(struct image_loader *l, SDL_Renderer *r);
enum image_state image_loader_state(struct image_loader *l, const char *key);
/* The texture for key (borrowed: valid until the next collect/forget), or NULL. */
SDL_Texture *image_loader_get(struct image_loader *l, const char *key, int *w, int *h);
/* The renderer lost its textures: drop them all (their keys go back to IMAGE_NONE). */
void image_loader_forget_textures(struct image_loader *l);
/* Texture bytes held in the cache. */
size_t image_loader_cache_bytes(struct image_loader *l);
/* "none" / "decoding" / "ready" / "failed" */
const char *image_state_name(enum image_state s);

#endif
