#define LOG_TAG "font"
#include "ui/font.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "ui/font_fallback.h"
#include "utf8.h"

enum {
    FONT_PX_MIN = 8,
    FONT_PX_MAX = 400,
    PROBE_PX = 40,      /* the size a face is first opened at (coverage does not depend on it) */
    CP_CACHE = 1024,    /* code points outside the shipped font, remembered with their face */
    WIDTH_SLOTS = 1024, /* measured widths, direct-mapped */
    WIDTH_TEXT = 120,   /* longer texts are measured every time */
    SHIPPED = 0,        /* faces[0] */
    NO_FACE = -1,       /* no installed face has the character: placeholder */
    STYLES = 2,
};

/* One TTF_Font per style, set to whatever size is asked for, rather than one per size:
 * opening the 28k-glyph face costs ~4.5 ms of CPU and ~600 KB of fresh memory each time
 * (FreeType parses and copies the CFF charset and glyph index per face), and the home screen
 * alone used 11 sizes: half the main thread's CPU before the first home frame. Changing the
 * size of an open face costs a microsecond; it empties SDL_ttf's glyph cache, so widths are
 * cached here (fonts_measure runs for every text of every frame) and the text cache keeps
 * the rendered strings. */
struct face {
    char *path; /* owned; NULL for a fallback not opened yet */
    int index;
    int broken; /* could not be opened: never tried again */
    void *map;  /* the file, mapped read-only once for all its sizes (NULL: not yet) */
    size_t map_len;
    TTF_Font *fonts[STYLES]; /* owned; [FONT_REGULAR] also answers glyph coverage */
    int px[STYLES];          /* the size each is set to now */
};

struct width_entry {
    char text[WIDTH_TEXT + 1]; /* "" = unused */
    int px;
    int style;
    int w;
};

struct cp_face {
    uint32_t cp; /* 0 = empty */
    int face;
};

struct fonts {
    struct face *faces; /* owned: [0] the shipped font, [1 + n] fallback n */
    int n_faces;
    struct font_fallbacks *fallbacks; /* owned; from the loader thread, taken at first need */
    int fallbacks_loaded;
    pthread_t loader; /* asks fontconfig while the app starts (its config takes a while) */
    int loader_running;
    struct cp_face cps[CP_CACHE]; /* open addressing by code point */
    struct width_entry widths[WIDTH_SLOTS];
    /* FreeType's library may open or close only one face at a time (using faces in several
     * threads is fine, one thread per face): a sibling for another thread shares this. */
    pthread_mutex_t open_lock_own;
    pthread_mutex_t *open_lock; /* &open_lock_own, or the primary's (borrowed) */
    int sibling; /* the shipped font only: fallback faces are the primary's */
};

/* The face at px. Every size reads the one mapping of the file: FreeType then copies from
 * memory instead of seeking and reading the file for each table and glyph, and the pages
 * are the page cache's, shared and given back under pressure. */
