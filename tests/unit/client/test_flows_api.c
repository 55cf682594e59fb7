/* The roll-call and service-desk replies the TV parses, and the phone rule it checks before
 * sending, table-driven with malformed input. */
#include "net/rollcall.h"
#include "net/service.h"
#include "../check.h"

static void test_rollcalls(void)
{
    struct rc_current cur;
    char err[160];
    const char *ok =
        "{\"rollcalls\":[{\"id\":1,\"broadcast_id\":2,\"title\":\"11月会议\",\"org_id\":2,"
        "\"opened_at\":\"2026-11-23T05:40:08Z\",\"closed_at\":null,\"state\":\"open\","
        "\"expected\":27,\"checked_in\":0,\"watching\":true,\"members\":[{\"id\":1,"
        "\"name\":\"林玉山\",\"checked_in_at\":null},{\"id\":2,\"name\":\"朱兰英\","
        "\"checked_in_at\":\"2026-11-23T05:41:00Z\"}]}],\"server_time\":\"2026-11-23T05:40:08Z\"}";
    CHECK_EQ_INT(api_parse_rollcalls(ok, &cur, err, sizeof(err)), 0);
    CHECK_EQ_INT(cur.n, 1);
    CHECK_EQ_INT(cur.open[0].broadcast_id, 2);
    CHECK_EQ_INT(cur.open[0].watching, 1);
    CHECK_EQ_INT(cur.open[0].n_members, 2);
    CHECK_EQ_STR(cur.open[0].members[0].name, "林玉山");
    CHECK_EQ_STR(cur.open[0].members[0].checked_in_at, "");
    CHECK_EQ_STR(cur.open[0].members[1].checked_in_at, "2026-11-23T05:41:00Z");
    static const char *const bad[] = {
        "", "[]", "{}", "{\"rollcalls\":{}}", "{\"rollcalls\":[{\"id\":\"1\"}]}",
        "{\"rollcalls\":[{\"id\":1,\"broadcast_id\":2,\"title\":3,\"members\":[]}]}",
        "{\"rollcalls\":[{\"id\":1,\"broadcast_id\":2,\"title\":\"t\",\"members\":[{\"id\":0,"
        "\"name\":\"x\"}]}]}",
        "{\"rollcalls\":[{\"id\":1,\"broadcast_id\":2,\"title\":\"t\"}]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ_INT(api_parse_rollcalls(bad[i], &cur, err, sizeof(err)), -22);
        CHECK_EQ_INT(cur.n, 0);
    }
}

static void test_broadcasts_and_codes(void)
{
    const char *json = "{\"broadcasts\":[{\"id\":4,\"title\":\"排期\",\"state\":\"scheduled\","
                       "\"playback_url\":null},{\"id\":1,\"title\":\"直播\",\"state\":\"live\","
                       "\"playback_url\":\"/live/1/index.m3u8\"}]}";
    char url[128], title[64];
    int64_t id = 0;
    CHECK_EQ_INT(api_find_live_broadcast(json, 1, url, sizeof(url), title, sizeof(title), NULL, 0),
                 0);
    CHECK_EQ_STR(url, "/live/1/index.m3u8");
    CHECK_EQ_INT(api_find_live_broadcast(json, 4, url, sizeof(url), title, sizeof(title), NULL, 0),
                 -2);
    CHECK_EQ_INT(api_first_live_broadcast(json, &id, url, sizeof(url), title, sizeof(title), NULL,
                                          0),
                 0);
    CHECK_EQ_INT(id, 1);
    CHECK_EQ_STR(title, "直播");
    CHECK_EQ_INT(api_first_live_broadcast("{\"broadcasts\":[]}", &id, url, sizeof(url), title,
                                          sizeof(title), NULL, 0),
                 -2);
    char code[48];
    api_error_code("{\"code\":\"rollcall_closed\",\"message\":\"x\"}", code, sizeof(code));
    CHECK_EQ_STR(code, "rollcall_closed");
    api_error_code("{\"code\":\"<script>\"}", code, sizeof(code));
    CHECK_EQ_STR(code, "");
    api_error_code("not json", code, sizeof(code));
    CHECK_EQ_STR(code, "");
    char hhmm[8];
    api_beijing_hhmm("2026-11-23T02:02:08Z", hhmm, sizeof(hhmm));
    CHECK_EQ_STR(hhmm, "10:02");
    api_beijing_hhmm("2026-11-23T16:30:00Z", hhmm, sizeof(hhmm));
    CHECK_EQ_STR(hhmm, "00:30");
    api_beijing_hhmm("yesterday", hhmm, sizeof(hhmm));
    CHECK_EQ_STR(hhmm, "");
    CHECK_EQ_INT(api_iso_to_epoch("1970-01-01T00:01:00Z"), 60);
    CHECK_EQ_INT(api_iso_to_epoch("2026-13-01T00:00:00Z"), -1);
}

