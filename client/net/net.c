/* The network thread: one pthread owns a curl multi handle and runs every transfer.
 *
 * UI thread                          net thread
 *   net_request(): copy, lock,         loop: take the queue, add easy handles,
 *   append, unlock, wakeup  ------>     curl_multi_perform, collect finished ones,
 *                                       SDL_PushEvent(result), curl_multi_poll (sleeps
 *   SDL event <-----------------------  until a socket, a curl timer or a wakeup)
 *
 * libcurl initialisation: curl_global_init()/curl_global_cleanup() are reference-counted
 * and thread-safe since libcurl 7.84 (CURL_VERSION_THREADSAFE; Debian 12 ships 7.88 built
 * that way). So every net_create() takes a reference and net_destroy() drops it: no
 * pthread_once flag (which would be a mutable global) and main.c needs no curl call. */
#define LOG_TAG "net"

#include "net/net.h"

#include <SDL.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
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
#include "net/net_internal.h"

enum {
    NET_DEFAULT_TIMEOUT_MS = 10000,
    NET_DEFAULT_CONNECT_MS = 5000,
    NET_PATH_MAX = 2048,
    NET_HOST_CONNS = 4,       /* parallel connections to the one server we talk to */
    NET_IDLE_WAIT_MS = 60000, /* curl_multi_poll cap when idle; wakeups end it early */
};
#define NET_DEFAULT_MAX_BODY ((size_t)4 << 20)

const char *net_error_str(enum net_error e)
{
    switch (e) {
    case NET_OK: return "ok";
    case NET_ERR_TLS_VERIFY: return "tls-verify";
    case NET_ERR_CONNECT: return "connect";
    case NET_ERR_TIMEOUT: return "timeout";
    case NET_ERR_TOO_LARGE: return "too-large";
    case NET_ERR_CANCELLED: return "cancelled";
    case NET_ERR_OTHER: break;
    }
    return "other";
}

void net_result_free(struct net_result *r)
{
    if (!r)
        return;
    free(r->body);
    free(r);
}

void net_req_free(struct net_req *r)
{
    if (!r)
        return;
    if (r->easy)
        curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->hdrs); /* after the handle that used it */
    buf_fini(&r->resp);
    net_result_free(r->result);
    free(r->body);
    free(r->url);
    free(r->path);
    free(r);
}

