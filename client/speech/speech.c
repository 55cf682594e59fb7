#define LOG_TAG "speech"
#include "speech/speech.h"

#include <SDL.h>
#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

enum {
    DEFAULT_RATE_WPM = 130,
    SYNTH_BUFFER_MS = 40,  /* espeak hands out audio in chunks this long: the first is heard
                            * sooner with short chunks */
    QUEUE_AHEAD_MS = 1500, /* audio queued ahead of the device, at most */
    THROTTLE_SLEEP_MS = 20,
};

struct speech {
    char voice[32];
    char data_dir[1024];
    int rate_wpm;

    pthread_t tid;
    bool thread_started;
    SDL_AudioDeviceID dev; /* 0 until the thread opened it; written before state turns READY */
    bool sdl_audio;        /* SDL_InitSubSystem(SDL_INIT_AUDIO) done by create */

    pthread_mutex_t lock; /* guards the fields below, and SDL_QueueAudio against stop() */
    pthread_cond_t cond;
    char *pending;    /* owned: text waiting for the thread */
    uint64_t serial;  /* bumped by every speak() and stop() */
    bool quit;
    bool synthesising;
    uint64_t t_request_ns; /* when the pending / current text was asked for */
    char error[256];       /* set once, before state turns FAILED */

    _Atomic int state; /* enum speech_state */
    _Atomic uint64_t samples_queued;
    _Atomic int sample_rate;
    _Atomic int utterances;
    _Atomic int first_audio_ms;

    /* Speech thread only. */
    uint64_t job_serial;
    uint64_t job_t0_ns;
    bool job_heard; /* first samples of this job queued */
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void fail(struct speech *sp, const char *what, espeak_ng_STATUS st)
{
    char msg[160] = "";
    if (st != ENS_OK)
        espeak_ng_GetStatusCodeMessage(st, msg, sizeof(msg));
    pthread_mutex_lock(&sp->lock);
    snprintf(sp->error, sizeof(sp->error), "%s%s%s", what, msg[0] ? ": " : "", msg);
    pthread_mutex_unlock(&sp->lock);
    log_error("read-aloud unavailable: %s", sp->error);
    atomic_store(&sp->state, SPEECH_FAILED);
}

/* espeak-ng's synthesis callback (speech thread). Returns 1 to abort the synthesis. */
static int on_samples(short *wav, int n, espeak_EVENT *events)
{
    struct speech *sp = events ? events->user_data : NULL;
    if (!sp)
        return 1;
    if (!wav || n <= 0)
        return 0;
    int rate = atomic_load(&sp->sample_rate);
    Uint32 ahead_bytes = (Uint32)((int64_t)rate * 2 * QUEUE_AHEAD_MS / 1000);
    for (;;) {
        pthread_mutex_lock(&sp->lock);
        if (sp->serial != sp->job_serial || sp->quit) {
            pthread_mutex_unlock(&sp->lock);
            return 1; /* a newer text or a stop: say no more of this one */
        }
        if (SDL_GetQueuedAudioSize(sp->dev) < ahead_bytes)
            break; /* still locked: stop() cannot clear the queue between check and queue */
        pthread_mutex_unlock(&sp->lock);
        SDL_Delay(THROTTLE_SLEEP_MS);
    }
    int rc = SDL_QueueAudio(sp->dev, wav, (Uint32)n * 2);
    pthread_mutex_unlock(&sp->lock);
    if (rc < 0) {
        log_warn("SDL_QueueAudio: %s", SDL_GetError());
        return 1;
    }
    atomic_fetch_add(&sp->samples_queued, (uint64_t)n);
    if (!sp->job_heard) {
        sp->job_heard = true;
        int ms = (int)((now_ns() - sp->job_t0_ns) / 1000000u);
        atomic_store(&sp->first_audio_ms, ms);
        log_info("speak: first audio after %d ms", ms);
    }
    return 0;
}

/* Load espeak-ng and the voice (speech thread). 0, or -1 after fail(). */
static int load_voice(struct speech *sp)
{
    espeak_ng_InitializePath(sp->data_dir[0] ? sp->data_dir : NULL);
    espeak_ng_ERROR_CONTEXT ctx = NULL;
    espeak_ng_STATUS st = espeak_ng_Initialize(&ctx);
    if (st != ENS_OK) {
        espeak_ng_ClearErrorContext(&ctx);
        fail(sp, "espeak-ng data not found (install espeak-ng-data)", st);
        return -1;
    }
    st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, SYNTH_BUFFER_MS, NULL);
    if (st != ENS_OK) {
        fail(sp, "espeak-ng output", st);
        return -1;
    }
    st = espeak_ng_SetVoiceByName(sp->voice);
    if (st != ENS_OK) {
        fail(sp, "no espeak-ng voice", st);
        return -1;
    }
    espeak_ng_SetParameter(espeakRATE, sp->rate_wpm, 0);
    espeak_SetSynthCallback(on_samples);
    int rate = espeak_ng_GetSampleRate();
    SDL_AudioSpec want = { .freq = rate, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024 };
    SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
    if (!dev) {
        char msg[160];
        snprintf(msg, sizeof(msg), "cannot open an audio device (%s)", SDL_GetError());
        fail(sp, msg, ENS_OK);
        return -1;
    }
    SDL_PauseAudioDevice(dev, 0);
    pthread_mutex_lock(&sp->lock);
    sp->dev = dev;
    pthread_mutex_unlock(&sp->lock);
    atomic_store(&sp->sample_rate, rate);
    log_info("read-aloud ready: voice %s, %d wpm, %d Hz", sp->voice, sp->rate_wpm, rate);
    atomic_store(&sp->state, SPEECH_READY);
    return 0;
}

