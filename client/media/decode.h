/* A decoder thread: packets from a pktq, frames into a frameq, both owned by the player.
 * The thread drops what belongs to an older serial, drops frames before a seek target
 * (accurate seek), and drops video frames that are already late (weak CPU). */
#ifndef DJTV_MEDIA_DECODE_H
#define DJTV_MEDIA_DECODE_H

#include <libavformat/avformat.h>

struct player;
struct decoder;

/* Open a decoder for ic->streams[index] (video or audio). threads: video decoder threads.
 * Returns 0 or a negative AVERROR (AVERROR_DECODER_NOT_FOUND for an unknown codec). */
int decoder_create(struct decoder **out, struct player *p, AVFormatContext *ic, int index,
                   int threads);
int decoder_start(struct decoder *d);
/* The player must have aborted the decoder's queues first, so the thread can exit. */
void decoder_destroy(struct decoder *d);
const char *decoder_name(const struct decoder *d);

#endif
