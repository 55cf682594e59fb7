/* Upload jobs: each job a row of the store (so a restart finds it again), the receiving side the
 * HTTP layer drives, and one worker thread that converts what arrived (upload/convert.c). At
 * start, jobs a previous run acknowledged but did not finish are queued again from their kept
 * file, or failed with a reason when the file is gone. */
#define LOG_TAG "upload"
#include "upload/upload.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "api/catalogue_event.h"
#include "import/files.h"
#include "log.h"
#include "upload/upload_internal.h"

enum {
    JOBS_OPEN_MAX = 1000,          /* jobs not finished; more are refused (-EBUSY) */
    WAITING_MAX_S = 24 * 60 * 60,  /* a job whose file never came is failed at the next start */
};
_Static_assert(UPLOAD_FILE_MAX == (size_t)UPLOAD_MAX_MB_CEILING << 20,
               "the largest --upload-max-mb is the file route's body bound");

struct job_write {
    struct store_upload_job *job;
    const char *from; /* the state the job must be in, or NULL */
};

static int job_write_run(struct store_tx *tx, void *arg)
{
    struct job_write *w = arg;
    return store_upload_job_set(tx, w->job, w->from, time(NULL));
}

/* JOB as it is now into the store, if it is still in state FROM (NULL = any). */
static int save(struct uploads *up, struct store_upload_job *job, const char *from)
{
    struct job_write w = { job, from };
    int rc = store_write(up->cfg.store, job_write_run, &w);
    if (rc < 0 && rc != -ESTALE)
        log_error("upload %lld: state %s not saved: %s", (long long)job->id, job->state,
                  strerror(-rc));
    return rc;
}

/* The live counters of job ID (lock held), or NULL. */
static struct upload_live *live_find(struct uploads *up, int64_t id)
{
    for (struct upload_live *l = up->live; l; l = l->next)
        if (l->id == id)
            return l;
    return NULL;
}

static void live_drop(struct uploads *up, int64_t id)
{
    pthread_mutex_lock(&up->lock);
    for (struct upload_live **pp = &up->live; *pp; pp = &(*pp)->next) {
        if ((*pp)->id == id) {
            struct upload_live *l = *pp;
            *pp = l->next;
            free(l);
            break;
        }
    }
    pthread_mutex_unlock(&up->lock);
}

/* Start live counters for job ID of SIZE bytes: 0 or -ENOMEM. */
static int live_add(struct uploads *up, int64_t id, int64_t size)
{
    struct upload_live *l = calloc(1, sizeof(*l));
    if (!l)
        return -ENOMEM;
    l->id = id;
    l->size = size;
    pthread_mutex_lock(&up->lock);
    l->next = up->live;
    up->live = l;
    pthread_mutex_unlock(&up->lock);
    return 0;
}

/* Hand job ID to the worker: 0 or -ENOMEM. */
static int enqueue(struct uploads *up, int64_t id)
{
    struct upload_queued *q = calloc(1, sizeof(*q));
    if (!q)
        return -ENOMEM;
    q->id = id;
    pthread_mutex_lock(&up->lock);
    if (up->queue_tail)
        up->queue_tail->next = q;
    else
        up->queue = q;
    up->queue_tail = q;
    pthread_cond_signal(&up->wake);
    pthread_mutex_unlock(&up->lock);
    return 0;
}

void upload_part_path(const struct uploads *up, int64_t id, char *out, size_t cap)
{
    snprintf(out, cap, "%s/.uploads/%lld.part", up->cfg.media_root, (long long)id);
}

void upload_set_state(struct uploads *up, struct store_upload_job *job, const char *state,
                      int percent)
{
    pthread_mutex_lock(&up->lock);
    struct upload_live *l = live_find(up, job->id);
    if (l)
        l->percent = percent;
    pthread_mutex_unlock(&up->lock);
    if (strcmp(job->state, state) == 0)
        return;
    snprintf(job->state, sizeof(job->state), "%s", state);
    job->percent = percent;
    save(up, job, NULL);
}

