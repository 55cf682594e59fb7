/* Encoders and segmenter. H.264 (libx264, zerolatency, a key frame every segment_ms, CFR, a VBV
 * cap at the bitrate) and AAC go into one MPEG-TS muxer whose bytes collect in the current
 * segment; every video key frame starts a new segment (so a segment is one GOP) and the finished
 * one goes to the uplink. The same packets can also go to a second MPEG-TS muxer on a UDP
 * multicast group. Sources call in from their own threads; one mutex serialises them. */
#define LOG_TAG "cast"
#include "cast.h"

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/opt.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

enum { AAC_BITRATE = 96000, TS_IO_BUF = 32 * 1024, MCAST_PKT = 1316 };

struct pipeline {
    pthread_mutex_t lock;
    const struct cast_options *o; /* borrowed */
    struct uplink *up;            /* borrowed */
    AVCodecContext *venc, *aenc;  /* owned */
    AVFormatContext *ts;          /* owned: the segments' muxer (custom AVIO) */
    AVFormatContext *mc;          /* owned: the multicast muxer, or NULL */
    AVAudioFifo *fifo;            /* owned: samples waiting for a whole AAC frame */
    AVFrame *aframe;              /* owned: one AAC frame of samples */
    AVPacket *pkt;                /* owned */
    int64_t last_vpts;            /* -1 before the first frame */
    int64_t audio_samples;        /* samples sent to the AAC encoder */
    int64_t frames;
    /* The segment being written. */
    uint8_t *seg;
    size_t seg_len, seg_cap;
    int64_t seg_seq;
    int64_t seg_start_pts; /* in the video encoder's time base; -1 before the first key frame */
    int finished;
    int mc_failing; /* the multicast group cannot be sent to (said once, until it recovers) */
    struct preview *preview; /* owned: --preview-file, or NULL */
};

/* The muxer's output: append to the current segment. */
static int ts_write(void *opaque, uint8_t *data, int len)
{
    struct pipeline *p = opaque;
    if (p->seg_len + (size_t)len > p->seg_cap) {
        size_t cap = p->seg_cap ? p->seg_cap * 2 : 256 * 1024;
        while (cap < p->seg_len + (size_t)len)
            cap *= 2;
        uint8_t *n = realloc(p->seg, cap);
        if (!n)
            return AVERROR(ENOMEM);
        p->seg = n;
        p->seg_cap = cap;
    }
    memcpy(p->seg + p->seg_len, data, (size_t)len);
    p->seg_len += (size_t)len;
    return len;
}

static int open_video(struct pipeline *p)
{
    const struct cast_options *o = p->o;
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) {
        log_error("this FFmpeg has no libx264 encoder");
        return -ENOSYS;
    }
    AVCodecContext *c = p->venc = avcodec_alloc_context3(codec);
    if (!c)
        return -ENOMEM;
    c->width = o->width;
    c->height = o->height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = (AVRational){ 1, o->fps };
    c->framerate = (AVRational){ o->fps, 1 };
    int gop = o->fps * o->segment_ms / 1000;
    c->gop_size = gop > 0 ? gop : 1; /* a key frame starts each segment */
    c->keyint_min = c->gop_size;
    c->max_b_frames = 0;
    c->bit_rate = (int64_t)o->bitrate_kbps * 1000;
    c->rc_max_rate = c->bit_rate; /* the cap that fits the village uplink */
    c->rc_buffer_size = (int)c->bit_rate; /* one second of VBV */
    av_opt_set(c->priv_data, "preset", o->preset, 0);
    av_opt_set(c->priv_data, "tune", "zerolatency", 0);
    av_opt_set(c->priv_data, "x264-params", "scenecut=0:open-gop=0:repeat-headers=1", 0);
    int rc = avcodec_open2(c, codec, NULL);
    if (rc < 0)
        log_error("libx264 did not open: %s", av_err2str(rc));
    return rc;
}

static int open_audio(struct pipeline *p)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!codec)
        return -ENOSYS;
    AVCodecContext *c = p->aenc = avcodec_alloc_context3(codec);
    if (!c)
        return -ENOMEM;
    c->sample_fmt = AV_SAMPLE_FMT_FLTP;
    c->sample_rate = CAST_SAMPLE_RATE;
    av_channel_layout_default(&c->ch_layout, CAST_CHANNELS);
    c->bit_rate = AAC_BITRATE;
    c->time_base = (AVRational){ 1, CAST_SAMPLE_RATE };
    int rc = avcodec_open2(c, codec, NULL);
    if (rc < 0) {
        log_error("the AAC encoder did not open: %s", av_err2str(rc));
        return rc;
    }
    p->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, CAST_CHANNELS, c->frame_size * 4);
    p->aframe = av_frame_alloc();
    if (!p->fifo || !p->aframe)
        return -ENOMEM;
    p->aframe->format = AV_SAMPLE_FMT_FLTP;
    p->aframe->sample_rate = CAST_SAMPLE_RATE;
    p->aframe->nb_samples = c->frame_size;
    av_channel_layout_default(&p->aframe->ch_layout, CAST_CHANNELS);
    return av_frame_get_buffer(p->aframe, 0);
}

