#define LOG_TAG "font"
#include "ui/font.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "ui/utf8.h"

enum { FONT_SLOTS = 24, FONT_PX_MIN = 8, FONT_PX_MAX = 400 };

struct font_slot {
    TTF_Font *font; /* owned */
    int px;
    int style;
};

struct fonts {
    char *path; /* owned */
    int index;
    struct font_slot slots[FONT_SLOTS];
    int n_slots;
    int next_victim; /* round-robin replacement once all slots are used */
};

static TTF_Font *open_size(const struct fonts *f, int px)
{
    return TTF_OpenFontIndex(f->path, px, f->index);
}

struct fonts *fonts_open(const char *path, int index, char *err, size_t errlen)
{
    struct fonts *f = calloc(1, sizeof(*f));
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->path = strdup(path);
    if (!f->path) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (index < 0) {
        size_t n = strlen(path);
        index = (n > 4 && strcasecmp(path + n - 4, ".ttc") == 0) ? 2 : 0;
    }
    f->index = index;
    TTF_Font *probe = open_size(f, 40);
    if (!probe) {
        snprintf(err, errlen, "cannot open font %s (face %d): %s", path, index, TTF_GetError());
        goto fail;
    }
    /* A font without CJK glyphs would draw the whole UI as blanks: refuse it early. */
    int ok = TTF_GlyphIsProvided32(probe, 0x515a) && TTF_GlyphIsProvided32(probe, 0x52a1);
    TTF_CloseFont(probe);
    if (!ok) {
        snprintf(err, errlen, "font %s (face %d) has no simplified Chinese glyphs", path, index);
        goto fail;
    }
    return f;
fail:
    free(f->path);
    free(f);
    return NULL;
}

void fonts_destroy(struct fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n_slots; i++)
        TTF_CloseFont(f->slots[i].font);
    free(f->path);
    free(f);
}

TTF_Font *fonts_get(struct fonts *f, int px, enum font_style style)
{
    if (px < FONT_PX_MIN || px > FONT_PX_MAX)
        return NULL;
    for (int i = 0; i < f->n_slots; i++) {
        if (f->slots[i].px == px && f->slots[i].style == (int)style)
            return f->slots[i].font;
    }
    TTF_Font *font = open_size(f, px);
    if (!font) {
        log_error("cannot open font %s at %d px: %s", f->path, px, TTF_GetError());
        return NULL;
    }
    TTF_SetFontStyle(font, style == FONT_BOLD ? TTF_STYLE_BOLD : TTF_STYLE_NORMAL);
    int slot;
    if (f->n_slots < FONT_SLOTS) {
        slot = f->n_slots++;
    } else {
        slot = f->next_victim;
        f->next_victim = (f->next_victim + 1) % FONT_SLOTS;
        TTF_CloseFont(f->slots[slot].font);
    }
    f->slots[slot].font = font;
    f->slots[slot].px = px;
    f->slots[slot].style = (int)style;
    return font;
}

int fonts_measure(struct fonts *f, const char *s, int px, enum font_style style, int *w, int *h)
{
    TTF_Font *font = fonts_get(f, px, style);
    if (!font)
        return -EINVAL;
    if (!s[0]) {
        *w = 0;
        *h = TTF_FontHeight(font);
        return 0;
    }
    if (TTF_SizeUTF8(font, s, w, h) < 0)
        return -EINVAL;
    return 0;
}

int fonts_has_glyphs(struct fonts *f, const char *s)
{
    TTF_Font *font = fonts_get(f, 40, FONT_REGULAR);
    if (!font)
        return 0;
    size_t i = 0;
    for (uint32_t cp = utf8_next(s, &i); cp != 0; cp = utf8_next(s, &i)) {
        if (!TTF_GlyphIsProvided32(font, cp))
            return 0;
    }
    return 1;
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