static void *speech_thread(void *arg)
{
    struct speech *sp = arg;
    bool loaded = load_voice(sp) == 0;
    pthread_mutex_lock(&sp->lock);
    for (;;) {
        while (!sp->quit && !sp->pending)
            pthread_cond_wait(&sp->cond, &sp->lock);
        if (sp->quit)
            break;
        char *text = sp->pending;
        sp->pending = NULL;
        if (!loaded) {
            free(text);
            continue;
        }
        sp->job_serial = sp->serial;
        sp->job_t0_ns = sp->t_request_ns;
        sp->job_heard = false;
        sp->synthesising = true;
        pthread_mutex_unlock(&sp->lock);

        atomic_fetch_add(&sp->utterances, 1);
        espeak_ng_STATUS st = espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
                                                   espeakCHARS_UTF8, NULL, sp);
        if (st != ENS_OK && st != ENS_SPEECH_STOPPED)
            log_warn("espeak-ng could not say a text (status 0x%x)", (unsigned)st);
        free(text);

        pthread_mutex_lock(&sp->lock);
        sp->synthesising = false;
    }
    pthread_mutex_unlock(&sp->lock);
    if (loaded)
        espeak_ng_Terminate();
    SDL_TLSCleanup(); /* SDL keeps per-thread error state for threads it did not start */
    return NULL;
}

struct speech *speech_create(const struct speech_options *opts)
{
    struct speech *sp = calloc(1, sizeof(*sp));
    if (!sp)
        return NULL;
    snprintf(sp->voice, sizeof(sp->voice), "%s", opts && opts->voice ? opts->voice : "cmn");
    snprintf(sp->data_dir, sizeof(sp->data_dir), "%s",
             opts && opts->data_dir ? opts->data_dir : "");
    sp->rate_wpm = opts && opts->rate_wpm > 0 ? opts->rate_wpm : DEFAULT_RATE_WPM;
    if (sp->rate_wpm < espeakRATE_MINIMUM)
        sp->rate_wpm = espeakRATE_MINIMUM;
    atomic_store(&sp->first_audio_ms, -1);
    if (pthread_mutex_init(&sp->lock, NULL) != 0) {
        free(sp);
        return NULL;
    }
    if (pthread_cond_init(&sp->cond, NULL) != 0) {
        pthread_mutex_destroy(&sp->lock);
        free(sp);
        return NULL;
    }
    /* The audio subsystem is set up here, on the main thread: SDL's init is not thread-safe. */
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0)
        sp->sdl_audio = true;
    else
        fail(sp, "no SDL audio", ENS_OK);
    if (sp->sdl_audio) {
        if (pthread_create(&sp->tid, NULL, speech_thread, sp) != 0) {
            speech_destroy(sp);
            return NULL;
        }
        sp->thread_started = true;
    }
    return sp;
}

void speech_destroy(struct speech *sp)
{
    if (!sp)
        return;
    pthread_mutex_lock(&sp->lock);
    sp->quit = true;
    pthread_cond_signal(&sp->cond);
    pthread_mutex_unlock(&sp->lock);
    if (sp->thread_started)
        pthread_join(sp->tid, NULL);
    if (sp->dev)
        SDL_CloseAudioDevice(sp->dev);
    if (sp->sdl_audio)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free(sp->pending);
    pthread_cond_destroy(&sp->cond);
    pthread_mutex_destroy(&sp->lock);
    free(sp);
}

int speech_speak(struct speech *sp, const char *text)
{
    if (!text || !text[0])
        return -EINVAL;
    if (atomic_load(&sp->state) == SPEECH_FAILED)
        return -ENOENT;
    char *copy = strdup(text);
    if (!copy)
        return -ENOMEM;
    pthread_mutex_lock(&sp->lock);
    free(sp->pending);
    sp->pending = copy;
    sp->serial++;
    sp->t_request_ns = now_ns();
    atomic_store(&sp->first_audio_ms, -1);
    if (sp->dev)
        SDL_ClearQueuedAudio(sp->dev);
    pthread_cond_signal(&sp->cond);
    pthread_mutex_unlock(&sp->lock);
    return 0;
}

void speech_stop(struct speech *sp)
{
    pthread_mutex_lock(&sp->lock);
    free(sp->pending);
    sp->pending = NULL;
    sp->serial++;
    if (sp->dev)
        SDL_ClearQueuedAudio(sp->dev);
    pthread_mutex_unlock(&sp->lock);
}

bool speech_is_speaking(struct speech *sp)
{
    pthread_mutex_lock(&sp->lock);
    bool busy = sp->pending || (sp->synthesising && sp->serial == sp->job_serial) ||
                (sp->dev && SDL_GetQueuedAudioSize(sp->dev) > 0);
    pthread_mutex_unlock(&sp->lock);
    return busy;
}

enum speech_state speech_get_state(struct speech *sp)
{
    return (enum speech_state)atomic_load(&sp->state);
}

const char *speech_error(struct speech *sp)
{
    /* Written once before state turns FAILED, never after: safe to read once FAILED. */
    return atomic_load(&sp->state) == SPEECH_FAILED ? sp->error : "";
}

void speech_get_stats(struct speech *sp, struct speech_stats *out)
{
    out->samples_queued = atomic_load(&sp->samples_queued);
    out->sample_rate = atomic_load(&sp->sample_rate);
    out->utterances = atomic_load(&sp->utterances);
    out->first_audio_ms = atomic_load(&sp->first_audio_ms);
}
