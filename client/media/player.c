#define LOG_TAG "player"
#include "media/player.h"

#include "log.h"
#include "media/internal.h"

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    CLOSE_WAIT_MS = 1000, /* then the read thread is left to finish (and free) on its own */
    IDLE_WAKE_MS = 100,   /* state checks while no frame is due */
};
#define SYNC_MIN 0.02 /* A/V correction threshold bounds, seconds */
#define SYNC_MAX 0.1
#define FRAME_GAP_MAX 10.0 /* a pts jump larger than this is a discontinuity */
#define BUFFER_VOD_S 1.0   /* queued media needed to leave BUFFERING */
#define BUFFER_LIVE_S 0.5
#define CUSHION_S 0.3      /* queued after the first frame before the clocks run */
#define CUSHION_LIVE_S 0.5 /* live input comes in bursts (audio PES, HLS segments) */
#define CUSHION_MAX_S 1.0  /* ... but never waited for longer than this */
#define DRY_S 0.25         /* a stream empty this long means the network is behind */

/* ---- FFmpeg log routing ---- */

static void ff_log(void *avcl, int level, const char *fmt, va_list vl)
{
    if (level > av_log_get_level())
        return;
    char line[1024];
    int prefix = 1;
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof(line), &prefix);
    /* Codec (and parser) complaints are routine when joining a live stream mid-GOP or
     * playing damaged media: keep them for debugging. I/O and format errors are warnings. */
    const AVClass *cls = avcl ? *(const AVClass **)avcl : NULL;
    AVClassCategory cat = !cls                ? AV_CLASS_CATEGORY_NA
                          : cls->get_category ? cls->get_category(avcl)
                                              : cls->category;
    bool codec = cat == AV_CLASS_CATEGORY_DECODER || cat == AV_CLASS_CATEGORY_ENCODER;
    enum log_level l = level <= AV_LOG_ERROR && !codec ? LOG_WARN : LOG_DEBUG;
    log_msg(l, "ffmpeg", "%s", line);
}

void player_global_init(void)
{
    av_log_set_level(log_get_level() >= LOG_DEBUG ? AV_LOG_VERBOSE : AV_LOG_ERROR);
    av_log_set_callback(ff_log);
    avformat_network_init();
}

void player_preload(void)
{
}

/* ---- names ---- */

