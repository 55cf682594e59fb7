/* Uploads from the dashboard: staff announce a video or a poster (POST /api/v1/staff/uploads),
 * the browser sends the file (PUT /api/v1/staff/uploads/{id}/file), which the HTTP layer streams
 * to MEDIA/.uploads/{id}.part, and a worker thread turns it into what boxes play, as the
 * importer does: a video remuxed or transcoded to HLS with a poster frame, a poster checked and
 * copied; then the item is written and the job is done. The page polls the job's state
 * (GET /api/v1/staff/uploads/{id}): waiting → receiving → queued → checking → converting
 * (with a percent) → saving → done, or failed with a reason in plain Chinese.
 *
 * Every job is a row of the store (store_jobs.h): its state survives a restart, and a job that
 * was received but not finished is converted again from its kept file at the next start. */
#ifndef DJTV_UPLOAD_H
#define DJTV_UPLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store/store.h"

struct uploads;

enum {
    UPLOAD_POSTER_MAX = 8 * 1024 * 1024, /* bytes of a poster image */
    UPLOAD_REASON_MAX = 160,
    UPLOAD_NAME_MAX = 128,
};

/* The file PUT route's body bound (http/routes.c): a Content-Length over it is refused before
 * the body is read, and no file grows past it. --upload-max-mb stays below it. */
#define UPLOAD_FILE_MAX ((size_t)64 << 30)
enum { UPLOAD_MAX_MB_CEILING = 64 * 1024 };

enum upload_file { UPLOAD_VIDEO, UPLOAD_POSTER };

struct upload_config {
    const char *media_root; /* borrowed */
    struct store *store;    /* borrowed */
    int64_t max_bytes;      /* a video's size limit */
    int64_t reserve_bytes;  /* disk that must stay free beside an upload's (and its output's) */
};

int uploads_create(const struct upload_config *cfg, struct uploads **out);
/* Where a finished job announces its item (catalogue.changed); NULL before the hub exists and
 * after it is gone. Borrowed. */
struct events;
void uploads_set_events(struct uploads *up, struct events *ev);
/* Stop the worker (the job in progress finishes first) and free. */
void uploads_destroy(struct uploads *up);

/* What a new upload is for: a video that becomes a new item (ITEM_JSON: the item as for
 * POST /api/v1/staff/content, checked by the caller; copied), or a poster for item ITEM_ID. */
struct upload_new {
    enum upload_file file;
    int64_t size; /* announced bytes */
    char name[UPLOAD_NAME_MAX];
    int64_t township_id;
    int64_t account_id;
    const char *item_json; /* video: the new item's JSON (borrowed, copied) */
    int64_t item_id;       /* poster: the item it is for */
};

/* Add a job waiting for its file: its id, or -E2BIG (over the size limit), -ENOSPC (the disk
 * cannot take it), -ENOMEM. */
int uploads_add(struct uploads *up, const struct upload_new *n, int64_t *id);

/* A job as the state route shows it. */
struct upload_view {
    int64_t id;
    enum upload_file file;
    char state[16]; /* waiting receiving queued checking converting saving done failed */
    int percent;    /* of the current stage's work, 0..100 */
    int64_t size, received;
    char name[UPLOAD_NAME_MAX];
    char reason[UPLOAD_REASON_MAX]; /* failed: why, in Chinese */
    int64_t item_id;                /* done: the item (0 before) */
    char media_url[STORE_URL_MAX];  /* done: the video's playlist ("" for a poster) */
    char poster[STORE_URL_MAX];     /* done: the poster's URL */
};
/* Job ID of TOWNSHIP_ID: 0, or -ENOENT (also another township's). */
int uploads_get(struct uploads *up, int64_t id, int64_t township_id, struct upload_view *out);

/* ---- the HTTP layer's side of PUT .../file (http/routes.c, SERVE_UPLOAD): once the route's
 * handler opened the job's file, the body is written to it and reported here ---- */
/* Start receiving job ID of TOWNSHIP_ID, LENGTH bytes announced (-1: chunked): the open file
 * descriptor in *FD. -ENOENT, -EALREADY (not waiting), -E2BIG (LENGTH over the announced size). */
int uploads_open(struct uploads *up, int64_t id, int64_t township_id, long long length, int *fd);
/* More bytes arrived for job ID (written by the caller to FD): -E2BIG past the announced size. */
int uploads_progress(struct uploads *up, int64_t id, int64_t received);
/* The body ended: RC 0 queues the job for the worker; RC < 0 (too large, a write error, the
 * client gone) fails it and removes the file. FD is closed either way. */
int uploads_received(struct uploads *up, int64_t id, int fd, int rc);

#endif
