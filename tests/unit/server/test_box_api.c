/* The box API through the adapter: section lists and paging, item details (ledger with running
 * balance, course, pioneer, forms without answers), the course catalogue, resume positions per
 * household, the live list and heartbeats, service requests, questionnaires (anonymous ones
 * store no link to the member), quizzes scored by the server, and a member's record; with the
 * refusals (wrong role, wrong household, malformed JSON, unknown fields, wrong types, limits). */
#include <errno.h>

#include "../check.h"
#include "api_env.h"

struct extra {
    int64_t named, exam;              /* content ids added for the forms */
    int64_t q1, q2, q1_yes, q1_no, q2_road, q2_clean, q2_water; /* anonymous questionnaire 1 */
    int64_t n1, n1_a, n1_b;           /* named questionnaire */
    int64_t e1, e1_right, e1_wrong, e2, e2_right, e2_wrong; /* the exam */
    int64_t box_a2;                   /* a second box of household A */
    char token_a2[AUTH_TOKEN_HEX];
};

static int add_extras(struct store_tx *tx, struct api_env *e, struct extra *x)
{
    time_t past = test_now() - 3600;
    const struct store_ledger_line l1 = { 1, "2026-10-01", "上级转移支付", 1000000, 0, 0 };
    const struct store_ledger_line l2 = { 2, "2026-10-05", "购买办公用品", 0, 35050, 0 };
    struct store_course c = { .content_id = 5, .duration_s = 1500 };
    struct store_course c3 = { .content_id = 3, .duration_s = 1200 };
    snprintf(c.category, sizeof(c.category), "南湖播报");
    snprintf(c.media_url, sizeof(c.media_url), "/media/5/index.m3u8");
    snprintf(c3.category, sizeof(c3.category), "党章党规");
    const struct store_pioneer p = { "/media/9.jpg", "三十年义务护林" };
    struct store_content_new named = { e->f.village_a, "evaluation", "问卷", "村务满意度", "请评议",
                                       past };
    struct store_content_new exam = { e->f.township, "study", "考试", "党章知识测试", "十道题",
                                      past };
    static const char salt[] = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    char hash[AUTH_HASH_HEX];
    int rc = store_ledger_add(tx, 4, &l1) || store_ledger_add(tx, 4, &l2) ||
             store_course_set(tx, &c) || store_course_set(tx, &c3) ||
             store_pioneer_set(tx, 9, &p) || store_content_add(tx, &named, &x->named) ||
             store_content_add(tx, &exam, &x->exam) ||
             store_questionnaire_set(tx, 1, 1, salt) ||
             store_question_add(tx, 1, 1, "满意吗", 0, &x->q1) ||
             store_option_add(tx, x->q1, 1, "满意", 0, &x->q1_yes) ||
             store_option_add(tx, x->q1, 2, "不满意", 0, &x->q1_no) ||
             store_question_add(tx, 1, 2, "哪些要改进", 1, &x->q2) ||
             store_option_add(tx, x->q2, 1, "道路", 0, &x->q2_road) ||
             store_option_add(tx, x->q2, 2, "卫生", 0, &x->q2_clean) ||
             store_option_add(tx, x->q2, 3, "饮水", 0, &x->q2_water) ||
             store_questionnaire_set(tx, x->named, 0, NULL) ||
             store_question_add(tx, x->named, 1, "村干部办事公道吗", 0, &x->n1) ||
             store_option_add(tx, x->n1, 1, "公道", 0, &x->n1_a) ||
             store_option_add(tx, x->n1, 2, "不公道", 0, &x->n1_b) ||
             store_quiz_set(tx, x->exam, "exam", 60, 0) ||
             store_question_add(tx, x->exam, 1, "党的最高理想", 0, &x->e1) ||
             store_option_add(tx, x->e1, 1, "实现共产主义", 1, &x->e1_right) ||
             store_option_add(tx, x->e1, 2, "发家致富", 0, &x->e1_wrong) ||
             store_question_add(tx, x->exam, 2, "党员几项义务", 0, &x->e2) ||
             store_option_add(tx, x->e2, 1, "八项", 1, &x->e2_right) ||
             store_option_add(tx, x->e2, 2, "三项", 0, &x->e2_wrong) ||
             auth_token_new(x->token_a2) || auth_token_hash(x->token_a2, hash) ||
             store_box_add(tx, e->f.household_a, hash, "王家卧室", &x->box_a2);
    return rc ? -1 : 0;
}

