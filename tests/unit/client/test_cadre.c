/* Cadre mode's models (net/cadre.c) on the replies the server sends, the replies they must
 * refuse, and the refusals said in plain Chinese; the PIN keypad shows ● (ui/keypad.c). */
#include "net/cadre.h"
#include "ui/keypad.h"
#include "../check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_login(void)
{
    struct cadre_session s;
    char err[200];
    const char *ok = "{\"token\":\"" TOKEN "\",\"expires_at\":\"2026-11-23T17:40:08Z\","
                     "\"role\":\"cadre\",\"account\":{\"id\":1,\"username\":\"cadre01\","
                     "\"display_name\":\"东村党支部书记\"},\"org\":{\"id\":2,\"kind\":\"village\","
                     "\"name\":\"东村\"}}";
    CHECK_EQ_INT(cadre_parse_login(ok, &s, err, sizeof(err)), 0);
    CHECK_EQ_STR(s.token, TOKEN);
    CHECK_EQ_STR(s.name, "东村党支部书记");
    CHECK_EQ_STR(s.village, "东村");
    CHECK_EQ_INT(s.village_id, 2);
    cadre_session_wipe(&s);
    CHECK_EQ_STR(s.token, "");
    static const char *const bad[] = {
        "{\"token\":\"abc\",\"account\":{\"display_name\":\"x\"},\"org\":{\"id\":2,\"name\":\"y\"}}",
        "{\"account\":{\"display_name\":\"x\"},\"org\":{\"id\":2,\"name\":\"y\"}}",
        "{\"token\":\"" TOKEN "\",\"account\":{},\"org\":{\"id\":2,\"name\":\"y\"}}",
        "{\"token\":\"" TOKEN "\",\"account\":{\"display_name\":\"x\"},\"org\":{\"id\":0,\"name\":\"y\"}}",
        "[]",
        "not json",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ_INT(cadre_parse_login(bad[i], &s, err, sizeof(err)), -EINVAL);
        CHECK_EQ_STR(s.token, ""); /* nothing of a refused reply is kept */
    }
}

static void test_rollcalls_and_signins(void)
{
    struct cadre_rollcall rc;
    char err[200];
    CHECK_EQ_INT(cadre_parse_rollcalls("{\"rollcalls\":[]}", &rc, err, sizeof(err)), -ENOENT);
    CHECK_EQ_INT(cadre_parse_rollcalls("{\"rollcalls\":[{\"id\":3,\"broadcast_id\":7,\"title\":"
                                       "\"会\",\"state\":\"open\",\"expected\":3,"
                                       "\"checked_in\":1}]}",
                                       &rc, err, sizeof(err)),
                 0);
    CHECK_EQ_INT(rc.id, 3);
    CHECK_EQ_INT(rc.broadcast_id, 7);
    CHECK(rc.open);
    CHECK_EQ_INT(cadre_parse_rollcalls("{\"rollcalls\":[{\"id\":3}]}", &rc, err, sizeof(err)),
                 -EINVAL);
    struct cadre_signins s;
    const char *json = "{\"rollcall\":{\"id\":1,\"broadcast_id\":1,\"title\":\"t\",\"state\":"
                       "\"open\",\"expected\":3,\"checked_in\":2},\"checked_in\":[{\"member_id\":1,"
                       "\"name\":\"张一山\",\"household\":\"张家\"},{\"member_id\":2,\"name\":"
                       "\"李二水\",\"household\":\"李家\"}],\"absent\":[{\"member_id\":3,\"name\":"
                       "\"王三田\",\"household\":\"王家\"}]}";
    CHECK_EQ_INT(cadre_parse_signins(json, &s, err, sizeof(err)), 0);
    CHECK_EQ_INT(s.rollcall.expected, 3);
    CHECK_EQ_INT(s.rollcall.checked_in, 2);
    CHECK_EQ_INT(s.n_in, 2);
    CHECK_EQ_INT(s.n_absent, 1);
    CHECK_EQ_STR(s.absent[0].name, "王三田");
    cadre_signins_free(&s);
    CHECK(s.in == NULL && s.absent == NULL);
    CHECK_EQ_INT(cadre_parse_signins("{\"rollcall\":{\"id\":1,\"broadcast_id\":1,\"state\":"
                                     "\"open\",\"expected\":3,\"checked_in\":0},\"checked_in\":"
                                     "[{\"name\":3}],\"absent\":[]}",
                                     &s, err, sizeof(err)),
                 -EINVAL);
    CHECK(s.in == NULL && s.absent == NULL);
}

