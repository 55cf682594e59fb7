/* The box's side of the roll call: the open roll calls that call this village, a member's
 * check-in, and where a live broadcast plays. Calls return a serial (or a negative errno);
 * parsers are pure and strict (net/jcheck.h). */
#ifndef DJTV_ROLLCALL_H
#define DJTV_ROLLCALL_H

#include <stddef.h>
#include <stdint.h>

#include "net/api.h"
#include "net/net.h"

enum { RC_OPEN_MAX = 8, RC_MEMBERS_MAX = API_MEMBERS_MAX, RC_TIME_MAX = 32, RC_URL_MAX = 512 };

struct rc_member {
    int64_t id;
    char name[API_NAME_MAX];
    char checked_in_at[RC_TIME_MAX]; /* ISO 8601 UTC, "" = not yet */
};

struct rc_open {
    int64_t id;
    int64_t broadcast_id;
    char title[API_TITLE_MAX];
    char closes_at[RC_TIME_MAX]; /* "" = no set end */
    int watching;                /* this box's heartbeat for the broadcast is fresh */
    struct rc_member members[RC_MEMBERS_MAX];
    int n_members;
};

struct rc_current {
    struct rc_open open[RC_OPEN_MAX]; /* newest first */
    int n;
    char server_time[RC_TIME_MAX];
};

/* GET /api/v1/rollcalls/current */
int64_t api_rollcalls_current(struct net *n);
/* POST /api/v1/rollcalls/{id}/checkins {"member_id": N} */
int64_t api_rollcall_checkin(struct net *n, int64_t rollcall_id, int64_t member_id);
/* GET /api/v1/broadcasts: the box's broadcasts not ended yet (with playback URLs). */
int64_t api_broadcasts(struct net *n);

int api_parse_rollcalls(const char *json, struct rc_current *out, char *err, size_t errlen);
/* A check-in reply: when the member signed in (the first time). */
int api_parse_checkin(const char *json, char *checked_in_at, size_t size, char *err,
                      size_t errlen);
/* From a /broadcasts reply, broadcast `id` if it is live: its playback URL and title.
 * Returns 0, -ENOENT (not there or not live) or -EINVAL. */
int api_find_live_broadcast(const char *json, int64_t id, char *url, size_t url_size,
                            char *title, size_t title_size, char *err, size_t errlen);
/* The first live broadcast of a /broadcasts reply (id, URL, title); -ENOENT when none. */
int api_first_live_broadcast(const char *json, int64_t *id, char *url, size_t url_size,
                             char *title, size_t title_size, char *err, size_t errlen);
/* The "code" of an error reply ({"code":"rollcall_closed","message":…}); "" when none. */
void api_error_code(const char *json, char *code, size_t size);
/* "HH:MM" in Beijing time (UTC+8) of an ISO 8601 UTC time; "" when it is not one. */
void api_beijing_hhmm(const char *iso, char *out, size_t size);
/* Seconds since the epoch of an ISO 8601 UTC time ("2026-11-23T05:55:00Z"), or -1. */
int64_t api_iso_to_epoch(const char *iso);

#endif
