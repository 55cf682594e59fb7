/* The event-stream thread. One pthread, one curl multi with at most one easy handle:
 *
 *   loop: connect (Last-Event-ID when known) -> bytes -> sse_feed -> SDL_PushEvent
 *         the connection ends (server, network, silence) -> sleep retry ms -> again
 *
 * It sleeps in curl_multi_poll both while connected (until bytes come) and between
 * connections (until the retry time or curl_multi_wakeup from events_destroy). */
#define LOG_TAG "events"

#include "net/events.h"

#include <SDL.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "net/conn.h"
#include "net/sse.h"

enum {
    EV_DEFAULT_CONNECT_MS = 5000,
    EV_DEFAULT_SILENCE_MS = 45000, /* the server sends a keep-alive every 15 s */
    EV_DEFAULT_RETRY_MS = 3000,
    EV_DEFAULT_RESYNC_MS = 10000,
    EV_MAX_BACKOFF_MS = 30000,     /* repeated failures wait longer, up to this */
    EV_REFUSED_MS = 60000,         /* 401/403: the token is not (yet) good */
    EV_POLL_MS = 60000,
    EV_ERROR_BODY_MAX = 512,       /* what a refusal's body may hold, for the log */
};

/* Fields above `abort` are set in events_create() and read-only afterwards; the rest belong
 * to the thread. */
struct events {
    char *url;                  /* owned */
    char *ca_file;              /* owned */
    struct curl_slist *headers; /* owned: Accept, Cache-Control, Authorization (the token) */
    long connect_ms, silence_ms, retry_ms, resync_gap_ms;
    uint32_t event_type;
    CURLM *multi;               /* owned; thread only, except curl_multi_wakeup() */
    pthread_t thread;
    _Atomic int abort;

    CURL *easy;                 /* the connection now, or NULL */

    struct sse_parser parser;
    int open;                   /* this connection answered 200 with an event stream */
    int refused;                /* this connection answered something else */
    int ever_open;
    struct timespec down_at;    /* when the last open connection ended */
    struct buf error_body;      /* a refusal's body, capped */
    char errbuf[CURL_ERROR_SIZE];
};

void events_msg_free(struct events_msg *m)
{
    if (!m)
        return;
    free(m->data);
    free(m);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

static void post(struct events *ev, enum events_kind kind, const char *type, const char *id,
                 const char *data, size_t data_len, struct events_msg *m)
{
    if (!m) {
        m = calloc(1, sizeof(*m));
        if (!m) {
            log_error("out of memory: dropping a %s event", type ? type : "stream");
            return;
        }
    }
    m->kind = kind;
    snprintf(m->type, sizeof(m->type), "%s", type ? type : "");
    snprintf(m->id, sizeof(m->id), "%s", id ? id : "");
    m->data = malloc(data_len + 1);
    if (!m->data) {
        log_error("out of memory: dropping a %s event", m->type);
        events_msg_free(m);
        return;
    }
    if (data_len)
        memcpy(m->data, data, data_len);
    m->data[data_len] = '\0';
    m->data_len = data_len;

    SDL_Event e;
    memset(&e, 0, sizeof(e));
    e.type = ev->event_type;
    e.user.code = (Sint32)kind;
    e.user.data1 = m;
    e.user.data2 = ev;
    if (SDL_PushEvent(&e) != 1) {
        log_error("dropping a %s event: SDL_PushEvent: %s", m->type, SDL_GetError());
        events_msg_free(m);
    }
}

static void on_sse_event(void *ctx, const struct sse_event *se)
{
    struct events *ev = ctx;
    log_debug("event %s id %s (%zu bytes)", se->type, se->id, se->data_len);
    post(ev, EVENTS_MESSAGE, se->type, se->id, se->data, se->data_len, NULL);
}

/* The first bytes of a reply decide what it is: an event stream, or a refusal. */
static void first_bytes(struct events *ev, CURL *easy)
{
    long status = 0;
    const char *ctype = NULL;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &ctype);
    if (status != 200 || !ctype || strncasecmp(ctype, "text/event-stream", 17) != 0) {
        ev->refused = 1;
        return;
    }
    ev->open = 1;
    struct events_msg *m = calloc(1, sizeof(*m));
    if (!m)
        return;
    long gap = ev->ever_open ? ms_since(&ev->down_at) : -1;
    m->resync = !ev->ever_open || !ev->parser.last_id[0] || gap > ev->resync_gap_ms;
    if (ev->ever_open)
        log_info("event stream back after %ld ms%s", gap, m->resync ? ": re-reading state" : "");
    else
        log_info("event stream open");
    ev->ever_open = 1;
    post(ev, EVENTS_OPEN, "", ev->parser.last_id, "", 0, m);
}

