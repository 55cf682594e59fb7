/* Decode, convert and encode one stream. Video: any decodable codec → yuv420p at the input's
 * size (rounded down to even) → H.264 (libx264 veryfast, a key frame every MEDIA_GOP_S seconds
 * and none at scene cuts, so the HLS muxer can cut even segments). Audio: any decodable codec →
 * planar float at a rate AAC supports, mono or stereo → AAC in frames of the encoder's size
 * (an audio FIFO bridges the decoder's frame sizes). */
#define LOG_TAG "media"
#include "media/transcode.h"

#include <errno.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "media/media.h"

enum { AUDIO_RATE_DEFAULT = 48000, FPS_DEFAULT = 25, FPS_MAX = 120 };

struct media_tc {
    enum AVMediaType type;
    AVCodecContext *dec;    /* owned */
    AVCodecContext *enc;    /* owned */
    struct SwsContext *sws; /* owned (video), made on the first frame that needs it */
    SwrContext *swr;        /* owned (audio), made on the first decoded frame */
    AVAudioFifo *fifo;      /* owned (audio): converted samples waiting for a whole frame */
    AVFrame *frame;         /* owned: what the decoder gives */
    AVFrame *conv;          /* owned: converted (video: scaled; audio: resampled chunk) */
    AVFrame *efr;           /* owned (audio): one encoder-sized frame */
    AVPacket *pkt;          /* owned: what the encoder gives */
    AVRational in_tb;       /* the input stream's time base */
    int64_t next_pts;       /* encoder time base: the next pts to give (audio) or the last given */
    int have_pts;           /* next_pts is set */
    media_tc_emit_fn emit;  /* borrowed for one media_tc_send call */
    void *emit_arg;
};

static void set_err(char *err, size_t errlen, const char *what, int rc)
{
    char e[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(rc, e, sizeof(e));
    snprintf(err, errlen, "%s: %s", what, e);
}

static int open_decoder(struct media_tc *t, const AVStream *in, char *err, size_t errlen)
{
    const AVCodec *codec = avcodec_find_decoder(in->codecpar->codec_id);
    if (!codec) {
        snprintf(err, errlen, "no decoder for %s", avcodec_get_name(in->codecpar->codec_id));
        return -ENOTSUP;
    }
    t->dec = avcodec_alloc_context3(codec);
    if (!t->dec)
        return -ENOMEM;
    int rc = avcodec_parameters_to_context(t->dec, in->codecpar);
    if (rc < 0)
        return rc;
    t->dec->pkt_timebase = in->time_base;
    rc = avcodec_open2(t->dec, codec, NULL);
    if (rc < 0)
        set_err(err, errlen, "cannot open the decoder", rc);
    return rc;
}

static AVRational frame_rate(const AVStream *in)
{
    AVRational r = in->avg_frame_rate;
    if (r.num <= 0 || r.den <= 0 || av_q2d(r) > FPS_MAX)
        r = in->r_frame_rate;
    if (r.num <= 0 || r.den <= 0 || av_q2d(r) > FPS_MAX || av_q2d(r) < 1)
        r = (AVRational){ FPS_DEFAULT, 1 };
    return r;
}

static int open_video_encoder(struct media_tc *t, const AVStream *in, char *err, size_t errlen)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec) {
        snprintf(err, errlen, "this FFmpeg has no H.264 encoder");
        return -ENOTSUP;
    }
    if (t->dec->width < 2 || t->dec->height < 2) {
        snprintf(err, errlen, "video size unknown");
        return -EINVAL;
    }
    AVCodecContext *e = avcodec_alloc_context3(codec);
    if (!e)
        return -ENOMEM;
    t->enc = e;
    AVRational fps = frame_rate(in);
    e->width = t->dec->width & ~1;
    e->height = t->dec->height & ~1;
    e->sample_aspect_ratio = t->dec->sample_aspect_ratio;
    e->pix_fmt = AV_PIX_FMT_YUV420P;
    e->framerate = fps;
    e->time_base = av_inv_q(fps);
    e->gop_size = (int)(av_q2d(fps) * MEDIA_GOP_S + 0.5);
    e->keyint_min = e->gop_size;
    if (strcmp(codec->name, "libx264") == 0) {
        av_opt_set(e->priv_data, "preset", "veryfast", 0);
        av_opt_set(e->priv_data, "x264-params", "scenecut=0", 0);
    }
    int rc = avcodec_open2(e, codec, NULL);
    if (rc < 0)
        set_err(err, errlen, "cannot open the H.264 encoder", rc);
    return rc;
}

/* A rate AAC can take: the decoder's when the encoder lists it, else 48 kHz. */
static int pick_rate(const AVCodec *codec, int want)
{
    const int *r = codec->supported_samplerates;
    for (; r && *r; r++)
        if (*r == want)
            return want;
    return r ? AUDIO_RATE_DEFAULT : want;
}

