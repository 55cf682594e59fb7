/* Live ingest: the publisher (djtv-cast) PUTs MPEG-TS segments under /live/{id}/ with the
 * broadcast's publishing key; the server keeps every segment as the recording, writes the
 * playlist boxes read (a sliding window) and the recording's own playlist, and a worker thread
 * turns the recording of an ended (or silent) broadcast into an on-demand replay.
 *
 * Files, under the media root:
 *   live/{id}/segN.ts          the segments as they came (written to a temp name, then renamed)
 *   live/{id}/index.m3u8       the live window (GET /live/{id}/index.m3u8)
 *   live/{id}/recording.m3u8   every segment so far, appended and synced one at a time, so a
 *                              crash leaves a playable recording of what arrived
 *   replays/{id}/hls/…         the replay, remuxed into 4 s segments, and replays/{id}/poster.jpg */
#ifndef DJTV_LIVE_H
#define DJTV_LIVE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct store;
struct events;
struct live;

#define LIVE_PREFIX "/live/"

enum {
    LIVE_SEGMENT_MAX = 8 * 1024 * 1024, /* bytes in one segment */
    LIVE_SEGMENT_S_MAX = 6,             /* seconds in one segment; also the target duration */
};

struct live_config {
    const char *media_root; /* borrowed */
    struct store *store;    /* borrowed */
    int window;             /* segments in the live playlist */
    int64_t quota_bytes;    /* per broadcast */
    int idle_s;             /* a silent publisher's broadcast ends after this */
    double rate;            /* segment PUTs per second per broadcast (burst: rate * 6) */
};

int live_create(const struct live_config *cfg, struct live **out);
/* Where "broadcast.ended" and "broadcast.replay" events go (may be set after create). */
void live_set_events(struct live *lv, struct events *ev);
/* Stop the worker (a job in progress finishes first) and free. */
void live_destroy(struct live *lv);

/* A publisher's request: the headers, then the body. */
struct live_put {
    const char *path;          /* /live/{id}/seg{N}.ts */
    const char *authorization; /* "Bearer KEY" or NULL */
    const char *duration;      /* X-Segment-Duration, seconds; NULL = 1 */
    const char *discontinuity; /* X-Discontinuity: "1" after a gap; NULL = 0 */
    const char *multicast;     /* X-Multicast: udp://group:port the headend sends to, or NULL */
    const uint8_t *body;
    size_t len;
    time_t now;
};

struct live_reply {
    int status;       /* HTTP status */
    char code[40];    /* "ok" or the error code */
    char body[256];   /* JSON */
    int retry_after;  /* seconds, for 429 */
};

/* Check the path, key and broadcast before the body is read (BODY is ignored): 0, or a
 * negative errno with REPLY filled. */
int live_publish_check(struct live *lv, const struct live_put *put, struct live_reply *reply);
/* Store one segment. Always fills REPLY (2xx on success). */
void live_publish(struct live *lv, const struct live_put *put, struct live_reply *reply);
/* GET /live/{id}/publisher with the key (PUT's fields path, authorization and now): where the
 * broadcast's recording ends, so that a restarted publisher continues its numbering. Always
 * fills REPLY (200 {"broadcast_id","last_seq","segments"} on success). */
void live_publisher_state(struct live *lv, const struct live_put *put, struct live_reply *reply);

#endif
