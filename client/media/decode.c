#define LOG_TAG "decode"
#include "media/decode.h"

#include "log.h"
#include "media/internal.h"

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <math.h>
#include <stdlib.h>

struct decoder {
    struct player *p;      /* borrowed */
    struct pktq *q;        /* borrowed: the player's queue for this stream */
    struct frameq *fq;     /* borrowed */
    _Atomic int *finished; /* borrowed: the player's vfinished/afinished */
    AVCodecContext *avctx; /* owned */
    AVPacket *pkt;         /* owned: the packet being fed */
    AVFrame *frame;        /* owned: scratch for the thread */
    enum AVMediaType type;
    AVRational tb;    /* stream time base */
    double frame_dur; /* video: 1 / guessed frame rate, 0 if unknown */
    pthread_t tid;
    bool started;

    /* Decoder thread only. */
    int pkt_serial;
    bool pending;       /* pkt holds a packet the codec has not accepted yet */
    double drop_before; /* frames ending before this (seconds) are pre-roll: seek or join */
    double next_pts;    /* audio: where the next frame starts if it has no pts */
    unsigned errors;
};

const char *decoder_name(const struct decoder *d)
{
    return d->avctx->codec ? d->avctx->codec->name : "?";
}

/* Next packet of the current serial into d->pkt. 0, or -1 when aborted. */
static int next_packet(struct decoder *d)
{
    for (;;) {
        if (!d->pending) {
            int serial;
            double drop_before;
            if (pktq_get(d->q, d->pkt, true, &serial, &drop_before) < 0)
                return -1;
            if (serial != d->pkt_serial) {
                /* First packet after a flush: forget the codec's references. */
                avcodec_flush_buffers(d->avctx);
                d->pkt_serial = serial;
                d->next_pts = NAN;
                atomic_store(d->finished, 0);
            }
            d->drop_before = drop_before;
            atomic_fetch_add(&d->p->bytes_decoded, (uint64_t)(d->pkt->size > 0 ? d->pkt->size : 0));
            d->pending = true;
        }
        if (d->pkt_serial == atomic_load(&d->q->serial))
            return 0;
        av_packet_unref(d->pkt);
        d->pending = false;
    }
}

/* 1: a frame in d->frame; 0: the serial's end was drained; -1: aborted. */
static int decode_frame(struct decoder *d)
{
    for (;;) {
        if (d->pkt_serial == atomic_load(&d->q->serial)) {
            for (;;) {
                if (atomic_load(&d->p->abort))
                    return -1;
                int ret = avcodec_receive_frame(d->avctx, d->frame);
                if (ret >= 0)
                    return 1;
                if (ret == AVERROR_EOF) {
                    atomic_store(d->finished, d->pkt_serial);
                    avcodec_flush_buffers(d->avctx);
                    return 0;
                }
                break; /* EAGAIN: needs input (other errors: also feed on) */
            }
        }
        if (next_packet(d) < 0)
            return -1;
        bool drain = !d->pkt->data && d->pkt->size == 0 && !d->pkt->side_data_elems;
        int ret = avcodec_send_packet(d->avctx, drain ? NULL : d->pkt);
        if (ret == AVERROR(EAGAIN))
            continue; /* keep it pending; receive first */
        if (ret < 0 && ret != AVERROR_EOF && d->errors++ < 20)
            log_warn("%s: packet rejected: %s", decoder_name(d), av_err2str(ret));
        av_packet_unref(d->pkt);
        d->pending = false;
    }
}

static double frame_pts(const struct decoder *d, const AVFrame *f)
{
    int64_t ts = f->best_effort_timestamp;
    if (ts == AV_NOPTS_VALUE)
        ts = f->pts;
    return ts == AV_NOPTS_VALUE ? NAN : (double)ts * av_q2d(d->tb);
}

/* A video frame that is already behind the master clock by more than a frame will be
 * dropped at presentation anyway: save the copy and the upload. But not when no picture has
 * been shown for a while: a decoder that cannot catch up (far behind the sound after a live
 * catch-up or a jump, on a starved CPU) would otherwise drop every frame and leave the
 * picture frozen while the sound goes on. */
#define LATE_KEEP_EVERY_S 0.25
static bool is_late(struct decoder *d, double pts)
{
    if (isnan(pts) || atomic_load(&d->p->output_paused))
        return false;
    int64_t shown = atomic_load(&d->p->shown_at_us);
    if (shown > 0 && mclock_now() - (double)shown / 1e6 > LATE_KEEP_EVERY_S)
        return false;
    double master = player_master_clock(d->p);
    if (isnan(master))
        return false;
    double diff = pts - master;
    double margin = d->frame_dur > 0 ? d->frame_dur : 0.04;
    struct pktq_level lv;
    pktq_level(d->q, &lv);
    return diff < -margin && diff > -10.0 && lv.count > 0;
}

