/* libmicrohttpd glue. Every request is matched once by the router (http/router.h), passes the
 * one gate (http/adapter.c: routing errors, cross-site changes, authentication, rate limit,
 * access level), and is then answered as its route says: JSON from a handler, an event stream,
 * a file, a publisher's upload, or a staff upload's body streamed to disk. Headers every reply
 * carries are added in one place (route_headers), and every reply is logged through adapter_log.
 *
 * libmicrohttpd settings follow tests/bench/METHOD.md: epoll with an internal thread
 * pool of #cores, suspend/resume allowed (the writer thread of the next issue answers after
 * COMMIT), TLS 1.2+ only, and the reply is queued on the *second* call of the access handler:
 * queueing on the first call makes MHD close the connection after the reply (no keep-alive, a
 * full TLS handshake per request, 40x slower). */
#define LOG_TAG "http"
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "events/events.h"
#include "http/adapter.h"
#include "http/dashboard.h"
#include "http/websession.h"
#include "http/sse.h"
#include "http/router.h"
#include "live/live.h"
#include "log.h"
#include "media/segcache.h"
#include "media/serve.h"
#include "upload/upload.h"
#include "util/fileio.h"

/* TLS 1.3 and 1.2 only; GnuTLS's NORMAL set of ciphers otherwise. */
static const char TLS_PRIORITIES[] = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
static const char OOM_BODY[] = "{\"code\":\"internal\",\"message\":\"out of memory\"}";

enum {
    PEM_MAX = 1024 * 1024,
    DEFAULT_IDLE_TIMEOUT = 90,
    CONN_LIMIT_MAX = 20000,
    FD_RESERVE = 64, /* files kept free for the database, logs and the listen socket */
    STREAM_DRAIN_MS = 1000, /* at shutdown, how long event streams get to end cleanly */
    REPLY_DRAIN_MS = 5000,  /* at shutdown, how long committed writes get to be answered */
    STREAMS_WANTED = 1000,  /* event streams a township server must hold (the floor) */
};

struct http_server {
    struct MHD_Daemon *daemon;   /* owned */
    const struct router *router; /* borrowed */
    struct store *store;         /* borrowed */
    struct events *events;       /* owned: the event hub of GET /api/v1/events */
    const struct api_limits *limits; /* borrowed: rate limits (http_server_config) */
    char *cert;                  /* owned PEM; MHD reads it for the daemon's lifetime */
    char *key;                   /* owned PEM; wiped before it is freed */
    size_t key_len;
    int port;
    atomic_int stopping;         /* no new deferred writes */
    atomic_int parked;           /* connections suspended for a deferred write */
    atomic_int owed;             /* parked requests whose answer has not gone out yet */
    const char *media_root;      /* borrowed: served under /media/ (media/serve.c); may be NULL */
    struct live *live;           /* borrowed: publishers' uploads under /live/; may be NULL */
    const char *web_root;        /* borrowed: the dashboard's files; may be NULL */
    const char *node_modules;    /* borrowed: ECharts for the dashboard; may be NULL */
    struct websession *web;      /* owned: the idle clock of dashboard cookie sessions */
    struct uploads *uploads;     /* borrowed: staff's file uploads; may be NULL */
    struct segcache *segments;   /* owned: media segments kept in memory as responses */
};

/* Per-request state, from the first handler call to MHD's completion callback. */
struct req_state {
    struct buf body;
    int too_large;
    struct route_match match;    /* the route, matched on the first call */
    int match_rc;                /* router_match's result */
    size_t tail_off;             /* match.tail as an offset into the URL */
    /* The upload jobs for the API, and a SERVE_UPLOAD route's file (its fd is owned from the
     * handler's open until uploads_received). */
    struct api_upload up;
    enum {
        FILE_NONE,      /* not a SERVE_UPLOAD route, or refused before its body: answered */
        FILE_WRITING,   /* the body goes into up.fd */
        FILE_DROPPING,  /* over the bound or a write error: the rest is read and dropped */
    } file;
    int64_t received;            /* FILE_*: body bytes so far */
    int file_rc;                 /* FILE_DROPPING: why, the error answered at the body's end */
    struct caller who;           /* FILE_*: who sends it (for the access log) */
    /* A deferred write: the connection is suspended from submit until the writer's commit. */
    enum { PHASE_NONE, PHASE_PARKED, PHASE_DONE } phase;
    int owes;                    /* parked once: counted in srv->owed until MHD completes it */
    int job_rc;                  /* the job's result, set by the writer before it resumes */
    struct http_server *srv;     /* borrowed */
    struct MHD_Connection *conn; /* borrowed */
    struct adapter_output out;   /* the parked job, later the reply */
};

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    /* MHD reports client-side TLS failures and disconnects here; useful, not errors of ours. */
    log_vmsg(LOG_INFO, "mhd", fmt, ap);
}

