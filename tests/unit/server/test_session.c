/* Accounts and sessions: argon2id passwords, session tokens resolved with their expiry, login
 * and logout through the adapter (no sockets), failed-login limits per username and per
 * address, per-token request limits (429 with Retry-After), and the token buckets themselves. */
#include <errno.h>

#include "../check.h"
#include "http/adapter.h"
#include "http/router.h"
#include "people_fixture.h"
#include "util/ratelimit.h"

struct env {
    struct fixture f;
    struct people p;
    struct router *r;
    struct ratelimit *buckets;
    struct api_limits limits;
};

static int env_open(struct env *e)
{
    memset(e, 0, sizeof(*e));
    if (people_open(&e->f, &e->p) < 0 || router_create(api_route_tables, &e->r) < 0 ||
        ratelimit_create(1024, &e->buckets) < 0)
        return -1;
    e->limits = (struct api_limits){ e->buckets, { 20, 40 }, { 1.0 / 60, 5 }, { 0.2, 20 } };
    return 0;
}

static void env_close(struct env *e)
{
    ratelimit_destroy(e->buckets);
    router_destroy(e->r);
    fixture_close(&e->f);
}

/* One request at time NOW from ADDR; the parsed body (caller frees), status in out. */
static cJSON *call(struct env *e, const char *method, const char *path, const char *auth,
                   const char *body, time_t now, const char *addr, struct adapter_output *out)
{
    struct adapter_input in = {
        .method = method, .path = path, .authorization = auth, .body = body,
        .body_len = body ? strlen(body) : 0, .now = now, .client_addr = addr,
        .limits = &e->limits,
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

static void test_passwords(void)
{
    CHECK_EQ_INT(auth_init(), 0);
    char h[AUTH_PWHASH_MAX], h2[AUTH_PWHASH_MAX];
    CHECK_EQ_INT(auth_password_hash("正确的密码 horse", h), 0);
    CHECK_EQ_INT(strncmp(h, "$argon2id$", 10), 0);
    CHECK(strstr(h, "m=65536,t=2") != NULL); /* the interactive limits */
    CHECK_EQ_INT(auth_password_hash("正确的密码 horse", h2), 0);
    CHECK(strcmp(h, h2) != 0); /* salted */
    CHECK_EQ_INT(auth_password_verify(h, "正确的密码 horse"), 0);
    CHECK_EQ_INT(auth_password_verify(h, "正确的密码 horsE"), -EACCES);
    CHECK_EQ_INT(auth_password_verify(h, ""), -EACCES);
    CHECK_EQ_INT(auth_password_verify("garbage", "x"), -EACCES);
    CHECK_EQ_INT(auth_password_hash("", h), -EINVAL);
    char longpw[AUTH_PASSWORD_MAX + 2];
    memset(longpw, 'a', sizeof(longpw) - 1);
    longpw[sizeof(longpw) - 1] = '\0';
    CHECK_EQ_INT(auth_password_hash(longpw, h), -EINVAL);
    CHECK_EQ_INT(auth_password_burn("whatever"), -EACCES);
}

static void test_resolve_sessions(void)
{
    struct fixture f;
    struct people p;
    CHECK_EQ_INT(people_open(&f, &p), 0);
    char h[128];
    struct caller who;
    time_t now = test_now();
    CHECK_EQ_INT(auth_resolve_at(f.s, bearer(p.tok_cadre_a, h, sizeof(h)), now, &who), 0);
    CHECK_EQ_INT(who.kind, CALLER_CADRE);
    CHECK_EQ_INT(who.village_id, f.village_a);
    CHECK_EQ_INT(who.township_id, f.township);
    CHECK_EQ_INT(who.account_id, p.cadre_a);
    CHECK_EQ_INT(who.session_id, p.s_cadre_a);
    CHECK_EQ_INT(who.box_id, 0);
    CHECK_EQ_INT(auth_resolve_at(f.s, bearer(p.tok_staff, h, sizeof(h)), now, &who), 0);
    CHECK_EQ_INT(who.kind, CALLER_STAFF);
    CHECK_EQ_INT(who.village_id, 0);
    CHECK_EQ_INT(who.township_id, f.township);
    CHECK_EQ_INT(auth_resolve_at(f.s, bearer(p.tok_admin, h, sizeof(h)), now, &who), 0);
    CHECK_EQ_INT(who.kind, CALLER_ADMIN);
    /* At its expiry (12 h after login) the session is refused; the caller stays unknown. */
    CHECK_EQ_INT(auth_resolve_at(f.s, bearer(p.tok_staff, h, sizeof(h)),
                                 now + AUTH_SESSION_TTL, &who),
                 -EKEYEXPIRED);
    CHECK_EQ_INT(who.kind, CALLER_NONE);
    /* Box tokens still resolve as before. */
    CHECK_EQ_INT(auth_resolve_at(f.s, bearer(f.token_a, h, sizeof(h)), now, &who), 0);
    CHECK_EQ_INT(who.kind, CALLER_BOX);
    CHECK_EQ_INT(who.account_id, 0);
    fixture_close(&f);
}

static void test_login_and_logout(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e), 0);
    struct adapter_output out;
    time_t now = test_now();
    char body[256], h[128];
    snprintf(body, sizeof(body), "{\"username\":\"cadre-a\",\"password\":\"%s\"}",
             e.p.password_a);
    cJSON *j = call(&e, "POST", "/api/v1/sessions", NULL, body, now, "10.0.0.1", &out);
    CHECK_EQ_INT(out.status, 200);
    CHECK_EQ_STR(str(j, "role"), "cadre");
    CHECK_EQ_STR(str(j, "expires_at"), "2026-11-23T22:00:00Z"); /* login + 12 h */
    const cJSON *org = cJSON_GetObjectItemCaseSensitive(j, "org");
    CHECK_EQ_STR(str(org, "name"), "东村");
    CHECK_EQ_STR(str(org, "kind"), "village");
    char token[AUTH_TOKEN_HEX] = "";
    if (str(j, "token"))
        snprintf(token, sizeof(token), "%s", str(j, "token"));
    CHECK_EQ_INT(strlen(token), 64);
    cJSON_Delete(j);

    /* The new token opens people routes, not box routes. */
    j = call(&e, "GET", "/api/v1/home", bearer(token, h, sizeof(h)), NULL, now, NULL, &out);
    CHECK_EQ_INT(out.status, 403);
    cJSON_Delete(j);
    j = call(&e, "DELETE", "/api/v1/sessions/current", bearer(token, h, sizeof(h)), NULL, now,
             NULL, &out);
    CHECK_EQ_INT(out.status, 200);
    cJSON_Delete(j);
    j = call(&e, "DELETE", "/api/v1/sessions/current", bearer(token, h, sizeof(h)), NULL, now,
             NULL, &out);
    CHECK_EQ_INT(out.status, 401); /* logged out: the token is gone */
    CHECK_EQ_STR(str(j, "code"), "unauthorized");
    cJSON_Delete(j);
    /* A box may not log out a session (people route). */
    j = call(&e, "DELETE", "/api/v1/sessions/current", bearer(e.f.token_a, h, sizeof(h)), NULL,
             now, NULL, &out);
    CHECK_EQ_INT(out.status, 403);
    cJSON_Delete(j);
    /* An expired session: 401 session_expired. */
    j = call(&e, "DELETE", "/api/v1/sessions/current", bearer(e.p.tok_staff, h, sizeof(h)),
             NULL, now + AUTH_SESSION_TTL, NULL, &out);
    CHECK_EQ_INT(out.status, 401);
    CHECK_EQ_STR(str(j, "code"), "session_expired");
    CHECK_EQ_INT(out.www_authenticate, 1);
    cJSON_Delete(j);
    env_close(&e);
}

