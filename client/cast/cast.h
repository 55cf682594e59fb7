/* djtv-cast: a village cadre's live encoder. One pipeline: sources (test pattern, file/URL, or
 * camera + microphone) push raw frames, which are encoded (H.264 with libx264, AAC), cut into
 * MPEG-TS segments at each key frame (one per GOP, 1 s) and handed to the uplink, which PUTs
 * them to the server over HTTPS with the broadcast's publishing key. Optionally the same
 * transport stream also goes to a UDP multicast group (the cable network's headend). */
#ifndef DJTV_CAST_H
#define DJTV_CAST_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct AVFrame;

enum {
    CAST_SAMPLE_RATE = 48000,
    CAST_CHANNELS = 2,
};

struct cast_options {
    const char *server;   /* https://host:port */
    const char *ca;       /* PEM file that signs the server's certificate */
    const char *key_file; /* file holding the publishing key (kept out of argv and ps) */
    int64_t broadcast_id;
    const char *input;    /* "pattern", "camera", or a file name / URL */
    const char *video_dev; /* camera: /dev/video0 */
    const char *audio_dev; /* camera: ALSA device, "default"; "" = none */
    int loop;             /* file input: start again at the end */
    int width, height, fps;
    int bitrate_kbps;
    const char *preset;   /* x264 preset */
    int segment_ms;       /* length of a segment (one GOP): 200..1000 */
    int buffer_s;         /* seconds of segments kept while the uplink is down */
    int seconds;          /* stop after this much media; 0 = until SIGINT/SIGTERM */
    const char *multicast; /* udp://group:port, or NULL */
    const char *status_file; /* one JSON line of uplink state, rewritten each second; or NULL */
    const char *preview_file; /* a small BMP of the picture sent, rewritten each second; or NULL */
};

/* A finished segment. */
struct cast_segment {
    int64_t seq;
    double duration_s;
    uint8_t *data; /* owned */
    size_t len;
    int discontinuity; /* the segment follows a gap (segments dropped before it) */
};

/* ---- pattern.c: the built-in test pattern ---- */
/* Draw the pattern for wall clock MS (ms since the epoch) and frame N into a yuv420p FRAME. */
void pattern_draw(struct AVFrame *frame, int64_t ms, int64_t n);
/* Fill SAMPLES stereo float-planar samples of the 1 kHz tone, starting at sample POS. */
void pattern_tone(struct AVFrame *frame, int64_t pos, int samples);
/* The clock as blocks, for readers that must not need OCR (tests/bench/glass.py): with
 * B = width / 64, row 0 at y = height - 5B holds CLOCK_BITS blocks of B x B from x = 2B, most
 * significant bit first, white = 1; row 1 right under it holds the same bits inverted. */
enum { CLOCK_BITS = 48 };

/* ---- preview.c: the picture sent, small, for the cadre's TV ---- */
struct preview;
int preview_create(const char *path, int src_w, int src_h, struct preview **out);
/* A yuv420p frame of the source size; written out at most once a second. */
void preview_offer(struct preview *pv, const struct AVFrame *f);
void preview_destroy(struct preview *pv);

/* ---- pipeline.c: encoders and segmenter ---- */
struct pipeline;
struct uplink;
int pipeline_create(const struct cast_options *o, struct uplink *up, struct pipeline **out);
/* Encode one yuv420p frame of options' size with presentation index PTS (in frames). */
int pipeline_video(struct pipeline *p, struct AVFrame *frame, int64_t pts);
/* Encode float-planar stereo 48 kHz samples (any count); the pipeline counts them. */
int pipeline_audio(struct pipeline *p, const struct AVFrame *frame);
/* Flush the encoders and the last segment. */
int pipeline_finish(struct pipeline *p);
void pipeline_destroy(struct pipeline *p);
int64_t pipeline_frames(const struct pipeline *p);

/* ---- uplink.c: HTTPS upload with a bounded buffer ---- */
struct uplink_stats {
    int up;               /* the last request reached the server */
    int64_t sent, sent_bytes, dropped, queued, queued_bytes, refused;
    int64_t last_seq;
    int reconnects;
    char last_error[160];
};
int uplink_create(const struct cast_options *o, const char *key, struct uplink **out);
/* Takes SEG (its data is owned by the uplink now). Never blocks on the network. */
void uplink_push(struct uplink *u, struct cast_segment *seg);
/* Wait up to TIMEOUT_MS for the queue to drain, then stop the thread and free. */
void uplink_destroy(struct uplink *u, int timeout_ms);
void uplink_stats(struct uplink *u, struct uplink_stats *out);
/* 1 once the server refused the key or the broadcast (no point retrying). */
int uplink_refused(struct uplink *u);

/* ---- capture.c: file/URL, camera and microphone (libavdevice) ---- */
struct capture;
/* Start reading; frames go to P from the capture's own threads, paced in real time. */
int capture_start(const struct cast_options *o, struct pipeline *p, struct capture **out);
/* 1 while the capture still runs (a file without loop ends). */
int capture_running(struct capture *c);
/* 1 when some input gives sound (else the caller feeds silence). */
int capture_has_audio(const struct capture *c);
void capture_stop(struct capture *c);

#endif
