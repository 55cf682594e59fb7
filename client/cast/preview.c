/* The cadre's preview (--preview-file): about once a second, the frame being sent, scaled to
 * PREVIEW_W x PREVIEW_H and written as a 24-bit BMP (a temp file, then renamed, so a reader
 * never sees half a picture). The TV's cadre mode shows it beside the roll call. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/frame.h>
#include <libavutil/time.h>
#include <libswscale/swscale.h>

#include "cast.h"

enum { PREVIEW_W = 384, PREVIEW_H = 216, BMP_HEADER = 54, PREVIEW_EVERY_US = 1000000 };

struct preview {
    char *path;              /* owned */
    char *tmp;               /* owned: path + ".tmp" */
    struct SwsContext *sws;  /* owned */
    uint8_t *bmp;            /* owned: header + bottom-up BGR rows */
    uint8_t *rgb;            /* owned: top-down BGR from swscale */
    int64_t next_us;
};

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

int preview_create(const char *path, int src_w, int src_h, struct preview **out)
{
    struct preview *pv = calloc(1, sizeof(*pv));
    size_t len = strlen(path);
    size_t row = (size_t)PREVIEW_W * 3, size = BMP_HEADER + row * PREVIEW_H;
    if (!pv)
        return -ENOMEM;
    pv->path = strdup(path);
    pv->tmp = malloc(len + 5);
    pv->bmp = calloc(1, size);
    pv->rgb = malloc(row * PREVIEW_H);
    pv->sws = sws_getContext(src_w, src_h, AV_PIX_FMT_YUV420P, PREVIEW_W, PREVIEW_H,
                             AV_PIX_FMT_BGR24, SWS_BILINEAR, NULL, NULL, NULL);
    if (!pv->path || !pv->tmp || !pv->bmp || !pv->rgb || !pv->sws) {
        preview_destroy(pv);
        return -ENOMEM;
    }
    memcpy(pv->tmp, path, len);
    memcpy(pv->tmp + len, ".tmp", 5);
    uint8_t *h = pv->bmp;
    h[0] = 'B';
    h[1] = 'M';
    put32(h + 2, (uint32_t)size);
    put32(h + 10, BMP_HEADER);
    put32(h + 14, 40); /* BITMAPINFOHEADER */
    put32(h + 18, PREVIEW_W);
    put32(h + 22, PREVIEW_H); /* positive: rows bottom-up */
    put16(h + 26, 1);
    put16(h + 28, 24);
    put32(h + 34, (uint32_t)(row * PREVIEW_H));
    *out = pv;
    return 0;
}

void preview_offer(struct preview *pv, const AVFrame *f)
{
    int64_t now = av_gettime_relative();
    if (!pv || now < pv->next_us)
        return;
    pv->next_us = now + PREVIEW_EVERY_US;
    int row = PREVIEW_W * 3;
    uint8_t *dst[4] = { pv->rgb, NULL, NULL, NULL };
    int stride[4] = { row, 0, 0, 0 };
    if (sws_scale(pv->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst,
                  stride) != PREVIEW_H)
        return;
    for (int y = 0; y < PREVIEW_H; y++)
        memcpy(pv->bmp + BMP_HEADER + (size_t)(PREVIEW_H - 1 - y) * (size_t)row,
               pv->rgb + (size_t)y * (size_t)row, (size_t)row);
    FILE *out = fopen(pv->tmp, "wb");
    if (!out)
        return;
    size_t size = BMP_HEADER + (size_t)row * PREVIEW_H;
    int ok = fwrite(pv->bmp, 1, size, out) == size;
    ok = fclose(out) == 0 && ok;
    if (ok)
        rename(pv->tmp, pv->path);
    else
        remove(pv->tmp);
}

void preview_destroy(struct preview *pv)
{
    if (!pv)
        return;
    sws_freeContext(pv->sws);
    free(pv->rgb);
    free(pv->bmp);
    free(pv->tmp);
    free(pv->path);
    free(pv);
}