static size_t on_bytes(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct events *ev = userdata;
    size_t n = size * nmemb;
    if (atomic_load(&ev->abort))
        return 0;
    if (!ev->open && !ev->refused)
        first_bytes(ev, ev->easy);
    if (ev->refused) {
        /* Keep a little of the body for the log; the rest is dropped. */
        size_t room = EV_ERROR_BODY_MAX - ev->error_body.len;
        buf_append(&ev->error_body, data, n < room ? n : room);
        return n;
    }
    sse_feed(&ev->parser, data, n, on_sse_event, ev);
    return n;
}

#define SETOPT(opt, val)                                                                   \
    do {                                                                                   \
        if (curl_easy_setopt(e, (opt), (val)) != CURLE_OK) {                               \
            log_error("setting %s failed", #opt);                                          \
            goto fail;                                                                     \
        }                                                                                  \
    } while (0)

/* The headers of one connection: the fixed ones and Last-Event-ID when an id is known. */
static struct curl_slist *connection_headers(const struct events *ev)
{
    struct curl_slist *l = NULL;
    for (const struct curl_slist *it = ev->headers; it; it = it->next) {
        struct curl_slist *next = curl_slist_append(l, it->data);
        if (!next)
            goto fail;
        l = next;
    }
    if (ev->parser.last_id[0]) {
        char line[32 + SSE_ID_MAX];
        snprintf(line, sizeof(line), "Last-Event-ID: %s", ev->parser.last_id);
        struct curl_slist *next = curl_slist_append(l, line);
        if (!next)
            goto fail;
        l = next;
    }
    return l;
fail:
    curl_slist_free_all(l);
    return NULL;
}

/* The connection settings of net.c's requests (conn.c), and a stream's own: no overall
 * timeout, silence ends it instead. */
static CURL *make_easy(struct events *ev, struct curl_slist *hdrs)
{
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    const char *refused = NULL;
    if (conn_setup(e, ev->url, ev->ca_file, ev->connect_ms, &refused) != CURLE_OK) {
        log_error("setting %s failed", refused);
        goto fail;
    }
    SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SETOPT(CURLOPT_LOW_SPEED_TIME, (ev->silence_ms + 999) / 1000);
    SETOPT(CURLOPT_HTTPHEADER, hdrs);
    SETOPT(CURLOPT_HTTPGET, 1L);
    SETOPT(CURLOPT_WRITEFUNCTION, on_bytes);
    SETOPT(CURLOPT_WRITEDATA, ev);
    SETOPT(CURLOPT_ERRORBUFFER, ev->errbuf);
    return e;
fail:
    curl_easy_cleanup(e);
    return NULL;
}
#undef SETOPT

/* One connection, from connect to its end. Returns ms to wait before the next one. */
static long run_connection(struct events *ev, int *failures)
{
    long wait_ms = ev->parser.retry_ms >= 0 ? ev->parser.retry_ms : ev->retry_ms;
    struct curl_slist *hdrs = connection_headers(ev);
    CURL *e = hdrs ? make_easy(ev, hdrs) : NULL;
    if (!e || curl_multi_add_handle(ev->multi, e) != CURLM_OK) {
        log_error("cannot start the event stream connection");
        if (e)
            curl_easy_cleanup(e);
        curl_slist_free_all(hdrs);
        return EV_MAX_BACKOFF_MS;
    }
    ev->easy = e;
    ev->open = ev->refused = 0;
    ev->errbuf[0] = '\0';
    buf_reset(&ev->error_body);
    sse_restart(&ev->parser);

    CURLcode result = CURLE_OK;
    int done = 0;
    while (!done && !atomic_load(&ev->abort)) {
        int running = 0;
        curl_multi_perform(ev->multi, &running);
        CURLMsg *msg;
        int left = 0;
        while ((msg = curl_multi_info_read(ev->multi, &left))) {
            if (msg->msg == CURLMSG_DONE) {
                result = msg->data.result;
                done = 1;
            }
        }
        if (!done && curl_multi_poll(ev->multi, NULL, 0, EV_POLL_MS, NULL) != CURLM_OK) {
            struct timespec ts = { 0, 100 * 1000000L }; /* never spin on a broken multi */
            nanosleep(&ts, NULL);
        }
    }

    long status = 0;
    curl_off_t retry_after = -1;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &retry_after);
    curl_multi_remove_handle(ev->multi, e);
    curl_easy_cleanup(e);
    curl_slist_free_all(hdrs);
    ev->easy = NULL;
    if (atomic_load(&ev->abort))
        return 0;

    char why[160];
    if (ev->refused || (done && result == CURLE_OK && !ev->open))
        snprintf(why, sizeof(why), "refused: HTTP %ld %.80s", status,
                 ev->error_body.data ? ev->error_body.data : "");
    else if (result != CURLE_OK)
        snprintf(why, sizeof(why), "%s%s%.100s", curl_easy_strerror(result),
                 ev->errbuf[0] ? ": " : "", ev->errbuf);
    else
        snprintf(why, sizeof(why), "the server ended the stream");

    if (ev->open) {
        *failures = 0;
        clock_gettime(CLOCK_MONOTONIC, &ev->down_at);
        log_info("event stream dropped (%s); reconnecting in %ld ms", why, wait_ms);
        struct events_msg *m = calloc(1, sizeof(*m));
        if (m) {
            snprintf(m->message, sizeof(m->message), "%s", why);
            post(ev, EVENTS_DOWN, "", ev->parser.last_id, "", 0, m);
        }
        return wait_ms;
    }
    (*failures)++;
    if (status == 401 || status == 403)
        wait_ms = EV_REFUSED_MS;
    else if (status == 429 && retry_after > 0)
        wait_ms = retry_after * 1000 > EV_MAX_BACKOFF_MS ? EV_MAX_BACKOFF_MS
                                                          : (long)retry_after * 1000;
    else
        for (int i = 1; i < *failures && wait_ms < EV_MAX_BACKOFF_MS; i++)
            wait_ms *= 2;
    if (wait_ms > EV_MAX_BACKOFF_MS && status != 401 && status != 403)
        wait_ms = EV_MAX_BACKOFF_MS;
    if (wait_ms < 100)
        wait_ms = 100; /* a retry: 0 must not become a tight loop */
    log_warn("event stream not open (%s); trying again in %ld ms", why, wait_ms);
    return wait_ms;
}

