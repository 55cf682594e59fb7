#include "ui/utf8.h"

uint32_t utf8_next(const char *s, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    if (!p[0])
        return 0;
    if (p[0] < 0x80) {
        (*i)++;
        return p[0];
    }
    int n;
    uint32_t cp, min;
    if ((p[0] & 0xe0) == 0xc0) {
        n = 1, cp = p[0] & 0x1f, min = 0x80;
    } else if ((p[0] & 0xf0) == 0xe0) {
        n = 2, cp = p[0] & 0x0f, min = 0x800;
    } else if ((p[0] & 0xf8) == 0xf0) {
        n = 3, cp = p[0] & 0x07, min = 0x10000;
    } else {
        (*i)++;
        return 0xfffd;
    }
    for (int k = 1; k <= n; k++) {
        if ((p[k] & 0xc0) != 0x80) {
            (*i)++;
            return 0xfffd;
        }
        cp = (cp << 6) | (p[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        (*i)++;
        return 0xfffd;
    }
    *i += (size_t)n + 1;
    return cp;
}
