/* The cadre API through the adapter: schedule, start (publishing key shown once, only its hash
 * kept), stop (closes open roll calls), open and close roll calls, the live sign-in list; a cadre
 * acts for their own branch only, staff for their township; and the events each change sends
 * to the boxes, cadres and staff in scope (read from real event streams). */
#include <errno.h>

#include "../check.h"
#include "api_env.h"
#include "events/events.h"

static void park(void *arg)
{
    (void)arg;
}

/* Everything queued on a stream, as text. */
static void drain(struct events_stream *st, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (;;) {
        long n = events_stream_read(st, buf + len, cap - len - 1);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
    }
}

static int stream_for(struct api_env *e, const char *token, struct events_stream **st)
{
    char h[128];
    struct caller who;
    const struct events_waker w = { park, park, NULL };
    snprintf(h, sizeof(h), "Bearer %s", token);
    if (auth_resolve_at(e->f.s, h, test_now(), &who) < 0)
        return -1;
    return events_stream_open(e->events, &who, 0, &w, st);
}

static void test_broadcast_lifecycle_and_events(void)
{
    struct api_env e;
    CHECK_EQ_INT(api_env_open(&e), 0);
    struct events *ev = NULL;
    CHECK_EQ_INT(events_create(0, &ev), 0);
    e.events = ev;
    struct events_stream *box_a = NULL, *box_b = NULL, *staff = NULL;
    CHECK_EQ_INT(stream_for(&e, e.f.token_a, &box_a), 0);
    CHECK_EQ_INT(stream_for(&e, e.f.token_b, &box_b), 0);
    CHECK_EQ_INT(stream_for(&e, e.p.tok_staff, &staff), 0);
    time_t now = test_now();
    const char *ca = e.p.tok_cadre_a, *cb = e.p.tok_cadre_b;

    cJSON *j = api_call(&e, "POST", "/api/v1/broadcasts", ca,
                        "{\"title\":\"东村主题党日\",\"starts_at\":\"2026-11-23T11:00:00Z\"}", now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "state"), "scheduled");
    CHECK_EQ_STR(jstr(j, "scope"), "东村");
    CHECK_EQ_STR(jstr(j, "started_at"), "2026-11-23T11:00:00Z");
    int64_t id = (int64_t)jnum(j, "id");
    cJSON_Delete(j);
    char start[64], stop[64], open[64];
    snprintf(start, sizeof(start), "/api/v1/broadcasts/%lld/start", (long long)id);
    snprintf(stop, sizeof(stop), "/api/v1/broadcasts/%lld/stop", (long long)id);
    snprintf(open, sizeof(open), "/api/v1/broadcasts/%lld/rollcalls", (long long)id);

    /* Wrong branch, wrong role, no token. */
    j = api_call(&e, "POST", start, cb, NULL, now);
    CHECK_EQ_INT(e.status, 403);
    CHECK_EQ_STR(jstr(j, "code"), "forbidden");
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "POST", start, e.f.token_a, NULL, now), 403);
    CHECK_EQ_INT(api_status(&e, "POST", start, NULL, NULL, now), 401);
    CHECK_EQ_INT(api_status(&e, "POST", start, ca, "{\"x\":1}", now), 400);
    CHECK_EQ_INT(api_status(&e, "POST", stop, ca, NULL, now), 409); /* not live yet */
    CHECK_EQ_INT(api_status(&e, "POST", open, ca, NULL, now), 409);

    j = api_call(&e, "POST", start, ca, NULL, now + 60);
    CHECK_EQ_INT(e.status, 200);
    const char *key = jstr(j, "publish_key");
    CHECK(key && strlen(key) == 64);
    CHECK_EQ_STR(jstr(jget(j, "broadcast"), "state"), "live");
    CHECK_EQ_STR(jstr(jget(j, "broadcast"), "playback_url"), "/live/4/index.m3u8");
    if (key) {
        char hash[AUTH_HASH_HEX], sql[200];
        CHECK_EQ_INT(auth_token_hash(key, hash), 0);
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM broadcasts WHERE publish_key_hash = '%s'",
                 hash);
        CHECK_EQ_INT(db_int(&e, sql), 1); /* only the hash is kept */
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM broadcasts WHERE publish_key_hash = '%s'",
                 key);
        CHECK_EQ_INT(db_int(&e, sql), 0);
    }
    cJSON_Delete(j);
    j = api_call(&e, "POST", start, ca, NULL, now + 61);
    CHECK_EQ_INT(e.status, 409);
    CHECK_EQ_STR(jstr(j, "code"), "broadcast_not_scheduled");
    cJSON_Delete(j);

    /* Roll call: another branch may not; 东村's cadre calls 东村's two members. */
    CHECK_EQ_INT(api_status(&e, "POST", open, cb, NULL, now + 70), 403);
    j = api_call(&e, "POST", open, ca, NULL, now + 70);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(j, "expected"), 2);
    int64_t rid = (int64_t)jnum(j, "id");
    cJSON_Delete(j);
    j = api_call(&e, "POST", open, ca, NULL, now + 71);
    CHECK_EQ_INT(e.status, 409);
    CHECK_EQ_STR(jstr(j, "code"), "rollcall_open");
    cJSON_Delete(j);

    /* The box of 东村 heard it all; 西村's box heard nothing; staff heard it. */
    char text[8192];
    drain(box_a, text, sizeof(text));
    CHECK(strstr(text, "event: broadcast.started") != NULL);
    CHECK(strstr(text, "event: rollcall.opened") != NULL);
    CHECK(strstr(text, "东村主题党日") != NULL);
    drain(box_b, text, sizeof(text));
    CHECK(strstr(text, "event: broadcast.started") == NULL);
    CHECK(strstr(text, "rollcall") == NULL);
    drain(staff, text, sizeof(text));
    CHECK(strstr(text, "event: rollcall.opened") != NULL);

    /* Stopping ends the broadcast and closes its roll call. */
    CHECK_EQ_INT(api_status(&e, "POST", stop, cb, NULL, now + 3600), 403);
    j = api_call(&e, "POST", stop, ca, NULL, now + 3600);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "state"), "ended");
    CHECK_EQ_STR(jstr(j, "ended_at"), "2026-11-23T11:00:00Z");
    cJSON_Delete(j);
    struct store_rollcall r;
    CHECK_EQ_INT(store_rollcall_get(e.f.s, rid, &r), 0);
    CHECK_EQ_INT(r.closed_at, now + 3600);
    drain(box_a, text, sizeof(text));
    CHECK(strstr(text, "event: rollcall.closed") != NULL);
    CHECK(strstr(text, "event: broadcast.ended") != NULL);
    CHECK_EQ_INT(api_status(&e, "POST", stop, ca, NULL, now + 3601), 409);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/99/start", ca, NULL, now), 404);

    events_stream_close(box_a);
    events_stream_close(box_b);
    events_stream_close(staff);
    events_destroy(ev);
    api_env_close(&e);
}