/* Sleep until the time is up or events_destroy() wakes us. */
static void nap(struct events *ev, long ms)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        long left = ms - ms_since(&t0);
        if (left <= 0 || atomic_load(&ev->abort))
            return;
        if (curl_multi_poll(ev->multi, NULL, 0, (int)left, NULL) != CURLM_OK)
            return;
    }
}

static void *events_thread(void *arg)
{
    struct events *ev = arg;
    prctl(PR_SET_NAME, "djtv-events", 0, 0, 0);
    int failures = 0;
    while (!atomic_load(&ev->abort)) {
        long wait_ms = run_connection(ev, &failures);
        nap(ev, wait_ms);
    }
    SDL_TLSCleanup(); /* SDL keeps per-thread error state for threads it did not start */
    return NULL;
}

/* ---- UI thread side ------------------------------------------------------------------ */

/* A fixed header line; 0 or -ENOMEM. */
static int add_header(struct curl_slist **l, const char *line)
{
    struct curl_slist *next = curl_slist_append(*l, line);
    if (!next)
        return -ENOMEM;
    *l = next;
    return 0;
}

static void events_free(struct events *ev)
{
    if (ev->multi)
        curl_multi_cleanup(ev->multi);
    curl_slist_free_all(ev->headers);
    buf_fini(&ev->error_body);
    free(ev->ca_file);
    free(ev->url);
    free(ev);
    curl_global_cleanup();
}

