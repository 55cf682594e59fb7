/* Posters and photos: decode image bytes (PNG, JPEG, ... through SDL2_image) into a surface
 * no larger than the box it will be shown in, and a small cache of textures keyed by URL or
 * path, bounded by an estimate of texture memory and evicting the least recently used.
 *
 * Decoding touches no renderer and may run on any thread (a worker can decode what the
 * network thread fetched); the cache belongs to the main thread, like every texture. */
#ifndef DJTV_UI_IMAGE_H
#define DJTV_UI_IMAGE_H

#include <SDL2/SDL.h>
#include <stddef.h>

enum { IMAGE_MAX_BYTES = 16 * 1024 * 1024 }; /* larger inputs are refused */

/* Decode data and shrink it (keeping the aspect, never enlarging) to fit max_w x max_h
 * (0 = no limit). *out: a new ARGB8888 surface the caller frees with SDL_FreeSurface.
 * Returns 0, -EINVAL (empty, not an image, corrupt), -E2BIG (over IMAGE_MAX_BYTES) or
 * -ENOMEM. */
int image_decode(const void *data, size_t len, int max_w, int max_h, SDL_Surface **out);
/* Same from a file; -ENOENT if it cannot be opened. */
int image_decode_file(const char *path, int max_w, int max_h, SDL_Surface **out);

struct image_cache;

/* max_bytes: texture memory budget (width * height * 4 per image). NULL on ENOMEM. */
struct image_cache *image_cache_create(size_t max_bytes);
/* Destroys the textures: call while their renderer is alive. NULL is a no-op. */
void image_cache_destroy(struct image_cache *c);
/* The texture cached for key (borrowed: valid until the next put/clear/destroy), or NULL.
 * w/h (optional) receive its size. */
SDL_Texture *image_cache_get(struct image_cache *c, const char *key, int *w, int *h);
/* Upload surf (borrowed) as key's texture, replacing an older one, evicting the least
 * recently used entries over the budget. Returns 0 or -errno. */
int image_cache_put(struct image_cache *c, SDL_Renderer *r, const char *key, SDL_Surface *surf);
/* get, or decode the file and put. NULL if it cannot be read. */
SDL_Texture *image_cache_load_file(struct image_cache *c, SDL_Renderer *r, const char *path,
                                   int max_w, int max_h);
/* Forget everything (for example after SDL_RENDER_TARGETS_RESET / DEVICE_RESET). */
void image_cache_clear(struct image_cache *c);
/* Texture bytes held and number of entries. */
size_t image_cache_bytes(const struct image_cache *c);
int image_cache_count(const struct image_cache *c);

#endif