/* Detail for the log; cutting it short is fine. */
static void set_message(struct net_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_message(struct net_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof(res->message), fmt, ap);
    va_end(ap);
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* ---- net thread ---------------------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct net_req *r = userdata;
    size_t n = size * nmemb;
    int rc = buf_append(&r->resp, data, n);
    if (rc == -E2BIG) {
        r->too_large = 1;
        return 0; /* anything but n aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (rc < 0) {
        r->no_mem = 1;
        return 0;
    }
    return n;
}

/* Case-insensitive search in a buffer that is not NUL-terminated. */
static int mem_has_ci(const char *data, size_t size, const char *word)
{
    size_t wlen = strlen(word);
    for (size_t i = 0; i + wlen <= size; i++) {
        if (strncasecmp(data + i, word, wlen) == 0)
            return 1;
    }
    return 0;
}

/* curl's verbose output at debug level. Only CURLINFO_TEXT: headers (which carry the
 * token) and data are never logged, and text lines that echo a header (curl's HTTP/2 code
 * does) are dropped when they mention the credentials. */
static int on_curl_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *userp)
{
    (void)easy;
    (void)userp;
    if (type != CURLINFO_TEXT || mem_has_ci(data, size, "authorization") ||
        mem_has_ci(data, size, "bearer"))
        return 0;
    log_debug("curl: %.*s", (int)(size > 512 ? 512 : size), data);
    return 0;
}

#define SETOPT(opt, val)                                                                   \
    do {                                                                                   \
        CURLcode setopt_rc_ = curl_easy_setopt(e, (opt), (val));                           \
        if (setopt_rc_ != CURLE_OK) {                                                      \
            snprintf(r->errbuf, sizeof(r->errbuf), "setting %s: %s", #opt,                 \
                     curl_easy_strerror(setopt_rc_));                                      \
            goto fail;                                                                     \
        }                                                                                  \
    } while (0)

/* Make the easy handle and add it to the multi. The connection settings are conn.c's:
 * the same for every transfer and for the event stream. */
int net_req_start(struct net *n, struct net_req *r)
{
    CURL *e = curl_easy_init();
    if (!e) {
        snprintf(r->errbuf, sizeof(r->errbuf), "curl_easy_init failed");
        return -ENOMEM;
    }
    r->easy = e;
    const char *refused = NULL;
    CURLcode crc = conn_setup(e, r->url, n->ca_file, n->connect_ms, &refused);
    if (crc != CURLE_OK) {
        snprintf(r->errbuf, sizeof(r->errbuf), "setting %s: %s", refused,
                 curl_easy_strerror(crc));
        goto fail;
    }
    SETOPT(CURLOPT_SHARE, n->share);
    SETOPT(CURLOPT_TIMEOUT_MS, n->timeout_ms);
    SETOPT(CURLOPT_HTTPHEADER, r->hdrs ? r->hdrs : r->body ? n->hdr_json : n->hdr_plain);
    SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)n->max_body);
    SETOPT(CURLOPT_WRITEFUNCTION, on_body);
    SETOPT(CURLOPT_WRITEDATA, r);
    SETOPT(CURLOPT_PRIVATE, r);
    SETOPT(CURLOPT_ERRORBUFFER, r->errbuf);
    if (strcmp(r->method, "GET") == 0) {
        SETOPT(CURLOPT_HTTPGET, 1L);
    } else {
        /* POST and PUT: the body (maybe empty) goes as-is, never as a form. */
        SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
        SETOPT(CURLOPT_POSTFIELDS, r->body ? r->body : "");
        if (strcmp(r->method, "POST") != 0)
            SETOPT(CURLOPT_CUSTOMREQUEST, r->method); /* PUT, DELETE */
    }
    if (log_get_level() >= LOG_DEBUG) {
        SETOPT(CURLOPT_DEBUGFUNCTION, on_curl_debug);
        SETOPT(CURLOPT_VERBOSE, 1L);
    }
    r->errbuf[0] = '\0';
    CURLMcode mc = curl_multi_add_handle(n->multi, e);
    if (mc != CURLM_OK) {
        snprintf(r->errbuf, sizeof(r->errbuf), "curl_multi_add_handle: %s",
                 curl_multi_strerror(mc));
        goto fail;
    }
    return 0;
fail:
    curl_easy_cleanup(e);
    r->easy = NULL;
    return -EIO;
}
#undef SETOPT

static enum net_error map_error(const struct net_req *r, CURLcode rc)
{
    if (r->too_large || rc == CURLE_FILESIZE_EXCEEDED)
        return NET_ERR_TOO_LARGE;
    if (r->no_mem)
        return NET_ERR_OTHER;
    switch (rc) {
    case CURLE_OK:
        return NET_OK;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return NET_ERR_TLS_VERIFY;
    case CURLE_SSL_CONNECT_ERROR: {
        /* A handshake failure is a verification failure when the chain check failed. */
        long verify = 0;
        if (curl_easy_getinfo(r->easy, CURLINFO_SSL_VERIFYRESULT, &verify) == CURLE_OK &&
            verify != 0)
            return NET_ERR_TLS_VERIFY;
        return NET_ERR_OTHER;
    }
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return NET_ERR_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return NET_ERR_TIMEOUT;
    default:
        return NET_ERR_OTHER;
    }
}