static int open_all(struct api_env *e, struct extra *x)
{
    memset(x, 0, sizeof(*x));
    if (api_env_open(e) < 0)
        return -1;
    struct store_tx *tx = NULL;
    if (store_tx_begin(e->f.s, &tx) < 0)
        return -1;
    if (add_extras(tx, e, x) < 0) {
        store_tx_rollback(tx);
        return -1;
    }
    return store_tx_commit(tx);
}

static void test_sections_and_paging(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    time_t now = test_now();
    const char *b = e.f.token_b;
    cJSON *j = api_call(&e, "GET", "/api/v1/sections/affairs/items", b, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(j, "total"), 4);
    CHECK_EQ_INT(jnum(j, "page"), 1);
    CHECK_EQ_INT(jnum(j, "per_page"), 20);
    CHECK_EQ_STR(jstr(j, "title"), "党务公开");
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "items")), 4);
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/sections/affairs/items?page=2&per_page=3", b, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "items")), 1);
    CHECK_EQ_INT(jnum(j, "total"), 4);
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/sections/pioneers/items", b, NULL, now);
    const cJSON *first = cJSON_GetArrayItem(jget(j, "items"), 0);
    CHECK_EQ_STR(jstr(first, "picture"), "/media/9.jpg");
    CHECK_EQ_STR(jstr(first, "scope"), "西村");
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/sections/live/items", e.f.token_a, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(j, "total"), 1); /* the township's live meeting; 东村's has ended */
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(jget(j, "items"), 0), "state"), "live");
    cJSON_Delete(j);
    static const struct {
        const char *path;
        int status;
    } refusals[] = {
        { "/api/v1/sections/affairs/items?per_page=0", 400 },
        { "/api/v1/sections/affairs/items?per_page=51", 400 },
        { "/api/v1/sections/affairs/items?page=0", 400 },
        { "/api/v1/sections/affairs/items?page=x", 400 },
        { "/api/v1/sections/affairs/items?page=1&page=2", 400 },
        { "/api/v1/sections/affairs/items?sort=title", 400 },
        { "/api/v1/sections/affairs/items?page=-1", 400 },
        { "/api/v1/sections/affairs/items?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9", 400 },
        { "/api/v1/sections/gossip/items", 404 },
    };
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        int st = api_status(&e, "GET", refusals[i].path, b, NULL, now);
        if (st != refusals[i].status)
            printf("# %s -> %d\n", refusals[i].path, st);
        CHECK_EQ_INT(st, refusals[i].status);
    }
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/sections/affairs/items", NULL, NULL, now), 401);
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/sections/affairs/items", e.p.tok_cadre_a, NULL,
                            now),
                 403);
    api_env_close(&e);
}

