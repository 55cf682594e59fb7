#define LOG_TAG "audio"
#include "media/audio_out.h"

#include "log.h"
#include "media/internal.h"

#include <errno.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PERIOD_SAMPLES = 1024, OUT_RATE = 48000 };

struct audio_out {
    struct player *p;      /* borrowed */
    SDL_AudioDeviceID dev; /* 0 for the null sink */
    int rate, channels;    /* output format (S16 interleaved) */
    int bytes_per_sec;
    int period_bytes;    /* one callback's worth */
    int latency_periods; /* periods between handing data out and hearing it */

    /* Callback thread only. */
    struct SwrContext *swr; /* owned */
    int src_fmt, src_rate;
    AVChannelLayout src_layout;
    uint8_t *buf; /* owned: converted samples */
    int buf_cap, buf_size, buf_index;
    double buf_end_pts; /* media time just after the last converted sample */
    int buf_serial;

    /* Null sink. */
    pthread_t tid;
    bool thread_started;
    _Atomic bool stop;
    uint8_t *null_buf; /* owned */
};

static int configure_swr(struct audio_out *ao, const AVFrame *f)
{
    AVChannelLayout in = {0}, out = {0};
    int ret = 0;
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || !av_channel_layout_check(&f->ch_layout))
        av_channel_layout_default(&in, f->ch_layout.nb_channels > 0 ? f->ch_layout.nb_channels : 2);
    else
        ret = av_channel_layout_copy(&in, &f->ch_layout);
    if (ret < 0)
        return ret;
    av_channel_layout_default(&out, ao->channels);
    swr_free(&ao->swr);
    ret = swr_alloc_set_opts2(&ao->swr, &out, AV_SAMPLE_FMT_S16, ao->rate, &in, f->format,
                              f->sample_rate, 0, NULL);
    if (ret >= 0)
        ret = swr_init(ao->swr);
    if (ret < 0) {
        swr_free(&ao->swr);
    } else {
        ao->src_fmt = f->format;
        ao->src_rate = f->sample_rate;
        av_channel_layout_uninit(&ao->src_layout);
        ret = av_channel_layout_copy(&ao->src_layout, &f->ch_layout);
    }
    av_channel_layout_uninit(&in);
    av_channel_layout_uninit(&out);
    return ret;
}

/* Convert the next frame of the current serial into ao->buf. Bytes ready, or -1 if none. */
static int next_chunk(struct audio_out *ao)
{
    struct player *p = ao->p;
    for (;;) {
        struct frameq_item *it = frameq_peek(&p->afq);
        if (!it)
            return -1;
        if (it->serial != atomic_load(&p->aq.serial)) {
            frameq_next(&p->afq); /* queued before a seek */
            continue;
        }
        AVFrame *f = it->frame;
        if (f->sample_rate <= 0 || f->nb_samples <= 0) {
            frameq_next(&p->afq);
            continue;
        }
        if (!ao->swr || f->format != ao->src_fmt || f->sample_rate != ao->src_rate ||
            av_channel_layout_compare(&f->ch_layout, &ao->src_layout) != 0) {
            if (configure_swr(ao, f) < 0) {
                frameq_next(&p->afq);
                continue;
            }
        }
        int out_samples =
            (int)av_rescale_rnd(swr_get_delay(ao->swr, f->sample_rate) + f->nb_samples, ao->rate,
                                f->sample_rate, AV_ROUND_UP) +
            256;
        int need = out_samples * ao->channels * 2;
        if (need > ao->buf_cap) {
            uint8_t *nb = realloc(ao->buf, (size_t)need);
            if (!nb) {
                frameq_next(&p->afq);
                return -1;
            }
            ao->buf = nb;
            ao->buf_cap = need;
        }
        int n = swr_convert(ao->swr, &ao->buf, out_samples, (const uint8_t **)f->extended_data,
                            f->nb_samples);
        ao->buf_end_pts = isnan(it->pts) ? NAN : it->pts + it->duration;
        ao->buf_serial = it->serial;
        frameq_next(&p->afq);
        if (n <= 0)
            continue;
        ao->buf_index = 0;
        ao->buf_size = n * ao->channels * 2;
        return ao->buf_size;
    }
}