static void test_broadcasts_and_duty(void)
{
    struct cadre_broadcast b;
    int own = -1;
    char err[200], key[80];
    const char *list = "{\"broadcasts\":[{\"id\":1,\"org_id\":1,\"title\":\"镇里\",\"state\":"
                       "\"live\"},{\"id\":4,\"org_id\":2,\"title\":\"村里\",\"state\":\"live\"},"
                       "{\"id\":5,\"org_id\":2,\"title\":\"下周\",\"state\":\"scheduled\"}]}";
    CHECK_EQ_INT(cadre_find_live(list, 2, &b, &own, err, sizeof(err)), 0);
    CHECK_EQ_INT(b.id, 4);
    CHECK_EQ_INT(own, 1);
    CHECK_EQ_INT(cadre_find_live(list, 3, &b, &own, err, sizeof(err)), 0);
    CHECK_EQ_INT(b.id, 1); /* the township's meeting: its roll call, not its stop */
    CHECK_EQ_INT(own, 0);
    CHECK_EQ_INT(cadre_find_live("{\"broadcasts\":[]}", 2, &b, &own, err, sizeof(err)), -ENOENT);
    const char *start = "{\"broadcast\":{\"id\":9,\"org_id\":2,\"title\":\"t\",\"state\":\"live\"},"
                        "\"publish_key\":\"" TOKEN "\"}";
    CHECK_EQ_INT(cadre_parse_start(start, &b, key, sizeof(key), err, sizeof(err)), 0);
    CHECK_EQ_INT(b.id, 9);
    CHECK_EQ_STR(key, TOKEN);
    CHECK_EQ_INT(cadre_parse_start("{\"broadcast\":{\"id\":9,\"org_id\":2,\"title\":\"t\","
                                   "\"state\":\"live\"},\"publish_key\":\"short\"}",
                                   &b, key, sizeof(key), err, sizeof(err)),
                 -EINVAL);
    CHECK_EQ_STR(key, "");
    struct cadre_duty d;
    CHECK_EQ_INT(cadre_parse_duty("{\"checks\":[]}", &d, err, sizeof(err)), -ENOENT);
    CHECK_EQ_INT(cadre_parse_duty("{\"checks\":[{\"id\":1,\"village\":{\"id\":2,\"name\":\"东村\"},"
                                  "\"checked_by\":{\"id\":11,\"name\":\"南湖镇党建办\"},\"state\":"
                                  "\"requested\",\"answer_by\":\"2026-11-23T07:28:37Z\"}]}",
                                  &d, err, sizeof(err)),
                 0);
    CHECK_EQ_INT(d.id, 1);
    CHECK_EQ_STR(d.checked_by, "南湖镇党建办");
}

static void test_refusals_in_plain_words(void)
{
    char buf[128];
    struct {
        long status;
        const char *body;
        const char *want;
    } cases[] = {
        { 401, "{\"code\":\"bad_credentials\",\"message\":\"x\"}", "手机号或密码不对，请重新输入" },
        { 429, "{\"code\":\"rate_limited\",\"message\":\"x\"}", "输错太多次了，请过一分钟再试" },
        { 409, "{\"code\":\"rollcall_open\",\"message\":\"x\"}", "点名已经开始了" },
        { 409, "{\"code\":\"broadcast_not_live\",\"message\":\"x\"}", "会议已经结束了" },
        { 403, "{\"code\":\"forbidden\",\"message\":\"x\"}", "您没有这项权限" },
        { 500, "{}", "没有办成，请再试一次" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct net_result r = { .error = NET_OK, .http_status = cases[i].status,
                                .body = (char *)cases[i].body };
        CHECK_EQ_STR(cadre_refusal_text(&r, buf, sizeof(buf)), cases[i].want);
    }
    struct net_result down = { .error = NET_ERR_CONNECT };
    CHECK_EQ_STR(cadre_refusal_text(&down, buf, sizeof(buf)), "连不上服务器，请检查网络后再试");
}

static void test_pin_keypad_shows_dots(void)
{
    struct ui_keypad k;
    SDL_Rect area = { 0, 0, 900, 700 };
    char shown[64];
    ui_keypad_init(&k, NULL, 6, area);
    k.secret = 1;
    ui_keypad_action(&k, ACTION_DIGIT_2);
    ui_keypad_action(&k, ACTION_DIGIT_4);
    CHECK_EQ_STR(k.digits, "24");
    ui_keypad_shown(&k, shown, sizeof(shown));
    CHECK_EQ_STR(shown, "●●");
    k.secret = 0;
    ui_keypad_shown(&k, shown, sizeof(shown));
    CHECK_EQ_STR(shown, "24");
}

int main(void)
{
    RUN(test_login);
    RUN(test_rollcalls_and_signins);
    RUN(test_broadcasts_and_duty);
    RUN(test_refusals_in_plain_words);
    RUN(test_pin_keypad_shows_dots);
    return CHECK_DONE();
}
