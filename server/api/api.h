/* Handlers of the HTTP API. They know nothing of HTTP: a handler gets who is calling and a
 * request (method, path parameters, body, store, clock) and fills a JSON reply, returning 0 or a
 * negative errno. http/adapter.c maps those errors to HTTP statuses:
 *   -EINVAL, -EBADMSG 400 bad_request   -EACCES 401 unauthorized   -EPERM 403 forbidden
 *   -ENOENT 404 not_found   -EOPNOTSUPP 405 method_not_allowed   -EEXIST 409 conflict
 *   -E2BIG, -EMSGSIZE 413 too_large   -EBUSY, -EAGAIN 503 unavailable   others 500 internal
 * A handler may explain an error with api_fail(), which puts {"message": ...} in *out. */
#ifndef DJTV_API_H
#define DJTV_API_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "auth/auth.h"

struct store;

enum { API_MAX_PARAMS = 4, API_PARAM_MAX = 64 };

/* A value taken from a `{name}` segment of the route's path pattern. */
struct api_param {
    const char *name; /* borrowed from the pattern; not NUL-terminated at name_len */
    size_t name_len;
    char value[API_PARAM_MAX];
};

struct api_request {
    const char *method; /* borrowed: "GET", "POST", ... */
    const char *path;   /* borrowed: decoded path, no query */
    const char *body;   /* borrowed: NUL-terminated, NULL when there is none */
    size_t body_len;
    struct api_param params[API_MAX_PARAMS];
    int n_params;
    struct store *store; /* borrowed */
    time_t now;          /* the request's clock, so replies are testable */
};

typedef int (*api_handler_fn)(const struct caller *who, const struct api_request *req,
                              cJSON **out);

struct api_route {
    const char *method;  /* "GET", ... (HEAD is served by GET routes) */
    const char *pattern; /* "/api/v1/things/{id}": literal segments and {name} segments */
    enum auth_access access;
    api_handler_fn handler;
};

/* Each module's route table, terminated by an entry with method NULL. */
extern const struct api_route api_health_routes[];
extern const struct api_route api_home_routes[];
/* All route tables, NULL-terminated: what the server registers. */
extern const struct api_route *const api_route_tables[];

/* Set *out to {"message": MESSAGE} (best effort) and return RC, for a handler's error path. */
int api_fail(cJSON **out, int rc, const char *message);
/* The `{NAME}` parameter as a positive integer id. -ENOENT if absent, -EINVAL if not an id. */
int api_param_id(const struct api_request *req, const char *name, int64_t *out);
/* Parse the request body as a JSON object into *json (owned by the caller). -EBADMSG if it is
 * not JSON, -EINVAL if it is not an object or there is no body. */
int api_body_json(const struct api_request *req, cJSON **json);

int api_health(const struct caller *who, const struct api_request *req, cJSON **out);
int api_home(const struct caller *who, const struct api_request *req, cJSON **out);

#endif
