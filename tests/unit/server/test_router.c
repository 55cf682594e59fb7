/* Router matching, path parameters, route-table validation and access levels (table-driven). */
#include <errno.h>

#include "../check.h"
#include "auth/auth.h"
#include "http/router.h"

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
    CHECK_EQ_STR(auth_access_name(ACCESS_CADRE), "cadre");
}

int main(void)
{
    RUN(test_match_table);
    RUN(test_params_and_ids);
    RUN(test_bad_tables_refused);
    RUN(test_real_routes_register);
    RUN(test_access_levels);
    return CHECK_DONE();
}
