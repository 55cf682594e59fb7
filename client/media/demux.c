#define LOG_TAG "demux"
#include "log.h"
#include "media/audio_out.h"
#include "media/catchup.h"
#include "media/decode.h"
#include "media/internal.h"

#include <errno.h>
#include <libavutil/time.h>
#include <math.h>
#include <string.h>

/* Read-ahead limits: a box has little memory. On-demand input is read until each stream has
 * QUEUE_AHEAD_US queued or all together hold QUEUE_MAX_BYTES; live input arrives at its own
 * pace and is never held back (a full queue then drops packets instead). Once full, reading
 * resumes when a stream is down to QUEUE_REFILL_US: in bursts, not one wake-up per packet. */
enum {
    QUEUE_MAX_BYTES = 8 * 1024 * 1024,
    QUEUE_AHEAD_US = 3 * 1000 * 1000,
    QUEUE_REFILL_US = 2500 * 1000,
    QUEUE_MIN_PACKETS = 8,
    READ_TIMEOUT_MS = 15000, /* on-demand: no data this long is a network error */
    RETRY_PAUSE_MS = 300,    /* between reconnection attempts */
    FALLBACK_OPEN_MS = 4000, /* a multicast group silent this long from the start: fallback */
    MAX_READ_ERRORS = 100,   /* consecutive bad packets before giving up on the input */
    AUDIO_BACKLOG = 96,      /* about 2 s of AAC at 48 kHz: one GOP */
};

/* Live catch-up (catchup.h). HLS arrives a segment at a time and the playlist is polled,
 * so the queue swings by a segment; the window spans two segments and a poll, and a little
 * slack stays for the poll's jitter. A datagram stream arrives steadily: it keeps less. */
#define TRIM_HLS_HIGH_S 0.35
#define TRIM_HLS_KEEP_S 0.15
#define TRIM_HLS_WINDOW_S 3.0
#define TRIM_STREAM_HIGH_S 0.12
#define TRIM_STREAM_KEEP_S 0.05
#define TRIM_STREAM_WINDOW_S 2.0

/* Read-thread-only state of the current connection. */
struct reader {
    AVPacket *pkt; /* owned */
    bool wait_key; /* drop packets until a video keyframe (join, seek, reconnect) */
    /* Audio read while waiting for the keyframe: queued when it comes, so the sound starts
     * with the first picture rather than at the next audio PES. Owned, oldest first. */
    AVPacket *backlog[AUDIO_BACKLOG];
    int backlog_n;
    bool eof_sent;
    int errors;      /* consecutive read errors */
    int64_t vdur_us; /* default video packet duration when the container gives none */
    double wait_since; /* mclock_now() when wait_key was set */
    int skipped;       /* video packets dropped while waiting for the keyframe */
    struct catchup trim; /* live: slack in front of the audio decoder */
};

static int opt_ms(int value, int fallback)
{
    return value > 0 ? value : fallback;
}

static int stall_ms(const struct player *p)
{
    return opt_ms(p->opts.stall_timeout_ms, p->src.kind == SOURCE_DATAGRAM ? 3000 : 12000);
}

/* The input being read: the URL, or its fallback once that took over. */
static const char *input_url(const struct player *p)
{
    return atomic_load(&p->on_fallback) ? p->fallback_url : p->url;
}

/* The multicast group is silent: its fallback becomes the input, once and for good. False
 * when there is none or it already is. */
static bool take_fallback(struct player *p)
{
    if (!p->fallback_url || atomic_load(&p->on_fallback))
        return false;
    log_info("multicast %s is silent: playing %s instead", p->url, p->fallback_url);
    atomic_store(&p->on_fallback, true);
    return true;
}

/* Wait on the player's cond for at most ms (0 = until signalled). Call with the lock held. */
static void wait_locked(struct player *p, int ms)
{
    if (ms <= 0) {
        pthread_cond_wait(&p->cond, &p->lock);
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* the cond is created with CLOCK_MONOTONIC */
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&p->cond, &p->lock, &ts);
}

static void sleep_ms(struct player *p, int ms)
{
    pthread_mutex_lock(&p->lock);
    if (!atomic_load(&p->abort))
        wait_locked(p, ms);
    pthread_mutex_unlock(&p->lock);
}

