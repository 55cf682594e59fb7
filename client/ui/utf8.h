/* Minimal UTF-8 walking for glyph checks and ellipsis cuts. */
#ifndef DJTV_UTF8_H
#define DJTV_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode the code point at s[*i] and advance *i. Invalid bytes decode as U+FFFD and advance
 * by one. Returns 0 at the end of the string. */
uint32_t utf8_next(const char *s, size_t *i);

#endif