/* Hand the result to the UI thread. The request is freed either way. */
void net_req_post(struct net *n, struct net_req *r, enum net_error err, long status)
{
    net_offline_settle(n, r, &err, &status);
    struct net_result *res = r->result;
    r->result = NULL;
    res->serial = r->serial;
    res->kind = r->kind;
    res->error = err;
    res->http_status = status;
    if (err == NET_OK && !res->body) {
        res->body_len = r->resp.len;
        res->body = buf_steal(&r->resp);
        if (!res->body) {
            res->error = NET_ERR_OTHER;
            res->body_len = 0;
            set_message(res, "out of memory for the body");
        }
    }
    if (res->error == NET_OK)
        log_debug("%s %s -> %ld, %zu bytes, %ld ms", r->method, r->path, status, res->body_len,
                  elapsed_ms(&r->t0));
    else
        log_warn("%s %s failed (%s): %s", r->method, r->path, net_error_str(res->error),
                 res->message);

    /* Not pending any more once the event can be seen. */
    atomic_fetch_sub(&n->pending, 1);
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = n->event_type;
    ev.user.code = r->kind;
    ev.user.data1 = res;
    ev.user.data2 = n;
    if (SDL_PushEvent(&ev) != 1) {
        log_error("dropping the result of %s %s: SDL_PushEvent: %s", r->method, r->path,
                  SDL_GetError());
        net_result_free(res);
    }
    net_req_free(r);
}

void net_active_add(struct net *n, struct net_req *r)
{
    r->prev = NULL;
    r->next = n->active;
    if (n->active)
        n->active->prev = r;
    n->active = r;
}

static void active_remove(struct net *n, struct net_req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        n->active = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->next = r->prev = NULL;
}

static void start_queued(struct net *n)
{
    pthread_mutex_lock(&n->lock);
    struct net_req *list = n->queue_head;
    n->queue_head = n->queue_tail = NULL;
    pthread_mutex_unlock(&n->lock);

    while (list) {
        struct net_req *r = list;
        list = r->next;
        r->next = NULL;
        if (r->durable && n->off) {
            int rc = net_offline_accept(n, r);
            if (rc < 0) {
                set_message(r->result, "cannot keep the request in the outbox (%d)", rc);
                net_req_post(n, r, NET_ERR_OTHER, 0);
            }
            continue;
        }
        if (net_req_start(n, r) < 0) {
            set_message(r->result, "%s", r->errbuf);
            net_req_post(n, r, NET_ERR_OTHER, 0);
        } else {
            net_active_add(n, r);
        }
    }
}

static void collect_done(struct net *n)
{
    CURLMsg *msg;
    int left = 0;
    for (;;) {
        msg = curl_multi_info_read(n->multi, &left);
        if (!msg)
            break;
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *e = msg->easy_handle;
        CURLcode rc = msg->data.result; /* msg is invalid after remove_handle */
        char *priv = NULL;
        curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
        struct net_req *r = (struct net_req *)priv;
        curl_multi_remove_handle(n->multi, e);
        if (!r) {
            curl_easy_cleanup(e); /* cannot happen: every handle carries its request */
            continue;
        }
        active_remove(n, r);
        long status = 0;
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        enum net_error err = map_error(r, rc);
        if (err == NET_ERR_TOO_LARGE)
            set_message(r->result, "response body over the %zu-byte cap", n->max_body);
        else if (r->no_mem)
            set_message(r->result, "out of memory while reading the body");
        else if (err != NET_OK)
            set_message(r->result, "%s%s%s", curl_easy_strerror(rc), r->errbuf[0] ? ": " : "",
                        r->errbuf);
        net_req_post(n, r, err, status);
    }
}

/* Drop everything the multi still holds; nobody will read these results. */
static void cancel_active(struct net *n)
{
    while (n->active) {
        struct net_req *r = n->active;
        active_remove(n, r);
        curl_multi_remove_handle(n->multi, r->easy);
        log_debug("%s %s cancelled", r->method, r->path);
        atomic_fetch_sub(&n->pending, 1);
        net_req_free(r);
    }
}

