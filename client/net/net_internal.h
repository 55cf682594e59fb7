/* Internals shared by the network thread's files (net.c, net_offline.c). Not for the UI. */
#ifndef DJTV_NET_INTERNAL_H
#define DJTV_NET_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "buf.h"
#include "net/net.h"

struct offline;

/* One request from net_request() until its result is posted or dropped. */
struct net_req {
    struct net_req *next; /* queue link (under net.lock), then active list (thread only) */
    struct net_req *prev; /* active list only */
    int64_t serial;
    int kind;
    char method[8];
    char *path;                /* owned, for the log */
    char *url;                 /* owned */
    char *body;                /* owned, NULL = no body */
    size_t body_len;
    struct net_result *result; /* owned until posted; allocated up front so posting cannot fail */
    CURL *easy;                /* owned, net thread only */
    struct buf resp;           /* owned, capped at max_body */
    int too_large;             /* the write callback hit the cap */
    int no_mem;                /* the write callback could not grow the buffer */
    struct timespec t0;
    char errbuf[CURL_ERROR_SIZE];
    /* Offline (net_offline.c). */
    int durable;               /* keep in the outbox until the server answers */
    int key_in_body;           /* the idempotency key also goes into the JSON body */
    int64_t outbox_id;         /* the outbox entry this transfer sends; 0 = none */
    struct curl_slist *hdrs;   /* owned: headers of an outbox send (with Idempotency-Key), or
                                * of a request made as a person (net_request_as) */
    int personal;              /* made as a person: never cached on disk, never queued */
};

/* Fields above `lock` are set in net_create() and read-only afterwards. */
struct net {
    char *base_url;               /* owned, without trailing '/' */
    char *ca_file;                /* owned */
    long timeout_ms, connect_ms;
    size_t max_body;
    uint32_t event_type;
    struct curl_slist *hdr_plain; /* owned: Accept (+ Authorization); holds the token */
    struct curl_slist *hdr_json;  /* owned: the above + Content-Type for bodies */
    CURLM *multi;                 /* owned; net thread only, except curl_multi_wakeup() */
    CURLSH *share;                /* owned; TLS sessions + DNS, net thread only */
    pthread_t thread;

    pthread_mutex_t lock;         /* guards queue_head, queue_tail, next_serial */
    struct net_req *queue_head, *queue_tail;
    int64_t next_serial;

    struct net_req *active;       /* net thread only: transfers in the multi */
    _Atomic int pending;          /* queued + in flight, not yet posted */
    _Atomic int abort;

    /* Offline (net_offline.c), net thread only. */
    struct offline *off;          /* owned: cache + outbox; NULL without a data directory */
    long outbox_retry_ms;
    int64_t outbox_inflight;      /* entry being sent, 0 = none */
    uint64_t outbox_retry_at;     /* monotonic ms before which nothing is sent again */
    struct net_req *outbox_wait;  /* owned list: durable requests written, not yet sent */
    _Atomic int outbox_n;         /* entries in the outbox (any thread may read) */
};

/* Net thread: make the easy handle and add it to the multi (0 or -EIO with r->errbuf). */
int net_req_start(struct net *n, struct net_req *r);
/* Net thread: hand the result to the UI thread; frees the request either way. */
void net_req_post(struct net *n, struct net_req *r, enum net_error err, long status);
void net_active_add(struct net *n, struct net_req *r);
void net_req_free(struct net_req *r);
/* A request for METHOD PATH (BODY copied, may be NULL), its result allocated; NULL on no
 * memory. The serial is not set. */
struct net_req *net_req_new(struct net *n, const char *method, const char *path,
                            const char *body, int kind);
uint64_t net_now_ms(void);

/* net_offline.c, net thread unless said otherwise. */
/* Open DIR's offline store (net_create, before the thread starts). 0 or -errno (logged). */
int net_offline_open(struct net *n, const char *dir, long retry_ms);
void net_offline_close(struct net *n);
/* A durable request from the queue: write it to the outbox; it is sent in its turn. 0, or a
 * negative errno (then the caller posts the failure). */
int net_offline_accept(struct net *n, struct net_req *r);
/* Send the oldest outbox entry when nothing is in flight and its time has come. */
void net_offline_pump(struct net *n);
/* ms until the pump wants another look, or -1. */
long net_offline_wait_ms(const struct net *n);
/* Called by net_req_post before posting: keeps a GET's good answer, answers a failed GET from
 * the cache, and settles an outbox entry. May change *err and *status. */
void net_offline_settle(struct net *n, struct net_req *r, enum net_error *err, long *status);

#endif