static void close_components(struct player *p)
{
    atomic_store(&p->video_live, false);
    atomic_store(&p->audio_live, false);
    pktq_abort(&p->vq);
    pktq_abort(&p->aq);
    frameq_abort(&p->vfq);
    frameq_abort(&p->afq);
    decoder_destroy(p->vdec);
    decoder_destroy(p->adec);
    p->vdec = p->adec = NULL;
    p->video_stream = p->audio_stream = -1;
}

static void publish_info(struct player *p)
{
    AVFormatContext *ic = p->src.ic;
    struct media_info info = {.has_video = p->vdec != NULL, .has_audio = p->adec != NULL,
                              .pix_fmt = AV_PIX_FMT_NONE};
    info.live = p->src.live;
    info.seekable = p->src.seekable;
    info.network = p->src.kind != SOURCE_FILE;
    info.duration_s = (double)p->src.duration_us / AV_TIME_BASE;
    info.start_s = p->src.start_us == AV_NOPTS_VALUE ? NAN : (double)p->src.start_us / AV_TIME_BASE;
    if (p->vdec) {
        snprintf(info.video_codec, sizeof(info.video_codec), "%s", decoder_name(p->vdec));
        AVRational fr = av_guess_frame_rate(ic, ic->streams[p->video_stream], NULL);
        info.fps = fr.num > 0 && fr.den > 0 ? av_q2d(fr) : 0;
        const AVCodecParameters *par = ic->streams[p->video_stream]->codecpar;
        info.width = par->width;
        info.height = par->height;
        info.pix_fmt = par->format;
        info.color_space = par->color_space;
        info.color_range = par->color_range;
    }
    if (p->adec)
        snprintf(info.audio_codec, sizeof(info.audio_codec), "%s", decoder_name(p->adec));
    pthread_mutex_lock(&p->lock);
    /* Keep what the first packet told when the container does not say (and, live, count
     * from the first packet of the first connection). */
    if (!isnan(p->info.start_s) && (info.live || isnan(info.start_s)))
        info.start_s = p->info.start_s;
    p->info = info;
    pthread_mutex_unlock(&p->lock);
}

/* av_find_best_stream() passes over audio whose rate and channels are not known yet, which
 * is every audio stream when the stream info was skipped: then take the first one with a
 * known codec, in the same program as the video if there are programs. */
static int pick_stream(AVFormatContext *ic, enum AVMediaType type, int related)
{
    int best = av_find_best_stream(ic, type, -1, related, NULL, 0);
    if (best >= 0)
        return best;
    const AVProgram *prog = related >= 0 ? av_find_program_from_stream(ic, NULL, related) : NULL;
    unsigned n = prog ? prog->nb_stream_indexes : ic->nb_streams;
    for (unsigned i = 0; i < n; i++) {
        unsigned idx = prog ? prog->stream_index[i] : i;
        const AVCodecParameters *par = ic->streams[idx]->codecpar;
        if (par->codec_type == type && par->codec_id != AV_CODEC_ID_NONE)
            return (int)idx;
    }
    return AVERROR_STREAM_NOT_FOUND;
}