static void test_rollcalls_and_signins(void)
{
    struct api_env e;
    CHECK_EQ_INT(api_env_open(&e), 0);
    time_t now = test_now();
    const char *ca = e.p.tok_cadre_a, *cb = e.p.tok_cadre_b;
    /* Each branch's cadre runs their own roll call on the township's live meeting. */
    cJSON *j = api_call(&e, "POST", "/api/v1/broadcasts/1/rollcalls", ca, NULL, now);
    int64_t ra = (int64_t)jnum(j, "id");
    CHECK_EQ_INT(jnum(j, "expected"), 2);
    cJSON_Delete(j);
    j = api_call(&e, "POST", "/api/v1/broadcasts/1/rollcalls", cb, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    int64_t rb = (int64_t)jnum(j, "id");
    CHECK_EQ_INT(jnum(j, "expected"), 1);
    cJSON_Delete(j);
    /* 西村's scheduled meeting is not live; 东村's ended one neither, and is not 西村's. */
    j = api_call(&e, "POST", "/api/v1/broadcasts/3/rollcalls", cb, NULL, now);
    CHECK_EQ_INT(e.status, 409);
    CHECK_EQ_STR(jstr(j, "code"), "broadcast_not_live");
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/2/rollcalls", cb, NULL, now), 403);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/1/rollcalls", e.f.token_a, NULL,
                            now),
                 403);

    /* Sign in 王建国 (heartbeat first), then the list. */
    char path[80], body[64];
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/1/heartbeat", e.f.token_a, NULL, now),
                 200);
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%lld/checkins", (long long)ra);
    snprintf(body, sizeof(body), "{\"member_id\":%lld}", (long long)e.p.a1);
    CHECK_EQ_INT(api_status(&e, "POST", path, e.f.token_a, body, now + 5), 200);
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%lld/signins", (long long)ra);
    j = api_call(&e, "GET", path, ca, NULL, now + 10);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(jget(j, "rollcall"), "checked_in"), 1);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "checked_in")), 1);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "absent")), 1);
    const cJSON *in = cJSON_GetArrayItem(jget(j, "checked_in"), 0);
    CHECK_EQ_STR(jstr(in, "name"), "王建国");
    CHECK_EQ_STR(jstr(in, "household"), "王家");
    CHECK_EQ_STR(jstr(in, "checked_in_at"), "2026-11-23T10:00:05Z");
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(jget(j, "absent"), 0), "name"), "张秀英");
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "GET", path, cb, NULL, now), 403);    /* another branch */
    CHECK_EQ_INT(api_status(&e, "GET", path, e.p.tok_staff, NULL, now), 200); /* township */
    CHECK_EQ_INT(api_status(&e, "GET", path, e.f.token_a, NULL, now), 403);   /* a box */
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/rollcalls/999/signins", ca, NULL, now), 404);

    /* Closing: not another branch's; twice is a conflict. */
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%lld/close", (long long)rb);
    CHECK_EQ_INT(api_status(&e, "POST", path, ca, NULL, now + 60), 403);
    j = api_call(&e, "POST", path, cb, NULL, now + 60);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "state"), "closed");
    cJSON_Delete(j);
    j = api_call(&e, "POST", path, cb, NULL, now + 61);
    CHECK_EQ_INT(e.status, 409);
    CHECK_EQ_STR(jstr(j, "code"), "rollcall_closed");
    cJSON_Delete(j);
    /* Staff may close 东村's; a box may not. */
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%lld/close", (long long)ra);
    CHECK_EQ_INT(api_status(&e, "POST", path, e.f.token_a, NULL, now + 62), 403);
    CHECK_EQ_INT(api_status(&e, "POST", path, e.p.tok_staff, NULL, now + 62), 200);
    api_env_close(&e);
}

