/* The roll-call rules, one by one, through the adapter with the request clock under control:
 * a check-in only from a box of the member's household, only while the roll call is open, only
 * if that box sent a heartbeat for the broadcast in the last 60 s; a repeat is idempotent; each
 * check-in lands in the member's record and credits once. */
#include <errno.h>

#include "../check.h"
#include "api_env.h"

struct rc_env {
    struct api_env e;
    int64_t rollcall;
    int64_t household_h, member_h, box_h; /* another household of 东村 */
    char token_h[AUTH_TOKEN_HEX];
    char token_a2[AUTH_TOKEN_HEX]; /* a second box of household A */
    time_t t;                      /* when the roll call opened */
};

static int add_household_h(struct rc_env *r)
{
    struct store_tx *tx = NULL;
    struct store_member m = { 0 };
    char hash[AUTH_HASH_HEX], hash2[AUTH_HASH_HEX];
    snprintf(m.name, sizeof(m.name), "赵大山");
    if (store_tx_begin(r->e.f.s, &tx) < 0)
        return -1;
    int rc = store_household_add(tx, r->e.f.village_a, "赵家", &r->household_h);
    m.household_id = r->household_h;
    if (rc == 0)
        rc = store_member_add(tx, &m, &r->member_h);
    if (rc == 0 && (auth_token_new(r->token_h) < 0 || auth_token_hash(r->token_h, hash) < 0 ||
                    auth_token_new(r->token_a2) < 0 || auth_token_hash(r->token_a2, hash2) < 0))
        rc = -EIO;
    if (rc == 0)
        rc = store_box_add(tx, r->household_h, hash, "赵家", &r->box_h);
    if (rc == 0)
        rc = store_box_add(tx, r->e.f.household_a, hash2, "王家二号", NULL);
    if (rc < 0) {
        store_tx_rollback(tx);
        return -1;
    }
    return store_tx_commit(tx);
}

/* 东村's cadre opens a roll call for 东村 on the township's live meeting (broadcast 1). */
static int rc_open(struct rc_env *r)
{
    memset(r, 0, sizeof(*r));
    r->t = test_now();
    if (api_env_open(&r->e) < 0 || add_household_h(r) < 0)
        return -1;
    cJSON *j = api_call(&r->e, "POST", "/api/v1/broadcasts/1/rollcalls", r->e.p.tok_cadre_a,
                        NULL, r->t);
    r->rollcall = (int64_t)jnum(j, "id");
    int ok = r->e.status == 200 && jnum(j, "expected") == 3;
    cJSON_Delete(j);
    return ok ? 0 : -1;
}

static int heartbeat(struct rc_env *r, const char *token, time_t at)
{
    return api_status(&r->e, "POST", "/api/v1/broadcasts/1/heartbeat", token, NULL, at);
}

/* POST a check-in of MEMBER from the box with TOKEN at AT; the reply (caller frees). */
static cJSON *checkin(struct rc_env *r, const char *token, int64_t member, time_t at)
{
    char path[80], body[64];
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%lld/checkins", (long long)r->rollcall);
    snprintf(body, sizeof(body), "{\"member_id\":%lld}", (long long)member);
    return api_call(&r->e, "POST", path, token, body, at);
}

static long long rows(struct rc_env *r, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    return db_int(&r->e, sql);
}

