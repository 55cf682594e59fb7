/* Upload jobs: the table of jobs (in memory, under one lock), the receiving side the HTTP layer
 * drives, and one worker thread that converts what arrived (upload/convert.c). */
#define LOG_TAG "upload"
#include "upload/upload.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "import/files.h"
#include "log.h"
#include "upload/upload_internal.h"

enum { JOBS_MAX = 1000, FINISHED_KEPT = 200 };
_Static_assert(UPLOAD_FILE_MAX == (size_t)UPLOAD_MAX_MB_CEILING << 20,
               "the largest --upload-max-mb is the file route's body bound");

static struct upload_job *find(struct uploads *up, int64_t id)
{
    for (struct upload_job *j = up->jobs; j; j = j->next)
        if (j->id == id)
            return j;
    return NULL;
}

void upload_part_path(const struct uploads *up, int64_t id, char *out, size_t cap)
{
    snprintf(out, cap, "%s/.uploads/%lld.part", up->cfg.media_root, (long long)id);
}

void upload_set_state(struct uploads *up, int64_t id, const char *state, int percent)
{
    pthread_mutex_lock(&up->lock);
    struct upload_job *j = find(up, id);
    if (j) {
        snprintf(j->state, sizeof(j->state), "%s", state);
        j->percent = percent;
    }
    pthread_mutex_unlock(&up->lock);
}

void upload_fail(struct uploads *up, int64_t id, const char *reason)
{
    pthread_mutex_lock(&up->lock);
    struct upload_job *j = find(up, id);
    if (j) {
        snprintf(j->state, sizeof(j->state), "failed");
        snprintf(j->reason, sizeof(j->reason), "%s", reason);
        j->finished = 1;
    }
    pthread_mutex_unlock(&up->lock);
    char part[1100];
    upload_part_path(up, id, part, sizeof(part));
    unlink(part);
}

void upload_done(struct uploads *up, int64_t id, int64_t item_id, const char *media_url,
                 const char *poster)
{
    pthread_mutex_lock(&up->lock);
    struct upload_job *j = find(up, id);
    if (j) {
        snprintf(j->state, sizeof(j->state), "done");
        j->percent = 100;
        j->item_id = item_id;
        snprintf(j->media_url, sizeof(j->media_url), "%s", media_url ? media_url : "");
        snprintf(j->poster, sizeof(j->poster), "%s", poster ? poster : "");
        j->finished = 1;
    }
    pthread_mutex_unlock(&up->lock);
}