static void add_header(struct MHD_Response *r, const char *name, const char *value)
{
    if (MHD_add_response_header(r, name, value) != MHD_YES)
        log_warn("could not add header %s", name);
}

/* What every reply carries, added once: no type sniffing; a browser page's replies (errors
 * too) carry its Content-Security-Policy and framing rules. No CORS headers: the dashboard is
 * same-origin, and other sites' pages get nothing they may read. */
static void route_headers(struct MHD_Response *r, int page)
{
    add_header(r, "X-Content-Type-Options", "nosniff");
    if (page)
        dashboard_headers(r);
}

static enum MHD_Result send_output(struct MHD_Connection *conn, struct adapter_output *o)
{
    struct MHD_Response *r;
    unsigned status = (unsigned)o->status;
    if (o->body) {
        r = MHD_create_response_from_buffer(o->body_len, o->body, MHD_RESPMEM_MUST_FREE);
        if (r)
            o->body = NULL; /* MHD frees it now */
    } else {
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        r = MHD_create_response_from_buffer(sizeof(OOM_BODY) - 1, (void *)OOM_BODY,
                                            MHD_RESPMEM_PERSISTENT);
    }
    adapter_output_fini(o);
    if (!r)
        return MHD_NO;
    add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
               o->content_type[0] ? o->content_type : "application/json; charset=utf-8");
    if (o->disposition[0])
        add_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, o->disposition);
    if (o->set_cookie[0])
        add_header(r, MHD_HTTP_HEADER_SET_COOKIE, o->set_cookie);
    add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    route_headers(r, o->page);
    if (o->allow[0])
        add_header(r, MHD_HTTP_HEADER_ALLOW, o->allow);
    if (o->www_authenticate)
        add_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"djtv\"");
    if (o->retry_after) {
        char secs[16];
        snprintf(secs, sizeof(secs), "%d", o->retry_after);
        add_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* On the writer thread: the handler's parked write. */
static int job_run(struct store_tx *tx, void *arg)
{
    struct req_state *st = arg;
    return st->out.job.run(tx, st->out.job.arg);
}

/* The writer thread committed (or failed) a parked request's job: wake its connection. ST may be
 * freed by an HTTP thread as soon as the connection is resumed, so it is not touched after. */
static void job_done(void *arg, int rc)
{
    struct req_state *st = arg;
    struct http_server *srv = st->srv;
    struct MHD_Connection *conn = st->conn;
    st->job_rc = rc;
    st->phase = PHASE_DONE;
    MHD_resume_connection(conn);
    atomic_fetch_sub(&srv->parked, 1);
}

/* Hand the handler's parked write to the store's writer and suspend the connection until the
 * commit (the handler is called again on resume and replies). Suspend comes first so that the
 * resume can never precede it. */
static enum MHD_Result park(struct http_server *srv, struct MHD_Connection *conn,
                            struct req_state *st)
{
    st->srv = srv;
    st->conn = conn;
    st->phase = PHASE_PARKED;
    st->owes = 1;
    atomic_fetch_add(&srv->owed, 1);
    MHD_suspend_connection(conn);
    int rc = store_submit(srv->store, job_run, job_done, st);
    if (rc < 0) {
        /* Queue full (503 + Retry-After) or closing: answer at once. */
        st->job_rc = rc;
        st->phase = PHASE_DONE;
        MHD_resume_connection(conn);
        atomic_fetch_sub(&srv->parked, 1);
    }
    return MHD_YES;
}

/* One argument of the query string into the adapter's input (MHD has decoded it). */
static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    adapter_query_add(cls, key, value);
    return MHD_YES;
}