static int open_audio_encoder(struct media_tc *t, char *err, size_t errlen)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!codec) {
        snprintf(err, errlen, "this FFmpeg has no AAC encoder");
        return -ENOTSUP;
    }
    AVCodecContext *e = avcodec_alloc_context3(codec);
    if (!e)
        return -ENOMEM;
    t->enc = e;
    int channels = t->dec->ch_layout.nb_channels >= 2 ? 2 : 1;
    av_channel_layout_default(&e->ch_layout, channels);
    e->sample_rate = pick_rate(codec, t->dec->sample_rate > 0 ? t->dec->sample_rate
                                                             : AUDIO_RATE_DEFAULT);
    e->sample_fmt = AV_SAMPLE_FMT_FLTP;
    e->bit_rate = channels == 2 ? 128000 : 64000;
    e->time_base = (AVRational){ 1, e->sample_rate };
    int rc = avcodec_open2(e, codec, NULL);
    if (rc < 0) {
        set_err(err, errlen, "cannot open the AAC encoder", rc);
        return rc;
    }
    t->fifo = av_audio_fifo_alloc(e->sample_fmt, channels, e->frame_size * 4);
    t->efr = av_frame_alloc();
    return t->fifo && t->efr ? 0 : -ENOMEM;
}

int media_tc_open(const AVStream *in, struct media_tc **out, char *err, size_t errlen)
{
    *out = NULL;
    enum AVMediaType type = in->codecpar->codec_type;
    if (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO)
        return -EINVAL;
    struct media_tc *t = calloc(1, sizeof(*t));
    if (!t)
        return -ENOMEM;
    t->type = type;
    t->in_tb = in->time_base;
    t->frame = av_frame_alloc();
    t->conv = av_frame_alloc();
    t->pkt = av_packet_alloc();
    int rc = t->frame && t->conv && t->pkt ? 0 : -ENOMEM;
    if (rc == 0)
        rc = open_decoder(t, in, err, errlen);
    if (rc == 0)
        rc = type == AVMEDIA_TYPE_VIDEO ? open_video_encoder(t, in, err, errlen)
                                        : open_audio_encoder(t, err, errlen);
    if (rc < 0)
        goto fail;
    *out = t;
    return 0;

fail:
    media_tc_free(t);
    return rc;
}

const AVCodecContext *media_tc_encoder(const struct media_tc *t)
{
    return t->enc;
}

void media_tc_free(struct media_tc *t)
{
    if (!t)
        return;
    avcodec_free_context(&t->dec);
    avcodec_free_context(&t->enc);
    sws_freeContext(t->sws);
    swr_free(&t->swr);
    if (t->fifo)
        av_audio_fifo_free(t->fifo);
    av_frame_free(&t->frame);
    av_frame_free(&t->conv);
    av_frame_free(&t->efr);
    av_packet_free(&t->pkt);
    free(t);
}

/* Send FRAME (NULL = drain) to the encoder and emit every packet it has ready. */
static int encode(struct media_tc *t, const AVFrame *frame)
{
    int rc = avcodec_send_frame(t->enc, frame);
    if (rc < 0)
        return rc;
    for (;;) {
        rc = avcodec_receive_packet(t->enc, t->pkt);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return 0;
        if (rc < 0)
            return rc;
        if (t->type == AVMEDIA_TYPE_VIDEO && t->pkt->duration == 0)
            t->pkt->duration = av_rescale_q(1, av_inv_q(t->enc->framerate), t->enc->time_base);
        rc = t->emit(t->emit_arg, t->pkt);
        av_packet_unref(t->pkt);
        if (rc < 0)
            return rc;
    }
}

/* A decoded picture: scale when needed, give it a rising pts in the encoder's time base. */
static int video_frame(struct media_tc *t, AVFrame *f)
{
    AVCodecContext *e = t->enc;
    int64_t ts = f->best_effort_timestamp;
    int64_t pts = ts == AV_NOPTS_VALUE ? t->next_pts + 1 : av_rescale_q(ts, t->in_tb, e->time_base);
    if (t->have_pts && pts <= t->next_pts)
        pts = t->next_pts + 1; /* the encoder wants strictly rising timestamps */
    t->next_pts = pts;
    t->have_pts = 1;
    AVFrame *send = f;
    if (f->format != e->pix_fmt || f->width != e->width || f->height != e->height) {
        t->sws = sws_getCachedContext(t->sws, f->width, f->height, f->format, e->width,
                                      e->height, e->pix_fmt, SWS_BILINEAR, NULL, NULL, NULL);
        if (!t->sws)
            return AVERROR(EINVAL);
        AVFrame *c = t->conv;
        if (!c->data[0]) {
            c->format = e->pix_fmt;
            c->width = e->width;
            c->height = e->height;
            int rc = av_frame_get_buffer(c, 0);
            if (rc < 0)
                return rc;
        }
        int rc = av_frame_make_writable(c); /* the encoder may still hold the last one */
        if (rc < 0)
            return rc;
        sws_scale(t->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, c->data,
                  c->linesize);
        send = c;
    }
    send->pts = pts;
    send->pict_type = AV_PICTURE_TYPE_NONE;
    return encode(t, send);
}

