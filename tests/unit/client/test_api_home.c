/* api_parse_home(): the example reply from the contract, then a table of replies built from
 * it with one part replaced, each either accepted or rejected with a given reason. */
#include "buf.h"
#include "net/api.h"
#include "../check.h"

#include <errno.h>
#include <stdlib.h>

#define OMIT "\x01" /* leave the key out */

static const char *const def_township = "{\"id\": 1, \"name\": \"南湖镇\"}";
static const char *const def_village = "{\"id\": 3, \"name\": \"东村\"}";
static const char *const def_household =
    "{\"id\": 12, \"name\": \"王家\", \"members\": "
    "[{\"id\": 31, \"name\": \"王建国\", \"birth_year\": 1951}]}";
static const char *const def_sections =
    "[{\"key\": \"affairs\", \"title\": \"党务公开\", \"count\": 14},"
    " {\"key\": \"live\", \"title\": \"党群直播\", \"count\": 3},"
    " {\"key\": \"study\", \"title\": \"党教园地\", \"count\": 9},"
    " {\"key\": \"video\", \"title\": \"今日南湖\", \"count\": 12},"
    " {\"key\": \"pioneers\", \"title\": \"时代先锋\", \"count\": 8},"
    " {\"key\": \"evaluation\", \"title\": \"党风评议\", \"count\": 2}]";
static const char *const def_live =
    "[{\"id\": 2, \"title\": \"11月党群直通日视频会议\", \"scope\": \"南湖镇\"}]";
static const char *const def_tail = ", \"server_time\": \"2026-11-23T10:00:00Z\"";

struct home_parts {
    const char *township, *village, *household, *sections, *live, *tail; /* NULL = default */
};

static void add_field(struct buf *b, const char *name, const char *value, const char *def,
                      int *first)
{
    if (!value)
        value = def;
    if (strcmp(value, OMIT) == 0)
        return;
    buf_printf(b, "%s\"%s\": %s", *first ? "" : ", ", name, value);
    *first = 0;
}

/* The reply as a string the caller frees. */
static char *home_json(const struct home_parts *p)
{
    struct buf b;
    int first = 1;
    buf_init(&b, 0);
    buf_append_str(&b, "{");
    add_field(&b, "township", p->township, def_township, &first);
    add_field(&b, "village", p->village, def_village, &first);
    add_field(&b, "household", p->household, def_household, &first);
    add_field(&b, "sections", p->sections, def_sections, &first);
    add_field(&b, "live_now", p->live, def_live, &first);
    buf_append_str(&b, p->tail ? p->tail : def_tail);
    buf_append_str(&b, "}");
    return buf_steal(&b);
}

static int utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc2 ? 2 : 0;
        if (!n)
            return 0;
        for (int i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
        }
        p += n;
    }
    return 1;
}

static void test_contract_example(void)
{
    struct home_parts p = { 0 };
    char *json = home_json(&p);
    struct home_model m;
    char err[256];
    CHECK_EQ_INT(api_parse_home(json, &m, err, sizeof(err)), 0);
    CHECK_EQ_STR(err, "");
    CHECK_EQ_STR(m.township, "南湖镇");
    CHECK_EQ_STR(m.village, "东村");
    CHECK_EQ_STR(m.household, "王家");
    CHECK_EQ_INT(m.n_members, 1);
    CHECK(m.members != NULL);
    if (m.members) {
        CHECK_EQ_INT(m.members[0].id, 31);
        CHECK_EQ_STR(m.members[0].name, "王建国");
        CHECK_EQ_INT(m.members[0].birth_year, 1951);
    }
    CHECK_EQ_INT(m.n_sections, 6);
    CHECK_EQ_STR(m.sections[0].key, "affairs");
    CHECK_EQ_STR(m.sections[0].title, "党务公开");
    CHECK_EQ_INT(m.sections[0].count, 14);
    CHECK_EQ_STR(m.sections[5].key, "evaluation");
    CHECK_EQ_INT(m.sections[5].count, 2);
    CHECK_EQ_INT(m.n_live, 1);
    CHECK(m.live != NULL);
    if (m.live) {
        CHECK_EQ_INT(m.live[0].id, 2);
        CHECK_EQ_STR(m.live[0].title, "11月党群直通日视频会议");
        CHECK_EQ_STR(m.live[0].scope, "南湖镇");
    }
    CHECK_EQ_STR(m.server_time, "2026-11-23T10:00:00Z");
    home_model_free(&m);
    CHECK(m.members == NULL && m.live == NULL && m.n_members == 0);
    home_model_free(&m); /* twice is harmless */
    home_model_free(NULL);
    free(json);
}

struct parse_case {
    const char *name;
    struct home_parts parts;
    const char *raw;  /* when set, parsed instead of the built reply */
    const char *want; /* NULL = accepted; else a substring of the error */
};

