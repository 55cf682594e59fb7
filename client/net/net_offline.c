/* The network thread's offline side: GET answers kept in the cache and given back when the
 * server cannot be reached; durable writes kept in the outbox and sent one at a time, oldest
 * first, until the server answers each (net/offline.c holds the data). */
#define LOG_TAG "net"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/net_internal.h"
#include "net/offline.h"

enum { DEFAULT_RETRY_MS = 5000 };

int net_offline_open(struct net *n, const char *dir, long retry_ms)
{
    char err[512];
    int rc = offline_open(dir, 0, &n->off, err, sizeof(err));
    if (rc < 0) {
        log_error("offline store: %s", err);
        return rc;
    }
    n->outbox_retry_ms = retry_ms > 0 ? retry_ms : DEFAULT_RETRY_MS;
    int waiting = offline_outbox_count(n->off);
    atomic_store(&n->outbox_n, waiting > 0 ? waiting : 0);
    if (waiting > 0)
        log_info("outbox: %d write(s) made while offline wait to be sent", waiting);
    return 0;
}

void net_offline_close(struct net *n)
{
    while (n->outbox_wait) {
        struct net_req *r = n->outbox_wait;
        n->outbox_wait = r->next;
        net_req_free(r); /* its entry stays on disk for the next start */
    }
    offline_close(n->off);
    n->off = NULL;
}

/* Tell a waiting owner its write is kept and will be sent later; frees the request. */
static void tell_queued(struct net *n, struct net_req *r, const char *why)
{
    r->outbox_id = 0;
    r->result->queued = 1;
    snprintf(r->result->message, sizeof(r->result->message), "kept in the outbox: %s", why);
    net_req_post(n, r, NET_ERR_CONNECT, 0);
}

static void tell_all_queued(struct net *n, const char *why)
{
    while (n->outbox_wait) {
        struct net_req *r = n->outbox_wait;
        n->outbox_wait = r->next;
        r->next = NULL;
        tell_queued(n, r, why);
    }
}

int net_offline_accept(struct net *n, struct net_req *r)
{
    int64_t id = 0;
    int rc = offline_outbox_add(n->off, r->method, r->path, r->body, r->key_in_body,
                                time(NULL), &id, NULL);
    if (rc < 0)
        return rc;
    log_info("outbox: %s %s kept as entry %lld", r->method, r->path, (long long)id);
    atomic_fetch_add(&n->outbox_n, 1);
    r->outbox_id = id;
    if (n->outbox_retry_at > net_now_ms()) {
        tell_queued(n, r, "the server could not be reached a moment ago");
        return 0;
    }
    struct net_req **tail = &n->outbox_wait;
    while (*tail)
        tail = &(*tail)->next;
    r->next = NULL;
    *tail = r;
    return 0;
}

/* The waiting owner of entry ID, taken off the list; NULL when nobody waits (a restart). */
static struct net_req *take_owner(struct net *n, int64_t id)
{
    for (struct net_req **p = &n->outbox_wait; *p; p = &(*p)->next) {
        if ((*p)->outbox_id == id) {
            struct net_req *r = *p;
            *p = r->next;
            r->next = NULL;
            return r;
        }
    }
    return NULL;
}

static struct curl_slist *with_key(const struct curl_slist *base, const char *key)
{
    struct curl_slist *l = NULL, *t;
    for (const struct curl_slist *it = base; it; it = it->next) {
        t = curl_slist_append(l, it->data);
        if (!t)
            goto fail;
        l = t;
    }
    char h[OFFLINE_KEY_LEN + 32];
    snprintf(h, sizeof(h), "Idempotency-Key: %s", key);
    t = curl_slist_append(l, h);
    if (!t)
        goto fail;
    return t;
fail:
    curl_slist_free_all(l);
    return NULL;
}

