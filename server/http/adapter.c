#define LOG_TAG "http"
#include "http/adapter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "auth/auth.h"
#include "http/router.h"
#include "log.h"

static const struct {
    int rc;
    int status;
    const char *code;
    const char *message;
} errors[] = {
    { -EINVAL, 400, "bad_request", "the request is not valid" },
    { -EBADMSG, 400, "bad_request", "the request body is not valid JSON" },
    { -EACCES, 401, "unauthorized", "a valid box token is required" },
    { -EPERM, 403, "forbidden", "this caller may not do that" },
    { -ENOENT, 404, "not_found", "no such resource" },
    { -EOPNOTSUPP, 405, "method_not_allowed", "method not allowed on this resource" },
    { -EEXIST, 409, "conflict", "it already exists" },
    { -E2BIG, 413, "too_large", "the request body is too large" },
    { -EMSGSIZE, 413, "too_large", "the request body is too large" },
    { -EBUSY, 503, "unavailable", "the server is busy, try again" },
    { -EAGAIN, 503, "unavailable", "the server is busy, try again" },
};

int adapter_status(int rc, const char **code, const char **message)
{
    if (rc >= 0) {
        *code = "ok";
        *message = "";
        return 200;
    }
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        if (errors[i].rc == rc) {
            *code = errors[i].code;
            *message = errors[i].message;
            return errors[i].status;
        }
    }
    *code = "internal";
    *message = "internal server error";
    return 500;
}

/* Fill OUT from RC and the handler's JSON (*json, consumed). */
static void reply(int rc, cJSON *json, struct adapter_output *out)
{
    const char *code, *message;
    out->status = adapter_status(rc, &code, &message);
    out->code = code;
    out->www_authenticate = out->status == 401;
    if (rc < 0) {
        /* A handler may explain the error with api_fail(): use its message, our code. */
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(json, "message");
        const char *text = cJSON_IsString(m) ? m->valuestring : message;
        cJSON *err = cJSON_CreateObject();
        if (err && cJSON_AddStringToObject(err, "code", code) &&
            cJSON_AddStringToObject(err, "message", text))
            out->body = cJSON_PrintUnformatted(err);
        cJSON_Delete(err);
    } else {
        out->body = json ? cJSON_PrintUnformatted(json) : strdup("{}");
        if (!out->body) {
            out->status = 500;
            out->code = "internal";
        }
    }
    cJSON_Delete(json);
    out->body_len = out->body ? strlen(out->body) : 0;
}

/* The path for the log: it comes from the client, so cut it short and replace control characters
 * (a decoded %0A must not start a forged log line). */
static void loggable(const char *path, char *out, size_t cap)
{
    size_t n = 0;
    for (; path && path[n] && n + 1 < cap; n++)
        out[n] = (unsigned char)path[n] < 0x20 || path[n] == 0x7f ? '?' : path[n];
    out[n] = '\0';
}

void adapter_dispatch(const struct router *r, struct store *s, const struct adapter_input *in,
                      struct adapter_output *out)
{
    memset(out, 0, sizeof(*out));
    struct route_match m;
    struct caller who = { .kind = CALLER_NONE };
    cJSON *json = NULL;
    int rc;
    if (in->body_too_large) {
        rc = -E2BIG;
        goto done;
    }
    rc = router_match(r, in->method, in->path, &m);
    if (rc == -EOPNOTSUPP)
        memcpy(out->allow, m.allow, sizeof(out->allow));
    if (rc < 0)
        goto done;
    if (m.route->access != ACCESS_PUBLIC) {
        rc = auth_resolve(s, in->authorization, &who);
        if (rc < 0)
            goto done;
        if (!auth_allows(&who, m.route->access)) {
            rc = -EPERM;
            goto done;
        }
    }
    struct api_request req = {
        .method = in->method,
        .path = in->path,
        .body = in->body_len ? in->body : NULL,
        .body_len = in->body_len,
        .n_params = m.n_params,
        .store = s,
        .now = in->now,
    };
    memcpy(req.params, m.params, sizeof(req.params));
    rc = m.route->handler(&who, &req, &json);
    if (rc > 0)
        rc = 0;

done:
    reply(rc, json, out);
    char path[128];
    loggable(in->path, path, sizeof(path));
    if (out->status >= 500)
        log_warn("%s %s -> %d %s (%d)", in->method, path, out->status, out->code, rc);
    else if (log_get_level() >= LOG_DEBUG)
        log_debug("%s %s -> %d %s (box %lld)", in->method, path, out->status, out->code,
                  (long long)who.box_id);
}

void adapter_output_fini(struct adapter_output *out)
{
    free(out->body);
    out->body = NULL;
    out->body_len = 0;
}
