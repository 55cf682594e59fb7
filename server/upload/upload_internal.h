/* Shared by the upload module's files: the live counters, the worker's queue and its steps.
 * The job itself (state, reason, result) is a row of the store (store_jobs.h); memory holds
 * only what changes too often to write (bytes received, a conversion's percent) and the ids
 * waiting for the worker. */
#ifndef DJTV_UPLOAD_INTERNAL_H
#define DJTV_UPLOAD_INTERNAL_H

#include <pthread.h>

#include "upload/upload.h"

/* A job this process is receiving or converting now. */
struct upload_live {
    struct upload_live *next;
    int64_t id;
    int64_t size, received;
    int percent;
};

struct upload_queued {
    struct upload_queued *next;
    int64_t id;
};

struct uploads {
    struct upload_config cfg;
    pthread_mutex_t lock; /* live, the queue, stopping */
    pthread_cond_t wake;  /* a job was queued, or stop */
    struct upload_live *live;                  /* owned list */
    struct upload_queued *queue, *queue_tail;  /* owned FIFO of job ids for the worker */
    struct events *events; /* borrowed, may be NULL: where done jobs announce their item */
    pthread_t thread;
    int stopping;
};

/* upload.c */
void upload_part_path(const struct uploads *up, int64_t id, char *out, size_t cap);
/* JOB moves to STATE at PERCENT: written to the store when the state changed (logged when that
 * fails), else only the live percent. */
void upload_set_state(struct uploads *up, struct store_upload_job *job, const char *state,
                      int percent);
/* Failed with REASON (Chinese, for the page); the received file is removed. */
void upload_fail(struct uploads *up, struct store_upload_job *job, const char *reason);
/* In the transaction that writes the item: JOB is done with ITEM_ID, MEDIA_URL, POSTER. */
int upload_mark_done(struct store_tx *tx, struct store_upload_job *job, int64_t item_id,
                     const char *media_url, const char *poster);
/* After the done commit: the received file and the live counters go. */
void upload_finished(struct uploads *up, const struct store_upload_job *job);
/* After the done commit: boxes and staff of ORG_ID hear that item ITEM_ID of SECTION changed. */
void upload_announce(struct uploads *up, int64_t org_id, const char *section, int64_t item_id,
                     int added);

/* convert.c, on the worker thread: JOB's file → media under MEDIA/items/, then the item and
 * the job's done state in one transaction; ends done or failed. */
void upload_convert(struct uploads *up, struct store_upload_job *job);

#endif