static void *decoder_thread(void *arg)
{
    struct decoder *d = arg;
    struct player *p = d->p;
    bool video = d->type == AVMEDIA_TYPE_VIDEO;
    for (;;) {
        int ret = decode_frame(d);
        if (ret < 0)
            break;
        if (ret == 0) {
            player_post(p, PLAYER_EV_FRAME); /* let the main loop notice the end */
            continue;
        }
        AVFrame *f = d->frame;
        double pts = frame_pts(d, f);
        double dur;
        if (video) {
            atomic_fetch_add(&p->frames_decoded, 1);
            atomic_store(&p->last_width, f->width);
            atomic_store(&p->last_height, f->height);
            dur = d->frame_dur;
        } else {
            dur = f->sample_rate > 0 ? (double)f->nb_samples / f->sample_rate : 0;
            atomic_store(&p->audio_frame_us, (int64_t)(dur * 1e6));
            if (isnan(pts))
                pts = d->next_pts;
            d->next_pts = isnan(pts) ? NAN : pts + dur;
        }
        if (!isnan(d->drop_before) && !isnan(pts) && pts + dur * 0.5 < d->drop_before) {
            av_frame_unref(f); /* pre-roll between the keyframe and the seek target */
            continue;
        }
        if (video && is_late(d, pts)) {
            atomic_fetch_add(&p->frames_dropped_early, 1);
            av_frame_unref(f);
            continue;
        }
        struct frameq_item *it = frameq_peek_writable(d->fq);
        if (!it)
            break;
        it->pts = pts;
        it->duration = dur;
        it->serial = d->pkt_serial;
        av_frame_move_ref(it->frame, f);
        frameq_push(d->fq);
        /* The main thread presents video; audio frames only matter to it without video
         * (its 100 ms state checks cover the rest). */
        if (video || !atomic_load(&p->video_live))
            player_post(p, PLAYER_EV_FRAME);
    }
    av_frame_unref(d->frame);
    return NULL;
}

/* One decoder thread up to 720p: one core decodes it ~10x faster than real time (1080p ~5x),
 * and frame threads cost CPU (~10 %), memory (a context and frames per thread) and a frame of
 * start-up delay. Larger (or unknown) pictures get a second thread when frames are presented:
 * with the renderer busy on the other core, one thread dropped frames at 1080p (measured). */
static int auto_threads(const AVCodecParameters *par, bool presenting)
{
    if (!presenting)
        return 1;
    if (par->width > 0 && par->height > 0 && (int64_t)par->width * par->height <= 1280 * 720)
        return 1;
    return 2;
}

int decoder_create(struct decoder **out, struct player *p, AVFormatContext *ic, int index,
                   int threads)
{
    AVStream *st = ic->streams[index];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    *out = NULL;
    if (!codec) {
        log_warn("no decoder for %s (stream %d)", avcodec_get_name(st->codecpar->codec_id), index);
        return AVERROR_DECODER_NOT_FOUND;
    }
    struct decoder *d = calloc(1, sizeof(*d));
    if (!d)
        return AVERROR(ENOMEM);
    int ret = AVERROR(ENOMEM);
    d->p = p;
    d->type = st->codecpar->codec_type;
    bool video = d->type == AVMEDIA_TYPE_VIDEO;
    d->q = video ? &p->vq : &p->aq;
    d->fq = video ? &p->vfq : &p->afq;
    d->finished = video ? &p->vfinished : &p->afinished;
    d->tb = st->time_base;
    d->pkt_serial = -1;
    d->drop_before = NAN;
    d->next_pts = NAN;
    AVRational fr = av_guess_frame_rate(ic, st, NULL);
    d->frame_dur = fr.num > 0 && fr.den > 0 ? av_q2d(av_inv_q(fr)) : 0;
    d->avctx = avcodec_alloc_context3(codec);
    d->pkt = av_packet_alloc();
    d->frame = av_frame_alloc();
    if (!d->avctx || !d->pkt || !d->frame)
        goto fail;
    ret = avcodec_parameters_to_context(d->avctx, st->codecpar);
    if (ret < 0)
        goto fail;
    d->avctx->pkt_timebase = st->time_base;
    if (video) {
        d->avctx->thread_count =
            threads > 0 ? threads : auto_threads(st->codecpar, !p->opts.no_present);
        d->avctx->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    } else {
        d->avctx->thread_count = 1;
    }
    ret = avcodec_open2(d->avctx, codec, NULL);
    if (ret < 0) {
        log_warn("cannot open decoder %s: %s", codec->name, av_err2str(ret));
        goto fail;
    }
    *out = d;
    return 0;
fail:
    decoder_destroy(d);
    return ret;
}

int decoder_start(struct decoder *d)
{
    if (pthread_create(&d->tid, NULL, decoder_thread, d) != 0)
        return AVERROR(EAGAIN);
    d->started = true;
    return 0;
}

void decoder_destroy(struct decoder *d)
{
    if (!d)
        return;
    if (d->started)
        pthread_join(d->tid, NULL);
    av_frame_free(&d->frame);
    av_packet_free(&d->pkt);
    avcodec_free_context(&d->avctx);
    free(d);
}
