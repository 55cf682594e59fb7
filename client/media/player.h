/* The media player engine: HLS (VOD and live) and MP4 over HTTPS with a pinned CA,
 * MPEG-TS over UDP/RTP (unicast or multicast), local files.
 *
 * Threads: the caller's main thread (the one that owns SDL video) calls every function
 * here. The player runs a read/demux thread, a video and an audio decoder thread, and the
 * SDL audio callback; they never touch the renderer. When something changes they push an
 * SDL user event (type from player_options.event_type) so an event-driven main loop wakes:
 *
 *     event.user.code  = enum player_event
 *     event.user.data1 = the struct player * (identity only: compare, never dereference;
 *                        it may be stale after player_close)
 *     event.user.data2 = (void *)(uintptr_t)player_options.session, so a UI can drop
 *                        events of a player it has already closed
 *
 * Driving it: after player_open(), call player_update() once per main-loop iteration (it
 * uploads the frame due now into the player's streaming texture and tells how long until
 * the next one is due), then player_draw() while rendering. Everything else (state, stats,
 * controls) is cheap and never blocks on the network or a decoder.
 *
 * Clocks: audio is the master clock when there is audio; video frames are shown when the
 * audio clock reaches them (late frames are dropped and counted). The first frame is shown
 * as soon as it is decoded, without waiting for the audio buffer. */
#ifndef DJTV_MEDIA_PLAYER_H
#define DJTV_MEDIA_PLAYER_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>

enum player_state {
    PLAYER_OPENING, /* connecting, probing, waiting for the first frame */
    PLAYER_PLAYING,
    PLAYER_PAUSED,       /* paused by the user (player_set_paused) */
    PLAYER_BUFFERING,    /* the network is behind: the clock waits until enough is queued */
    PLAYER_RECONNECTING, /* a live stream stalled or dropped; retrying by itself */
    PLAYER_ENDED,        /* end of the media, or the live broadcast is over */
    PLAYER_ERROR,        /* see enum player_error; final until player_close */
};

enum player_error {
    PLAYER_ERR_NONE = 0,
    PLAYER_ERR_NOT_FOUND,   /* HTTP 404 or no such file */
    PLAYER_ERR_TLS,         /* the server's certificate is not trusted by the pinned CA */
    PLAYER_ERR_NETWORK,     /* unreachable, refused, no answer before the deadline, dropped */
    PLAYER_ERR_SERVER,      /* the server refused: HTTP 401/403/other 4xx/5xx */
    PLAYER_ERR_UNSUPPORTED, /* no decoder for the codec, nothing playable in the container */
    PLAYER_ERR_CORRUPT,     /* invalid or truncated data, nothing could be decoded */
    PLAYER_ERR_INTERNAL,    /* out of memory, no thread, ... */
};

enum player_event {
    PLAYER_EV_STATE = 1, /* the state changed: call player_get_state() */
    PLAYER_EV_FRAME = 2, /* a decoded frame is waiting: call player_update() */
};

enum player_live {
    PLAYER_LIVE_AUTO = 0, /* udp://, rtp:// and HLS without an end tag are live */
    PLAYER_LIVE_YES,
    PLAYER_LIVE_NO,
};

enum player_audio {
    PLAYER_AUDIO_DEVICE = 0, /* SDL audio device (SDL_AUDIODRIVER=dummy: timed, silent); if
                              * none opens, audio is timed without one (as _NULL) */
    PLAYER_AUDIO_NULL,       /* decode and consume audio in real time without any device */
    PLAYER_AUDIO_OFF,        /* ignore the audio stream; video runs on its own clock */
};

struct player_options {
    const char *url;     /* required; copied. file path, file://, https://, udp://, rtp:// */
    const char *ca_file; /* PEM CA to trust for https (verification is always on); copied */
    /* Live: URL is a multicast group and this its HTTPS stream, played instead (once, for
     * good) when the group is silent: nothing within 4 s of opening, or a stall. Copied;
     * NULL = none. */
    const char *fallback_url;
    /* Media on the DJTV server: "Authorization: Bearer AUTH_TOKEN" goes with every request
     * (playlist, segments, keys) to AUTH_ORIGIN ("https://host:port") and to no other origin.
     * Both copied; NULL = send none. */
    const char *auth_token;
    const char *auth_origin;
    double start_s;      /* resume position in seconds (VOD); 0 = from the start */
    enum player_live live;
    enum player_audio audio;
    bool no_present;      /* decode and time frames, drop them when due, upload nothing */
    uint32_t event_type;  /* from SDL_RegisterEvents(); 0 = post no events */
    uint32_t session;     /* echoed in every event (data2) */
    int open_timeout_ms;  /* deadline for connect + probe; 0 = 8000 */
    int stall_timeout_ms; /* live: no data this long means "reconnecting"; 0 = 3000 for
                           * udp/rtp, 12000 for HLS */
    int give_up_ms;       /* live: reconnecting this long ends the broadcast; 0 = 60000 */
    int decoder_threads;  /* video decoder threads; 0 = 1 up to 720p or with no_present,
                           * else 2 (two cores, one of them busy rendering) */
};