static void *net_thread(void *arg)
{
    struct net *n = arg;
    prctl(PR_SET_NAME, "djtv-net", 0, 0, 0);
    while (!atomic_load(&n->abort)) {
        start_queued(n);
        net_offline_pump(n);
        int running = 0;
        CURLMcode mc = curl_multi_perform(n->multi, &running);
        if (mc != CURLM_OK)
            log_error("curl_multi_perform: %s", curl_multi_strerror(mc));
        collect_done(n);
        net_offline_pump(n);
        if (atomic_load(&n->abort))
            break;
        /* Sleeps until socket activity, curl's next timer, the outbox's next try, or
         * curl_multi_wakeup(). */
        long wait = net_offline_wait_ms(n);
        mc = curl_multi_poll(n->multi, NULL, 0,
                             wait >= 0 && wait < NET_IDLE_WAIT_MS ? (int)wait : NET_IDLE_WAIT_MS,
                             NULL);
        if (mc != CURLM_OK) {
            log_error("curl_multi_poll: %s", curl_multi_strerror(mc));
            struct timespec ts = { 0, 100 * 1000000L }; /* do not spin on a broken multi */
            nanosleep(&ts, NULL);
        }
    }
    cancel_active(n);
    SDL_TLSCleanup(); /* SDL keeps per-thread error state for threads it did not start */
    return NULL;
}

/* ---- UI thread side ------------------------------------------------------------------ */

static char *dup_str(const char *s)
{
    size_t len = strlen(s);
    char *p = malloc(len + 1);
    if (p)
        memcpy(p, s, len + 1);
    return p;
}

/* Accept / Authorization for every request, plus Content-Type for requests with a body.
 * "Expect:" turns off curl's 100-continue round trip for bodies. */
static int build_headers(struct net *n, const char *token)
{
    struct curl_slist *l = curl_slist_append(NULL, "Accept: application/json");
    if (!l)
        return -ENOMEM;
    n->hdr_plain = l;
    if (token && token[0]) {
        int rc = conn_add_bearer(&n->hdr_plain, token);
        if (rc < 0)
            return rc;
    }
    for (const struct curl_slist *it = n->hdr_plain; it; it = it->next) {
        l = curl_slist_append(n->hdr_json, it->data);
        if (!l)
            return -ENOMEM;
        n->hdr_json = l;
    }
    l = curl_slist_append(n->hdr_json, "Content-Type: application/json");
    if (!l)
        return -ENOMEM;
    n->hdr_json = l;
    l = curl_slist_append(n->hdr_json, "Expect:");
    if (!l)
        return -ENOMEM;
    n->hdr_json = l;
    return 0;
}

static int check_config(const struct net_config *cfg, uint32_t event_type)
{
    if (!cfg || !cfg->base_url || !cfg->ca_file || !cfg->ca_file[0]) {
        log_error("base_url and ca_file are required");
        return -EINVAL;
    }
    if (strncasecmp(cfg->base_url, "https://", 8) != 0 || !cfg->base_url[8] ||
        conn_has_ctl(cfg->base_url) || strchr(cfg->base_url, ' ')) {
        log_error("the server URL must be https://HOST[:PORT] (got \"%s\")", cfg->base_url);
        return -EINVAL;
    }
    if (cfg->token && conn_has_ctl(cfg->token)) {
        log_error("the token contains control characters"); /* never print it */
        return -EINVAL;
    }
    if (cfg->timeout_ms < 0 || cfg->connect_timeout_ms < 0) {
        log_error("negative timeout");
        return -EINVAL;
    }
    if (event_type < SDL_USEREVENT || event_type == (uint32_t)-1) {
        log_error("event type %u is not a registered SDL user event", event_type);
        return -EINVAL;
    }
    return 0;
}

