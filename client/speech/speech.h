/* Read-aloud: Mandarin text to speech with libespeak-ng (voice "cmn"), synthesised on its
 * own thread and played through an SDL audio device in queue mode (SDL_QueueAudio).
 *
 * Threads: the main thread calls every function here. The speech thread owns espeak-ng
 * (a process-wide library: make at most one struct speech per process); it loads the voice
 * data once at start and then waits for text. A new speak() or a stop() bumps a serial; the
 * synthesis callback sees the stale serial and aborts, and the queued audio is cleared, so a
 * second press is silent at once. The thread keeps at most QUEUE_AHEAD_MS of audio queued
 * ahead of the device, so a long notice never piles up in memory. */
#ifndef DJTV_SPEECH_H
#define DJTV_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct speech_options {
    const char *data_dir; /* espeak-ng data ("…/espeak-ng-data"); NULL or "" = the system's */
    const char *voice;    /* NULL = "cmn" (Mandarin) */
    int rate_wpm;         /* words per minute; 0 = 130 (espeak-ng's default is 175) */
};

enum speech_state {
    SPEECH_STARTING = 0, /* loading the voice; a speak() now is spoken when it is loaded */
    SPEECH_READY,
    SPEECH_FAILED, /* no voice data or no audio: see speech_error() */
};

struct speech_stats {
    uint64_t samples_queued; /* 16-bit mono samples handed to SDL since start */
    int sample_rate;         /* of those samples; 0 before the voice is loaded */
    int utterances;          /* speak() calls that reached the synthesiser */
    int first_audio_ms;      /* last speak(): call -> first samples queued; -1 until then */
};

struct speech;

/* Opens the audio device and starts the thread (which loads the voice). NULL only when out
 * of memory or threads; a missing voice shows as SPEECH_FAILED, not as NULL. Needs SDL's
 * audio subsystem, which it initialises (and releases in destroy). */
struct speech *speech_create(const struct speech_options *opts);
/* Stops speaking, joins the thread, closes the device. NULL is a no-op. */
void speech_destroy(struct speech *sp);

/* Speak UTF-8 text, cutting off whatever is being said. 0, -EINVAL for empty text, -ENOMEM,
 * or -ENOENT when the speech engine failed (speech_error says why). */
int speech_speak(struct speech *sp, const char *text);
/* Silence now: aborts the synthesis and drops the queued audio. */
void speech_stop(struct speech *sp);
/* True from speak() until the last queued sample has been played (or stop()). */
bool speech_is_speaking(struct speech *sp);

enum speech_state speech_get_state(struct speech *sp);
/* Why the engine failed, in English for the log; "" while it has not. */
const char *speech_error(struct speech *sp);
void speech_get_stats(struct speech *sp, struct speech_stats *out);

#endif
