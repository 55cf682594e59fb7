/* The catalogue models (net/catalogue.c): page and item replies as the server sends them, the
 * replies a parser must refuse, the formatting members see; and the list's paging rules
 * (ui/list.c), table-driven. */
#include "net/catalogue.h"
#include "ui/list.h"
#include "../check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const page_json =
    "{\"section\":\"affairs\",\"title\":\"党务公开\",\"total\":15,\"page\":2,\"per_page\":2,"
    "\"items\":[{\"id\":1,\"section\":\"affairs\",\"kind\":\"通知公告\",\"title\":\"关于开展"
    "11月“党群直通日”活动的通知\",\"published_at\":\"2026-11-20T16:40:06Z\",\"scope\":"
    "\"南湖镇\",\"picture\":null,\"duration_s\":null},{\"id\":12,\"section\":\"study\","
    "\"kind\":\"课程\",\"title\":\"党章学习\",\"published_at\":\"2026-11-17T04:40:06Z\","
    "\"scope\":\"南湖镇\",\"picture\":null,\"category\":\"党课学习\",\"duration_s\":1200}]}";

static void test_page_is_parsed(void)
{
    struct cat_page p;
    char err[200];
    CHECK_EQ_INT(cat_parse_page(page_json, &p, err, sizeof(err)), 0);
    CHECK_EQ_STR(p.section, "affairs");
    CHECK_EQ_INT(p.total, 15);
    CHECK_EQ_INT(p.page, 2);
    CHECK_EQ_INT(p.n, 2);
    CHECK_EQ_INT(p.items[0].id, 1);
    CHECK_EQ_INT(p.items[0].duration_s, -1);
    CHECK(!cat_entry_playable(&p.items[0]));
    CHECK_EQ_INT(p.items[1].duration_s, 1200);
    CHECK(cat_entry_playable(&p.items[1]));
    CHECK_EQ_STR(p.items[1].kind, "课程");
    CHECK_EQ_STR(p.items[1].category, "党课学习");
    CHECK_EQ_STR(p.items[0].category, "");
    cat_page_free(&p);
    CHECK(p.items == NULL && p.n == 0);
}

static void test_live_page_lists_broadcasts(void)
{
    const char *json =
        "{\"section\":\"live\",\"title\":\"党群直播\",\"total\":1,\"page\":1,\"per_page\":20,"
        "\"items\":[{\"id\":1,\"title\":\"11月党群直通日视频会议\",\"state\":\"live\","
        "\"org_id\":1,\"scope\":\"南湖镇\",\"started_at\":\"2026-11-23T05:20:06Z\","
        "\"ended_at\":null,\"playback_url\":\"/live/1/index.m3u8\",\"recording_url\":null}]}";
    struct cat_page p;
    CHECK_EQ_INT(cat_parse_page(json, &p, NULL, 0), 0);
    CHECK_EQ_INT(p.n, 1);
    CHECK(p.items[0].is_broadcast);
    CHECK(cat_entry_playable(&p.items[0]));
    CHECK_EQ_STR(p.items[0].state, "live");
    CHECK_EQ_STR(p.items[0].playback_url, "/live/1/index.m3u8");
    CHECK_EQ_STR(p.items[0].recording_url, "");
    cat_page_free(&p);
}