void upload_fail(struct uploads *up, struct store_upload_job *job, const char *reason)
{
    snprintf(job->state, sizeof(job->state), "failed");
    snprintf(job->reason, sizeof(job->reason), "%s", reason);
    job->item_id = 0;
    job->media_url[0] = job->poster[0] = '\0';
    pthread_mutex_lock(&up->lock);
    struct upload_live *l = live_find(up, job->id);
    if (l && l->received > job->received)
        job->received = l->received;
    pthread_mutex_unlock(&up->lock);
    save(up, job, NULL);
    upload_finished(up, job);
}

int upload_mark_done(struct store_tx *tx, struct store_upload_job *job, int64_t item_id,
                     const char *media_url, const char *poster)
{
    snprintf(job->state, sizeof(job->state), "done");
    job->percent = 100;
    job->item_id = item_id;
    snprintf(job->media_url, sizeof(job->media_url), "%s", media_url ? media_url : "");
    snprintf(job->poster, sizeof(job->poster), "%s", poster ? poster : "");
    job->reason[0] = '\0';
    return store_upload_job_set(tx, job, NULL, time(NULL));
}

void upload_finished(struct uploads *up, const struct store_upload_job *job)
{
    char part[1100];
    upload_part_path(up, job->id, part, sizeof(part));
    unlink(part);
    live_drop(up, job->id);
}

void uploads_set_events(struct uploads *up, struct events *ev)
{
    pthread_mutex_lock(&up->lock);
    up->events = ev;
    pthread_mutex_unlock(&up->lock);
}

void upload_announce(struct uploads *up, int64_t org_id, const char *section, int64_t item_id,
                     int added)
{
    /* Under the lock, so the hub cannot go meanwhile (publishing never blocks). */
    pthread_mutex_lock(&up->lock);
    catalogue_event_publish(up->events, up->cfg.store, org_id, section, item_id,
                            added ? CATALOGUE_ADDED : CATALOGUE_UPDATED);
    pthread_mutex_unlock(&up->lock);
}

/* Whether the media disk can take BYTES more (the upload, and its conversion as much again). */
static int disk_has_room(const struct uploads *up, int64_t bytes)
{
    struct statvfs fs;
    if (files_mkdirs(up->cfg.media_root) < 0 || statvfs(up->cfg.media_root, &fs) < 0)
        return 0;
    long double avail = (long double)fs.f_bavail * (long double)fs.f_frsize;
    return avail >= (long double)bytes * 2 + (long double)up->cfg.reserve_bytes;
}

struct job_add {
    const struct store_upload_job *job;
    int64_t id;
};

static int job_add_run(struct store_tx *tx, void *arg)
{
    struct job_add *a = arg;
    return store_upload_job_add(tx, a->job, time(NULL), &a->id);
}

int uploads_add(struct uploads *up, const struct upload_new *n, int64_t *id)
{
    int64_t limit = n->file == UPLOAD_POSTER ? UPLOAD_POSTER_MAX : up->cfg.max_bytes;
    if (n->size > limit)
        return -E2BIG;
    if (!disk_has_room(up, n->size))
        return -ENOSPC;
    int64_t *ids = calloc(JOBS_OPEN_MAX, sizeof(*ids));
    if (!ids)
        return -ENOMEM;
    int n_open = 0;
    int rc = store_upload_jobs_open(up->cfg.store, ids, JOBS_OPEN_MAX, &n_open);
    free(ids);
    if (rc < 0)
        return rc;
    if (n_open >= JOBS_OPEN_MAX)
        return -EBUSY;
    struct store_upload_job j = {
        .township_id = n->township_id,
        .account_id = n->account_id,
        .size = n->size,
        .item_json = n->file == UPLOAD_VIDEO ? (char *)n->item_json : NULL, /* not freed */
        .target_item = n->file == UPLOAD_POSTER ? n->item_id : 0,
    };
    snprintf(j.file, sizeof(j.file), "%s", n->file == UPLOAD_VIDEO ? "video" : "poster");
    snprintf(j.name, sizeof(j.name), "%s", n->name);
    snprintf(j.state, sizeof(j.state), "waiting");
    struct job_add a = { &j, 0 };
    rc = store_write(up->cfg.store, job_add_run, &a);
    if (rc == 0)
        *id = a.id;
    return rc;
}