struct player_stats {
    enum player_state state;
    enum player_error error;
    int width, height;    /* of the last decoded frame; 0 if none */
    char video_codec[32]; /* decoder name, "" if no video */
    char audio_codec[32];
    char pix_fmt[24];  /* of the last frame shown */
    double fps;        /* nominal frame rate of the stream; 0 if unknown */
    double decode_fps; /* frames decoded per second, over the last second */
    uint64_t frames_decoded;
    uint64_t frames_presented;  /* shown (or, with no_present, timed and released) */
    uint64_t frames_dropped;    /* late: dropped by the decoder or at presentation */
    uint64_t frames_converted;  /* went through swscale (pix fmt not uploadable as-is) */
    uint64_t audio_underruns;   /* audio callbacks that found no decoded audio */
    double av_diff_ms;          /* video pts - audio clock at the last frame shown; NAN if none */
    int vq_packets, aq_packets; /* packet queue levels */
    int vq_ms, aq_ms;           /* ... as durations */
    int vq_kib, aq_kib;         /* ... as sizes */
    int vframes, aframes;       /* decoded frames waiting */
    int bitrate_kbps;           /* media bitrate: bytes fed to the decoders, last second */
    int sample_rate, channels;  /* of the audio output; 0 if none */
    double position_s;          /* seconds from the start of the media */
    double duration_s;          /* 0 if unknown (live) */
    bool is_live;
    bool seekable;
    int ttff_ms; /* player_open() to the first frame shown; -1 until then */
    bool muted;  /* player_set_muted */
    bool on_fallback; /* the fallback URL took over from a silent group */
};

struct player;

/* Call once at start-up (main thread): routes FFmpeg's log into common/log.h and sets up
 * networking. Idempotent. */
void player_global_init(void);
/* The djtv binary keeps the engine in a module loaded on first use (media/module.c): start
 * loading it in the background now, so the first video does not wait. A no-op where the
 * engine is linked in. */
void player_preload(void);

/* Start playing. Returns at once (state OPENING) or NULL on bad options / out of memory. */
struct player *player_open(const struct player_options *opts);
/* Stop and free. Returns promptly even if a server never answers. Call it with the renderer
 * that player_update used still alive (the texture is destroyed here). NULL is a no-op. */
void player_close(struct player *p);

enum player_state player_get_state(struct player *p, enum player_error *err);

/* Present: uploads the frame due now (if any) into the player's texture. Returns true if a
 * new frame was uploaded (the caller should redraw). *next_ms (optional) receives how long
 * until the next call is useful: a frame falls due, or a state check (<= 100 ms).
 * renderer may be NULL with no_present. */
bool player_update(struct player *p, SDL_Renderer *renderer, int *next_ms);
/* Draw the current frame letterboxed into dst (black bars). Nothing before the first frame. */
void player_draw(struct player *p, SDL_Renderer *renderer, const SDL_Rect *dst);
/* The renderer lost its textures (SDL_RENDER_TARGETS_RESET / SDL_RENDER_DEVICE_RESET, or a
 * new renderer): upload the frame on screen again. 0 or -errno. */
int player_renderer_reset(struct player *p, SDL_Renderer *renderer);

/* Controls: 0 or negative errno (-ENOTSUP on a live stream that cannot seek, -EAGAIN before
 * the media is open). Seeks are accurate to the frame: the player decodes from the keyframe
 * before the target and drops what precedes it. */
int player_set_paused(struct player *p, bool paused);
int player_toggle_pause(struct player *p);
/* Silence the sound while the media plays on (the clock and A/V sync keep running): the
 * read-aloud speaks over a video this way. */
void player_set_muted(struct player *p, bool muted);
int player_seek_to(struct player *p, double pos_s);
/* Relative to the current position, or to a seek still in progress (three +10 s presses
 * make +30 s). */
int player_seek_by(struct player *p, double delta_s);
/* Jump to a fraction of the duration (digit 3 -> 0.3). */
int player_seek_fraction(struct player *p, double fraction);

void player_get_stats(struct player *p, struct player_stats *out);
/* Seconds from the start of the media (0 before the first frame). */
double player_get_position(struct player *p);

/* English names, for logs and dumps: "opening", "not_found", ... */
const char *player_state_name(enum player_state s);
const char *player_error_name(enum player_error e);

#endif
