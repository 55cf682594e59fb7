#define LOG_TAG "router"
#include "http/router.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct router {
    struct route *routes; /* owned copies: the API tables' routes, then http_routes */
    size_t n;
};

/* Next segment of a path or pattern that starts at *P (just after a '/'); advances *P. */
static size_t segment(const char **p)
{
    const char *s = *p;
    size_t n = strcspn(s, "/");
    *p = s + n;
    return n;
}

static int is_param(const char *seg, size_t n)
{
    return n >= 3 && seg[0] == '{' && seg[n - 1] == '}';
}

/* `{name*}`: the rest of the path. */
static int is_rest(const char *seg, size_t n)
{
    return n >= 4 && seg[0] == '{' && seg[n - 2] == '*' && seg[n - 1] == '}';
}

/* A `{...id}` parameter takes only a positive decimal number. */
static int param_is_id(const char *seg, size_t n)
{
    return n >= 4 && memcmp(seg + n - 3, "id}", 3) == 0;
}

static int valid_id(const char *s, size_t n)
{
    if (n == 0 || n > 18 || s[0] < '1' || s[0] > '9')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int pattern_valid(const char *pat)
{
    if (!pat || pat[0] != '/')
        return 0;
    if (pat[1] == '\0')
        return 1; /* "/" */
    const char *p = pat + 1;
    int params = 0;
    for (;;) {
        const char *seg = p;
        size_t n = segment(&p);
        if (n == 0)
            return 0; /* empty segment or trailing slash */
        if (is_rest(seg, n))
            return *p == '\0'; /* only as the last segment */
        if (is_param(seg, n)) {
            if (memchr(seg, '*', n))
                return 0;
            if (++params > API_MAX_PARAMS)
                return 0;
        } else if (memchr(seg, '{', n) || memchr(seg, '}', n)) {
            return 0;
        }
        if (*p == '\0')
            return 1;
        p++;
    }
}

/* Match PATH against PAT, collecting parameters into *m. 1 on match. */
static int match_path(const char *pat, const char *path, struct route_match *m)
{
    if (path[0] != '/')
        return 0;
    if (pat[1] == '\0' || path[1] == '\0')
        return pat[1] == '\0' && path[1] == '\0';
    const char *a = pat + 1, *b = path + 1;
    m->n_params = 0;
    for (;;) {
        const char *sa = a, *sb = b;
        size_t na = segment(&a);
        if (is_rest(sa, na)) {
            m->tail = sb;
            return 1;
        }
        size_t nb = segment(&b);
        if (nb == 0)
            return 0;
        if (is_param(sa, na)) {
            if (param_is_id(sa, na) && !valid_id(sb, nb))
                return 0;
            if (nb >= API_PARAM_MAX)
                return 0;
            struct api_param *p = &m->params[m->n_params++];
            p->name = sa + 1;
            p->name_len = na - 2;
            memcpy(p->value, sb, nb);
            p->value[nb] = '\0';
        } else if (na != nb || memcmp(sa, sb, na) != 0) {
            return 0;
        }
        if (*a == '\0' || *b == '\0')
            return *a == '\0' && *b == '\0';
        a++;
        b++;
    }
}

static int takes_head(const struct route *rt)
{
    return strcmp(rt->method, "GET") == 0 && !(rt->flags & ROUTE_NO_HEAD);
}

static int same_method(const struct route *rt, const char *method)
{
    if (strcmp(rt->method, method) == 0)
        return 1;
    return strcmp(method, "HEAD") == 0 && takes_head(rt);
}

static void allow_add(char *allow, size_t cap, const char *method)
{
    size_t len = strlen(allow);
    if (strstr(allow, method))
        return;
    size_t need = strlen(method) + (len ? 2 : 0);
    if (len + need >= cap)
        return;
    if (len) {
        memcpy(allow + len, ", ", 2);
        len += 2;
    }
    memcpy(allow + len, method, strlen(method) + 1);
}

static int route_add(struct router *rt, const struct route *r)
{
    int has_handler = r->serve == SERVE_API || r->serve == SERVE_UPLOAD;
    if (!pattern_valid(r->pattern) || (has_handler && (!r->api || !r->api->handler))) {
        log_error("bad route %s %s", r->method, r->pattern ? r->pattern : "(null)");
        return -EINVAL;
    }
    for (size_t i = 0; i < rt->n; i++) {
        if (strcmp(rt->routes[i].method, r->method) == 0 &&
            strcmp(rt->routes[i].pattern, r->pattern) == 0) {
            log_error("duplicate route %s %s", r->method, r->pattern);
            return -EINVAL;
        }
    }
    rt->routes[rt->n++] = *r;
    return 0;
}

int router_create(const struct api_route *const *tables, struct router **out)
{
    *out = NULL;
    size_t n = 0;
    for (size_t t = 0; tables && tables[t]; t++)
        for (const struct api_route *r = tables[t]; r->method; r++)
            n++;
    for (const struct route *r = http_routes; r->method; r++)
        n++;
    struct router *rt = calloc(1, sizeof(*rt));
    if (!rt)
        return -ENOMEM;
    rt->routes = calloc(n ? n : 1, sizeof(*rt->routes));
    if (!rt->routes) {
        free(rt);
        return -ENOMEM;
    }
    int rc = 0;
    for (size_t t = 0; rc == 0 && tables && tables[t]; t++) {
        for (const struct api_route *r = tables[t]; rc == 0 && r->method; r++) {
            struct route api = {
                .method = r->method,
                .pattern = r->pattern,
                .access = r->access,
                .serve = SERVE_API,
                .api = r,
            };
            rc = route_add(rt, &api);
        }
    }
    for (const struct route *r = http_routes; rc == 0 && r->method; r++)
        rc = route_add(rt, r);
    if (rc < 0) {
        router_destroy(rt);
        return rc;
    }
    *out = rt;
    return 0;
}

void router_destroy(struct router *r)
{
    if (!r)
        return;
    free(r->routes);
    free(r);
}

int router_match(const struct router *r, const char *method, const char *path,
                 struct route_match *m)
{
    memset(m, 0, sizeof(*m));
    if (!method || !path)
        return -ENOENT;
    int path_matched = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct route *rt = &r->routes[i];
        struct route_match tmp;
        memset(&tmp, 0, sizeof(tmp));
        if (!match_path(rt->pattern, path, &tmp))
            continue;
        if (same_method(rt, method)) {
            tmp.entry = rt;
            tmp.route = rt->api;
            tmp.path_flags = rt->flags;
            *m = tmp;
            return 0;
        }
        path_matched = 1;
        m->path_flags |= rt->flags;
        allow_add(m->allow, sizeof(m->allow), rt->method);
        if (takes_head(rt))
            allow_add(m->allow, sizeof(m->allow), "HEAD");
    }
    return path_matched ? -EOPNOTSUPP : -ENOENT;
}

size_t router_body_max(const struct route_match *m)
{
    return m->entry && m->entry->body_max ? m->entry->body_max : ROUTER_BODY_MAX;
}