static void test_bad_pages_are_refused(void)
{
    static const char *const bad[] = {
        "",
        "[]",
        "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":2}",              /* no items */
        "{\"section\":\"affairs\",\"total\":1,\"page\":0,\"per_page\":2,\"items\":[]}", /* page 0 */
        "{\"section\":\"affairs\",\"total\":-1,\"page\":1,\"per_page\":2,\"items\":[]}",
        "{\"section\":\"affairs\",\"total\":3,\"page\":1,\"per_page\":1,\"items\":[{},{}]}",
        "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":1,\"items\":[{\"id\":1,"
        "\"kind\":\"x\",\"title\":7}]}",
        "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":1,\"items\":[{\"id\":1,"
        "\"kind\":\"x\",\"title\":\"\xff\"}]}",
        "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":1,\"items\":[{\"id\":1.5,"
        "\"kind\":\"x\",\"title\":\"t\"}]}",
        "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":1,\"items\":[]} trailing",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cat_page p;
        char err[200] = "";
        int rc = cat_parse_page(bad[i], &p, err, sizeof(err));
        if (rc != -EINVAL)
            printf("# case %zu accepted\n", i);
        CHECK_EQ_INT(rc, -EINVAL);
        CHECK(err[0] != '\0');
        CHECK(p.items == NULL);
    }
}

/* The reason names the field, and text shown on screen may not hold control characters
 * (newline and tab excepted: a body has paragraphs). */
