/* Image checks by header: JPEG (SOI marker, then a frame header with a size) and PNG
 * (signature, then IHDR with a size). Enough to refuse a text file or a truncated upload named
 * poster.jpg; the client decodes the image itself. */
#include "media/media.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { HEAD_MAX = 64 * 1024, SIDE_MAX = 16384 };

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int size_ok(uint32_t w, uint32_t h)
{
    return w >= 1 && h >= 1 && w <= SIDE_MAX && h <= SIDE_MAX;
}

/* Walk the JPEG markers up to the first SOFn and read its size. */
static int jpeg_size(const unsigned char *b, size_t n, uint32_t *w, uint32_t *h)
{
    size_t i = 2;
    while (i + 4 <= n) {
        if (b[i] != 0xFF)
            return -EINVAL;
        unsigned m = b[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) {
            i += 2;
            continue;
        }
        unsigned len = be16(b + i + 2);
        if (len < 2)
            return -EINVAL;
        int sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (i + 9 > n)
                return -EINVAL;
            *h = be16(b + i + 5);
            *w = be16(b + i + 7);
            return 0;
        }
        i += 2 + len;
    }
    return -EINVAL;
}

int media_image_check(const char *path, const char **ext, char *err, size_t errlen)
{
    static const unsigned char PNG_SIG[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    FILE *f = fopen(path, "rb");
    if (!f) {
        int rc = -errno;
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return rc;
    }
    unsigned char b[HEAD_MAX];
    size_t n = fread(b, 1, sizeof(b), f);
    fclose(f);
    uint32_t w = 0, h = 0;
    if (n >= 24 && memcmp(b, PNG_SIG, 8) == 0 && memcmp(b + 12, "IHDR", 4) == 0) {
        w = be32(b + 16);
        h = be32(b + 20);
        *ext = "png";
    } else if (n >= 4 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        if (jpeg_size(b, n, &w, &h) < 0) {
            snprintf(err, errlen, "a JPEG without a readable frame header");
            return -EINVAL;
        }
        *ext = "jpg";
    } else {
        snprintf(err, errlen, "not a JPEG or PNG image");
        return -EINVAL;
    }
    if (!size_ok(w, h)) {
        snprintf(err, errlen, "image size %ux%u out of range", (unsigned)w, (unsigned)h);
        return -EINVAL;
    }
    return 0;
}
