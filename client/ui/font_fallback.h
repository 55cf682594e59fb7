/* The other faces installed on the box, in fontconfig's order of preference for simplified
 * Chinese sans-serif text, each with the characters it covers. Where the shipped font lacks
 * a glyph, font.c draws it from the first of these that has it. Set FONTCONFIG_FILE to give
 * the box another list. */
#ifndef DJTV_FONT_FALLBACK_H
#define DJTV_FONT_FALLBACK_H

#include <stdint.h>

struct font_fallbacks;

/* Asks fontconfig once; NULL when it cannot be loaded (logged): then there is no fallback. */
struct font_fallbacks *font_fallbacks_load(void);
void font_fallbacks_free(struct font_fallbacks *fb);
int font_fallbacks_count(const struct font_fallbacks *fb);
/* The first face (0..count-1) that covers cp, or -1. */
int font_fallbacks_find(const struct font_fallbacks *fb, uint32_t cp);
/* File and face index (in a collection) of face n; 0, or -1 if n is out of range. */
int font_fallbacks_file(const struct font_fallbacks *fb, int n, const char **path, int *index);

#endif
