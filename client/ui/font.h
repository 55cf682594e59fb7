/* The UI font at every pixel size the UI uses: one TTF_Font per (px, style), opened lazily
 * from the same file. */
#ifndef DJTV_FONT_H
#define DJTV_FONT_H

#include <SDL_ttf.h>
#include <stddef.h>

enum font_style { FONT_REGULAR = 0, FONT_BOLD = 1 };

struct fonts;

/* index: face in a collection (.ttc); -1 = 2 for .ttc files (Noto CJK's SC face), else 0.
 * Opens the font once to check it; on failure returns NULL with a reason in err. */
struct fonts *fonts_open(const char *path, int index, char *err, size_t errlen);
void fonts_destroy(struct fonts *f);

/* NULL if the size cannot be opened (logged). px 8..400. */
TTF_Font *fonts_get(struct fonts *f, int px, enum font_style style);

/* Size of the rendered text box; 0 or -EINVAL. Empty text: width 0, the line height. */
int fonts_measure(struct fonts *f, const char *s, int px, enum font_style style, int *w, int *h);

/* 1 if the font has a glyph for every code point of s (spaces included). */
int fonts_has_glyphs(struct fonts *f, const char *s);

/* Copy s into out, cut at a character boundary and ended with "…" when it is wider than
 * max_w. Returns 1 if it was cut, 0 if not. */
int fonts_fit(struct fonts *f, const char *s, int px, enum font_style style, int max_w, char *out,
              size_t outlen);

#endif