/* Drop the oldest finished jobs beyond FINISHED_KEPT (lock held). */
static void trim(struct uploads *up)
{
    int finished = 0;
    for (struct upload_job *j = up->jobs; j; j = j->next)
        finished += j->finished;
    /* The list is newest first: the oldest finished ones are at its end. */
    struct upload_job **pp = &up->jobs;
    int seen = 0;
    while (*pp && finished > FINISHED_KEPT) {
        struct upload_job *j = *pp;
        if (j->finished && ++seen > FINISHED_KEPT) {
            *pp = j->next;
            free(j->item_json);
            free(j);
            up->n_jobs--;
            finished--;
            continue;
        }
        pp = &j->next;
    }
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

int uploads_add(struct uploads *up, const struct upload_new *n, int64_t *id)
{
    int64_t limit = n->file == UPLOAD_POSTER ? UPLOAD_POSTER_MAX : up->cfg.max_bytes;
    if (n->size > limit)
        return -E2BIG;
    if (!disk_has_room(up, n->size))
        return -ENOSPC;
    struct upload_job *j = calloc(1, sizeof(*j));
    if (!j)
        return -ENOMEM;
    if (n->item_json && !(j->item_json = strdup(n->item_json))) {
        free(j);
        return -ENOMEM;
    }
    j->file = n->file;
    j->size = n->size;
    j->township_id = n->township_id;
    j->account_id = n->account_id;
    j->item_id = n->file == UPLOAD_POSTER ? n->item_id : 0;
    j->target_item = j->item_id;
    snprintf(j->name, sizeof(j->name), "%s", n->name);
    snprintf(j->state, sizeof(j->state), "waiting");
    pthread_mutex_lock(&up->lock);
    trim(up);
    int rc = up->n_jobs >= JOBS_MAX ? -EBUSY : 0;
    if (rc == 0) {
        j->id = ++up->last_id;
        j->next = up->jobs;
        up->jobs = j;
        up->n_jobs++;
        *id = j->id;
    }
    pthread_mutex_unlock(&up->lock);
    if (rc < 0) {
        free(j->item_json);
        free(j);
    }
    return rc;
}

int uploads_get(struct uploads *up, int64_t id, int64_t township_id, struct upload_view *v)
{
    int rc = -ENOENT;
    pthread_mutex_lock(&up->lock);
    const struct upload_job *j = find(up, id);
    if (j && j->township_id == township_id) {
        *v = (struct upload_view){ .id = j->id, .file = j->file, .percent = j->percent,
                                   .size = j->size, .received = j->received,
                                   .item_id = j->finished ? j->item_id : 0 };
        snprintf(v->state, sizeof(v->state), "%s", j->state);
        snprintf(v->name, sizeof(v->name), "%s", j->name);
        snprintf(v->reason, sizeof(v->reason), "%s", j->reason);
        snprintf(v->media_url, sizeof(v->media_url), "%s", j->media_url);
        snprintf(v->poster, sizeof(v->poster), "%s", j->poster);
        rc = 0;
    }
    pthread_mutex_unlock(&up->lock);
    return rc;
}

int uploads_open(struct uploads *up, int64_t id, int64_t township_id, long long length, int *fd)
{
    char dir[1100], part[1100];
    snprintf(dir, sizeof(dir), "%s/.uploads", up->cfg.media_root);
    upload_part_path(up, id, part, sizeof(part));
    pthread_mutex_lock(&up->lock);
    struct upload_job *j = find(up, id);
    int rc = !j || j->township_id != township_id ? -ENOENT
             : strcmp(j->state, "waiting") != 0  ? -EALREADY
             : length > j->size                  ? -E2BIG
                                                 : 0;
    if (rc == 0) {
        snprintf(j->state, sizeof(j->state), "receiving");
        j->received = 0;
    }
    pthread_mutex_unlock(&up->lock);
    if (rc < 0)
        return rc;
    rc = files_mkdirs(dir);
    if (rc == 0) {
        *fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (*fd < 0)
            rc = -errno;
    }
    if (rc < 0) {
        log_error("upload %lld: cannot write %s: %s", (long long)id, part, strerror(-rc));
        upload_fail(up, id, "服务器存不下这个文件，请联系管理员");
    }
    return rc;
}

int uploads_progress(struct uploads *up, int64_t id, int64_t received)
{
    int rc = 0;
    pthread_mutex_lock(&up->lock);
    struct upload_job *j = find(up, id);
    if (j) {
        j->received = received;
        j->percent = j->size > 0 ? (int)(received * 100 / j->size) : 0;
        if (received > j->size)
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
    pthread_mutex_lock(&up->lock);
    struct upload_job *j = find(up, id);
    if (rc == 0 && j && j->received != j->size)
        rc = -EPIPE; /* the body ended short of what was announced */
    if (rc == 0 && j) {
        snprintf(j->state, sizeof(j->state), "queued");
        j->percent = 0;
        pthread_cond_signal(&up->wake);
    }
    pthread_mutex_unlock(&up->lock);
    if (rc < 0) {
        log_warn("upload %lld: not received: %s", (long long)id, strerror(-rc));
        upload_fail(up, id, rc == -E2BIG ? "文件比开始时说的大，已拒收"
                                         : "文件没有传完整，请重新上传");
    }
    return rc;
}

/* The oldest queued job, copied out for the worker (lock held): 1 when there is one. */
static int next_queued(struct uploads *up, struct upload_job *out)
{
    struct upload_job *pick = NULL;
    for (struct upload_job *j = up->jobs; j; j = j->next)
        if (strcmp(j->state, "queued") == 0 && (!pick || j->id < pick->id))
            pick = j;
    if (!pick)
        return 0;
    *out = *pick;
    out->next = NULL;
    out->item_json = pick->item_json ? strdup(pick->item_json) : NULL;
    snprintf(pick->state, sizeof(pick->state), "checking");
    return 1;
}

static void *worker(void *arg)
{
    struct uploads *up = arg;
    pthread_mutex_lock(&up->lock);
    while (!up->stopping) {
        struct upload_job job;
        if (!next_queued(up, &job)) {
            pthread_cond_wait(&up->wake, &up->lock);
            continue;
        }
        pthread_mutex_unlock(&up->lock);
        if (job.file == UPLOAD_VIDEO && !job.item_json)
            upload_fail(up, job.id, "服务器内存不足，请稍后重新上传");
        else
            upload_convert(up, &job);
        free(job.item_json);
        pthread_mutex_lock(&up->lock);
    }
    pthread_mutex_unlock(&up->lock);
    return NULL;
}

int uploads_create(const struct upload_config *cfg, struct uploads **out)
{
    struct uploads *up = calloc(1, sizeof(*up));
    if (!up)
        return -ENOMEM;
    up->cfg = *cfg;
    pthread_mutex_init(&up->lock, NULL);
    pthread_cond_init(&up->wake, NULL);
    /* What a previous run left half received or half converted cannot be finished. */
    char dir[1100];
    snprintf(dir, sizeof(dir), "%s/.uploads", cfg->media_root);
    files_remove_tree(dir);
    int rc = pthread_create(&up->thread, NULL, worker, up);
    if (rc != 0) {
        pthread_cond_destroy(&up->wake);
        pthread_mutex_destroy(&up->lock);
        free(up);
        return -rc;
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
    for (struct upload_job *j = up->jobs, *next; j; j = next) {
        next = j->next;
        free(j->item_json);
        free(j);
    }
    pthread_cond_destroy(&up->wake);
    pthread_mutex_destroy(&up->lock);
    free(up);
}
