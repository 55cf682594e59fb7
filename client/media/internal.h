/* The player's shared state, seen by player.c (main thread), demux.c (read thread),
 * decode.c (decoder threads) and audio_out.c (audio callback). Not a public header.
 *
 * Locking: fields marked [lock] are guarded by player.lock; [atomic] are _Atomic and may be
 * read anywhere; [main], [read], [callback] are touched by that thread only; [const] are
 * set in player_open before any thread starts. The queues and clocks have their own locks
 * and live from player_open to player_close, so the main thread may use them while the
 * read thread replaces decoders (reconnect). Lock order: player.lock, then a queue's lock. */
#ifndef DJTV_MEDIA_INTERNAL_H
#define DJTV_MEDIA_INTERNAL_H

#include "media/clock.h"
#include "media/frameq.h"
#include "media/pktq.h"
#include "media/player.h"
#include "media/source.h"
#include "media/video_out.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct decoder;
struct audio_out;

/* Decoded frames kept ahead of presentation. Live sound keeps fewer: each one waiting is
 * ~21 ms more behind the sender (the packet queue before it absorbs the network's bursts). */
enum { VIDEO_FRAMES = 3, AUDIO_FRAMES = 9, AUDIO_FRAMES_LIVE = 4 };

/* What is playing, written by the read thread when streams open. [lock] */
struct media_info {
    bool has_video, has_audio;
    bool live, seekable;
    bool network; /* not a local file: may need buffering */
    char video_codec[32], audio_codec[32];
    double fps;
    /* What the container tells of the picture before any frame (0 / -1 if it does not). */
    int width, height, pix_fmt, color_space, color_range;
    double start_s;    /* media time of position 0; NAN until known */
    double duration_s; /* 0 if unknown */
};

struct player {
    char *url;                  /* [const] owned */
    char *ca_file;              /* [const] owned, may be NULL */
    char *fallback_url;         /* [const] owned, may be NULL */
    struct player_options opts; /* [const] copy; url/ca_file/fallback_url point at the owned
                                 * copies */
    double open_time;           /* [const] mclock_now() at player_open */

    _Atomic bool abort;          /* [atomic] player_close: every thread unwinds */
    _Atomic bool wake_pending;   /* [atomic] a PLAYER_EV_FRAME is queued and not yet handled */
    _Atomic bool output_paused;  /* [atomic] set by main: the audio sink plays silence */
    _Atomic bool muted;          /* [atomic] set by main: audio plays on, as silence */
    _Atomic bool on_fallback;    /* [atomic] set by read thread: fallback_url is the input */
    _Atomic bool eof;            /* [atomic] read thread queued the end of the media */
    _Atomic bool draining;       /* [atomic] live input ended: playing out what is queued */
    _Atomic int read_error;      /* [atomic] player_error that ended reading early, 0 none */
    _Atomic int vfinished;       /* [atomic] serial the video decoder fully drained, 0 none */
    _Atomic int afinished;       /* [atomic] same for audio */
    _Atomic bool audio_live;     /* [atomic] an audio stream is being decoded and played */
    _Atomic bool video_live;     /* [atomic] a video stream is being decoded */
    _Atomic bool queues_full;    /* [atomic] read thread is waiting for room */
    _Atomic unsigned seeks_done; /* [atomic] seek_gen of the last seek carried out */

    /* Counters written by worker threads. [atomic] */
    _Atomic uint64_t frames_decoded;
    _Atomic uint64_t frames_dropped_early;
    _Atomic uint64_t bytes_decoded;
    _Atomic uint64_t audio_underruns;
    _Atomic int audio_rate, audio_channels;
    _Atomic int last_width, last_height;
    _Atomic int64_t audio_frame_us; /* duration of the last decoded audio frame */
    _Atomic int64_t shown_at_us;    /* mclock_now() of the last picture shown, in us; 0 none */

    struct pktq vq, aq;     /* own locks */
    struct frameq vfq, afq; /* own locks */
    struct mclock vclk;     /* video: pts of the frame on screen */
    struct mclock aclk;     /* audio: pts of the sample being heard (master when playing) */

    pthread_mutex_t lock;
    pthread_cond_t cond;     /* read thread waits here; player_close waits for it too */
    enum player_state state; /* [lock] */
    enum player_error error; /* [lock] */
    bool user_paused;        /* [lock] */
    bool seek_req;           /* [lock] */
    double seek_target;      /* [lock] seconds from the start */
    unsigned seek_gen;       /* [lock] counts seek requests */
    struct media_info info;  /* [lock] */
    bool read_done;          /* [lock] read thread has finished */
    bool detached;           /* [lock] player_close gave up waiting: the thread frees */

    pthread_t read_tid;   /* [const after start] */
    struct source src;    /* [read] */
    struct decoder *vdec; /* [read] owned */
    struct decoder *adec; /* [read] owned */
    struct audio_out *ao; /* [read] owned; its callback reads queues and clocks */
    int video_stream;     /* [read] index in src.ic, -1 none */
    int audio_stream;     /* [read] */

    /* Presentation state. [main] */
    struct video_out vo;
    double frame_timer;       /* monotonic time the current frame was due */
    double last_pts;          /* pts of the frame on screen */
    double last_duration;     /* its duration */
    int shown_serial;         /* serial of the frame on screen, 0 none */
    bool applied_pause;       /* clocks currently paused */
    double pause_started;     /* monotonic time of the last pause */
    double seek_shown_target; /* position to report while a seek is in flight */
    double last_position;
    bool sdl_audio;       /* SDL_InitSubSystem(SDL_INIT_AUDIO) done by player_open */
    bool buffering;       /* clocks held until enough is queued */
    bool buffering_quiet; /* ... the start-up cushion: not reported as BUFFERING */
    bool cushioned;       /* the start-up cushion of this connection was built */
    double dry_since;     /* monotonic time a stream ran dry, 0 if it is not */
    double buffering_since;
    bool started; /* first frame shown (or first audio heard) */
    uint64_t presented;
    uint64_t dropped_late;
    double av_diff;
    double ttff_ms;
    double rate_t0; /* decode fps / bitrate window start */
    uint64_t rate_frames0, rate_bytes0;
    double decode_fps;
    int bitrate_kbps;
    char pix_fmt[24];
};

/* player.c: state changes (any thread) and wake-ups. */
void player_set_state(struct player *p, enum player_state st, enum player_error err);
void player_post(struct player *p, enum player_event ev);
/* The master clock: audio when audio plays, else the video clock. NAN if unknown. */
double player_master_clock(struct player *p);

/* The read thread is finished: frees the player if player_close stopped waiting for it. */
void player_thread_done(struct player *p);

/* demux.c: the read thread. */
void *demux_thread(void *arg);
/* A decoder took a packet from q (its thread): wakes the read thread if it waits for room. */
void demux_packet_taken(struct player *p, struct pktq *q);

#endif
