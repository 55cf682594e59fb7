/* The event hub without sockets: scope matching, the SSE text, parking and waking, backlog
 * overflow, Last-Event-ID replay, keep-alive, shutdown, and publishers on several threads. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../check.h"
#include "auth/auth.h"
#include "events/events.h"

/* A stand-in for the HTTP connection: counts parks and wakes, and checks they alternate. */
struct fake_conn {
    int parks, wakes;
    int parked;
    int misuse; /* a wake without a park, or a park while parked */
};

static void fake_park(void *arg)
{
    struct fake_conn *c = arg;
    c->misuse += c->parked;
    c->parked = 1;
    c->parks++;
}

static void fake_wake(void *arg)
{
    struct fake_conn *c = arg;
    c->misuse += !c->parked;
    c->parked = 0;
    c->wakes++;
}

static struct events_stream *open_stream(struct events *ev, const struct caller *who,
                                         int64_t last, struct fake_conn *c)
{
    struct events_waker w = { fake_park, fake_wake, c };
    struct events_stream *st = NULL;
    CHECK_EQ_INT(events_stream_open(ev, who, last, &w, &st), 0);
    return st;
}

/* Everything queued on ST as one string (static buffer). */
static const char *drain(struct events_stream *st)
{
    static char text[65536];
    size_t n = 0;
    long r;
    while (n < sizeof(text) - 1 && (r = events_stream_read(st, text + n, 7)) > 0)
        n += (size_t)r; /* small reads: events are cut across calls */
    text[n] = '\0';
    return text;
}

#define BOX(box, hh, village, township)                                                 \
    { .kind = CALLER_BOX, .box_id = box, .household_id = hh, .village_id = village,    \
      .township_id = township }
static const struct caller BOX_A = BOX(10, 100, 3, 1);
static const struct caller BOX_B = BOX(11, 101, 3, 1); /* same village */
static const struct caller BOX_C = BOX(12, 200, 4, 1); /* other village */
static const struct caller BOX_X = BOX(13, 300, 9, 2); /* other township */
static const struct caller STAFF_1 = { .kind = CALLER_STAFF, .township_id = 1 };
static const struct caller CADRE_3 = { .kind = CALLER_CADRE, .village_id = 3, .township_id = 1 };
static const struct caller ADMIN_ALL = { .kind = CALLER_ADMIN };

