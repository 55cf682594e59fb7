/* The SSE parser, table-driven: the format's corners (line endings, comments, multi-line
 * data, ids, retry, BOM), malformed input, the caps, and any split of the bytes into
 * chunks giving the same events. */
#include "net/sse.h"
#include "../check.h"

#include <stdlib.h>

/* The events a feed produced, as one string: "type|id|data;" per event. */
struct seen {
    char out[4096];
    size_t len;
    int n;
};

static void collect(void *ctx, const struct sse_event *ev)
{
    struct seen *s = ctx;
    int w = snprintf(s->out + s->len, sizeof(s->out) - s->len, "%s|%s|%s;", ev->type, ev->id,
                     ev->data);
    if (w > 0 && (size_t)w < sizeof(s->out) - s->len)
        s->len += (size_t)w;
    s->n++;
}

struct sse_case {
    const char *name;
    const char *input;
    const char *events;  /* expected, as collect() writes them */
    long retry_ms;       /* expected afterwards */
    const char *last_id; /* expected afterwards */
};

static const struct sse_case cases[] = {
    { "server shape",
      "retry: 3000\n\nid: 17\nevent: rollcall.opened\ndata: {\"rollcall_id\":7}\n\n"
      ": keep-alive\n\n",
      "rollcall.opened|17|{\"rollcall_id\":7};", 3000, "17" },
    { "default type is message", "data: x\n\n", "message||x;", -1, "" },
    { "multi-line data joined by LF", "data: a\ndata: b\ndata:\n\n", "message||a\nb\n;", -1, "" },
    { "CRLF and lone CR end lines", "event: t\r\ndata: 1\r\n\r\ndata: 2\r\r", "t||1;message||2;",
      -1, "" },
    { "only one space after the colon goes", "data:  two\n\n", "message|| two;", -1, "" },
    { "no space after the colon", "data:x\n\n", "message||x;", -1, "" },
    { "a field name alone has an empty value", "data\n\n", "message||;", -1, "" },
    { "comments and unknown fields are ignored", ": hi\nfoo: bar\ndata: ok\n\n",
      "message||ok;", -1, "" },
    { "no data, no event (but the id counts)", "id: 5\nevent: x\n\n", "", -1, "5" },
    { "the id carries over to later events", "id: 9\ndata: a\n\ndata: b\n\n",
      "message|9|a;message|9|b;", -1, "9" },
    { "an empty id resets it", "id: 9\ndata: a\n\nid\ndata: b\n\n",
      "message|9|a;message||b;", -1, "" },
    { "an event without its blank line is not dispatched", "data: half\n", "", -1, "" },
    { "type does not carry over", "event: t\ndata: 1\n\ndata: 2\n\n", "t||1;message||2;", -1,
      "" },
    { "retry with non-digits is ignored", "retry: 3s\nretry: -1\nretry:\n\n", "", -1, "" },
    { "the last good retry wins", "retry: 100\nretry: x\nretry: 2500\n", "", 2500, "" },
    { "absurd retry is ignored", "retry: 99999999999\n", "", -1, "" },
    { "a BOM at the start is skipped", "\xEF\xBB\xBF" "data: b\n\n", "message||b;", -1, "" },
    { "a BOM later is data", "data: \xEF\xBB\xBF\n\n", "message||\xEF\xBB\xBF;", -1, "" },
    { "blank lines alone do nothing", "\n\n\r\n\r\r", "", -1, "" },
    { "colon first is a comment even with data", ":data: no\n\n", "", -1, "" },
    { "too long a type spoils the event",
      "event: 0123456789012345678901234567890123456789012345678901234567890123456789\n"
      "data: x\n\ndata: y\n\n",
      "message||y;", -1, "" },
    { "too long an id spoils the event and keeps the old id",
      "id: 1\ndata: a\n\n"
      "id: 0123456789012345678901234567890123456789012345678901234567890123456789\n"
      "data: b\n\ndata: c\n\n",
      "message|1|a;message|1|c;", -1, "1" },
};

static void feed_in_chunks(struct sse_parser *p, const char *in, size_t chunk, struct seen *s)
{
    size_t len = strlen(in);
    for (size_t off = 0; off < len; off += chunk)
        sse_feed(p, in + off, len - off < chunk ? len - off : chunk, collect, s);
}