/* Fill len bytes for the device; runs on SDL's audio thread (or the null sink's). */
static void fill(struct audio_out *ao, uint8_t *stream, int len)
{
    struct player *p = ao->p;
    double now = mclock_now();
    bool paused = atomic_load(&p->output_paused);
    bool wrote = false;
    uint8_t *start = stream;
    int total = len;
    while (len > 0) {
        if (ao->buf_index >= ao->buf_size && (paused || next_chunk(ao) < 0)) {
            memset(stream, 0, (size_t)len); /* S16 silence */
            /* An underrun once sound has started at this place (not while opening). */
            if (!paused && atomic_load(&p->audio_live) && !atomic_load(&p->eof) &&
                !isnan(mclock_get(&p->aclk)))
                atomic_fetch_add(&p->audio_underruns, 1);
            break;
        }
        int n = ao->buf_size - ao->buf_index;
        if (n > len)
            n = len;
        memcpy(stream, ao->buf + ao->buf_index, (size_t)n);
        ao->buf_index += n;
        stream += n;
        len -= n;
        wrote = true;
    }
    if (wrote && !isnan(ao->buf_end_pts)) {
        double pending =
            (double)(ao->latency_periods * ao->period_bytes + ao->buf_size - ao->buf_index);
        mclock_set_at(&p->aclk, ao->buf_end_pts - pending / ao->bytes_per_sec, ao->buf_serial, now);
    }
    if (atomic_load(&p->muted))
        memset(start, 0, (size_t)total); /* consumed and timed as ever, heard as silence */
}

static void sdl_callback(void *opaque, Uint8 *stream, int len)
{
    fill(opaque, stream, len);
}

/* The null sink: the same fill, paced by the monotonic clock like a device would be. */
static void *null_thread(void *arg)
{
    struct audio_out *ao = arg;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    long period_ns = (long)(1e9 * PERIOD_SAMPLES / ao->rate);
    while (!atomic_load(&ao->stop)) {
        fill(ao, ao->null_buf, ao->period_bytes);
        next.tv_nsec += period_ns;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {
        }
    }
    return NULL;
}

int audio_out_open(struct audio_out **out, struct player *p, enum player_audio mode, int rate,
                   int channels)
{
    struct audio_out *ao = calloc(1, sizeof(*ao));
    *out = NULL;
    if (!ao)
        return -ENOMEM;
    ao->p = p;
    ao->buf_end_pts = NAN;
    int ret = -ENOMEM;
    SDL_AudioSpec want = {0}, have = {0};
    if (mode == PLAYER_AUDIO_DEVICE) {
        want.freq = rate >= 8000 && rate <= 192000 ? rate : OUT_RATE;
        want.format = AUDIO_S16SYS;
        want.channels = (Uint8)(channels == 1 ? 1 : 2);
        want.samples = PERIOD_SAMPLES;
        want.callback = sdl_callback;
        want.userdata = ao;
        ao->dev =
            SDL_OpenAudioDevice(NULL, 0, &want, &have,
                                SDL_AUDIO_ALLOW_FREQUENCY_CHANGE | SDL_AUDIO_ALLOW_CHANNELS_CHANGE);
        if (!ao->dev) {
            /* Keep the timing (and A/V sync) without sound rather than fail. */
            log_warn("cannot open audio device (%s): audio is timed without one", SDL_GetError());
        }
    }
    if (ao->dev) {
        ao->rate = have.freq;
        ao->channels = have.channels;
        ao->period_bytes = (int)have.size;
        const char *drv = SDL_GetCurrentAudioDriver();
        /* Drivers without hardware hand each buffer out as they fill it; real ones hold
         * about two periods. */
        ao->latency_periods = drv && (!strcmp(drv, "dummy") || !strcmp(drv, "disk")) ? 1 : 2;
        log_info("audio device: %s, %d Hz, %d ch, %d-byte periods", drv ? drv : "?", ao->rate,
                 ao->channels, ao->period_bytes);
    } else {
        ao->rate = OUT_RATE;
        ao->channels = 2;
        ao->period_bytes = PERIOD_SAMPLES * ao->channels * 2;
        ao->latency_periods = 1;
        ao->null_buf = malloc((size_t)ao->period_bytes);
        if (!ao->null_buf)
            goto fail;
    }
    ao->bytes_per_sec = ao->rate * ao->channels * 2;
    atomic_store(&p->audio_rate, ao->rate);
    atomic_store(&p->audio_channels, ao->channels);
    if (ao->dev) {
        SDL_PauseAudioDevice(ao->dev, 0);
    } else {
        if (pthread_create(&ao->tid, NULL, null_thread, ao) != 0) {
            ret = -EAGAIN;
            goto fail;
        }
        ao->thread_started = true;
    }
    *out = ao;
    return 0;
fail:
    audio_out_close(ao);
    return ret;
}

void audio_out_close(struct audio_out *ao)
{
    if (!ao)
        return;
    if (ao->dev)
        SDL_CloseAudioDevice(ao->dev); /* waits for a callback in progress */
    if (ao->thread_started) {
        atomic_store(&ao->stop, true);
        pthread_join(ao->tid, NULL);
    }
    swr_free(&ao->swr);
    av_channel_layout_uninit(&ao->src_layout);
    free(ao->buf);
    free(ao->null_buf);
    free(ao);
}