/* A muxer with the two streams of our encoders. */
static int new_muxer(struct pipeline *p, AVFormatContext **out)
{
    AVFormatContext *oc = NULL;
    int rc = avformat_alloc_output_context2(&oc, NULL, "mpegts", NULL);
    if (rc < 0)
        return rc;
    *out = oc;
    AVCodecContext *enc[2] = { p->venc, p->aenc };
    for (int i = 0; i < 2; i++) {
        AVStream *st = avformat_new_stream(oc, NULL);
        if (!st)
            return AVERROR(ENOMEM);
        rc = avcodec_parameters_from_context(st->codecpar, enc[i]);
        if (rc < 0)
            return rc;
        st->time_base = enc[i]->time_base;
    }
    oc->max_delay = 100000; /* 0.1 s between PCR and DTS: nothing waits longer than needed */
    return 0;
}

static int open_segments(struct pipeline *p)
{
    int rc = new_muxer(p, &p->ts);
    if (rc < 0)
        return rc;
    uint8_t *iobuf = av_malloc(TS_IO_BUF);
    if (!iobuf)
        return AVERROR(ENOMEM);
    p->ts->pb = avio_alloc_context(iobuf, TS_IO_BUF, 1, p, NULL, ts_write, NULL);
    if (!p->ts->pb) {
        av_free(iobuf);
        return AVERROR(ENOMEM);
    }
    p->ts->flags |= AVFMT_FLAG_CUSTOM_IO;
    rc = avformat_write_header(p->ts, NULL);
    p->seg_len = 0; /* the first segment starts with its own PAT/PMT (resend_headers) */
    return rc;
}

static int open_multicast(struct pipeline *p)
{
    int rc = new_muxer(p, &p->mc);
    if (rc < 0)
        return rc;
    char url[512];
    snprintf(url, sizeof(url), "%s%spkt_size=%d&ttl=4", p->o->multicast,
             strchr(p->o->multicast, '?') ? "&" : "?", MCAST_PKT);
    rc = avio_open2(&p->mc->pb, url, AVIO_FLAG_WRITE, NULL, NULL);
    if (rc < 0) {
        log_error("multicast %s: %s", p->o->multicast, av_err2str(rc));
        return rc;
    }
    p->mc->flush_packets = 1;
    return avformat_write_header(p->mc, NULL);
}

