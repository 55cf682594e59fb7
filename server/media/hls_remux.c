/* A video file → a VOD HLS rendition with libavformat's hls muxer (MPEG-TS segments cut at
 * key frames after MEDIA_SEGMENT_S seconds, a playlist with #EXT-X-ENDLIST). H.264 video and
 * AAC audio are copied with av_interleaved_write_frame (no decode; the MPEG-TS muxer adds the
 * Annex B and ADTS framing itself); any other codec goes through transcode.c. */
#define LOG_TAG "media"
#include "media/media.h"

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "media/transcode.h"

enum { PATH_MAX_LEN = 4096 };
/* A stream's timestamp that goes back more than this, or ahead more than JUMP_AHEAD_US past
 * its last packet, is a join (see struct bridge). */
#define JUMP_BACK_US 1000000LL
#define JUMP_AHEAD_US 5000000LL

/* One input stream we keep: copied or transcoded, and where it goes. */
struct lane {
    int in_index;     /* -1 when unused */
    int out_index;
    AVRational in_tb;
    struct media_tc *tc; /* owned; NULL when copied */
    int64_t last_dts;    /* AV_TIME_BASE units, after the bridge; AV_NOPTS_VALUE before the first */
    int64_t last_dur;
};

/* A live recording is its MPEG-TS segments joined one after the other. Where djtv-cast was
 * restarted its timestamps start again from zero, and where its uplink lost segments they leap
 * ahead: copied as they are, the muxer refuses the first (non-monotonic) and the replay stands
 * still through the second. For inputs whose timestamps may jump (AVFMT_TS_DISCONT: MPEG-TS),
 * one offset, shared by the streams so that they stay in sync, makes a jump go on right where
 * the stream's previous packet ended. */
struct bridge {
    int on;
    int jumps;
    int64_t offset;     /* AV_TIME_BASE units, added to every timestamp */
    int64_t first, end; /* the span written, AV_TIME_BASE units; first = AV_NOPTS_VALUE at start */
};

struct job {
    AVFormatContext *in;  /* owned */
    AVFormatContext *out; /* owned */
    struct lane lanes[2]; /* video, audio */
    struct lane *cur;     /* the lane whose transcoder is emitting */
    media_progress_fn progress; /* may be NULL */
    void *progress_arg;
    int64_t in_size;      /* bytes of the input, for the progress; <= 0 when unknown */
    int percent;          /* the last percent reported */
    struct bridge bridge;
};

/* Tell the caller how far the input has been converted, in whole percent, when that changed:
 * by PKT's time against the input's duration (the read position runs ahead of the work, as
 * probing reads the start of the file), or by bytes read when the duration is unknown. */
static void report_progress(struct job *j, const AVPacket *pkt)
{
    if (!j->progress)
        return;
    int percent = -1;
    const AVStream *st = j->in->streams[pkt->stream_index];
    if (j->in->duration > 0 && pkt->pts != AV_NOPTS_VALUE) {
        double t = (double)(pkt->pts - (st->start_time != AV_NOPTS_VALUE ? st->start_time : 0)) *
                   av_q2d(st->time_base);
        percent = (int)(t * 100.0 * AV_TIME_BASE / (double)j->in->duration);
    } else if (j->in_size > 0 && j->in->pb) {
        percent = (int)(avio_tell(j->in->pb) * 100 / j->in_size);
    }
    percent = percent < 0 ? 0 : percent > 99 ? 99 : percent; /* 100 once it is written */
    if (percent > j->percent) {
        j->percent = percent;
        j->progress(j->progress_arg, percent);
    }
}