struct net *net_create(const struct net_config *cfg, uint32_t event_type)
{
    if (check_config(cfg, event_type) < 0)
        return NULL;
    const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);
    if (!(vi->features & CURL_VERSION_THREADSAFE) || !(vi->features & CURL_VERSION_SSL)) {
        log_error("libcurl %s lacks thread-safe init or TLS", vi->version);
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_error("curl_global_init failed");
        return NULL;
    }
    int mutex_ok = 0;
    struct net *n = calloc(1, sizeof(*n));
    if (!n)
        goto fail;
    if (pthread_mutex_init(&n->lock, NULL) != 0) {
        free(n);
        n = NULL;
        goto fail;
    }
    mutex_ok = 1;
    n->base_url = dup_str(cfg->base_url);
    n->ca_file = dup_str(cfg->ca_file);
    if (!n->base_url || !n->ca_file)
        goto fail;
    size_t len = strlen(n->base_url);
    while (len > 8 && n->base_url[len - 1] == '/')
        n->base_url[--len] = '\0';
    n->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : NET_DEFAULT_TIMEOUT_MS;
    n->connect_ms = cfg->connect_timeout_ms;
    if (!n->connect_ms)
        n->connect_ms = n->timeout_ms < NET_DEFAULT_CONNECT_MS ? n->timeout_ms
                                                               : NET_DEFAULT_CONNECT_MS;
    n->max_body = cfg->max_body ? cfg->max_body : NET_DEFAULT_MAX_BODY;
    n->event_type = event_type;
    if (build_headers(n, cfg->token) < 0)
        goto fail;
    if (cfg->data_dir && cfg->data_dir[0] &&
        net_offline_open(n, cfg->data_dir, cfg->outbox_retry_ms) < 0)
        goto fail;

    n->share = curl_share_init();
    n->multi = curl_multi_init();
    if (!n->share || !n->multi)
        goto fail;
    /* Only the net thread touches the share, so it needs no lock callbacks. */
    if (curl_share_setopt(n->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK ||
        curl_share_setopt(n->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK)
        goto fail;
    curl_multi_setopt(n->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)NET_HOST_CONNS);
    /* The thread sleeps in curl_multi_poll; make sure it can be woken. */
    if (curl_multi_wakeup(n->multi) != CURLM_OK) {
        log_error("curl_multi_wakeup does not work here");
        goto fail;
    }

    int rc = conn_start_thread(&n->thread, net_thread, n);
    if (rc != 0) {
        log_error("pthread_create: %s", strerror(rc));
        goto fail;
    }
    log_info("server %s, CA %s, timeout %ld ms", n->base_url, n->ca_file, n->timeout_ms);
    return n;
fail:
    if (n) {
        if (n->multi)
            curl_multi_cleanup(n->multi);
        if (n->share)
            curl_share_cleanup(n->share);
        curl_slist_free_all(n->hdr_json);
        curl_slist_free_all(n->hdr_plain);
        net_offline_close(n);
        free(n->ca_file);
        free(n->base_url);
        if (mutex_ok)
            pthread_mutex_destroy(&n->lock);
        free(n);
    }
    curl_global_cleanup();
    log_error("could not start the network thread");
    return NULL;
}

/* SDL_FilterEvents callback: take this net's undelivered results out of SDL's queue. */
static int drop_own_events(void *userdata, SDL_Event *ev)
{
    struct net *n = userdata;
    if (ev->type == n->event_type && ev->user.data2 == n) {
        net_result_free(ev->user.data1);
        return 0;
    }
    return 1;
}

void net_destroy(struct net *n)
{
    if (!n)
        return;
    atomic_store(&n->abort, 1);
    curl_multi_wakeup(n->multi);
    pthread_join(n->thread, NULL); /* the thread has cancelled what was in flight */

    struct net_req *r = n->queue_head; /* queued after the thread's last look */
    n->queue_head = n->queue_tail = NULL;
    while (r) {
        struct net_req *next = r->next;
        net_req_free(r);
        r = next;
    }
    if (SDL_WasInit(SDL_INIT_EVENTS))
        SDL_FilterEvents(drop_own_events, n);

    net_offline_close(n); /* what the outbox holds stays on disk for the next start */
    curl_multi_cleanup(n->multi);
    curl_share_cleanup(n->share);
    curl_slist_free_all(n->hdr_json);
    curl_slist_free_all(n->hdr_plain);
    free(n->ca_file);
    free(n->base_url);
    pthread_mutex_destroy(&n->lock);
    free(n);
    curl_global_cleanup();
}

static int check_path(const char *path)
{
    if (path[0] != '/')
        return -EINVAL;
    size_t i = 0;
    for (; path[i]; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c <= 0x20 || c >= 0x7f || i >= NET_PATH_MAX)
            return -EINVAL; /* no spaces, controls or raw UTF-8: callers percent-encode */
    }
    return 0;
}