int uploads_get(struct uploads *up, int64_t id, int64_t township_id, struct upload_view *v)
{
    struct store_upload_job j;
    int rc = store_upload_job_get(up->cfg.store, id, &j);
    if (rc == 0 && j.township_id != township_id)
        rc = -ENOENT;
    if (rc == 0) {
        int done = strcmp(j.state, "done") == 0;
        *v = (struct upload_view){ .id = j.id, .percent = j.percent, .size = j.size,
                                   .received = j.received, .item_id = done ? j.item_id : 0,
                                   .file = strcmp(j.file, "video") == 0 ? UPLOAD_VIDEO
                                                                        : UPLOAD_POSTER };
        pthread_mutex_lock(&up->lock); /* what changes too often to write */
        const struct upload_live *l = live_find(up, id);
        if (l && !done && strcmp(j.state, "failed") != 0) {
            v->percent = l->percent;
            if (l->received > v->received)
                v->received = l->received;
        }
        pthread_mutex_unlock(&up->lock);
        snprintf(v->state, sizeof(v->state), "%s", j.state);
        snprintf(v->name, sizeof(v->name), "%s", j.name);
        snprintf(v->reason, sizeof(v->reason), "%s", j.reason);
        snprintf(v->media_url, sizeof(v->media_url), "%s", j.media_url);
        snprintf(v->poster, sizeof(v->poster), "%s", j.poster);
    }
    store_upload_job_fini(&j);
    return rc;
}

int uploads_open(struct uploads *up, int64_t id, int64_t township_id, long long length, int *fd)
{
    char dir[1100], part[1100];
    snprintf(dir, sizeof(dir), "%s/.uploads", up->cfg.media_root);
    upload_part_path(up, id, part, sizeof(part));
    struct store_upload_job j;
    int rc = store_upload_job_get(up->cfg.store, id, &j);
    if (rc == 0)
        rc = j.township_id != township_id     ? -ENOENT
             : strcmp(j.state, "waiting") != 0 ? -EALREADY
             : length > j.size                 ? -E2BIG
                                               : 0;
    if (rc == 0) {
        snprintf(j.state, sizeof(j.state), "receiving");
        j.received = 0;
        j.percent = 0;
        rc = save(up, &j, "waiting"); /* two senders at once: one wins */
        if (rc == -ESTALE)
            rc = -EALREADY;
    }
    if (rc < 0) {
        store_upload_job_fini(&j);
        return rc;
    }
    rc = live_add(up, id, j.size);
    if (rc == 0)
        rc = files_mkdirs(dir);
    if (rc == 0) {
        *fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (*fd < 0)
            rc = -errno;
    }
    if (rc < 0) {
        log_error("upload %lld: cannot write %s: %s", (long long)id, part, strerror(-rc));
        upload_fail(up, &j, "服务器存不下这个文件，请联系管理员");
    }
    store_upload_job_fini(&j);
    return rc;
}

int uploads_progress(struct uploads *up, int64_t id, int64_t received)
{
    int rc = 0;
    pthread_mutex_lock(&up->lock);
    struct upload_live *l = live_find(up, id);
    if (l) {
        l->received = received;
        l->percent = l->size > 0 ? (int)(received * 100 / l->size) : 0;
        if (received > l->size)
            rc = -E2BIG;
    }
    pthread_mutex_unlock(&up->lock);
    return rc;
}

