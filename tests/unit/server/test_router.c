/* Router matching, path parameters, route-table validation and access levels (table-driven). */
#include <errno.h>

#include "../check.h"
#include "auth/auth.h"
#include "http/router.h"
#include "live/live.h"
#include "upload/upload.h"

static int h_a(const struct caller *w, const struct api_request *r, cJSON **o)
{
    (void)w, (void)r, (void)o;
    return 0;
}
static int h_b(const struct caller *w, const struct api_request *r, cJSON **o)
{
    (void)w, (void)r, (void)o;
    return 0;
}

static const struct api_route table_one[] = {
    { "GET", "/health", ACCESS_PUBLIC, h_a },
    { "GET", "/api/v1/home", ACCESS_BOX, h_a },
    { "POST", "/api/v1/home", ACCESS_BOX, h_b },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};
static const struct api_route table_two[] = {
    { "GET", "/api/v1/content/{id}", ACCESS_BOX, h_b },
    { "DELETE", "/api/v1/content/{id}", ACCESS_STAFF, h_a },
    { "GET", "/api/v1/villages/{village_id}/people/{name}", ACCESS_CADRE, h_a },
    { "GET", "/", ACCESS_PUBLIC, h_b },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};
static const struct api_route *const tables[] = { table_one, table_two, NULL };

static void test_match_table(void)
{
    static const struct {
        const char *method, *path;
        int rc;
        const struct api_route *route;
        const char *param; /* expected value of the first parameter, or NULL */
        const char *allow;
    } cases[] = {
        { "GET", "/health", 0, &table_one[0], NULL, "" },
        { "HEAD", "/health", 0, &table_one[0], NULL, "" },
        { "POST", "/health", -EOPNOTSUPP, NULL, NULL, "GET, HEAD" },
        { "GET", "/health/", -ENOENT, NULL, NULL, "" },
        { "GET", "/healthz", -ENOENT, NULL, NULL, "" },
        { "GET", "/Health", -ENOENT, NULL, NULL, "" },
        { "GET", "//health", -ENOENT, NULL, NULL, "" },
        { "GET", "health", -ENOENT, NULL, NULL, "" },
        { "GET", "", -ENOENT, NULL, NULL, "" },
        { "GET", "/api/v1/home", 0, &table_one[1], NULL, "" },
        { "POST", "/api/v1/home", 0, &table_one[2], NULL, "" },
        { "PUT", "/api/v1/home", -EOPNOTSUPP, NULL, NULL, "GET, HEAD, POST" },
        { "GET", "/api/v1", -ENOENT, NULL, NULL, "" },
        { "GET", "/api/v1/home/x", -ENOENT, NULL, NULL, "" },
        { "GET", "/api/v1/content/42", 0, &table_two[0], "42", "" },
        { "DELETE", "/api/v1/content/7", 0, &table_two[1], "7", "" },
        { "GET", "/api/v1/content/0", -ENOENT, NULL, NULL, "" },
        { "GET", "/api/v1/content/-1", -ENOENT, NULL, NULL, "" },
        { "GET", "/api/v1/content/12a", -ENOENT, NULL, NULL, "" },
        { "GET", "/api/v1/content/1234567890123456789", -ENOENT, NULL, NULL, "" },
        { "GET", "/api/v1/content/", -ENOENT, NULL, NULL, "" },
        { "PATCH", "/api/v1/content/5", -EOPNOTSUPP, NULL, NULL, "GET, HEAD, DELETE" },
        { "GET", "/api/v1/villages/3/people/王建国", 0, &table_two[2], "3", "" },
        { "GET", "/api/v1/villages/x/people/a", -ENOENT, NULL, NULL, "" },
        { "GET", "/", 0, &table_two[3], NULL, "" },
    };
    struct router *r = NULL;
    CHECK_EQ_INT(router_create(tables, &r), 0);
    if (!r)
        return;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct route_match m;
        int rc = router_match(r, cases[i].method, cases[i].path, &m);
        if (rc != cases[i].rc)
            printf("# case %zu: %s %s -> %d\n", i, cases[i].method, cases[i].path, rc);
        CHECK_EQ_INT(rc, cases[i].rc);
        CHECK(m.route == cases[i].route);
        CHECK_EQ_STR(m.allow, cases[i].allow);
        if (cases[i].param) {
            CHECK(m.n_params >= 1);
            CHECK_EQ_STR(m.params[0].value, cases[i].param);
        }
    }
    router_destroy(r);
}