struct phone_case {
    const char *digits;
    const char *problem; /* NULL = good */
};

static void test_phone_rule(void)
{
    static const struct phone_case cases[] = {
        { "13800138000", NULL },
        { "19912345678", NULL },
        { "06331234567", NULL },  /* area code 0633, 7 digits */
        { "0101234567", NULL },   /* 010 + 7 */
        { "010123456789", NULL }, /* 12 digits */
        { "", "请输入电话号码" },
        { "138", "手机号是11位，还少8位" },
        { "138001380001", "手机号是11位，多了1位" },
        { "12345678901", "手机号要以13到19开头" },
        { "010123", "座机号要带区号，号码太短" },
        { "0101234567890", "号码太长" },
        { "2345678901", "电话号码要以1或0开头" },
        { "138-0013-8000", "号码里只能有数字" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[96];
        const char *got = svc_phone_problem(cases[i].digits, buf, sizeof(buf));
        if (cases[i].problem)
            CHECK_EQ_STR(got, cases[i].problem);
        else
            CHECK(got == NULL);
    }
}

static void test_service_replies(void)
{
    struct svc_category cats[SVC_CATEGORIES_MAX];
    int n = 0;
    CHECK_EQ_INT(api_parse_categories("{\"categories\":[{\"key\":\"agri_tech\",\"title\":"
                                      "\"农业技术服务\"},{\"key\":\"consult\",\"title\":\"咨询\"}]}",
                                      cats, SVC_CATEGORIES_MAX, &n, NULL, 0),
                 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(cats[1].title, "咨询");
    CHECK_EQ_INT(api_parse_categories("{\"categories\":[{\"key\":\"a\\\"b\",\"title\":\"x\"}]}",
                                      cats, SVC_CATEGORIES_MAX, &n, NULL, 0),
                 -22);
    CHECK_EQ_INT(n, 0);
    struct svc_detail d;
    CHECK_EQ_INT(api_parse_request_detail(
                     "{\"id\":3,\"category_title\":\"咨询\",\"phone\":\"13800138000\","
                     "\"state\":\"replied\",\"deadline_at\":\"2026-11-24T05:40:08Z\","
                     "\"reply_count\":1,\"replies\":[{\"author\":\"南湖镇党建办\","
                     "\"body\":\"明天上门\",\"created_at\":\"2026-11-23T06:10:00Z\"}]}",
                     &d, NULL, 0),
                 0);
    CHECK_EQ_INT(d.req.id, 3);
    CHECK_EQ_INT(d.n_replies, 1);
    CHECK_EQ_STR(d.replies[0].body, "明天上门");
    CHECK_EQ_INT(api_parse_request_detail("{\"id\":3}", &d, NULL, 0), -22);
    struct svc_list l;
    CHECK_EQ_INT(api_parse_requests("{\"items\":[],\"total\":0,\"page\":1,\"per_page\":5}", &l,
                                    NULL, 0),
                 0);
    CHECK_EQ_INT(l.n, 0);
    CHECK_EQ_INT(api_parse_requests("{\"items\":[{\"id\":-1}]}", &l, NULL, 0), -22);
    CHECK_EQ_STR(svc_state_text("replied"), "已回复");
    CHECK_EQ_INT(api_request_create(NULL, "consult", "123"), -22);
    CHECK_EQ_INT(api_request_create(NULL, "bad key", "13800138000"), -22);
}

int main(void)
{
    RUN(test_rollcalls);
    RUN(test_broadcasts_and_codes);
    RUN(test_phone_rule);
    RUN(test_service_replies);
    return check_failed_cases ? 1 : 0;
}
