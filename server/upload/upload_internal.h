/* Shared by the upload module's files: the job table and the worker's steps. */
#ifndef DJTV_UPLOAD_INTERNAL_H
#define DJTV_UPLOAD_INTERNAL_H

#include <pthread.h>

#include "upload/upload.h"

struct upload_job {
    struct upload_job *next; /* the table is newest first */
    int64_t id;
    enum upload_file file;
    int64_t township_id, account_id;
    int64_t size, received;
    char name[UPLOAD_NAME_MAX];
    char *item_json;     /* owned: a video's new item (JSON text); NULL for a poster */
    int64_t target_item; /* a poster's item */
    char state[16];
    int percent;
    char reason[UPLOAD_REASON_MAX];
    int64_t item_id;
    char media_url[STORE_URL_MAX];
    char poster[STORE_URL_MAX];
    int finished; /* done or failed */
};

struct uploads {
    struct upload_config cfg;
    pthread_mutex_t lock; /* the table and every job in it */
    pthread_cond_t wake;  /* a job was queued, or stop */
    struct upload_job *jobs;
    int n_jobs;
    int64_t last_id;
    pthread_t thread;
    int stopping;
};

/* upload.c: the job's state as the worker moves it on (all take the lock). */
void upload_part_path(const struct uploads *up, int64_t id, char *out, size_t cap);
void upload_set_state(struct uploads *up, int64_t id, const char *state, int percent);
/* Failed with REASON (Chinese, for the page); the received file is removed. */
void upload_fail(struct uploads *up, int64_t id, const char *reason);
void upload_done(struct uploads *up, int64_t id, int64_t item_id, const char *media_url,
                 const char *poster);

/* convert.c, on the worker thread: JOB (a copy; its item_json owned by the caller) → media
 * under MEDIA/items/, then the item; ends in upload_done or upload_fail. */
void upload_convert(struct uploads *up, const struct upload_job *job);

#endif
