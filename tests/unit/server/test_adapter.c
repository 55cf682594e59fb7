/* The error adapter: errno → status/code mapping, and whole requests through adapter_dispatch
 * (routing, auth, handler, JSON) against a real SQLite database, without sockets. */
#include <errno.h>

#include "../check.h"
#include "http/adapter.h"
#include "http/router.h"
#include "server_test.h"

static void test_error_mapping(void)
{
    static const struct {
        int rc;
        int status;
        const char *code;
    } cases[] = {
        { 0, 200, "ok" },
        { 1, 200, "ok" },
        { -EINVAL, 400, "bad_request" },
        { -EBADMSG, 400, "bad_request" },
        { -EACCES, 401, "unauthorized" },
        { -EPERM, 403, "forbidden" },
        { -ENOENT, 404, "not_found" },
        { -EOPNOTSUPP, 405, "method_not_allowed" },
        { -EEXIST, 409, "conflict" },
        { -E2BIG, 413, "too_large" },
        { -EMSGSIZE, 413, "too_large" },
        { -EBUSY, 503, "unavailable" },
        { -EAGAIN, 503, "unavailable" },
        { -EIO, 500, "internal" },
        { -ENOMEM, 500, "internal" },
        { -12345, 500, "internal" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *code = NULL, *message = NULL;
        CHECK_EQ_INT(adapter_status(cases[i].rc, &code, &message), cases[i].status);
        CHECK_EQ_STR(code, cases[i].code);
        CHECK(message != NULL);
        if (cases[i].rc < 0)
            CHECK(message && message[0] != '\0');
    }
}

struct env {
    struct fixture f;
    struct router *r;
};

static int env_open(struct env *e)
{
    e->r = NULL;
    if (fixture_open(&e->f) < 0)
        return -1;
    return router_create(api_route_tables, &e->r);
}

static void env_close(struct env *e)
{
    router_destroy(e->r);
    fixture_close(&e->f);
}

/* Run one request; returns the parsed body (caller frees) and the status in *status. */
static cJSON *request(struct env *e, const char *method, const char *path, const char *auth,
                      const char *body, int too_large, struct adapter_output *out)
{
    struct adapter_input in = {
        .method = method,
        .path = path,
        .authorization = auth,
        .body = body,
        .body_len = body ? strlen(body) : 0,
        .body_too_large = too_large,
        .now = test_now(),
    };
    adapter_dispatch(e->r, e->f.s, &in, out);
    cJSON *j = out->body ? cJSON_ParseWithLength(out->body, out->body_len) : NULL;
    adapter_output_fini(out);
    return j;
}

static const char *str(const cJSON *j, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, key));
}

