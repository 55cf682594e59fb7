#define LOG_TAG "textcache"
#include "ui/textcache.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

enum { TC_BUCKETS = 1024, TC_MAX_TEXT = 4096 };

struct tc_entry {
    char *text;      /* owned */
    int px;
    int style;
    uint32_t rgba;
    uint32_t hash;
    SDL_Texture *tex; /* owned; NULL for "" */
    int w, h;
    int missing;
    size_t bytes;
    struct tc_entry *next_in_bucket;
    struct tc_entry *lru_prev, *lru_next; /* lru_prev towards most recent */
};

struct text_cache {
    SDL_Renderer *r;  /* borrowed */
    struct fonts *f;  /* borrowed */
    size_t cap;
    struct tc_entry *buckets[TC_BUCKETS];
    struct tc_entry *mru, *lru; /* owned through the buckets */
    struct text_cache_stats st;
};

static uint32_t pack(SDL_Color c)
{
    return ((uint32_t)c.r << 24) | ((uint32_t)c.g << 16) | ((uint32_t)c.b << 8) | c.a;
}

static uint32_t hash_key(const char *s, int px, int style, uint32_t rgba)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 16777619u;
    h = (h ^ (uint32_t)px) * 16777619u;
    h = (h ^ (uint32_t)style) * 16777619u;
    h = (h ^ rgba) * 16777619u;
    return h;
}

struct text_cache *text_cache_create(SDL_Renderer *r, struct fonts *f, size_t byte_cap)
{
    struct text_cache *tc = calloc(1, sizeof(*tc));
    if (!tc)
        return NULL;
    tc->r = r;
    tc->f = f;
    tc->cap = byte_cap ? byte_cap : (size_t)64 << 20;
    return tc;
}

static void lru_unlink(struct text_cache *tc, struct tc_entry *e)
{
    if (e->lru_prev)
        e->lru_prev->lru_next = e->lru_next;
    else
        tc->mru = e->lru_next;
    if (e->lru_next)
        e->lru_next->lru_prev = e->lru_prev;
    else
        tc->lru = e->lru_prev;
    e->lru_prev = e->lru_next = NULL;
}

static void lru_push_front(struct text_cache *tc, struct tc_entry *e)
{
    e->lru_prev = NULL;
    e->lru_next = tc->mru;
    if (tc->mru)
        tc->mru->lru_prev = e;
    tc->mru = e;
    if (!tc->lru)
        tc->lru = e;
}

static void entry_free(struct tc_entry *e)
{
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    free(e->text);
    free(e);
}

static void evict(struct text_cache *tc, struct tc_entry *e)
{
    struct tc_entry **pp = &tc->buckets[e->hash % TC_BUCKETS];
    while (*pp && *pp != e)
        pp = &(*pp)->next_in_bucket;
    if (*pp)
        *pp = e->next_in_bucket;
    lru_unlink(tc, e);
    tc->st.bytes -= e->bytes;
    tc->st.entries--;
    entry_free(e);
}

void text_cache_clear(struct text_cache *tc)
{
    while (tc->lru)
        evict(tc, tc->lru);
}

void text_cache_destroy(struct text_cache *tc)
{
    if (!tc)
        return;
    text_cache_clear(tc);
    free(tc);
}

/* Rasterise into a new entry (not yet linked). */
static int rasterise(struct text_cache *tc, const char *s, int px, enum font_style style,
                     SDL_Color fg, struct tc_entry *e)
{
    TTF_Font *font = fonts_get(tc->f, px, style);
    if (!font)
        return -EINVAL;
    if (!s[0]) {
        e->w = 0;
        e->h = TTF_FontHeight(font);
        return 0;
    }
    SDL_Color opaque = fg;
    opaque.a = 255;
    Uint64 t0 = SDL_GetPerformanceCounter();
    SDL_Surface *surf = fonts_render(tc->f, s, px, style, opaque, &e->missing);
    Uint64 t1 = SDL_GetPerformanceCounter();
    double freq = (double)SDL_GetPerformanceFrequency();
    tc->st.raster_ms += (double)(t1 - t0) * 1000.0 / freq;
    if (!surf)
        return -EINVAL; /* logged */
    e->tex = SDL_CreateTextureFromSurface(tc->r, surf);
    tc->st.upload_ms += (double)(SDL_GetPerformanceCounter() - t1) * 1000.0 / freq;
    e->w = surf->w;
    e->h = surf->h;
    SDL_FreeSurface(surf);
    if (!e->tex) {
        log_error("cannot create text texture: %s", SDL_GetError());
        return -ENOMEM;
    }
    SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
    if (fg.a != 255)
        SDL_SetTextureAlphaMod(e->tex, fg.a);
    e->bytes = (size_t)e->w * (size_t)e->h * 4;
    return 0;
}

int text_cache_get(struct text_cache *tc, const char *s, int px, enum font_style style,
                   SDL_Color fg, struct text_tex *out)
{
    if (strlen(s) > TC_MAX_TEXT)
        return -E2BIG;
    uint32_t rgba = pack(fg);
    uint32_t h = hash_key(s, px, (int)style, rgba);
    for (struct tc_entry *e = tc->buckets[h % TC_BUCKETS]; e; e = e->next_in_bucket) {
        if (e->hash == h && e->px == px && e->style == (int)style && e->rgba == rgba &&
            strcmp(e->text, s) == 0) {
            tc->st.hits++;
            lru_unlink(tc, e);
            lru_push_front(tc, e);
            out->tex = e->tex;
            out->w = e->w;
            out->h = e->h;
            out->missing = e->missing;
            return 0;
        }
    }
    tc->st.misses++;
    struct tc_entry *e = calloc(1, sizeof(*e));
    if (!e)
        return -ENOMEM;
    e->text = strdup(s);
    if (!e->text) {
        free(e);
        return -ENOMEM;
    }
    e->px = px;
    e->style = (int)style;
    e->rgba = rgba;
    e->hash = h;
    int rc = rasterise(tc, s, px, style, fg, e);
    if (rc < 0) {
        entry_free(e);
        return rc;
    }
    /* Make room first; the new entry itself is always kept, even when larger than the cap. */
    while (tc->lru && tc->st.bytes + e->bytes > tc->cap) {
        evict(tc, tc->lru);
        tc->st.evictions++;
    }
    e->next_in_bucket = tc->buckets[h % TC_BUCKETS];
    tc->buckets[h % TC_BUCKETS] = e;
    lru_push_front(tc, e);
    tc->st.bytes += e->bytes;
    tc->st.entries++;
    out->tex = e->tex;
    out->w = e->w;
    out->h = e->h;
    out->missing = e->missing;
    return 0;
}

void text_cache_stats(const struct text_cache *tc, struct text_cache_stats *st)
{
    *st = tc->st;
}