static void test_scope_matching(void)
{
    static const struct {
        struct event_scope to;
        const struct caller *who;
        int match;
    } cases[] = {
        { { EVENT_TO_BOXES, 1, 0, 0 }, &BOX_A, 1 },
        { { EVENT_TO_BOXES, 1, 0, 0 }, &BOX_X, 0 },
        { { EVENT_TO_BOXES, 1, 3, 0 }, &BOX_A, 1 },
        { { EVENT_TO_BOXES, 1, 3, 0 }, &BOX_C, 0 },
        { { EVENT_TO_BOXES, 1, 3, 100 }, &BOX_A, 1 },
        { { EVENT_TO_BOXES, 1, 3, 100 }, &BOX_B, 0 },
        { { EVENT_TO_BOXES, 1, 0, 0 }, &STAFF_1, 0 },
        { { EVENT_TO_STAFF, 1, 3, 0 }, &STAFF_1, 1 }, /* staff match on township only */
        { { EVENT_TO_STAFF, 2, 0, 0 }, &STAFF_1, 0 },
        { { EVENT_TO_STAFF, 1, 0, 0 }, &BOX_A, 0 },
        { { EVENT_TO_STAFF, 2, 0, 0 }, &ADMIN_ALL, 1 },
        { { EVENT_TO_CADRES, 1, 3, 0 }, &CADRE_3, 1 },
        { { EVENT_TO_CADRES, 1, 4, 0 }, &CADRE_3, 0 },
        { { EVENT_TO_CADRES, 1, 0, 0 }, &CADRE_3, 1 },
        { { EVENT_TO_BOXES | EVENT_TO_CADRES, 1, 3, 0 }, &CADRE_3, 1 },
        { { EVENT_TO_BOXES | EVENT_TO_CADRES, 1, 3, 0 }, &BOX_B, 1 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (events_scope_matches(&cases[i].to, cases[i].who) != cases[i].match) {
            CHECK_EQ_INT(i, -1); /* report which row */
        }
    }
    struct caller none = { .kind = CALLER_NONE };
    struct event_scope all = { EVENT_TO_BOXES | EVENT_TO_STAFF | EVENT_TO_CADRES, 1, 0, 0 };
    CHECK_EQ_INT(events_scope_matches(&all, &none), 0);
}

static void test_publish_text_and_wake(void)
{
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(0, &ev), 0);
    struct fake_conn ca = { 0 }, cc = { 0 };
    struct events_stream *a = open_stream(ev, &BOX_A, 0, &ca);
    struct events_stream *c = open_stream(ev, &BOX_C, 0, &cc);
    CHECK_EQ_STR(drain(a), "retry: 3000\n\n");
    CHECK_EQ_INT(ca.parks, 1); /* nothing more queued: parked */
    CHECK_EQ_STR(drain(c), "retry: 3000\n\n");

    struct event_scope village3 = { EVENT_TO_BOXES, 1, 3, 0 };
    int64_t id = events_publish(ev, &village3, "rollcall.opened",
                                "{\"rollcall_id\":7,\"broadcast_id\":2,\"title\":\"点名\","
                                "\"closes_at\":\"2026-11-23T10:30:00Z\"}");
    CHECK(id > 0);
    CHECK_EQ_INT(ca.wakes, 1);
    CHECK_EQ_INT(cc.wakes, 0); /* another village: not woken */
    char want[256];
    snprintf(want, sizeof(want),
             "id: %lld\nevent: rollcall.opened\ndata: {\"rollcall_id\":7,\"broadcast_id\":2,"
             "\"title\":\"点名\",\"closes_at\":\"2026-11-23T10:30:00Z\"}\n\n",
             (long long)id);
    CHECK_EQ_STR(drain(a), want);
    CHECK_EQ_INT(ca.parks, 2);

    /* Ids grow by one; a payload with line breaks gets one data field per line. */
    int64_t id2 = events_publish(ev, &village3, "broadcast.ended", "{\n\"broadcast_id\": 2\n}");
    CHECK_EQ_INT(id2, id + 1);
    snprintf(want, sizeof(want), "id: %lld\nevent: broadcast.ended\ndata: {\ndata: "
             "\"broadcast_id\": 2\ndata: }\n\n", (long long)id2);
    CHECK_EQ_STR(drain(a), want);
    CHECK_EQ_INT(ca.misuse + cc.misuse, 0);

    struct events_stats s;
    events_stats(ev, &s);
    CHECK_EQ_INT(s.streams, 2);
    CHECK_EQ_INT(s.published, 2);
    CHECK_EQ_INT(s.queued, 2);
    /* The HTTP layer closes a stream only when it is not parked: wake them first. */
    events_shutdown(ev);
    CHECK_EQ_INT(events_stream_read(a, want, sizeof(want)), -EPIPE);
    CHECK_EQ_INT(events_stream_read(c, want, sizeof(want)), -EPIPE);
    events_stream_close(a);
    events_stream_close(c);
    events_stats(ev, &s);
    CHECK_EQ_INT(s.streams, 0);
    events_destroy(ev);
}