/* Rule 1: only a box of the member's own household. */
static void test_rule_own_household(void)
{
    struct rc_env r;
    CHECK_EQ_INT(rc_open(&r), 0);
    CHECK_EQ_INT(heartbeat(&r, r.token_h, r.t), 200);
    cJSON *j = checkin(&r, r.token_h, r.e.p.a1, r.t + 5); /* a neighbour signs for 王建国 */
    CHECK_EQ_INT(r.e.status, 403);
    CHECK_EQ_STR(jstr(j, "code"), "not_household_member");
    cJSON_Delete(j);
    j = checkin(&r, r.token_h, 999999, r.t + 5);
    CHECK_EQ_INT(r.e.status, 403);
    cJSON_Delete(j);
    /* A box of another village does not even see 东村's roll call. */
    CHECK_EQ_INT(heartbeat(&r, r.e.f.token_b, r.t), 200);
    j = checkin(&r, r.e.f.token_b, r.e.p.a1, r.t + 5);
    CHECK_EQ_INT(r.e.status, 404);
    cJSON_Delete(j);
    CHECK_EQ_INT(rows(&r, "checkins"), 0);
    j = checkin(&r, r.token_h, r.member_h, r.t + 6); /* its own member: fine */
    CHECK_EQ_INT(r.e.status, 200);
    cJSON_Delete(j);
    CHECK_EQ_INT(rows(&r, "checkins"), 1);
    api_env_close(&r.e);
}

/* Rule 2: only while the roll call is open. */
static void test_rule_only_while_open(void)
{
    struct rc_env r;
    CHECK_EQ_INT(rc_open(&r), 0);
    CHECK_EQ_INT(heartbeat(&r, r.e.f.token_a, r.t + 30), 200);
    char path[80];
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%lld/close", (long long)r.rollcall);
    CHECK_EQ_INT(api_status(&r.e, "POST", path, r.e.p.tok_cadre_a, NULL, r.t + 40), 200);
    cJSON *j = checkin(&r, r.e.f.token_a, r.e.p.a2, r.t + 45);
    CHECK_EQ_INT(r.e.status, 409);
    CHECK_EQ_STR(jstr(j, "code"), "rollcall_closed");
    cJSON_Delete(j);
    CHECK_EQ_INT(rows(&r, "checkins"), 0);
    /* A roll call that does not exist. */
    CHECK_EQ_INT(api_status(&r.e, "POST", "/api/v1/rollcalls/999/checkins", r.e.f.token_a,
                            "{\"member_id\":1}", r.t),
                 404);
    api_env_close(&r.e);
}

/* Rule 3: only if this box sent a heartbeat for the broadcast in the last 60 s. */
static void test_rule_heartbeat_60s(void)
{
    struct rc_env r;
    CHECK_EQ_INT(rc_open(&r), 0);
    cJSON *j = checkin(&r, r.e.f.token_a, r.e.p.a1, r.t + 5); /* never sent one */
    CHECK_EQ_INT(r.e.status, 403);
    CHECK_EQ_STR(jstr(j, "code"), "not_watching");
    cJSON_Delete(j);
    /* The other box of the household watches; this one does not: still refused. */
    CHECK_EQ_INT(heartbeat(&r, r.token_a2, r.t + 10), 200);
    j = checkin(&r, r.e.f.token_a, r.e.p.a1, r.t + 11);
    CHECK_EQ_INT(r.e.status, 403);
    cJSON_Delete(j);
    /* 61 s after its heartbeat: stale. 60 s: accepted. */
    CHECK_EQ_INT(heartbeat(&r, r.e.f.token_a, r.t + 100), 200);
    j = checkin(&r, r.e.f.token_a, r.e.p.a1, r.t + 161);
    CHECK_EQ_INT(r.e.status, 403);
    CHECK_EQ_STR(jstr(j, "code"), "not_watching");
    cJSON_Delete(j);
    j = checkin(&r, r.e.f.token_a, r.e.p.a1, r.t + 160);
    CHECK_EQ_INT(r.e.status, 200);
    CHECK(cJSON_IsTrue(jget(j, "first")));
    cJSON_Delete(j);
    /* A heartbeat for another broadcast does not count: 东村's own meeting, started now with
     * a roll call, while the box plays the township's. */
    cJSON *b = api_call(&r.e, "POST", "/api/v1/broadcasts", r.e.p.tok_cadre_a,
                        "{\"title\":\"东村支部会\"}", r.t + 170);
    char path[80];
    snprintf(path, sizeof(path), "/api/v1/broadcasts/%lld/start", (long long)jnum(b, "id"));
    CHECK_EQ_INT(api_status(&r.e, "POST", path, r.e.p.tok_cadre_a, NULL, r.t + 171), 200);
    snprintf(path, sizeof(path), "/api/v1/broadcasts/%lld/rollcalls", (long long)jnum(b, "id"));
    cJSON_Delete(b);
    b = api_call(&r.e, "POST", path, r.e.p.tok_cadre_a, NULL, r.t + 172);
    CHECK_EQ_INT(r.e.status, 200);
    r.rollcall = (int64_t)jnum(b, "id");
    cJSON_Delete(b);
    CHECK_EQ_INT(heartbeat(&r, r.e.f.token_a, r.t + 173), 200); /* broadcast 1 again */
    j = checkin(&r, r.e.f.token_a, r.e.p.a2, r.t + 174);
    CHECK_EQ_INT(r.e.status, 403);
    CHECK_EQ_STR(jstr(j, "code"), "not_watching");
    cJSON_Delete(j);
    api_env_close(&r.e);
}

