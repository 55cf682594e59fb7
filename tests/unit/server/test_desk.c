/* The service desk and duty checks through the adapter, with the handler's clock moved instead
 * of the database: a request becomes overdue 24 h after it was made and stops being overdue
 * when closed; a duty check answered within 10 minutes (to the second) is on duty, one answered
 * a second later is absent, and reads absent before anyone answers. */
#include <errno.h>

#include "../check.h"
#include "api_env.h"

enum { HOUR = 3600, WINDOW = 600 };

static int64_t ask(struct api_env *e, time_t at)
{
    cJSON *j = api_call(e, "POST", "/api/v1/requests", e->f.token_a,
                        "{\"category\":\"consult\",\"phone\":\"13800138000\"}", at);
    int64_t id = e->status == 200 ? (int64_t)jnum(j, "id") : -1;
    cJSON_Delete(j);
    return id;
}

static void test_overdue_by_the_clock(void)
{
    struct api_env e;
    CHECK_EQ_INT(api_env_open(&e), 0);
    time_t now = test_now();
    int64_t late = ask(&e, now - 25 * HOUR), fresh = ask(&e, now - HOUR);
    CHECK(late > 0 && fresh > 0);
    cJSON *j = api_call(&e, "GET", "/api/v1/desk/requests", e.p.tok_staff, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT((int)jnum(j, "total"), 2);
    CHECK_EQ_INT((int)jnum(j, "overdue"), 1);
    const cJSON *first = cJSON_GetArrayItem(jget(j, "items"), 0);
    const cJSON *second = cJSON_GetArrayItem(jget(j, "items"), 1);
    CHECK_EQ_INT((int)jnum(first, "id"), (int)late); /* oldest deadline first */
    CHECK(cJSON_IsTrue(jget(first, "overdue")));
    CHECK(cJSON_IsFalse(jget(second, "overdue")));
    CHECK_EQ_STR(jstr(jget(first, "village"), "name"), "东村");
    CHECK_EQ_STR(jstr(jget(first, "household"), "name"), "王家");
    CHECK(cJSON_IsNull(jget(first, "member")));
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/desk/requests?overdue=1", e.p.tok_staff, NULL, now);
    CHECK_EQ_INT((int)jnum(j, "total"), 1);
    cJSON_Delete(j);
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/desk/requests/%lld/close", (long long)late);
    j = api_call(&e, "POST", path, e.p.tok_staff, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "state"), "closed");
    CHECK(cJSON_IsFalse(jget(j, "overdue")));
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/desk/requests", e.p.tok_staff, NULL, now);
    CHECK_EQ_INT((int)jnum(j, "overdue"), 0);
    first = cJSON_GetArrayItem(jget(j, "items"), 0);
    CHECK_EQ_INT((int)jnum(first, "id"), (int)fresh); /* closed ones last */
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "POST", path, e.p.tok_staff, NULL, now), 409);
    api_env_close(&e);
}

static int64_t check_of(struct api_env *e, int64_t village, time_t at)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"village_id\":%lld}", (long long)village);
    cJSON *j = api_call(e, "POST", "/api/v1/staff/duty-checks", e->p.tok_staff, body, at);
    int64_t id = e->status == 200 ? (int64_t)jnum(j, "id") : -e->status;
    cJSON_Delete(j);
    return id;
}

static cJSON *answer(struct api_env *e, const char *token, int64_t id, time_t at)
{
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/cadre/duty-checks/%lld/answer", (long long)id);
    return api_call(e, "POST", path, token, NULL, at);
}

static void test_duty_window(void)
{
    struct api_env e;
    CHECK_EQ_INT(api_env_open(&e), 0);
    time_t now = test_now();
    int64_t a = check_of(&e, e.f.village_a, now), b = check_of(&e, e.f.village_b, now);
    CHECK(a > 0 && b > 0);
    CHECK_EQ_INT((int)check_of(&e, e.f.village_b, now + 5), -409); /* one at a time */
    cJSON *j = api_call(&e, "GET", "/api/v1/cadre/duty-checks", e.p.tok_cadre_a, NULL,
                        now + WINDOW);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "checks")), 1);
    cJSON_Delete(j);
    j = answer(&e, e.p.tok_cadre_a, a, now + WINDOW); /* the last second in time */
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "state"), "on_duty");
    CHECK_EQ_STR(jstr(j, "answered_at"), "2026-11-23T10:10:00Z");
    cJSON_Delete(j);
    /* A second later, before anyone answers, B's check reads absent everywhere. */
    j = api_call(&e, "GET", "/api/v1/cadre/duty-checks", e.p.tok_cadre_b, NULL,
                 now + WINDOW + 1);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "checks")), 0);
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/staff/duty-checks", e.p.tok_staff, NULL, now + WINDOW + 1);
    CHECK_EQ_INT((int)jnum(j, "total"), 2);
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, jget(j, "items"))
        CHECK_EQ_STR(jstr(it, "state"), jnum(it, "id") == (double)a ? "on_duty" : "absent");
    cJSON_Delete(j);
    CHECK_EQ_INT((int)db_int(&e, "SELECT count(*) FROM duty_checks WHERE state = 'absent'"), 0);
    j = answer(&e, e.p.tok_cadre_b, b, now + WINDOW + 1);
    CHECK_EQ_INT(e.status, 409);
    CHECK_EQ_STR(jstr(j, "code"), "duty_check_expired");
    cJSON_Delete(j);
    CHECK_EQ_INT((int)db_int(&e, "SELECT count(*) FROM duty_checks WHERE state = 'absent'"), 1);
    /* Absent stays absent, and the village may be asked again. */
    cJSON_Delete(answer(&e, e.p.tok_cadre_b, b, now + WINDOW + 2));
    CHECK_EQ_INT(e.status, 409);
    CHECK(check_of(&e, e.f.village_b, now + WINDOW + 3) > 0);
    api_env_close(&e);
}

int main(void)
{
    RUN(test_overdue_by_the_clock);
    RUN(test_duty_window);
    return CHECK_DONE();
}