static void test_bad_arguments(void)
{
    struct event_scope ok = { EVENT_TO_BOXES, 1, 0, 0 };
    struct event_scope no_township = { EVENT_TO_BOXES, 0, 0, 0 };
    struct event_scope nobody = { 0, 1, 0, 0 };
    CHECK_EQ_INT(events_publish(NULL, &ok, "broadcast.ended", "{}"), 0);
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(0, &ev), 0);
    CHECK_EQ_INT(events_publish(ev, &no_township, "broadcast.ended", "{}"), -EINVAL);
    CHECK_EQ_INT(events_publish(ev, &nobody, "broadcast.ended", "{}"), -EINVAL);
    CHECK_EQ_INT(events_publish(ev, &ok, "", "{}"), -EINVAL);
    CHECK_EQ_INT(events_publish(ev, &ok, "bad\ntype", "{}"), -EINVAL);
    CHECK_EQ_INT(events_publish(ev, &ok, "broadcast.ended", "{not json"), -EINVAL);
    CHECK_EQ_INT(events_publish(ev, &ok, "broadcast.ended", NULL), -EINVAL);
    CHECK_EQ_INT(events_publish(ev, NULL, "broadcast.ended", "{}"), -EINVAL);
    struct caller none = { .kind = CALLER_NONE };
    struct fake_conn fc = { 0 };
    struct events_waker w = { fake_park, fake_wake, &fc };
    struct events_stream *st = (struct events_stream *)&fc;
    CHECK_EQ_INT(events_stream_open(ev, &none, 0, &w, &st), -EINVAL);
    CHECK(st == NULL);
    events_destroy(ev);
    CHECK_EQ_INT(events_create(-1, &ev), -EINVAL);
    CHECK(ev == NULL);
    events_destroy(NULL);
}

static void test_overflow_closes_stream(void)
{
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(0, &ev), 0);
    struct fake_conn slow = { 0 };
    struct events_stream *st = open_stream(ev, &STAFF_1, 0, &slow);
    struct event_scope staff = { EVENT_TO_STAFF, 1, 0, 0 };
    for (int i = 0; i < EVENTS_BACKLOG + 5; i++)
        CHECK(events_publish(ev, &staff, "duty.check",
                             "{\"check_id\":1,\"village_id\":3,\"state\":\"ok\"}") > 0);
    struct events_stats s;
    events_stats(ev, &s);
    CHECK_EQ_INT(s.overflowed, 1);
    CHECK_EQ_INT(s.queued, EVENTS_BACKLOG);
    /* What was queued is still delivered, then the stream ends. */
    const char *text = drain(st);
    int n = 0;
    for (const char *p = text; (p = strstr(p, "event: duty.check\n")) != NULL; p++)
        n++;
    CHECK_EQ_INT(n, EVENTS_BACKLOG);
    char buf[16];
    CHECK_EQ_INT(events_stream_read(st, buf, sizeof(buf)), -EPIPE);
    events_stream_close(st);
    events_destroy(ev);
}

static void test_last_event_id_replay(void)
{
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(0, &ev), 0);
    struct event_scope v3 = { EVENT_TO_BOXES, 1, 3, 0 };
    struct event_scope v4 = { EVENT_TO_BOXES, 1, 4, 0 };
    int64_t first = events_publish(ev, &v3, "broadcast.started",
                                   "{\"broadcast_id\":1,\"title\":\"a\",\"org_id\":3}");
    int64_t other = events_publish(ev, &v4, "broadcast.started",
                                   "{\"broadcast_id\":2,\"title\":\"b\",\"org_id\":4}");
    int64_t second = events_publish(ev, &v3, "broadcast.ended", "{\"broadcast_id\":1}");
    CHECK(first > 0 && other == first + 1 && second == first + 2);

    struct fake_conn c = { 0 };
    struct events_stream *st = open_stream(ev, &BOX_A, first, &c);
    char want[256];
    snprintf(want, sizeof(want), "retry: 3000\n\nid: %lld\nevent: broadcast.ended\n"
             "data: {\"broadcast_id\":1}\n\n", (long long)second);
    CHECK_EQ_STR(drain(st), want); /* the other village's event is not replayed */

    struct fake_conn c2 = { 0 };
    struct events_stream *fresh = open_stream(ev, &BOX_A, 0, &c2);
    CHECK_EQ_STR(drain(fresh), "retry: 3000\n\n"); /* no Last-Event-ID: no replay */

    /* The ring forgets the oldest events. */
    for (int i = 0; i < EVENTS_RING; i++)
        events_publish(ev, &v4, "broadcast.ended", "{\"broadcast_id\":2}");
    struct fake_conn c3 = { 0 };
    struct events_stream *late = open_stream(ev, &BOX_A, first - 1, &c3);
    CHECK_EQ_STR(drain(late), "retry: 3000\n\n");
    events_shutdown(ev);
    events_stream_close(st);
    events_stream_close(fresh);
    events_stream_close(late);
    events_destroy(ev);
}

