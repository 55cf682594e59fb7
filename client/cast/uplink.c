/* The uplink: a thread PUTs each segment to https://SERVER/live/{id}/seg{N}.ts with the
 * publishing key, its duration and whether a gap comes before it. While the server cannot be
 * reached the segments wait in a bounded queue (buffer_s seconds of segments); when it is
 * full the oldest is dropped and the next one is marked as following a gap, which the server's
 * playlist shows as EXT-X-DISCONTINUITY. Retries back off from 0.25 s to 2 s. A refusal (wrong
 * key, broadcast not live) is final.
 *
 * A djtv-cast started again into a broadcast that has segments already (a crash, a power cut,
 * the room's box restarted) must not count from 0 again: before its first segment the thread
 * asks GET /live/{id}/publisher where the recording ends and numbers on from there, its first
 * segment marked as following a gap. A 409 segment_out_of_order names the server's last
 * number too, and the segment is sent again after it. */
#define LOG_TAG "uplink"
#include "cast.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "net/tls.h"

enum { BACKOFF_MIN_MS = 250, BACKOFF_MAX_MS = 2000, REQUEST_TIMEOUT_S = 5 };

struct uplink {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct cast_segment *q; /* ring of CAP */
    int cap, head, n;
    int in_flight;          /* the head is being sent: not to be dropped */
    int stopping, refused;
    int gap_next;           /* mark the next queued segment as following a gap */
    int synced;             /* the server said where the recording ends */
    int64_t seq_base;       /* added to the pipeline's numbers: the server's last + 1 */
    int resume_gap;         /* the next segment sent follows an earlier run's last one */
    struct uplink_stats st;
    char url_base[512];
    char auth[160];
    char multicast[160];    /* "X-Multicast: udp://…" or "" */
    const char *ca;
};

struct body {
    const uint8_t *data;
    size_t len, pos;
};

static size_t read_body(char *out, size_t size, size_t nmemb, void *arg)
{
    struct body *b = arg;
    size_t n = size * nmemb;
    if (n > b->len - b->pos)
        n = b->len - b->pos;
    memcpy(out, b->data + b->pos, n);
    b->pos += n;
    return n;
}

static size_t keep_reply(char *data, size_t size, size_t nmemb, void *arg)
{
    char *reply = arg;
    size_t have = strlen(reply), n = size * nmemb;
    if (have + n >= 256)
        n = 255 - have;
    memcpy(reply + have, data, n);
    reply[have + n] = '\0';
    return size * nmemb;
}

/* The "last_seq" of the server's JSON reply (a flat object the server writes itself), or
 * -2 when it has none. */
static int64_t reply_last_seq(const char *reply)
{
    const char *at = strstr(reply, "\"last_seq\":");
    if (!at)
        return -2;
    char *end = NULL;
    long long v = strtoll(at + strlen("\"last_seq\":"), &end, 10);
    return end == at + strlen("\"last_seq\":") || v < -1 ? -2 : (int64_t)v;
}

/* Number the segments on after LAST, the server's last segment (-1: none yet). Lock held. */
static void number_after(struct uplink *u, int64_t last, int64_t next_local_seq)
{
    u->synced = 1;
    if (last < 0)
        return;
    u->seq_base = last + 1 - next_local_seq;
    u->resume_gap = 1;
    log_info("the broadcast has segments up to %lld already: going on with %lld", (long long)last,
             (long long)(last + 1));
}

/* Ask the server where the broadcast's recording ends (GET /live/{id}/publisher) before the
 * first segment goes: 0 numbered, 1 refused for good, -1 try again. */
static int ask_where(struct uplink *u, CURL *c, int64_t next_local_seq)
{
    char url[600], reply[256] = "";
    snprintf(url, sizeof(url), "%s/publisher", u->url_base);
    struct curl_slist *h = curl_slist_append(NULL, u->auth);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_reply);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, reply);
    CURLcode cc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    int64_t last = reply_last_seq(reply);
    pthread_mutex_lock(&u->lock);
    int rc = -1;
    if (cc != CURLE_OK) {
        snprintf(u->st.last_error, sizeof(u->st.last_error), "%s", curl_easy_strerror(cc));
    } else if (status == 200 && last >= -1) {
        number_after(u, last, next_local_seq);
        rc = 0;
    } else {
        snprintf(u->st.last_error, sizeof(u->st.last_error), "HTTP %ld %.120s", status, reply);
        rc = status == 401 || status == 403 || status == 404 || status == 409 ? 1 : -1;
    }
    u->st.up = cc == CURLE_OK && rc != -1;
    pthread_mutex_unlock(&u->lock);
    return rc;
}