static void test_item_details(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    time_t now = test_now();
    cJSON *j = api_call(&e, "GET", "/api/v1/items/4", e.f.token_a, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "body"), "正文");
    const cJSON *ledger = jget(j, "ledger");
    CHECK_EQ_INT(cJSON_GetArraySize(jget(ledger, "lines")), 2);
    CHECK_EQ_INT(jnum(cJSON_GetArrayItem(jget(ledger, "lines"), 1), "balance_fen"), 964950);
    CHECK_EQ_INT(jnum(ledger, "income_fen"), 1000000);
    CHECK_EQ_INT(jnum(ledger, "expense_fen"), 35050);
    CHECK_EQ_INT(jnum(ledger, "balance_fen"), 964950);
    cJSON_Delete(j);
    /* Another village's item, a future one, a missing one: 404 alike. */
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/items/4", e.f.token_b, NULL, now), 404);
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/items/2", e.f.token_a, NULL, now), 404);
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/items/999", e.f.token_a, NULL, now), 404);
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/items/abc", e.f.token_a, NULL, now), 404);
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/items/4?x=1", e.f.token_a, NULL, now), 400);
    j = api_call(&e, "GET", "/api/v1/items/5", e.f.token_a, NULL, now);
    CHECK_EQ_STR(jstr(jget(j, "course"), "category"), "南湖播报");
    CHECK_EQ_INT(jnum(jget(j, "course"), "duration_s"), 1500);
    CHECK_EQ_STR(jstr(jget(j, "course"), "media_url"), "/media/5/index.m3u8");
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/items/9", e.f.token_b, NULL, now);
    CHECK_EQ_STR(jstr(jget(j, "pioneer"), "citation"), "三十年义务护林");
    cJSON_Delete(j);
    /* A form shows its questions, never which option is right nor the votes. */
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/items/%lld", (long long)x.exam);
    j = api_call(&e, "GET", path, e.f.token_a, NULL, now);
    const cJSON *form = jget(j, "form");
    CHECK_EQ_STR(jstr(form, "type"), "exam");
    CHECK_EQ_INT(jnum(form, "pass_mark"), 60);
    const cJSON *q = cJSON_GetArrayItem(jget(form, "questions"), 0);
    const cJSON *o = cJSON_GetArrayItem(jget(q, "options"), 0);
    CHECK_EQ_STR(jstr(o, "label"), "实现共产主义");
    CHECK(jget(o, "correct") == NULL);
    CHECK(jget(o, "votes") == NULL);
    CHECK_EQ_INT(cJSON_GetArraySize(o), 2);
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/items/1", e.f.token_a, NULL, now);
    CHECK(cJSON_IsTrue(jget(jget(j, "form"), "anonymous")));
    CHECK(cJSON_IsTrue(jget(cJSON_GetArrayItem(jget(jget(j, "form"), "questions"), 1),
                            "multiple")));
    cJSON_Delete(j);
    api_env_close(&e);
}

static void test_course_catalogue(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    time_t now = test_now();
    cJSON *j = api_call(&e, "GET", "/api/v1/courses", e.f.token_a, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    const cJSON *cats = jget(j, "categories");
    CHECK_EQ_INT(cJSON_GetArraySize(cats), 2);
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(cats, 0), "name"), "党章党规");
    CHECK_EQ_INT(cJSON_GetArraySize(jget(cJSON_GetArrayItem(cats, 1), "courses")), 1);
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/courses", e.f.token_b, NULL, now); /* not 东村's video */
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "categories")), 1);
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/courses?category=党章党规", e.f.token_a, NULL, now);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "categories")), 1);
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/courses?category=", e.f.token_a, NULL, now), 400);
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/courses?cat=x", e.f.token_a, NULL, now), 400);
    api_env_close(&e);
}

static void test_resume_per_household(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    time_t now = test_now();
    cJSON *j = api_call(&e, "GET", "/api/v1/resume/5", e.f.token_a, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(j, "position_ms"), 0);
    CHECK(cJSON_IsNull(jget(j, "updated_at")));
    cJSON_Delete(j);
    j = api_call(&e, "PUT", "/api/v1/resume/5", e.f.token_a, "{\"position_ms\":61000}", now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(j, "position_ms"), 61000);
    cJSON_Delete(j);
    /* The other box of the same household sees it. */
    j = api_call(&e, "GET", "/api/v1/resume/5", x.token_a2, NULL, now + 5);
    CHECK_EQ_INT(jnum(j, "position_ms"), 61000);
    CHECK_EQ_STR(jstr(j, "updated_at"), TEST_NOW_ISO);
    cJSON_Delete(j);
    static const char *const bad[] = {
        "{\"position_ms\":-1}",     "{\"position_ms\":\"61000\"}", "{\"position_ms\":1.5}",
        "{\"pos\":1}",              "{\"position_ms\":1,\"x\":2}", "{\"position_ms\":",
        "{}",                       "[]",                          "{\"position_ms\":1e20}",
        "{\"position_ms\":true}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int st = api_status(&e, "PUT", "/api/v1/resume/5", e.f.token_a, bad[i], now);
        if (st != 400)
            printf("# %s -> %d\n", bad[i], st);
        CHECK_EQ_INT(st, 400);
    }
    CHECK_EQ_INT(api_status(&e, "GET", "/api/v1/resume/5", e.f.token_b, NULL, now), 404);
    CHECK_EQ_INT(api_status(&e, "PUT", "/api/v1/resume/5", e.f.token_b, "{\"position_ms\":1}",
                            now),
                 404);
    CHECK_EQ_INT(api_status(&e, "PUT", "/api/v1/resume/5", e.p.tok_staff, "{\"position_ms\":1}",
                            now),
                 403);
    api_env_close(&e);
}

