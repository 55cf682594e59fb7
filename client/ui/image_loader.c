#define LOG_TAG "image"
#include "ui/image_loader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ui/image.h"

enum { FAILED_KEYS = 16 };

enum job_phase { JOB_FREE, JOB_QUEUED, JOB_WORKING, JOB_DONE };

struct job {
    enum job_phase phase; /* guarded by lock */
    uint64_t seq;         /* FIFO order of the queue */
    char *key;            /* owned */
    void *data;           /* owned until decoded, then freed by the worker */
    size_t len;
    int max_w, max_h;
    SDL_Surface *surf;    /* owned: JOB_DONE's result, NULL when it failed */
};

struct image_loader {
    SDL_mutex *lock;           /* owned: guards jobs[].phase/surf/data and stop */
    SDL_cond *wake;            /* owned: signalled when a job is queued or on stop */
    SDL_Thread *thread;        /* owned */
    int stop;
    uint32_t wake_event;
    uint64_t next_seq;
    struct job jobs[IMAGE_LOADER_JOBS];
    struct image_cache *cache; /* owned; main thread only */
    char *failed[FAILED_KEYS]; /* owned: keys whose bytes did not decode, a ring */
    int next_failed;
};

const char *image_state_name(enum image_state s)
{
    switch (s) {
    case IMAGE_DECODING:
        return "decoding";
    case IMAGE_READY:
        return "ready";
    case IMAGE_FAILED:
        return "failed";
    case IMAGE_NONE:
        break;
    }
    return "none";
}

/* The oldest queued job, or NULL. Under lock. */
static struct job *next_job(struct image_loader *l)
{
    struct job *best = NULL;
    for (int i = 0; i < IMAGE_LOADER_JOBS; i++) {
        struct job *j = &l->jobs[i];
        if (j->phase == JOB_QUEUED && (!best || j->seq < best->seq))
            best = j;
    }
    return best;
}

static int worker(void *arg)
{
    struct image_loader *l = arg;
    SDL_LockMutex(l->lock);
    for (;;) {
        struct job *j;
        while (!l->stop && (j = next_job(l)) == NULL)
            SDL_CondWait(l->wake, l->lock);
        if (l->stop)
            break;
        j->phase = JOB_WORKING;
        void *data = j->data;
        size_t len = j->len;
        int max_w = j->max_w, max_h = j->max_h;
        SDL_UnlockMutex(l->lock);
        SDL_Surface *surf = NULL;
        int ret = image_decode(data, len, max_w, max_h, &surf);
        if (ret < 0)
            log_warn("picture not decoded: %s", strerror(-ret));
        SDL_LockMutex(l->lock);
        free(j->data);
        j->data = NULL;
        j->surf = surf;
        j->phase = JOB_DONE;
        if (l->wake_event) {
            SDL_Event ev = { .type = l->wake_event };
            SDL_PushEvent(&ev);
        }
    }
    SDL_UnlockMutex(l->lock);
    return 0;
}

struct image_loader *image_loader_create(int cache_mb, uint32_t wake_event)
{
    struct image_loader *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    l->wake_event = wake_event;
    l->cache = image_cache_create((size_t)(cache_mb > 0 ? cache_mb : 1) * 1024 * 1024);
    l->lock = SDL_CreateMutex();
    l->wake = SDL_CreateCond();
    if (!l->cache || !l->lock || !l->wake)
        goto fail;
    l->thread = SDL_CreateThread(worker, "djtv-image", l);
    if (!l->thread)
        goto fail;
    return l;
fail:
    image_loader_destroy(l);
    return NULL;
}

static void free_job(struct job *j)
{
    free(j->key);
    free(j->data);
    SDL_FreeSurface(j->surf);
    *j = (struct job){ 0 };
}

void image_loader_destroy(struct image_loader *l)
{
    if (!l)
        return;
    if (l->thread) {
        SDL_LockMutex(l->lock);
        l->stop = 1;
        SDL_CondSignal(l->wake);
        SDL_UnlockMutex(l->lock);
        SDL_WaitThread(l->thread, NULL);
    }
    for (int i = 0; i < IMAGE_LOADER_JOBS; i++)
        free_job(&l->jobs[i]);
    for (int i = 0; i < FAILED_KEYS; i++)
        free(l->failed[i]);
    image_cache_destroy(l->cache);
    if (l->wake)
        SDL_DestroyCond(l->wake);
    if (l->lock)
        SDL_DestroyMutex(l->lock);
    free(l);
}