static void test_dispatch_statuses(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e), 0);
    if (!e.r) {
        fixture_close(&e.f);
        return;
    }
    char bearer_a[128], bearer_c[128], bearer_upper[128];
    snprintf(bearer_a, sizeof(bearer_a), "Bearer %s", e.f.token_a);
    snprintf(bearer_c, sizeof(bearer_c), "Bearer %s", e.f.token_c);
    snprintf(bearer_upper, sizeof(bearer_upper), "bearer   %s  ", e.f.token_a);
    for (char *p = bearer_upper + 9; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    static const char zero_token[] =
        "Bearer 0000000000000000000000000000000000000000000000000000000000000000";
    const struct {
        const char *method, *path, *auth, *body;
        int too_large;
        int status;
        const char *code; /* error code, or NULL for a success body */
    } cases[] = {
        { "GET", "/health", NULL, NULL, 0, 200, NULL },
        { "HEAD", "/health", NULL, NULL, 0, 200, NULL },
        { "GET", "/health", "Bearer nonsense", NULL, 0, 200, NULL }, /* public: token ignored */
        { "POST", "/health", NULL, "{}", 0, 405, "method_not_allowed" },
        { "GET", "/nope", NULL, NULL, 0, 404, "not_found" },
        { "GET", "/api/v1/home", NULL, NULL, 0, 401, "unauthorized" },
        { "GET", "/api/v1/home", "", NULL, 0, 401, "unauthorized" },
        { "GET", "/api/v1/home", "Bearer", NULL, 0, 401, "unauthorized" },
        { "GET", "/api/v1/home", "Basic dXNlcjpwYXNz", NULL, 0, 401, "unauthorized" },
        { "GET", "/api/v1/home", "Bearer xyz", NULL, 0, 401, "unauthorized" },
        { "GET", "/api/v1/home", zero_token, NULL, 0, 401, "unauthorized" },
        { "GET", "/api/v1/home", bearer_c, NULL, 0, 401, "unauthorized" }, /* revoked */
        { "GET", "/api/v1/home", bearer_a, NULL, 0, 200, NULL },
        { "GET", "/api/v1/home", bearer_upper, NULL, 0, 200, NULL },
        { "POST", "/api/v1/home", bearer_a, NULL, 0, 405, "method_not_allowed" },
        { "POST", "/health", NULL, NULL, 1, 413, "too_large" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct adapter_output out;
        cJSON *j = request(&e, cases[i].method, cases[i].path, cases[i].auth, cases[i].body,
                           cases[i].too_large, &out);
        if (out.status != cases[i].status)
            printf("# case %zu: %s %s -> %d\n", i, cases[i].method, cases[i].path, out.status);
        CHECK_EQ_INT(out.status, cases[i].status);
        CHECK(cJSON_IsObject(j));
        if (cases[i].code) {
            CHECK_EQ_STR(str(j, "code"), cases[i].code);
            CHECK(str(j, "message") != NULL);
            CHECK_EQ_INT(cJSON_GetArraySize(j), 2); /* exactly {"code","message"} */
        } else {
            CHECK(str(j, "code") == NULL);
        }
        CHECK_EQ_INT(out.www_authenticate, cases[i].status == 401);
        if (cases[i].status == 405)
            CHECK(strstr(out.allow, "GET") != NULL);
        cJSON_Delete(j);
    }
    env_close(&e);
}

static void test_health_body(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e), 0);
    struct adapter_output out;
    cJSON *j = request(&e, "GET", "/health", NULL, NULL, 0, &out);
    CHECK_EQ_INT(out.status, 200);
    CHECK_EQ_STR(str(j, "status"), "ok");
    CHECK_EQ_STR(str(j, "version"), "0.1.0");
    CHECK_EQ_STR(str(j, "db"), "ok");
    cJSON_Delete(j);
    env_close(&e);
}

/* A handler's api_fail() message replaces the default one; the code stays ours. */
static int h_explains(const struct caller *w, const struct api_request *r, cJSON **o)
{
    (void)w, (void)r;
    return api_fail(o, -EINVAL, "month must be 1 to 12");
}
static int h_busy(const struct caller *w, const struct api_request *r, cJSON **o)
{
    (void)w, (void)r, (void)o;
    return -EBUSY;
}
static int h_echo(const struct caller *w, const struct api_request *r, cJSON **o)
{
    (void)w;
    cJSON *in = NULL;
    int rc = api_body_json(r, &in);
    if (rc < 0)
        return rc;
    *o = in;
    return 0;
}

static void test_handler_errors_and_bodies(void)
{
    static const struct api_route t[] = {
        { "GET", "/explain", ACCESS_PUBLIC, h_explains },
        { "GET", "/busy", ACCESS_PUBLIC, h_busy },
        { "POST", "/echo", ACCESS_PUBLIC, h_echo },
        { "GET", "/staff", ACCESS_STAFF, h_busy },
        { NULL, NULL, ACCESS_PUBLIC, NULL },
    };
    static const struct api_route *const tt[] = { t, NULL };
    struct env e;
    CHECK_EQ_INT(fixture_open(&e.f), 0);
    CHECK_EQ_INT(router_create(tt, &e.r), 0);
    struct adapter_output out;
    cJSON *j = request(&e, "GET", "/explain", NULL, NULL, 0, &out);
    CHECK_EQ_INT(out.status, 400);
    CHECK_EQ_STR(str(j, "code"), "bad_request");
    CHECK_EQ_STR(str(j, "message"), "month must be 1 to 12");
    cJSON_Delete(j);
    j = request(&e, "GET", "/busy", NULL, NULL, 0, &out);
    CHECK_EQ_INT(out.status, 503);
    cJSON_Delete(j);
    j = request(&e, "POST", "/echo", NULL, "{\"a\":[1,2]}", 0, &out);
    CHECK_EQ_INT(out.status, 200);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "a")), 2);
    cJSON_Delete(j);
    j = request(&e, "POST", "/echo", NULL, "{\"a\":", 0, &out);
    CHECK_EQ_INT(out.status, 400);
    cJSON_Delete(j);
    j = request(&e, "POST", "/echo", NULL, "[1]", 0, &out);
    CHECK_EQ_INT(out.status, 400);
    cJSON_Delete(j);
    j = request(&e, "POST", "/echo", NULL, NULL, 0, &out);
    CHECK_EQ_INT(out.status, 400);
    cJSON_Delete(j);
    /* A valid box token on a staff route: known caller, wrong level → 403. */
    char bearer[128];
    snprintf(bearer, sizeof(bearer), "Bearer %s", e.f.token_b);
    j = request(&e, "GET", "/staff", bearer, NULL, 0, &out);
    CHECK_EQ_INT(out.status, 403);
    CHECK_EQ_STR(str(j, "code"), "forbidden");
    cJSON_Delete(j);
    j = request(&e, "GET", "/staff", NULL, NULL, 0, &out);
    CHECK_EQ_INT(out.status, 401);
    cJSON_Delete(j);
    env_close(&e);
}