const char *player_state_name(enum player_state s)
{
    static const char *const names[] = {"opening",      "playing", "paused", "buffering",
                                        "reconnecting", "ended",   "error"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

const char *player_error_name(enum player_error e)
{
    static const char *const names[] = {"none",   "not_found",   "tls",     "network",
                                        "server", "unsupported", "corrupt", "internal"};
    return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}

/* ---- shared helpers (any thread) ---- */

void player_post(struct player *p, enum player_event ev)
{
    if (!p->opts.event_type || atomic_load(&p->abort))
        return;
    if (ev == PLAYER_EV_FRAME && atomic_exchange(&p->wake_pending, true))
        return; /* one wake-up in flight is enough */
    SDL_Event e;
    SDL_zero(e);
    e.type = p->opts.event_type;
    e.user.code = (Sint32)ev;
    e.user.data1 = p;
    e.user.data2 = (void *)(uintptr_t)p->opts.session;
    if (SDL_PushEvent(&e) != 1 && ev == PLAYER_EV_FRAME)
        atomic_store(&p->wake_pending, false);
}

/* Change the state if it is still `from` (any state if from < 0). ERROR is final. */
static void set_state_if(struct player *p, int from, enum player_state st, enum player_error err)
{
    pthread_mutex_lock(&p->lock);
    bool changed = p->state != PLAYER_ERROR && (from < 0 || (int)p->state == from) &&
                   (p->state != st || p->error != err);
    if (changed) {
        p->state = st;
        p->error = err;
    }
    pthread_mutex_unlock(&p->lock);
    if (!changed)
        return;
    if (st == PLAYER_ERROR)
        log_warn("state: error (%s)", player_error_name(err));
    else
        log_info("state: %s", player_state_name(st));
    player_post(p, PLAYER_EV_STATE);
}

void player_set_state(struct player *p, enum player_state st, enum player_error err)
{
    set_state_if(p, -1, st, err);
}

double player_master_clock(struct player *p)
{
    return atomic_load(&p->audio_live) ? mclock_get(&p->aclk) : mclock_get(&p->vclk);
}

enum player_state player_get_state(struct player *p, enum player_error *err)
{
    pthread_mutex_lock(&p->lock);
    enum player_state st = p->state;
    if (err)
        *err = p->error;
    pthread_mutex_unlock(&p->lock);
    return st;
}

/* ---- lifecycle ---- */

static void on_video_taken(void *opaque)
{
    struct player *p = opaque;
    demux_packet_taken(p, &p->vq);
}

static void on_audio_taken(void *opaque)
{
    struct player *p = opaque;
    demux_packet_taken(p, &p->aq);
}

/* How far player_open got, so a failed open and player_free unwind the same way. */
enum { INIT_LOCK = 1, INIT_QUEUES, INIT_CLOCKS };

static void player_free(struct player *p, int stage)
{
    if (stage >= INIT_CLOCKS) {
        mclock_fini(&p->vclk);
        mclock_fini(&p->aclk);
    }
    if (stage >= INIT_QUEUES) {
        pktq_fini(&p->vq);
        pktq_fini(&p->aq);
        frameq_fini(&p->vfq);
        frameq_fini(&p->afq);
    }
    if (stage >= INIT_LOCK) {
        pthread_cond_destroy(&p->cond);
        pthread_mutex_destroy(&p->lock);
    }
    source_auth_fini(&p->src);
    free(p->url);
    free(p->ca_file);
    free(p->fallback_url);
    free(p);
}

static int init_sync(struct player *p)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return -ENOMEM;
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int ret = pthread_cond_init(&p->cond, &attr) == 0 ? 0 : -ENOMEM;
    pthread_condattr_destroy(&attr);
    if (ret == 0 && pthread_mutex_init(&p->lock, NULL) != 0) {
        pthread_cond_destroy(&p->cond);
        ret = -ENOMEM;
    }
    return ret;
}

static int init_queues(struct player *p)
{
    if (pktq_init(&p->vq, on_video_taken, p) < 0)
        return -ENOMEM;
    if (pktq_init(&p->aq, on_audio_taken, p) < 0)
        goto fail_vq;
    if (frameq_init(&p->vfq, VIDEO_FRAMES) < 0)
        goto fail_aq;
    if (frameq_init(&p->afq, AUDIO_FRAMES) < 0)
        goto fail_vfq;
    return 0;
fail_vfq:
    frameq_fini(&p->vfq);
fail_aq:
    pktq_fini(&p->aq);
fail_vq:
    pktq_fini(&p->vq);
    return -ENOMEM;
}

struct player *player_open(const struct player_options *opts)
{
    if (!opts || !opts->url || !opts->url[0])
        return NULL;
    struct player *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    int stage = 0;
    p->url = strdup(opts->url);
    p->ca_file = opts->ca_file ? strdup(opts->ca_file) : NULL;
    p->fallback_url = opts->fallback_url ? strdup(opts->fallback_url) : NULL;
    if (!p->url || (opts->ca_file && !p->ca_file) || (opts->fallback_url && !p->fallback_url))
        goto fail;
    p->opts = *opts;
    p->opts.url = p->url;
    p->opts.ca_file = p->ca_file;
    p->opts.fallback_url = p->fallback_url;
    p->opts.auth_token = p->opts.auth_origin = NULL; /* the source keeps its own copies */
    if (source_auth_init(&p->src, opts->auth_token, opts->auth_origin) < 0)
        goto fail;
    p->open_time = mclock_now();
    if (init_sync(p) < 0)
        goto fail;
    stage = INIT_LOCK;
    if (init_queues(p) < 0)
        goto fail;
    stage = INIT_QUEUES;
    if (mclock_init(&p->vclk, &p->vq.serial) < 0)
        goto fail;
    if (mclock_init(&p->aclk, &p->aq.serial) < 0) {
        mclock_fini(&p->vclk);
        goto fail;
    }
    stage = INIT_CLOCKS;
    video_out_init(&p->vo);
    p->state = PLAYER_OPENING;
    p->info.start_s = NAN;
    p->av_diff = NAN;
    p->ttff_ms = -1;
    p->video_stream = p->audio_stream = -1;
    p->rate_t0 = p->open_time;
    p->seek_shown_target = opts->start_s > 0 ? opts->start_s : 0;
    if (p->opts.audio == PLAYER_AUDIO_DEVICE) {
        if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
            p->sdl_audio = true;
        } else {
            log_warn("no SDL audio (%s): audio is timed without a device", SDL_GetError());
            p->opts.audio = PLAYER_AUDIO_NULL;
        }
    }
    if (pthread_create(&p->read_tid, NULL, demux_thread, p) != 0) {
        if (p->sdl_audio)
            SDL_QuitSubSystem(SDL_INIT_AUDIO);
        goto fail;
    }
    log_info("open %s", p->url);
    return p;
fail:
    player_free(p, stage);
    return NULL;
}

