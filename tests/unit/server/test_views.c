/* The JSON views handlers share (api/views.c): the paged-list reply keeps its key order (with
 * and without a second count), a list of views from an array of rows, a service request's
 * reply as the household and as the desk see it, and the one "overdue" rule. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../check.h"
#include "api/views.h"

static char *print(const cJSON *j)
{
    return j ? cJSON_PrintUnformatted(j) : NULL;
}

static void test_page_keys_in_order(void)
{
    cJSON *items = NULL;
    cJSON *j = api_page_json(7, NULL, 0, 2, 5, &items);
    CHECK(j && cJSON_IsArray(items));
    char *s = print(j);
    CHECK_EQ_STR(s, "{\"items\":[],\"total\":7,\"page\":2,\"per_page\":5}");
    free(s);
    cJSON_Delete(j);
    j = api_page_json(3, "overdue", 1, 1, 20, &items);
    s = print(j);
    CHECK_EQ_STR(s, "{\"items\":[],\"total\":3,\"overdue\":1,\"page\":1,\"per_page\":20}");
    free(s);
    cJSON_Delete(j);
}

struct row {
    int id;
    char name[8];
};

static cJSON *row_view(const void *row, const void *ctx)
{
    const struct row *r = row;
    if (r->id == *(const int *)ctx)
        return NULL; /* a view that cannot be made */
    cJSON *j = cJSON_CreateObject();
    if (j && !cJSON_AddNumberToObject(j, "id", r->id)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static void test_add_views(void)
{
    const struct row rows[] = { { 1, "a" }, { 2, "b" }, { 3, "c" } };
    int fail_at = 0;
    cJSON *arr = cJSON_CreateArray();
    CHECK_EQ_INT(api_add_views(arr, rows, sizeof(rows[0]), 0, row_view, &fail_at), 0);
    CHECK_EQ_INT(cJSON_GetArraySize(arr), 0);
    CHECK_EQ_INT(api_add_views(arr, rows, sizeof(rows[0]), 3, row_view, &fail_at), 0);
    char *s = print(arr);
    CHECK_EQ_STR(s, "[{\"id\":1},{\"id\":2},{\"id\":3}]");
    free(s);
    fail_at = 2;
    CHECK_EQ_INT(api_add_views(arr, rows, sizeof(rows[0]), 3, row_view, &fail_at), -ENOMEM);
    cJSON_Delete(arr);
    CHECK(api_array_add_object(NULL) == NULL);
}

static void test_reply_views(void)
{
    struct store_reply p = { .id = 4, .account_id = 0, .created_at = 86400 };
    snprintf(p.author, sizeof(p.author), "%s", "王");
    snprintf(p.body, sizeof(p.body), "%s", "好");
    cJSON *box = api_request_reply_json(&p, 0), *desk = api_request_reply_json(&p, 1);
    char *a = print(box), *b = print(desk);
    CHECK_EQ_STR(a, "{\"author\":\"王\",\"body\":\"好\",\"created_at\":\"1970-01-02T00:00:00Z\"}");
    CHECK_EQ_STR(b, "{\"id\":4,\"account_id\":null,\"author\":\"王\",\"body\":\"好\","
                    "\"created_at\":\"1970-01-02T00:00:00Z\"}");
    free(a);
    free(b);
    cJSON_Delete(box);
    cJSON_Delete(desk);
}

static void test_overdue_rule(void)
{
    static const struct {
        const char *state;
        int overdue;
    } cases[] = { { "open", 1 }, { "assigned", 1 }, { "replied", 0 }, { "closed", 0 } };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct store_request r = { .deadline_at = 1000 };
        snprintf(r.state, sizeof(r.state), "%s", cases[i].state);
        CHECK_EQ_INT(api_request_overdue(&r, 1001), cases[i].overdue);
        CHECK_EQ_INT(api_request_overdue(&r, 1000), 0); /* at the deadline: not yet */
    }
}

int main(void)
{
    RUN(test_page_keys_in_order);
    RUN(test_add_views);
    RUN(test_reply_views);
    RUN(test_overdue_rule);
    return CHECK_DONE();
}