/* The job for key in any phase but free, or NULL. Job keys are written only by the main
 * thread, so reading them needs no lock. */
static struct job *find_job(struct image_loader *l, const char *key)
{
    for (int i = 0; i < IMAGE_LOADER_JOBS; i++) {
        if (l->jobs[i].key && strcmp(l->jobs[i].key, key) == 0)
            return &l->jobs[i];
    }
    return NULL;
}

static int failed_index(const struct image_loader *l, const char *key)
{
    for (int i = 0; i < FAILED_KEYS; i++) {
        if (l->failed[i] && strcmp(l->failed[i], key) == 0)
            return i;
    }
    return -1;
}

int image_loader_submit(struct image_loader *l, const char *key, const void *data, size_t len,
                        int max_w, int max_h)
{
    if (!l || !key || !data || len == 0)
        return -EINVAL;
    if (len > IMAGE_MAX_BYTES)
        return -E2BIG;
    if (find_job(l, key) || image_cache_get(l->cache, key, NULL, NULL))
        return 0;
    struct job *slot = NULL;
    for (int i = 0; i < IMAGE_LOADER_JOBS && !slot; i++) {
        if (!l->jobs[i].key)
            slot = &l->jobs[i];
    }
    if (!slot)
        return -EAGAIN;
    char *k = strdup(key);
    void *copy = malloc(len);
    if (!k || !copy) {
        free(k);
        free(copy);
        return -ENOMEM;
    }
    memcpy(copy, data, len);
    int f = failed_index(l, key);
    if (f >= 0) { /* new bytes for a key that failed: try them */
        free(l->failed[f]);
        l->failed[f] = NULL;
    }
    SDL_LockMutex(l->lock);
    *slot = (struct job){ .phase = JOB_QUEUED, .seq = ++l->next_seq, .key = k, .data = copy,
                          .len = len, .max_w = max_w, .max_h = max_h };
    SDL_CondSignal(l->wake);
    SDL_UnlockMutex(l->lock);
    return 0;
}

static void remember_failed(struct image_loader *l, char *key)
{
    free(l->failed[l->next_failed]);
    l->failed[l->next_failed] = key;
    l->next_failed = (l->next_failed + 1) % FAILED_KEYS;
}

int image_loader_collect(struct image_loader *l, SDL_Renderer *r)
{
    int changed = 0;
    /* Held throughout: the worker reads every job's phase when it looks for work. */
    SDL_LockMutex(l->lock);
    for (int i = 0; i < IMAGE_LOADER_JOBS; i++) {
        struct job *j = &l->jobs[i];
        if (j->phase != JOB_DONE)
            continue;
        if (j->surf && image_cache_put(l->cache, r, j->key, j->surf) == 0) {
            free_job(j);
        } else {
            log_warn("picture %s could not be shown", j->key);
            remember_failed(l, j->key);
            j->key = NULL;
            free_job(j);
        }
        changed++;
    }
    SDL_UnlockMutex(l->lock);
    return changed;
}

enum image_state image_loader_state(struct image_loader *l, const char *key)
{
    if (!l || !key)
        return IMAGE_NONE;
    if (image_cache_get(l->cache, key, NULL, NULL))
        return IMAGE_READY;
    if (find_job(l, key))
        return IMAGE_DECODING;
    return failed_index(l, key) >= 0 ? IMAGE_FAILED : IMAGE_NONE;
}

SDL_Texture *image_loader_get(struct image_loader *l, const char *key, int *w, int *h)
{
    return l && key ? image_cache_get(l->cache, key, w, h) : NULL;
}

void image_loader_forget_textures(struct image_loader *l)
{
    if (l)
        image_cache_clear(l->cache);
}

size_t image_loader_cache_bytes(struct image_loader *l)
{
    return l ? image_cache_bytes(l->cache) : 0;
}