void player_thread_done(struct player *p)
{
    pthread_mutex_lock(&p->lock);
    p->read_done = true;
    bool detached = p->detached;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    if (detached) /* player_close has returned; nobody else holds p */
        player_free(p, INIT_CLOCKS);
}

void player_close(struct player *p)
{
    if (!p)
        return;
    atomic_store(&p->abort, true);
    pktq_abort(&p->vq);
    pktq_abort(&p->aq);
    frameq_abort(&p->vfq);
    frameq_abort(&p->afq);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += CLOSE_WAIT_MS / 1000;
    pthread_mutex_lock(&p->lock);
    pthread_cond_broadcast(&p->cond);
    while (!p->read_done) {
        if (pthread_cond_timedwait(&p->cond, &p->lock, &until) == ETIMEDOUT)
            break;
    }
    bool done = p->read_done;
    if (!done)
        p->detached = true;
    pthread_mutex_unlock(&p->lock);
    video_out_fini(&p->vo);
    if (!done) {
        /* Stuck in a call without a cancel path (name resolution): it frees p itself. */
        log_warn("read thread still busy after %d ms; leaving it to finish", CLOSE_WAIT_MS);
        pthread_detach(p->read_tid);
        return;
    }
    pthread_join(p->read_tid, NULL);
    if (p->sdl_audio)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    player_free(p, INIT_CLOCKS);
}

/* ---- presentation (main thread) ---- */

static void apply_pause(struct player *p, double now)
{
    pthread_mutex_lock(&p->lock);
    bool want = p->user_paused || p->buffering;
    pthread_mutex_unlock(&p->lock);
    if (want == p->applied_pause)
        return;
    if (want)
        p->pause_started = now;
    else
        p->frame_timer += now - p->pause_started;
    mclock_set_paused(&p->vclk, want);
    mclock_set_paused(&p->aclk, want);
    atomic_store(&p->output_paused, want);
    p->applied_pause = want;
}

/* Time between two frames from their pts, else the nominal duration. */
static double frame_gap(double pts, double next_pts, double fallback)
{
    double d = next_pts - pts;
    if (isnan(d) || d <= 0 || d > FRAME_GAP_MAX)
        return fallback > 0 ? fallback : 0.04;
    return d;
}

/* Stretch or shrink the wait for the next frame so video follows the audio clock. */
static double sync_delay(struct player *p, double delay)
{
    if (!atomic_load(&p->audio_live))
        return delay;
    double diff = mclock_get(&p->vclk) - mclock_get(&p->aclk);
    if (isnan(diff) || fabs(diff) > FRAME_GAP_MAX)
        return delay;
    double thr = fmax(SYNC_MIN, fmin(SYNC_MAX, delay * 0.5));
    if (diff <= -thr)
        return fmax(0, delay + diff);
    /* Far ahead (audio started late after a seek, or stalled): hold this frame until the
     * sound catches up instead of closing the gap one frame duration at a time. */
    if (diff >= thr)
        return delay > SYNC_MAX || diff >= SYNC_MAX ? delay + diff : delay * 2;
    return delay;
}

