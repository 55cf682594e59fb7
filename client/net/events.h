/* The box's live event stream: GET /api/v1/events held open on a thread of its own, parsed
 * as Server-Sent Events (net/sse.h) and handed to the UI thread as SDL user events.
 *
 * The thread sleeps in curl_multi_poll between bytes (no busy loop), reconnects after the
 * server's `retry:` with Last-Event-ID, and ends a connection that has been silent for
 * longer than three keep-alive periods. It never blocks the UI thread: posting an event is
 * SDL_PushEvent and nothing else. */
#ifndef DJTV_EVENTS_H
#define DJTV_EVENTS_H

#include <stddef.h>
#include <stdint.h>

struct events_config {
    const char *base_url; /* borrowed, https://HOST[:PORT] */
    const char *ca_file;  /* borrowed, the pinned CA (PEM) */
    const char *token;    /* borrowed, the box's device token */
    const char *path;     /* borrowed; NULL = "/api/v1/events" */
    long connect_timeout_ms; /* 0 = 5000 */
    long silence_ms;      /* no byte for this long ends the connection; 0 = 45000 */
    long retry_ms;        /* wait before reconnecting until the server says; 0 = 3000 */
    long resync_gap_ms;   /* a reconnect after a longer outage asks for a re-read; 0 = 10000 */
};

/* What a posted SDL event carries (event.user.code = kind, data1 = struct events_msg*,
 * data2 = the struct events* that posted it, identity only). The receiver owns the message
 * and frees it with events_msg_free(). */
enum events_kind {
    EVENTS_MESSAGE = 1, /* an event: type, id, data */
    EVENTS_OPEN,        /* the stream is up; resync = 1 when state must be re-read */
    EVENTS_DOWN,        /* the stream dropped; message says why (English, for the log) */
};

struct events_msg {
    enum events_kind kind;
    char type[64];
    char id[64];
    char *data;          /* owned, NUL-terminated; "" for OPEN and DOWN */
    size_t data_len;
    int resync;          /* OPEN: the first connection, or one after a gap over resync_gap_ms */
    long http_status;    /* DOWN: the status of a refused connection (0 = none) */
    char message[160];
};

struct events;

/* Copies what it needs from cfg; event_type from SDL_RegisterEvents(). Starts connecting at
 * once. NULL on failure (bad config, no thread). */
struct events *events_create(const struct events_config *cfg, uint32_t event_type);
/* Ends the stream, joins the thread and frees this object's messages still in SDL's queue.
 * Call it on the receiving thread before SDL_Quit(). NULL is a no-op. */
void events_destroy(struct events *ev);
void events_msg_free(struct events_msg *m);

#endif
