#define LOG_TAG "textcache"
#include "ui/textcache.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ui/text_raster.h"

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
    int pending;      /* on the worker: no texture yet, w and h measured */
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
    struct text_raster *raster; /* owned; NULL: every text is rasterised in text_cache_get */
    int hold;                   /* misses may go to the worker and wait for it */
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
    if (e->pending)
        tc->st.pending--;
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
    text_raster_destroy(tc->raster);
    text_cache_clear(tc);
    free(tc);
}

static double ms_since(Uint64 t0)
{
    return (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
           (double)SDL_GetPerformanceFrequency();
}

/* Turn the rendered text into e's texture; takes surf. */
static int upload(struct text_cache *tc, struct tc_entry *e, SDL_Surface *surf)
{
    Uint64 t0 = SDL_GetPerformanceCounter();
    e->tex = SDL_CreateTextureFromSurface(tc->r, surf);
    tc->st.upload_ms += ms_since(t0);
    e->w = surf->w;
    e->h = surf->h;
    SDL_FreeSurface(surf);
    if (!e->tex) {
        log_error("cannot create text texture: %s", SDL_GetError());
        return -ENOMEM;
    }
    SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
    if ((e->rgba & 0xff) != 255)
        SDL_SetTextureAlphaMod(e->tex, (Uint8)(e->rgba & 0xff));
    e->bytes = (size_t)e->w * (size_t)e->h * 4;
    return 0;
}

/* Rasterise e's text here and now. */
static int rasterise(struct text_cache *tc, struct tc_entry *e, SDL_Color fg)
{
    TTF_Font *font = fonts_get(tc->f, e->px, (enum font_style)e->style);
    if (!font)
        return -EINVAL;
    if (!e->text[0]) {
        e->w = 0;
        e->h = TTF_FontHeight(font);
        return 0;
    }
    Uint64 t0 = SDL_GetPerformanceCounter();
    SDL_Surface *surf = fonts_render(tc->f, e->text, e->px, (enum font_style)e->style, fg,
                                     &e->missing);
    tc->st.raster_ms += ms_since(t0);
    if (!surf)
        return -EINVAL; /* logged */
    return upload(tc, e, surf);
}

/* Give e to the worker when it may wait and the worker's font can draw it all. */
static int hand_over(struct text_cache *tc, struct tc_entry *e, SDL_Color fg)
{
    if (!tc->raster || !tc->hold || !e->text[0] || !fonts_has_glyphs(tc->f, e->text))
        return 0;
    if (fonts_measure(tc->f, e->text, e->px, (enum font_style)e->style, &e->w, &e->h) < 0 ||
        text_raster_submit(tc->raster, e->text, e->px, (enum font_style)e->style, fg) < 0)
        return 0;
    e->pending = 1;
    tc->st.pending++;
    tc->st.handed++;
    return 1;
}

/* Drop least recently used entries other than keep until the textures fit the cap. */
static void make_room(struct text_cache *tc, const struct tc_entry *keep)
{
    while (tc->st.bytes > tc->cap && tc->lru && tc->lru != keep) {
        evict(tc, tc->lru);
        tc->st.evictions++;
    }
}

static struct tc_entry *find(struct text_cache *tc, const char *s, int px, int style,
                             uint32_t rgba, uint32_t h)
{
    for (struct tc_entry *e = tc->buckets[h % TC_BUCKETS]; e; e = e->next_in_bucket) {
        if (e->hash == h && e->px == px && e->style == style && e->rgba == rgba &&
            strcmp(e->text, s) == 0)
            return e;
    }
    return NULL;
}

static void use(struct text_cache *tc, struct tc_entry *e, struct text_tex *out)
{
    lru_unlink(tc, e);
    lru_push_front(tc, e);
    out->tex = e->tex;
    out->w = e->w;
    out->h = e->h;
    out->missing = e->missing;
    out->pending = e->pending;
}

/* A pending entry the frame may not wait for: render it here (the worker's copy, when it
 * comes, is dropped). */
static int settle_here(struct text_cache *tc, struct tc_entry *e, SDL_Color fg)
{
    e->pending = 0;
    tc->st.pending--;
    tc->st.rendered_late++;
    int rc = rasterise(tc, e, fg);
    if (rc == 0) {
        tc->st.bytes += e->bytes;
        lru_unlink(tc, e);
        lru_push_front(tc, e);
        make_room(tc, e);
    }
    return rc;
}

int text_cache_get(struct text_cache *tc, const char *s, int px, enum font_style style,
                   SDL_Color fg, struct text_tex *out)
{
    if (strlen(s) > TC_MAX_TEXT)
        return -E2BIG;
    uint32_t rgba = pack(fg);
    uint32_t h = hash_key(s, px, (int)style, rgba);
    struct tc_entry *hit = find(tc, s, px, (int)style, rgba, h);
    if (hit) {
        tc->st.hits++;
        if (hit->pending && !tc->hold) {
            int rc = settle_here(tc, hit, fg);
            if (rc < 0) {
                evict(tc, hit);
                return rc;
            }
        }
        use(tc, hit, out);
        return 0;
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
    if (!hand_over(tc, e, fg)) {
        int rc = rasterise(tc, e, fg);
        if (rc < 0) {
            entry_free(e);
            return rc;
        }
    }
    e->next_in_bucket = tc->buckets[h % TC_BUCKETS];
    tc->buckets[h % TC_BUCKETS] = e;
    lru_push_front(tc, e);
    tc->st.bytes += e->bytes;
    tc->st.entries++;
    /* The new entry itself is always kept, even when larger than the cap. */
    make_room(tc, e);
    use(tc, e, out);
    return 0;
}

int text_cache_start_worker(struct text_cache *tc, uint32_t wake_event)
{
    if (!tc->raster)
        tc->raster = text_raster_create(tc->f, wake_event);
    return tc->raster ? 0 : -ENOMEM;
}

void text_cache_slow_worker(struct text_cache *tc, int delay_ms)
{
    if (tc->raster)
        text_raster_slow_down(tc->raster, delay_ms);
}

void text_cache_hold(struct text_cache *tc, int allowed)
{
    tc->hold = allowed;
}

int text_cache_pending(const struct text_cache *tc)
{
    return tc->st.pending;
}

int text_cache_collect(struct text_cache *tc)
{
    struct text_raster_done d;
    int filled = 0;
    while (tc->raster && text_raster_take(tc->raster, &d)) {
        tc->st.worker_ms += d.cpu_ms;
        uint32_t rgba = pack(d.fg);
        struct tc_entry *e = find(tc, d.text, d.px, d.style, rgba,
                                  hash_key(d.text, d.px, d.style, rgba));
        free(d.text);
        if (!e || !e->pending) {
            SDL_FreeSurface(d.surf); /* dropped or drawn here meanwhile */
            continue;
        }
        e->pending = 0;
        tc->st.pending--;
        filled++;
        /* A string the worker could not render stays an empty entry (logged there). */
        if (d.surf && upload(tc, e, d.surf) == 0) {
            tc->st.bytes += e->bytes;
            make_room(tc, e);
        }
    }
    return filled;
}

int text_cache_wait(struct text_cache *tc, int timeout_ms)
{
    return !tc->raster || text_raster_wait_idle(tc->raster, timeout_ms);
}

void text_cache_stats(const struct text_cache *tc, struct text_cache_stats *st)
{
    *st = tc->st;
}