static bool show(struct player *p, SDL_Renderer *r, struct frameq_item *it, double now)
{
    bool uploaded = false;
    if (!p->opts.no_present && r)
        uploaded = video_out_upload(&p->vo, r, it->frame) == 0;
    p->last_pts = it->pts;
    p->last_duration = it->duration;
    p->shown_serial = it->serial;
    if (!isnan(it->pts))
        mclock_set(&p->vclk, it->pts, it->serial);
    double a = atomic_load(&p->audio_live) ? mclock_get(&p->aclk) : NAN;
    p->av_diff = isnan(a) || isnan(it->pts) ? NAN : it->pts - a;
    p->presented++;
    atomic_store(&p->shown_at_us, (int64_t)(now * 1e6));
    const char *pf = av_get_pix_fmt_name(it->frame->format);
    snprintf(p->pix_fmt, sizeof(p->pix_fmt), "%s", pf ? pf : "?");
    if (!p->started) {
        p->started = true;
        p->ttff_ms = (now - p->open_time) * 1000.0;
        log_info("first frame %dx%d %s after %.0f ms", it->frame->width, it->frame->height,
                 p->pix_fmt, p->ttff_ms);
    }
    return uploaded;
}

/* Show the frame due now, drop the ones already too late. Sets *wait_ms until the next. */
static bool refresh_video(struct player *p, SDL_Renderer *r, double now, int *wait_ms)
{
    bool uploaded = false;
    for (;;) {
        struct frameq_item *it = frameq_peek(&p->vfq);
        if (!it)
            break;
        int serial = atomic_load(&p->vq.serial);
        if (it->serial != serial) {
            frameq_next(&p->vfq); /* decoded before a seek or reconnect */
            continue;
        }
        if (p->shown_serial != serial) {
            /* First frame after open, seek or reconnect: show it at once, even paused. Its
             * time starts now: a pause before it (buffering while the input was gone) is not
             * added to it again when the pause ends. */
            p->frame_timer = now;
            if (p->applied_pause)
                p->pause_started = now;
            uploaded |= show(p, r, it, now);
            frameq_next(&p->vfq);
            continue;
        }
        if (p->applied_pause)
            break;
        double delay = sync_delay(p, frame_gap(p->last_pts, it->pts, p->last_duration));
        double due = p->frame_timer + delay;
        if (now < due) {
            int ms = (int)ceil((due - now) * 1000.0);
            if (ms < *wait_ms)
                *wait_ms = ms;
            break;
        }
        p->frame_timer = now - due > SYNC_MAX ? now : due;
        struct frameq_item *next = frameq_peek_next(&p->vfq);
        if (next && next->serial == serial &&
            now > p->frame_timer + frame_gap(it->pts, next->pts, it->duration)) {
            p->dropped_late++; /* its successor is due already */
            p->last_pts = it->pts;
            p->last_duration = it->duration;
            frameq_next(&p->vfq);
            continue;
        }
        uploaded |= show(p, r, it, now);
        frameq_next(&p->vfq);
    }
    return uploaded;
}

/* Seconds of media queued for a stream (decoded frames counted roughly). */
static double queued_s(struct pktq *q, struct frameq *fq)
{
    struct pktq_level lv;
    pktq_level(q, &lv);
    return (double)lv.duration_us / 1e6 + frameq_size(fq) * 0.02;
}

/* Buffering: hold the clocks until enough is queued. Network input first builds a short
 * cushion after its first frame (quietly: the picture is already up), and holds again when
 * a stream has run dry for a while, until enough is queued again, the input ends or the
 * read-ahead is full. */