/* Pick the streams, open their decoders and the audio sink, start the threads. */
static int open_components(struct player *p, struct reader *rd)
{
    AVFormatContext *ic = p->src.ic;
    int v = pick_stream(ic, AVMEDIA_TYPE_VIDEO, -1);
    int a = -1;
    if (p->opts.audio != PLAYER_AUDIO_OFF)
        a = pick_stream(ic, AVMEDIA_TYPE_AUDIO, v);
    if (v < 0 && a < 0) {
        log_warn("no audio or video stream");
        return AVERROR_STREAM_NOT_FOUND;
    }
    int ret = 0;
    if (v >= 0) {
        ret = decoder_create(&p->vdec, p, ic, v, p->opts.decoder_threads);
        if (ret < 0)
            return ret; /* a picture we cannot show makes the media unplayable */
    }
    if (a >= 0) {
        ret = decoder_create(&p->adec, p, ic, a, 1);
        if (ret < 0 && !p->vdec)
            return ret;
        if (ret < 0)
            a = -1; /* play the picture without sound */
    }
    if (p->adec && !p->ao) {
        const AVCodecParameters *par = ic->streams[a]->codecpar;
        ret =
            audio_out_open(&p->ao, p, p->opts.audio, par->sample_rate, par->ch_layout.nb_channels);
        if (ret < 0 && !p->vdec)
            return AVERROR(ENOMEM);
    }
    if (p->adec && !p->ao) {
        decoder_destroy(p->adec); /* no sink: video runs on its own clock */
        p->adec = NULL;
        a = -1;
    }
    for (unsigned i = 0; i < ic->nb_streams; i++)
        ic->streams[i]->discard = ((int)i == v || (int)i == a) ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    p->video_stream = v;
    p->audio_stream = a;
    rd->vdur_us = 40000;
    if (v >= 0) {
        AVRational fr = av_guess_frame_rate(ic, ic->streams[v], NULL);
        if (fr.num > 0 && fr.den > 0)
            rd->vdur_us = av_rescale(AV_TIME_BASE, fr.den, fr.num);
    }
    publish_info(p);
    player_post(p, PLAYER_EV_FRAME); /* the main thread may get the renderer ready meanwhile */
    pktq_start(&p->vq);
    pktq_start(&p->aq);
    frameq_start(&p->vfq);
    frameq_start(&p->afq);
    frameq_set_limit(&p->afq, p->src.live ? AUDIO_FRAMES_LIVE : AUDIO_FRAMES);
    if (p->vdec && decoder_start(p->vdec) < 0)
        return AVERROR(EAGAIN);
    if (p->adec && decoder_start(p->adec) < 0)
        return AVERROR(EAGAIN);
    atomic_store(&p->video_live, p->vdec != NULL);
    atomic_store(&p->audio_live, p->adec != NULL);
    return 0;
}

static void clear_backlog(struct reader *rd)
{
    for (int i = 0; i < rd->backlog_n; i++)
        av_packet_free(&rd->backlog[i]);
    rd->backlog_n = 0;
}

static void reset_reader(struct player *p, struct reader *rd)
{
    rd->wait_key = p->vdec != NULL;
    rd->wait_since = mclock_now();
    rd->skipped = 0;
    clear_backlog(rd);
    rd->eof_sent = false;
    rd->errors = 0;
    if (p->src.kind == SOURCE_HLS)
        catchup_init(&rd->trim, TRIM_HLS_HIGH_S, TRIM_HLS_KEEP_S, TRIM_HLS_WINDOW_S);
    else
        catchup_init(&rd->trim, TRIM_STREAM_HIGH_S, TRIM_STREAM_KEEP_S, TRIM_STREAM_WINDOW_S);
    atomic_store(&p->eof, false);
    atomic_store(&p->read_error, 0);
}

/* Media time (AV_TIME_BASE) of position 0: the container's start, else the first packet. */
static int64_t media_start(struct player *p)
{
    if (p->src.start_us != AV_NOPTS_VALUE)
        return p->src.start_us;
    pthread_mutex_lock(&p->lock);
    double s = p->info.start_s;
    pthread_mutex_unlock(&p->lock);
    return isnan(s) ? 0 : (int64_t)(s * AV_TIME_BASE);
}

/* The container does not say where its timestamps start (HLS of MPEG-TS): read one packet
 * to learn it, so a resume position lands on the same timeline as later seeks. */
static void learn_start(struct player *p, struct reader *rd)
{
    AVFormatContext *ic = p->src.ic;
    for (int i = 0; i < 50 && av_read_frame(ic, rd->pkt) >= 0; i++) {
        const AVStream *st = ic->streams[rd->pkt->stream_index];
        int64_t ts = rd->pkt->pts != AV_NOPTS_VALUE ? rd->pkt->pts : rd->pkt->dts;
        av_packet_unref(rd->pkt);
        if (ts == AV_NOPTS_VALUE)
            continue;
        pthread_mutex_lock(&p->lock);
        p->info.start_s = (double)ts * av_q2d(st->time_base);
        pthread_mutex_unlock(&p->lock);
        return;
    }
}