struct net_req *net_req_new(struct net *n, const char *method, const char *path,
                            const char *body, int kind)
{
    struct net_req *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    buf_init(&r->resp, n->max_body);
    snprintf(r->method, sizeof(r->method), "%s", method);
    r->kind = kind;
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    r->path = dup_str(path);
    r->result = calloc(1, sizeof(*r->result));
    size_t blen = strlen(n->base_url), plen = strlen(path);
    r->url = malloc(blen + plen + 1);
    if (!r->path || !r->result || !r->url)
        goto fail;
    memcpy(r->url, n->base_url, blen);
    memcpy(r->url + blen, path, plen + 1);
    if (body) {
        r->body = dup_str(body);
        if (!r->body)
            goto fail;
        r->body_len = strlen(body);
    }
    return r;
fail:
    net_req_free(r);
    return NULL;
}

uint64_t net_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* The headers of a request made as a person: Accept, their bearer token, and for a body
 * Content-Type (and no 100-continue). */
static struct curl_slist *person_headers(const char *bearer, int with_body)
{
    struct curl_slist *l = curl_slist_append(NULL, "Accept: application/json");
    if (!l || conn_add_bearer(&l, bearer) < 0)
        goto fail;
    if (with_body) {
        struct curl_slist *next = curl_slist_append(l, "Content-Type: application/json");
        if (!next)
            goto fail;
        l = next;
        next = curl_slist_append(l, "Expect:");
        if (!next)
            goto fail;
        l = next;
    }
    return l;
fail:
    curl_slist_free_all(l);
    return NULL;
}

static int64_t enqueue(struct net *n, const char *method, const char *path, const char *body,
                       int kind, int durable, int key_in_body, const char *bearer)
{
    if (!n || !method || !path)
        return -EINVAL;
    int is_get = strcmp(method, "GET") == 0, is_delete = strcmp(method, "DELETE") == 0;
    if (!is_get && !is_delete && strcmp(method, "POST") != 0 && strcmp(method, "PUT") != 0)
        return -EINVAL;
    if (((is_get || is_delete) && (body || durable)) || (is_delete && !bearer) ||
        check_path(path) < 0)
        return -EINVAL; /* DELETE only as a person (logging a session out) */
    if (bearer && (durable || !bearer[0] || conn_has_ctl(bearer)))
        return -EINVAL;
    if (atomic_fetch_add(&n->pending, 1) >= NET_MAX_PENDING) {
        atomic_fetch_sub(&n->pending, 1);
        return -EAGAIN;
    }
    struct net_req *r = net_req_new(n, method, path, body, kind);
    if (!r) {
        atomic_fetch_sub(&n->pending, 1);
        return -ENOMEM;
    }
    r->durable = durable;
    r->key_in_body = key_in_body;
    if (bearer) {
        r->personal = 1;
        r->hdrs = person_headers(bearer, body != NULL);
        if (!r->hdrs) {
            net_req_free(r);
            atomic_fetch_sub(&n->pending, 1);
            return -ENOMEM;
        }
    }

    pthread_mutex_lock(&n->lock);
    r->serial = ++n->next_serial;
    if (n->queue_tail)
        n->queue_tail->next = r;
    else
        n->queue_head = r;
    n->queue_tail = r;
    int64_t serial = r->serial;
    pthread_mutex_unlock(&n->lock);

    curl_multi_wakeup(n->multi); /* checked to work in net_create() */
    return serial;
}

int64_t net_request(struct net *n, const char *method, const char *path, const char *body,
                    int kind)
{
    return enqueue(n, method, path, body, kind, 0, 0, NULL);
}

int64_t net_request_as(struct net *n, const char *method, const char *path, const char *body,
                       int kind, const char *bearer)
{
    if (!bearer)
        return -EINVAL;
    return enqueue(n, method, path, body, kind, 0, 0, bearer);
}

int64_t net_request_durable(struct net *n, const char *method, const char *path,
                            const char *body, int kind, int key_in_body)
{
    return enqueue(n, method, path, body, kind, 1, key_in_body, NULL);
}

int net_outbox_waiting(const struct net *n)
{
    return n ? atomic_load(&n->outbox_n) : 0;
}

int net_pending(const struct net *n)
{
    return n ? atomic_load(&n->pending) : 0;
}
