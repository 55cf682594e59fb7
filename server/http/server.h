/* The HTTPS listener (libmicrohttpd + GnuTLS). TLS 1.2+ only; no plain-HTTP listener exists.
 * Requests go to adapter_dispatch(); this file only moves bytes between MHD and the adapter. */
#ifndef DJTV_HTTP_SERVER_H
#define DJTV_HTTP_SERVER_H

struct router;
struct store;
struct http_server;
struct api_limits;
struct live;
struct uploads;

struct http_server_config {
    const char *listen;    /* borrowed: numeric IPv4 or IPv6 address */
    int port;              /* 0 = any free port (see http_server_port) */
    const char *cert_path; /* borrowed: PEM certificate (chain) */
    const char *key_path;  /* borrowed: PEM private key */
    int threads;           /* MHD thread pool size, >= 1 */
    unsigned conn_limit;   /* 0 = derived from the open-file limit */
    unsigned idle_timeout; /* seconds a keep-alive connection may sit idle; 0 = default */
    const struct api_limits *limits; /* borrowed: rate limits for every request; NULL = none */
    int keepalive_ms;      /* event streams: comment line after this much quiet; 0 = 15 s */
    const char *media_root; /* borrowed: folder served under GET /media/ (media/serve.c); NULL = none */
    struct live *live;      /* borrowed: publishers' uploads under /live/ (live/live.h); NULL = none */
    const char *web_root;     /* borrowed: the dashboard's files under /dashboard/; NULL = none */
    const char *node_modules; /* borrowed: the npm install (ECharts for the dashboard) */
    int web_idle;             /* seconds a dashboard cookie session may sit idle; 0 = default */
    struct uploads *uploads;  /* borrowed: staff's file uploads (upload/upload.h); NULL = none */
};

/* Start listening. ROUTER and STORE are borrowed and must outlive the server.
 * Returns 0 or a negative errno (the reason is logged). */
int http_server_start(const struct http_server_config *cfg, const struct router *router,
                      struct store *store, struct http_server **out);
/* The port actually bound. */
int http_server_port(const struct http_server *srv);
/* The event hub that GET /api/v1/events streams from (owned by the server). */
struct events *http_server_events(struct http_server *srv);
/* Stop accepting, finish, and free. */
void http_server_stop(struct http_server *srv);

#endif
