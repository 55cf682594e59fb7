/* api_parse_record(): the example reply of server/API.md, then replies that must be refused
 * (a wrong type, a missing field, broken text) without a crash or a half-filled model. */
#include "net/record.h"

#include <errno.h>
#include <string.h>

#include "../check.h"

static const char example[] =
    "{\"member\":{\"id\":1,\"name\":\"林玉山\"},"
    "\"attendance\":[{\"rollcall_id\":1,\"broadcast_id\":1,\"title\":\"11月党群直通日视频会议\","
    "\"opened_at\":\"2026-11-23T05:40:08Z\",\"closed_at\":\"2026-11-23T05:55:00Z\","
    "\"checked_in_at\":\"2026-11-23T05:40:08Z\",\"attended\":true},"
    "{\"rollcall_id\":2,\"broadcast_id\":3,\"title\":\"东村党员大会\","
    "\"opened_at\":\"2026-11-30T23:10:00Z\",\"closed_at\":null,"
    "\"checked_in_at\":null,\"attended\":false}],"
    "\"meetings_called\":2,\"meetings_attended\":1,"
    "\"credits\":{\"items\":["
    "{\"reason\":\"exam_passed\",\"ref_id\":19,\"title\":\"党章知识测试（第11期）\",\"points\":2,"
    "\"earned_at\":\"2026-11-23T05:40:08Z\"},"
    "{\"reason\":\"meeting_attended\",\"ref_id\":1,\"title\":\"11月党群直通日视频会议\","
    "\"points\":1,\"earned_at\":\"2026-11-23T05:40:08Z\"}],\"total\":3}}";

static void test_the_example_reply(void)
{
    struct record_model m;
    char why[256];
    CHECK_EQ_INT(api_parse_record(example, &m, why, sizeof(why)), 0);
    CHECK_EQ_INT(m.member_id, 1);
    CHECK(strcmp(m.name, "林玉山") == 0);
    CHECK_EQ_INT(m.n_meetings, 2);
    CHECK(m.meetings[0].attended && !m.meetings[1].attended);
    CHECK(m.meetings[1].checked_in_at[0] == '\0');
    CHECK_EQ_INT(m.meetings_called, 2);
    CHECK_EQ_INT(m.meetings_attended, 1);
    CHECK_EQ_INT(m.n_credits, 2);
    CHECK_EQ_INT(m.credits[0].points, 2);
    CHECK(strcmp(record_reason_text(m.credits[0].reason), "考试通过") == 0);
    CHECK_EQ_INT(m.credits_total, 3);
    record_model_free(&m);
    CHECK(m.meetings == NULL && m.credits == NULL && m.n_meetings == 0);
}

static void test_beijing_dates(void)
{
    char d[32];
    api_beijing_date("2026-11-30T23:10:00Z", d, sizeof(d)); /* the next morning in Beijing */
    CHECK(strcmp(d, "12月1日") == 0);
    api_beijing_date("not a time", d, sizeof(d));
    CHECK(d[0] == '\0');
}

static void test_bad_replies_are_refused(void)
{
    static const char *const bad[] = {
        "",
        "[]",
        "{\"member\":{\"id\":1,\"name\":\"林玉山\"}}",
        "{\"member\":{\"id\":\"1\",\"name\":\"x\"},\"attendance\":[],\"meetings_called\":0,"
        "\"meetings_attended\":0,\"credits\":{\"items\":[],\"total\":0}}",
        "{\"member\":{\"id\":1,\"name\":\"x\"},\"attendance\":[{\"rollcall_id\":1,"
        "\"title\":\"t\",\"opened_at\":\"2026-11-23T05:40:08Z\",\"attended\":1}],"
        "\"meetings_called\":1,\"meetings_attended\":0,\"credits\":{\"items\":[],\"total\":0}}",
        "{\"member\":{\"id\":1,\"name\":\"\xff\"},\"attendance\":[],\"meetings_called\":0,"
        "\"meetings_attended\":0,\"credits\":{\"items\":[],\"total\":0}}",
        "{\"member\":{\"id\":1,\"name\":\"x\"},\"attendance\":[],\"meetings_called\":0,"
        "\"meetings_attended\":0,\"credits\":{\"items\":[{\"reason\":\"exam_passed\"}],"
        "\"total\":0}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct record_model m;
        char why[256] = "";
        CHECK_EQ_INT(api_parse_record(bad[i], &m, why, sizeof(why)), -EINVAL);
        CHECK(why[0] != '\0');
        CHECK(m.meetings == NULL && m.credits == NULL);
    }
}

int main(void)
{
    RUN(test_the_example_reply);
    RUN(test_beijing_dates);
    RUN(test_bad_replies_are_refused);
    return CHECK_DONE();
}