int pipeline_create(const struct cast_options *o, struct uplink *up, struct pipeline **out)
{
    struct pipeline *p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    pthread_mutex_init(&p->lock, NULL);
    p->o = o;
    p->up = up;
    p->last_vpts = -1;
    p->seg_start_pts = -1;
    p->pkt = av_packet_alloc();
    int rc = p->pkt ? 0 : -ENOMEM;
    if (rc == 0)
        rc = open_video(p);
    if (rc == 0)
        rc = open_audio(p);
    if (rc == 0)
        rc = open_segments(p);
    if (rc == 0 && o->multicast)
        rc = open_multicast(p);
    if (rc == 0 && o->preview_file)
        rc = preview_create(o->preview_file, o->width, o->height, &p->preview);
    if (rc < 0) {
        pipeline_destroy(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* Hand the segment written so far (ending before the packet at END_PTS) to the uplink. */
static void cut(struct pipeline *p, int64_t end_pts, int flush)
{
    if (flush)
        av_write_frame(p->ts, NULL); /* what the muxer holds goes into this segment */
    avio_flush(p->ts->pb);
    if (p->seg_len > 0 && p->seg_start_pts >= 0) {
        struct cast_segment seg = {
            .seq = p->seg_seq++,
            .duration_s = (double)(end_pts - p->seg_start_pts) / p->o->fps,
            .data = p->seg,
            .len = p->seg_len,
        };
        p->seg = NULL;
        p->seg_cap = 0;
        uplink_push(p->up, &seg);
    }
    p->seg_len = 0;
    p->seg_start_pts = end_pts;
}

static int write_packet(struct pipeline *p, AVPacket *pkt, int stream, AVRational tb)
{
    pkt->stream_index = stream;
    if (stream == 0 && (pkt->flags & AV_PKT_FLAG_KEY)) {
        cut(p, pkt->pts, 1);
        /* The new segment opens with PAT and PMT, so it can be played on its own. */
        av_opt_set(p->ts->priv_data, "mpegts_flags", "+resend_headers", 0);
    }
    if (p->seg_start_pts < 0)
        return 0; /* nothing before the first key frame */
    if (p->mc) {
        AVPacket *copy = av_packet_clone(pkt);
        if (copy) {
            av_packet_rescale_ts(copy, tb, p->mc->streams[stream]->time_base);
            int rc = av_write_frame(p->mc, copy);
            if (rc < 0 && !p->mc_failing)
                log_warn("multicast %s: %s (the HTTPS uplink goes on)", p->o->multicast,
                         av_err2str(rc));
            else if (rc >= 0 && p->mc_failing)
                log_info("multicast %s: sending again", p->o->multicast);
            p->mc_failing = rc < 0;
            av_packet_free(&copy);
        }
    }
    av_packet_rescale_ts(pkt, tb, p->ts->streams[stream]->time_base);
    return av_write_frame(p->ts, pkt);
}

/* Send FRAME (NULL = flush) to ENC and write every packet that comes out. */
static int encode(struct pipeline *p, AVCodecContext *enc, AVFrame *frame, int stream)
{
    int rc = avcodec_send_frame(enc, frame);
    while (rc >= 0) {
        rc = avcodec_receive_packet(enc, p->pkt);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return 0;
        if (rc < 0)
            break;
        rc = write_packet(p, p->pkt, stream, enc->time_base);
        av_packet_unref(p->pkt);
    }
    if (rc < 0)
        log_error("encoding: %s", av_err2str(rc));
    return rc;
}

int pipeline_video(struct pipeline *p, AVFrame *frame, int64_t pts)
{
    pthread_mutex_lock(&p->lock);
    int rc = 0;
    if (!p->finished && pts > p->last_vpts) {
        frame->pts = pts;
        frame->pict_type = AV_PICTURE_TYPE_NONE;
        p->last_vpts = pts;
        p->frames++;
        preview_offer(p->preview, frame);
        rc = encode(p, p->venc, frame, 0);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

static int drain_fifo(struct pipeline *p, int final)
{
    int fs = p->aenc->frame_size, rc = 0;
    while (rc >= 0 && (av_audio_fifo_size(p->fifo) >= fs || (final && av_audio_fifo_size(p->fifo) > 0))) {
        rc = av_frame_make_writable(p->aframe);
        if (rc < 0)
            break;
        int n = av_audio_fifo_read(p->fifo, (void **)p->aframe->data, fs);
        for (int c = 0; n < fs && c < CAST_CHANNELS; c++)
            memset(p->aframe->data[c] + n * sizeof(float), 0, (size_t)(fs - n) * sizeof(float));
        p->aframe->pts = p->audio_samples;
        p->audio_samples += fs;
        rc = encode(p, p->aenc, p->aframe, 1);
    }
    return rc;
}

int pipeline_audio(struct pipeline *p, const AVFrame *frame)
{
    pthread_mutex_lock(&p->lock);
    int rc = 0;
    if (!p->finished) {
        rc = av_audio_fifo_write(p->fifo, (void **)frame->data, frame->nb_samples);
        if (rc >= 0)
            rc = drain_fifo(p, 0);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int pipeline_finish(struct pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    int rc = 0;
    if (!p->finished) {
        p->finished = 1;
        drain_fifo(p, 1);
        encode(p, p->aenc, NULL, 1);
        encode(p, p->venc, NULL, 0);
        av_write_frame(p->ts, NULL);
        rc = av_write_trailer(p->ts);
        cut(p, p->last_vpts + 1, 0);
        if (p->mc)
            av_write_trailer(p->mc);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int64_t pipeline_frames(const struct pipeline *p)
{
    return p->frames;
}

void pipeline_destroy(struct pipeline *p)
{
    if (!p)
        return;
    if (p->ts) {
        if (p->ts->pb)
            av_freep(&p->ts->pb->buffer);
        avio_context_free(&p->ts->pb);
        avformat_free_context(p->ts);
    }
    if (p->mc) {
        avio_closep(&p->mc->pb);
        avformat_free_context(p->mc);
    }
    avcodec_free_context(&p->venc);
    avcodec_free_context(&p->aenc);
    av_audio_fifo_free(p->fifo);
    av_frame_free(&p->aframe);
    av_packet_free(&p->pkt);
    free(p->seg);
    preview_destroy(p->preview);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
