/* Login sessions of cadres, township staff and admins: POST /api/v1/sessions logs in with a
 * username and password, GET /api/v1/sessions/current says who the token is (the dashboard
 * and the cadre's tool start there), DELETE /api/v1/sessions/current logs out and ends the
 * session's event streams. A session lasts
 * AUTH_SESSION_TTL from login (fixed, not sliding: no write per request). Failed logins are
 * limited per username and per client address (token buckets in memory); a login that succeeds
 * gives its tokens back, so only failures count. */
#define LOG_TAG "api"
#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/session.h"
#include "events/events.h"
#include "log.h"
#include "store/store.h"
#include "util/isotime.h"

static int session_create(const struct caller *who, const struct api_request *req, cJSON **out);
static int session_delete(const struct caller *who, const struct api_request *req, cJSON **out);
static int session_current(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_session_routes[] = {
    { "POST", "/api/v1/sessions", ACCESS_PUBLIC, session_create },
    { "GET", "/api/v1/sessions/current", ACCESS_CADRE, session_current },
    { "DELETE", "/api/v1/sessions/current", ACCESS_CADRE, session_delete },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field login_fields[] = {
    { "username", API_STR, 1, 3, 32 },
    { "password", API_STR, 1, 1, AUTH_PASSWORD_MAX },
    { "web", API_BOOL, 0, 0, 0 }, /* the dashboard: the token goes into a cookie instead */
};

struct login_job {
    int64_t account_id;
    char hash[AUTH_HASH_HEX];
    time_t now;
    time_t expires;
    int64_t session_id;
};

/* On the writer thread: drop expired sessions, then add this one. */
static int login_run(struct store_tx *tx, void *arg)
{
    struct login_job *j = arg;
    int rc = store_session_purge(tx, j->now, NULL);
    if (rc == 0)
        rc = store_session_add(tx, j->account_id, j->hash, j->now, j->expires, &j->session_id);
    return rc;
}

static int logout_run(struct store_tx *tx, void *arg)
{
    return store_session_delete(tx, *(const int64_t *)arg);
}

/* Take a login attempt from the bucket of (CLS, VALUE); 0 or a 429 with Retry-After. */
static int take(const struct api_request *req, const char *cls, const char *value,
                uint64_t *key, cJSON **out)
{
    const struct api_limits *l = req->limits;
    *key = 0;
    if (!l || !l->buckets || !value)
        return 0;
    const struct ratelimit_rule *rule = strcmp(cls, "login-user") == 0 ? &l->login_user
                                                                        : &l->login_source;
    *key = ratelimit_key(l->buckets, cls, value, strlen(value));
    int retry = 1;
    int rc = ratelimit_take(l->buckets, *key, rule, (double)req->now, &retry);
    if (rc < 0) {
        *key = 0;
        log_info("login attempts for one %s over the limit", cls + 6);
        api_fail(out, rc, "too many failed logins; wait and try again");
        if (*out)
            cJSON_AddNumberToObject(*out, "retry_after", retry);
    }
    return rc;
}

static void refund(const struct api_request *req, uint64_t user_key, uint64_t source_key)
{
    const struct api_limits *l = req->limits;
    if (!l || !l->buckets)
        return;
    if (user_key)
        ratelimit_refund(l->buckets, user_key, &l->login_user);
    if (source_key)
        ratelimit_refund(l->buckets, source_key, &l->login_source);
}

/* Who a session is: the login reply, and GET /sessions/current without the token; CSRF (a
 * cookie session's CSRF token) when not NULL. */
static cJSON *session_json(const struct store_account *a, const struct store_org *org,
                           const char *token, const char *csrf, time_t expires)
{
    char iso[ISOTIME_LEN];
    cJSON *j = cJSON_CreateObject();
    if (!j || isotime_format(expires, iso, sizeof(iso)) < 0 ||
        (token && !cJSON_AddStringToObject(j, "token", token)) ||
        (csrf && !cJSON_AddStringToObject(j, "csrf", csrf)) ||
        !cJSON_AddStringToObject(j, "expires_at", iso) ||
        !cJSON_AddStringToObject(j, "role", a->role))
        goto fail;
    cJSON *acc = cJSON_AddObjectToObject(j, "account");
    if (!acc || !cJSON_AddNumberToObject(acc, "id", (double)a->id) ||
        !cJSON_AddStringToObject(acc, "username", a->username) ||
        !cJSON_AddStringToObject(acc, "display_name", a->display_name))
        goto fail;
    cJSON *o = cJSON_AddObjectToObject(j, "org");
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)org->id) ||
        !cJSON_AddStringToObject(o, "kind", org->kind) ||
        !cJSON_AddStringToObject(o, "name", org->name))
        goto fail;
    return j;

