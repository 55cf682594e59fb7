/* Upload jobs (upload/, migration 12): every job the server acknowledged is a row, so a restart
 * finds it again. Part of the store's one interface: include store/store.h. */
#ifndef DJTV_STORE_JOBS_H
#define DJTV_STORE_JOBS_H

#include <stdint.h>
#include <time.h>

struct store;
struct store_tx;

enum {
    STORE_JOB_NAME_MAX = 128,   /* bytes incl. NUL: the file's name as the page gave it */
    STORE_JOB_REASON_MAX = 160, /* bytes incl. NUL: why it failed, in Chinese */
    STORE_JOB_URL_MAX = 512,
};

struct store_upload_job {
    int64_t id;
    int64_t township_id;
    int64_t account_id; /* who asked; 0 when unknown */
    char file[8];       /* "video" or "poster" */
    char name[STORE_JOB_NAME_MAX];
    int64_t size, received;
    char state[16]; /* waiting receiving queued checking converting saving done failed */
    int percent;
    char *item_json;     /* owned (store_upload_job_fini): a video's new item; NULL otherwise */
    int64_t target_item; /* a poster's item; 0 for a video */
    int64_t item_id;     /* done: the item it made or changed; 0 before */
    char media_url[STORE_JOB_URL_MAX];
    char poster[STORE_JOB_URL_MAX];
    char reason[STORE_JOB_REASON_MAX];
    time_t created_at, updated_at;
};

/* A new job from J (township_id, account_id, file, name, size, state, item_json, target_item). */
int store_upload_job_add(struct store_tx *tx, const struct store_upload_job *j, time_t now,
                         int64_t *id);
/* Write J's state, percent, received, item_id, media_url, poster and reason (by J->id); a
 * finished job (done, failed) lets go of its item JSON. FROM (NULL = any) is the state the job
 * must be in: -ESTALE when it is in another, -ENOENT when there is no such job. */
int store_upload_job_set(struct store_tx *tx, const struct store_upload_job *j, const char *from,
                         time_t now);
/* Job ID into OUT (free it with store_upload_job_fini, also after an error). */
int store_upload_job_get(struct store *s, int64_t id, struct store_upload_job *out);
void store_upload_job_fini(struct store_upload_job *j);
/* Jobs not finished (neither done nor failed), oldest first: up to MAX ids into IDS, their
 * number into *N. */
int store_upload_jobs_open(struct store *s, int64_t *ids, int max, int *n);

#endif