/* PUT one segment: 0 sent, 1 refused for good, -1 try again, 2 renumbered (send it again). */
static int put(struct uplink *u, CURL *c, const struct cast_segment *s)
{
    char url[600], dur[64], disc[32], reply[256] = "";
    pthread_mutex_lock(&u->lock);
    int64_t seq = s->seq + u->seq_base;
    int gap = s->discontinuity || u->resume_gap;
    pthread_mutex_unlock(&u->lock);
    snprintf(url, sizeof(url), "%s/seg%lld.ts", u->url_base, (long long)seq);
    snprintf(dur, sizeof(dur), "X-Segment-Duration: %.3f", s->duration_s);
    snprintf(disc, sizeof(disc), "X-Discontinuity: %d", gap);
    struct curl_slist *h = curl_slist_append(NULL, u->auth);
    h = curl_slist_append(h, "Content-Type: video/mp2t");
    h = curl_slist_append(h, dur);
    h = curl_slist_append(h, disc);
    h = curl_slist_append(h, "Expect:");
    if (u->multicast[0])
        h = curl_slist_append(h, u->multicast);
    struct body b = { s->data, s->len, 0 };
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L); /* PUT (ask_where's GET set HTTPGET, undone here) */
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
    curl_easy_setopt(c, CURLOPT_READDATA, &b);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)s->len);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_reply);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, reply);
    CURLcode cc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    pthread_mutex_lock(&u->lock);
    int rc;
    if (cc != CURLE_OK) {
        snprintf(u->st.last_error, sizeof(u->st.last_error), "%s", curl_easy_strerror(cc));
        rc = -1;
    } else if (status >= 200 && status < 300) {
        rc = 0;
        u->resume_gap = 0;
        u->st.last_seq = seq;
    } else if (status == 409 && strstr(reply, "\"segment_out_of_order\"") &&
               reply_last_seq(reply) >= seq) {
        /* Another run of ours got further than we knew: go on after its last segment. */
        number_after(u, reply_last_seq(reply), s->seq);
        rc = 2;
    } else if (status == 401 || status == 403 || status == 404 || status == 409) {
        snprintf(u->st.last_error, sizeof(u->st.last_error), "HTTP %ld %.120s", status, reply);
        rc = 1;
    } else {
        snprintf(u->st.last_error, sizeof(u->st.last_error), "HTTP %ld %.120s", status, reply);
        rc = -1;
    }
    u->st.up = cc == CURLE_OK && rc != -1;
    pthread_mutex_unlock(&u->lock);
    return rc;
}

/* The box's TLS policy (net_tls_pin): the --ca file is the only trust anchor. */
static CURL *new_handle(struct uplink *u)
{
    CURL *c = curl_easy_init();
    if (!c)
        return NULL;
    CURLcode rc = net_tls_pin(c, u->ca);
    if (rc != CURLE_OK) {
        log_error("setting the TLS options: %s", curl_easy_strerror(rc));
        curl_easy_cleanup(c);
        return NULL;
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 3L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "djtv-cast/0.1");
    return c;
}

static void sleep_ms(int ms)
{
    nanosleep(&(struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000L }, NULL);
}

static void *run(void *arg)
{
    struct uplink *u = arg;
    CURL *c = new_handle(u);
    int backoff = BACKOFF_MIN_MS, was_up = 1;
    pthread_mutex_lock(&u->lock);
    for (;;) {
        while (!u->n && !u->stopping)
            pthread_cond_wait(&u->cond, &u->lock);
        if (!u->n || u->refused || !c)
            break;
        u->in_flight = 1;
        struct cast_segment s = u->q[u->head];
        int synced = u->synced;
        pthread_mutex_unlock(&u->lock);
        int rc = synced ? put(u, c, &s) : ask_where(u, c, s.seq);
        pthread_mutex_lock(&u->lock);
        u->in_flight = 0;
        if (rc == 2 || (rc == 0 && !synced)) {
            u->st.queued = u->n;
            continue; /* numbered: now (again) the segment itself */
        }
        if (rc == 0) {
            free(u->q[u->head].data);
            u->head = (u->head + 1) % u->cap;
            u->n--;
            u->st.sent++;
            u->st.sent_bytes += (int64_t)s.len;
            u->st.queued_bytes -= (int64_t)s.len;
            if (!was_up) {
                u->st.reconnects++;
                log_info("uplink back after an outage (%d reconnects so far)", u->st.reconnects);
            }
            was_up = 1;
            backoff = BACKOFF_MIN_MS;
            pthread_cond_broadcast(&u->cond);
        } else if (rc == 1) {
            u->refused = 1;
            u->st.refused++;
            log_error("the server refused segment %lld: %s", (long long)s.seq, u->st.last_error);
            pthread_cond_broadcast(&u->cond);
            break;
        } else {
            if (was_up)
                log_warn("uplink down: %s (keeping up to %d s of segments)", u->st.last_error,
                         u->cap - 1);
            was_up = 0;
            if (u->stopping)
                break; /* exiting: what is left is freed by uplink_destroy */
            pthread_mutex_unlock(&u->lock);
            sleep_ms(backoff);
            backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
            pthread_mutex_lock(&u->lock);
        }
        u->st.queued = u->n;
    }
    pthread_mutex_unlock(&u->lock);
    if (c)
        curl_easy_cleanup(c);
    return NULL;
}