static void test_live_and_heartbeat(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    time_t now = test_now();
    cJSON *j = api_call(&e, "GET", "/api/v1/broadcasts", e.f.token_b, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "broadcasts")), 2); /* live first, then scheduled */
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(jget(j, "broadcasts"), 0), "state"), "live");
    cJSON_Delete(j);
    j = api_call(&e, "POST", "/api/v1/broadcasts/1/heartbeat", e.f.token_a, NULL, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "at"), TEST_NOW_ISO);
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/1/heartbeat", e.f.token_a, "{}", now),
                 200);
    time_t at = 0;
    CHECK_EQ_INT(store_heartbeat_last(e.f.s, e.f.box_a, 1, &at), 0);
    CHECK_EQ_INT(at, now);
    j = api_call(&e, "POST", "/api/v1/broadcasts/3/heartbeat", e.f.token_b, NULL, now);
    CHECK_EQ_INT(e.status, 409); /* scheduled, not live */
    CHECK_EQ_STR(jstr(j, "code"), "broadcast_not_live");
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/3/heartbeat", e.f.token_a, NULL, now),
                 404); /* 西村's: not for a 东村 box */
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/99/heartbeat", e.f.token_a, NULL,
                            now),
                 404);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/1/heartbeat", e.f.token_a,
                            "{\"x\":1}", now),
                 400);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/broadcasts/1/heartbeat", e.p.tok_cadre_a, NULL,
                            now),
                 403);
    api_env_close(&e);
}

/* A reply by the township staff member (the staff API writes these). */
static int add_reply(struct api_env *e, int64_t request)
{
    struct store_tx *tx = NULL;
    int rc = store_tx_begin(e->f.s, &tx);
    if (rc < 0)
        return rc;
    rc = store_reply_add(tx, request, e->p.staff, "明天上门", test_now() + 3600, NULL);
    if (rc < 0) {
        store_tx_rollback(tx);
        return rc;
    }
    return store_tx_commit(tx);
}