static const struct parse_case cases[] = {
    /* accepted */
    { "no server_time", { .tail = "" }, NULL, NULL },
    { "null server_time", { .tail = ", \"server_time\": null" }, NULL, NULL },
    { "empty arrays",
      { .household = "{\"name\": \"王家\", \"members\": []}", .sections = "[]", .live = "[]" },
      NULL, NULL },
    { "unknown fields ignored", { .tail = ", \"weather\": {\"t\": 3}, \"v\": [1]" }, NULL, NULL },
    { "count zero", { .sections = "[{\"key\": \"live\", \"title\": \"直播\", \"count\": 0}]" },
      NULL, NULL },
    { "member with a null birth_year (unknown)",
      { .household = "{\"name\": \"王家\", \"members\": [{\"id\": 1, \"name\": \"甲\", "
                     "\"birth_year\": null}]}" }, NULL, NULL },
    { "escaped unicode", { .township = "{\"name\": \"\\u5357\\u6e56\\u9547\"}" }, NULL, NULL },
    /* not JSON at all */
    { "plain text", { 0 }, "hello", "not valid JSON" },
    { "empty body", { 0 }, "", "not valid JSON" },
    { "truncated", { 0 }, "{\"township\": {\"name\": \"南", "not valid JSON" },
    { "trailing garbage", { 0 }, "{} x", "not valid JSON" },
    { "top-level array", { 0 }, "[1, 2]", "expected a JSON object at the top, got an array" },
    { "top-level string", { 0 }, "\"home\"", "got a string" },
    /* missing fields */
    { "no township", { .township = OMIT }, NULL, "township: expected an object, got nothing" },
    { "no township name", { .township = "{\"id\": 1}" }, NULL,
      "township.name: expected a string, got nothing" },
    { "no village", { .village = OMIT }, NULL, "village: expected an object" },
    { "no household", { .household = OMIT }, NULL, "household: expected an object" },
    { "no household name", { .household = "{\"members\": []}" }, NULL,
      "household.name: expected a string" },
    { "no members", { .household = "{\"name\": \"王家\"}" }, NULL,
      "household.members: expected an array, got nothing" },
    { "member without birth_year",
      { .household = "{\"name\": \"王家\", \"members\": [{\"id\": 1, \"name\": \"甲\"}]}" }, NULL,
      "household.members[0].birth_year: expected an integer, got nothing" },
    { "no sections", { .sections = OMIT }, NULL, "sections: expected an array, got nothing" },
    { "section without count", { .sections = "[{\"key\": \"live\", \"title\": \"直播\"}]" }, NULL,
      "sections[0].count: expected an integer" },
    { "section without title", { .sections = "[{\"key\": \"live\", \"count\": 1}]" }, NULL,
      "sections[0].title: expected a string" },
    { "no live_now", { .live = OMIT }, NULL, "live_now: expected an array, got nothing" },
    { "live without scope", { .live = "[{\"id\": 2, \"title\": \"会\"}]" }, NULL,
      "live_now[0].scope: expected a string, got nothing" },
    /* wrong types */
    { "township is a string", { .township = "\"南湖镇\"" }, NULL,
      "township: expected an object, got a string" },
    { "township name is a number", { .township = "{\"name\": 5}" }, NULL,
      "township.name: expected a string, got a number" },
    { "village name is null", { .village = "{\"name\": null}" }, NULL,
      "village.name: expected a string, got null" },
    { "members is an object", { .household = "{\"name\": \"王家\", \"members\": {}}" }, NULL,
      "household.members: expected an array, got an object" },
    { "member is a number", { .household = "{\"name\": \"王家\", \"members\": [7]}" }, NULL,
      "household.members[0]: expected an object, got a number" },
    { "member id is a string",
      { .household = "{\"name\": \"王\", \"members\": [{\"id\": \"31\", \"name\": \"甲\", "
                     "\"birth_year\": 1951}]}" },
      NULL, "household.members[0].id: expected an integer, got a string" },
    { "member id fractional",
      { .household = "{\"name\": \"王\", \"members\": [{\"id\": 3.5, \"name\": \"甲\", "
                     "\"birth_year\": 1951}]}" },
      NULL, "household.members[0].id: expected an integer, got 3.5" },
    { "birth_year absurd",
      { .household = "{\"name\": \"王\", \"members\": [{\"id\": 3, \"name\": \"甲\", "
                     "\"birth_year\": 19510}]}" },
      NULL, "birth_year: 19510 is out of range" },
    { "sections is an object", { .sections = "{}" }, NULL,
      "sections: expected an array, got an object" },
    { "count is a string",
      { .sections = "[{\"key\": \"live\", \"title\": \"直播\", \"count\": \"3\"}]" },
      NULL, "sections[0].count: expected an integer, got a string" },
    { "count is a bool",
      { .sections = "[{\"key\": \"live\", \"title\": \"直播\", \"count\": true}]" },
      NULL, "sections[0].count: expected an integer, got a boolean" },
    { "count too big", { .sections = "[{\"key\": \"live\", \"title\": \"直播\", \"count\": 1e12}]" },
      NULL, "sections[0].count: 1000000000000 is out of range" },
    { "live id is null", { .live = "[{\"id\": null, \"title\": \"会\", \"scope\": \"东村\"}]" },
      NULL, "live_now[0].id: expected an integer, got null" },
    { "server_time is a number", { .tail = ", \"server_time\": 1700000000" }, NULL,
      "server_time: expected a string, got a number" },
    { "server_time too long",
      { .tail = ", \"server_time\": \"2026-11-23T10:00:00.000000000+08:00\"" },
      NULL, "server_time: longer than 31 characters" },
    /* bad values */
    { "negative count", { .sections = "[{\"key\": \"live\", \"title\": \"直播\", \"count\": -1}]" },
      NULL, "sections[0].count: -1 is out of range" },
    { "too many sections",
      { .sections = "[{\"key\": \"a\", \"title\": \"一\", \"count\": 1},"
                    " {\"key\": \"b\", \"title\": \"二\", \"count\": 1},"
                    " {\"key\": \"c\", \"title\": \"三\", \"count\": 1},"
                    " {\"key\": \"d\", \"title\": \"四\", \"count\": 1},"
                    " {\"key\": \"e\", \"title\": \"五\", \"count\": 1},"
                    " {\"key\": \"f\", \"title\": \"六\", \"count\": 1},"
                    " {\"key\": \"g\", \"title\": \"七\", \"count\": 1}]" },
      NULL, "sections: 7 entries, at most 6 allowed" },
    { "duplicate section key",
      { .sections = "[{\"key\": \"live\", \"title\": \"直播\", \"count\": 1},"
                    " {\"key\": \"live\", \"title\": \"直播\", \"count\": 2}]" },
      NULL, "sections[1].key: \"live\" appears twice" },
    { "section key with capitals",
      { .sections = "[{\"key\": \"Live\", \"title\": \"直播\", \"count\": 1}]" }, NULL,
      "sections[0].key: only a-z, 0-9 and _ are allowed" },
    { "section key empty", { .sections = "[{\"key\": \"\", \"title\": \"直播\", \"count\": 1}]" },
      NULL, "sections[0].key: must be 1 to 31 characters" },
    { "section key too long",
      { .sections = "[{\"key\": \"abcdefghijklmnopqrstuvwxyz_abcdef\", \"title\": \"直播\", "
                    "\"count\": 1}]" },
      NULL, "sections[0].key: must be 1 to 31 characters" },
    { "invalid UTF-8 byte", { .village = "{\"name\": \"\xff\xfe\"}" }, NULL,
      "village.name: not valid UTF-8" },
    { "overlong UTF-8", { .village = "{\"name\": \"\xc0\xaf\"}" }, NULL,
      "village.name: not valid UTF-8" },
    { "UTF-8 cut in the JSON",
      { .live = "[{\"id\": 2, \"title\": \"\xe4\xbc\", \"scope\": \"x\"}]" },
      NULL, "live_now[0].title: not valid UTF-8" },
    { "lone surrogate escape", { .township = "{\"name\": \"\\ud800\"}" }, NULL, "" },
    { "member id zero",
      { .household = "{\"name\": \"王\", \"members\": [{\"id\": 0, \"name\": \"甲\", "
                     "\"birth_year\": 1951}]}" },
      NULL, "household.members[0].id: 0 is out of range" },
};

