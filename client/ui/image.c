#define LOG_TAG "image"
#include "ui/image.h"

#include "log.h"

#include <SDL2/SDL_image.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CACHE_MAX_ENTRIES = 64 };

struct image_entry {
    char *key;        /* owned; NULL = free slot */
    SDL_Texture *tex; /* owned */
    int w, h;
    size_t bytes;
    uint64_t used; /* last use tick */
};

struct image_cache {
    struct image_entry entries[CACHE_MAX_ENTRIES];
    size_t max_bytes;
    size_t bytes;
    uint64_t tick;
};

/* The largest size of the image's aspect within the box; never larger than the image. */
static void fit(int w, int h, int max_w, int max_h, int *ow, int *oh)
{
    double s = 1.0;
    if (max_w > 0 && w > max_w)
        s = (double)max_w / w;
    if (max_h > 0 && h * s > max_h)
        s = (double)max_h / h;
    *ow = (int)(w * s + 0.5);
    *oh = (int)(h * s + 0.5);
    if (*ow < 1)
        *ow = 1;
    if (*oh < 1)
        *oh = 1;
}

/* Take ownership of img; return an ARGB8888 surface that fits the box. */
static int shrink(SDL_Surface *img, int max_w, int max_h, SDL_Surface **out)
{
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(img);
    if (!argb)
        return -ENOMEM;
    int w, h;
    fit(argb->w, argb->h, max_w, max_h, &w, &h);
    if (w == argb->w && h == argb->h) {
        *out = argb;
        return 0;
    }
    SDL_Surface *small = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!small || SDL_SoftStretchLinear(argb, NULL, small, NULL) < 0) {
        SDL_FreeSurface(small);
        SDL_FreeSurface(argb);
        return -ENOMEM;
    }
    SDL_FreeSurface(argb);
    *out = small;
    return 0;
}

int image_decode(const void *data, size_t len, int max_w, int max_h, SDL_Surface **out)
{
    *out = NULL;
    if (!data || len == 0)
        return -EINVAL;
    if (len > IMAGE_MAX_BYTES)
        return -E2BIG;
    /* A PNG cut short (an interrupted download) must end in IEND: SDL_image ignores short
     * reads and would let libpng decode uninitialised memory. */
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (len >= 8 && memcmp(data, png_sig, 8) == 0 &&
        (len < 20 || memcmp((const char *)data + len - 8, "IEND", 4) != 0)) {
        log_debug("truncated PNG (%zu bytes)", len);
        return -EINVAL;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw)
        return -ENOMEM;
    SDL_Surface *img = IMG_Load_RW(rw, 1);
    if (!img) {
        log_debug("not a readable image: %s", IMG_GetError());
        return -EINVAL;
    }
    return shrink(img, max_w, max_h, out);
}

int image_decode_file(const char *path, int max_w, int max_h, SDL_Surface **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -ENOENT;
    int ret = -ENOMEM;
    char *data = NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto fail;
    long n = ftell(f);
    if (n <= 0) {
        ret = -EINVAL;
        goto fail;
    }
    if (n > IMAGE_MAX_BYTES) {
        ret = -E2BIG;
        goto fail;
    }
    rewind(f);
    data = malloc((size_t)n);
    if (!data)
        goto fail;
    if (fread(data, 1, (size_t)n, f) != (size_t)n) {
        ret = -EIO;
        goto fail;
    }
    ret = image_decode(data, (size_t)n, max_w, max_h, out);
fail:
    free(data);
    fclose(f);
    return ret;
}

struct image_cache *image_cache_create(size_t max_bytes)
{
    struct image_cache *c = calloc(1, sizeof(*c));
    if (c)
        c->max_bytes = max_bytes;
    return c;
}

static void drop(struct image_cache *c, struct image_entry *e)
{
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    free(e->key);
    c->bytes -= e->bytes;
    *e = (struct image_entry){0};
}

void image_cache_clear(struct image_cache *c)
{
    for (int i = 0; i < CACHE_MAX_ENTRIES; i++) {
        if (c->entries[i].key)
            drop(c, &c->entries[i]);
    }
}

void image_cache_destroy(struct image_cache *c)
{
    if (!c)
        return;
    image_cache_clear(c);
    free(c);
}

static struct image_entry *find(struct image_cache *c, const char *key)
{
    for (int i = 0; i < CACHE_MAX_ENTRIES; i++) {
        if (c->entries[i].key && strcmp(c->entries[i].key, key) == 0)
            return &c->entries[i];
    }
    return NULL;
}

SDL_Texture *image_cache_get(struct image_cache *c, const char *key, int *w, int *h)
{
    struct image_entry *e = find(c, key);
    if (!e)
        return NULL;
    e->used = ++c->tick;
    if (w)
        *w = e->w;
    if (h)
        *h = e->h;
    return e->tex;
}

static struct image_entry *oldest(struct image_cache *c)
{
    struct image_entry *best = NULL;
    for (int i = 0; i < CACHE_MAX_ENTRIES; i++) {
        struct image_entry *e = &c->entries[i];
        if (e->key && (!best || e->used < best->used))
            best = e;
    }
    return best;
}

int image_cache_put(struct image_cache *c, SDL_Renderer *r, const char *key, SDL_Surface *surf)
{
    if (!c || !r || !key || !surf)
        return -EINVAL;
    size_t bytes = (size_t)surf->w * (size_t)surf->h * 4;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(r, surf);
    char *k = strdup(key);
    if (!tex || !k) {
        if (tex)
            SDL_DestroyTexture(tex);
        free(k);
        return -ENOMEM;
    }
    struct image_entry *old = find(c, key);
    if (old)
        drop(c, old);
    /* Room: within the budget (an image larger than it alone still gets in) and a slot. */
    for (;;) {
        struct image_entry *lru = oldest(c);
        bool full = true;
        for (int i = 0; i < CACHE_MAX_ENTRIES && full; i++)
            full = c->entries[i].key != NULL;
        if (!lru || (c->bytes + bytes <= c->max_bytes && !full))
            break;
        drop(c, lru);
    }
    struct image_entry *slot = NULL;
    for (int i = 0; i < CACHE_MAX_ENTRIES && !slot; i++) {
        if (!c->entries[i].key)
            slot = &c->entries[i];
    }
    *slot = (struct image_entry){
        .key = k, .tex = tex, .w = surf->w, .h = surf->h, .bytes = bytes, .used = ++c->tick};
    c->bytes += bytes;
    return 0;
}

SDL_Texture *image_cache_load_file(struct image_cache *c, SDL_Renderer *r, const char *path,
                                   int max_w, int max_h)
{
    SDL_Texture *tex = image_cache_get(c, path, NULL, NULL);
    if (tex)
        return tex;
    SDL_Surface *surf = NULL;
    int ret = image_decode_file(path, max_w, max_h, &surf);
    if (ret < 0) {
        log_warn("cannot load image %s: %s", path, strerror(-ret));
        return NULL;
    }
    ret = image_cache_put(c, r, path, surf);
    SDL_FreeSurface(surf);
    return ret < 0 ? NULL : image_cache_get(c, path, NULL, NULL);
}

size_t image_cache_bytes(const struct image_cache *c)
{
    return c->bytes;
}

int image_cache_count(const struct image_cache *c)
{
    int n = 0;
    for (int i = 0; i < CACHE_MAX_ENTRIES; i++)
        n += c->entries[i].key != NULL;
    return n;
}
