/* The thin layer between HTTP and the handlers, and the one gate of every request: route (one
 * table, http/router.h), refuse a cross-site change, authenticate, rate limit and check the
 * route's access level, then call the API handler and turn its result (JSON or a negative
 * errno) into a status and a JSON body, or tell the HTTP layer which other kind of reply to
 * make (a stream, a file, a publisher's upload). Errors are the same JSON on every route. No
 * sockets here, so the whole request path is tested without a network
 * (tests/unit/server/test_adapter.c). */
#ifndef DJTV_ADAPTER_H
#define DJTV_ADAPTER_H

#include <stddef.h>
#include <time.h>

#include "api/api.h"
#include "auth/auth.h"
#include "http/router.h"
#include "http/websession.h"

struct router;
struct store;
struct events;

enum { ADAPTER_BODY_MAX = ROUTER_BODY_MAX }; /* API request bodies larger than this get 413 */

struct adapter_input {
    const char *method;        /* borrowed */
    const char *path;          /* borrowed, decoded, without the query */
    const char *authorization; /* borrowed: the Authorization header or NULL */
    const char *body;          /* borrowed, NUL-terminated or NULL */
    size_t body_len;
    int body_too_large; /* the body went over ADAPTER_BODY_MAX and was dropped */
    time_t now;
    struct events *events; /* borrowed: the event hub handlers publish to; NULL = none */
    int can_defer;         /* the caller can park the request for a deferred write */
    /* The query string's arguments (adapter_query_add), the client's address, the limits. */
    struct api_query_arg query[API_MAX_QUERY];
    int n_query;
    int query_overflow;              /* more than API_MAX_QUERY arguments came */
    const char *client_addr;         /* borrowed: the client's IP as text, or NULL */
    const struct api_limits *limits; /* borrowed: rate limits; NULL = none */
    /* The browser's headers (each borrowed, NULL when absent) and the cookie sessions' idle
     * clock (borrowed; NULL = the session cookie is not accepted). */
    const char *cookie;
    const char *origin;
    const char *host;
    const char *sec_fetch_site;
    const char *csrf; /* X-CSRF-Token */
    const char *user_agent; /* a box reports its software in it: "djtv-client/0.1.0" */
    struct websession *web;
    /* The HTTP layer's router_match of this request (it needed the route's body limit) and its
     * result; NULL = the adapter matches. */
    const struct route_match *match;
    int match_rc;
    /* The upload jobs, and for a SERVE_UPLOAD route the file its handler opens (borrowed;
     * NULL = no uploads here). */
    struct api_upload *upload;
};

struct adapter_output {
    int status;
    char *body; /* owned (malloc); NULL only when out of memory */
    size_t body_len;
    char allow[64];       /* for 405: the Allow header */
    int www_authenticate; /* for 401: send WWW-Authenticate: Bearer */
    const char *code;     /* borrowed static: "ok" or the error code, for the access log */
    int retry_after;      /* for 503: send Retry-After (seconds) */
    int page;             /* the route is a browser page's (ROUTE_PAGE): send its CSP */
    /* Not SERVE_API: the request passed the gate and the HTTP layer makes the reply (an event
     * stream, a file, an upload) for WHO, then logs it with adapter_log. SERVE_UPLOAD: the
     * route's handler also allowed it and opened in->upload's file for the body. */
    enum route_serve serve;
    struct caller who;    /* the authenticated caller, when serve or deferred is set */
    int deferred;         /* 1: the handler parked a write: submit JOB, then adapter_finish */
    struct api_deferred job; /* owned while deferred (its arg is freed by finish or drop) */
    /* A handler's non-JSON reply (api_reply_raw): body is its bytes and these its headers;
     * content_type "" = the body is JSON. */
    char content_type[64];
    char disposition[128]; /* Content-Disposition; "" = none */
    char set_cookie[WEBSESSION_SET_COOKIE_MAX]; /* Set-Cookie; "" = none */
};

/* Map a handler result to an HTTP status and the error code and default message of the
 * contract ({"code": "...", "message": "..."}). rc 0 → 200. */
int adapter_status(int rc, const char **code, const char **message);

/* Serve one request. Always fills *out (free it with adapter_output_fini). */
void adapter_dispatch(const struct router *r, struct store *s, const struct adapter_input *in,
                      struct adapter_output *out);
void adapter_output_fini(struct adapter_output *out);
/* Add one query argument (KEY and VALUE borrowed; VALUE NULL for a bare key) to IN. */
void adapter_query_add(struct adapter_input *in, const char *key, const char *value);
/* Fill OUT with the JSON error for RC (< 0), as a handler's error would be. */
void adapter_error(int rc, struct adapter_output *out);
/* A deferred write ended with RC (its job's result after the commit, or why it never ran):
 * build the reply in OUT as adapter_dispatch would have. */
void adapter_finish(const struct adapter_input *in, struct adapter_output *out, int rc);
/* Free a deferred write that will never finish (its job was not run), and OUT's body. */
void adapter_drop(struct adapter_output *out);
/* The access log line of a request answered STATUS (CODE: "ok" or the error code; RC the
 * result behind it) for WHO (may be NULL): a warning for 5xx, else at debug level. */
void adapter_log(const struct adapter_input *in, int status, const char *code, int rc,
                 const struct caller *who);

#endif