/* Rule 4: a repeat is idempotent, and each check-in lands in the record and credits once. */
static void test_rule_repeat_idempotent_and_credited(void)
{
    struct rc_env r;
    CHECK_EQ_INT(rc_open(&r), 0);
    CHECK_EQ_INT(heartbeat(&r, r.e.f.token_a, r.t + 5), 200);
    cJSON *j = checkin(&r, r.e.f.token_a, r.e.p.a1, r.t + 10);
    CHECK_EQ_INT(r.e.status, 200);
    CHECK(cJSON_IsTrue(jget(j, "first")));
    CHECK_EQ_STR(jstr(j, "checked_in_at"), "2026-11-23T10:00:10Z");
    cJSON_Delete(j);
    j = checkin(&r, r.e.f.token_a, r.e.p.a1, r.t + 20);
    CHECK_EQ_INT(r.e.status, 200);
    CHECK(cJSON_IsFalse(jget(j, "first")));
    CHECK_EQ_STR(jstr(j, "checked_in_at"), "2026-11-23T10:00:10Z"); /* the original time */
    cJSON_Delete(j);
    CHECK_EQ_INT(rows(&r, "checkins"), 1);
    CHECK_EQ_INT(rows(&r, "credits"), 1);
    /* After the close, and with no fresh heartbeat, a retry still gets its first answer. */
    char path[80];
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%lld/close", (long long)r.rollcall);
    CHECK_EQ_INT(api_status(&r.e, "POST", path, r.e.p.tok_cadre_a, NULL, r.t + 600), 200);
    j = checkin(&r, r.e.f.token_a, r.e.p.a1, r.t + 900);
    CHECK_EQ_INT(r.e.status, 200);
    CHECK_EQ_STR(jstr(j, "checked_in_at"), "2026-11-23T10:00:10Z");
    cJSON_Delete(j);
    CHECK_EQ_INT(rows(&r, "checkins"), 1);
    CHECK_EQ_INT(rows(&r, "credits"), 1);
    /* The record: called once, attended once; one meeting credit. 张秀英: called, absent. */
    snprintf(path, sizeof(path), "/api/v1/members/%lld/record", (long long)r.e.p.a1);
    j = api_call(&r.e, "GET", path, r.token_a2, NULL, r.t + 1000);
    CHECK_EQ_INT(r.e.status, 200);
    CHECK_EQ_INT(jnum(j, "meetings_called"), 1);
    CHECK_EQ_INT(jnum(j, "meetings_attended"), 1);
    const cJSON *att = cJSON_GetArrayItem(jget(j, "attendance"), 0);
    CHECK_EQ_STR(jstr(att, "checked_in_at"), "2026-11-23T10:00:10Z");
    CHECK_EQ_STR(jstr(att, "title"), "11月党群直通日视频会议");
    const cJSON *credits = jget(j, "credits");
    CHECK_EQ_INT(jnum(credits, "total"), 1);
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(jget(credits, "items"), 0), "reason"),
                 "meeting_attended");
    cJSON_Delete(j);
    snprintf(path, sizeof(path), "/api/v1/members/%lld/record", (long long)r.e.p.a2);
    j = api_call(&r.e, "GET", path, r.e.f.token_a, NULL, r.t + 1000);
    CHECK_EQ_INT(jnum(j, "meetings_called"), 1);
    CHECK_EQ_INT(jnum(j, "meetings_attended"), 0);
    CHECK_EQ_INT(jnum(jget(j, "credits"), "total"), 0);
    cJSON_Delete(j);
    api_env_close(&r.e);
}

