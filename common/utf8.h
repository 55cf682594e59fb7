/* UTF-8 for client and server: one strict decoder (no overlong forms, no surrogates, nothing
 * above U+10FFFF), and the walks built on it. */
#ifndef DJTV_UTF8_H
#define DJTV_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode the character at s, looking at no more than len bytes (and at no byte past one that
 * breaks the sequence, so a NUL ends it safely). Returns its length (1..4) with *cp set, or 0
 * if s does not start with a whole, valid sequence (or len is 0). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Walk a NUL-terminated string: the code point at s[*i], advancing *i. An invalid byte
 * decodes as U+FFFD and advances by one. Returns 0 at the end of the string. */
uint32_t utf8_next(const char *s, size_t *i);

/* 1 if s[0..len) is all valid UTF-8 (NUL bytes count as characters). */
int utf8_valid(const char *s, size_t len);

/* The longest prefix of valid UTF-8 s (len bytes) that has at most max bytes and does not
 * cut a character. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

#endif