static void test_service_requests(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    time_t now = test_now();
    char body[700];
    snprintf(body, sizeof(body),
             "{\"category\":\"agri_tech\",\"phone\":\"13800138000\",\"member_id\":%lld,"
             "\"note\":\"大棚蔬菜生虫\"}",
             (long long)e.p.a1);
    cJSON *j = api_call(&e, "POST", "/api/v1/requests", e.f.token_a, body, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "state"), "open");
    CHECK_EQ_STR(jstr(j, "category_title"), "农业技术服务");
    CHECK_EQ_STR(jstr(j, "deadline_at"), "2026-11-24T10:00:00Z"); /* created + 24 h */
    CHECK(cJSON_IsFalse(jget(j, "overdue")));
    int64_t id = (int64_t)jnum(j, "id");
    cJSON_Delete(j);
    static const char *const good_phones[] = { "0633-1234567", "010-12345678", "06331234567",
                                               "19912345678" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(body, sizeof(body), "{\"category\":\"consult\",\"phone\":\"%s\"}",
                 good_phones[i]);
        CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/requests", e.f.token_a, body, now), 200);
    }
    static const char *const bad[] = {
        "{\"category\":\"consult\",\"phone\":\"12345678901\"}",
        "{\"category\":\"consult\",\"phone\":\"1380013800\"}",
        "{\"category\":\"consult\",\"phone\":\"138001380001\"}",
        "{\"category\":\"consult\",\"phone\":\"0633-123\"}",
        "{\"category\":\"consult\",\"phone\":\"+8613800138000\"}",
        "{\"category\":\"consult\",\"phone\":\"1380013800a\"}",
        "{\"category\":\"lottery\",\"phone\":\"13800138000\"}",
        "{\"category\":\"consult\"}",
        "{\"category\":\"consult\",\"phone\":13800138000}",
        "{\"category\":\"consult\",\"phone\":\"13800138000\",\"note\":\"a\\u0007b\"}",
        "{\"category\":\"consult\",\"phone\":\"13800138000\",\"member_id\":0}",
        "{\"category\":\"consult\",\"phone\":\"13800138000\",\"urgent\":true}",
        "not json",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int st = api_status(&e, "POST", "/api/v1/requests", e.f.token_a, bad[i], now);
        if (st != 400)
            printf("# %s -> %d\n", bad[i], st);
        CHECK_EQ_INT(st, 400);
    }
    char note[600];
    memset(note, 'x', 501);
    note[501] = '\0';
    snprintf(body, sizeof(body), "{\"category\":\"consult\",\"phone\":\"13800138000\","
             "\"note\":\"%s\"}", note);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/requests", e.f.token_a, body, now), 400);
    snprintf(body, sizeof(body),
             "{\"category\":\"dispute\",\"phone\":\"13800138000\",\"member_id\":%lld}",
             (long long)e.p.b1);
    j = api_call(&e, "POST", "/api/v1/requests", e.f.token_a, body, now);
    CHECK_EQ_INT(e.status, 403); /* a member of another household */
    CHECK_EQ_STR(jstr(j, "code"), "not_household_member");
    cJSON_Delete(j);

    j = api_call(&e, "GET", "/api/v1/requests?per_page=2", x.token_a2, NULL, now);
    CHECK_EQ_INT(jnum(j, "total"), 5); /* the household's, from either box */
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "items")), 2);
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/requests", e.f.token_b, NULL, now);
    CHECK_EQ_INT(jnum(j, "total"), 0);
    cJSON_Delete(j);
    CHECK_EQ_INT(add_reply(&e, id), 0);
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/requests/%lld", (long long)id);
    j = api_call(&e, "GET", path, e.f.token_a, NULL, now + 25 * 3600);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_STR(jstr(j, "state"), "replied");
    CHECK(cJSON_IsFalse(jget(j, "overdue"))); /* answered in time */
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(jget(j, "replies"), 0), "body"), "明天上门");
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "GET", path, e.f.token_b, NULL, now), 404);
    j = api_call(&e, "GET", "/api/v1/requests/categories", e.f.token_b, NULL, now);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(j, "categories")), 7);
    cJSON_Delete(j);
    api_env_close(&e);
}

/* "answers" for the anonymous questionnaire: Q1 one option, Q2 the given ones. */
static void answers_q(char *out, size_t cap, int64_t member, const struct extra *x, int64_t q1opt,
                      const char *q2opts)
{
    snprintf(out, cap,
             "{\"member_id\":%lld,\"answers\":[{\"question_id\":%lld,\"option_ids\":[%lld]},"
             "{\"question_id\":%lld,\"option_ids\":[%s]}]}",
             (long long)member, (long long)x->q1, (long long)q1opt, (long long)x->q2, q2opts);
}