static void test_login_refusals(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e), 0);
    struct adapter_output out;
    time_t now = test_now();
    static const struct {
        const char *body;
        int status;
        const char *code;
    } cases[] = {
        { "{\"username\":\"cadre-a\",\"password\":\"wrong\"}", 401, "bad_credentials" },
        { "{\"username\":\"nobody\",\"password\":\"wrong\"}", 401, "bad_credentials" },
        { "{\"username\":\"cadre-b\",\"password\":\"x\"}", 401, "bad_credentials" },
        { "{\"username\":\"cadre-a\"", 400, "bad_request" },
        { "[\"cadre-a\"]", 400, "bad_request" },
        { "{\"username\":\"cadre-a\"}", 400, "bad_request" },
        { "{\"username\":\"cadre-a\",\"password\":1234}", 400, "bad_request" },
        { "{\"username\":\"cadre-a\",\"password\":\"x\",\"admin\":true}", 400, "bad_request" },
        { "{\"username\":\"ab\",\"password\":\"x\"}", 400, "bad_request" },
        { "{\"username\":\"a\\u0001b\",\"password\":\"x\"}", 400, "bad_request" },
        { "{\"username\":\"cadre-a\",\"username\":\"x\",\"password\":\"x\"}", 400,
          "bad_request" },
        { "", 400, "bad_request" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        /* A fresh address each time, so the per-address limit stays out of the way. */
        char addr[32];
        snprintf(addr, sizeof(addr), "10.0.1.%zu", i);
        cJSON *j = call(&e, "POST", "/api/v1/sessions", NULL, cases[i].body, now + (time_t)i * 60,
                        addr, &out);
        if (out.status != cases[i].status)
            printf("# case %zu -> %d\n", i, out.status);
        CHECK_EQ_INT(out.status, cases[i].status);
        CHECK_EQ_STR(str(j, "code"), cases[i].code);
        CHECK_EQ_INT(cJSON_GetArraySize(j), 2);
        cJSON_Delete(j);
    }
    env_close(&e);
}

