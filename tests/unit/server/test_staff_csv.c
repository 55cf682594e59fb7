/* The attendance CSV (api/staff_csv.c): RFC 4180 quoting, spreadsheet formula neutralising, the
 * BOM and the rows; and api_reply_raw, the way a handler answers with something other than JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "api/api.h"
#include "api/staff.h"
#include "buf.h"
#include "http/adapter.h"
#include "http/router.h"

static void test_cells(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "王建国", "王建国" },
        { "", "" },
        { "a,b", "\"a,b\"" },
        { "say \"hi\"", "\"say \"\"hi\"\"\"" },
        { "two\nlines", "\"two\nlines\"" },
        { "cr\rhere", "\"cr\rhere\"" },
        { "=1+2", "\"'=1+2\"" },
        { "+86", "\"'+86\"" },
        { "-3", "\"'-3\"" },
        { "@SUM(A1)", "\"'@SUM(A1)\"" },
        { "\tx", "\"'\tx\"" },
        { "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
        { "a=b", "a=b" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b;
        buf_init(&b, 0);
        CHECK_EQ_INT(staff_csv_cell(&b, cases[i].in), 0);
        CHECK_EQ_STR(b.data ? b.data : "", cases[i].out);
        buf_fini(&b);
    }
}

static void test_sheet(void)
{
    struct store_turnout_member m[2] = { 0 };
    snprintf(m[0].village, sizeof(m[0].village), "东村");
    snprintf(m[0].household, sizeof(m[0].household), "王家");
    snprintf(m[0].name, sizeof(m[0].name), "王建国");
    m[0].checked_in_at = 1795428000; /* 2026-11-23T10:00:00Z */
    snprintf(m[1].village, sizeof(m[1].village), "东村");
    snprintf(m[1].household, sizeof(m[1].household), "李家, 东头");
    snprintf(m[1].name, sizeof(m[1].name), "=cmd");
    char *csv = NULL;
    size_t len = 0;
    CHECK_EQ_INT(staff_csv_attendance(m, 2, &csv, &len), 0);
    CHECK(csv != NULL);
    if (!csv)
        return;
    CHECK_EQ_INT(len, strlen(csv));
    CHECK_EQ_STR(csv, "\xef\xbb\xbf村,户,姓名,签到时间(UTC),是否到会\r\n"
                      "东村,王家,王建国,2026-11-23T10:00:00Z,是\r\n"
                      "东村,\"李家, 东头\",\"'=cmd\",,否\r\n");
    free(csv);
    CHECK_EQ_INT(staff_csv_attendance(NULL, 0, &csv, &len), 0);
    CHECK_EQ_STR(csv, "\xef\xbb\xbf村,户,姓名,签到时间(UTC),是否到会\r\n");
    free(csv);
}

static void test_reply_raw(void)
{
    struct api_raw raw = { 0 };
    struct api_request req = { .method = "GET", .raw = &raw };
    CHECK_EQ_INT(api_reply_raw(&req, strdup("a,b\r\n"), 5, "text/csv; charset=utf-8",
                               "attachment; filename=\"x.csv\""),
                 0);
    CHECK_EQ_STR(raw.body, "a,b\r\n");
    CHECK_EQ_INT(raw.len, 5);
    CHECK_EQ_STR(raw.type, "text/csv; charset=utf-8");
    CHECK_EQ_STR(raw.disposition, "attachment; filename=\"x.csv\"");
    /* A second reply is refused (and its body freed, as on every error path). */
    CHECK_EQ_INT(api_reply_raw(&req, strdup("x"), 1, "text/plain", NULL), -ENOSYS);
    free(raw.body);
    raw = (struct api_raw){ 0 };
    CHECK_EQ_INT(api_reply_raw(&req, strdup("x"), 1, "text/plain\r\nX-Evil: 1", NULL), -EINVAL);
    CHECK(raw.body == NULL);
    struct api_request none = { .method = "GET" };
    CHECK_EQ_INT(api_reply_raw(&none, strdup("x"), 1, "text/plain", NULL), -ENOSYS);
}

static int h_csv(const struct caller *w, const struct api_request *r, cJSON **o)
{
    (void)w, (void)o;
    return api_reply_raw(r, strdup("a,b\r\n"), 5, "text/csv; charset=utf-8",
                         "attachment; filename=\"t.csv\"");
}

/* Makes a raw reply, then fails after all: the client gets the JSON error. */
static int h_csv_fails(const struct caller *w, const struct api_request *r, cJSON **o)
{
    (void)w;
    api_reply_raw(r, strdup("half"), 4, "text/csv", NULL);
    return api_fail(o, -ENOENT, "no such thing");
}

static const struct api_route raw_routes[] = {
    { "GET", "/t.csv", ACCESS_PUBLIC, h_csv },
    { "GET", "/gone.csv", ACCESS_PUBLIC, h_csv_fails },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static void test_adapter_raw(void)
{
    const struct api_route *const tables[] = { raw_routes, NULL };
    struct router *r = NULL;
    CHECK_EQ_INT(router_create(tables, &r), 0);
    if (!r)
        return;
    struct adapter_input in = { .method = "GET", .path = "/t.csv", .now = 1 };
    struct adapter_output out;
    adapter_dispatch(r, NULL, &in, &out);
    CHECK_EQ_INT(out.status, 200);
    CHECK_EQ_INT(out.body_len, 5);
    CHECK(out.body && memcmp(out.body, "a,b\r\n", 5) == 0);
    CHECK_EQ_STR(out.content_type, "text/csv; charset=utf-8");
    CHECK_EQ_STR(out.disposition, "attachment; filename=\"t.csv\"");
    adapter_output_fini(&out);
    in.path = "/gone.csv";
    adapter_dispatch(r, NULL, &in, &out);
    CHECK_EQ_INT(out.status, 404);
    CHECK_EQ_STR(out.content_type, "");
    CHECK(out.body && strstr(out.body, "no such thing"));
    adapter_output_fini(&out);
    router_destroy(r);
}

int main(void)
{
    RUN(test_cells);
    RUN(test_sheet);
    RUN(test_reply_raw);
    RUN(test_adapter_raw);
    return CHECK_DONE();
}
