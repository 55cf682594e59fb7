/* Video output on the main thread: a streaming texture in the decoder's own YUV layout
 * (IYUV for yuv420p, NV12 for nv12: the GPU, or SDL's renderer, converts to RGB), swscale
 * only as a fallback for other pixel formats, and a letterboxed draw. */
#ifndef DJTV_MEDIA_VIDEO_OUT_H
#define DJTV_MEDIA_VIDEO_OUT_H

#include <SDL2/SDL.h>
#include <libavutil/frame.h>
#include <stdbool.h>
#include <stdint.h>

struct SwsContext;

struct video_out {
    SDL_Renderer *renderer; /* borrowed: the renderer tex belongs to */
    SDL_Texture *tex;       /* owned */
    Uint32 tex_format;
    int tex_w, tex_h;
    SDL_YUV_CONVERSION_MODE tex_mode; /* the YUV->RGB matrix SDL fixed at creation */
    bool warmed;                      /* video_out_prewarm ran */
    int frame_w, frame_h; /* of the frame in the texture */
    AVRational sar;       /* its sample aspect ratio */
    bool has_frame;
    AVFrame *last;          /* owned reference to the frame in the texture, to upload again
                             * after the renderer lost its textures */
    struct SwsContext *sws; /* owned: fallback conversion */
    AVFrame *conv;          /* owned: fallback's yuv420p buffer */
    uint64_t conversions;   /* frames that went through swscale */
};

void video_out_init(struct video_out *vo);
/* Destroys the texture: call on the main thread while the renderer is alive. */
void video_out_fini(struct video_out *vo);
/* Before the first frame, while the decoder is still busy: make the texture the stream will
 * need and draw it once, off screen, so the renderer builds its YUV shader now (Mesa's
 * llvmpipe compiles it on first use: ~0.1 s on the first frame otherwise). Draws into the
 * back buffer only; the next frame clears it. pix_fmt may be AV_PIX_FMT_NONE and the size 0
 * when the container does not tell (guesses yuv420p HD then). Once per video_out. */
void video_out_prewarm(struct video_out *vo, SDL_Renderer *r, int pix_fmt, int w, int h,
                       int color_space, int color_range);
/* Upload f into the texture (recreated when the size or layout changes). 0 or -errno. */
int video_out_upload(struct video_out *vo, SDL_Renderer *r, const AVFrame *f);
/* The renderer lost its textures (SDL_RENDER_TARGETS_RESET, SDL_RENDER_DEVICE_RESET):
 * make a new texture and upload the last frame into it again. 0 or -errno. */
int video_out_reset(struct video_out *vo, SDL_Renderer *r);
/* Draw the texture into dst keeping the display aspect; the rest of dst is black (only those
 * bars are filled: the caller need not clear dst first). */
void video_out_draw(struct video_out *vo, SDL_Renderer *r, const SDL_Rect *dst);
/* The largest rect of the frame's display aspect centred in dst. */
SDL_Rect video_out_fit(int frame_w, int frame_h, AVRational sar, const SDL_Rect *dst);

#endif
