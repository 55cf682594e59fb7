/* Media ingest for the importer: a video file becomes a VOD HLS rendition (index.m3u8 + MPEG-TS
 * segments of about MEDIA_SEGMENT_S seconds, cut at key frames) and images are checked before
 * they are copied. H.264 video and AAC audio are copied packet by packet (remux, no decode);
 * any other codec is decoded and encoded again (H.264 with libx264 when present, AAC). */
#ifndef DJTV_MEDIA_H
#define DJTV_MEDIA_H

#include <stddef.h>

enum {
    MEDIA_SEGMENT_S = 4, /* target segment length; a transcode puts a key frame every 2 s */
    MEDIA_GOP_S = 2,
};

struct media_hls_result {
    int video_copied; /* 1 when the video was remuxed, 0 when transcoded */
    int audio_copied; /* 1 remuxed, 0 transcoded, -1 when the input has no audio */
    int duration_s;   /* rounded up; 0 when unknown */
    int width, height;
    char video_codec[32]; /* the input's codec names, for the log */
    char audio_codec[32];
};

/* Write OUT_DIR/index.m3u8 and OUT_DIR/segNNN.ts from INPUT (OUT_DIR must exist and be empty:
 * the caller writes to a fresh folder and renames it into place). 0 or a negative errno (an
 * AVERROR where FFmpeg failed) with a one-line reason in ERR. */
int media_hls_make(const char *input, const char *out_dir, struct media_hls_result *res,
                   char *err, size_t errlen);

/* The same, telling PROGRESS (with ARG) how much of the input has been read, in whole percent,
 * each time that changes (on the calling thread). */
typedef void (*media_progress_fn)(void *arg, int percent);
int media_hls_make_progress(const char *input, const char *out_dir,
                            struct media_hls_result *res, char *err, size_t errlen,
                            media_progress_fn progress, void *arg);

/* Check that PATH is a JPEG or PNG image with a sane size, by its header. 0 and *EXT set to
 * "jpg" or "png", or -EINVAL (-errno when unreadable) with the reason in ERR. */
int media_image_check(const char *path, const char **ext, char *err, size_t errlen);

/* Write OUT_JPG, a 640x360 JPEG of the first picture of INPUT. 0 or a negative AVERROR with
 * the reason in ERR. */
int media_poster_make(const char *input, const char *out_jpg, char *err, size_t errlen);

/* Route FFmpeg's own log lines into ours (warnings and errors only, by default). */
void media_log_init(void);

#endif
