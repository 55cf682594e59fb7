/* The MHD side of an event stream. MHD calls reader() when the socket can take more; it copies
 * queued text, or parks: events_stream_read calls park() under the hub lock, which suspends
 * the connection, and the hub calls wake() (MHD_resume_connection, safe from any thread) under
 * the same lock, so a resume never comes before its suspend. MHD docs: returning 0 from a
 * content reader is only allowed together with MHD_suspend_connection (else MHD busy-loops),
 * and suspend may be called from the content reader. */
#define LOG_TAG "sse"
#include "http/sse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "events/events.h"
#include "log.h"

enum { SSE_BLOCK = 4096 };

struct sse_conn {
    struct MHD_Connection *conn;    /* borrowed: MHD owns it */
    struct events_stream *stream;   /* owned */
};

static void sse_park(void *arg)
{
    struct sse_conn *c = arg;
    MHD_suspend_connection(c->conn);
}

static void sse_wake(void *arg)
{
    struct sse_conn *c = arg;
    MHD_resume_connection(c->conn);
}

static ssize_t sse_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct sse_conn *c = cls;
    long n = events_stream_read(c->stream, buf, max);
    if (n < 0)
        return MHD_CONTENT_READER_END_OF_STREAM; /* finished: the client reconnects */
    return (ssize_t)n;
}

/* MHD drops the response when the connection ends (peer gone, shutdown, or end of stream). */
static void sse_free(void *cls)
{
    struct sse_conn *c = cls;
    events_stream_close(c->stream);
    free(c);
}

int64_t sse_parse_last_event_id(const char *header)
{
    if (!header || *header < '1' || *header > '9')
        return 0;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(header, &end, 10);
    if (errno || *end != '\0' || v <= 0)
        return 0;
    return (int64_t)v;
}

int sse_queue(struct MHD_Connection *conn, struct events *ev, const struct caller *who,
              const char *last_event_id_header)
{
    struct sse_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->conn = conn;
    struct events_waker w = { sse_park, sse_wake, c };
    int rc = events_stream_open(ev, who, sse_parse_last_event_id(last_event_id_header), &w,
                                &c->stream);
    if (rc < 0) {
        free(c);
        return rc;
    }
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, SSE_BLOCK, sse_reader, c, sse_free);
    if (!r) {
        sse_free(c);
        return -ENOMEM;
    }
    /* From here on the response owns C: sse_free runs when MHD lets go of it. */
    int ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                     "text/event-stream; charset=utf-8") == MHD_YES &&
             MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_YES &&
             MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") == MHD_YES;
    enum MHD_Result q = ok ? MHD_queue_response(conn, MHD_HTTP_OK, r) : MHD_NO;
    MHD_destroy_response(r);
    if (q != MHD_YES) {
        log_warn("could not queue an event stream");
        return -EIO; /* C was freed with the response */
    }
    log_debug("event stream opened (kind %d, township %lld)", (int)who->kind,
              (long long)who->township_id);
    return 0;
}
