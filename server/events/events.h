/* Server-Sent Events: who is told what. Handlers publish an event to a scope; the HTTP layer
 * streams it to every open stream (a box's, or a staff session's) whose caller is in that scope.
 * Publishing never blocks on a slow reader: each stream has a bounded backlog, and a stream
 * that falls too far behind is closed (the client reconnects and re-reads state).
 *
 * Event types (the SSE "event:" field) and their JSON data:
 *   broadcast.started  {"broadcast_id", "title", "org_id"}
 *   broadcast.ended    {"broadcast_id"}
 *   rollcall.opened    {"rollcall_id", "broadcast_id", "title", "closes_at"}
 *   rollcall.closed    {"rollcall_id"}
 *   rollcall.checkin   {"rollcall_id", "member_id", "village_id", "from_village_id", "guest",
 *                       "checked_in_at"} (staff, the cadre of village_id: the member's branch)
 *   request.reply      {"request_id", "state", "reply"}
 *   request.created    {"request_id", "village_id"} (staff)
 *   duty.check         {"check_id", "village_id", "state"}
 *   catalogue.changed  {"section", "item_id", "org_id", "change"} (api/catalogue_event.h)
 */
#ifndef DJTV_EVENTS_H
#define DJTV_EVENTS_H

#include <stddef.h>
#include <stdint.h>

struct events;

enum event_audience {
    EVENT_TO_BOXES = 1u << 0, /* set-top boxes */
    EVENT_TO_STAFF = 1u << 1, /* township staff sessions (and admins) */
    EVENT_TO_CADRES = 1u << 2,
};

/* Who an event is for. 0 in a field means "any". A box matches when its township, village and
 * household match; staff match on township. */
struct event_scope {
    unsigned audience;    /* EVENT_TO_* bits */
    int64_t township_id;  /* required (> 0) */
    int64_t village_id;   /* 0 = every village of the township */
    int64_t household_id; /* 0 = every household in scope */
};

/* Queue TYPE with DATA (a JSON text, copied) for every matching stream. Returns the event's
 * sequence number (> 0), or a negative errno. Safe from any thread; never blocks on I/O.
 * EV may be NULL (handler unit tests without streams): then it returns 0 and does nothing. */
int64_t events_publish(struct events *ev, const struct event_scope *to, const char *type,
                       const char *json_data);

/* ---- the hub and its streams (server/events/events.c; the HTTP side is http/sse.c) ----
 *
 * Sequence numbers ("id:" of each event) start at the server's start time in milliseconds and
 * grow by one per event, so they keep growing across restarts. The hub keeps the last
 * EVENTS_RING events: a client that reconnects with Last-Event-ID gets those it missed and
 * may see. Each stream queues at most EVENTS_BACKLOG events; one more closes it. An idle
 * stream gets a comment line every keep-alive interval (so proxies and the server notice dead
 * peers). Text of a stream: "retry: 3000\n\n" first, then per event
 * "id: N\nevent: TYPE\ndata: JSON\n\n", and ": keep-alive\n\n" when idle. */

struct caller;
struct events_stream;

enum {
    EVENTS_RING = 256,          /* recent events kept for Last-Event-ID */
    EVENTS_BACKLOG = 64,        /* events queued per stream before it is closed */
    EVENTS_KEEPALIVE_MS = 15000,
    EVENTS_RETRY_MS = 3000,     /* the "retry:" the client waits before reconnecting */
};

/* How the HTTP layer parks a stream's connection when nothing is queued, and wakes it. Both
 * are called with the hub's lock held and must not call back into the hub. WAKE is called
 * exactly once after each PARK (new data, keep-alive, or close). */
struct events_waker {
    void (*park)(void *arg);
    void (*wake)(void *arg);
    void *arg; /* borrowed */
};

struct events_stats {
    int streams;          /* open now */
    int64_t published;    /* events published */
    int64_t queued;       /* event copies queued to streams */
    int64_t overflowed;   /* streams closed for falling behind */
};

/* A hub with a keep-alive thread. KEEPALIVE_MS 0 = EVENTS_KEEPALIVE_MS. */
int events_create(int keepalive_ms, struct events **out);
/* At most PER_CALLER open streams per box or login session (0, the default: no cap); a new one
 * ends the oldest. A box needs one, two while a reconnect overlaps a stream the server has not
 * yet seen die; more is a client looping on connect, each costing a parked connection. */
void events_set_stream_cap(struct events *ev, int per_caller);
/* Stop the keep-alive thread and free. Every stream must be closed first (they are freed too,
 * with a warning, if not). NULL is fine. */
void events_destroy(struct events *ev);
/* Finish every stream (readers get -EPIPE after what is queued) and refuse new ones: the
 * server is stopping. Parked streams are woken. */
void events_shutdown(struct events *ev);
void events_stats(struct events *ev, struct events_stats *out);

/* End every open stream of WHO's credential (that box, or that login session): on logout or
 * when a box is revoked. A stream of a session also ends by itself when the session expires.
 * Returns how many were ended. */
int events_end_streams_of(struct events *ev, const struct caller *who);

/* Open a stream for WHO (a box, cadre, staff or admin caller; -EINVAL for CALLER_NONE).
 * LAST_EVENT_ID > 0 queues the remembered events after it that WHO may see. WAKER is copied.
 * -ESHUTDOWN after events_shutdown. When WHO's box or session has as many streams open as
 * events_set_stream_cap allows, the oldest of them ends. */
int events_stream_open(struct events *ev, const struct caller *who, int64_t last_event_id,
                       const struct events_waker *waker, struct events_stream **out);
/* Copy up to MAX bytes of the stream's text into BUF. Returns the number of bytes (> 0); 0
 * when nothing is queued (the stream is then parked: WAKE follows when something is); -EPIPE
 * when the stream is finished (overflow or shutdown) and everything was read. */
long events_stream_read(struct events_stream *st, char *buf, size_t max);
/* Unregister and free the stream (the connection is gone). Must not be parked. */
void events_stream_close(struct events_stream *st);

/* 1 when a caller WHO would get an event sent TO (the matching rule above). */
int events_scope_matches(const struct event_scope *to, const struct caller *who);

#endif
