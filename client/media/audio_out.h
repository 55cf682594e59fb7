/* Audio output: an SDL audio device (callback) or a timed null sink, fed from the player's
 * decoded audio frames, converted with swresample to the device format. The sink sets the
 * audio clock (the master clock) from what it has handed out, minus the device latency. */
#ifndef DJTV_MEDIA_AUDIO_OUT_H
#define DJTV_MEDIA_AUDIO_OUT_H

#include "media/player.h"

struct player;
struct audio_out;

/* Open the sink for mode PLAYER_AUDIO_DEVICE or PLAYER_AUDIO_NULL and start it (it plays
 * silence until frames arrive). A device that cannot be opened falls back to the null sink.
 * rate/channels: of the stream if known, else 0. Returns 0 or a negative errno. */
int audio_out_open(struct audio_out **out, struct player *p, enum player_audio mode, int rate,
                   int channels);
/* Stops the callback (waits for a running one) and frees. NULL is a no-op. */
void audio_out_close(struct audio_out *ao);

#endif
