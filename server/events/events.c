/* The event hub: published events, the open streams, and a keep-alive thread.
 *
 * One mutex guards everything here. Publishing formats the event's SSE text once into a
 * refcounted block shared by the ring of recent events and every stream queue that holds it,
 * then walks the streams (a few thousand at most: one per box and staff session of a
 * township), queues the block where the scope matches and wakes the parked ones. Readers
 * (the HTTP threads) copy from their queue under the same lock. No thread per stream: a stream
 * with nothing to send is parked by the HTTP layer (its connection suspended) until a publish,
 * a keep-alive tick or shutdown wakes it. */
#define _GNU_SOURCE /* pthread_setname_np: named threads in top and /proc */
#define LOG_TAG "events"
#include "events/events.h"

#include <cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "log.h"

enum { TYPE_MAX = 64, TICK_MS = 1000 };

static const char KEEPALIVE_TEXT[] = ": keep-alive\n\n";

/* One published event. Immutable after publish except refs (guarded by the hub lock). */
struct ev_block {
    int refs;
    int64_t seq;
    struct event_scope scope;
    size_t len;
    char text[]; /* "id: N\nevent: TYPE\ndata: ...\n\n" */
};

/* Who a stream is for: the fields of struct caller that scopes look at, and the credential
 * it was opened with (a box, or a login session until it expires). */
struct ev_who {
    enum caller_kind kind;
    int64_t township_id, village_id, household_id;
    int64_t box_id, session_id;
    time_t expires_at; /* 0: no end (a box) */
};

struct events_stream {
    struct events *hub;                  /* borrowed */
    struct events_stream *prev, *next;   /* the hub's list */
    struct ev_who who;
    struct ev_block *q[EVENTS_BACKLOG];  /* each holds a reference */
    int q_head, q_len;
    size_t q_off;                        /* bytes of q[q_head] already read */
    char pre[32];                        /* "retry:" line or a keep-alive comment */
    size_t pre_len, pre_off;
    int parked;                          /* PARK was called; WAKE not yet */
    int finished;                        /* no more events: shutdown or overflow */
    int64_t last_sent_ms;                /* monotonic time of the last bytes read */
    struct events_waker waker;
};

