#include "net/sse.h"

#include <string.h>

static void reset_event(struct sse_parser *p)
{
    p->data_len = 0;
    p->data[0] = '\0';
    p->has_data = 0;
    p->spoiled = 0;
    p->type[0] = '\0';
}

void sse_init(struct sse_parser *p)
{
    memset(p, 0, sizeof(*p));
    p->retry_ms = -1;
    p->at_stream_start = 1;
}

void sse_restart(struct sse_parser *p)
{
    p->line_len = 0;
    p->line_too_long = 0;
    p->after_cr = 0;
    p->at_stream_start = 1;
    p->bom_seen = 0;
    reset_event(p);
    /* The spec keeps the last event ID buffer across reconnects; a half-read event's id
     * was never committed, so fall back to the committed one. */
    memcpy(p->id_buf, p->last_id, sizeof(p->id_buf));
}

static void dispatch(struct sse_parser *p, sse_event_fn cb, void *ctx)
{
    memcpy(p->last_id, p->id_buf, sizeof(p->last_id));
    if (p->spoiled) {
        p->dropped++;
    } else if (p->has_data) {
        if (p->data_len > 0 && p->data[p->data_len - 1] == '\n')
            p->data[--p->data_len] = '\0';
        struct sse_event ev = {
            .type = p->type[0] ? p->type : "message",
            .id = p->last_id,
            .data = p->data,
            .data_len = p->data_len,
        };
        cb(ctx, &ev);
    }
    reset_event(p);
}

/* Copy a short field value, or report that it does not fit. */
static int copy_short(char *dst, size_t cap, const char *v, size_t vlen)
{
    if (vlen >= cap)
        return -1;
    memcpy(dst, v, vlen);
    dst[vlen] = '\0';
    return 0;
}

static void field(struct sse_parser *p, const char *name, size_t nlen, const char *v,
                  size_t vlen)
{
    if (nlen == 4 && memcmp(name, "data", 4) == 0) {
        p->has_data = 1;
        if (p->data_len + vlen + 1 > SSE_DATA_MAX) {
            p->spoiled = 1;
            return;
        }
        memcpy(p->data + p->data_len, v, vlen);
        p->data_len += vlen;
        p->data[p->data_len++] = '\n';
        p->data[p->data_len] = '\0';
    } else if (nlen == 5 && memcmp(name, "event", 5) == 0) {
        if (copy_short(p->type, sizeof(p->type), v, vlen) < 0)
            p->spoiled = 1;
    } else if (nlen == 2 && memcmp(name, "id", 2) == 0) {
        if (memchr(v, '\0', vlen))
            return; /* the spec ignores an id with a NUL */
        if (copy_short(p->id_buf, sizeof(p->id_buf), v, vlen) < 0)
            p->spoiled = 1;
    } else if (nlen == 5 && memcmp(name, "retry", 5) == 0) {
        if (vlen == 0 || vlen > 9)
            return; /* nine digits is over a week: nonsense, ignored like non-digits */
        long ms = 0;
        for (size_t i = 0; i < vlen; i++) {
            if (v[i] < '0' || v[i] > '9')
                return;
            ms = ms * 10 + (v[i] - '0');
        }
        p->retry_ms = ms;
    }
    /* Any other field name is ignored, as the spec says. */
}

static void end_line(struct sse_parser *p, sse_event_fn cb, void *ctx)
{
    if (p->line_too_long) {
        p->spoiled = 1; /* a field we could not read: the event is not trustworthy */
    } else if (p->line_len == 0) {
        dispatch(p, cb, ctx);
    } else if (p->line[0] != ':') { /* ':' starts a comment (the keep-alive) */
        const char *colon = memchr(p->line, ':', p->line_len);
        size_t nlen = colon ? (size_t)(colon - p->line) : p->line_len;
        const char *v = colon ? colon + 1 : p->line + p->line_len;
        size_t vlen = p->line_len - (colon ? nlen + 1 : nlen);
        if (vlen > 0 && v[0] == ' ') {
            v++;
            vlen--;
        }
        field(p, p->line, nlen, v, vlen);
    }
    p->line_len = 0;
    p->line_too_long = 0;
}

void sse_feed(struct sse_parser *p, const char *bytes, size_t len, sse_event_fn cb, void *ctx)
{
    static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (p->at_stream_start) {
            if (c == bom[p->bom_seen]) {
                if (++p->bom_seen == 3)
                    p->at_stream_start = 0;
                continue;
            }
            p->at_stream_start = 0;
            /* A partial BOM was real data after all (not valid UTF-8 either way). */
            for (size_t k = 0; k < p->bom_seen && p->line_len < SSE_LINE_MAX; k++)
                p->line[p->line_len++] = (char)bom[k];
        }
        if (c == '\n' && p->after_cr) {
            p->after_cr = 0; /* CRLF: the CR already ended the line */
            continue;
        }
        p->after_cr = c == '\r';
        if (c == '\r' || c == '\n') {
            end_line(p, cb, ctx);
            continue;
        }
        if (p->line_len == SSE_LINE_MAX) {
            p->line_too_long = 1;
            continue;
        }
        p->line[p->line_len++] = (char)c;
    }
}
