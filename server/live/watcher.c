/* The live module's worker thread: once a second it looks at every broadcast that has
 * published. A live one whose publisher has been silent for idle_s seconds is ended (its open
 * roll calls close, "broadcast.ended" goes out), and an ended one whose recording is not a
 * replay yet gets one (rec_make_replay, then "broadcast.replay"). This is the job queue of the
 * heavy work: it runs here, never on an HTTP thread, one job at a time, and its state is the
 * broadcast's recording_state in the API. At start it picks up the recordings on disk, so a
 * broadcast cut by a crash still becomes a replay. */
#define LOG_TAG "live"
#include "live/live_internal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events/events.h"
#include "log.h"
#include "store/store.h"

enum { TRACK_MAX = 256, OPEN_ROLLCALLS_MAX = 64 };

struct end_job {
    int64_t id;
    time_t now;
    int64_t rollcalls[OPEN_ROLLCALLS_MAX];
    int n;
};

static int end_run(struct store_tx *tx, void *arg)
{
    const struct end_job *j = arg;
    int rc = store_broadcast_end(tx, j->id, j->now);
    for (int i = 0; rc == 0 && i < j->n; i++) {
        rc = store_rollcall_close(tx, j->rollcalls[i], j->now);
        if (rc == -ESTALE)
            rc = 0;
    }
    return rc;
}

/* The boxes, cadres and staff of the broadcast's org hear about it. */
static void publish(struct live *lv, const struct store_broadcast *b, const char *type)
{
    pthread_mutex_lock(&lv->lock);
    struct events *ev = lv->events;
    pthread_mutex_unlock(&lv->lock);
    struct store_org o;
    if (!ev || store_org_get(lv->cfg.store, b->org_id, &o) < 0)
        return;
    int village = strcmp(o.kind, "village") == 0;
    struct event_scope to = {
        .audience = EVENT_TO_BOXES | EVENT_TO_STAFF | EVENT_TO_CADRES,
        .township_id = village ? o.parent_id : o.id,
        .village_id = village ? o.id : 0,
    };
    cJSON *j = cJSON_CreateObject();
    char *text = NULL;
    if (j && cJSON_AddNumberToObject(j, "broadcast_id", (double)b->id) &&
        (strcmp(type, "broadcast.replay") != 0 ||
         cJSON_AddStringToObject(j, "recording_url", b->recording_url)))
        text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (text && events_publish(ev, &to, type, text) < 0)
        log_warn("event %s not published", type);
    free(text);
}

/* A live broadcast whose publisher went silent: end it as the cadre's stop would. */
static void end_silent(struct live *lv, const struct store_broadcast *b, time_t now)
{
    struct end_job j = { .id = b->id, .now = now };
    if (store_rollcall_open_ids(lv->cfg.store, b->id, j.rollcalls, OPEN_ROLLCALLS_MAX, &j.n) < 0)
        j.n = 0;
    int rc = store_write(lv->cfg.store, end_run, &j);
    if (rc < 0 && rc != -ESTALE) {
        log_error("broadcast %lld: not ended after its publisher went silent: %s",
                  (long long)b->id, strerror(-rc));
        return;
    }
    log_info("broadcast %lld ended: nothing from its publisher for %d s", (long long)b->id,
             lv->cfg.idle_s);
    publish(lv, b, "broadcast.ended");
}

static void check_one(struct live *lv, int64_t id, time_t last_put, time_t now)
{
    struct store_broadcast b;
    if (store_broadcast_get(lv->cfg.store, id, &b) < 0)
        return;
    if (strcmp(b.state, "live") == 0) {
        if (now - last_put < lv->cfg.idle_s)
            return;
        end_silent(lv, &b, now);
        if (store_broadcast_get(lv->cfg.store, id, &b) < 0 || strcmp(b.state, "ended") != 0)
            return;
    }
    int done = strcmp(b.state, "ended") != 0 || strcmp(b.recording_state, "ready") == 0;
    if (!done) {
        int rc = rec_make_replay(lv, id);
        if (rc == 0 && store_broadcast_get(lv->cfg.store, id, &b) == 0)
            publish(lv, &b, "broadcast.replay");
        else if (rc < 0 && rc != -ENOENT)
            log_error("broadcast %lld: replay not made: %s", (long long)id, strerror(-rc));
        done = 1; /* a failed job is not retried in a loop; a restart tries again */
    }
    if (done && strcmp(b.state, "live") != 0) {
        pthread_mutex_lock(&lv->lock);
        for (struct bstate *s = lv->list; s; s = s->next)
            if (s->id == id)
                s->finalized = 1;
        pthread_mutex_unlock(&lv->lock);
    }
}

static void tick(struct live *lv)
{
    int64_t ids[TRACK_MAX];
    time_t last[TRACK_MAX];
    int n = 0;
    time_t now = time(NULL);
    pthread_mutex_lock(&lv->lock);
    for (struct bstate *s = lv->list; s && n < TRACK_MAX; s = s->next) {
        if (s->finalized)
            continue;
        ids[n] = s->id;
        last[n++] = s->last_put;
    }
    pthread_mutex_unlock(&lv->lock);
    for (int i = 0; i < n; i++)
        check_one(lv, ids[i], last[i], now);
}

/* The recordings on disk from before a restart. */
static void pick_up(struct live *lv)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/live", lv->cfg.media_root);
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *de;
    time_t now = time(NULL);
    pthread_mutex_lock(&lv->lock);
    while ((de = readdir(d)) != NULL) {
        char *end = NULL;
        long long id = strtoll(de->d_name, &end, 10);
        if (id > 0 && end && !*end)
            live_state(lv, id, now);
    }
    pthread_mutex_unlock(&lv->lock);
    closedir(d);
}

static void *run(void *arg)
{
    struct live *lv = arg;
    pick_up(lv);
    pthread_mutex_lock(&lv->lock);
    while (!lv->stopping) {
        pthread_mutex_unlock(&lv->lock);
        tick(lv);
        pthread_mutex_lock(&lv->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        if (!lv->stopping)
            pthread_cond_timedwait(&lv->wake, &lv->lock, &until);
    }
    pthread_mutex_unlock(&lv->lock);
    return NULL;
}

int watcher_start(struct live *lv)
{
    if (pthread_create(&lv->worker, NULL, run, lv) != 0)
        return -EAGAIN;
    lv->worker_started = 1;
    return 0;
}

void watcher_stop(struct live *lv)
{
    if (!lv->worker_started)
        return;
    pthread_mutex_lock(&lv->lock);
    lv->stopping = 1;
    pthread_cond_broadcast(&lv->wake);
    pthread_mutex_unlock(&lv->lock);
    pthread_join(lv->worker, NULL);
    lv->worker_started = 0;
}
