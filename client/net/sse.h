/* A Server-Sent Events parser (the WHATWG "event stream" format) that the event-stream
 * thread feeds with whatever bytes arrive. Pure: no I/O, no allocation, so it is tested on
 * byte strings. Every buffer is bounded: a line or an event over its cap is dropped whole
 * (and counted), never cut short and delivered. */
#ifndef DJTV_SSE_H
#define DJTV_SSE_H

#include <stddef.h>

enum {
    SSE_LINE_MAX = 16384, /* longest line kept; longer lines spoil their event */
    SSE_DATA_MAX = 16384, /* most data bytes of one event */
    SSE_TYPE_MAX = 63,
    SSE_ID_MAX = 63,
};

/* One dispatched event. Borrowed: valid during the callback only. */
struct sse_event {
    const char *type; /* "message" when the stream gave none */
    const char *id;   /* the last event id at dispatch ("" when none yet) */
    const char *data; /* NUL-terminated; the lines joined by '\n' */
    size_t data_len;
};

typedef void (*sse_event_fn)(void *ctx, const struct sse_event *ev);

struct sse_parser {
    char line[SSE_LINE_MAX + 1];
    size_t line_len;
    int line_too_long;       /* the current line went over SSE_LINE_MAX: ignore it */
    int after_cr;            /* the last byte was CR: a following LF ends nothing */
    int at_stream_start;     /* a UTF-8 BOM here is skipped */
    size_t bom_seen;         /* bytes of a BOM matched so far */
    char data[SSE_DATA_MAX + 2];
    size_t data_len;
    int has_data;            /* a data: field came (even an empty one) */
    int spoiled;             /* the event being read is over a cap: drop it at the blank line */
    char type[SSE_TYPE_MAX + 1];
    char id_buf[SSE_ID_MAX + 1]; /* the spec's "last event ID buffer" */
    char last_id[SSE_ID_MAX + 1]; /* committed at each dispatch: what Last-Event-ID sends */
    long retry_ms;           /* from the last valid retry: field; -1 when none */
    unsigned long dropped;   /* events dropped for going over a cap */
};

void sse_init(struct sse_parser *p);
/* A new connection: forget a half-read line and event, keep last_id, retry_ms, dropped. */
void sse_restart(struct sse_parser *p);
/* Feed bytes as they come; cb runs for each complete event, in order. */
void sse_feed(struct sse_parser *p, const char *bytes, size_t len, sse_event_fn cb, void *ctx);

#endif