static void av_err(char *err, size_t errlen, const char *what, int rc)
{
    char e[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(rc, e, sizeof(e));
    snprintf(err, errlen, "%s: %s", what, e);
}

static void ffmpeg_log(void *avcl, int level, const char *fmt, va_list ap)
{
    (void)avcl;
    if (level > av_log_get_level())
        return;
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    if (n == 0)
        return;
    if (level <= AV_LOG_ERROR)
        log_error("ffmpeg: %s", line);
    else
        log_warn("ffmpeg: %s", line);
}

void media_log_init(void)
{
    av_log_set_level(AV_LOG_WARNING);
    av_log_set_callback(ffmpeg_log);
}

/* Write a packet of lane L (timestamps in TB) to the output. */
static int write_packet(struct job *j, const struct lane *l, AVPacket *pkt, AVRational tb)
{
    AVStream *os = j->out->streams[l->out_index];
    av_packet_rescale_ts(pkt, tb, os->time_base);
    pkt->stream_index = l->out_index;
    pkt->pos = -1;
    return av_interleaved_write_frame(j->out, pkt);
}

static int emit(void *arg, AVPacket *pkt)
{
    struct job *j = arg;
    return write_packet(j, j->cur, pkt, media_tc_encoder(j->cur->tc)->time_base);
}

/* Add the output stream of lane L (input stream IS): copied when COPY, else transcoded. */
static int add_lane(struct job *j, struct lane *l, AVStream *is, int copy, char *err,
                    size_t errlen)
{
    l->in_index = is->index;
    l->in_tb = is->time_base;
    AVStream *os = avformat_new_stream(j->out, NULL);
    if (!os)
        return -ENOMEM;
    l->out_index = os->index;
    int rc;
    if (copy) {
        rc = avcodec_parameters_copy(os->codecpar, is->codecpar);
        os->codecpar->codec_tag = 0;
        os->time_base = is->time_base;
    } else {
        rc = media_tc_open(is, &l->tc, err, errlen);
        if (rc < 0)
            return rc;
        const AVCodecContext *enc = media_tc_encoder(l->tc);
        rc = avcodec_parameters_from_context(os->codecpar, enc);
        os->time_base = enc->time_base;
    }
    if (rc < 0)
        av_err(err, errlen, "output stream", rc);
    return rc;
}

static int open_output(struct job *j, const char *out_dir, char *err, size_t errlen)
{
    char playlist[PATH_MAX_LEN];
    int n1 = snprintf(playlist, sizeof(playlist), "%s/index.m3u8", out_dir);
    if (n1 < 0 || (size_t)n1 >= sizeof(playlist) / 2) { /* room for the segment pattern too */
        snprintf(err, errlen, "output path too long");
        return -ENAMETOOLONG;
    }
    int rc = avformat_alloc_output_context2(&j->out, NULL, "hls", playlist);
    if (rc < 0)
        av_err(err, errlen, "hls muxer", rc);
    return rc;
}

static int write_header(struct job *j, const char *out_dir, char *err, size_t errlen)
{
    /* The segment name is a pattern: a '%' of the folder's name must be doubled. */
    char segs[PATH_MAX_LEN];
    size_t n = 0;
    for (const char *p = out_dir; *p && n + 2 < sizeof(segs) - 16; p++) {
        if (*p == '%')
            segs[n++] = '%';
        segs[n++] = *p;
    }
    snprintf(segs + n, sizeof(segs) - n, "/seg%%03d.ts");
    char secs[16];
    snprintf(secs, sizeof(secs), "%d", MEDIA_SEGMENT_S);
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "hls_time", secs, 0);
    av_dict_set(&opts, "hls_playlist_type", "vod", 0);
    av_dict_set(&opts, "hls_list_size", "0", 0);
    av_dict_set(&opts, "hls_segment_type", "mpegts", 0);
    av_dict_set(&opts, "hls_segment_filename", segs, 0);
    int rc = avformat_write_header(j->out, &opts);
    av_dict_free(&opts);
    if (rc < 0)
        av_err(err, errlen, "writing the playlist header", rc);
    return rc < 0 ? rc : 0;
}

/* Move PKT of lane L across a join (struct bridge): 0 to write it, 1 to drop it (it overlaps
 * what its stream already has, just after a join). */
static int bridge_packet(struct job *j, struct lane *l, AVPacket *pkt)
{
    struct bridge *b = &j->bridge;
    int64_t ts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts;
    if (!b->on || ts == AV_NOPTS_VALUE)
        return 0;
    int64_t t = av_rescale_q(ts, l->in_tb, AV_TIME_BASE_Q) + b->offset;
    if (l->last_dts != AV_NOPTS_VALUE) {
        int64_t end = l->last_dts + l->last_dur;
        if (t < l->last_dts - JUMP_BACK_US || t > end + JUMP_AHEAD_US) {
            b->offset += end - t;
            t = end;
            b->jumps++;
        } else if (t <= l->last_dts) {
            return 1;
        }
    }
    int64_t shift = av_rescale_q(b->offset, AV_TIME_BASE_Q, l->in_tb);
    if (pkt->dts != AV_NOPTS_VALUE)
        pkt->dts += shift;
    if (pkt->pts != AV_NOPTS_VALUE)
        pkt->pts += shift;
    int64_t dur = pkt->duration > 0 ? av_rescale_q(pkt->duration, l->in_tb, AV_TIME_BASE_Q)
                  : l->last_dts != AV_NOPTS_VALUE ? t - l->last_dts
                                                  : 0;
    l->last_dts = t;
    l->last_dur = dur;
    if (b->first == AV_NOPTS_VALUE || t < b->first)
        b->first = t;
    if (t + dur > b->end)
        b->end = t + dur;
    return 0;
}