fail:
    cJSON_Delete(j);
    return NULL;
}

int api_session_issue(const struct api_request *req, const struct store_account *a, int web,
                      cJSON **out)
{
    struct store_org org;
    struct login_job job = { .now = req->now, .expires = req->now + AUTH_SESSION_TTL };
    char token[AUTH_TOKEN_HEX] = "";
    char csrf[AUTH_CSRF_HEX] = "";
    int rc = store_org_get(req->store, a->org_id, &org);
    if (rc == 0)
        rc = auth_token_new(token);
    if (rc == 0)
        rc = auth_token_hash(token, job.hash);
    if (rc < 0)
        goto fail;
    job.account_id = a->id;
    rc = store_write(req->store, login_run, &job);
    if (rc < 0)
        goto fail;
    log_info("account %lld (%s) logged in, session %lld", (long long)a->id, a->role,
             (long long)job.session_id);
    if (web) {
        /* The browser keeps the token in an HttpOnly cookie; the page gets only its CSRF. */
        rc = auth_csrf(token, csrf);
        if (rc < 0)
            goto fail;
        memcpy(req->web->token, token, sizeof(token));
    }
    *out = session_json(a, &org, web ? NULL : token, web ? csrf : NULL, job.expires);
    rc = *out ? 0 : -ENOMEM;

fail:
    sodium_memzero(token, sizeof(token));
    return rc;
}

static int session_create(const struct caller *who, const struct api_request *req, cJSON **out)
{
    (void)who;
    cJSON *body = NULL;
    struct store_account a;
    uint64_t user_key = 0, source_key = 0;
    int rc = api_body_fields(req, login_fields, 3, &body, out);
    if (rc < 0)
        return rc;
    const char *username = api_json_str(body, "username");
    const char *password = api_json_str(body, "password");
    int web = api_json_bool(body, "web", 0);
    if (web && !req->web) {
        rc = api_fail(out, -EINVAL, "web: no browser session here");
        goto fail;
    }
    rc = take(req, "login-user", username, &user_key, out);
    if (rc == 0)
        rc = take(req, "login-source", req->client_addr, &source_key, out);
    if (rc < 0)
        goto fail;
    rc = store_account_by_username(req->store, username, &a);
    if (rc == -ENOENT) {
        auth_password_burn(password);
        rc = api_fail_code(out, -EACCES, "bad_credentials", "wrong username or password");
        goto fail;
    }
    if (rc < 0)
        goto fail;
    rc = auth_password_verify(a.password_hash, password);
    sodium_memzero(a.password_hash, sizeof(a.password_hash));
    if (rc < 0 || a.disabled) {
        log_info("failed login for an existing account (%s)", rc < 0 ? "password" : "disabled");
        rc = api_fail_code(out, -EACCES, "bad_credentials", "wrong username or password");
        goto fail;
    }
    refund(req, user_key, source_key);
    rc = api_session_issue(req, &a, web, out);

fail:
    if (body) {
        cJSON *pw = cJSON_GetObjectItemCaseSensitive(body, "password");
        if (cJSON_IsString(pw))
            sodium_memzero(pw->valuestring, strlen(pw->valuestring));
    }
    cJSON_Delete(body);
    return rc;
}

static int session_delete(const struct caller *who, const struct api_request *req, cJSON **out)
{
    if (!who->session_id)
        return -EPERM;
    int64_t id = who->session_id;
    int rc = store_write(req->store, logout_run, &id);
    if (rc < 0)
        return rc;
    int ended = events_end_streams_of(req->events, who);
    if (req->web && req->web->csrf[0])
        req->web->clear = 1;
    log_info("session %lld logged out (%d event stream(s) ended)", (long long)id, ended);
    *out = cJSON_CreateObject();
    return *out ? 0 : -ENOMEM;
}

static int session_current(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_account a;
    struct store_org org;
    if (!who->session_id)
        return -EPERM;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0)
        rc = store_account_get(req->store, who->account_id, &a);
    if (rc == 0)
        rc = store_org_get(req->store, a.org_id, &org);
    if (rc < 0)
        return rc == -ENOENT ? -EACCES : rc; /* deleted since the token was checked */
    *out = session_json(&a, &org, NULL, req->web && req->web->csrf[0] ? req->web->csrf : NULL,
                        who->expires_at);
    return *out ? 0 : -ENOMEM;
}
