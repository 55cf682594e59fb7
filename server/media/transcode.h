/* One stream's transcoder for media ingest: decoder → libswscale or libswresample → encoder
 * (H.264 for video, AAC for audio). Used by hls_remux.c for the streams it cannot copy. */
#ifndef DJTV_MEDIA_TRANSCODE_H
#define DJTV_MEDIA_TRANSCODE_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <stddef.h>

struct media_tc;

/* Receives each encoded packet, its timestamps in the encoder's time base. The packet is
 * unreferenced after the call; take a reference to keep it. 0 or a negative errno. */
typedef int (*media_tc_emit_fn)(void *arg, AVPacket *pkt);

/* A transcoder for the video or audio stream IN. 0 or a negative errno (reason in ERR). */
int media_tc_open(const AVStream *in, struct media_tc **out, char *err, size_t errlen);
/* The opened encoder: its parameters and time base describe the output stream. */
const AVCodecContext *media_tc_encoder(const struct media_tc *t);
/* Decode PKT (of the input stream, in its time base) and encode what comes out; PKT NULL drains
 * the decoder and the encoder (once, at the end). */
int media_tc_send(struct media_tc *t, const AVPacket *pkt, media_tc_emit_fn emit, void *arg);
void media_tc_free(struct media_tc *t);

#endif