static void test_keepalive_wakes_idle_streams(void)
{
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(40, &ev), 0);
    struct fake_conn c = { 0 };
    struct events_stream *st = open_stream(ev, &CADRE_3, 0, &c);
    CHECK_EQ_STR(drain(st), "retry: 3000\n\n");
    /* The fake's counters are written under the hub lock; read them after a drain (locks). */
    int woken = 0;
    for (int i = 0; i < 100 && !woken; i++) {
        usleep(10000);
        woken = strcmp(drain(st), ": keep-alive\n\n") == 0;
    }
    CHECK(woken);
    CHECK(c.wakes >= 1);
    CHECK_EQ_INT(c.misuse, 0);
    events_shutdown(ev);
    char buf[8];
    CHECK_EQ_INT(events_stream_read(st, buf, sizeof(buf)), -EPIPE);
    events_stream_close(st);
    events_destroy(ev);
}

static void test_shutdown_wakes_and_refuses(void)
{
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(0, &ev), 0);
    struct fake_conn c = { 0 };
    struct events_stream *st = open_stream(ev, &BOX_B, 0, &c);
    drain(st);
    CHECK_EQ_INT(c.parked, 1);
    events_shutdown(ev);
    CHECK_EQ_INT(c.parked, 0);
    CHECK_EQ_INT(c.wakes, 1);
    struct events_waker w = { fake_park, fake_wake, &c };
    struct events_stream *late = NULL;
    CHECK_EQ_INT(events_stream_open(ev, &BOX_B, 0, &w, &late), -ESHUTDOWN);
    char buf[8];
    CHECK_EQ_INT(events_stream_read(st, buf, sizeof(buf)), -EPIPE);
    events_stream_close(st);
    events_destroy(ev);
}

/* A login session's stream ends by itself when the session expires (the keep-alive tick). */
static void test_expired_session_stream_ends(void)
{
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(40, &ev), 0);
    struct caller staff = STAFF_1;
    staff.session_id = 7;
    staff.expires_at = time(NULL) + 1;
    struct fake_conn c = { 0 };
    struct events_stream *st = open_stream(ev, &staff, 0, &c);
    drain(st);
    char buf[64];
    long r = 0;
    for (int i = 0; i < 300 && r != -EPIPE; i++) { /* up to 3 s for a 1 s session */
        usleep(10000);
        r = events_stream_read(st, buf, sizeof(buf));
    }
    CHECK_EQ_INT(r, -EPIPE);
    CHECK_EQ_INT(c.misuse, 0);
    events_stream_close(st);
    events_destroy(ev);
}

/* Logout ends that session's streams, not another session's nor a box's; the per-credential
 * cap ends the oldest stream of the same box when one too many opens. */
static void test_end_streams_of_and_cap(void)
{
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(0, &ev), 0);
    events_set_stream_cap(ev, 2);
    struct caller s1 = STAFF_1, s2 = STAFF_1;
    s1.session_id = 1;
    s2.session_id = 2;
    struct fake_conn c[5] = { { 0 } };
    struct events_stream *a = open_stream(ev, &s1, 0, &c[0]);
    struct events_stream *b = open_stream(ev, &s2, 0, &c[1]);
    struct events_stream *box1 = open_stream(ev, &BOX_A, 0, &c[2]);
    struct events_stream *box2 = open_stream(ev, &BOX_A, 0, &c[3]);
    drain(a), drain(b), drain(box1), drain(box2);
    CHECK_EQ_INT(events_end_streams_of(ev, &s1), 1);
    char buf[64];
    CHECK_EQ_INT(events_stream_read(a, buf, sizeof(buf)), -EPIPE);
    CHECK_EQ_INT(events_stream_read(b, buf, sizeof(buf)), 0); /* parked, still open */
    /* A third stream of box A: the oldest (box1) ends, box2 and box3 stay. */
    struct events_stream *box3 = open_stream(ev, &BOX_A, 0, &c[4]);
    CHECK_EQ_INT(events_stream_read(box1, buf, sizeof(buf)), -EPIPE);
    drain(box3);
    CHECK_EQ_INT(events_stream_read(box2, buf, sizeof(buf)), 0);
    CHECK_EQ_INT(events_stream_read(box3, buf, sizeof(buf)), 0);
    struct event_scope all = { EVENT_TO_BOXES, 1, 0, 0 };
    CHECK(events_publish(ev, &all, "broadcast.ended", "{\"broadcast_id\":1}") > 0);
    CHECK(strstr(drain(box2), "broadcast.ended") != NULL);
    CHECK(strstr(drain(box3), "broadcast.ended") != NULL);
    CHECK_EQ_INT(events_end_streams_of(ev, &BOX_A), 2);
    for (int i = 0; i < 5; i++)
        CHECK_EQ_INT(c[i].misuse, 0);
    events_shutdown(ev);
    events_stream_close(a);
    events_stream_close(b);
    events_stream_close(box1);
    events_stream_close(box2);
    events_stream_close(box3);
    events_destroy(ev);
}

