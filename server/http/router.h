/* Route matching: method + path → the route (handler and access level) and its path parameters.
 * Patterns are split on '/'; a segment is a literal or `{name}`. `{id}` (and any name ending in
 * "id") only matches a positive decimal number; other `{name}` segments match any non-empty
 * segment. No wildcards, no trailing slashes: "/health/" is not "/health". */
#ifndef DJTV_ROUTER_H
#define DJTV_ROUTER_H

#include <stddef.h>

#include "api/api.h"

struct router;

struct route_match {
    const struct api_route *route; /* borrowed from the route tables */
    struct api_param params[API_MAX_PARAMS];
    int n_params;
    char allow[64]; /* for -EOPNOTSUPP: the methods the path does take, "GET, HEAD" */
};

/* Build a router from NULL-terminated route TABLES (each ended by a NULL method). The tables are
 * borrowed and must outlive the router. -EINVAL (logged) for a bad pattern or a duplicate. */
int router_create(const struct api_route *const *tables, struct router **out);
void router_destroy(struct router *r);

/* 0 and *m filled; -ENOENT when no pattern matches PATH; -EOPNOTSUPP when a pattern matches but
 * not for METHOD (m->allow lists those that do). HEAD matches GET routes. */
int router_match(const struct router *r, const char *method, const char *path,
                 struct route_match *m);

#endif
