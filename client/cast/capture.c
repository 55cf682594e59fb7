/* Inputs other than the test pattern: a file or URL (libavformat; a file is read in real time
 * and can loop), or a V4L2 camera with an ALSA microphone (libavdevice). Each input has a
 * reader thread that decodes, scales to the broadcast's size (yuv420p), resamples to 48 kHz
 * stereo float and pushes into the pipeline. Video gets constant-frame-rate indices: a frame
 * that lands between two slots is dropped, a missing slot repeats the previous frame. */
#define LOG_TAG "capture"
#include "cast.h"

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/time.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

enum { MAX_REPEAT = 15 }; /* a stall longer than half a second is not filled with copies */

struct reader {
    struct capture *cap;
    pthread_t thread;
    int started;
    AVFormatContext *fmt;
    int vidx, aidx; /* -1 when unused */
    AVCodecContext *vdec, *adec;
    struct SwsContext *sws;
    SwrContext *swr;
    AVFrame *frame, *vout, *aout;
    int aout_room; /* samples aout's buffers hold (its nb_samples is what the last call wrote) */
    AVPacket *pkt;
    int paced;         /* a file: wait for each packet's time (like -re) */
    int64_t offset_us; /* added to the file's times after each loop */
    int64_t round_us;  /* length of one pass of the file */
    int64_t last_vpts;
};

struct capture {
    const struct cast_options *o;
    struct pipeline *p;
    struct reader r[2];
    int n;
    int64_t t0_us; /* av_gettime_relative() at start */
    atomic_int stop, running;
};

/* Blocking reads of a URL give up when the capture stops. */
static int interrupted(void *arg)
{
    struct capture *c = arg;
    return atomic_load(&c->stop);
}

static int open_decoder(AVFormatContext *fmt, int idx, AVCodecContext **out)
{
    const AVCodecParameters *par = fmt->streams[idx]->codecpar;
    const AVCodec *codec = avcodec_find_decoder(par->codec_id);
    if (!codec)
        return AVERROR_DECODER_NOT_FOUND;
    AVCodecContext *c = *out = avcodec_alloc_context3(codec);
    if (!c)
        return AVERROR(ENOMEM);
    int rc = avcodec_parameters_to_context(c, par);
    c->pkt_timebase = fmt->streams[idx]->time_base;
    return rc < 0 ? rc : avcodec_open2(c, codec, NULL);
}

/* The reader's notion of now, in µs since the capture started. */
static int64_t now_us(const struct reader *r)
{
    return av_gettime_relative() - r->cap->t0_us;
}

/* Media time of FRAME in µs since the capture started. */
static int64_t frame_us(struct reader *r, const AVFrame *f, int idx)
{
    if (!r->paced || f->best_effort_timestamp == AV_NOPTS_VALUE)
        return now_us(r);
    int64_t start = r->fmt->start_time != AV_NOPTS_VALUE ? r->fmt->start_time : 0;
    int64_t t = av_rescale_q(f->best_effort_timestamp, r->fmt->streams[idx]->time_base,
                             AV_TIME_BASE_Q) - start;
    return t + r->offset_us;
}