/* Publishers on several threads while a reader drains many streams: every stream sees every
 * event once, in id order. */
enum { N_PUB = 4, PER_PUB = 15, N_STREAMS = 50 }; /* fewer than EVENTS_BACKLOG in all */

struct pub_arg {
    struct events *ev;
    int failures;
};

static void *publisher(void *p)
{
    struct pub_arg *a = p;
    struct event_scope all = { EVENT_TO_BOXES, 1, 0, 0 };
    for (int i = 0; i < PER_PUB; i++) {
        if (events_publish(a->ev, &all, "broadcast.ended", "{\"broadcast_id\":9}") <= 0)
            a->failures++;
        usleep(200);
    }
    return NULL;
}

static void test_concurrent_publishers(void)
{
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(0, &ev), 0);
    static struct fake_conn conns[N_STREAMS];
    struct events_stream *st[N_STREAMS];
    int64_t last[N_STREAMS];
    int seen[N_STREAMS];
    memset(conns, 0, sizeof(conns));
    for (int i = 0; i < N_STREAMS; i++) {
        st[i] = open_stream(ev, &BOX_A, 0, &conns[i]);
        last[i] = 0;
        seen[i] = 0;
    }
    pthread_t t[N_PUB];
    struct pub_arg args[N_PUB];
    for (int i = 0; i < N_PUB; i++) {
        args[i].ev = ev;
        args[i].failures = 0;
        CHECK_EQ_INT(pthread_create(&t[i], NULL, publisher, &args[i]), 0);
    }
    int order_ok = 1;
    for (int round = 0; round < 10000; round++) {
        int done = 1;
        for (int i = 0; i < N_STREAMS; i++) {
            const char *text = drain(st[i]);
            for (const char *p = text; (p = strstr(p, "id: ")) != NULL; p += 4) {
                long long id = strtoll(p + 4, NULL, 10);
                order_ok &= id > last[i];
                last[i] = id;
                seen[i]++;
            }
            done &= seen[i] == N_PUB * PER_PUB;
        }
        if (done)
            break;
        usleep(1000);
    }
    for (int i = 0; i < N_PUB; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(args[i].failures, 0);
    }
    CHECK(order_ok);
    int misuse = 0;
    for (int i = 0; i < N_STREAMS; i++) {
        CHECK_EQ_INT(seen[i], N_PUB * PER_PUB);
        misuse += conns[i].misuse;
    }
    CHECK_EQ_INT(misuse, 0);
    events_shutdown(ev);
    for (int i = 0; i < N_STREAMS; i++)
        events_stream_close(st[i]);
    events_destroy(ev);
}

int main(void)
{
    RUN(test_scope_matching);
    RUN(test_publish_text_and_wake);
    RUN(test_bad_arguments);
    RUN(test_overflow_closes_stream);
    RUN(test_last_event_id_replay);
    RUN(test_keepalive_wakes_idle_streams);
    RUN(test_shutdown_wakes_and_refuses);
    RUN(test_expired_session_stream_ends);
    RUN(test_end_streams_of_and_cap);
    RUN(test_concurrent_publishers);
    return CHECK_DONE();
}