int uplink_create(const struct cast_options *o, const char *key, struct uplink **out)
{
    struct uplink *u = calloc(1, sizeof(*u));
    if (!u)
        return -ENOMEM;
    int per_s = o->segment_ms > 0 ? (1000 + o->segment_ms - 1) / o->segment_ms : 1;
    u->cap = (o->buffer_s > 0 ? o->buffer_s : 1) * per_s + 1;
    u->q = calloc((size_t)u->cap, sizeof(*u->q));
    if (!u->q) {
        free(u);
        return -ENOMEM;
    }
    u->ca = o->ca;
    u->st.last_seq = -1;
    snprintf(u->url_base, sizeof(u->url_base), "%s/live/%lld", o->server,
             (long long)o->broadcast_id);
    snprintf(u->auth, sizeof(u->auth), "Authorization: Bearer %s", key);
    if (o->multicast) /* the broadcast advertises the group to the boxes */
        snprintf(u->multicast, sizeof(u->multicast), "X-Multicast: %s", o->multicast);
    pthread_mutex_init(&u->lock, NULL);
    pthread_cond_init(&u->cond, NULL);
    if (pthread_create(&u->thread, NULL, run, u) != 0) {
        pthread_cond_destroy(&u->cond);
        pthread_mutex_destroy(&u->lock);
        free(u->q);
        free(u);
        return -EAGAIN;
    }
    *out = u;
    return 0;
}

void uplink_push(struct uplink *u, struct cast_segment *seg)
{
    pthread_mutex_lock(&u->lock);
    if (u->refused) {
        free(seg->data);
        pthread_mutex_unlock(&u->lock);
        return;
    }
    if (u->n == u->cap) {
        /* Full: drop the oldest that is not on its way right now. */
        int victim = u->in_flight ? (u->head + 1) % u->cap : u->head;
        u->st.queued_bytes -= (int64_t)u->q[victim].len;
        free(u->q[victim].data);
        if (victim == u->head) {
            u->head = (u->head + 1) % u->cap;
        } else {
            /* Close the hole after the in-flight head. */
            for (int i = 1; i < u->n - 1; i++)
                u->q[(u->head + i) % u->cap] = u->q[(u->head + i + 1) % u->cap];
        }
        u->n--;
        u->st.dropped++;
        /* The segment now after the hole follows a gap. */
        int after = u->in_flight ? (u->head + 1) % u->cap : u->head;
        if (u->n > (u->in_flight ? 1 : 0))
            u->q[after].discontinuity = 1;
        else
            u->gap_next = 1;
    }
    if (u->gap_next) {
        seg->discontinuity = 1;
        u->gap_next = 0;
    }
    u->q[(u->head + u->n) % u->cap] = *seg;
    u->n++;
    u->st.queued = u->n;
    u->st.queued_bytes += (int64_t)seg->len;
    seg->data = NULL;
    pthread_cond_broadcast(&u->cond);
    pthread_mutex_unlock(&u->lock);
}

void uplink_stats(struct uplink *u, struct uplink_stats *out)
{
    pthread_mutex_lock(&u->lock);
    *out = u->st;
    out->queued = u->n;
    pthread_mutex_unlock(&u->lock);
}

int uplink_refused(struct uplink *u)
{
    pthread_mutex_lock(&u->lock);
    int r = u->refused;
    pthread_mutex_unlock(&u->lock);
    return r;
}

void uplink_destroy(struct uplink *u, int timeout_ms)
{
    if (!u)
        return;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&u->lock);
    while (u->n > 0 && !u->refused) {
        if (pthread_cond_timedwait(&u->cond, &u->lock, &until) != 0)
            break;
    }
    u->stopping = 1;
    /* Whatever is still queued is not sent: the thread stops after its current request. */
    int left = u->n - (u->in_flight ? 1 : 0);
    for (int i = 0; i < left; i++) {
        int at = (u->head + u->n - 1 - i) % u->cap;
        free(u->q[at].data);
        u->q[at].data = NULL;
    }
    u->n -= left;
    if (left)
        log_warn("%d segment(s) not sent at exit", left);
    pthread_cond_broadcast(&u->cond);
    pthread_mutex_unlock(&u->lock);
    pthread_join(u->thread, NULL);
    for (int i = 0; i < u->n; i++)
        free(u->q[(u->head + i) % u->cap].data);
    pthread_cond_destroy(&u->cond);
    pthread_mutex_destroy(&u->lock);
    free(u->q);
    free(u);
}
