/* The UI's text faces: the shipped font first, then, glyph by glyph, the next installed face
 * that has a character the shipped font lacks (font_fallback.h), at the same size and on
 * the same baseline. A character no face has is drawn as a visible placeholder one ideograph
 * wide, counted as missing, and its code point logged once. One TTF_Font per (face, style),
 * opened lazily from one read-only mapping of the face's file and set to each size as it is
 * asked for; the installed faces are listed by fontconfig on a thread started when the fonts
 * open. */
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
/* The same shipped font for another thread (a FreeType face serves one thread at a time):
 * its faces open on that thread at first use, it has no fallback faces (give it only text
 * fonts_has_glyphs() accepts), and it shares like's lock for opening faces, so destroy it
 * before like. Everything else, destroy included, on the thread that uses it. NULL when out
 * of memory. */
struct fonts *fonts_sibling(struct fonts *like);

/* The shipped font at px; NULL if the size cannot be set (logged). px 8..400. Borrowed, and
 * only until the next call for the same style at another size: use it at once. */
TTF_Font *fonts_get(struct fonts *f, int px, enum font_style style);

/* Size of the rendered text box (fallback faces and placeholders included); 0 or -EINVAL.
 * The height is the shipped font's line height. Empty text: width 0, the line height. */
int fonts_measure(struct fonts *f, const char *s, int px, enum font_style style, int *w, int *h);

/* The text in fg (alpha ignored) on a transparent ARGB surface of fonts_measure()'s size;
 * *missing gets the number of placeholders drawn. NULL on error (logged) or for "". */
SDL_Surface *fonts_render(struct fonts *f, const char *s, int px, enum font_style style,
                          SDL_Color fg, int *missing);

/* 1 if the shipped font itself has a glyph for every code point of s (spaces included). */
int fonts_has_glyphs(struct fonts *f, const char *s);
/* How many characters of s no face on the box has (drawn as placeholders). */
int fonts_missing(struct fonts *f, const char *s);

/* Copy s into out, cut at a character boundary and ended with "…" when it is wider than
 * max_w. Returns 1 if it was cut, 0 if not. */
int fonts_fit(struct fonts *f, const char *s, int px, enum font_style style, int max_w, char *out,
              size_t outlen);

#endif