static void test_checkin_input(void)
{
    struct rc_env r;
    CHECK_EQ_INT(rc_open(&r), 0);
    CHECK_EQ_INT(heartbeat(&r, r.e.f.token_a, r.t), 200);
    char path[80];
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%lld/checkins", (long long)r.rollcall);
    static const char *const bad[] = {
        "",      "{}",  "{\"member_id\":\"1\"}", "{\"member_id\":-1}", "{\"member_id\":1.5}",
        "{\"member_id\":1,\"box_id\":2}",        "{\"member_id\":", "null",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int st = api_status(&r.e, "POST", path, r.e.f.token_a, bad[i], r.t);
        if (st != 400)
            printf("# %s -> %d\n", bad[i], st);
        CHECK_EQ_INT(st, 400);
    }
    CHECK_EQ_INT(api_status(&r.e, "POST", path, r.e.p.tok_cadre_a, "{\"member_id\":1}", r.t),
                 403); /* a person, not a box */
    CHECK_EQ_INT(api_status(&r.e, "POST", path, NULL, "{\"member_id\":1}", r.t), 401);
    api_env_close(&r.e);
}

static void test_current_status(void)
{
    struct rc_env r;
    CHECK_EQ_INT(rc_open(&r), 0);
    CHECK_EQ_INT(heartbeat(&r, r.e.f.token_a, r.t + 5), 200);
    cJSON_Delete(checkin(&r, r.e.f.token_a, r.e.p.a2, r.t + 8));
    cJSON *j = api_call(&r.e, "GET", "/api/v1/rollcalls/current", r.e.f.token_a, NULL, r.t + 10);
    CHECK_EQ_INT(r.e.status, 200);
    const cJSON *rc = cJSON_GetArrayItem(jget(j, "rollcalls"), 0);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "rollcalls")), 1);
    CHECK_EQ_INT(jnum(rc, "id"), r.rollcall);
    CHECK_EQ_STR(jstr(rc, "state"), "open");
    CHECK(cJSON_IsTrue(jget(rc, "watching")));
    const cJSON *members = jget(rc, "members");
    CHECK_EQ_INT(cJSON_GetArraySize(members), 2);
    CHECK(cJSON_IsNull(jget(cJSON_GetArrayItem(members, 0), "checked_in_at")));
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(members, 1), "checked_in_at"), "2026-11-23T10:00:08Z");
    cJSON_Delete(j);
    j = api_call(&r.e, "GET", "/api/v1/rollcalls/current", r.e.f.token_a, NULL, r.t + 100);
    CHECK(cJSON_IsFalse(jget(cJSON_GetArrayItem(jget(j, "rollcalls"), 0), "watching")));
    cJSON_Delete(j);
    j = api_call(&r.e, "GET", "/api/v1/rollcalls/current", r.e.f.token_b, NULL, r.t);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "rollcalls")), 0); /* 西村 is not called */
    cJSON_Delete(j);
    api_env_close(&r.e);
}

int main(void)
{
    RUN(test_rule_own_household);
    RUN(test_rule_only_while_open);
    RUN(test_rule_heartbeat_60s);
    RUN(test_rule_repeat_idempotent_and_credited);
    RUN(test_checkin_input);
    RUN(test_current_status);
    return CHECK_DONE();
}