static void test_anonymous_questionnaire(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    time_t now = test_now();
    char body[512], q2[64];
    snprintf(q2, sizeof(q2), "%lld,%lld", (long long)x.q2_road, (long long)x.q2_water);
    answers_q(body, sizeof(body), e.p.a1, &x, x.q1_no, q2);
    cJSON *j = api_call(&e, "POST", "/api/v1/questionnaires/1/responses", e.f.token_a, body, now);
    CHECK_EQ_INT(e.status, 200);
    CHECK(cJSON_IsTrue(jget(j, "anonymous")));
    cJSON_Delete(j);
    /* The box sees who of its household has voted (from the ballot), before they start. */
    j = api_call(&e, "GET", "/api/v1/items/1", x.token_a2, NULL, now);
    const cJSON *by = jget(jget(j, "form"), "answered_by");
    CHECK_EQ_INT(cJSON_GetArraySize(by), 1);
    CHECK_EQ_INT(cJSON_GetArrayItem(by, 0)->valueint, e.p.a1);
    cJSON_Delete(j);
    j = api_call(&e, "GET", "/api/v1/items/1", e.f.token_b, NULL, now);
    CHECK_EQ_INT(cJSON_GetArraySize(jget(jget(j, "form"), "answered_by")), 0);
    cJSON_Delete(j);
    j = api_call(&e, "POST", "/api/v1/questionnaires/1/responses", x.token_a2, body, now);
    CHECK_EQ_INT(e.status, 409); /* the same member again, from the other box */
    cJSON_Delete(j);
    answers_q(body, sizeof(body), e.p.a2, &x, x.q1_no, ""); /* Q2 left empty: refused */
    j = api_call(&e, "POST", "/api/v1/questionnaires/1/responses", e.f.token_a, body, now);
    CHECK_EQ_INT(e.status, 400);
    cJSON_Delete(j);
    answers_q(body, sizeof(body), e.p.a1, &x, x.q1_no, q2);
    j = api_call(&e, "POST", "/api/v1/questionnaires/1/responses", x.token_a2, body, now);
    CHECK_EQ_INT(e.status, 409);
    CHECK_EQ_STR(jstr(j, "code"), "already_answered");
    cJSON_Delete(j);
    snprintf(q2, sizeof(q2), "%lld", (long long)x.q2_clean);
    answers_q(body, sizeof(body), e.p.a2, &x, x.q1_yes, q2);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/questionnaires/1/responses", e.f.token_a, body,
                            now),
                 200);
    answers_q(body, sizeof(body), e.p.b1, &x, x.q1_yes, q2);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/questionnaires/1/responses", e.f.token_b, body,
                            now),
                 200);
    /* The votes are counted... */
    struct store_form f = { 0 };
    CHECK_EQ_INT(store_form_get(e.f.s, 1, &f), 0);
    if (f.n_questions == 2) {
        CHECK_EQ_INT(f.questions[0].options[0].votes, 2);
        CHECK_EQ_INT(f.questions[0].options[1].votes, 1);
        CHECK_EQ_INT(f.questions[1].options[0].votes, 1);
        CHECK_EQ_INT(f.questions[1].options[1].votes, 2);
    }
    store_form_fini(&f);
    /* ...and nothing ties an answer to a member, a box or a time: no response rows, and the
     * ballots hold neither member ids nor anything but the hash. */
    CHECK_EQ_INT(db_int(&e, "SELECT count(*) FROM responses WHERE content_id = 1"), 0);
    CHECK_EQ_INT(db_int(&e, "SELECT count(*) FROM response_choices"), 0);
    CHECK_EQ_INT(db_int(&e, "SELECT count(*) FROM ballots WHERE content_id = 1"), 3);
    CHECK_EQ_INT(db_int(&e, "SELECT count(*) FROM pragma_table_info('ballots')"), 2);
    CHECK_EQ_INT(db_int(&e, "SELECT count(*) FROM ballots WHERE voter_hash GLOB '*[^0-9a-f]*'"),
                 0);
    CHECK_EQ_INT(db_int(&e, "SELECT count(*) FROM pragma_table_info('question_options')"
                            " WHERE name IN ('member_id', 'box_id', 'at', 'updated_at')"),
                 0);

    /* Refusals: a member of another household, a question left out, an option of another
     * question, two options for a single-choice question, an option twice, unknown fields. */
    snprintf(q2, sizeof(q2), "%lld", (long long)x.q2_road);
    answers_q(body, sizeof(body), e.p.b1, &x, x.q1_yes, q2);
    j = api_call(&e, "POST", "/api/v1/questionnaires/1/responses", e.f.token_a, body, now);
    CHECK_EQ_INT(e.status, 403);
    CHECK_EQ_STR(jstr(j, "code"), "not_household_member");
    cJSON_Delete(j);
    char bad[6][512];
    snprintf(bad[0], sizeof(bad[0]),
             "{\"member_id\":%lld,\"answers\":[{\"question_id\":%lld,\"option_ids\":[%lld]}]}",
             (long long)e.p.a1, (long long)x.q1, (long long)x.q1_yes);
    answers_q(bad[1], sizeof(bad[1]), e.p.a1, &x, x.q2_road, q2);
    snprintf(q2, sizeof(q2), "%lld", (long long)x.q1_no);
    answers_q(bad[2], sizeof(bad[2]), e.p.a1, &x, x.q1_yes, q2);
    snprintf(q2, sizeof(q2), "%lld,%lld", (long long)x.q2_road, (long long)x.q2_road);
    answers_q(bad[3], sizeof(bad[3]), e.p.a1, &x, x.q1_yes, q2);
    snprintf(bad[4], sizeof(bad[4]), "{\"member_id\":%lld,\"answers\":[],\"x\":1}",
             (long long)e.p.a1);
    snprintf(bad[5], sizeof(bad[5]), "{\"member_id\":\"%lld\",\"answers\":[]}",
             (long long)e.p.a1);
    for (int i = 0; i < 6; i++) {
        int st = api_status(&e, "POST", "/api/v1/questionnaires/1/responses", x.token_a2, bad[i],
                            now);
        if (st != 400)
            printf("# bad %d -> %d\n", i, st);
        CHECK_EQ_INT(st, 400);
    }
    /* Not a questionnaire / not visible. */
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/questionnaires/4/responses", e.f.token_a,
                            bad[1], now),
                 404);
    api_env_close(&e);
}

