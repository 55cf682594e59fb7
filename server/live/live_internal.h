/* Shared by the live module's files: the state kept per broadcast that has published. */
#ifndef DJTV_LIVE_INTERNAL_H
#define DJTV_LIVE_INTERNAL_H

#include <pthread.h>

#include "live/live.h"

struct rec_entry {
    int64_t seq;  /* the publisher's number: segSEQ.ts */
    double dur;   /* seconds */
    int disc;     /* EXT-X-DISCONTINUITY before it */
};

struct bstate {
    struct bstate *next;
    int64_t id;
    int64_t last_seq;    /* -1 before the first segment */
    int64_t count;       /* segments in the recording */
    int64_t discs;       /* of them, those after a gap */
    int64_t bytes;       /* on disk */
    struct rec_entry *win; /* the last WINDOW entries, oldest first (n_win of them) */
    int n_win;
    time_t last_put;     /* when the publisher last sent a segment (or the server started) */
    double tokens;       /* rate limit bucket */
    double token_at;
    int multicast_saved;
    int finalized;       /* the replay job ran (or the recording was already final) */
};

struct live {
    struct live_config cfg;
    pthread_mutex_t lock;   /* the list and every bstate */
    pthread_cond_t wake;
    struct bstate *list;
    struct events *events;
    pthread_t worker;
    int worker_started, stopping;
};

/* recording.c */
/* Parse DIR/recording.m3u8: its entries (owned by the caller, free()) and whether it ends
 * with EXT-X-ENDLIST. -ENOENT when there is none. */
int rec_load(const char *dir, struct rec_entry **out, int *n, int *ended);
/* Append one entry (the header first when the file is new) and sync it to disk. */
int rec_append(const char *dir, const struct rec_entry *e);
/* Turn broadcast ID's recording into a replay; sets recording_state and recording_url. */
int rec_make_replay(struct live *lv, int64_t id);
/* DIR = ROOT/live/ID. */
void rec_dir(const struct live *lv, int64_t id, char *out, size_t cap);

/* ingest.c: the state of broadcast ID, loaded from disk when first seen (lock held). NULL when
 * out of memory. */
struct bstate *live_state(struct live *lv, int64_t id, time_t now);

/* watcher.c */
int watcher_start(struct live *lv);
void watcher_stop(struct live *lv);

#endif