int uploads_received(struct uploads *up, int64_t id, int fd, int rc)
{
    if (rc == 0 && fdatasync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -EIO;
    struct store_upload_job j;
    int got = store_upload_job_get(up->cfg.store, id, &j);
    if (got < 0) {
        log_error("upload %lld: job not found: %s", (long long)id, strerror(-got));
        store_upload_job_fini(&j);
        live_drop(up, id);
        return got;
    }
    pthread_mutex_lock(&up->lock);
    const struct upload_live *l = live_find(up, id);
    j.received = l ? l->received : 0;
    pthread_mutex_unlock(&up->lock);
    if (rc == 0 && j.received != j.size)
        rc = -EPIPE; /* the body ended short of what was announced */
    if (rc == 0) {
        /* Queued in the store before the answer: from here the job survives a restart. */
        snprintf(j.state, sizeof(j.state), "queued");
        j.percent = 0;
        rc = save(up, &j, "receiving");
        live_drop(up, id);
        if (rc == 0)
            rc = enqueue(up, id);
        if (rc < 0)
            upload_fail(up, &j, "服务器忙，请稍后重新上传");
        store_upload_job_fini(&j);
        return rc;
    }
    log_warn("upload %lld: not received: %s", (long long)id, strerror(-rc));
    upload_fail(up, &j, rc == -E2BIG ? "文件比开始时说的大，已拒收"
                                     : "文件没有传完整，请重新上传");
    store_upload_job_fini(&j);
    return rc;
}

/* The next queued job id (lock held): 1 when there is one. */
static int dequeue(struct uploads *up, int64_t *id)
{
    struct upload_queued *q = up->queue;
    if (!q)
        return 0;
    up->queue = q->next;
    if (!up->queue)
        up->queue_tail = NULL;
    *id = q->id;
    free(q);
    return 1;
}

static void run_job(struct uploads *up, int64_t id)
{
    struct store_upload_job job;
    int rc = store_upload_job_get(up->cfg.store, id, &job);
    if (rc == 0 && strcmp(job.state, "queued") == 0) {
        snprintf(job.state, sizeof(job.state), "checking");
        job.percent = 0;
        rc = save(up, &job, "queued");
        if (rc == 0)
            rc = live_add(up, id, job.size);
        if (rc == 0 && strcmp(job.file, "video") == 0 && !job.item_json)
            upload_fail(up, &job, "内容信息丢失了，请重新上传");
        else if (rc == 0)
            upload_convert(up, &job);
    }
    if (rc < 0)
        log_error("upload %lld: not run: %s", (long long)id, strerror(-rc));
    store_upload_job_fini(&job);
}

static void *worker(void *arg)
{
    struct uploads *up = arg;
    pthread_mutex_lock(&up->lock);
    while (!up->stopping) {
        int64_t id = 0;
        if (!dequeue(up, &id)) {
            pthread_cond_wait(&up->wake, &up->lock);
            continue;
        }
        pthread_mutex_unlock(&up->lock);
        run_job(up, id);
        pthread_mutex_lock(&up->lock);
    }
    pthread_mutex_unlock(&up->lock);
    return NULL;
}

/* Whether job ID is waiting in the worker's queue (lock not needed: before the worker runs). */
static int is_queued(const struct uploads *up, int64_t id)
{
    for (const struct upload_queued *q = up->queue; q; q = q->next)
        if (q->id == id)
            return 1;
    return 0;
}

enum sweep_what {
    SWEEP_UPLOADS, /* .uploads: files of finished or forgotten jobs */
    SWEEP_STAGING, /* .staging/upload-*: conversions a previous run did not finish */
    SWEEP_ITEMS,   /* items/upload-TIME-ID of a job queued again: put in place by a run that
                    * died before the item was written, so no item points there */
};

/* Remove from DIR what no job needs (see enum sweep_what). */
static void sweep(const struct uploads *up, const char *dir, enum sweep_what what)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1400];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (what == SWEEP_STAGING) {
            if (strncmp(e->d_name, "upload-", 7) == 0)
                files_remove_tree(path);
            continue;
        }
        if (what == SWEEP_ITEMS) {
            const char *dash = strrchr(e->d_name, '-');
            int64_t id = dash ? strtoll(dash + 1, NULL, 10) : 0;
            if (strncmp(e->d_name, "upload-", 7) == 0 && id > 0 && is_queued(up, id))
                files_remove_tree(path);
            continue;
        }
        char *end = NULL;
        long long id = strtoll(e->d_name, &end, 10);
        if (!end || strcmp(end, ".part") != 0 || !is_queued(up, id))
            files_remove_tree(path);
    }
    closedir(d);
}