static void test_params_and_ids(void)
{
    struct router *r = NULL;
    CHECK_EQ_INT(router_create(tables, &r), 0);
    if (!r)
        return;
    struct route_match m;
    CHECK_EQ_INT(router_match(r, "GET", "/api/v1/villages/12/people/李秀英", &m), 0);
    CHECK_EQ_INT(m.n_params, 2);
    struct api_request req = { .n_params = m.n_params };
    memcpy(req.params, m.params, sizeof(req.params));
    int64_t id = 0;
    CHECK_EQ_INT(api_param_id(&req, "village_id", &id), 0);
    CHECK_EQ_INT(id, 12);
    CHECK_EQ_INT(api_param_id(&req, "name", &id), -EINVAL); /* not a number */
    CHECK_EQ_INT(api_param_id(&req, "id", &id), -ENOENT);
    CHECK_EQ_STR(m.params[1].value, "李秀英");
    router_destroy(r);
}

static void test_bad_tables_refused(void)
{
    static const char *const bad_patterns[] = {
        "health", "/health/", "//x", "/a//b", "/a/{", "/a/{}", "/a/b{id}", "/{a}/{b}/{c}/{d}/{e}",
        "/a/{rest*}/b", "/a/{x*y}", "/a/{*x}",
    };
    fprintf(stderr, "# the route errors logged below are expected\n");
    for (size_t i = 0; i < sizeof(bad_patterns) / sizeof(bad_patterns[0]); i++) {
        struct api_route t[] = { { "GET", bad_patterns[i], ACCESS_PUBLIC, h_a },
                                 { NULL, NULL, ACCESS_PUBLIC, NULL } };
        const struct api_route *const tt[] = { t, NULL };
        struct router *r = NULL;
        int rc = router_create(tt, &r);
        if (rc != -EINVAL)
            printf("# pattern %s accepted\n", bad_patterns[i]);
        CHECK_EQ_INT(rc, -EINVAL);
        CHECK(r == NULL);
    }
    /* The same method and pattern twice, across tables. */
    const struct api_route *const dup[] = { table_one, table_one, NULL };
    struct router *r = NULL;
    CHECK_EQ_INT(router_create(dup, &r), -EINVAL);
    CHECK(r == NULL);
    /* No handler. */
    struct api_route nh[] = { { "GET", "/x", ACCESS_PUBLIC, NULL }, { NULL, NULL, 0, NULL } };
    const struct api_route *const nht[] = { nh, NULL };
    CHECK_EQ_INT(router_create(nht, &r), -EINVAL);
}

static void test_real_routes_register(void)
{
    struct router *r = NULL;
    CHECK_EQ_INT(router_create(api_route_tables, &r), 0);
    struct route_match m;
    CHECK_EQ_INT(router_match(r, "GET", "/health", &m), 0);
    CHECK(m.route && m.route->access == ACCESS_PUBLIC && m.route->handler == api_health);
    CHECK_EQ_INT(router_match(r, "GET", "/api/v1/home", &m), 0);
    CHECK(m.route && m.route->access == ACCESS_BOX && m.route->handler == api_home);
    router_destroy(r);
}

/* The routes beside the API: media, live, the event stream and the dashboard, in the same
 * router with their access levels, methods, body limits and metering. */