static void update_buffering(struct player *p, const struct media_info *info, bool eof, double now)
{
    bool v = atomic_load(&p->video_live), a = atomic_load(&p->audio_live);
    double vs = v ? queued_s(&p->vq, &p->vfq) : 1e9;
    double as = a ? queued_s(&p->aq, &p->afq) : 1e9;
    bool empty = (v && vs == 0) || (a && as == 0);
    if (!empty)
        p->dry_since = 0;
    else if (p->dry_since == 0)
        p->dry_since = now;
    bool dry = p->dry_since > 0 && now - p->dry_since >= DRY_S;
    bool want = p->buffering, quiet = p->buffering_quiet;
    if (!info->network || eof || !p->started || atomic_load(&p->draining)) {
        want = false;
    } else if (!p->cushioned) {
        p->cushioned = true;
        want = quiet = true;
    } else if (!p->buffering && dry) {
        want = true;
        quiet = false;
    } else if (p->buffering) {
        /* Enough of both, or plenty of one (the other may simply have nothing more), or
         * the read-ahead is full; the start-up cushion never holds for long. */
        double need = quiet        ? (info->live ? CUSHION_LIVE_S : CUSHION_S)
                      : info->live ? BUFFER_LIVE_S
                                   : BUFFER_VOD_S;
        if ((fmin(vs, as) >= need || fmax(v ? vs : 0, a ? as : 0) >= 4 * need) ||
            atomic_load(&p->queues_full) || (quiet && now - p->buffering_since > CUSHION_MAX_S))
            want = false;
    }
    p->buffering_quiet = quiet;
    if (want && !p->buffering)
        p->buffering_since = now;
    if (want != p->buffering) {
        log_debug("%s buffering (video %.2f s, audio %.2f s queued)", want ? "start" : "stop",
                  v ? vs : 0, a ? as : 0);
        p->buffering = want;
    }
}

static bool drained(struct player *p)
{
    bool v =
        !atomic_load(&p->video_live) ||
        (atomic_load(&p->vfinished) == atomic_load(&p->vq.serial) && frameq_size(&p->vfq) == 0);
    bool a =
        !atomic_load(&p->audio_live) ||
        (atomic_load(&p->afinished) == atomic_load(&p->aq.serial) && frameq_size(&p->afq) == 0);
    return v && a;
}

static void update_state(struct player *p, double now)
{
    pthread_mutex_lock(&p->lock);
    enum player_state st = p->state;
    struct media_info info = p->info;
    bool user_paused = p->user_paused;
    pthread_mutex_unlock(&p->lock);
    if (st == PLAYER_ERROR)
        return;
    bool video = atomic_load(&p->video_live);
    int aserial = atomic_load(&p->aq.serial);
    /* Audio-only media starts when the audio clock runs. */
    if (!video && atomic_load(&p->audio_live) && !isnan(mclock_get(&p->aclk))) {
        if (!p->started) {
            p->started = true;
            p->ttff_ms = (now - p->open_time) * 1000.0;
        }
        p->shown_serial = aserial;
    }
    bool current =
        video ? p->shown_serial == atomic_load(&p->vq.serial) : p->shown_serial == aserial;
    bool eof = atomic_load(&p->eof);
    if (st == PLAYER_OPENING && !p->started && !(eof && drained(p)))
        return;
    if (st == PLAYER_RECONNECTING) {
        if (!(p->started && current))
            return;
        p->cushioned = false; /* a new connection: a new start-up cushion */
    }
    if (st == PLAYER_ENDED && eof && drained(p))
        return; /* stays ended until a seek brings frames again */
    update_buffering(p, &info, eof, now);
    apply_pause(p, now);
    enum player_state next = user_paused                           ? PLAYER_PAUSED
                             : p->buffering && !p->buffering_quiet ? PLAYER_BUFFERING
                                                                   : PLAYER_PLAYING;
    enum player_error err = PLAYER_ERR_NONE;
    if (eof && drained(p)) {
        err = (enum player_error)atomic_load(&p->read_error);
        next = err ? PLAYER_ERROR : PLAYER_ENDED;
        if (!p->started && !err) {
            next = PLAYER_ERROR; /* the whole input was unreadable */
            err = PLAYER_ERR_CORRUPT;
        }
    }
    /* Only from the state read above: the read thread may have moved on meanwhile (to
     * RECONNECTING, ERROR, ENDED) and its word wins. */
    set_state_if(p, (int)st, next, err);
}

