/* djtv-cast as a child of the TV app (cadre mode sends the meeting from the activity room's
 * camera). The publishing key goes to djtv-cast in a 0600 file of a private 0700 folder (never
 * on its command line) and is removed once djtv-cast runs; its uplink state and a small
 * preview of the picture sent come back through files it rewrites each second. Stopping sends
 * SIGTERM (djtv-cast sends its last segment and ends); nothing here ever blocks for long:
 * cast_child_poll reaps the child without waiting. UI thread only. */
#ifndef DJTV_CAST_CHILD_H
#define DJTV_CAST_CHILD_H

#include <stddef.h>
#include <stdint.h>

enum { CAST_CAMERAS_MAX = 8, CAST_PATH_MAX = 512 };

struct cast_camera {
    char path[32];  /* /dev/videoN */
    char name[64];  /* what the driver calls it ("HD Webcam C270") */
};

/* The V4L2 devices that capture video, in /dev/video* order; returns how many (<= max). */
int cast_cameras(struct cast_camera *out, int max);

struct cast_child_config {
    const char *program;  /* djtv-cast; NULL or "" = beside this program */
    const char *server;   /* https://HOST:PORT */
    const char *ca;       /* the pinned CA file */
    int64_t broadcast_id;
    const char *key;      /* the publishing key (copied to its file, never kept) */
    const char *camera;   /* /dev/videoN, or NULL for the test pattern */
    const char *extra;    /* more arguments, separated by spaces (size, bitrate …); may be NULL */
    const char *dir;      /* where its private folder goes; NULL or "" = /tmp */
};

/* djtv-cast's status file, as far as the TV shows it. */
struct cast_status {
    int have;        /* a status has come */
    int up;          /* the last upload reached the server */
    int refused;     /* the server refused the uploads (the broadcast is over) */
    int64_t sent;    /* segments sent */
    int64_t queued;  /* segments waiting for the uplink */
    int64_t dropped; /* segments lost while the uplink was down too long */
    int reconnects;
    double seconds;
};

struct cast_child;

/* Start it. 0, or a negative errno (no such program, no folder, spawn failed). */
int cast_child_start(const struct cast_child_config *cfg, struct cast_child **out);
/* Read the latest status into *st (unchanged when none came yet). 1 when it changed. */
int cast_child_status(struct cast_child *c, struct cast_status *st);
/* The preview picture's path (a BMP; may not exist yet), and when it was last rewritten
 * (mtime in ns; 0 when there is none). */
const char *cast_child_preview(const struct cast_child *c, int64_t *mtime_ns);
/* Ask it to end (SIGTERM, once). */
void cast_child_stop(struct cast_child *c);
/* 1 while it runs; 0 once it ended, with its exit status in *code (-1 when killed). */
int cast_child_poll(struct cast_child *c, int *code);
/* Ends it if it still runs (SIGTERM, up to GRACE_MS, then SIGKILL), removes its folder and
 * frees. NULL is a no-op. */
void cast_child_destroy(struct cast_child *c, int grace_ms);

#endif