static void test_named_questionnaire(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    char body[256], path[80];
    snprintf(path, sizeof(path), "/api/v1/questionnaires/%lld/responses", (long long)x.named);
    snprintf(body, sizeof(body),
             "{\"member_id\":%lld,\"answers\":[{\"question_id\":%lld,\"option_ids\":[%lld]}]}",
             (long long)e.p.a2, (long long)x.n1, (long long)x.n1_b);
    cJSON *j = api_call(&e, "POST", path, e.f.token_a, body, test_now());
    CHECK_EQ_INT(e.status, 200);
    CHECK(cJSON_IsFalse(jget(j, "anonymous")));
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "POST", path, e.f.token_a, body, test_now()), 409);
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT member_id FROM responses WHERE content_id = %lld",
             (long long)x.named);
    CHECK_EQ_INT(db_int(&e, sql), e.p.a2);
    snprintf(path, sizeof(path), "/api/v1/items/%lld", (long long)x.named);
    j = api_call(&e, "GET", path, e.f.token_a, NULL, test_now());
    const cJSON *by = jget(jget(j, "form"), "answered_by");
    CHECK(cJSON_GetArraySize(by) == 1 && cJSON_GetArrayItem(by, 0)->valueint == e.p.a2);
    cJSON_Delete(j);
    snprintf(path, sizeof(path), "/api/v1/questionnaires/%lld/responses", (long long)x.named);
    CHECK_EQ_INT(api_status(&e, "POST", path, e.f.token_b, body, test_now()), 404); /* 东村's */
    api_env_close(&e);
}