static int push_video(struct reader *r, AVFrame *f)
{
    const struct cast_options *o = r->cap->o;
    r->sws = sws_getCachedContext(r->sws, f->width, f->height, f->format, o->width, o->height,
                                  AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (!r->sws || av_frame_make_writable(r->vout) < 0)
        return AVERROR(ENOMEM);
    sws_scale(r->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height,
              r->vout->data, r->vout->linesize);
    int64_t pts = av_rescale(frame_us(r, f, r->vidx), o->fps, 1000000);
    if (pts <= r->last_vpts)
        return 0;
    int64_t from = r->last_vpts < 0 || pts - r->last_vpts > MAX_REPEAT ? pts : r->last_vpts + 1;
    int rc = 0;
    for (int64_t i = from; rc >= 0 && i <= pts; i++)
        rc = pipeline_video(r->cap->p, r->vout, i);
    r->last_vpts = pts;
    return rc;
}

static int push_audio(struct reader *r, AVFrame *f)
{
    if (!r->swr) {
        AVChannelLayout out_layout;
        av_channel_layout_default(&out_layout, CAST_CHANNELS);
        int rc = swr_alloc_set_opts2(&r->swr, &out_layout, AV_SAMPLE_FMT_FLTP, CAST_SAMPLE_RATE,
                                     &f->ch_layout, f->format, f->sample_rate, 0, NULL);
        if (rc < 0 || (rc = swr_init(r->swr)) < 0)
            return rc;
    }
    int max = swr_get_out_samples(r->swr, f->nb_samples);
    if (max > r->aout_room) {
        /* Allocated once at the input's frame size, not per frame (the pipeline copies the
         * samples out, so the buffers are free again after each call). */
        av_frame_unref(r->aout);
        r->aout->format = AV_SAMPLE_FMT_FLTP;
        r->aout->sample_rate = CAST_SAMPLE_RATE;
        r->aout->nb_samples = max;
        av_channel_layout_default(&r->aout->ch_layout, CAST_CHANNELS);
        int rc = av_frame_get_buffer(r->aout, 0);
        if (rc < 0) {
            r->aout_room = 0;
            return rc;
        }
        r->aout_room = max;
    }
    int n = swr_convert(r->swr, r->aout->data, max, (const uint8_t **)f->extended_data,
                        f->nb_samples);
    if (n <= 0)
        return n;
    r->aout->nb_samples = n;
    return pipeline_audio(r->cap->p, r->aout);
}

static int decode(struct reader *r, AVCodecContext *dec, const AVPacket *pkt, int video)
{
    int rc = avcodec_send_packet(dec, pkt);
    if (rc < 0 && rc != AVERROR(EAGAIN))
        return 0; /* a damaged packet: skip it */
    while ((rc = avcodec_receive_frame(dec, r->frame)) >= 0) {
        rc = video ? push_video(r, r->frame) : push_audio(r, r->frame);
        av_frame_unref(r->frame);
        if (rc < 0)
            return rc;
    }
    return rc == AVERROR(EAGAIN) || rc == AVERROR_EOF ? 0 : rc;
}

/* A file: wait until the packet's time has come. */
static void pace(struct reader *r, const AVPacket *pkt)
{
    if (!r->paced || pkt->dts == AV_NOPTS_VALUE)
        return;
    int64_t start = r->fmt->start_time != AV_NOPTS_VALUE ? r->fmt->start_time : 0;
    int64_t t = av_rescale_q(pkt->dts, r->fmt->streams[pkt->stream_index]->time_base,
                             AV_TIME_BASE_Q) - start;
    int64_t end = t + (pkt->duration > 0 ? av_rescale_q(pkt->duration,
                       r->fmt->streams[pkt->stream_index]->time_base, AV_TIME_BASE_Q) : 0);
    if (end > r->round_us)
        r->round_us = end;
    int64_t wait = t + r->offset_us - now_us(r);
    while (wait > 0 && !atomic_load(&r->cap->stop)) {
        av_usleep((unsigned)(wait > 100000 ? 100000 : wait));
        wait = t + r->offset_us - now_us(r);
    }
}

static int rewind_input(struct reader *r)
{
    int rc = av_seek_frame(r->fmt, -1, r->fmt->start_time != AV_NOPTS_VALUE ? r->fmt->start_time : 0,
                           AVSEEK_FLAG_BACKWARD);
    if (rc < 0)
        return rc;
    if (r->vdec)
        avcodec_flush_buffers(r->vdec);
    if (r->adec)
        avcodec_flush_buffers(r->adec);
    r->offset_us += r->round_us;
    r->round_us = 0;
    return 0;
}

static void *read_loop(void *arg)
{
    struct reader *r = arg;
    int rc = 0;
    while (!atomic_load(&r->cap->stop)) {
        rc = av_read_frame(r->fmt, r->pkt);
        if (rc == AVERROR_EOF && r->cap->o->loop && r->paced) {
            rc = rewind_input(r);
            if (rc < 0)
                break;
            continue;
        }
        if (rc == AVERROR(EAGAIN)) {
            av_usleep(2000);
            continue;
        }
        if (rc < 0)
            break;
        pace(r, r->pkt);
        if (r->pkt->stream_index == r->vidx)
            rc = decode(r, r->vdec, r->pkt, 1);
        else if (r->pkt->stream_index == r->aidx)
            rc = decode(r, r->adec, r->pkt, 0);
        av_packet_unref(r->pkt);
        if (rc < 0)
            break;
    }
    if (rc < 0 && rc != AVERROR_EOF && !atomic_load(&r->cap->stop))
        log_error("input %s: %s", r->fmt->url, av_err2str(rc));
    else if (rc == AVERROR_EOF)
        log_info("input %s ended", r->fmt->url);
    atomic_fetch_sub(&r->cap->running, 1);
    return NULL;
}

/* Open URL (with FORMAT when not NULL, e.g. a device) and its decoders. WANT_V/WANT_A: use
 * that kind of stream when the input has it. */
static int reader_open(struct reader *r, const char *url, const char *format, AVDictionary **opt,
                       int want_v, int want_a)
{
    const AVInputFormat *ifmt = format ? av_find_input_format(format) : NULL;
    if (format && !ifmt)
        return AVERROR_DEMUXER_NOT_FOUND;
    r->fmt = avformat_alloc_context();
    if (!r->fmt)
        return AVERROR(ENOMEM);
    r->fmt->interrupt_callback = (AVIOInterruptCB){ interrupted, r->cap };
    int rc = avformat_open_input(&r->fmt, url, ifmt, opt);
    if (rc < 0)
        return rc;
    rc = avformat_find_stream_info(r->fmt, NULL);
    if (rc < 0)
        return rc;
    r->vidx = want_v ? av_find_best_stream(r->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0) : -1;
    r->aidx = want_a ? av_find_best_stream(r->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0) : -1;
    if (r->vidx < 0)
        r->vidx = -1;
    if (r->aidx < 0)
        r->aidx = -1;
    if (r->vidx < 0 && r->aidx < 0)
        return AVERROR_STREAM_NOT_FOUND;
    if (r->vidx >= 0 && (rc = open_decoder(r->fmt, r->vidx, &r->vdec)) < 0)
        return rc;
    if (r->aidx >= 0 && (rc = open_decoder(r->fmt, r->aidx, &r->adec)) < 0)
        return rc;
    r->frame = av_frame_alloc();
    r->aout = av_frame_alloc();
    r->vout = av_frame_alloc();
    r->pkt = av_packet_alloc();
    if (!r->frame || !r->aout || !r->vout || !r->pkt)
        return AVERROR(ENOMEM);
    r->vout->format = AV_PIX_FMT_YUV420P;
    r->vout->width = r->cap->o->width;
    r->vout->height = r->cap->o->height;
    r->last_vpts = -1;
    return av_frame_get_buffer(r->vout, 0);
}

static void reader_close(struct reader *r)
{
    avcodec_free_context(&r->vdec);
    avcodec_free_context(&r->adec);
    avformat_close_input(&r->fmt);
    sws_freeContext(r->sws);
    swr_free(&r->swr);
    av_frame_free(&r->frame);
    av_frame_free(&r->vout);
    av_frame_free(&r->aout);
    av_packet_free(&r->pkt);
}

static int open_inputs(struct capture *c)
{
    const struct cast_options *o = c->o;
    c->r[0].cap = c->r[1].cap = c;
    if (strcmp(o->input, "camera") != 0) {
        c->n = 1;
        int rc = reader_open(&c->r[0], o->input, NULL, NULL, 1, 1);
        if (rc < 0)
            return rc;
        /* A file has a known length; a live URL paces itself. */
        c->r[0].paced = c->r[0].fmt->duration > 0 && c->r[0].fmt->pb &&
                        (c->r[0].fmt->pb->seekable & AVIO_SEEKABLE_NORMAL);
        return 0;
    }
    avdevice_register_all();
    AVDictionary *vopt = NULL;
    char size[32], rate[16];
    snprintf(size, sizeof(size), "%dx%d", o->width, o->height);
    snprintf(rate, sizeof(rate), "%d", o->fps);
    av_dict_set(&vopt, "video_size", size, 0);
    av_dict_set(&vopt, "framerate", rate, 0);
    c->n = 1;
    int rc = reader_open(&c->r[0], o->video_dev, "video4linux2", &vopt, 1, 0);
    av_dict_free(&vopt);
    if (rc < 0) {
        log_error("camera %s: %s", o->video_dev, av_err2str(rc));
        return rc;
    }
    if (o->audio_dev && o->audio_dev[0]) {
        AVDictionary *aopt = NULL;
        av_dict_set(&aopt, "sample_rate", "48000", 0);
        c->n = 2;
        rc = reader_open(&c->r[1], o->audio_dev, "alsa", &aopt, 0, 1);
        av_dict_free(&aopt);
        if (rc < 0) {
            log_error("microphone %s: %s", o->audio_dev, av_err2str(rc));
            return rc;
        }
    }
    return 0;
}

int capture_has_audio(const struct capture *c)
{
    for (int i = 0; i < c->n; i++)
        if (c->r[i].aidx >= 0)
            return 1;
    return 0;
}

int capture_start(const struct cast_options *o, struct pipeline *p, struct capture **out)
{
    struct capture *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->o = o;
    c->p = p;
    int rc = open_inputs(c);
    if (rc < 0) {
        if (strcmp(o->input, "camera") != 0)
            log_error("input %s: %s", o->input, av_err2str(rc));
        capture_stop(c);
        return rc;
    }
    c->t0_us = av_gettime_relative();
    for (int i = 0; i < c->n; i++) {
        atomic_fetch_add(&c->running, 1);
        if (pthread_create(&c->r[i].thread, NULL, read_loop, &c->r[i]) != 0) {
            atomic_fetch_sub(&c->running, 1);
            capture_stop(c);
            return -EAGAIN;
        }
        c->r[i].started = 1;
    }
    *out = c;
    return 0;
}

int capture_running(struct capture *c)
{
    return atomic_load(&c->running) == c->n;
}

void capture_stop(struct capture *c)
{
    if (!c)
        return;
    atomic_store(&c->stop, 1);
    for (int i = 0; i < 2; i++) {
        if (c->r[i].started)
            pthread_join(c->r[i].thread, NULL);
        reader_close(&c->r[i]);
    }
    free(c);
}