static void test_login_limits(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e), 0);
    struct adapter_output out;
    time_t now = test_now();
    char good[256];
    snprintf(good, sizeof(good), "{\"username\":\"cadre-a\",\"password\":\"%s\"}",
             e.p.password_a);
    static const char bad[] = "{\"username\":\"cadre-a\",\"password\":\"guess\"}";
    /* A good login costs nothing; five failures per username, then 429. */
    cJSON *j = call(&e, "POST", "/api/v1/sessions", NULL, good, now, "10.0.0.1", &out);
    CHECK_EQ_INT(out.status, 200);
    cJSON_Delete(j);
    for (int i = 0; i < 5; i++) {
        j = call(&e, "POST", "/api/v1/sessions", NULL, bad, now, "10.0.0.1", &out);
        CHECK_EQ_INT(out.status, 401);
        cJSON_Delete(j);
    }
    j = call(&e, "POST", "/api/v1/sessions", NULL, good, now, "10.0.0.2", &out);
    CHECK_EQ_INT(out.status, 429); /* even the right password: the username is locked */
    CHECK_EQ_STR(str(j, "code"), "rate_limited");
    CHECK_EQ_INT(out.retry_after, 60);
    cJSON_Delete(j);
    j = call(&e, "POST", "/api/v1/sessions", NULL, good, now + 60, "10.0.0.2", &out);
    CHECK_EQ_INT(out.status, 200); /* a minute later one more try */
    cJSON_Delete(j);

    /* Per address: 20 failures over many usernames, then 429 for any username. */
    for (int i = 0; i < 20; i++) {
        char b[128];
        snprintf(b, sizeof(b), "{\"username\":\"user%02d\",\"password\":\"x\"}", i);
        j = call(&e, "POST", "/api/v1/sessions", NULL, b, now, "10.0.0.9", &out);
        CHECK_EQ_INT(out.status, 401);
        cJSON_Delete(j);
    }
    j = call(&e, "POST", "/api/v1/sessions", NULL, "{\"username\":\"user99\",\"password\":\"x\"}",
             now, "10.0.0.9", &out);
    CHECK_EQ_INT(out.status, 429);
    CHECK_EQ_INT(out.retry_after, 5);
    cJSON_Delete(j);
    env_close(&e);
}

static void test_per_token_limit(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e), 0);
    struct adapter_output out;
    time_t now = test_now();
    char h[128], hb[128];
    bearer(e.f.token_a, h, sizeof(h));
    bearer(e.f.token_b, hb, sizeof(hb));
    int ok = 0, limited = 0;
    for (int i = 0; i < 45; i++) {
        cJSON *j = call(&e, "GET", "/api/v1/home", h, NULL, now, NULL, &out);
        if (out.status == 200)
            ok++;
        if (out.status == 429) {
            limited++;
            CHECK_EQ_STR(str(j, "code"), "rate_limited");
            CHECK_EQ_INT(out.retry_after, 1);
        }
        cJSON_Delete(j);
    }
    CHECK_EQ_INT(ok, 40); /* the burst */
    CHECK_EQ_INT(limited, 5);
    /* Another token has its own bucket; a second later 20 more are allowed. */
    cJSON *j = call(&e, "GET", "/api/v1/home", hb, NULL, now, NULL, &out);
    CHECK_EQ_INT(out.status, 200);
    cJSON_Delete(j);
    ok = 0;
    for (int i = 0; i < 25; i++) {
        j = call(&e, "GET", "/api/v1/home", h, NULL, now + 1, NULL, &out);
        ok += out.status == 200;
        cJSON_Delete(j);
    }
    CHECK_EQ_INT(ok, 20);
    env_close(&e);
}

static void test_buckets(void)
{
    struct ratelimit *rl = NULL;
    CHECK_EQ_INT(ratelimit_create(10, &rl), 0);
    const struct ratelimit_rule r = { 2, 3 };
    uint64_t k = ratelimit_key(rl, "x", "abc", 3);
    CHECK(k != ratelimit_key(rl, "y", "abc", 3));
    CHECK(k != ratelimit_key(rl, "x", "abd", 3));
    CHECK(k == ratelimit_key(rl, "x", "abc", 3));
    int retry = 0;
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(ratelimit_take(rl, k, &r, 100.0, &retry), 0);
    CHECK_EQ_INT(ratelimit_take(rl, k, &r, 100.0, &retry), -EDQUOT);
    CHECK_EQ_INT(retry, 1);
    ratelimit_refund(rl, k, &r);
    CHECK_EQ_INT(ratelimit_take(rl, k, &r, 100.0, &retry), 0);
    CHECK_EQ_INT(ratelimit_take(rl, k, &r, 100.5, &retry), 0); /* 0.5 s = one token */
    CHECK_EQ_INT(ratelimit_take(rl, k, &r, 100.5, &retry), -EDQUOT);
    const struct ratelimit_rule off = { 0, 0 };
    CHECK_EQ_INT(ratelimit_take(rl, k, &off, 100.5, &retry), 0);
    /* Far more keys than slots: the table recycles, never grows or fails. */
    for (uint64_t i = 1; i < 5000; i++)
        CHECK_EQ_INT(ratelimit_take(rl, i * 7919, &r, 200.0, &retry), 0);
    ratelimit_destroy(rl);
}

int main(void)
{
    RUN(test_passwords);
    RUN(test_resolve_sessions);
    RUN(test_login_and_logout);
    RUN(test_login_refusals);
    RUN(test_login_limits);
    RUN(test_per_token_limit);
    RUN(test_buckets);
    return CHECK_DONE();
}