static void test_parse_table(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct parse_case *c = &cases[i];
        char *json = c->raw ? NULL : home_json(&c->parts);
        struct home_model m;
        char err[256] = "untouched";
        int rc = api_parse_home(c->raw ? c->raw : json, &m, err, sizeof(err));
        if (!c->want) {
            if (rc != 0)
                printf("# case \"%s\": %s\n", c->name, err);
            CHECK_EQ_INT(rc, 0);
            home_model_free(&m);
        } else {
            if (rc != -EINVAL || !strstr(err, c->want))
                printf("# case \"%s\": rc %d, err \"%s\", want \"%s\"\n", c->name, rc, err,
                       c->want);
            CHECK_EQ_INT(rc, -EINVAL);
            CHECK(strstr(err, c->want) != NULL);
            CHECK(err[0] != '\0');
            /* nothing to free on error */
            CHECK(m.members == NULL && m.live == NULL && m.n_members == 0 && m.n_live == 0);
        }
        free(json);
    }
}

/* One name field filled with `count` copies of `unit`. */
static char *with_long_township(const char *unit, int count)
{
    struct buf name, town;
    buf_init(&name, 0);
    buf_init(&town, 0);
    for (int i = 0; i < count; i++)
        buf_append_str(&name, unit);
    buf_printf(&town, "{\"name\": \"%s\"}", name.data);
    struct home_parts p = { .township = town.data };
    char *json = home_json(&p);
    buf_fini(&name);
    buf_fini(&town);
    return json;
}