static void update_rates(struct player *p, double now)
{
    double dt = now - p->rate_t0;
    if (dt < 1.0)
        return;
    uint64_t frames = atomic_load(&p->frames_decoded), bytes = atomic_load(&p->bytes_decoded);
    p->decode_fps = (double)(frames - p->rate_frames0) / dt;
    p->bitrate_kbps = (int)((double)(bytes - p->rate_bytes0) * 8.0 / dt / 1000.0);
    p->rate_frames0 = frames;
    p->rate_bytes0 = bytes;
    p->rate_t0 = now;
}

/* The streams are known but no frame is decoded yet: let the renderer get ready meanwhile. */
static void prewarm(struct player *p, SDL_Renderer *r)
{
    pthread_mutex_lock(&p->lock);
    struct media_info info = p->info;
    pthread_mutex_unlock(&p->lock);
    if (!info.has_video && !info.has_audio)
        return; /* still opening */
    if (!info.has_video || p->started || frameq_size(&p->vfq) > 0) {
        p->vo.warmed = true; /* nothing to show, or too late to help */
        return;
    }
    video_out_prewarm(&p->vo, r, info.pix_fmt, info.width, info.height, info.color_space,
                      info.color_range);
}

bool player_update(struct player *p, SDL_Renderer *renderer, int *next_ms)
{
    atomic_store(&p->wake_pending, false);
    double now = mclock_now();
    int wait_ms = IDLE_WAKE_MS;
    apply_pause(p, now);
    if (!p->vo.warmed && !p->opts.no_present && renderer)
        prewarm(p, renderer);
    bool uploaded = refresh_video(p, renderer, now, &wait_ms);
    update_state(p, now);
    update_rates(p, now);
    if (next_ms)
        *next_ms = wait_ms < 0 ? 0 : wait_ms;
    return uploaded;
}

void player_draw(struct player *p, SDL_Renderer *renderer, const SDL_Rect *dst)
{
    if (!p->opts.no_present)
        video_out_draw(&p->vo, renderer, dst);
}

int player_renderer_reset(struct player *p, SDL_Renderer *renderer)
{
    return p->opts.no_present ? 0 : video_out_reset(&p->vo, renderer);
}

/* ---- controls (main thread) ---- */

int player_set_paused(struct player *p, bool paused)
{
    pthread_mutex_lock(&p->lock);
    p->user_paused = paused;
    pthread_mutex_unlock(&p->lock);
    double now = mclock_now();
    apply_pause(p, now);
    update_state(p, now);
    return 0;
}

void player_set_muted(struct player *p, bool muted)
{
    atomic_store(&p->muted, muted);
}

int player_toggle_pause(struct player *p)
{
    pthread_mutex_lock(&p->lock);
    bool paused = !p->user_paused;
    pthread_mutex_unlock(&p->lock);
    return player_set_paused(p, paused);
}

static bool seek_in_flight(struct player *p)
{
    pthread_mutex_lock(&p->lock);
    bool pending = p->seek_req || atomic_load(&p->seeks_done) != p->seek_gen;
    pthread_mutex_unlock(&p->lock);
    if (pending)
        return true;
    bool video = atomic_load(&p->video_live);
    int serial = atomic_load(video ? &p->vq.serial : &p->aq.serial);
    return video ? p->shown_serial != serial : isnan(mclock_get(&p->aclk));
}