/* Open the input (first time or reconnect) and start decoding from start_s. */
static int start_source(struct player *p, struct reader *rd, double start_s, int timeout_ms)
{
    int ret = source_open(&p->src, input_url(p), p->ca_file, &p->abort, p->opts.live, timeout_ms);
    if (ret < 0)
        return ret;
    double drop_before = NAN;
    if (start_s > 0 && p->src.seekable) {
        source_set_deadline(&p->src, opt_ms(p->opts.open_timeout_ms, 8000));
        if (p->src.start_us == AV_NOPTS_VALUE)
            learn_start(p, rd);
        int64_t ts = media_start(p) + (int64_t)(start_s * AV_TIME_BASE);
        if (avformat_seek_file(p->src.ic, -1, INT64_MIN, ts, ts, 0) >= 0)
            drop_before = (double)ts / AV_TIME_BASE;
        source_set_deadline(&p->src, 0);
    }
    pktq_flush(&p->vq, drop_before);
    pktq_flush(&p->aq, drop_before);
    ret = open_components(p, rd);
    if (ret < 0) {
        close_components(p);
        source_close(&p->src);
        return ret;
    }
    reset_reader(p, rd);
    return 0;
}

static void fail(struct player *p, int averr)
{
    enum player_error e = source_classify(&p->src, averr);
    if (atomic_load(&p->abort))
        return;
    log_warn("%s: %s -> %s", p->opts.live == PLAYER_LIVE_YES ? "live" : "input", av_err2str(averr),
             player_error_name(e));
    player_set_state(p, PLAYER_ERROR, e);
}

static bool enough(struct pktq *q, bool active, int64_t need_us)
{
    if (!active)
        return true;
    struct pktq_level lv;
    pktq_level(q, &lv);
    return lv.duration_us >= need_us && lv.count >= QUEUE_MIN_PACKETS;
}

static bool over_bytes(struct player *p)
{
    struct pktq_level v, a;
    pktq_level(&p->vq, &v);
    pktq_level(&p->aq, &a);
    return v.bytes + a.bytes > QUEUE_MAX_BYTES;
}

/* On-demand: wait while the queues hold enough. Returns with a request or room. */
static void wait_for_room(struct player *p)
{
    pthread_mutex_lock(&p->lock);
    int64_t need = QUEUE_AHEAD_US;
    while (!atomic_load(&p->abort) && !p->seek_req &&
           (over_bytes(p) || (enough(&p->vq, p->vdec, need) && enough(&p->aq, p->adec, need)))) {
        atomic_store(&p->queues_full, true);
        need = QUEUE_REFILL_US; /* full once: wait until there is room for a burst */
        wait_locked(p, 500);
    }
    atomic_store(&p->queues_full, false);
    pthread_mutex_unlock(&p->lock);
}