/* Copy or transcode every packet of the kept streams, then drain the transcoders. */
static int pump(struct job *j, char *err, size_t errlen)
{
    AVPacket *pkt = av_packet_alloc();
    if (!pkt)
        return -ENOMEM;
    int rc = 0;
    for (;;) {
        rc = av_read_frame(j->in, pkt);
        if (rc == AVERROR_EOF) {
            rc = 0;
            break;
        }
        if (rc < 0) {
            av_err(err, errlen, "reading the input", rc);
            break;
        }
        struct lane *l = NULL;
        for (int i = 0; i < 2; i++)
            if (j->lanes[i].in_index == pkt->stream_index)
                l = &j->lanes[i];
        if (l)
            report_progress(j, pkt); /* before the packet is handed on (and reset) */
        if (l && bridge_packet(j, l, pkt)) {
            av_packet_unref(pkt);
            continue;
        }
        if (l && l->tc) {
            j->cur = l;
            rc = media_tc_send(l->tc, pkt, emit, j);
            if (rc < 0)
                av_err(err, errlen, "transcoding", rc);
        } else if (l) {
            rc = write_packet(j, l, pkt, l->in_tb);
            if (rc < 0)
                av_err(err, errlen, "writing a segment", rc);
        }
        av_packet_unref(pkt);
        if (rc < 0)
            break;
    }
    for (int i = 0; rc == 0 && i < 2; i++) {
        if (!j->lanes[i].tc)
            continue;
        j->cur = &j->lanes[i];
        rc = media_tc_send(j->lanes[i].tc, NULL, emit, j);
        if (rc < 0)
            av_err(err, errlen, "draining the encoder", rc);
    }
    av_packet_free(&pkt);
    return rc;
}

static void job_fini(struct job *j)
{
    for (int i = 0; i < 2; i++)
        media_tc_free(j->lanes[i].tc);
    avformat_free_context(j->out);
    avformat_close_input(&j->in);
}

int media_hls_make(const char *input, const char *out_dir, struct media_hls_result *res,
                   char *err, size_t errlen)
{
    return media_hls_make_progress(input, out_dir, res, err, errlen, NULL, NULL);
}

int media_hls_make_progress(const char *input, const char *out_dir,
                            struct media_hls_result *res, char *err, size_t errlen,
                            media_progress_fn progress, void *arg)
{
    struct job j = { .lanes = { { .in_index = -1, .last_dts = AV_NOPTS_VALUE },
                                { .in_index = -1, .last_dts = AV_NOPTS_VALUE } },
                     .progress = progress, .progress_arg = arg, .percent = -1,
                     .bridge = { .first = AV_NOPTS_VALUE } };
    memset(res, 0, sizeof(*res));
    res->audio_copied = -1;
    int rc = avformat_open_input(&j.in, input, NULL, NULL);
    if (rc < 0) {
        av_err(err, errlen, "cannot open the video", rc);
        goto fail;
    }
    j.in_size = j.in->pb ? avio_size(j.in->pb) : -1;
    j.bridge.on = !!(j.in->iformat->flags & AVFMT_TS_DISCONT);
    rc = avformat_find_stream_info(j.in, NULL);
    if (rc < 0) {
        av_err(err, errlen, "cannot read the video's streams", rc);
        goto fail;
    }
    int vi = av_find_best_stream(j.in, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    int ai = av_find_best_stream(j.in, AVMEDIA_TYPE_AUDIO, -1, vi, NULL, 0);
    if (vi < 0 || (j.in->streams[vi]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
        snprintf(err, errlen, "the file has no video stream");
        rc = -EINVAL;
        goto fail;
    }
    AVStream *vs = j.in->streams[vi];
    snprintf(res->video_codec, sizeof(res->video_codec), "%s",
             avcodec_get_name(vs->codecpar->codec_id));
    res->width = vs->codecpar->width;
    res->height = vs->codecpar->height;
    if (j.in->duration > 0)
        res->duration_s = (int)((j.in->duration + AV_TIME_BASE - 1) / AV_TIME_BASE);
    rc = open_output(&j, out_dir, err, errlen);
    if (rc < 0)
        goto fail;
    res->video_copied = vs->codecpar->codec_id == AV_CODEC_ID_H264;
    rc = add_lane(&j, &j.lanes[0], vs, res->video_copied, err, errlen);
    if (rc == 0 && ai >= 0) {
        AVStream *as = j.in->streams[ai];
        snprintf(res->audio_codec, sizeof(res->audio_codec), "%s",
                 avcodec_get_name(as->codecpar->codec_id));
        res->audio_copied = as->codecpar->codec_id == AV_CODEC_ID_AAC;
        rc = add_lane(&j, &j.lanes[1], as, res->audio_copied, err, errlen);
    }
    if (rc == 0)
        rc = write_header(&j, out_dir, err, errlen);
    if (rc < 0)
        goto fail;
    rc = pump(&j, err, errlen);
    int trc = av_write_trailer(j.out); /* also after an error: it closes the open segment */
    if (rc == 0 && trc < 0) {
        av_err(err, errlen, "finishing the playlist", trc);
        rc = trc;
    }
    if (rc < 0)
        goto fail;
    if (j.bridge.jumps > 0) {
        /* The container's duration counts from the first timestamp to the last, which the
         * joins made meaningless: what was written is the length. */
        res->duration_s = (int)((j.bridge.end - j.bridge.first + AV_TIME_BASE - 1) / AV_TIME_BASE);
        log_info("joined %d timestamp jump(s) into one timeline of %d s", j.bridge.jumps,
                 res->duration_s);
    }
    if (!res->video_copied)
        res->width = media_tc_encoder(j.lanes[0].tc)->width;
    job_fini(&j);
    return 0;

fail:
    job_fini(&j);
    return rc < 0 ? rc : -EIO;
}
