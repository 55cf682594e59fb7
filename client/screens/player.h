/* The player screen: one programme full screen (letterboxed), an on-screen display on any
 * key (title, progress, times, state), a stats overlay on BLUE or INFO, and the messages of
 * a member's evening: opening, buffering, reconnecting, the broadcast has ended, errors.
 *
 * Keys: OK pause / play · LEFT / RIGHT −/+10 s · DOWN / UP −/+60 s · 1–9 jump to 10 %…90 %
 * (0 to the start) · BLUE or INFO stats · BACK stops and leaves.
 *
 * For a catalogue item it asks the server where the household stopped, offers to go on
 * from there (over 10 s) and saves the position every 10 s and on leaving. For a live
 * broadcast it sends a playback heartbeat every 20 s (roll calls depend on them) and takes
 * "not live" from the server as the end of the broadcast. Network failures of those calls
 * are logged, never shown: they must not spoil the programme. */
#ifndef DJTV_PLAYER_SCREEN_H
#define DJTV_PLAYER_SCREEN_H

#include <stdint.h>

#include "app/screen.h"

struct player_request {
    const char *url;        /* required: https://, udp://, rtp://, a file (see player.h) */
    const char *title;      /* shown in the OSD; NULL or "" = none */
    int64_t item_id;        /* > 0: a catalogue item: resume offered and saved */
    int64_t broadcast_id;   /* > 0: a live broadcast: heartbeats */
    int guest;              /* a member away from home's meeting (screens/guest_overlay.h): the
                             * guest overlay sends its heartbeats; closing this player ends the
                             * guest's visit, and with it those */
    const char *replay_url; /* the broadcast's recording, offered when it ends; may be NULL */
    const char *fallback_url; /* URL is the broadcast's multicast group: this is its HTTPS
                               * stream, played when the group is silent; may be NULL */
    double stop_after_s;    /* > 0: leave after this much media has played */
    int no_present;         /* decode and time frames, show none (benchmarks) */
    int quit_when_done;     /* the app was started for this programme: leaving quits it */
    int quit_on_error;      /* nobody can press Back: an error quits the app (status 1) */
    uint64_t ok_counter;    /* SDL performance counter when OK was pressed on the catalogue
                             * row that opened this (0 = none): the first frame then logs
                             * "ok-to-first-frame N ms" and the dump shows it */
};

/* Copies what it needs from req. NULL on out of memory or a request without a URL. */
struct screen *player_screen_create(struct app_services *svc, const struct player_request *req);

/* A media path from the server's API ("/live/3/index.m3u8") as a URL on that server;
 * absolute URLs are copied as they are. Returns 0 or -ENAMETOOLONG. */
int player_resolve_url(const struct app_services *svc, const char *url, char *out, size_t outlen);

#endif