static void test_exam_scored_by_server(void)
{
    struct api_env e;
    struct extra x;
    CHECK_EQ_INT(open_all(&e, &x), 0);
    char body[256], path[80];
    snprintf(path, sizeof(path), "/api/v1/quizzes/%lld/attempts", (long long)x.exam);
    const char *fmt = "{\"member_id\":%lld,\"answers\":[{\"question_id\":%lld,\"option_ids\":"
                      "[%lld]},{\"question_id\":%lld,\"option_ids\":[%lld]}]}";
    snprintf(body, sizeof(body), fmt, (long long)e.p.a1, (long long)x.e1, (long long)x.e1_right,
             (long long)x.e2, (long long)x.e2_wrong);
    cJSON *j = api_call(&e, "POST", path, e.f.token_a, body, test_now());
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(j, "score"), 50);
    CHECK(cJSON_IsFalse(jget(j, "passed")));
    CHECK(cJSON_IsFalse(jget(j, "credited")));
    const cJSON *r2 = cJSON_GetArrayItem(jget(j, "results"), 1);
    CHECK(cJSON_IsFalse(jget(r2, "right")));
    CHECK_EQ_INT(cJSON_GetArrayItem(jget(r2, "answer_option_ids"), 0)->valueint, x.e2_right);
    cJSON_Delete(j);
    snprintf(body, sizeof(body), fmt, (long long)e.p.a1, (long long)x.e2, (long long)x.e2_right,
             (long long)x.e1, (long long)x.e1_right); /* any order */
    j = api_call(&e, "POST", path, e.f.token_a, body, test_now() + 60);
    CHECK_EQ_INT(jnum(j, "score"), 100);
    CHECK(cJSON_IsTrue(jget(j, "passed")));
    CHECK(cJSON_IsTrue(jget(j, "credited")));
    cJSON_Delete(j);
    j = api_call(&e, "POST", path, e.f.token_a, body, test_now() + 120);
    CHECK(cJSON_IsTrue(jget(j, "passed")));
    CHECK(cJSON_IsFalse(jget(j, "credited"))); /* credits once per exam */
    cJSON_Delete(j);
    /* Time ran out on the box: a question left empty (option_ids []) is scored wrong. */
    snprintf(body, sizeof(body),
             "{\"member_id\":%lld,\"answers\":[{\"question_id\":%lld,\"option_ids\":[%lld]},"
             "{\"question_id\":%lld,\"option_ids\":[]}]}",
             (long long)e.p.a1, (long long)x.e1, (long long)x.e1_right, (long long)x.e2);
    j = api_call(&e, "POST", path, e.f.token_a, body, test_now() + 180);
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(j, "score"), 50);
    CHECK_EQ_INT(jnum(j, "correct"), 1);
    cJSON_Delete(j);
    CHECK_EQ_INT(db_int(&e, "SELECT count(*) FROM quiz_attempts"), 4);
    /* Its record: the exam's credits, no meetings yet. */
    snprintf(path, sizeof(path), "/api/v1/members/%lld/record", (long long)e.p.a1);
    j = api_call(&e, "GET", path, x.token_a2, NULL, test_now());
    CHECK_EQ_INT(e.status, 200);
    CHECK_EQ_INT(jnum(jget(j, "credits"), "total"), 2);
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(jget(jget(j, "credits"), "items"), 0), "title"),
                 "党章知识测试");
    CHECK_EQ_INT(jnum(j, "meetings_called"), 0);
    cJSON_Delete(j);
    j = api_call(&e, "GET", path, e.f.token_b, NULL, test_now());
    CHECK_EQ_INT(e.status, 403);
    CHECK_EQ_STR(jstr(j, "code"), "not_household_member");
    cJSON_Delete(j);
    CHECK_EQ_INT(api_status(&e, "POST", "/api/v1/quizzes/1/attempts", e.f.token_a, body,
                            test_now()),
                 404); /* a questionnaire, not a quiz */
    api_env_close(&e);
}

int main(void)
{
    RUN(test_sections_and_paging);
    RUN(test_item_details);
    RUN(test_course_catalogue);
    RUN(test_resume_per_household);
    RUN(test_live_and_heartbeat);
    RUN(test_service_requests);
    RUN(test_anonymous_questionnaire);
    RUN(test_named_questionnaire);
    RUN(test_exam_scored_by_server);
    return CHECK_DONE();
}