struct events *events_create(const struct events_config *cfg, uint32_t event_type)
{
    if (!cfg || !cfg->base_url || !cfg->ca_file || !cfg->ca_file[0] ||
        strncasecmp(cfg->base_url, "https://", 8) != 0 || conn_has_ctl(cfg->base_url) ||
        (cfg->token && conn_has_ctl(cfg->token)) || (cfg->path && conn_has_ctl(cfg->path)) ||
        event_type < SDL_USEREVENT || event_type == (uint32_t)-1) {
        log_error("bad event stream configuration");
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return NULL;
    struct events *ev = calloc(1, sizeof(*ev));
    if (!ev) {
        curl_global_cleanup();
        return NULL;
    }
    buf_init(&ev->error_body, EV_ERROR_BODY_MAX);
    sse_init(&ev->parser);
    const char *path = cfg->path ? cfg->path : "/api/v1/events";
    size_t blen = strlen(cfg->base_url), plen = strlen(path);
    while (blen > 8 && cfg->base_url[blen - 1] == '/')
        blen--;
    ev->url = malloc(blen + plen + 1);
    ev->ca_file = strdup(cfg->ca_file);
    if (!ev->url || !ev->ca_file)
        goto fail;
    memcpy(ev->url, cfg->base_url, blen);
    memcpy(ev->url + blen, path, plen + 1);
    ev->connect_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : EV_DEFAULT_CONNECT_MS;
    ev->silence_ms = cfg->silence_ms > 0 ? cfg->silence_ms : EV_DEFAULT_SILENCE_MS;
    ev->retry_ms = cfg->retry_ms > 0 ? cfg->retry_ms : EV_DEFAULT_RETRY_MS;
    ev->resync_gap_ms = cfg->resync_gap_ms > 0 ? cfg->resync_gap_ms : EV_DEFAULT_RESYNC_MS;
    ev->event_type = event_type;
    if (add_header(&ev->headers, "Accept: text/event-stream") < 0 ||
        add_header(&ev->headers, "Cache-Control: no-cache") < 0)
        goto fail;
    if (cfg->token && cfg->token[0] && conn_add_bearer(&ev->headers, cfg->token) < 0)
        goto fail;
    ev->multi = curl_multi_init();
    if (!ev->multi || curl_multi_wakeup(ev->multi) != CURLM_OK)
        goto fail;

    int rc = conn_start_thread(&ev->thread, events_thread, ev);
    if (rc != 0) {
        log_error("pthread_create: %s", strerror(rc));
        goto fail;
    }
    return ev;
fail:
    events_free(ev);
    return NULL;
}

static int drop_own(void *userdata, SDL_Event *e)
{
    struct events *ev = userdata;
    if (e->type == ev->event_type && e->user.data2 == ev) {
        events_msg_free(e->user.data1);
        return 0;
    }
    return 1;
}

void events_destroy(struct events *ev)
{
    if (!ev)
        return;
    atomic_store(&ev->abort, 1);
    curl_multi_wakeup(ev->multi);
    pthread_join(ev->thread, NULL);
    if (SDL_WasInit(SDL_INIT_EVENTS))
        SDL_FilterEvents(drop_own, ev);
    events_free(ev);
}
