#define LOG_TAG "source"
#include "media/source.h"

#include "log.h"

#include <errno.h>
#include <libavutil/avstring.h>
#include <libavutil/mem.h>
#include <libavutil/time.h>
#include <string.h>
#include <strings.h>

/* Protocols an input may use, nested opens included (HLS segments, AES keys, RTP's UDP). */
static const char k_protocols[] = "file,http,https,tls,tcp,udp,rtp,crypto,data,httpproxy";

/* Probing. Live sources start on what the container says plus a short look at the data;
 * on-demand ones may look a little longer. HLS passes these on to its segment demuxer. */
enum {
    PROBESIZE_LIVE = 256 * 1024,
    PROBESIZE_VOD = 1024 * 1024,
    ANALYZE_LIVE_US = 500 * 1000,
    ANALYZE_VOD_US = 1000 * 1000,
    TLS_PROBE_MS = 3000,
};

static bool has_prefix(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

enum source_kind source_kind_of(const char *url)
{
    if (has_prefix(url, "udp://") || has_prefix(url, "rtp://"))
        return SOURCE_DATAGRAM;
    if (has_prefix(url, "http://") || has_prefix(url, "https://")) {
        const char *q = strchr(url, '?');
        size_t n = q ? (size_t)(q - url) : strlen(url);
        if (n >= 5 && strncasecmp(url + n - 5, ".m3u8", 5) == 0)
            return SOURCE_HLS;
        return SOURCE_HTTP;
    }
    return SOURCE_FILE;
}

/* libavformat polls this during every blocking call: 1 stops the call with AVERROR_EXIT. */
static int interrupt_cb(void *opaque)
{
    struct source *s = opaque;
    if (atomic_load(s->abort))
        return 1;
    int64_t deadline = atomic_load(&s->deadline_us);
    if (deadline && av_gettime_relative() > deadline) {
        atomic_store(&s->timed_out, true);
        return 1;
    }
    return 0;
}

void source_set_deadline(struct source *s, int ms)
{
    atomic_store(&s->deadline_us, ms > 0 ? av_gettime_relative() + (int64_t)ms * 1000 : 0);
}

void source_clear_timeout(struct source *s)
{
    atomic_store(&s->timed_out, false);
}

/* Options every network open gets: TLS verification against the pinned CA. */
static int add_net_options(const struct source *s, AVDictionary **d, const char *url)
{
    int ret = 0;
    if (has_prefix(url, "https://") || has_prefix(url, "tls://")) {
        ret |= av_dict_set(d, "tls_verify", "1", 0);
        if (s->ca_file)
            ret |= av_dict_set(d, "ca_file", s->ca_file, 0);
    }
    if (has_prefix(url, "http://") || has_prefix(url, "https://")) {
        ret |= av_dict_set(d, "user_agent", "DJTV/0.1", 0);
        if (!s->live) {
            /* A dropped connection in the middle of a file resumes at the same offset. */
            ret |= av_dict_set(d, "reconnect", "1", 0);
            ret |= av_dict_set(d, "reconnect_delay_max", "2", 0);
        }
    }
    return ret < 0 ? AVERROR(ENOMEM) : 0;
}

/* ---- media auth for the DJTV server (issue 4, media serving) ----
 * The token rides in libavformat's http "headers" option. The HLS demuxer copies the headers of
 * the playlist request onto every segment request, so the decision is taken again per URL here:
 * same origin as the server → the header, any other origin → the header removed. */

int source_auth_init(struct source *s, const char *token, const char *origin)
{
    source_auth_fini(s);
    if (!token || !token[0] || !origin || !origin[0])
        return 0;
    size_t n = strspn(token, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (token[n] != '\0' || n > 256 || !has_prefix(origin, "https://") || strchr(origin + 8, '/')) {
        log_warn("media auth: token or server origin unusable; media requests go without it");
        return 0;
    }
    char *h = av_asprintf("Authorization: Bearer %s\r\n", token);
    char *o = av_strdup(origin);
    if (!h || !o) {
        av_free(h);
        av_free(o);
        return AVERROR(ENOMEM);
    }
    s->auth_header = h;
    s->auth_origin = o;
    return 0;
}

void source_auth_fini(struct source *s)
{
    av_freep(&s->auth_header);
    av_freep(&s->auth_origin);
}

/* 1 when URL's origin (scheme://host:port) is exactly S's server origin. */
static bool same_origin(const struct source *s, const char *url)
{
    size_t n = strlen(s->auth_origin);
    return strncmp(url, s->auth_origin, n) == 0 &&
           (url[n] == '\0' || url[n] == '/' || url[n] == '?' || url[n] == '#');
}

/* Set or strip the auth header for one open of URL. */
static int apply_auth(const struct source *s, AVDictionary **d, const char *url)
{
    if (!s->auth_header)
        return 0;
    if (same_origin(s, url))
        return av_dict_set(d, "headers", s->auth_header, 0);
    return av_dict_set(d, "headers", NULL, 0);
}

/* Every open libavformat makes for this input, nested ones included, comes through here,
 * so no segment or key is ever fetched without verifying the server. */
static int io_open_cb(AVFormatContext *ic, AVIOContext **pb, const char *url, int flags,
                      AVDictionary **options)
{
    struct source *s = ic->opaque;
    AVDictionary *d = NULL;
    int ret = AVERROR(ENOMEM);
    if (options && *options && av_dict_copy(&d, *options, 0) < 0)
        goto fail;
    if (add_net_options(s, &d, url) < 0 || apply_auth(s, &d, url) < 0)
        goto fail;
    if (av_dict_set(&d, "protocol_whitelist",
                    ic->protocol_whitelist ? ic->protocol_whitelist : k_protocols, 0) < 0)
        goto fail;
    ret = avio_open2(pb, url, flags, &ic->interrupt_callback, &d);
    if (ret < 0) {
        s->nested_err = ret;
        snprintf(s->nested_url, sizeof(s->nested_url), "%s", url);
    }
    if (ret >= 0 && options) {
        /* Hand back what nobody consumed, as avio_open2 would, minus our own additions. */
        static const char *const ours[] = {"tls_verify",          "ca_file",
                                           "user_agent",          "reconnect",
                                           "reconnect_delay_max", "protocol_whitelist"};
        for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
            av_dict_set(&d, ours[i], NULL, 0);
        av_dict_free(options);
        *options = d;
        d = NULL;
    }
fail:
    av_dict_free(&d);
    return ret;
}

static int build_options(const struct source *s, AVDictionary **d)
{
    int ret = 0;
    ret |= av_dict_set_int(d, "probesize", s->live ? PROBESIZE_LIVE : PROBESIZE_VOD, 0);
    ret |= av_dict_set_int(d, "analyzeduration", s->live ? ANALYZE_LIVE_US : ANALYZE_VOD_US, 0);
    if (s->kind == SOURCE_HLS) {
        /* A live playlist is joined at its newest segment, not three back (libavformat's
         * default): each segment skipped is a second less behind the room. On-demand
         * playlists (with an end tag) ignore it. */
        ret |= av_dict_set_int(d, "live_start_index", -1, 0);
    }
    if (s->kind == SOURCE_DATAGRAM) {
        /* A paused or slow reader must not turn a full socket buffer into an error. */
        ret |= av_dict_set(d, "overrun_nonfatal", "1", 0);
        ret |= av_dict_set_int(d, "buffer_size", 1024 * 1024, 0);
        ret |= av_dict_set_int(d, "fifo_size", 64 * 1024, 0); /* in 188-byte packets */
    }
    return ret < 0 ? AVERROR(ENOMEM) : 0;
}

/* Whether the container already told what the decoders need. MPEG-TS (live) names its codecs
 * in the PMT and carries the parameter sets in band; MP4 and Matroska carry everything in
 * the header; HLS ran stream detection on its first segment already. Anything else, or any
 * stream still unknown, goes through avformat_find_stream_info. */
static bool header_is_enough(const struct source *s)
{
    AVFormatContext *ic = s->ic;
    const char *name = ic->iformat->name;
    bool ts = strcmp(name, "mpegts") == 0 || strcmp(name, "rtp") == 0; /* RTP: MPEG-TS inside */
    bool full_header = strstr(name, "mp4") || strstr(name, "matroska") || strcmp(name, "hls") == 0;
    if (!(ts && s->live) && !full_header)
        return false;
    int av = 0;
    for (unsigned i = 0; i < ic->nb_streams; i++) {
        const AVCodecParameters *par = ic->streams[i]->codecpar;
        if (par->codec_type != AVMEDIA_TYPE_VIDEO && par->codec_type != AVMEDIA_TYPE_AUDIO)
            continue;
        if (par->codec_id == AV_CODEC_ID_NONE)
            return false;
        if (full_header && par->codec_type == AVMEDIA_TYPE_VIDEO &&
            (par->width <= 0 || par->height <= 0))
            return false;
        if (full_header && par->codec_type == AVMEDIA_TYPE_AUDIO && par->sample_rate <= 0)
            return false;
        av++;
    }
    return av > 0;
}

static void compute_timing(struct source *s)
{
    AVFormatContext *ic = s->ic;
    s->start_us = ic->start_time;
    s->duration_us = ic->duration > 0 ? ic->duration : 0;
    for (unsigned i = 0; i < ic->nb_streams; i++) {
        const AVStream *st = ic->streams[i];
        if (st->start_time != AV_NOPTS_VALUE && s->start_us == AV_NOPTS_VALUE) {
            s->start_us = av_rescale_q(st->start_time, st->time_base, AV_TIME_BASE_Q);
        }
        if (ic->duration <= 0 && st->duration > 0) {
            int64_t d = av_rescale_q(st->duration, st->time_base, AV_TIME_BASE_Q);
            if (d > s->duration_us)
                s->duration_us = d;
        }
    }
}

int source_open(struct source *s, const char *url, const char *ca_file, const _Atomic bool *abort,
                enum player_live live_hint, int timeout_ms)
{
    AVDictionary *opts = NULL;
    int ret;
    s->url = url;
    s->ca_file = ca_file;
    s->abort = abort;
    s->kind = source_kind_of(url);
    s->live = live_hint == PLAYER_LIVE_YES || s->kind == SOURCE_DATAGRAM;
    s->seekable = false;
    s->skipped_stream_info = false;
    s->start_us = AV_NOPTS_VALUE;
    s->duration_us = 0;
    s->nested_err = 0;
    s->nested_url[0] = '\0';
    atomic_store(&s->timed_out, false);

    s->ic = avformat_alloc_context();
    if (!s->ic)
        return AVERROR(ENOMEM);
    s->ic->interrupt_callback.callback = interrupt_cb;
    s->ic->interrupt_callback.opaque = s;
    s->ic->opaque = s;
    s->ic->io_open = io_open_cb;
    /* The lavf field is a malloc'd string it frees itself. */
    s->ic->protocol_whitelist = av_strdup(k_protocols);
    if (!s->ic->protocol_whitelist) {
        ret = AVERROR(ENOMEM);
        goto fail;
    }
    ret = build_options(s, &opts);
    if (ret < 0)
        goto fail;

    source_set_deadline(s, timeout_ms);
    int64_t t0 = av_gettime_relative();
    /* Plain UDP carries MPEG-TS here (IPTV): no need to probe for the format. */
    const AVInputFormat *fmt = has_prefix(url, "udp://") ? av_find_input_format("mpegts") : NULL;
    ret = avformat_open_input(&s->ic, url, fmt, &opts); /* frees ic on failure */
    if (ret < 0)
        goto fail;
    int64_t t1 = av_gettime_relative();

    if (strcmp(s->ic->iformat->name, "hls") == 0) {
        s->kind = SOURCE_HLS;
        /* A playlist without an end tag has no duration: it is a live one. */
        if (live_hint == PLAYER_LIVE_AUTO && s->ic->duration == AV_NOPTS_VALUE)
            s->live = true;
    }
    if (live_hint == PLAYER_LIVE_NO)
        s->live = false;

    if (header_is_enough(s)) {
        s->skipped_stream_info = true;
    } else {
        ret = avformat_find_stream_info(s->ic, NULL);
        if (ret < 0)
            goto fail;
    }
    source_set_deadline(s, 0);
    compute_timing(s);
    s->seekable =
        !s->live && s->duration_us > 0 &&
        (s->kind == SOURCE_HLS || (s->ic->pb && (s->ic->pb->seekable & AVIO_SEEKABLE_NORMAL)));
    log_info("opened %s: %s, %u streams, %s, %s stream info, open %.0f ms, probe %.0f ms",
             s->kind == SOURCE_FILE ? "file" : "network stream", s->ic->iformat->name,
             s->ic->nb_streams, s->live ? "live" : "on demand",
             s->skipped_stream_info ? "skipped" : "read", (double)(t1 - t0) / 1000.0,
             (double)(av_gettime_relative() - t1) / 1000.0);
    av_dict_free(&opts);
    return 0;

fail:
    av_dict_free(&opts);
    avformat_close_input(&s->ic);
    return ret;
}

void source_close(struct source *s)
{
    avformat_close_input(&s->ic);
}

/* Handshake with the server of an https URL: 0 if it succeeds with verification as asked. */
static int tls_handshake(struct source *s, const char *url, bool verify)
{
    char host[256], scheme[16];
    int port = -1;
    av_url_split(scheme, sizeof(scheme), NULL, 0, host, sizeof(host), &port, NULL, 0, url);
    if (!host[0])
        return AVERROR(EINVAL);
    char tls_url[320];
    int n = snprintf(tls_url, sizeof(tls_url), "tls://%s:%d", host, port > 0 ? port : 443);
    if (n < 0 || (size_t)n >= sizeof(tls_url))
        return AVERROR(EINVAL);
    AVDictionary *d = NULL;
    av_dict_set(&d, "tls_verify", verify ? "1" : "0", 0);
    if (verify && s->ca_file)
        av_dict_set(&d, "ca_file", s->ca_file, 0);
    AVIOInterruptCB cb = {interrupt_cb, s};
    AVIOContext *pb = NULL;
    source_set_deadline(s, TLS_PROBE_MS);
    int ret = avio_open2(&pb, tls_url, AVIO_FLAG_READ, &cb, &d);
    source_set_deadline(s, 0);
    av_dict_free(&d);
    avio_closep(&pb);
    return ret;
}

enum player_error source_classify(struct source *s, int averr)
{
    if (atomic_load(&s->timed_out))
        return PLAYER_ERR_NETWORK;
    /* "Invalid data" from a playlist demuxer whose segment could not even be fetched: the
     * fetch is the real story (404, TLS, network). */
    const char *url = s->url;
    if ((averr == AVERROR_INVALIDDATA || averr == AVERROR_EOF) && s->nested_err < 0 &&
        s->nested_err != AVERROR_EXIT) {
        averr = s->nested_err;
        url = s->nested_url;
    }
    switch (averr) {
    case AVERROR_HTTP_NOT_FOUND:
    case AVERROR(ENOENT):
        return PLAYER_ERR_NOT_FOUND;
    case AVERROR_HTTP_BAD_REQUEST:
    case AVERROR_HTTP_UNAUTHORIZED:
    case AVERROR_HTTP_FORBIDDEN:
    case AVERROR_HTTP_OTHER_4XX:
    case AVERROR_HTTP_SERVER_ERROR:
        return PLAYER_ERR_SERVER;
    case AVERROR_INVALIDDATA:
    case AVERROR_EOF:
        return PLAYER_ERR_CORRUPT;
    case AVERROR_DECODER_NOT_FOUND:
    case AVERROR_DEMUXER_NOT_FOUND:
    case AVERROR_PROTOCOL_NOT_FOUND:
    case AVERROR_STREAM_NOT_FOUND:
    case AVERROR_PATCHWELCOME:
    case AVERROR(ENOSYS):
        return PLAYER_ERR_UNSUPPORTED;
    case AVERROR(ENOMEM):
        return PLAYER_ERR_INTERNAL;
    default:
        break;
    }
    if (!has_prefix(url, "http://") && !has_prefix(url, "https://") &&
        source_kind_of(url) != SOURCE_DATAGRAM)
        return averr == AVERROR(EACCES) ? PLAYER_ERR_NOT_FOUND : PLAYER_ERR_CORRUPT;
    /* GnuTLS reports a certificate it does not trust as a plain I/O error. Tell it apart
     * from a broken handshake by trying once more without verification. */
    if (averr == AVERROR(EIO) && has_prefix(url, "https://") && !atomic_load(s->abort)) {
        if (tls_handshake(s, url, true) < 0 && !atomic_load(&s->timed_out) &&
            tls_handshake(s, url, false) == 0) {
            atomic_store(&s->timed_out, false);
            return PLAYER_ERR_TLS;
        }
        atomic_store(&s->timed_out, false);
    }
    return PLAYER_ERR_NETWORK;
}
