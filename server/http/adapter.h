/* The thin layer between HTTP and the handlers: route, authenticate, call the handler, and turn
 * its result (JSON or a negative errno) into a status and a JSON body. No sockets here, so the
 * whole request path is tested without a network (tests/unit/server/test_adapter.c). */
#ifndef DJTV_ADAPTER_H
#define DJTV_ADAPTER_H

#include <stddef.h>
#include <time.h>

struct router;
struct store;

enum { ADAPTER_BODY_MAX = 64 * 1024 }; /* request bodies larger than this get 413 */

struct adapter_input {
    const char *method;        /* borrowed */
    const char *path;          /* borrowed, decoded, without the query */
    const char *authorization; /* borrowed: the Authorization header or NULL */
    const char *body;          /* borrowed, NUL-terminated or NULL */
    size_t body_len;
    int body_too_large; /* the body went over ADAPTER_BODY_MAX and was dropped */
    time_t now;
};

struct adapter_output {
    int status;
    char *body; /* owned (malloc); NULL only when out of memory */
    size_t body_len;
    char allow[64];       /* for 405: the Allow header */
    int www_authenticate; /* for 401: send WWW-Authenticate: Bearer */
    const char *code;     /* borrowed static: "ok" or the error code, for the access log */
};

/* Map a handler result to an HTTP status and the error code and default message of the
 * contract ({"code": "...", "message": "..."}). rc 0 → 200. */
int adapter_status(int rc, const char **code, const char **message);

/* Serve one request. Always fills *out (free it with adapter_output_fini). */
void adapter_dispatch(const struct router *r, struct store *s, const struct adapter_input *in,
                      struct adapter_output *out);
void adapter_output_fini(struct adapter_output *out);

#endif