void demux_packet_taken(struct player *p, struct pktq *q)
{
    /* The read thread only needs a wake-up when it waits and this queue is low enough to
     * read again (the 500 ms timeout covers the byte limit). */
    if (!atomic_load(&p->queues_full))
        return;
    struct pktq_level lv;
    pktq_level(q, &lv);
    if (lv.duration_us >= QUEUE_REFILL_US && lv.count >= QUEUE_MIN_PACKETS)
        return;
    pthread_mutex_lock(&p->lock);
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

static void do_seek(struct player *p, struct reader *rd, double target, unsigned gen)
{
    int64_t ts = media_start(p) + (int64_t)(target * AV_TIME_BASE);
    source_set_deadline(&p->src, opt_ms(p->opts.open_timeout_ms, 8000));
    /* The keyframe at or before the target; the decoders drop the frames up to it. */
    int ret = avformat_seek_file(p->src.ic, -1, INT64_MIN, ts, ts, 0);
    source_set_deadline(&p->src, 0);
    if (ret < 0) {
        log_warn("seek to %.1f s failed: %s", target, av_err2str(ret));
        atomic_store(&p->seeks_done, gen);
        return;
    }
    source_clear_timeout(&p->src);
    double drop_before = (double)ts / AV_TIME_BASE;
    pktq_flush(&p->vq, drop_before);
    pktq_flush(&p->aq, drop_before);
    reset_reader(p, rd);
    atomic_store(&p->seeks_done, gen);
    log_debug("seek to %.2f s", target);
}

/* End of input: let the decoders drain what they hold. */
static void send_eof(struct player *p, struct reader *rd)
{
    if (rd->eof_sent)
        return;
    if (p->vdec)
        pktq_put_drain(&p->vq);
    if (p->adec)
        pktq_put_drain(&p->aq);
    rd->eof_sent = true;
}

static bool drained(struct player *p)
{
    int vs = atomic_load(&p->vq.serial), as = atomic_load(&p->aq.serial);
    bool v = !p->vdec || (atomic_load(&p->vfinished) == vs && frameq_size(&p->vfq) == 0);
    bool a = !p->adec || (atomic_load(&p->afinished) == as && frameq_size(&p->afq) == 0);
    return v && a;
}

/* Live input ended or broke: keep what is queued playing out (a clean end), then reopen until
 * the input is back or it is time to give up. 0 when streaming again. */
static int reconnect(struct player *p, struct reader *rd, bool clean_end)
{
    if (clean_end) {
        send_eof(p, rd);
        atomic_store(&p->draining, true);
        double until = mclock_now() + 10.0;
        while (!atomic_load(&p->abort) && !drained(p) && mclock_now() < until)
            sleep_ms(p, 100);
        atomic_store(&p->draining, false);
    }
    /* Bump the serials before announcing the state, so the main thread waits for a frame
     * of the new connection before it says "playing" again. */
    close_components(p);
    pktq_flush(&p->vq, NAN);
    pktq_flush(&p->aq, NAN);
    source_close(&p->src);
    player_set_state(p, PLAYER_RECONNECTING, PLAYER_ERR_NONE);
    take_fallback(p); /* a group gone quiet: the loop opens its HTTPS stream instead */
    double t0 = mclock_now();
    double give_up = opt_ms(p->opts.give_up_ms, 60000) / 1000.0;
    int last = 0;
    while (!atomic_load(&p->abort)) {
        double left = give_up - (mclock_now() - t0);
        if (left <= 0)
            break;
        int timeout = opt_ms(p->opts.open_timeout_ms, 8000);
        if (timeout > (int)(left * 1000))
            timeout = (int)(left * 1000) + 1;
        last = source_open(&p->src, input_url(p), p->ca_file, &p->abort, p->opts.live, timeout);
        if (last >= 0 && p->src.kind == SOURCE_HLS && p->src.duration_us > 0) {
            /* The playlist now has its end tag: the broadcast is over. */
            source_close(&p->src);
            log_info("live playlist ended");
            last = AVERROR_EOF;
            break;
        }
        if (last >= 0) {
            p->src.live = true;
            last = open_components(p, rd);
            if (last >= 0) {
                reset_reader(p, rd);
                log_info("reconnected after %.1f s", mclock_now() - t0);
                return 0;
            }
            close_components(p);
            source_close(&p->src);
        }
        log_debug("reconnect attempt: %s", av_err2str(last));
        sleep_ms(p, RETRY_PAUSE_MS);
    }
    if (atomic_load(&p->abort))
        return -1;
    atomic_store(&p->eof, true);
    /* Silence on a multicast group, an ended playlist or one taken down: the broadcast is
     * over. A server that stays unreachable is a network error. */
    if (last == AVERROR_EOF || last == AVERROR_HTTP_NOT_FOUND || last == 0 ||
        p->src.kind == SOURCE_DATAGRAM || source_kind_of(input_url(p)) == SOURCE_DATAGRAM)
        player_set_state(p, PLAYER_ENDED, PLAYER_ERR_NONE);
    else
        player_set_state(p, PLAYER_ERROR, source_classify(&p->src, last));
    return -1;
}

static void queue_packet(struct player *p, struct reader *rd, AVPacket *pkt, bool video)
{
    AVStream *st = p->src.ic->streams[pkt->stream_index];
    /* Without durations from the container, a video packet lasts a frame and an audio one
     * as long as the last decoded audio frame (one frame per packet once parsed). */
    int64_t dur = pkt->duration > 0 ? av_rescale_q(pkt->duration, st->time_base, AV_TIME_BASE_Q)
                                    : (video ? rd->vdur_us : atomic_load(&p->audio_frame_us));
    int64_t ts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts;
    ts = ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : av_rescale_q(ts, st->time_base, AV_TIME_BASE_Q);
    if (p->src.live && over_bytes(p)) {
        av_packet_unref(pkt); /* paused or starved of CPU: do not grow without bound */
        return;
    }
    pktq_put(video ? &p->vq : &p->aq, pkt, dur, ts);
}

/* Keep an audio packet that came before the first keyframe (dropping the oldest). */
static void keep_audio(struct reader *rd, AVPacket *pkt)
{
    if (rd->backlog_n == AUDIO_BACKLOG) {
        av_packet_free(&rd->backlog[0]);
        memmove(rd->backlog, rd->backlog + 1, sizeof(rd->backlog[0]) * (AUDIO_BACKLOG - 1));
        rd->backlog_n--;
    }
    AVPacket *copy = av_packet_alloc();
    if (!copy) {
        av_packet_unref(pkt);
        return;
    }
    av_packet_move_ref(copy, pkt);
    rd->backlog[rd->backlog_n++] = copy;
}

/* Live: drop the sound nobody needed to wait for (catchup.h); the decoder drops the
 * pictures that are then late, so both come closer to the sender. Only while playing:
 * a pause or a rebuffer is no slack. Video-only input has no such trim (its packets can
 * only be dropped a whole GOP at a time). */
static void trim_live(struct player *p, struct reader *rd)
{
    if (!p->src.live || !p->adec || rd->wait_key)
        return;
    if (atomic_load(&p->output_paused)) {
        catchup_reset(&rd->trim);
        return;
    }
    struct pktq_level lv;
    pktq_level(&p->aq, &lv);
    double drop = catchup_sample(&rd->trim, (double)lv.duration_us / 1e6, mclock_now());
    if (drop <= 0)
        return;
    int64_t done = pktq_drop_head(&p->aq, (int64_t)(drop * 1e6));
    /* Far behind (a backlog after an outage): the picture skips to the keyframe before the
     * sound's new start rather than decoding its way there. */
    int skipped = 0;
    int64_t head = pktq_head_ts(&p->aq);
    if (p->vdec && head != AV_NOPTS_VALUE)
        skipped = pktq_drop_to_key(&p->vq, head);
    log_info("live: %.0f ms of queued sound (and %d video packets) dropped to stay near the "
             "sender", (double)done / 1000.0, skipped);
}

/* Route one packet to its queue, applying the join rules. */
static void dispatch(struct player *p, struct reader *rd, AVPacket *pkt)
{
    AVStream *st = p->src.ic->streams[pkt->stream_index];
    bool video = pkt->stream_index == p->video_stream;
    bool audio = pkt->stream_index == p->audio_stream;
    double pts = pkt->pts != AV_NOPTS_VALUE ? (double)pkt->pts * av_q2d(st->time_base) : NAN;
    if (!video && !audio) {
        av_packet_unref(pkt);
        return;
    }
    if (rd->wait_key) {
        /* Start at a keyframe: before it a decoder can only make errors or grey frames. */
        if (audio) {
            keep_audio(rd, pkt);
            return;
        }
        if (!(pkt->flags & AV_PKT_FLAG_KEY)) {
            rd->skipped++;
            av_packet_unref(pkt);
            return;
        }
        rd->wait_key = false;
        if (rd->skipped)
            log_info("keyframe after %.0f ms (%d video packets skipped)",
                     (mclock_now() - rd->wait_since) * 1000.0, rd->skipped);
        if (!isnan(pts) && p->adec) {
            /* The sound from the picture's time on (the decoder drops the rest). */
            pktq_raise_drop_before(&p->aq, pts);
            for (int i = 0; i < rd->backlog_n; i++)
                queue_packet(p, rd, rd->backlog[i], false);
        }
        clear_backlog(rd);
    }
    if (!isnan(pts)) {
        pthread_mutex_lock(&p->lock);
        if (isnan(p->info.start_s))
            p->info.start_s = pts;
        pthread_mutex_unlock(&p->lock);
    }
    trim_live(p, rd);
    queue_packet(p, rd, pkt, video);
}

/* 0: go on reading; -1: stop (abort, error or end state already set). */
static int handle_read_error(struct player *p, struct reader *rd, int ret)
{
    AVIOContext *pb = p->src.ic->pb;
    bool stalled = atomic_load(&p->src.timed_out);
    /* Fields, not avio_feof(): that one reads again, and blocks. */
    bool io_error = pb && pb->error < 0 && pb->error != AVERROR_EOF;
    bool at_end = !stalled && !io_error && (ret == AVERROR_EOF || (pb && pb->eof_reached));
    if (!at_end && !stalled && !io_error && ret != AVERROR_EXIT && ++rd->errors < MAX_READ_ERRORS)
        return 0; /* one bad packet; the demuxer resyncs */
    if (p->src.live) {
        log_info("live input %s: %s",
                 stalled  ? "stalled"
                 : at_end ? "ended"
                          : "failed",
                 av_err2str(ret));
        return reconnect(p, rd, at_end);
    }
    if (!at_end) {
        log_warn("input failed: %s", av_err2str(ret));
        enum player_error e = source_classify(&p->src, ret);
        atomic_store(&p->read_error, e == PLAYER_ERR_CORRUPT ? 0 : (int)e);
    }
    send_eof(p, rd);
    atomic_store(&p->eof, true);
    player_post(p, PLAYER_EV_STATE);
    /* Wait for a seek (which restarts reading) or close. */
    pthread_mutex_lock(&p->lock);
    while (!atomic_load(&p->abort) && !p->seek_req)
        wait_locked(p, 0);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

static void read_loop(struct player *p, struct reader *rd)
{
    while (!atomic_load(&p->abort)) {
        pthread_mutex_lock(&p->lock);
        bool seek = p->seek_req;
        double target = p->seek_target;
        unsigned gen = p->seek_gen;
        p->seek_req = false;
        pthread_mutex_unlock(&p->lock);
        if (seek && p->src.ic) {
            do_seek(p, rd, target, gen);
            continue;
        }
        if (!p->src.live)
            wait_for_room(p);
        if (atomic_load(&p->abort))
            break;
        pthread_mutex_lock(&p->lock);
        seek = p->seek_req;
        pthread_mutex_unlock(&p->lock);
        if (seek)
            continue;
        source_set_deadline(&p->src, p->src.live ? stall_ms(p) : READ_TIMEOUT_MS);
        int ret = av_read_frame(p->src.ic, rd->pkt);
        if (ret < 0) {
            if (atomic_load(&p->abort) || handle_read_error(p, rd, ret) < 0)
                break;
            continue;
        }
        rd->errors = 0;
        dispatch(p, rd, rd->pkt);
    }
}

void *demux_thread(void *arg)
{
    struct player *p = arg;
    struct reader rd = {0};
    rd.pkt = av_packet_alloc();
    if (!rd.pkt) {
        player_set_state(p, PLAYER_ERROR, PLAYER_ERR_INTERNAL);
    } else {
        int timeout = opt_ms(p->opts.open_timeout_ms, 8000);
        if (p->fallback_url && timeout > FALLBACK_OPEN_MS)
            timeout = FALLBACK_OPEN_MS; /* a silent group is not waited for the whole deadline */
        int ret = start_source(p, &rd, p->opts.start_s, timeout);
        if (ret < 0 && !atomic_load(&p->abort) && take_fallback(p))
            ret = start_source(p, &rd, p->opts.start_s, opt_ms(p->opts.open_timeout_ms, 8000));
        if (ret < 0)
            fail(p, ret);
        else
            read_loop(p, &rd);
    }
    /* Nothing more to read: stay until player_close. */
    pthread_mutex_lock(&p->lock);
    while (!atomic_load(&p->abort))
        wait_locked(p, 0);
    pthread_mutex_unlock(&p->lock);
    close_components(p);
    source_close(&p->src);
    audio_out_close(p->ao);
    p->ao = NULL;
    av_packet_free(&rd.pkt);
    clear_backlog(&rd);
    SDL_TLSCleanup(); /* SDL keeps per-thread error state for threads it did not start */
    player_thread_done(p);
    return NULL;
}
