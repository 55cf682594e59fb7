/* Opening an input: libavformat with a deadline and a cancel flag on every blocking call,
 * the pinned CA and certificate verification on every nested open (HLS playlists,
 * segments, keys), a probing policy tuned for fast start, and failures mapped onto
 * enum player_error. Used by the read thread only. */
#ifndef DJTV_MEDIA_SOURCE_H
#define DJTV_MEDIA_SOURCE_H

#include "media/player.h"

#include <libavformat/avformat.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum source_kind { SOURCE_FILE, SOURCE_HTTP, SOURCE_HLS, SOURCE_DATAGRAM /* udp, rtp */ };

struct source {
    AVFormatContext *ic;         /* owned; NULL when closed */
    const char *url;             /* borrowed (the player's copy) */
    const char *ca_file;         /* borrowed, may be NULL */
    const _Atomic bool *abort;   /* borrowed: the player's close flag */
    _Atomic int64_t deadline_us; /* av_gettime_relative() limit of the call in progress; 0 none */
    _Atomic bool timed_out;      /* a call was stopped at its deadline; sticky until the
                                  * next open (libavformat keeps the error in the AVIOContext
                                  * and later calls fail without asking again) */
    int nested_err;              /* the last failed open libavformat made for this input */
    char nested_url[512];        /* ... and its URL (a segment, a key): explains a demuxer's
                                  * summary error such as "invalid data" */
    enum source_kind kind;
    bool live;
    bool seekable;
    bool skipped_stream_info; /* the container told enough; avformat_find_stream_info skipped */
    int64_t start_us;         /* AV_TIME_BASE units; AV_NOPTS_VALUE until known */
    int64_t duration_us;      /* 0 if unknown */
    /* The DJTV server's media auth (source_auth_init), kept across opens. */
    char *auth_header; /* owned: "Authorization: Bearer …\r\n"; NULL = none */
    char *auth_origin; /* owned: "https://host:port", the only origin that gets it */
};

/* Open url and read enough to know its streams. On failure returns a negative AVERROR and
 * leaves s->ic NULL. The deadline covers connect, TLS, playlist and probing. */
int source_open(struct source *s, const char *url, const char *ca_file, const _Atomic bool *abort,
                enum player_live live_hint, int timeout_ms);
void source_close(struct source *s);
/* Limit the next blocking calls to ms from now (0 = no limit). */
void source_set_deadline(struct source *s, int ms);
/* Forget an earlier timeout (after a seek has reopened the connection). */
void source_clear_timeout(struct source *s);
/* Map a failure of open or read onto a player error. For an I/O error on https it checks
 * (with a short deadline) whether the TLS handshake fails only because of verification. */
enum player_error source_classify(struct source *s, int averr);
/* Send "Authorization: Bearer TOKEN" with every request to ORIGIN (an https origin) and strip
 * it from requests anywhere else (the HLS demuxer passes its headers on to every segment).
 * NULL TOKEN or ORIGIN = none; so is a token that is not plain letters and digits or an
 * origin that is not https (logged). 0 or -ENOMEM. source_auth_fini frees. */
int source_auth_init(struct source *s, const char *token, const char *origin);
void source_auth_fini(struct source *s);

/* The kind a URL will be opened as (before opening). */
enum source_kind source_kind_of(const char *url);

#endif