/* The gate for the routes that are not API handlers: the adapter admits (or refuses, as JSON)
 * and tells the HTTP layer which reply to make, for whom. */
static void test_gate_of_other_routes(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e), 0);
    if (!e.r) {
        fixture_close(&e.f);
        return;
    }
    char bearer_a[128], bearer_c[128];
    snprintf(bearer_a, sizeof(bearer_a), "Bearer %s", e.f.token_a);
    snprintf(bearer_c, sizeof(bearer_c), "Bearer %s", e.f.token_c);
    static const char key[] =
        "Bearer 1111111111111111111111111111111111111111111111111111111111111111";
    const struct {
        const char *method, *path, *auth, *origin;
        int status;
        enum route_serve serve; /* SERVE_API: the adapter replied itself */
        const char *code;
    } cases[] = {
        { "GET", "/media/items/x/poster.jpg", bearer_a, NULL, 200, SERVE_MEDIA, "ok" },
        { "HEAD", "/live/3/index.m3u8", bearer_a, NULL, 200, SERVE_LIVE, "ok" },
        { "GET", "/media/items/x/poster.jpg", NULL, NULL, 401, SERVE_API, "unauthorized" },
        { "GET", "/live/3/index.m3u8", bearer_c, NULL, 401, SERVE_API, "unauthorized" },
        { "GET", "/live/3/index.m3u8", key, NULL, 401, SERVE_API, "unauthorized" },
        { "DELETE", "/media/x.ts", bearer_a, NULL, 405, SERVE_API, "method_not_allowed" },
        { "GET", "/media", bearer_a, NULL, 404, SERVE_API, "not_found" },
        /* The publisher's key is live/'s to check: the gate lets it through. */
        { "PUT", "/live/3/seg1.ts", key, NULL, 200, SERVE_PUBLISH, "ok" },
        { "PUT", "/live/3/seg1.ts", key, "https://evil.example", 403, SERVE_API, "cross_site" },
        { "GET", "/dashboard/", NULL, NULL, 200, SERVE_DASHBOARD, "ok" },
        { "GET", "/api/v1/events", NULL, NULL, 401, SERVE_API, "unauthorized" },
        /* No event hub here (shutting down): busy, not a stream. */
        { "GET", "/api/v1/events", bearer_a, NULL, 503, SERVE_API, "unavailable" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct adapter_input in = {
            .method = cases[i].method,
            .path = cases[i].path,
            .authorization = cases[i].auth,
            .origin = cases[i].origin,
            .host = "127.0.0.1:8443",
            .now = test_now(),
        };
        struct adapter_output out;
        adapter_dispatch(e.r, e.f.s, &in, &out);
        if (out.status != cases[i].status)
            printf("# case %zu: %s %s -> %d\n", i, cases[i].method, cases[i].path, out.status);
        CHECK_EQ_INT(out.status, cases[i].status);
        CHECK_EQ_INT(out.serve, cases[i].serve);
        if (cases[i].serve != SERVE_API) {
            CHECK_EQ_STR(out.code, "ok");
        } else {
            cJSON *j = out.body ? cJSON_ParseWithLength(out.body, out.body_len) : NULL;
            CHECK_EQ_STR(str(j, "code"), cases[i].code);
            cJSON_Delete(j);
        }
        CHECK_EQ_INT(out.page, strncmp(cases[i].path, "/dashboard", 10) == 0);
        CHECK((out.body != NULL) == (cases[i].serve == SERVE_API));
        if (cases[i].serve == SERVE_MEDIA || cases[i].serve == SERVE_LIVE)
            CHECK(out.who.kind == CALLER_BOX && out.who.box_id > 0);
        adapter_output_fini(&out);
    }
    env_close(&e);
}

int main(void)
{
    RUN(test_error_mapping);
    RUN(test_dispatch_statuses);
    RUN(test_health_body);
    RUN(test_handler_errors_and_bodies);
    RUN(test_gate_of_other_routes);
    return CHECK_DONE();
}