static void test_staff_and_input(void)
{
    struct api_env e;
    CHECK_EQ_INT(api_env_open(&e), 0);
    time_t now = test_now();
    /* Staff schedule township-wide meetings and may start a village's. */
    cJSON *j = api_call(&e, "POST", "/api/v1/broadcasts", e.p.tok_staff,
                        "{\"title\":\"全镇党员冬训\"}", now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "scope"), "南湖镇");
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/3/start", e.p.tok_staff, NULL, now),
                 200);
    j = api_call(&e, "POST", "/api/v1/broadcasts/3/rollcalls", e.p.tok_admin, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(j, "expected"), 1); /* 西村's broadcast calls 西村 */
    cJSON_Delete(j);
    static const char *const bad[] = {
        "{}",
        "{\"title\":\"\"}",
        "{\"title\":5}",
        "{\"title\":\"会\",\"starts_at\":\"tomorrow\"}",
        "{\"title\":\"会\",\"starts_at\":\"2026-13-40T99:00:00Z\"}",
        "{\"title\":\"会\",\"room\":\"A\"}",
        "{\"title\":\"会\"",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int st = api_status(&e, "POST", "/api/v1/broadcasts", e.p.tok_cadre_a, bad[i], now);
        if (st != 400)
            printf("# %s -> %d\n", bad[i], st);
        CHECK_EQ_INT(st, 400);
    }
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts", e.f.token_a, "{\"title\":\"x\"}",
                            now),
                 403);
    api_env_close(&e);
}

int main(void)
{
    RUN(test_broadcast_lifecycle_and_events);
    RUN(test_rollcalls_and_signins);
    RUN(test_staff_and_input);
    return CHECK_DONE();
}