static void test_http_routes(void)
{
    static const struct {
        const char *method, *path;
        int rc;
        enum route_serve serve;
        enum auth_access access;
        const char *tail; /* what {name*} matched; NULL = nothing */
        const char *allow;
    } cases[] = {
        { "GET", "/media/items/a/hls/index.m3u8", 0, SERVE_MEDIA, ACCESS_SIGNED_IN,
          "items/a/hls/index.m3u8", "" },
        { "HEAD", "/media/x.png", 0, SERVE_MEDIA, ACCESS_SIGNED_IN, "x.png", "" },
        { "GET", "/media//etc/passwd", 0, SERVE_MEDIA, ACCESS_SIGNED_IN, "/etc/passwd", "" },
        { "GET", "/media/", 0, SERVE_MEDIA, ACCESS_SIGNED_IN, "", "" },
        { "GET", "/media", -ENOENT, SERVE_API, ACCESS_PUBLIC, NULL, "" },
        { "POST", "/media/x.png", -EOPNOTSUPP, SERVE_API, ACCESS_PUBLIC, NULL, "GET, HEAD" },
        { "GET", "/live/4/index.m3u8", 0, SERVE_LIVE, ACCESS_SIGNED_IN, "index.m3u8", "" },
        { "PUT", "/live/4/seg12.ts", 0, SERVE_PUBLISH, ACCESS_PUBLISHER, "seg12.ts", "" },
        { "POST", "/live/4/seg12.ts", 0, SERVE_PUBLISH, ACCESS_PUBLISHER, "seg12.ts", "" },
        /* The publisher's own question beats the files' route (its key is checked by live/). */
        { "GET", "/live/4/publisher", 0, SERVE_PUBLISHER, ACCESS_PUBLISHER, NULL, "" },
        { "HEAD", "/live/4/publisher", 0, SERVE_PUBLISHER, ACCESS_PUBLISHER, NULL, "" },
        { "GET", "/live/4/publisher/x", 0, SERVE_LIVE, ACCESS_SIGNED_IN, "publisher/x", "" },
        { "PUT", "/live/4/../seg1.ts", 0, SERVE_PUBLISH, ACCESS_PUBLISHER, "../seg1.ts", "" },
        { "DELETE", "/live/4/seg12.ts", -EOPNOTSUPP, SERVE_API, ACCESS_PUBLIC, NULL,
          "GET, HEAD, PUT, POST" },
        { "GET", "/live/x/index.m3u8", -ENOENT, SERVE_API, ACCESS_PUBLIC, NULL, "" },
        { "GET", "/live/4", -ENOENT, SERVE_API, ACCESS_PUBLIC, NULL, "" },
        { "GET", "/api/v1/events", 0, SERVE_EVENTS, ACCESS_SIGNED_IN, NULL, "" },
        { "HEAD", "/api/v1/events", -EOPNOTSUPP, SERVE_API, ACCESS_PUBLIC, NULL, "GET" },
        { "POST", "/api/v1/events", -EOPNOTSUPP, SERVE_API, ACCESS_PUBLIC, NULL, "GET" },
        { "GET", "/dashboard", 0, SERVE_DASHBOARD, ACCESS_PUBLIC, NULL, "" },
        { "GET", "/dashboard/", 0, SERVE_DASHBOARD, ACCESS_PUBLIC, "", "" },
        { "GET", "/dashboard/vendor/echarts.js", 0, SERVE_DASHBOARD, ACCESS_PUBLIC,
          "vendor/echarts.js", "" },
        { "GET", "/dashboardx", -ENOENT, SERVE_API, ACCESS_PUBLIC, NULL, "" },
        { "GET", "/api/v1/home", 0, SERVE_API, ACCESS_BOX, NULL, "" },
        /* Staff's file: its handler first, then the body to disk; the job's state beside it. */
        { "PUT", "/api/v1/staff/uploads/7/file", 0, SERVE_UPLOAD, ACCESS_STAFF, NULL, "" },
        { "POST", "/api/v1/staff/uploads/7/file", -EOPNOTSUPP, SERVE_API, ACCESS_PUBLIC, NULL,
          "PUT" },
        { "PUT", "/api/v1/staff/uploads/x/file", -ENOENT, SERVE_API, ACCESS_PUBLIC, NULL, "" },
        { "GET", "/api/v1/staff/uploads/7", 0, SERVE_API, ACCESS_STAFF, NULL, "" },
    };
    struct router *r = NULL;
    CHECK_EQ_INT(router_create(api_route_tables, &r), 0);
    if (!r)
        return;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct route_match m;
        int rc = router_match(r, cases[i].method, cases[i].path, &m);
        if (rc != cases[i].rc)
            printf("# case %zu: %s %s -> %d\n", i, cases[i].method, cases[i].path, rc);
        CHECK_EQ_INT(rc, cases[i].rc);
        CHECK_EQ_STR(m.allow, cases[i].allow);
        if (rc < 0) {
            CHECK(m.entry == NULL);
            CHECK_EQ_INT((int)router_body_max(&m), ROUTER_BODY_MAX);
            continue;
        }
        CHECK(m.entry != NULL);
        if (!m.entry)
            continue;
        CHECK_EQ_INT(m.entry->serve, cases[i].serve);
        CHECK_EQ_INT(m.entry->access, cases[i].access);
        CHECK((m.route != NULL) ==
              (cases[i].serve == SERVE_API || cases[i].serve == SERVE_UPLOAD));
        if (cases[i].tail)
            CHECK(m.tail && strcmp(m.tail, cases[i].tail) == 0);
        else
            CHECK(m.tail == NULL);
        /* Players are not metered; the publisher takes a whole segment. */
        int media = cases[i].serve == SERVE_MEDIA || cases[i].serve == SERVE_LIVE;
        if (media)
            CHECK(m.entry->flags & ROUTE_UNMETERED);
        if (cases[i].serve == SERVE_API || cases[i].serve == SERVE_EVENTS)
            CHECK(!(m.entry->flags & ROUTE_UNMETERED));
        size_t body_max = cases[i].serve == SERVE_PUBLISH  ? LIVE_SEGMENT_MAX
                          : cases[i].serve == SERVE_UPLOAD ? UPLOAD_FILE_MAX
                                                           : ROUTER_BODY_MAX;
        CHECK(router_body_max(&m) == body_max);
        CHECK_EQ_INT(!!(m.entry->flags & ROUTE_PAGE), cases[i].serve == SERVE_DASHBOARD);
    }
    struct route_match m;
    CHECK_EQ_INT(router_match(r, "GET", "/live/4/seg3.ts", &m), 0);
    CHECK_EQ_INT(m.n_params, 1);
    CHECK_EQ_STR(m.params[0].value, "4");
    router_destroy(r);
}

