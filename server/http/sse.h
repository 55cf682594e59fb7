/* Server-Sent Events over libmicrohttpd: a response whose body is read from an event stream
 * (events/events.h). No thread per stream: when a stream has nothing to send its connection is
 * suspended (MHD_suspend_connection, from the content reader), and the hub resumes it when an
 * event, a keep-alive tick or shutdown arrives. */
#ifndef DJTV_HTTP_SSE_H
#define DJTV_HTTP_SSE_H

#include <microhttpd.h>
#include <stdint.h>

struct caller;
struct events;

/* Open a stream for WHO on EV and queue it as the reply to CONN (200 text/event-stream).
 * LAST_EVENT_ID_HEADER is the request's Last-Event-ID (may be NULL). Returns 0, or a negative
 * errno with nothing queued (-ESHUTDOWN when the hub is closing, -ENOMEM). */
int sse_queue(struct MHD_Connection *conn, struct events *ev, const struct caller *who,
              const char *last_event_id_header);

/* Last-Event-ID as a positive id, or 0 when absent or not a plain decimal number. */
int64_t sse_parse_last_event_id(const char *header);

#endif