/* Jobs a previous run acknowledged and did not finish: a received file is converted again, a
 * half-received one cannot be finished, a missing file fails the job. */
static int recover(struct uploads *up)
{
    int64_t *ids = calloc(JOBS_OPEN_MAX, sizeof(*ids));
    if (!ids)
        return -ENOMEM;
    int n = 0, resumed = 0, failed = 0;
    int rc = store_upload_jobs_open(up->cfg.store, ids, JOBS_OPEN_MAX, &n);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct store_upload_job j;
        rc = store_upload_job_get(up->cfg.store, ids[i], &j);
        char part[1100];
        upload_part_path(up, ids[i], part, sizeof(part));
        if (rc < 0) {
            /* logged by the store */
        } else if (strcmp(j.state, "waiting") == 0) {
            /* The page may send its file yet, unless that was long ago. */
            if (j.created_at + WAITING_MAX_S < time(NULL))
                upload_fail(up, &j, "等了很久也没有收到文件，请重新上传");
        } else if (strcmp(j.state, "receiving") == 0) {
            upload_fail(up, &j, "服务器重启时文件还没有传完，请重新上传");
            failed++;
        } else if (access(part, R_OK) < 0) {
            log_warn("upload %lld: its file %s is gone", (long long)j.id, part);
            upload_fail(up, &j, "服务器重启后找不到上传的文件，请重新上传");
            failed++;
        } else {
            char was[16];
            snprintf(was, sizeof(was), "%s", j.state);
            snprintf(j.state, sizeof(j.state), "queued");
            j.percent = 0;
            rc = save(up, &j, was);
            if (rc == 0)
                rc = enqueue(up, j.id);
            resumed += rc == 0;
        }
        store_upload_job_fini(&j);
    }
    free(ids);
    if (rc < 0)
        return rc;
    if (resumed || failed)
        log_info("uploads of the last run: %d resumed, %d failed", resumed, failed);
    char dir[1100];
    snprintf(dir, sizeof(dir), "%s/.uploads", up->cfg.media_root);
    sweep(up, dir, SWEEP_UPLOADS);
    snprintf(dir, sizeof(dir), "%s/.staging", up->cfg.media_root);
    sweep(up, dir, SWEEP_STAGING);
    snprintf(dir, sizeof(dir), "%s/items", up->cfg.media_root);
    sweep(up, dir, SWEEP_ITEMS);
    return 0;
}

static void free_lists(struct uploads *up)
{
    for (struct upload_live *l = up->live, *next; l; l = next) {
        next = l->next;
        free(l);
    }
    for (struct upload_queued *q = up->queue, *next; q; q = next) {
        next = q->next;
        free(q);
    }
    up->live = NULL;
    up->queue = up->queue_tail = NULL;
}

int uploads_create(const struct upload_config *cfg, struct uploads **out)
{
    struct uploads *up = calloc(1, sizeof(*up));
    if (!up)
        return -ENOMEM;
    up->cfg = *cfg;
    pthread_mutex_init(&up->lock, NULL);
    pthread_cond_init(&up->wake, NULL);
    int rc = recover(up);
    if (rc == 0)
        rc = -pthread_create(&up->thread, NULL, worker, up);
    if (rc < 0) {
        free_lists(up);
        pthread_cond_destroy(&up->wake);
        pthread_mutex_destroy(&up->lock);
        free(up);
        return rc;
    }
    *out = up;
    return 0;
}

void uploads_destroy(struct uploads *up)
{
    if (!up)
        return;
    pthread_mutex_lock(&up->lock);
    up->stopping = 1;
    pthread_cond_signal(&up->wake);
    pthread_mutex_unlock(&up->lock);
    pthread_join(up->thread, NULL);
    free_lists(up); /* queued jobs stay queued in the store: the next start runs them */
    pthread_cond_destroy(&up->wake);
    pthread_mutex_destroy(&up->lock);
    free(up);
}
