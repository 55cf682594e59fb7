/* A poster frame for a replay: the first picture of a video decoded, scaled to 640x360 and
 * written as a JPEG (FFmpeg's mjpeg encoder). */
#define LOG_TAG "media"
#include "media/media.h"

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <string.h>

enum { POSTER_W = 640, POSTER_H = 360, PACKETS_MAX = 2000 };

/* Decode the first video frame of INPUT into *OUT (a new frame). */
static int first_frame(const char *input, AVFrame **out, char *err, size_t errlen)
{
    AVFormatContext *in = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int rc = pkt && f ? avformat_open_input(&in, input, NULL, NULL) : AVERROR(ENOMEM);
    if (rc >= 0)
        rc = avformat_find_stream_info(in, NULL);
    int vi = rc >= 0 ? av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0) : rc;
    rc = vi;
    if (rc >= 0) {
        const AVCodec *codec = avcodec_find_decoder(in->streams[vi]->codecpar->codec_id);
        dec = codec ? avcodec_alloc_context3(codec) : NULL;
        rc = dec ? avcodec_parameters_to_context(dec, in->streams[vi]->codecpar)
                 : AVERROR_DECODER_NOT_FOUND;
        if (rc >= 0)
            rc = avcodec_open2(dec, codec, NULL);
    }
    int got = 0;
    for (int i = 0; rc >= 0 && !got && i < PACKETS_MAX; i++) {
        rc = av_read_frame(in, pkt);
        if (rc == AVERROR_EOF) {
            rc = avcodec_send_packet(dec, NULL); /* drain what the decoder holds */
        } else if (rc >= 0) {
            if (pkt->stream_index == vi)
                rc = avcodec_send_packet(dec, pkt);
            av_packet_unref(pkt);
            if (rc == AVERROR_INVALIDDATA)
                rc = 0;
        }
        if (rc < 0 && rc != AVERROR(EAGAIN))
            break;
        int r = avcodec_receive_frame(dec, f);
        got = r >= 0;
        rc = r == AVERROR(EAGAIN) || r >= 0 ? 0 : r;
    }
    if (!got && rc >= 0)
        rc = AVERROR_INVALIDDATA;
    if (rc < 0) {
        snprintf(err, errlen, "no picture to make a poster from: %s", av_err2str(rc));
        av_frame_free(&f);
    }
    *out = f;
    avcodec_free_context(&dec);
    avformat_close_input(&in);
    av_packet_free(&pkt);
    return rc < 0 ? rc : 0;
}

int media_poster_make(const char *input, const char *out_jpg, char *err, size_t errlen)
{
    AVFrame *src = NULL;
    int rc = first_frame(input, &src, err, errlen);
    if (rc < 0)
        return rc;
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    AVCodecContext *enc = codec ? avcodec_alloc_context3(codec) : NULL;
    AVFrame *dst = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    struct SwsContext *sws = sws_getContext(src->width, src->height, src->format, POSTER_W,
                                            POSTER_H, AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, NULL,
                                            NULL, NULL);
    rc = enc && dst && pkt && sws ? 0 : AVERROR(ENOMEM);
    if (rc == 0) {
        enc->width = POSTER_W;
        enc->height = POSTER_H;
        enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
        enc->time_base = (AVRational){ 1, 25 };
        enc->flags |= AV_CODEC_FLAG_QSCALE;
        enc->global_quality = FF_QP2LAMBDA * 3;
        rc = avcodec_open2(enc, codec, NULL);
    }
    if (rc == 0) {
        dst->format = AV_PIX_FMT_YUVJ420P;
        dst->width = POSTER_W;
        dst->height = POSTER_H;
        rc = av_frame_get_buffer(dst, 0);
    }
    if (rc == 0) {
        sws_scale(sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
                  dst->data, dst->linesize);
        dst->pts = 0;
        dst->quality = enc->global_quality;
        rc = avcodec_send_frame(enc, dst);
        if (rc == 0)
            rc = avcodec_receive_packet(enc, pkt);
    }
    if (rc == 0) {
        FILE *f = fopen(out_jpg, "wb");
        if (!f || fwrite(pkt->data, 1, (size_t)pkt->size, f) != (size_t)pkt->size)
            rc = AVERROR(errno ? errno : EIO);
        if (f && fclose(f) != 0 && rc == 0)
            rc = AVERROR(EIO);
    }
    if (rc < 0 && !err[0])
        snprintf(err, errlen, "poster: %s", av_err2str(rc));
    sws_freeContext(sws);
    av_packet_free(&pkt);
    av_frame_free(&dst);
    av_frame_free(&src);
    avcodec_free_context(&enc);
    return rc;
}