/* Encode whole frames from the FIFO; with FINAL also the rest (padded with silence when the
 * encoder cannot take a short last frame). */
static int audio_drain_fifo(struct media_tc *t, int final)
{
    AVCodecContext *e = t->enc;
    int size = e->frame_size > 0 ? e->frame_size : 1024;
    for (;;) {
        int have = av_audio_fifo_size(t->fifo);
        if (have == 0 || (have < size && !final))
            return 0;
        int n = have < size ? have : size;
        int small = e->codec->capabilities &
                    (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE);
        AVFrame *o = t->efr;
        av_frame_unref(o);
        o->nb_samples = small ? n : size;
        o->format = e->sample_fmt;
        o->sample_rate = e->sample_rate;
        int rc = av_channel_layout_copy(&o->ch_layout, &e->ch_layout);
        if (rc == 0)
            rc = av_frame_get_buffer(o, 0);
        if (rc < 0)
            return rc;
        if (o->nb_samples > n)
            av_samples_set_silence(o->extended_data, n, o->nb_samples - n,
                                   e->ch_layout.nb_channels, e->sample_fmt);
        if (av_audio_fifo_read(t->fifo, (void **)o->extended_data, n) != n)
            return AVERROR(EIO);
        o->pts = t->next_pts;
        t->next_pts += o->nb_samples;
        rc = encode(t, o);
        if (rc < 0)
            return rc;
    }
}

/* Resample F (NULL = flush the resampler) into the FIFO, then encode what fills frames. */
static int audio_frame(struct media_tc *t, const AVFrame *f)
{
    AVCodecContext *e = t->enc;
    if (f && !t->swr) {
        AVChannelLayout in_layout;
        int rc = av_channel_layout_copy(&in_layout, &f->ch_layout);
        if (rc < 0)
            return rc;
        if (in_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
            int n = in_layout.nb_channels;
            av_channel_layout_uninit(&in_layout);
            av_channel_layout_default(&in_layout, n);
        }
        rc = swr_alloc_set_opts2(&t->swr, &e->ch_layout, e->sample_fmt, e->sample_rate,
                                 &in_layout, f->format, f->sample_rate, 0, NULL);
        av_channel_layout_uninit(&in_layout);
        if (rc < 0)
            return rc;
        rc = swr_init(t->swr);
        if (rc < 0)
            return rc;
        int64_t ts = f->best_effort_timestamp;
        t->next_pts = ts == AV_NOPTS_VALUE ? 0 : av_rescale_q(ts, t->in_tb, e->time_base);
        t->have_pts = 1;
    }
    if (!t->swr)
        return 0; /* flush without any audio decoded */
    int cap = swr_get_out_samples(t->swr, f ? f->nb_samples : 0);
    if (cap <= 0)
        return cap;
    AVFrame *c = t->conv;
    av_frame_unref(c);
    c->nb_samples = cap;
    c->format = e->sample_fmt;
    c->sample_rate = e->sample_rate;
    int rc = av_channel_layout_copy(&c->ch_layout, &e->ch_layout);
    if (rc == 0)
        rc = av_frame_get_buffer(c, 0);
    if (rc < 0)
        return rc;
    int got = swr_convert(t->swr, c->extended_data, cap,
                          f ? (const uint8_t **)f->extended_data : NULL, f ? f->nb_samples : 0);
    if (got < 0)
        return got;
    if (got > 0 && av_audio_fifo_write(t->fifo, (void **)c->extended_data, got) != got)
        return AVERROR(ENOMEM);
    return audio_drain_fifo(t, 0);
}

int media_tc_send(struct media_tc *t, const AVPacket *pkt, media_tc_emit_fn emit, void *arg)
{
    t->emit = emit;
    t->emit_arg = arg;
    int rc = avcodec_send_packet(t->dec, pkt);
    if (rc == AVERROR_INVALIDDATA) {
        log_debug("skipping an undecodable packet");
        return 0;
    }
    if (rc < 0 && rc != AVERROR_EOF)
        return rc;
    for (;;) {
        rc = avcodec_receive_frame(t->dec, t->frame);
        if (rc == AVERROR(EAGAIN))
            return 0;
        if (rc == AVERROR_EOF)
            break;
        if (rc < 0)
            return rc;
        rc = t->type == AVMEDIA_TYPE_VIDEO ? video_frame(t, t->frame)
                                           : audio_frame(t, t->frame);
        av_frame_unref(t->frame);
        if (rc < 0)
            return rc;
    }
    /* Decoder drained (PKT was NULL): flush the resampler and the encoder. */
    if (t->type == AVMEDIA_TYPE_AUDIO) {
        rc = audio_frame(t, NULL);
        if (rc == 0)
            rc = audio_drain_fifo(t, 1);
        if (rc < 0)
            return rc;
    }
    return encode(t, NULL);
}