static TTF_Font *face_open(struct face *fc, int px, pthread_mutex_t *lock)
{
    if (!fc->map) {
        int fd = open(fc->path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || st.st_size <= 0) {
            if (fd >= 0)
                close(fd);
            TTF_SetError("cannot read %s", fc->path);
            return NULL;
        }
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (map == MAP_FAILED) {
            TTF_SetError("cannot map %s", fc->path);
            return NULL;
        }
        /* Glyphs are read here and there: no read-ahead around each one. */
        madvise(map, (size_t)st.st_size, MADV_RANDOM);
        fc->map = map;
        fc->map_len = (size_t)st.st_size;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(fc->map, (int)fc->map_len);
    if (!rw)
        return NULL;
    pthread_mutex_lock(lock);
    TTF_Font *font = TTF_OpenFontIndexRW(rw, 1, px, fc->index);
    pthread_mutex_unlock(lock);
    return font;
}

/* The face's font in style, set to px; valid until the next face_get() on this face and
 * style with another size. */
static TTF_Font *face_get(struct face *fc, int px, enum font_style style, pthread_mutex_t *lock)
{
    if (px < FONT_PX_MIN || px > FONT_PX_MAX || !fc->path || fc->broken ||
        (unsigned)style >= STYLES)
        return NULL;
    TTF_Font **font = &fc->fonts[style];
    if (!*font) {
        *font = face_open(fc, px, lock);
        if (!*font) {
            log_error("cannot open font %s at %d px: %s", fc->path, px, TTF_GetError());
            return NULL;
        }
        TTF_SetFontStyle(*font, style == FONT_BOLD ? TTF_STYLE_BOLD : TTF_STYLE_NORMAL);
        fc->px[style] = px;
        log_debug("opened %s%s", fc->path, style == FONT_BOLD ? " (bold)" : "");
    } else if (fc->px[style] != px) {
        if (TTF_SetFontSize(*font, px) < 0) {
            log_error("cannot set font %s to %d px: %s", fc->path, px, TTF_GetError());
            return NULL;
        }
        fc->px[style] = px;
    }
    return *font;
}

/* The face's regular font at whatever size it has: for glyph coverage only. */
static TTF_Font *face_coverage(struct face *fc)
{
    return fc->fonts[FONT_REGULAR];
}

static void face_close(struct face *fc, pthread_mutex_t *lock)
{
    pthread_mutex_lock(lock);
    for (int i = 0; i < STYLES; i++) {
        if (fc->fonts[i])
            TTF_CloseFont(fc->fonts[i]);
    }
    pthread_mutex_unlock(lock);
    if (fc->map)
        munmap(fc->map, fc->map_len);
    free(fc->path);
    memset(fc, 0, sizeof(*fc));
}

static void *load_in_background(void *arg)
{
    struct fonts *f = arg;
    f->fallbacks = font_fallbacks_load();
    SDL_TLSCleanup(); /* SDL keeps per-thread error state for threads it did not start */
    return NULL;
}

struct fonts *fonts_open(const char *path, int index, char *err, size_t errlen)
{
    struct fonts *f = calloc(1, sizeof(*f));
    if (!f || !(f->faces = calloc(1, sizeof(*f->faces)))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    f->n_faces = 1;
    pthread_mutex_init(&f->open_lock_own, NULL);
    f->open_lock = &f->open_lock_own;
    if (index < 0) {
        size_t n = strlen(path);
        index = (n > 4 && strcasecmp(path + n - 4, ".ttc") == 0) ? 2 : 0;
    }
    f->faces[SHIPPED].index = index;
    if (!(f->faces[SHIPPED].path = strdup(path))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    TTF_Font *probe = face_open(&f->faces[SHIPPED], PROBE_PX, f->open_lock);
    if (!probe) {
        snprintf(err, errlen, "cannot open font %s (face %d): %s", path, index, TTF_GetError());
        goto fail;
    }
    f->faces[SHIPPED].fonts[FONT_REGULAR] = probe;
    f->faces[SHIPPED].px[FONT_REGULAR] = PROBE_PX;
    /* A font without CJK glyphs would draw the whole UI as blanks: refuse it early. */
    if (!TTF_GlyphIsProvided32(probe, 0x515a) || !TTF_GlyphIsProvided32(probe, 0x52a1)) {
        snprintf(err, errlen, "font %s (face %d) has no simplified Chinese glyphs", path, index);
        goto fail;
    }
    /* Without the thread the list is loaded at the first missing glyph instead. */
    f->loader_running = pthread_create(&f->loader, NULL, load_in_background, f) == 0;
    return f;
fail:
    fonts_destroy(f);
    return NULL;
}

void fonts_destroy(struct fonts *f)
{
    if (!f)
        return;
    if (f->loader_running)
        pthread_join(f->loader, NULL);
    for (int i = 0; i < f->n_faces; i++)
        face_close(&f->faces[i], f->open_lock);
    free(f->faces);
    font_fallbacks_free(f->fallbacks);
    if (f->open_lock == &f->open_lock_own)
        pthread_mutex_destroy(&f->open_lock_own);
    free(f);
}

struct fonts *fonts_sibling(struct fonts *like)
{
    struct fonts *f = calloc(1, sizeof(*f));
    if (!f || !(f->faces = calloc(1, sizeof(*f->faces))) ||
        !(f->faces[SHIPPED].path = strdup(like->faces[SHIPPED].path))) {
        if (f)
            free(f->faces);
        free(f);
        return NULL;
    }
    f->n_faces = 1;
    f->faces[SHIPPED].index = like->faces[SHIPPED].index;
    f->open_lock = like->open_lock;
    f->sibling = 1;
    f->fallbacks_loaded = 1; /* none: the list stays NULL */
    return f;
}

/* A sibling opens its faces on its own thread, at first use: glyph coverage needs the
 * regular style. */
static int coverage_ready(struct fonts *f)
{
    return f->faces[SHIPPED].fonts[FONT_REGULAR] ||
           face_get(&f->faces[SHIPPED], PROBE_PX, FONT_REGULAR, f->open_lock);
}

TTF_Font *fonts_get(struct fonts *f, int px, enum font_style style)
{
    if (!coverage_ready(f))
        return NULL;
    return face_get(&f->faces[SHIPPED], px, style, f->open_lock);
}

static void load_fallbacks(struct fonts *f)
{
    f->fallbacks_loaded = 1;
    if (f->loader_running) {
        pthread_join(f->loader, NULL); /* f->fallbacks is the thread's from here */
        f->loader_running = 0;
    } else {
        f->fallbacks = font_fallbacks_load();
    }
    int n = font_fallbacks_count(f->fallbacks);
    struct face *grown = realloc(f->faces, (size_t)(1 + n) * sizeof(*grown));
    if (!grown) {
        font_fallbacks_free(f->fallbacks);
        f->fallbacks = NULL;
        return;
    }
    memset(grown + 1, 0, (size_t)n * sizeof(*grown));
    f->faces = grown;
    f->n_faces = 1 + n;
}

/* The fallback face at faces[id], opened on first use; NULL if it cannot be or lacks cp
 * (fontconfig's coverage and the face's own table can disagree). */
static TTF_Font *fallback_probe(struct fonts *f, int id, uint32_t cp)
{
    struct face *fc = &f->faces[id];
    if (!fc->path && !fc->broken) {
        const char *path;
        int index;
        if (font_fallbacks_file(f->fallbacks, id - 1, &path, &index) < 0 ||
            !(fc->path = strdup(path))) {
            fc->broken = 1;
            return NULL;
        }
        fc->index = index;
        log_info("drawing characters the shipped font lacks from %s (face %d)", path, index);
    }
    if (!face_coverage(fc) && !fc->broken && !face_get(fc, PROBE_PX, FONT_REGULAR, f->open_lock))
        fc->broken = 1; /* logged */
    TTF_Font *font = face_coverage(fc);
    return font && TTF_GlyphIsProvided32(font, cp) ? font : NULL;
}

static int lookup_fallback(struct fonts *f, uint32_t cp)
{
    if (f->sibling)
        return NO_FACE; /* only given text the shipped font covers */
    if (!f->fallbacks_loaded)
        load_fallbacks(f);
    int n = font_fallbacks_find(f->fallbacks, cp);
    if (n >= 0 && fallback_probe(f, 1 + n, cp))
        return 1 + n;
    log_warn("no installed font has U+%04X: drawn as a placeholder", (unsigned)cp);
    return NO_FACE;
}

/* The face that draws cp: the shipped font, a fallback, or NO_FACE. */
static int face_for(struct fonts *f, uint32_t cp)
{
    if (cp < 0x20 || TTF_GlyphIsProvided32(face_coverage(&f->faces[SHIPPED]), cp))
        return SHIPPED;
    unsigned slot = (cp * 2654435761u) % CP_CACHE;
    for (int probes = 0; probes < CP_CACHE; probes++) {
        struct cp_face *e = &f->cps[slot];
        if (e->cp == cp)
            return e->face;
        if (e->cp == 0) {
            e->cp = cp;
            e->face = lookup_fallback(f, cp);
            return e->face;
        }
        slot = (slot + 1) % CP_CACHE;
    }
    return lookup_fallback(f, cp); /* cache full: still right, only slower */
}

/* A stretch of text drawn from one face. */
struct run {
    size_t start, len; /* bytes */
    int face;
    int chars;
};

/* The run starting at s[*i]; 0 at the end of s. */
static int next_run(struct fonts *f, const char *s, size_t *i, struct run *r)
{
    size_t at = *i;
    uint32_t cp = utf8_next(s, &at);
    if (cp == 0)
        return 0;
    r->start = *i;
    r->face = face_for(f, cp);
    r->chars = 1;
    for (;;) {
        size_t next = at;
        cp = utf8_next(s, &next);
        if (cp == 0 || face_for(f, cp) != r->face)
            break;
        at = next;
        r->chars++;
    }
    r->len = at - r->start;
    *i = at;
    return 1;
}

static int single_face(struct fonts *f, const char *s)
{
    size_t i = 0;
    struct run r;
    return !next_run(f, s, &i, &r) || (r.face == SHIPPED && s[i] == '\0');
}

/* One ideograph's advance: the placeholder's width. */
static int placeholder_width(TTF_Font *shipped, int px)
{
    int minx, maxx, miny, maxy, advance;
    if (TTF_GlyphMetrics32(shipped, 0x4e00, &minx, &maxx, &miny, &maxy, &advance) < 0)
        return px;
    return advance;
}

/* Width of s[r->start, +r->len) in its face; buf holds at least len + 1 bytes. */
static int run_width(struct fonts *f, const char *s, const struct run *r, int px,
                     enum font_style style, char *buf)
{
    TTF_Font *shipped = fonts_get(f, px, style);
    if (r->face == NO_FACE)
        return r->chars * placeholder_width(shipped, px);
    TTF_Font *font = face_get(&f->faces[r->face], px, style, f->open_lock);
    int w = 0, h = 0;
    memcpy(buf, s + r->start, r->len);
    buf[r->len] = '\0';
    if (!font || TTF_SizeUTF8(font, buf, &w, &h) < 0)
        return 0;
    return w;
}

/* The slot s at px in style would have in the width cache; NULL if s is too long. */
static struct width_entry *width_slot(struct fonts *f, const char *s, int px,
                                      enum font_style style)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
        h = (h ^ *p) * 16777619u;
    if (n > WIDTH_TEXT)
        return NULL;
    h = (h ^ (uint32_t)px) * 16777619u;
    h = (h ^ (uint32_t)style) * 16777619u;
    return &f->widths[h % WIDTH_SLOTS];
}

static int measure_width(struct fonts *f, TTF_Font *font, const char *s, int px,
                         enum font_style style, int *w)
{
    int h = 0;
    *w = 0;
    if (single_face(f, s))
        return TTF_SizeUTF8(font, s, w, &h) < 0 ? -EINVAL : 0;
    char *buf = malloc(strlen(s) + 1);
    if (!buf)
        return -ENOMEM;
    size_t i = 0;
    struct run r;
    while (next_run(f, s, &i, &r))
        *w += run_width(f, s, &r, px, style, buf);
    free(buf);
    return 0;
}

int fonts_measure(struct fonts *f, const char *s, int px, enum font_style style, int *w, int *h)
{
    TTF_Font *font = fonts_get(f, px, style);
    if (!font)
        return -EINVAL;
    *w = 0;
    *h = TTF_FontHeight(font);
    if (!s[0])
        return 0;
    struct width_entry *e = width_slot(f, s, px, style);
    if (e && e->px == px && e->style == (int)style && strcmp(e->text, s) == 0) {
        *w = e->w;
        return 0;
    }
    int rc = measure_width(f, font, s, px, style, w);
    if (rc == 0 && e) {
        memcpy(e->text, s, strlen(s) + 1);
        e->px = px;
        e->style = (int)style;
        e->w = *w;
    }
    return rc;
}

/* An outlined box with a cross, one ideograph wide, sitting on the baseline. */
static void draw_placeholder(SDL_Surface *dst, int x, int w, int baseline, int px, Uint32 ink)
{
    int t = px / 12 > 2 ? px / 12 : 2;
    int left = x + w / 10, right = x + w - w / 10;
    int top = baseline - px * 4 / 5, bottom = baseline + px / 20;
    SDL_Rect edges[4] = { { left, top, right - left, t }, { left, bottom - t, right - left, t },
                          { left, top, t, bottom - top }, { right - t, top, t, bottom - top } };
    SDL_FillRects(dst, edges, 4, ink);
    for (int y = top + t; y < bottom - t; y++) {
        int dx = (y - top) * (right - left) / (bottom - top);
        SDL_Rect a = { left + dx - t / 2, y, t, 1 }, b = { right - dx - t / 2, y, t, 1 };
        SDL_FillRect(dst, &a, ink);
        SDL_FillRect(dst, &b, ink);
    }
}

static int blit_run(struct fonts *f, const char *s, const struct run *r, int px,
                    enum font_style style, SDL_Color fg, char *buf, SDL_Surface *dst, int x,
                    int baseline)
{
    TTF_Font *font = face_get(&f->faces[r->face], px, style, f->open_lock);
    if (!font)
        return -EINVAL;
    memcpy(buf, s + r->start, r->len);
    buf[r->len] = '\0';
    SDL_Surface *part = TTF_RenderUTF8_Blended(font, buf, fg);
    if (!part) {
        log_error("cannot render text at %d px: %s", px, TTF_GetError());
        return -EINVAL;
    }
    /* Same baseline whatever the face's ascent. */
    SDL_Rect at = { x, baseline - TTF_FontAscent(font), part->w, part->h };
    SDL_SetSurfaceBlendMode(part, SDL_BLENDMODE_BLEND);
    int rc = SDL_BlitSurface(part, NULL, dst, &at);
    SDL_FreeSurface(part);
    return rc < 0 ? -EINVAL : 0;
}

SDL_Surface *fonts_render(struct fonts *f, const char *s, int px, enum font_style style,
                          SDL_Color fg, int *missing)
{
    *missing = 0;
    fg.a = 255;
    int w = 0, h = 0;
    TTF_Font *shipped = fonts_get(f, px, style);
    if (!shipped || !s[0])
        return NULL;
    if (single_face(f, s)) {
        SDL_Surface *surf = TTF_RenderUTF8_Blended(shipped, s, fg);
        if (!surf)
            log_error("cannot render text at %d px: %s", px, TTF_GetError());
        return surf;
    }
    if (fonts_measure(f, s, px, style, &w, &h) < 0)
        return NULL;
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, h, 32,
                                                      SDL_PIXELFORMAT_ARGB8888);
    char *buf = malloc(strlen(s) + 1);
    if (!dst || !buf) {
        log_error("cannot render text at %d px: out of memory", px);
        SDL_FreeSurface(dst);
        free(buf);
        return NULL;
    }
    /* Transparent ink of the text's colour, so blending keeps the edges' colour. */
    SDL_FillRect(dst, NULL, SDL_MapRGBA(dst->format, fg.r, fg.g, fg.b, 0));
    Uint32 ink = SDL_MapRGBA(dst->format, fg.r, fg.g, fg.b, 255);
    int baseline = TTF_FontAscent(shipped), x = 0, rc = 0;
    size_t i = 0;
    struct run r;
    while (rc == 0 && next_run(f, s, &i, &r)) {
        int rw = run_width(f, s, &r, px, style, buf);
        if (r.face == NO_FACE) {
            int pw = rw / r.chars;
            for (int k = 0; k < r.chars; k++)
                draw_placeholder(dst, x + k * pw, pw, baseline, px, ink);
            *missing += r.chars;
        } else {
            rc = blit_run(f, s, &r, px, style, fg, buf, dst, x, baseline);
        }
        x += rw;
    }
    free(buf);
    if (rc < 0) {
        SDL_FreeSurface(dst);
        return NULL;
    }
    return dst;
}

int fonts_has_glyphs(struct fonts *f, const char *s)
{
    size_t i = 0;
    for (uint32_t cp = utf8_next(s, &i); cp != 0; cp = utf8_next(s, &i)) {
        if (!TTF_GlyphIsProvided32(face_coverage(&f->faces[SHIPPED]), cp))
            return 0;
    }
    return 1;
}

int fonts_missing(struct fonts *f, const char *s)
{
    int n = 0;
    size_t i = 0;
    for (uint32_t cp = utf8_next(s, &i); cp != 0; cp = utf8_next(s, &i))
        n += face_for(f, cp) == NO_FACE;
    return n;
}

int fonts_fit(struct fonts *f, const char *s, int px, enum font_style style, int max_w, char *out,
              size_t outlen)
{
    static const char ellipsis[] = "…";
    int w = 0, h = 0;
    size_t len = strlen(s);
    if (outlen == 0)
        return 0;
    if (len < outlen && fonts_measure(f, s, px, style, &w, &h) == 0 && w <= max_w) {
        memcpy(out, s, len + 1);
        return 0;
    }
    /* Walk forward keeping the longest prefix that fits with the ellipsis. */
    size_t best = 0, i = 0;
    char tmp[1024];
    while (utf8_next(s, &i) != 0) {
        if (i + sizeof(ellipsis) > sizeof(tmp) || i + sizeof(ellipsis) > outlen)
            break;
        memcpy(tmp, s, i);
        memcpy(tmp + i, ellipsis, sizeof(ellipsis));
        if (fonts_measure(f, tmp, px, style, &w, &h) < 0 || w > max_w)
            break;
        best = i;
    }
    if (best + sizeof(ellipsis) > outlen)
        best = 0;
    memcpy(out, s, best);
    memcpy(out + best, ellipsis, sizeof(ellipsis));
    return 1;
}
