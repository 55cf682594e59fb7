/* The one routing table of the server: every request (API, event stream, media, live, the
 * dashboard's files) is matched here, and its route says who may ask (access level), which
 * methods it takes, how much body it reads, whether it counts against the rate limit and how
 * the HTTP layer answers it. http/adapter.c applies those rules once for all routes.
 *
 * Patterns are split on '/'; a segment is a literal or `{name}`. `{id}` (and any name ending in
 * "id") only matches a positive decimal number; other `{name}` segments match any non-empty
 * segment. A last segment `{name*}` matches the rest of the path as it is (possibly empty, and
 * checked by whoever serves it). No trailing slashes otherwise: "/health/" is not "/health". */
#ifndef DJTV_ROUTER_H
#define DJTV_ROUTER_H

#include <stddef.h>

#include "api/api.h"

struct router;

/* How the HTTP layer answers a matched route. */
enum route_serve {
    SERVE_API = 0,   /* an api/ handler: JSON in, JSON out (http/adapter.c) */
    SERVE_EVENTS,    /* the Server-Sent Events stream (http/sse.c) */
    SERVE_MEDIA,     /* a file of the media root (media/serve.c) */
    SERVE_LIVE,      /* a file of a broadcast's live folder: the media root's live/{id}/ */
    SERVE_PUBLISH,   /* a publisher's segment upload (live/live.h) */
    SERVE_PUBLISHER, /* a publisher asking where its broadcast's recording ends (live/live.h) */
    SERVE_DASHBOARD, /* a file of the township dashboard (http/dashboard.c) */
    SERVE_UPLOAD,    /* a body streamed to a file once the route's api/ handler allowed it, before
                      * the body is read (api/api.h: struct api_upload) */
};

enum {
    ROUTE_UNMETERED = 1 << 0, /* not counted against the per-token rate limit (players) */
    ROUTE_NO_HEAD = 1 << 1,   /* a GET route that HEAD does not match (an event stream) */
    ROUTE_PAGE = 1 << 2,      /* a browser page: every reply, errors too, carries its CSP */
};

enum { ROUTER_BODY_MAX = 64 * 1024 }; /* request body bytes a route takes by default */

struct route {
    const char *method;  /* "GET", "PUT", ... */
    const char *pattern; /* see the top of the file */
    enum auth_access access;
    enum route_serve serve;
    unsigned flags;               /* ROUTE_* */
    size_t body_max;              /* request body bytes taken; 0 = ROUTER_BODY_MAX */
    const struct api_route *api;  /* SERVE_API, SERVE_UPLOAD: the handler's route (borrowed) */
};

/* The routes that are not api/ handlers (http/routes.c), ended by a NULL method. Every router
 * has them besides the API tables it is built from. */
extern const struct route http_routes[];

struct route_match {
    const struct route *entry;      /* borrowed from the router: the rules of the route */
    const struct api_route *route;  /* SERVE_API, SERVE_UPLOAD: the handler's route, else NULL */
    struct api_param params[API_MAX_PARAMS];
    int n_params;
    const char *tail; /* borrowed from the path: what a `{name*}` segment matched, or NULL */
    char allow[64];   /* for -EOPNOTSUPP: the methods the path does take, "GET, HEAD" */
    unsigned path_flags; /* ROUTE_* of the routes whose pattern matched (a 405 has no entry) */
};

/* Build a router from NULL-terminated API route TABLES (each ended by a NULL method) and
 * http_routes. The tables are borrowed and must outlive the router. -EINVAL (logged) for a bad
 * pattern or a duplicate. */
int router_create(const struct api_route *const *tables, struct router **out);
void router_destroy(struct router *r);

/* 0 and *m filled; -ENOENT when no pattern matches PATH; -EOPNOTSUPP when a pattern matches but
 * not for METHOD (m->allow lists those that do). HEAD matches GET routes (not ROUTE_NO_HEAD). */
int router_match(const struct router *r, const char *method, const char *path,
                 struct route_match *m);
/* The request body bytes the route of M takes (ROUTER_BODY_MAX when M matched nothing). */
size_t router_body_max(const struct route_match *m);

#endif