double player_get_position(struct player *p)
{
    if (seek_in_flight(p))
        return p->seek_shown_target;
    pthread_mutex_lock(&p->lock);
    double start = p->info.start_s;
    pthread_mutex_unlock(&p->lock);
    /* The audio clock, or the video clock before audio runs (and while paused after a
     * seek, when no audio has been heard at the new place yet). */
    double m = atomic_load(&p->audio_live) ? mclock_get(&p->aclk) : NAN;
    if (isnan(m))
        m = mclock_get(&p->vclk);
    if (!isnan(m) && !isnan(start))
        p->last_position = fmax(0, m - start);
    return p->last_position;
}

int player_seek_to(struct player *p, double pos_s)
{
    pthread_mutex_lock(&p->lock);
    if (!p->info.seekable) {
        int ret = p->state == PLAYER_OPENING ? -EAGAIN : -ENOTSUP;
        pthread_mutex_unlock(&p->lock);
        return ret;
    }
    double dur = p->info.duration_s;
    if (dur > 0 && pos_s > dur - 1.0)
        pos_s = dur - 1.0;
    if (pos_s < 0 || isnan(pos_s))
        pos_s = 0;
    p->seek_req = true;
    p->seek_target = pos_s;
    p->seek_gen++;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    p->seek_shown_target = pos_s;
    return 0;
}

int player_seek_by(struct player *p, double delta_s)
{
    double base = player_get_position(p); /* the pending target while a seek is in flight */
    return player_seek_to(p, base + delta_s);
}

int player_seek_fraction(struct player *p, double fraction)
{
    pthread_mutex_lock(&p->lock);
    double dur = p->info.duration_s;
    pthread_mutex_unlock(&p->lock);
    if (dur <= 0 || isnan(fraction))
        return p->state == PLAYER_OPENING ? -EAGAIN : -ENOTSUP;
    return player_seek_to(p, dur * fmin(1.0, fmax(0.0, fraction)));
}

void player_get_stats(struct player *p, struct player_stats *s)
{
    *s = (struct player_stats){0};
    pthread_mutex_lock(&p->lock);
    s->state = p->state;
    s->error = p->error;
    struct media_info info = p->info;
    pthread_mutex_unlock(&p->lock);
    s->width = atomic_load(&p->last_width);
    s->height = atomic_load(&p->last_height);
    snprintf(s->video_codec, sizeof(s->video_codec), "%s", info.video_codec);
    snprintf(s->audio_codec, sizeof(s->audio_codec), "%s", info.audio_codec);
    snprintf(s->pix_fmt, sizeof(s->pix_fmt), "%s", p->pix_fmt);
    s->fps = info.fps;
    s->decode_fps = p->decode_fps;
    s->frames_decoded = atomic_load(&p->frames_decoded);
    s->frames_presented = p->presented;
    s->frames_dropped = p->dropped_late + atomic_load(&p->frames_dropped_early);
    s->frames_converted = p->vo.conversions;
    s->audio_underruns = atomic_load(&p->audio_underruns);
    s->av_diff_ms = p->av_diff * 1000.0;
    struct pktq_level v, a;
    pktq_level(&p->vq, &v);
    pktq_level(&p->aq, &a);
    s->vq_packets = v.count;
    s->aq_packets = a.count;
    s->vq_ms = (int)(v.duration_us / 1000);
    s->aq_ms = (int)(a.duration_us / 1000);
    s->vq_kib = (int)(v.bytes / 1024);
    s->aq_kib = (int)(a.bytes / 1024);
    s->vframes = frameq_size(&p->vfq);
    s->aframes = frameq_size(&p->afq);
    s->bitrate_kbps = p->bitrate_kbps;
    if (atomic_load(&p->audio_live)) {
        s->sample_rate = atomic_load(&p->audio_rate);
        s->channels = atomic_load(&p->audio_channels);
    }
    s->position_s = player_get_position(p);
    s->duration_s = info.duration_s;
    s->is_live = info.live;
    s->seekable = info.seekable;
    s->ttff_ms = p->ttff_ms < 0 ? -1 : (int)(p->ttff_ms + 0.5);
    s->muted = atomic_load(&p->muted);
    s->on_fallback = atomic_load(&p->on_fallback);
}