static void test_access_levels(void)
{
    static const enum caller_kind kinds[] = { CALLER_NONE, CALLER_BOX, CALLER_CADRE,
                                              CALLER_STAFF, CALLER_ADMIN };
    /* rows: caller kind; columns: public, box, cadre, staff, admin */
    static const int allowed[5][5] = {
        { 1, 0, 0, 0, 0 }, /* none */
        { 1, 1, 0, 0, 0 }, /* box: a device, not a person */
        { 1, 0, 1, 0, 0 }, /* cadre */
        { 1, 0, 1, 1, 0 }, /* staff */
        { 1, 0, 1, 1, 1 }, /* admin */
    };
    for (int k = 0; k < 5; k++) {
        struct caller who = { .kind = kinds[k] };
        for (int a = ACCESS_PUBLIC; a <= ACCESS_ADMIN; a++) {
            int got = auth_allows(&who, (enum auth_access)a);
            if (got != allowed[k][a])
                printf("# caller %d access %s: %d\n", k, auth_access_name(a), got);
            CHECK_EQ_INT(got, allowed[k][a]);
        }
    }
    CHECK_EQ_INT(auth_allows(NULL, ACCESS_PUBLIC), 1);
    CHECK_EQ_INT(auth_allows(NULL, ACCESS_BOX), 0);
    /* Signed in: any caller. Publisher: no caller (the key is checked by live/). */
    for (int k = 0; k < 5; k++) {
        struct caller who = { .kind = kinds[k] };
        CHECK_EQ_INT(auth_allows(&who, ACCESS_SIGNED_IN), kinds[k] != CALLER_NONE);
        CHECK_EQ_INT(auth_allows(&who, ACCESS_PUBLISHER), 0);
    }
    CHECK_EQ_STR(auth_access_name(ACCESS_SIGNED_IN), "signed_in");
    CHECK_EQ_STR(auth_access_name(ACCESS_CADRE), "cadre");
}

int main(void)
{
    RUN(test_match_table);
    RUN(test_params_and_ids);
    RUN(test_bad_tables_refused);
    RUN(test_real_routes_register);
    RUN(test_http_routes);
    RUN(test_access_levels);
    return CHECK_DONE();
}
