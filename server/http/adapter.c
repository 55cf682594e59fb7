#define LOG_TAG "http"
#include "http/adapter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
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
    { -EKEYEXPIRED, 401, "session_expired", "the session has expired; log in again" },
    { -EDQUOT, 429, "rate_limited", "too many requests; slow down" },
    { -ENOSPC, 507, "insufficient_storage", "the server's disk has no room for it" },
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
    out->retry_after = out->status == 503 ? 1 : 0;
    if (rc < 0) {
        /* A handler may explain the error with api_fail(): use its message, our code, or its
         * own code (api_fail_code); and say when to retry a 429. */
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(json, "message");
        const char *text = cJSON_IsString(m) ? m->valuestring : message;
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(json, "code");
        if (cJSON_IsString(c) && c->valuestring[0] && strlen(c->valuestring) <= 40 &&
            strspn(c->valuestring, "abcdefghijklmnopqrstuvwxyz_") == strlen(c->valuestring))
            code = c->valuestring;
        const cJSON *ra = cJSON_GetObjectItemCaseSensitive(json, "retry_after");
        if (out->status == 429)
            out->retry_after = cJSON_IsNumber(ra) && ra->valueint > 0 ? ra->valueint : 1;
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

static int limit_caller(const struct adapter_input *in, const struct caller *who, cJSON **json);

static int changes_state(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Who is asking: the Authorization header when there is one, else the dashboard's session
 * cookie, which only a person's login session may carry, which must not sit idle too long, and
 * which needs the session's CSRF token for any change. WEB->csrf is set for a cookie session. */
static int authenticate(struct store *s, const struct adapter_input *in, struct caller *who,
                        struct api_web *web, cJSON **json)
{
    char token[AUTH_TOKEN_HEX], bearer[sizeof("Bearer ") + AUTH_TOKEN_HEX];
    memset(who, 0, sizeof(*who));
    if (in->authorization || !in->web || !in->cookie ||
        websession_cookie_token(in->cookie, token) < 0)
        return auth_resolve_at(s, in->authorization, in->now, who);
    snprintf(bearer, sizeof(bearer), "Bearer %s", token);
    int rc = auth_resolve_at(s, bearer, in->now, who);
    sodium_memzero(bearer, sizeof(bearer));
    if (rc == 0 && who->kind == CALLER_BOX)
        rc = -EACCES; /* a box token never rides in a cookie */
    if (rc == 0 && changes_state(in->method) && !websession_csrf_ok(token, in->csrf))
        rc = api_fail_code(json, -EPERM, "csrf_failed",
                           "a change from the dashboard needs its X-CSRF-Token");
    if (rc == 0)
        rc = websession_touch(in->web, who->session_id, who->expires_at, in->now);
    if (rc == 0)
        rc = auth_csrf(token, web->csrf);
    sodium_memzero(token, sizeof(token));
    if (rc < 0)
        memset(who, 0, sizeof(*who));
    return rc;
}

void adapter_error(int rc, struct adapter_output *out)
{
    memset(out, 0, sizeof(*out));
    reply(rc < 0 ? rc : -EIO, NULL, out);
}

void adapter_log(const struct adapter_input *in, int status, const char *code, int rc,
                 const struct caller *who)
{
    char path[128];
    loggable(in->path, path, sizeof(path));
    if (status >= 500)
        log_warn("%s %s -> %d %s (%d)", in->method, path, status, code, rc);
    else if (log_get_level() >= LOG_DEBUG)
        log_debug("%s %s -> %d %s (box %lld)", in->method, path, status, code,
                  (long long)(who ? who->box_id : 0));
}

static void log_request(const struct adapter_input *in, const struct adapter_output *out,
                        int rc, const struct caller *who)
{
    adapter_log(in, out->status, out->code, rc, who);
}

/* Per-token rate limit: each box token and login session has its own bucket. */
static int limit_caller(const struct adapter_input *in, const struct caller *who, cJSON **json)
{
    const struct api_limits *l = in->limits;
    if (!l || !l->buckets)
        return 0;
    int64_t id = who->kind == CALLER_BOX ? who->box_id : who->session_id;
    const char *cls = who->kind == CALLER_BOX ? "box" : "session";
    int retry = 1;
    int rc = ratelimit_take(l->buckets, ratelimit_key(l->buckets, cls, &id, sizeof(id)),
                            &l->per_token, (double)in->now, &retry);
    if (rc < 0) {
        api_fail(json, rc, "too many requests with this token; slow down");
        if (*json)
            cJSON_AddNumberToObject(*json, "retry_after", retry);
    }
    return rc;
}

/* The handler's cookie change into a Set-Cookie header: a new session's token, or a deletion
 * (logout, which also forgets the session's idle clock). */
static void web_reply(const struct adapter_input *in, const struct caller *who,
                      struct api_web *web, struct adapter_output *out)
{
    if (!in->web)
        return;
    if (web->token[0]) {
        if (websession_set_cookie(web->token, AUTH_SESSION_TTL, out->set_cookie,
                                  sizeof(out->set_cookie)) < 0)
            out->set_cookie[0] = '\0';
    } else if (web->clear) {
        websession_forget(in->web, who->session_id);
        websession_set_cookie(NULL, 0, out->set_cookie, sizeof(out->set_cookie));
    }
    sodium_memzero(web->token, sizeof(web->token));
}

void adapter_query_add(struct adapter_input *in, const char *key, const char *value)
{
    if (!key)
        return;
    if (in->n_query == API_MAX_QUERY) {
        in->query_overflow = 1;
        return;
    }
    in->query[in->n_query].key = key;
    in->query[in->n_query].value = value ? value : "";
    in->n_query++;
}

/* The gate every route passes: who is asking, within their rate limit, at the route's access
 * level. A publisher's key is not a caller: live/ checks it. */
static int admit(struct store *s, const struct adapter_input *in, const struct route *e,
                 struct caller *who, struct api_web *web, cJSON **json)
{
    if (e->access == ACCESS_PUBLIC || e->access == ACCESS_PUBLISHER)
        return 0;
    int rc = authenticate(s, in, who, web, json);
    if (rc == 0 && who->kind == CALLER_NONE)
        rc = -EACCES;
    if (rc == 0 && !(e->flags & ROUTE_UNMETERED))
        rc = limit_caller(in, who, json);
    if (rc == 0 && !auth_allows(who, e->access))
        rc = -EPERM;
    return rc;
}

void adapter_dispatch(const struct router *r, struct store *s, const struct adapter_input *in,
                      struct adapter_output *out)
{
    memset(out, 0, sizeof(*out));
    struct route_match own;
    const struct route_match *m = in->match;
    struct caller who = { .kind = CALLER_NONE };
    cJSON *json = NULL;
    struct api_raw raw = { 0 }; /* a non-JSON reply the handler made (api_reply_raw) */
    struct api_web web = { 0 };
    int rc = m ? in->match_rc : router_match(r, in->method, in->path, &own);
    if (!m)
        m = &own;
    out->page = (m->path_flags & ROUTE_PAGE) != 0;
    if (in->body_too_large) {
        rc = -E2BIG;
        goto done;
    }
    if (changes_state(in->method) &&
        !websession_same_origin(in->origin, in->host, in->sec_fetch_site)) {
        /* Another site's page asked the browser for a change: refused whatever it carries. */
        rc = api_fail_code(&json, -EPERM, "cross_site", "a change from another site's page");
        goto done;
    }
    if (rc == -EOPNOTSUPP)
        memcpy(out->allow, m->allow, sizeof(out->allow));
    if (rc < 0)
        goto done;
    rc = admit(s, in, m->entry, &who, &web, &json);
    if (rc < 0)
        goto done;
    if (m->entry->serve != SERVE_API && m->entry->serve != SERVE_UPLOAD) {
        if (m->entry->serve == SERVE_EVENTS && !in->events) {
            rc = -EAGAIN; /* no hub (shutting down) */
            goto done;
        }
        out->serve = m->entry->serve;
        out->who = who;
        out->status = 200;
        out->code = "ok";
        if (out->serve == SERVE_EVENTS)
            log_request(in, out, 0, &who); /* no body: the HTTP layer streams */
        return;
    }
    struct api_request req = {
        .method = in->method,
        .path = in->path,
        .body = in->body_len ? in->body : NULL,
        .body_len = in->body_len,
        .n_params = m->n_params,
        .store = s,
        .now = in->now,
        .events = in->events,
        .defer = in->can_defer ? &out->job : NULL,
        .n_query = in->n_query,
        .query_overflow = in->query_overflow,
        .client_addr = in->client_addr,
        .user_agent = in->user_agent,
        .limits = in->limits,
        .raw = &raw,
        .web = in->web ? &web : NULL,
        .upload = in->upload,
    };
    memcpy(req.params, m->params, sizeof(req.params));
    memcpy(req.query, in->query, sizeof(req.query));
    rc = m->route->handler(&who, &req, &json);
    if (m->entry->serve == SERVE_UPLOAD && rc >= 0) {
        /* The body may come: the HTTP layer streams it into the file and replies at its end. */
        cJSON_Delete(json);
        free(raw.body);
        out->serve = SERVE_UPLOAD;
        out->who = who;
        out->status = 200;
        out->code = "ok";
        return;
    }
    if (rc >= 0 && rc != API_DEFERRED)
        web_reply(in, &who, &web, out);
    if (raw.body && rc >= 0 && rc != API_DEFERRED) {
        cJSON_Delete(json);
        out->status = 200;
        out->code = "ok";
        out->body = raw.body;
        out->body_len = raw.len;
        snprintf(out->content_type, sizeof(out->content_type), "%s", raw.type);
        snprintf(out->disposition, sizeof(out->disposition), "%s", raw.disposition);
        goto log;
    }
    free(raw.body); /* made, then the handler failed after all */
    if (rc == API_DEFERRED && req.defer) {
        /* The write is parked: no reply until adapter_finish. */
        cJSON_Delete(json);
        out->deferred = 1;
        out->who = who;
        return;
    }
    if (rc > 0)
        rc = 0;

done:
    reply(rc, json, out);
log:
    log_request(in, out, rc, &who);
}

void adapter_finish(const struct adapter_input *in, struct adapter_output *out, int rc)
{
    cJSON *json = NULL;
    struct caller who = out->who;
    struct api_deferred job = out->job;
    memset(out, 0, sizeof(*out));
    rc = api_deferred_finish(&job, rc, &json);
    if (rc > 0)
        rc = 0;
    reply(rc, json, out);
    log_request(in, out, rc, &who);
}

void adapter_drop(struct adapter_output *out)
{
    if (out->deferred && out->job.free)
        out->job.free(out->job.arg);
    out->deferred = 0;
    adapter_output_fini(out);
}

void adapter_output_fini(struct adapter_output *out)
{
    free(out->body);
    out->body = NULL;
    out->body_len = 0;
}