struct cut_case {
    const char *unit; /* one character */
    int count;
    size_t want_len; /* bytes kept in a 96-byte field (95 + NUL) */
};

static void test_oversize_cut_on_utf8_boundary(void)
{
    static const struct cut_case cuts[] = {
        { "a", 95, 95 },             /* fits exactly */
        { "a", 96, 95 },             /* one byte over */
        { "南", 31, 93 },            /* 3-byte characters, fits */
        { "南", 40, 93 },            /* 95 would split the 32nd character */
        { "é", 60, 94 },             /* 2-byte: 95 would split the 48th */
        { "\xf0\x9f\x98\x80", 30, 92 }, /* 4-byte emoji: 96 would split the 24th */
    };
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        char *json = with_long_township(cuts[i].unit, cuts[i].count);
        struct home_model m;
        char err[256];
        CHECK_EQ_INT(api_parse_home(json, &m, err, sizeof(err)), 0);
        CHECK_EQ_INT(strlen(m.township), cuts[i].want_len);
        CHECK(utf8_ok(m.township));
        CHECK(strncmp(m.township, json + strlen("{\"township\": {\"name\": \""),
                      cuts[i].want_len) == 0);
        home_model_free(&m);
        free(json);
    }
}

static void test_long_live_title_cut(void)
{
    struct buf title, live;
    buf_init(&title, 0);
    buf_init(&live, 0);
    for (int i = 0; i < 100; i++)
        buf_append_str(&title, "会");
    buf_printf(&live, "[{\"id\": 9, \"title\": \"%s\", \"scope\": \"东村\"}]", title.data);
    struct home_parts p = { .live = live.data };
    char *json = home_json(&p);
    struct home_model m;
    CHECK_EQ_INT(api_parse_home(json, &m, NULL, 0), 0);
    CHECK_EQ_INT(m.n_live, 1);
    if (m.n_live == 1) {
        CHECK_EQ_INT(strlen(m.live[0].title), 189); /* 63 x 3 bytes <= 191 */
        CHECK(utf8_ok(m.live[0].title));
    }
    home_model_free(&m);
    free(json);
    buf_fini(&title);
    buf_fini(&live);
}

static void test_too_many_members(void)
{
    struct buf hh;
    buf_init(&hh, 0);
    buf_append_str(&hh, "{\"name\": \"大家\", \"members\": [");
    for (int i = 0; i <= API_MEMBERS_MAX; i++)
        buf_printf(&hh, "%s{\"id\": %d, \"name\": \"人\", \"birth_year\": 1950}", i ? "," : "",
                   i + 1);
    buf_append_str(&hh, "]}");
    struct home_parts p = { .household = hh.data };
    char *json = home_json(&p);
    struct home_model m;
    char err[256];
    CHECK_EQ_INT(api_parse_home(json, &m, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "household.members: 65 entries, at most 64 allowed") != NULL);
    free(json);
    buf_fini(&hh);
}

/* A failure after arrays were allocated must free them (checked by ASan/valgrind). */
static void test_late_error_frees(void)
{
    struct home_parts p = { .tail = ", \"server_time\": []" };
    char *json = home_json(&p);
    struct home_model m;
    char err[256];
    CHECK_EQ_INT(api_parse_home(json, &m, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "server_time") != NULL);
    CHECK(m.members == NULL && m.live == NULL);
    free(json);
}

static void test_null_arguments(void)
{
    struct home_model m;
    char err[64];
    CHECK_EQ_INT(api_parse_home(NULL, &m, err, sizeof(err)), -EINVAL);
    CHECK_EQ_STR(err, "no body");
    CHECK_EQ_INT(api_parse_home("{}", NULL, err, sizeof(err)), -EINVAL);
    CHECK_EQ_INT(api_parse_home("{}", &m, NULL, 0), -EINVAL);
    char tiny[8];
    CHECK_EQ_INT(api_parse_home("{}", &m, tiny, sizeof(tiny)), -EINVAL);
    CHECK_EQ_INT(strlen(tiny), 7); /* cut, terminated */
}

int main(void)
{
    RUN(test_contract_example);
    RUN(test_parse_table);
    RUN(test_oversize_cut_on_utf8_boundary);
    RUN(test_long_live_title_cut);
    RUN(test_too_many_members);
    RUN(test_late_error_frees);
    RUN(test_null_arguments);
    return CHECK_DONE();
}