/* The client's IP address as text, for the per-address login limit ("" when unknown). */
static void client_addr(struct MHD_Connection *conn, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    out[0] = '\0';
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
}

/* A reply the gate let through (adapter_dispatch said which kind) and that is not an API
 * handler's: what the HTTP layer needs to make and log it. */
struct served {
    struct http_server *srv;      /* borrowed */
    struct MHD_Connection *conn;  /* borrowed */
    const struct adapter_input *in;
    const struct adapter_output *gate; /* who asked, and the route's header rules */
    struct req_state *st;
};

/* An error reply for RC (< 0), JSON as on every route, logged. */
static enum MHD_Result send_error(const struct served *sv, int rc)
{
    struct adapter_output out;
    adapter_error(rc, &out);
    out.page = sv->gate->page;
    adapter_log(sv->in, out.status, out.code, rc, &sv->gate->who);
    return send_output(sv->conn, &out);
}

/* A file reply (media/serve.c, http/dashboard.c): RC 0 queues R (a file, 304, 301...) with
 * STATUS; a negative RC is the usual JSON error. */
static enum MHD_Result send_file_reply(const struct served *sv, int rc, struct MHD_Response *r,
                                       unsigned status)
{
    if (rc < 0)
        return send_error(sv, rc);
    adapter_log(sv->in, (int)status, "ok", 0, &sv->gate->who);
    if (!r)
        return MHD_YES; /* a shared response from the segment cache, already queued */
    route_headers(r, sv->gate->page);
    enum MHD_Result ret = MHD_queue_response(sv->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* GET/HEAD /media/{path} and /live/{id}/{file} (the media root's live/{id}/). */
static enum MHD_Result serve_media(const struct served *sv)
{
    const struct route_match *m = &sv->st->match;
    char rel[1100];
    const char *tail = m->tail ? m->tail : "";
    if (m->entry->serve == SERVE_LIVE) {
        int n = snprintf(rel, sizeof(rel), "live/%s/%s", m->params[0].value, tail);
        if (n < 0 || (size_t)n >= sizeof(rel))
            return send_error(sv, -EINVAL);
        tail = rel;
    }
    struct media_request mr = {
        .root = sv->srv->media_root,
        .method = sv->in->method,
        .rel = tail,
        .range = MHD_lookup_connection_value(sv->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE),
        .conn = sv->conn,
        .cache = sv->srv->segments,
    };
    struct MHD_Response *r = NULL;
    unsigned status = 0;
    int rc = media_serve(&mr, &r, &status);
    return send_file_reply(sv, rc, r, status);
}

/* A publisher's upload (live/live.h): the JSON reply it gets. */
static enum MHD_Result send_live(struct MHD_Connection *conn, const struct adapter_input *in,
                                 const struct live_reply *lr)
{
    struct adapter_output out;
    memset(&out, 0, sizeof(out));
    out.status = lr->status;
    out.body_len = strlen(lr->body);
    out.body = malloc(out.body_len + 1);
    if (out.body)
        memcpy(out.body, lr->body, out.body_len + 1);
    out.retry_after = lr->retry_after;
    out.www_authenticate = lr->status == 401;
    adapter_log(in, lr->status, lr->code, 0, NULL);
    return send_output(conn, &out);
}

static void live_put_from(struct MHD_Connection *conn, const char *url, struct live_put *put)
{
    *put = (struct live_put){
        .path = url,
        .authorization =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
        .duration = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Segment-Duration"),
        .discontinuity = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Discontinuity"),
        .multicast = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Multicast"),
        .now = time(NULL),
    };
}

/* PUT/POST /live/{id}/seg{N}.ts (the segment is stored) and GET /live/{id}/publisher (where
 * the recording ends): live/ checks the publishing key. */
static enum MHD_Result publish(const struct served *sv)
{
    if (!sv->srv->live)
        return send_error(sv, -ENOENT);
    struct live_put put;
    struct live_reply lr;
    live_put_from(sv->conn, sv->in->path, &put);
    put.body = (const uint8_t *)sv->st->body.data;
    put.len = sv->st->body.len;
    if (sv->st->match.entry->serve == SERVE_PUBLISHER)
        live_publisher_state(sv->srv->live, &put, &lr);
    else
        live_publish(sv->srv->live, &put, &lr);
    return send_live(sv->conn, sv->in, &lr);
}

static const char *header_of(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* GET/HEAD /dashboard and /dashboard/{file}: a file of the dashboard. */
static enum MHD_Result serve_dashboard(const struct served *sv)
{
    struct dashboard_request dr = {
        .root = sv->srv->web_root,
        .node_modules = sv->srv->node_modules,
        .method = sv->in->method,
        .rel = sv->st->match.tail,
        .if_modified_since = header_of(sv->conn, MHD_HTTP_HEADER_IF_MODIFIED_SINCE),
    };
    struct MHD_Response *r = NULL;
    unsigned status = 0;
    int rc = dashboard_serve(&dr, &r, &status);
    return send_file_reply(sv, rc, r, status);
}

/* GET /api/v1/events: the gate let WHO in; stream (http/sse.c). */
static enum MHD_Result serve_events(const struct served *sv)
{
    const char *last = header_of(sv->conn, "Last-Event-ID");
    int rc = sse_queue(sv->conn, sv->srv->events, &sv->gate->who, last);
    if (rc == 0)
        return MHD_YES;
    return send_error(sv, rc == -ESHUTDOWN ? -EAGAIN : rc);
}

static enum MHD_Result dispatch(struct http_server *srv, struct MHD_Connection *conn,
                                const char *url, const char *method, struct req_state *st)
{
    if (st->match.tail)
        st->match.tail = url + st->tail_off;
    /* Count ourselves as parked before looking at stopping: http_server_stop sets stopping and
     * then waits for parked == 0, so either it sees us or we see it. */
    atomic_fetch_add(&srv->parked, 1);
    int can_defer = !atomic_load(&srv->stopping);
    struct adapter_input in = {
        .method = method,
        .path = url,
        .authorization =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
        .body = st->body.data,
        .body_len = st->body.len,
        .body_too_large = st->too_large,
        .now = time(NULL),
        .events = srv->events,
        .can_defer = can_defer,
        .limits = srv->limits,
        .cookie = header_of(conn, MHD_HTTP_HEADER_COOKIE),
        .origin = header_of(conn, MHD_HTTP_HEADER_ORIGIN),
        .host = header_of(conn, MHD_HTTP_HEADER_HOST),
        .sec_fetch_site = header_of(conn, "Sec-Fetch-Site"),
        .csrf = header_of(conn, WEBSESSION_CSRF_HEADER),
        .user_agent = header_of(conn, MHD_HTTP_HEADER_USER_AGENT),
        .web = srv->web,
        .match = &st->match,
        .match_rc = st->match_rc,
        .upload = &st->up,
    };
    char addr[INET6_ADDRSTRLEN];
    client_addr(conn, addr, sizeof(addr));
    in.client_addr = addr[0] ? addr : NULL;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_arg, &in);
    struct adapter_output out;
    adapter_dispatch(srv->router, srv->store, &in, &out);
    if (out.deferred) {
        st->out = out;
        return park(srv, conn, st);
    }
    atomic_fetch_sub(&srv->parked, 1);
    struct served sv = { srv, conn, &in, &out, st };
    switch (out.serve) {
    case SERVE_API:
        break;
    case SERVE_EVENTS:
        return serve_events(&sv);
    case SERVE_MEDIA:
    case SERVE_LIVE:
        return serve_media(&sv);
    case SERVE_PUBLISH:
    case SERVE_PUBLISHER:
        return publish(&sv);
    case SERVE_DASHBOARD:
        return serve_dashboard(&sv);
    case SERVE_UPLOAD:
        /* The handler opened the file: the body streams into it, answered at its end. */
        st->file = FILE_WRITING;
        st->who = out.who;
        return MHD_YES;
    }
    return send_output(conn, &out);
}

/* 1 when a Content-Length header announces more than LIMIT. */
static int announced_too_large(struct MHD_Connection *conn, unsigned long long limit)
{
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl)
        return 0;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    return errno != 0 || end == cl || n > limit;
}

/* A file upload's body chunk: written while within the job's announced size and the route's
 * bound. Past either, or on a write error, the job fails and its partial file goes at once; the
 * rest of the body is read and dropped, and the error is the answer at its end (as for an
 * oversized JSON body: MHD cannot answer in the middle of a body). */
static void file_chunk(struct http_server *srv, struct req_state *st, const char *data, size_t n)
{
    st->received += (int64_t)n;
    if (st->file != FILE_WRITING)
        return;
    int rc = uploads_progress(srv->uploads, st->up.id, st->received);
    if (rc == 0 && (uint64_t)st->received > (uint64_t)router_body_max(&st->match))
        rc = -E2BIG;
    for (size_t done = 0; rc == 0 && done < n;) {
        ssize_t w = write(st->up.fd, data + done, n - done);
        if (w < 0 && errno != EINTR)
            rc = -errno;
        else if (w > 0)
            done += (size_t)w;
    }
    if (rc < 0) {
        st->file_rc = uploads_received(srv->uploads, st->up.id, st->up.fd, rc);
        st->up.fd = -1;
        st->file = FILE_DROPPING;
    }
}

/* The upload's body has ended: the job is queued for conversion, or the error that stopped it. */
static enum MHD_Result file_end(struct http_server *srv, struct MHD_Connection *conn,
                                const char *url, const char *method, struct req_state *st)
{
    int rc = st->file_rc;
    if (st->file == FILE_WRITING) {
        rc = uploads_received(srv->uploads, st->up.id, st->up.fd, 0);
        st->up.fd = -1;
    }
    st->file = FILE_NONE;
    struct adapter_input in = { .method = method, .path = url };
    struct adapter_output out;
    if (rc < 0) {
        /* Short of the announced size: a bad request; over it: too large; a full disk: 507. */
        adapter_error(rc == -EPIPE ? -EINVAL : rc == -E2BIG || rc == -ENOSPC ? rc : -EIO, &out);
    } else {
        memset(&out, 0, sizeof(out));
        char body[96];
        int n = snprintf(body, sizeof(body), "{\"id\":%lld,\"state\":\"queued\"}",
                         (long long)st->up.id);
        out.status = 200;
        out.code = "ok";
        out.body = malloc((size_t)n + 1);
        if (out.body)
            memcpy(out.body, body, (size_t)n + 1);
        out.body_len = (size_t)n;
    }
    adapter_log(&in, out.status, out.code, rc, &st->who);
    return send_output(conn, &out);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct http_server *srv = cls;
    struct req_state *st = *con_cls;
    if (st && st->phase != PHASE_NONE) {
        if (st->phase == PHASE_PARKED)
            return MHD_YES; /* not ours to answer yet (MHD should not call while suspended) */
        struct adapter_input in = { .method = method, .path = url };
        adapter_finish(&in, &st->out, st->job_rc);
        st->phase = PHASE_NONE;
        return send_output(conn, &st->out);
    }
    if (!st) {
        /* First call: headers only. Do not reply yet (keep-alive, see the top of the file). */
        st = calloc(1, sizeof(*st));
        if (!st)
            return MHD_NO;
        *con_cls = st;
        st->match_rc = router_match(srv->router, method, url, &st->match);
        if (st->match.tail)
            st->tail_off = (size_t)(st->match.tail - url);
        size_t body_max = router_body_max(&st->match);
        buf_init(&st->body, body_max);
        st->up = (struct api_upload){ .uploads = srv->uploads, .length = -1, .fd = -1 };
        const char *cl = header_of(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl)
            st->up.length = strtoll(cl, NULL, 10);
        if (announced_too_large(conn, body_max)) {
            /* Replying before the body is read closes the connection: what we want here. */
            st->too_large = 1;
            return dispatch(srv, conn, url, method, st);
        }
        if (st->match_rc == 0 && st->match.entry->serve == SERVE_PUBLISH && srv->live) {
            /* A segment: a wrong key or an ended broadcast is refused before the body is read
             * (the reply then closes the connection). */
            struct live_put put;
            struct live_reply lr;
            live_put_from(conn, url, &put);
            struct adapter_input in = { .method = method, .path = url };
            if (live_publish_check(srv->live, &put, &lr) < 0)
                return send_live(conn, &in, &lr);
        }
        if (st->match_rc == 0 && st->match.entry->serve == SERVE_UPLOAD) {
            /* Who may send this file, and whether it fits, is decided before its body is read:
             * a refusal is answered now and closes the connection. */
            return dispatch(srv, conn, url, method, st);
        }
        return MHD_YES;
    }
    if (st->match_rc == 0 && st->match.entry->serve == SERVE_UPLOAD) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (st->file == FILE_NONE)
            return MHD_YES; /* refused before the body: answered already */
        if (n) {
            file_chunk(srv, st, upload_data, n);
            return MHD_YES;
        }
        return file_end(srv, conn, url, method, st);
    }
    if (*upload_data_size) {
        if (!st->too_large && buf_append(&st->body, upload_data, *upload_data_size) < 0) {
            st->too_large = 1; /* keep reading (and dropping) the rest, answer 413 at the end */
            buf_fini(&st->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(srv, conn, url, method, st);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct req_state *st = *con_cls;
    if (!st)
        return;
    if (st->phase == PHASE_PARKED) {
        /* Cannot happen: MHD does not end suspended connections. Leak rather than free what
         * the writer thread still uses. */
        log_error("request ended while its write was pending");
        *con_cls = NULL;
        return;
    }
    if (st->owes) /* its answer is sent (or its client is gone) */
        atomic_fetch_sub(&st->srv->owed, 1);
    if (st->file == FILE_WRITING) /* the client went away in the middle of its file */
        uploads_received(st->up.uploads, st->up.id, st->up.fd, -ECONNABORTED);
    adapter_drop(&st->out);
    buf_fini(&st->body);
    free(st);
    *con_cls = NULL;
}

/* Parse the certificate and key with GnuTLS first, for a clear message when they are wrong
 * (MHD only says it could not start). */
static int check_credentials(const struct http_server *srv, const struct http_server_config *c)
{
    gnutls_certificate_credentials_t cred;
    if (gnutls_certificate_allocate_credentials(&cred) < 0)
        return -ENOMEM;
    gnutls_datum_t cert = { (unsigned char *)srv->cert, (unsigned)strlen(srv->cert) };
    gnutls_datum_t key = { (unsigned char *)srv->key, (unsigned)srv->key_len };
    int rc = gnutls_certificate_set_x509_key_mem(cred, &cert, &key, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(cred);
    if (rc < 0) {
        log_error("certificate %s / key %s: %s", c->cert_path, c->key_path, gnutls_strerror(rc));
        return -EINVAL;
    }
    return 0;
}

static int load_pem(const char *what, const char *path, char **out, size_t *len)
{
    int rc = fileio_read(path, PEM_MAX, out, len);
    if (rc < 0)
        log_error("cannot read %s %s: %s", what, path, strerror(-rc));
    return rc;
}

static unsigned conn_limit(unsigned wanted)
{
    struct rlimit rl;
    unsigned limit = CONN_LIMIT_MAX;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        unsigned fit = rl.rlim_cur > FD_RESERVE * 2 ? (unsigned)rl.rlim_cur - FD_RESERVE
                                                    : FD_RESERVE;
        if (fit < limit)
            limit = fit;
    }
    /* Every box holds an event stream open: say so when a fleet cannot fit. */
    if (limit < STREAMS_WANTED && !wanted)
        log_warn("only %u connections fit the open-file limit (ulimit -n): fewer than %d "
                 "boxes can keep their event stream open", limit, STREAMS_WANTED);
    return wanted && wanted < limit ? wanted : limit;
}

static void server_free(struct http_server *srv)
{
    if (!srv)
        return;
    /* MHD must not be stopped with suspended connections: let parked writes finish (the writer
     * runs until the store closes, after us), then end the event streams (their connections are
     * resumed and finish their reply). */
    atomic_store(&srv->stopping, 1);
    while (atomic_load(&srv->parked) > 0)
        nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    /* A committed write is answered before MHD stops: its connection was resumed, but its
     * reply goes out on an HTTP thread a moment later (bounded: a client that reads nothing
     * does not hold the shutdown). */
    for (int i = 0; i < REPLY_DRAIN_MS / 5 && atomic_load(&srv->owed) > 0; i++)
        nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    events_shutdown(srv->events);
    if (srv->daemon && srv->events) {
        /* Give the woken streams a moment to send their last chunk, so clients see a clean
         * end of stream rather than a reset. */
        struct events_stats es;
        for (int i = 0; i < STREAM_DRAIN_MS / 10; i++) {
            events_stats(srv->events, &es);
            if (es.streams == 0)
                break;
            nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
        }
    }
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
    events_destroy(srv->events);
    segcache_destroy(srv->segments);
    websession_destroy(srv->web);
    free(srv->cert);
    if (srv->key) {
        sodium_memzero(srv->key, srv->key_len);
        free(srv->key);
    }
    free(srv);
}

int http_server_start(const struct http_server_config *cfg, const struct router *router,
                      struct store *store, struct http_server **out)
{
    *out = NULL;
    union {
        struct sockaddr sa;
        struct sockaddr_in in4;
        struct sockaddr_in6 in6;
    } addr;
    memset(&addr, 0, sizeof(addr));
    unsigned flags = MHD_USE_TLS | MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    if (cfg->port < 0 || cfg->port > 65535 || cfg->threads < 1)
        return -EINVAL;
    if (inet_pton(AF_INET, cfg->listen, &addr.in4.sin_addr) == 1) {
        addr.in4.sin_family = AF_INET;
        addr.in4.sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, cfg->listen, &addr.in6.sin6_addr) == 1) {
        addr.in6.sin6_family = AF_INET6;
        addr.in6.sin6_port = htons((uint16_t)cfg->port);
        flags |= MHD_USE_IPv6;
    } else {
        log_error("listen address %s is not a numeric IPv4 or IPv6 address", cfg->listen);
        return -EINVAL;
    }

    struct http_server *srv = calloc(1, sizeof(*srv));
    if (!srv)
        return -ENOMEM;
    srv->router = router;
    srv->store = store;
    srv->limits = cfg->limits;
    srv->media_root = cfg->media_root;
    srv->live = cfg->live;
    srv->web_root = cfg->web_root;
    srv->node_modules = cfg->node_modules;
    srv->uploads = cfg->uploads;
    int rc = websession_create(cfg->web_idle > 0 ? cfg->web_idle : WEBSESSION_IDLE_DEFAULT,
                               &srv->web);
    if (rc == 0)
        rc = segcache_create((size_t)SEGCACHE_MB_DEFAULT * 1024 * 1024, &srv->segments);
    if (rc == 0)
        rc = load_pem("certificate", cfg->cert_path, &srv->cert, NULL);
    if (rc == 0)
        rc = load_pem("key", cfg->key_path, &srv->key, &srv->key_len);
    if (rc == 0)
        rc = check_credentials(srv, cfg);
    if (rc == 0)
        rc = events_create(cfg->keepalive_ms, &srv->events);
    if (rc == 0 && cfg->limits)
        events_set_stream_cap(srv->events, cfg->limits->streams_per_token);
    if (rc < 0)
        goto fail;

    unsigned limit = conn_limit(cfg->conn_limit);
    unsigned timeout = cfg->idle_timeout ? cfg->idle_timeout : DEFAULT_IDLE_TIMEOUT;
    struct MHD_OptionItem opts[] = {
        /* The logger goes first so that start-up errors reach our log too. */
        { MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL },
        { MHD_OPTION_SOCK_ADDR, 0, &addr.sa },
        { MHD_OPTION_HTTPS_MEM_CERT, 0, srv->cert },
        { MHD_OPTION_HTTPS_MEM_KEY, 0, srv->key },
        { MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES },
        { MHD_OPTION_CONNECTION_LIMIT, (intptr_t)limit, NULL },
        { MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)timeout, NULL },
        { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL },
        /* A pool of 1 is plain internal-thread mode; MHD wants the option only for > 1. */
        { cfg->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
          (intptr_t)cfg->threads, NULL },
        { MHD_OPTION_END, 0, NULL },
    };
    errno = 0;
    srv->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_request, srv,
                                   MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!srv->daemon) {
        rc = errno ? -errno : -EIO;
        log_error("could not listen on %s port %d: %s", cfg->listen, cfg->port, strerror(-rc));
        goto fail;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : cfg->port;
    log_info("TLS listener: %d thread(s), up to %u connections, idle timeout %u s",
              cfg->threads, limit, timeout);
    *out = srv;
    return 0;

fail:
    server_free(srv);
    return rc;
}

int http_server_port(const struct http_server *srv)
{
    return srv->port;
}

void http_server_stop(struct http_server *srv)
{
    server_free(srv);
}

struct events *http_server_events(struct http_server *srv)
{
    return srv->events;
}
