#define LOG_TAG "video"
#include "media/video_out.h"

#include "log.h"

#include <errno.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

void video_out_init(struct video_out *vo)
{
    *vo = (struct video_out){.sar = {1, 1}};
}

void video_out_fini(struct video_out *vo)
{
    if (vo->tex)
        SDL_DestroyTexture(vo->tex);
    sws_freeContext(vo->sws);
    av_frame_free(&vo->conv);
    av_frame_free(&vo->last);
    video_out_init(vo);
}

/* The matrix SDL will use for a frame: fixed here, not left to SDL's AUTOMATIC, so the
 * warm-up texture (made before any frame) picks the same one as the frame's. */
static SDL_YUV_CONVERSION_MODE conversion_mode(int format, int space, int range, int w, int h)
{
    if (range == AVCOL_RANGE_JPEG || format == AV_PIX_FMT_YUVJ420P)
        return SDL_YUV_CONVERSION_JPEG;
    switch (space) {
    case AVCOL_SPC_BT709:
        return SDL_YUV_CONVERSION_BT709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
        return SDL_YUV_CONVERSION_BT601;
    default:
        return SDL_GetYUVConversionModeForResolution(w, h); /* BT.601 for SD, BT.709 for HD */
    }
}

static SDL_YUV_CONVERSION_MODE frame_mode(const AVFrame *f)
{
    return conversion_mode(f->format, f->colorspace, f->color_range, f->width, f->height);
}

static int ensure_texture(struct video_out *vo, SDL_Renderer *r, Uint32 format, int w, int h,
                          SDL_YUV_CONVERSION_MODE mode)
{
    if (vo->tex && vo->renderer == r && vo->tex_format == format && vo->tex_w == w &&
        vo->tex_h == h && vo->tex_mode == mode)
        return 0;
    if (vo->tex)
        SDL_DestroyTexture(vo->tex);
    /* SDL reads the conversion mode when it creates a YUV texture. */
    SDL_SetYUVConversionMode(mode);
    vo->tex = SDL_CreateTexture(r, format, SDL_TEXTUREACCESS_STREAMING, w, h);
    if (!vo->tex) {
        log_error("cannot create %dx%d texture: %s", w, h, SDL_GetError());
        vo->renderer = NULL;
        return -ENOMEM;
    }
    vo->renderer = r;
    vo->tex_format = format;
    vo->tex_w = w;
    vo->tex_h = h;
    vo->tex_mode = mode;
    log_info("video texture %dx%d %s", w, h, SDL_GetPixelFormatName(format));
    return 0;
}

void video_out_prewarm(struct video_out *vo, SDL_Renderer *r, int pix_fmt, int w, int h,
                       int color_space, int color_range)
{
    if (vo->warmed || vo->has_frame || !r)
        return;
    vo->warmed = true;
    if (w <= 0 || h <= 0)
        w = 1920, h = 1080;
    if (pix_fmt == AV_PIX_FMT_NONE)
        pix_fmt = AV_PIX_FMT_YUV420P;
    Uint32 format = pix_fmt == AV_PIX_FMT_NV12 ? SDL_PIXELFORMAT_NV12 : SDL_PIXELFORMAT_IYUV;
    SDL_YUV_CONVERSION_MODE mode = conversion_mode(pix_fmt, color_space, color_range, w, h);
    if (ensure_texture(vo, r, format, w, h, mode) < 0)
        return;
    /* A small copy is enough: the shader is built per draw state, not per pixel. */
    SDL_Rect dst = {0, 0, 16, 16};
    SDL_RenderCopy(r, vo->tex, NULL, &dst);
    SDL_RenderFlush(r); /* issue it now, not with the next present */
}

