/* The client's network thread: owns libcurl (multi interface) and talks HTTPS to the
 * DJTV server. The UI thread queues requests and receives results as SDL user events,
 * so a frame never waits on the network.
 *
 * TLS: the peer is always verified against the CA file from the config (pinned), host
 * name included. There is deliberately no option to turn verification off. */
#ifndef DJTV_NET_H
#define DJTV_NET_H

#include <stddef.h>
#include <stdint.h>

enum net_error {
    NET_OK = 0,          /* transfer done; look at http_status */
    NET_ERR_TLS_VERIFY,  /* server certificate not trusted by the pinned CA (or bad CA file) */
    NET_ERR_CONNECT,     /* could not connect / resolve */
    NET_ERR_TIMEOUT,     /* deadline passed */
    NET_ERR_TOO_LARGE,   /* body over the cap */
    NET_ERR_CANCELLED,   /* net_destroy() while in flight */
    NET_ERR_OTHER,
};

struct net_config {
    const char *base_url; /* borrowed, e.g. "https://127.0.0.1:8443" (no trailing slash) */
    const char *ca_file;  /* borrowed, PEM file of the CA to trust */
    const char *token;    /* borrowed, box device token sent as "Authorization: Bearer" */
    long timeout_ms;      /* per-request deadline; 0 = 10000 */
    size_t max_body;      /* cap on a response body; 0 = 4 MiB */
    long connect_timeout_ms; /* TCP + TLS handshake deadline; 0 = min(timeout_ms, 5000) */
    const char *data_dir; /* borrowed: where the offline cache and outbox live (offline.db);
                           * NULL or "" = neither */
    long outbox_retry_ms; /* outbox: wait this long after the server could not be reached;
                           * 0 = 5000 */
};

/* Most requests queued or in flight at once; net_request() refuses more with -EAGAIN. */
enum { NET_MAX_PENDING = 64 };

/* A finished request. Posted to the UI thread as an SDL_USEREVENT of the type given to
 * net_create(), with event.user.data1 = the struct net_result* and event.user.code = kind
 * (event.user.data2 = the struct net* that posted it; identity only, never freed).
 * The receiver owns it and frees it with net_result_free(). */
struct net_result {
    int64_t serial;      /* the value net_request() returned */
    int kind;            /* caller's tag, passed through */
    enum net_error error;
    long http_status;    /* 0 if no HTTP response */
    char *body;          /* owned, NUL-terminated (may be empty), NULL only on error */
    size_t body_len;
    char message[256];   /* technical detail for the log (English); never shown to users */
    /* Offline (with a data_dir). */
    int offline;         /* a GET the server did not answer, answered from the last good copy
                          * (error NET_OK, status 200): show it marked 离线 */
    int64_t cached_at;   /* offline: when that copy was fetched (Unix time) */
    int queued;          /* a durable write the server did not get yet: it is kept in the
                          * outbox and sent when the server is back (error says why) */
    int from_outbox;     /* the answer to an outbox entry nobody waits for any more (made
                          * offline, before a restart): serial 0 */
};

struct net;

/* Copies everything it needs from cfg. event_type comes from SDL_RegisterEvents().
 * base_url must be https://; the token must not contain control characters.
 * Initialises libcurl (reference-counted; see net.c). Returns NULL on failure. */
struct net *net_create(const struct net_config *cfg, uint32_t event_type);
/* Cancels what is in flight, joins the thread, frees queued results not yet delivered
 * (including this net's events still waiting in SDL's queue). Call it on the thread
 * that receives the events, before SDL_Quit(). NULL is a no-op. */
void net_destroy(struct net *n);

/* Queue a request. method "GET", "POST", "PUT"; body may be NULL (JSON when given,
 * copied; not allowed with GET). path starts with '/' (printable ASCII, no spaces).
 * Never blocks on the network. Returns a serial > 0, or -EINVAL (bad arguments),
 * -EAGAIN (NET_MAX_PENDING reached), -ENOMEM. */
int64_t net_request(struct net *n, const char *method, const char *path, const char *body,
                    int kind);
/* The same, sent as a person instead of the box: BEARER (a cadre's session token, copied into
 * this request's headers only) replaces the box's token. Also "DELETE" (no body; only here).
 * Nothing of it is cached on disk or kept in the outbox. */
int64_t net_request_as(struct net *n, const char *method, const char *path, const char *body,
                       int kind, const char *bearer);
/* A write a member made that must not be lost (check-in, answers, a service request): on
 * disk in the outbox (durably) before it is sent, sent in the order made, kept until the
 * server answers (any HTTP answer but 408, 429 or 5xx: a refusal too), across restarts. Each
 * entry carries an idempotency key, sent as "Idempotency-Key" and, with key_in_body, as the
 * JSON body's "idempotency_key" (POST /api/v1/requests, /api/v1/quizzes/{id}/attempts and
 * /api/v1/questionnaires/{id}/responses take it). The owner gets the answer, or a result with
 * queued = 1 when the server cannot be reached. Without a data_dir, as net_request. */
int64_t net_request_durable(struct net *n, const char *method, const char *path,
                            const char *body, int kind, int key_in_body);
/* Entries waiting in the outbox. */
int net_outbox_waiting(const struct net *n);
/* Requests queued or in flight and not yet delivered as events. */
int net_pending(const struct net *n);

void net_result_free(struct net_result *r);
/* Short English name of an error for logs, e.g. "tls-verify". */
const char *net_error_str(enum net_error e);

#endif