static void test_refusals_name_the_field(void)
{
    static const struct {
        const char *json, *want;
    } cases[] = {
        { "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":1,\"items\":[{\"id\":1,"
          "\"kind\":\"x\",\"title\":\"a\\u0007b\"}]}",
          "items[0].title: has a control character" },
        { "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":1,\"items\":[7]}",
          "items[0]: expected an object, got a number" },
        { "{\"section\":\"affairs\",\"total\":3,\"page\":1,\"per_page\":1,\"items\":[{},{}]}",
          "items: 2 entries, at most 1 allowed" },
        { "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":1,\"items\":[{\"id\":1,"
          "\"kind\":\"x\",\"title\":\"t\",\"duration_s\":-5}]}",
          "items[0].duration_s: -5 is out of range" },
        { "{\"section\":\"affairs\",\"total\":1,\"page\":1,\"per_page\":1}",
          "items: expected an array, got nothing" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cat_page p;
        char err[200] = "";
        CHECK_EQ_INT(cat_parse_page(cases[i].json, &p, err, sizeof(err)), -EINVAL);
        if (!strstr(err, cases[i].want))
            printf("# case %zu: \"%s\", want \"%s\"\n", i, err, cases[i].want);
        CHECK(strstr(err, cases[i].want) != NULL);
    }
    struct cat_detail d;
    char err[200] = "";
    CHECK_EQ_INT(cat_parse_detail("{\"id\":1,\"kind\":\"k\",\"title\":\"t\",\"body\":\"一\\n\\t二\","
                                  "\"pioneer\":{\"citation\":\"c\"}}",
                                  &d, err, sizeof(err)),
                 0);
    CHECK_EQ_STR(d.body, "一\n\t二");
    CHECK_EQ_STR(d.citation, "c");
    cat_detail_free(&d);
    CHECK_EQ_INT(cat_parse_detail("{\"id\":1,\"kind\":\"k\",\"title\":\"t\",\"body\":\"b\","
                                  "\"pioneer\":[]}",
                                  &d, err, sizeof(err)),
                 -EINVAL);
    CHECK(strstr(err, "pioneer: expected an object, got an array") != NULL);
}

static void test_detail_with_ledger_and_course(void)
{
    const char *json =
        "{\"id\":34,\"section\":\"affairs\",\"kind\":\"财务公示\",\"title\":\"东村财务收支公示\","
        "\"published_at\":\"2026-11-13T04:40:06Z\",\"scope\":\"东村\",\"picture\":null,"
        "\"duration_s\":null,\"body\":\"本月村集体收入45250元\",\"ledger\":{\"lines\":["
        "{\"line_no\":1,\"date\":\"2026-10-16\",\"item\":\"上月结余\",\"income_fen\":1523000,"
        "\"expense_fen\":0,\"balance_fen\":1523000},{\"line_no\":2,\"date\":\"2026-10-29\","
        "\"item\":\"村内道路维修\",\"income_fen\":0,\"expense_fen\":1880000,\"balance_fen\":"
        "-357000}],\"income_fen\":1523000,\"expense_fen\":1880000,\"balance_fen\":-357000},"
        "\"course\":{\"category\":\"党课学习\",\"poster\":null,\"duration_s\":1200,"
        "\"media_url\":\"/media/12/index.m3u8\"}}";
    struct cat_detail d;
    char err[200];
    CHECK_EQ_INT(cat_parse_detail(json, &d, err, sizeof(err)), 0);
    CHECK_EQ_INT(d.head.id, 34);
    CHECK_EQ_STR(d.body, "本月村集体收入45250元");
    CHECK(d.has_ledger);
    CHECK_EQ_INT(d.n_lines, 2);
    CHECK_EQ_STR(d.lines[1].item, "村内道路维修");
    CHECK_EQ_INT(d.lines[1].balance_fen, -357000);
    CHECK_EQ_INT(d.expense_fen, 1880000);
    CHECK(d.has_course);
    CHECK_EQ_STR(d.media_url, "/media/12/index.m3u8");
    cat_detail_free(&d);
    CHECK(d.body == NULL && d.lines == NULL);

    /* A ledger line without its balance, and a body that is not text, are refused. */
    CHECK_EQ_INT(cat_parse_detail("{\"id\":1,\"kind\":\"k\",\"title\":\"t\",\"body\":\"b\","
                                  "\"ledger\":{\"lines\":[{\"date\":\"d\",\"item\":\"i\","
                                  "\"income_fen\":1,\"expense_fen\":0}],\"income_fen\":1,"
                                  "\"expense_fen\":0,\"balance_fen\":1}}",
                                  &d, NULL, 0),
                 -EINVAL);
    CHECK_EQ_INT(cat_parse_detail("{\"id\":1,\"kind\":\"k\",\"title\":\"t\",\"body\":3}", &d,
                                  NULL, 0),
                 -EINVAL);
    CHECK(d.body == NULL);
}

static void test_formatting(void)
{
    char out[64];
    static const struct {
        long long fen;
        const char *text;
    } money[] = {
        { 0, "0.00" },         { 5, "0.05" },           { 99999, "999.99" },
        { 100000, "1,000.00" }, { 3617950, "36,179.50" }, { 123456789012LL, "1,234,567,890.12" },
        { -357000, "-3,570.00" },
    };
    for (size_t i = 0; i < sizeof(money) / sizeof(money[0]); i++) {
        cat_format_yuan(money[i].fen, out, sizeof(out));
        CHECK_EQ_STR(out, money[i].text);
    }
    static const struct {
        const char *iso, *text;
    } dates[] = {
        /* Beijing is UTC+8: late evening UTC is the next day there. */
        { "2026-11-20T16:40:06Z", "2026年11月21日" },
        { "2026-12-31T15:59:59Z", "2026年12月31日" },
        { "2026-12-31T16:00:00Z", "2027年1月1日" },
        { "2026-10-16", "2026年10月16日" },
        { "soon", "soon" },
    };
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        cat_format_date(dates[i].iso, out, sizeof(out));
        CHECK_EQ_STR(out, dates[i].text);
    }
    cat_format_day("2026-11-04", out, sizeof(out));
    CHECK_EQ_STR(out, "11月4日");
    static const struct {
        int seconds;
        const char *text;
    } durations[] = {
        { 1500, "25 分钟" }, { 45, "1 分钟" }, { 7200, "2 小时" }, { 5400, "1 小时 30 分钟" },
    };
    for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
        cat_format_duration(durations[i].seconds, out, sizeof(out));
        CHECK_EQ_STR(out, durations[i].text);
    }
}