struct events {
    pthread_mutex_t lock;
    pthread_cond_t tick;       /* wakes the keep-alive thread to stop */
    pthread_t thread;
    int thread_started;
    int stopping;              /* the keep-alive thread should exit */
    int shut;                  /* events_shutdown was called */
    int keepalive_ms;
    int per_caller;            /* stream cap per credential; 0 = none */
    int64_t next_seq;
    struct ev_block *ring[EVENTS_RING]; /* oldest at ring_head; each holds a reference */
    int ring_head, ring_len;
    struct events_stream *streams;      /* owned list (freed by events_stream_close) */
    struct events_stats stats;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void block_unref(struct ev_block *b)
{
    if (b && --b->refs == 0)
        free(b);
}

/* ---- scopes ---- */

static int who_matches(const struct event_scope *to, const struct ev_who *w)
{
    switch (w->kind) {
    case CALLER_BOX:
        return (to->audience & EVENT_TO_BOXES) && to->township_id == w->township_id &&
               (to->village_id == 0 || to->village_id == w->village_id) &&
               (to->household_id == 0 || to->household_id == w->household_id);
    case CALLER_CADRE:
        return (to->audience & EVENT_TO_CADRES) && to->township_id == w->township_id &&
               (to->village_id == 0 || to->village_id == w->village_id);
    case CALLER_STAFF:
    case CALLER_ADMIN:
        /* An admin without a township oversees all of them. */
        return (to->audience & EVENT_TO_STAFF) &&
               (to->township_id == w->township_id ||
                (w->kind == CALLER_ADMIN && w->township_id == 0));
    default:
        return 0;
    }
}

static void who_from(const struct caller *c, struct ev_who *w)
{
    w->kind = c->kind;
    w->township_id = c->township_id;
    w->village_id = c->village_id;
    w->household_id = c->household_id;
    w->box_id = c->kind == CALLER_BOX ? c->box_id : 0;
    w->session_id = c->kind == CALLER_BOX ? 0 : c->session_id;
    w->expires_at = c->kind == CALLER_BOX ? 0 : c->expires_at;
}

/* The same credential: the same box, or the same login session. */
static int same_credential(const struct ev_who *a, const struct ev_who *b)
{
    if (a->kind == CALLER_BOX || b->kind == CALLER_BOX)
        return a->kind == b->kind && a->box_id == b->box_id;
    return a->session_id == b->session_id;
}

int events_scope_matches(const struct event_scope *to, const struct caller *who)
{
    struct ev_who w;
    if (!to || !who)
        return 0;
    who_from(who, &w);
    return who_matches(to, &w);
}

/* ---- streams (hub lock held) ---- */

static void stream_wake(struct events_stream *st)
{
    if (!st->parked)
        return;
    st->parked = 0;
    st->waker.wake(st->waker.arg);
}

static void stream_set_pre(struct events_stream *st, const char *text)
{
    size_t n = strlen(text);
    if (n >= sizeof(st->pre))
        n = sizeof(st->pre) - 1;
    memcpy(st->pre, text, n);
    st->pre_len = n;
    st->pre_off = 0;
}

/* Queue B for ST; a full queue finishes the stream (the client reconnects and re-reads). */
static void stream_push(struct events *ev, struct events_stream *st, struct ev_block *b)
{
    if (st->finished)
        return;
    if (st->q_len == EVENTS_BACKLOG) {
        st->finished = 1;
        ev->stats.overflowed++;
        log_info("closing an event stream that fell %d events behind", EVENTS_BACKLOG);
    } else {
        st->q[(st->q_head + st->q_len) % EVENTS_BACKLOG] = b;
        st->q_len++;
        b->refs++;
        ev->stats.queued++;
    }
    stream_wake(st);
}

static void stream_free(struct events_stream *st)
{
    for (int i = 0; i < st->q_len; i++)
        block_unref(st->q[(st->q_head + i) % EVENTS_BACKLOG]);
    free(st);
}

/* ---- publish ---- */

/* The SSE text of one event. JSON may hold line breaks only between tokens; each line gets its
 * own "data:" field so that the client's parser rebuilds the same text. */
static struct ev_block *block_new(int64_t seq, const struct event_scope *to, const char *type,
                                  const char *json)
{
    size_t lines = 1;
    for (const char *p = json; *p; p++)
        lines += *p == '\n';
    size_t cap = 64 + strlen(type) + strlen(json) + lines * 7;
    struct ev_block *b = malloc(sizeof(*b) + cap);
    if (!b)
        return NULL;
    b->refs = 0;
    b->seq = seq;
    b->scope = *to;
    int n = snprintf(b->text, cap, "id: %lld\nevent: %s\n", (long long)seq, type);
    size_t len = n > 0 ? (size_t)n : 0;
    const char *line = json;
    for (;;) {
        size_t ll = strcspn(line, "\r\n");
        memcpy(b->text + len, "data: ", 6);
        len += 6;
        memcpy(b->text + len, line, ll);
        len += ll;
        b->text[len++] = '\n';
        line += ll;
        if (*line == '\r' && line[1] == '\n')
            line++;
        if (*line == '\0')
            break;
        line++;
    }
    b->text[len++] = '\n';
    b->text[len] = '\0';
    b->len = len;
    return b;
}

static int type_valid(const char *type)
{
    size_t n = type ? strlen(type) : 0;
    if (n == 0 || n >= TYPE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = type[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'))
            return 0;
    }
    return 1;
}

int64_t events_publish(struct events *ev, const struct event_scope *to, const char *type,
                       const char *json_data)
{
    if (!ev)
        return 0;
    if (!to || to->township_id <= 0 || !to->audience || !type_valid(type) || !json_data)
        return -EINVAL;
    /* A bad payload is a bug in the caller: refuse it rather than send clients garbage. */
    cJSON *check = cJSON_Parse(json_data);
    if (!check)
        return -EINVAL;
    cJSON_Delete(check);

    pthread_mutex_lock(&ev->lock);
    int64_t seq = ev->next_seq++;
    struct ev_block *b = block_new(seq, to, type, json_data);
    if (!b) {
        pthread_mutex_unlock(&ev->lock);
        return -ENOMEM;
    }
    b->refs = 1; /* the ring's */
    if (ev->ring_len == EVENTS_RING) {
        block_unref(ev->ring[ev->ring_head]);
        ev->ring_head = (ev->ring_head + 1) % EVENTS_RING;
        ev->ring_len--;
    }
    ev->ring[(ev->ring_head + ev->ring_len) % EVENTS_RING] = b;
    ev->ring_len++;
    ev->stats.published++;
    for (struct events_stream *st = ev->streams; st; st = st->next)
        if (who_matches(to, &st->who))
            stream_push(ev, st, b);
    pthread_mutex_unlock(&ev->lock);
    return seq;
}

/* ---- stream API ---- */

/* Before a new stream of W opens: when W's credential has per_caller streams open, end the
 * oldest (the list is newest first), so a reconnecting box always gets through and a client
 * looping on connect holds no more than the cap. Hub lock held. */
static void end_oldest_over_cap(struct events *ev, const struct ev_who *w)
{
    if (!ev->per_caller)
        return;
    int open = 0;
    for (struct events_stream *o = ev->streams; o; o = o->next) {
        if (o->finished || !same_credential(&o->who, w))
            continue;
        if (++open >= ev->per_caller) {
            o->finished = 1;
            stream_wake(o);
        }
    }
}

int events_stream_open(struct events *ev, const struct caller *who, int64_t last_event_id,
                       const struct events_waker *waker, struct events_stream **out)
{
    *out = NULL;
    if (!ev || !who || who->kind == CALLER_NONE || !waker || !waker->park || !waker->wake)
        return -EINVAL;
    struct events_stream *st = calloc(1, sizeof(*st));
    if (!st)
        return -ENOMEM;
    st->hub = ev;
    who_from(who, &st->who);
    st->waker = *waker;
    char retry[32];
    snprintf(retry, sizeof(retry), "retry: %d\n\n", EVENTS_RETRY_MS);
    stream_set_pre(st, retry);

    pthread_mutex_lock(&ev->lock);
    if (ev->shut) {
        pthread_mutex_unlock(&ev->lock);
        free(st);
        return -ESHUTDOWN;
    }
    end_oldest_over_cap(ev, &st->who);
    st->last_sent_ms = now_ms();
    if (last_event_id > 0) {
        for (int i = 0; i < ev->ring_len && !st->finished; i++) {
            struct ev_block *b = ev->ring[(ev->ring_head + i) % EVENTS_RING];
            if (b->seq > last_event_id && who_matches(&b->scope, &st->who))
                stream_push(ev, st, b);
        }
    }
    st->next = ev->streams;
    if (ev->streams)
        ev->streams->prev = st;
    ev->streams = st;
    ev->stats.streams++;
    pthread_mutex_unlock(&ev->lock);
    *out = st;
    return 0;
}

long events_stream_read(struct events_stream *st, char *buf, size_t max)
{
    struct events *ev = st->hub;
    size_t n = 0;
    pthread_mutex_lock(&ev->lock);
    if (st->pre_off < st->pre_len) {
        size_t k = st->pre_len - st->pre_off;
        if (k > max)
            k = max;
        memcpy(buf, st->pre + st->pre_off, k);
        st->pre_off += k;
        n += k;
    }
    while (n < max && st->q_len > 0) {
        struct ev_block *b = st->q[st->q_head];
        size_t k = b->len - st->q_off;
        if (k > max - n)
            k = max - n;
        memcpy(buf + n, b->text + st->q_off, k);
        n += k;
        st->q_off += k;
        if (st->q_off == b->len) {
            block_unref(b);
            st->q_head = (st->q_head + 1) % EVENTS_BACKLOG;
            st->q_len--;
            st->q_off = 0;
        }
    }
    long ret = (long)n;
    if (n > 0) {
        st->last_sent_ms = now_ms();
    } else if (st->finished) {
        ret = -EPIPE;
    } else if (!st->parked) {
        st->parked = 1;
        st->waker.park(st->waker.arg);
    }
    pthread_mutex_unlock(&ev->lock);
    return ret;
}

void events_stream_close(struct events_stream *st)
{
    if (!st)
        return;
    struct events *ev = st->hub;
    pthread_mutex_lock(&ev->lock);
    if (st->parked)
        log_warn("closing a parked event stream");
    if (st->prev)
        st->prev->next = st->next;
    else
        ev->streams = st->next;
    if (st->next)
        st->next->prev = st->prev;
    ev->stats.streams--;
    stream_free(st);
    pthread_mutex_unlock(&ev->lock);
}

/* ---- hub ---- */

/* Every TICK_MS: a keep-alive comment for each stream idle for keepalive_ms. Waking a parked
 * stream also lets the server notice a peer that went away (the write fails). */
static void *keepalive_main(void *arg)
{
    struct events *ev = arg;
    pthread_setname_np(pthread_self(), "djtv-events");
    pthread_mutex_lock(&ev->lock);
    while (!ev->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        int tick = ev->keepalive_ms < TICK_MS ? ev->keepalive_ms : TICK_MS;
        until.tv_nsec += (long)(tick % 1000) * 1000000L;
        until.tv_sec += tick / 1000 + until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&ev->tick, &ev->lock, &until);
        if (ev->stopping)
            break;
        int64_t now = now_ms();
        time_t wall = time(NULL);
        for (struct events_stream *st = ev->streams; st; st = st->next) {
            if (!st->finished && st->who.expires_at && wall >= st->who.expires_at) {
                st->finished = 1; /* the login session ended: so does its stream */
                stream_wake(st);
                continue;
            }
            if (st->finished || st->q_len > 0 || st->pre_off < st->pre_len ||
                now - st->last_sent_ms < ev->keepalive_ms)
                continue;
            stream_set_pre(st, KEEPALIVE_TEXT);
            st->last_sent_ms = now; /* once per interval, even if the reader is slow */
            stream_wake(st);
        }
    }
    pthread_mutex_unlock(&ev->lock);
    return NULL;
}

int events_create(int keepalive_ms, struct events **out)
{
    *out = NULL;
    if (keepalive_ms < 0)
        return -EINVAL;
    struct events *ev = calloc(1, sizeof(*ev));
    if (!ev)
        return -ENOMEM;
    ev->keepalive_ms = keepalive_ms ? keepalive_ms : EVENTS_KEEPALIVE_MS;
    /* Start ids at the wall clock in ms: they keep growing across restarts. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ev->next_seq = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    pthread_mutex_init(&ev->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&ev->tick, &ca);
    pthread_condattr_destroy(&ca);
    int rc = pthread_create(&ev->thread, NULL, keepalive_main, ev);
    if (rc != 0) {
        events_destroy(ev);
        return -rc;
    }
    ev->thread_started = 1;
    *out = ev;
    return 0;
}

void events_set_stream_cap(struct events *ev, int per_caller)
{
    pthread_mutex_lock(&ev->lock);
    ev->per_caller = per_caller > 0 ? per_caller : 0;
    pthread_mutex_unlock(&ev->lock);
}

void events_shutdown(struct events *ev)
{
    if (!ev)
        return;
    pthread_mutex_lock(&ev->lock);
    ev->shut = 1;
    for (struct events_stream *st = ev->streams; st; st = st->next) {
        st->finished = 1;
        stream_wake(st);
    }
    pthread_mutex_unlock(&ev->lock);
}

int events_end_streams_of(struct events *ev, const struct caller *who)
{
    if (!ev || !who || who->kind == CALLER_NONE)
        return 0;
    struct ev_who w;
    who_from(who, &w);
    int n = 0;
    pthread_mutex_lock(&ev->lock);
    for (struct events_stream *st = ev->streams; st; st = st->next) {
        if (st->finished || !same_credential(&st->who, &w))
            continue;
        st->finished = 1;
        stream_wake(st);
        n++;
    }
    pthread_mutex_unlock(&ev->lock);
    return n;
}

void events_stats(struct events *ev, struct events_stats *out)
{
    pthread_mutex_lock(&ev->lock);
    *out = ev->stats;
    pthread_mutex_unlock(&ev->lock);
}

void events_destroy(struct events *ev)
{
    if (!ev)
        return;
    if (ev->thread_started) {
        pthread_mutex_lock(&ev->lock);
        ev->stopping = 1;
        pthread_cond_signal(&ev->tick);
        pthread_mutex_unlock(&ev->lock);
        pthread_join(ev->thread, NULL);
    }
    if (ev->streams)
        log_warn("%d event stream(s) still open at exit", ev->stats.streams);
    while (ev->streams) {
        struct events_stream *st = ev->streams;
        ev->streams = st->next;
        stream_free(st);
    }
    for (int i = 0; i < ev->ring_len; i++)
        block_unref(ev->ring[(ev->ring_head + i) % EVENTS_RING]);
    pthread_cond_destroy(&ev->tick);
    pthread_mutex_destroy(&ev->lock);
    free(ev);
}