void net_offline_pump(struct net *n)
{
    if (!n->off || n->outbox_inflight || atomic_load(&n->outbox_n) <= 0 ||
        net_now_ms() < n->outbox_retry_at)
        return;
    struct outbox_entry e;
    int rc = offline_outbox_first(n->off, &e);
    if (rc <= 0) {
        if (rc == 0)
            atomic_store(&n->outbox_n, 0);
        else
            n->outbox_retry_at = net_now_ms() + (uint64_t)n->outbox_retry_ms;
        return;
    }
    struct net_req *r = take_owner(n, e.id);
    if (r) {
        free(r->body); /* the stored body carries the key */
        r->body = e.body;
        r->body_len = e.body ? strlen(e.body) : 0;
        e.body = NULL;
    } else {
        atomic_fetch_add(&n->pending, 1); /* net_req_post takes it off again */
        r = net_req_new(n, e.method, e.path, e.body, 0);
        if (!r) {
            atomic_fetch_sub(&n->pending, 1);
            n->outbox_retry_at = net_now_ms() + (uint64_t)n->outbox_retry_ms;
            outbox_entry_fini(&e);
            return;
        }
        r->serial = 0; /* nobody waits: the app shows a refusal, drops the rest */
    }
    r->outbox_id = e.id;
    n->outbox_inflight = e.id;
    r->hdrs = with_key(r->body ? n->hdr_json : n->hdr_plain, e.key);
    log_info("outbox: sending entry %lld (%s %s, try %d)", (long long)e.id, e.method, e.path,
             e.attempts + 1);
    outbox_entry_fini(&e);
    if (!r->hdrs || net_req_start(n, r) < 0)
        net_req_post(n, r, NET_ERR_OTHER, 0); /* settled as "not sent": tried again later */
    else
        net_active_add(n, r);
}

long net_offline_wait_ms(const struct net *n)
{
    if (!n->off || n->outbox_inflight || atomic_load(&n->outbox_n) <= 0)
        return -1;
    uint64_t now = net_now_ms();
    return n->outbox_retry_at > now ? (long)(n->outbox_retry_at - now) : 0;
}

/* An outbox send is over: an HTTP answer (a refusal too) settles the entry; no answer, a
 * server error or "later" keeps it for later. */
static void settle_outbox(struct net *n, struct net_req *r, enum net_error err, long status)
{
    struct net_result *res = r->result;
    if (n->outbox_inflight == r->outbox_id)
        n->outbox_inflight = 0;
    /* 408/429: the server asks to come back later, like a 5xx. */
    if (err == NET_OK && status > 0 && status < 500 && status != 408 && status != 429) {
        if (offline_outbox_done(n->off, r->outbox_id) == 0)
            atomic_fetch_sub(&n->outbox_n, 1);
        log_info("outbox: entry %lld answered %ld", (long long)r->outbox_id, status);
        n->outbox_retry_at = 0; /* the server is there: the next one at once */
    } else {
        offline_outbox_failed(n->off, r->outbox_id);
        n->outbox_retry_at = net_now_ms() + (uint64_t)n->outbox_retry_ms;
        log_info("outbox: entry %lld not delivered (%s, HTTP %ld): again in %ld ms",
                 (long long)r->outbox_id, net_error_str(err), status, n->outbox_retry_ms);
        res->queued = 1;
        tell_all_queued(n, "the server cannot be reached");
    }
    res->from_outbox = r->serial == 0;
    r->outbox_id = 0;
}

void net_offline_settle(struct net *n, struct net_req *r, enum net_error *err, long *status)
{
    if (!n->off || r->personal) /* a person's session: nothing of it is kept on the box */
        return;
    if (r->outbox_id) {
        settle_outbox(n, r, *err, *status);
        return;
    }
    int reached = *err == NET_OK && *status > 0 && *status < 500;
    if (reached && n->outbox_retry_at)
        n->outbox_retry_at = 0; /* the server is back: send what waits */
    if (strcmp(r->method, "GET") != 0)
        return;
    if (*err == NET_OK && *status == 200) {
        if (offline_cache_put(n->off, r->path, r->resp.data ? r->resp.data : "", r->resp.len,
                              time(NULL)) < 0)
            log_warn("could not keep a copy of %s", r->path);
        return;
    }
    if (*err != NET_ERR_CONNECT && *err != NET_ERR_TIMEOUT && !(*err == NET_OK && *status >= 500))
        return;
    char *body = NULL;
    size_t len = 0;
    time_t at = 0;
    if (offline_cache_get(n->off, r->path, &body, &len, &at) != 1)
        return;
    log_info("GET %s: no answer (%s, HTTP %ld); the copy from %lld instead", r->path,
             net_error_str(*err), *status, (long long)at);
    r->result->body = body;
    r->result->body_len = len;
    r->result->offline = 1;
    r->result->cached_at = (int64_t)at;
    *err = NET_OK;
    *status = 200;
}