/* Fallback for pixel formats a texture cannot take as they are: swscale to yuv420p. */
static const AVFrame *convert(struct video_out *vo, const AVFrame *f)
{
    vo->sws = sws_getCachedContext(vo->sws, f->width, f->height, f->format, f->width, f->height,
                                   AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (!vo->sws)
        return NULL;
    if (!vo->conv || vo->conv->width != f->width || vo->conv->height != f->height) {
        av_frame_free(&vo->conv);
        vo->conv = av_frame_alloc();
        if (!vo->conv)
            return NULL;
        vo->conv->format = AV_PIX_FMT_YUV420P;
        vo->conv->width = f->width;
        vo->conv->height = f->height;
        if (av_frame_get_buffer(vo->conv, 0) < 0) {
            av_frame_free(&vo->conv);
            return NULL;
        }
        log_info("converting %s frames with swscale", av_get_pix_fmt_name(f->format));
    }
    sws_scale(vo->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, vo->conv->data,
              vo->conv->linesize);
    vo->conv->colorspace = f->colorspace;
    vo->conv->color_range = f->color_range;
    vo->conversions++;
    return vo->conv;
}

int video_out_upload(struct video_out *vo, SDL_Renderer *r, const AVFrame *f)
{
    if (!r || f->width <= 0 || f->height <= 0)
        return -EINVAL;
    const AVFrame *src = f;
    Uint32 format;
    bool positive = f->linesize[0] > 0 && f->linesize[1] > 0;
    if ((f->format == AV_PIX_FMT_YUV420P || f->format == AV_PIX_FMT_YUVJ420P) && positive &&
        f->linesize[2] > 0) {
        format = SDL_PIXELFORMAT_IYUV;
    } else if (f->format == AV_PIX_FMT_NV12 && positive) {
        format = SDL_PIXELFORMAT_NV12;
    } else {
        src = convert(vo, f);
        if (!src)
            return -ENOMEM;
        format = SDL_PIXELFORMAT_IYUV;
    }
    int ret = ensure_texture(vo, r, format, src->width, src->height, frame_mode(src));
    if (ret < 0)
        return ret;
    if (format == SDL_PIXELFORMAT_NV12)
        ret = SDL_UpdateNVTexture(vo->tex, NULL, src->data[0], src->linesize[0], src->data[1],
                                  src->linesize[1]);
    else
        ret = SDL_UpdateYUVTexture(vo->tex, NULL, src->data[0], src->linesize[0], src->data[1],
                                   src->linesize[1], src->data[2], src->linesize[2]);
    if (ret < 0) {
        log_warn("texture upload failed: %s", SDL_GetError());
        return -EIO;
    }
    if (f != vo->last) {
        if (!vo->last)
            vo->last = av_frame_alloc();
        if (vo->last) {
            av_frame_unref(vo->last);
            if (av_frame_ref(vo->last, f) < 0)
                av_frame_free(&vo->last);
        }
    }
    vo->frame_w = f->width;
    vo->frame_h = f->height;
    vo->sar = f->sample_aspect_ratio.num > 0 && f->sample_aspect_ratio.den > 0
                  ? f->sample_aspect_ratio
                  : (AVRational){1, 1};
    vo->has_frame = true;
    return 0;
}

int video_out_reset(struct video_out *vo, SDL_Renderer *r)
{
    if (vo->tex)
        SDL_DestroyTexture(vo->tex);
    vo->tex = NULL;
    vo->renderer = NULL;
    vo->has_frame = false;
    return vo->last ? video_out_upload(vo, r, vo->last) : 0;
}

SDL_Rect video_out_fit(int frame_w, int frame_h, AVRational sar, const SDL_Rect *dst)
{
    SDL_Rect out = *dst;
    if (frame_w <= 0 || frame_h <= 0 || dst->w <= 0 || dst->h <= 0)
        return out;
    if (sar.num <= 0 || sar.den <= 0)
        sar = (AVRational){1, 1};
    double aspect = (double)frame_w * sar.num / ((double)frame_h * sar.den);
    int w = dst->w;
    int h = (int)(w / aspect + 0.5);
    if (h > dst->h) {
        h = dst->h;
        w = (int)(h * aspect + 0.5);
    }
    out.w = w;
    out.h = h;
    out.x = dst->x + (dst->w - w) / 2;
    out.y = dst->y + (dst->h - h) / 2;
    return out;
}

void video_out_draw(struct video_out *vo, SDL_Renderer *r, const SDL_Rect *dst)
{
    if (!vo->has_frame || !vo->tex || vo->renderer != r)
        return;
    SDL_Rect fit = video_out_fit(vo->frame_w, vo->frame_h, vo->sar, dst);
    if (fit.w < dst->w || fit.h < dst->h) {
        /* Only the bars: a software GL (llvmpipe) pays for every pixel filled, even those the
         * picture covers next (a full-window fill measured +0.09 s/s at 720p). Top and bottom
         * span the width, left and right the picture's height: every pixel of DST outside FIT
         * is painted, also when rounding leaves a one-pixel edge on the other axis. */
        SDL_Rect bars[4] = {
            { dst->x, dst->y, dst->w, fit.y - dst->y },
            { dst->x, fit.y + fit.h, dst->w, dst->y + dst->h - fit.y - fit.h },
            { dst->x, fit.y, fit.x - dst->x, fit.h },
            { fit.x + fit.w, fit.y, dst->x + dst->w - fit.x - fit.w, fit.h },
        };
        Uint8 cr, cg, cb, ca;
        SDL_BlendMode bm;
        SDL_GetRenderDrawColor(r, &cr, &cg, &cb, &ca);
        SDL_GetRenderDrawBlendMode(r, &bm);
        SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
        SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
        for (int i = 0; i < 4; i++)
            if (bars[i].w > 0 && bars[i].h > 0)
                SDL_RenderFillRect(r, &bars[i]);
        SDL_SetRenderDrawBlendMode(r, bm);
        SDL_SetRenderDrawColor(r, cr, cg, cb, ca);
    }
    SDL_RenderCopy(r, vo->tex, NULL, &fit);
}