static void test_table(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct sse_case *c = &cases[i];
        /* Whole, byte by byte and in 3-byte pieces: a chunk border must change nothing. */
        static const size_t chunks[] = { 1 << 20, 1, 3 };
        for (size_t k = 0; k < 3; k++) {
            struct sse_parser *p = malloc(sizeof(*p));
            CHECK(p != NULL);
            if (!p)
                return;
            sse_init(p);
            struct seen s = { { 0 }, 0, 0 };
            feed_in_chunks(p, c->input, chunks[k], &s);
            if (strcmp(s.out, c->events) != 0 || p->retry_ms != c->retry_ms ||
                strcmp(p->last_id, c->last_id) != 0)
                printf("# case \"%s\" (chunk %zu): events \"%s\" retry %ld id \"%s\"\n", c->name,
                       chunks[k], s.out, p->retry_ms, p->last_id);
            CHECK_EQ_STR(s.out, c->events);
            CHECK_EQ_INT(p->retry_ms, c->retry_ms);
            CHECK_EQ_STR(p->last_id, c->last_id);
            free(p);
        }
    }
}

/* A line longer than the cap is dropped with its event; the stream goes on after it. */
static void test_long_line_spoils_its_event(void)
{
    struct sse_parser *p = malloc(sizeof(*p));
    CHECK(p != NULL);
    if (!p)
        return;
    sse_init(p);
    struct seen s = { { 0 }, 0, 0 };
    sse_feed(p, "id: 3\ndata: ", 12, collect, &s);
    char junk[4096];
    memset(junk, 'x', sizeof(junk));
    for (int i = 0; i < 8; i++) /* 32 KiB on one line */
        sse_feed(p, junk, sizeof(junk), collect, &s);
    sse_feed(p, "\n\ndata: after\n\n", 15, collect, &s);
    CHECK_EQ_STR(s.out, "message|3|after;");
    CHECK_EQ_INT(p->dropped, 1);
    free(p);
}

/* Data over the cap, spread over many short lines, is dropped whole, never cut short. */
static void test_too_much_data_is_dropped_whole(void)
{
    struct sse_parser *p = malloc(sizeof(*p));
    CHECK(p != NULL);
    if (!p)
        return;
    sse_init(p);
    struct seen s = { { 0 }, 0, 0 };
    char line[1024];
    memset(line, 'y', sizeof(line));
    memcpy(line, "data: ", 6);
    line[sizeof(line) - 1] = '\n';
    for (int i = 0; i < 20; i++) /* 20 KiB of data */
        sse_feed(p, line, sizeof(line), collect, &s);
    sse_feed(p, "\n", 1, collect, &s);
    CHECK_EQ_INT(s.n, 0);
    CHECK_EQ_INT(p->dropped, 1);
    /* The longest line the cap allows still goes through whole. */
    sse_feed(p, "data: ", 6, collect, &s);
    char *big = malloc(SSE_LINE_MAX - 6);
    CHECK(big != NULL);
    if (big) {
        memset(big, 'z', SSE_LINE_MAX - 6);
        sse_feed(p, big, SSE_LINE_MAX - 6, collect, &s);
        free(big);
    }
    sse_feed(p, "\n\n", 2, collect, &s);
    CHECK_EQ_INT(s.n, 1);
    free(p);
}

/* NUL bytes and invalid UTF-8 pass through as bytes (the JSON parser judges them); an id
 * holding a NUL is ignored, as the spec says. */
static void test_binary_junk(void)
{
    struct sse_parser *p = malloc(sizeof(*p));
    CHECK(p != NULL);
    if (!p)
        return;
    sse_init(p);
    struct seen s = { { 0 }, 0, 0 };
    static const char in[] = "id: 4\ndata: a\n\nid: 5\0x\ndata: \xff\xfe\n\n";
    sse_feed(p, in, sizeof(in) - 1, collect, &s);
    CHECK_EQ_INT(s.n, 2);
    CHECK_EQ_STR(p->last_id, "4");
    free(p);
}

/* A reconnect drops the half-read event and keeps the committed id and retry. */
static void test_restart(void)
{
    struct sse_parser *p = malloc(sizeof(*p));
    CHECK(p != NULL);
    if (!p)
        return;
    sse_init(p);
    struct seen s = { { 0 }, 0, 0 };
    const char *a = "retry: 1500\nid: 41\nevent: a\ndata: 1\n\nid: 42\nevent: b\ndata: hal";
    sse_feed(p, a, strlen(a), collect, &s);
    sse_restart(p);
    const char *b = "f\n\ndata: 2\n\n";
    sse_feed(p, b, strlen(b), collect, &s);
    CHECK_EQ_STR(s.out, "a|41|1;message|41|2;");
    CHECK_EQ_INT(p->retry_ms, 1500);
    CHECK_EQ_STR(p->last_id, "41");
    free(p);
}

int main(void)
{
    RUN(test_table);
    RUN(test_long_line_spoils_its_event);
    RUN(test_too_much_data_is_dropped_whole);
    RUN(test_binary_junk);
    RUN(test_restart);
    return check_failed_cases ? 1 : 0;
}