static void test_list_paging_rules(void)
{
    static const struct {
        enum action a;
        int focus, n, page, pages;
        enum ui_list_move want;
        int want_focus;
    } cases[] = {
        { ACTION_DOWN, 0, 4, 1, 3, UI_LIST_MOVED, 1 },
        { ACTION_DOWN, 3, 4, 1, 3, UI_LIST_NEXT_PAGE, 0 },  /* past the last row */
        { ACTION_DOWN, 2, 3, 3, 3, UI_LIST_STAY, 2 },       /* the very end */
        { ACTION_UP, 2, 4, 2, 3, UI_LIST_MOVED, 1 },
        { ACTION_UP, 0, 4, 2, 3, UI_LIST_PREV_PAGE, -1 },   /* onto the last row before */
        { ACTION_UP, 0, 4, 1, 3, UI_LIST_STAY, 0 },
        { ACTION_RIGHT, 2, 4, 1, 3, UI_LIST_NEXT_PAGE, 0 },
        { ACTION_RIGHT, 0, 3, 3, 3, UI_LIST_MOVED, 2 },
        { ACTION_LEFT, 3, 4, 2, 3, UI_LIST_PREV_PAGE, 0 },
        { ACTION_LEFT, 3, 4, 1, 1, UI_LIST_MOVED, 0 },
        { ACTION_OK, 1, 4, 1, 3, UI_LIST_IGNORED, 1 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int f = cases[i].focus;
        CHECK_EQ_INT(ui_list_nav(cases[i].a, &f, cases[i].n, cases[i].page, cases[i].pages),
                     cases[i].want);
        CHECK_EQ_INT(f, cases[i].want_focus);
    }
    CHECK_EQ_INT(ui_list_rows_fit(610), 4);
    CHECK_EQ_INT(ui_list_rows_fit(10), 1);
}

/* GET /api/v1/sections/{key}/categories: names and counts; malformed lists refused. */
static void test_categories(void)
{
    struct cat_categories c;
    char err[256];
    CHECK_EQ_INT(cat_parse_categories("{\"section\":\"study\",\"categories\":["
                                      "{\"name\":\"党课学习\",\"count\":2},"
                                      "{\"name\":\"致富技术\",\"count\":3}]}",
                                      &c, err, sizeof(err)),
                 0);
    CHECK_EQ_INT(c.n, 2);
    CHECK_EQ_STR(c.items[1].name, "致富技术");
    CHECK_EQ_INT(c.items[1].count, 3);
    CHECK_EQ_INT(cat_parse_categories("{\"categories\":[]}", &c, NULL, 0), 0);
    CHECK_EQ_INT(c.n, 0);
    static const char *const bad[] = {
        "{}",
        "{\"categories\":[{\"name\":\"\",\"count\":1}]}",
        "{\"categories\":[{\"name\":\"a\",\"count\":-1}]}",
        "{\"categories\":[{\"name\":\"a\"}]}",
        "{\"categories\":[\"a\"]}",
        "{\"categories\":[{\"name\":\"a\",\"count\":1}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        CHECK_EQ_INT(cat_parse_categories(bad[i], &c, err, sizeof(err)), -EINVAL);
        CHECK(err[0] != '\0');
        CHECK_EQ_INT(c.n, 0);
    }
    char many[2048];
    int at = snprintf(many, sizeof(many), "{\"categories\":[");
    for (int i = 0; i <= CAT_CATEGORIES_MAX; i++)
        at += snprintf(many + at, sizeof(many) - (size_t)at, "%s{\"name\":\"c%d\",\"count\":1}",
                       i ? "," : "", i);
    snprintf(many + at, sizeof(many) - (size_t)at, "]}");
    CHECK_EQ_INT(cat_parse_categories(many, &c, NULL, 0), -EINVAL);
}

int main(void)
{
    RUN(test_categories);
    RUN(test_page_is_parsed);
    RUN(test_live_page_lists_broadcasts);
    RUN(test_bad_pages_are_refused);
    RUN(test_refusals_name_the_field);
    RUN(test_detail_with_ledger_and_course);
    RUN(test_formatting);
    RUN(test_list_paging_rules);
    return CHECK_DONE();
}
