/* The events of GET /api/v1/events, typed. Parsing is pure (tested on strings): an event
 * of a known type with a malformed body is refused; an unknown type is BOX_EVENT_OTHER
 * (the server may grow new ones). */
#ifndef DJTV_BOX_EVENT_H
#define DJTV_BOX_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum box_event_type {
    BOX_EVENT_OTHER = 0,
    BOX_EVENT_BROADCAST_STARTED, /* broadcast_id, title, org_id */
    BOX_EVENT_BROADCAST_ENDED,   /* broadcast_id */
    BOX_EVENT_ROLLCALL_OPENED,   /* rollcall_id, broadcast_id, title, closes_at */
    BOX_EVENT_ROLLCALL_CLOSED,   /* rollcall_id */
    BOX_EVENT_REQUEST_REPLY,     /* request_id, state, reply_body */
    BOX_EVENT_STREAM_OPEN,       /* not from the server: the stream is (back) up; resync */
    BOX_EVENT_ROLLCALL_CHECKIN,  /* rollcall_id, member_id (a cadre's stream: a first sign-in) */
    BOX_EVENT_DUTY_CHECK,        /* check_id, state (a duty check of the village) */
    BOX_EVENT_CATALOGUE_CHANGED, /* section, item_id (an item published, changed, removed) */
};

struct box_event {
    enum box_event_type type;
    int64_t broadcast_id;
    int64_t rollcall_id;
    int64_t request_id;
    int64_t org_id;
    int64_t member_id;    /* rollcall.checkin */
    int64_t check_id;     /* duty.check */
    int64_t item_id;      /* catalogue.changed */
    char section[16];     /* catalogue.changed: the home section's key */
    char title[192];
    char closes_at[32];   /* ISO 8601 UTC, "" when the roll call has no set end */
    char state[16];       /* request.reply: the request's state */
    char reply_body[512]; /* request.reply: the reply's text (cut) */
    int resync;           /* STREAM_OPEN: state must be re-read (a long gap) */
    int session;          /* from a person's stream (cadre mode), not the box's own */
};

/* type: the SSE event name; data: its JSON. Returns 0, or -EINVAL with the reason in err. */
int box_event_parse(const char *type, const char *data, struct box_event *out, char *err,
                    size_t errlen);
const char *box_event_name(enum box_event_type t);

#endif
