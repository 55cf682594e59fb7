#include "net/service.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "net/jcheck.h"

int64_t api_request_categories(struct net *n)
{
    return net_request(n, "GET", "/api/v1/requests/categories", NULL, API_REQ_CATEGORIES);
}

static int key_ok(const char *k)
{
    if (!k || !k[0] || strlen(k) >= SVC_KEY_MAX)
        return 0;
    for (; *k; k++) {
        if (!((*k >= 'a' && *k <= 'z') || *k == '_'))
            return 0;
    }
    return 1;
}

int64_t api_request_create(struct net *n, const char *category, const char *phone)
{
    char body[128];
    if (!key_ok(category) || svc_phone_problem(phone, body, sizeof(body)))
        return -EINVAL;
    snprintf(body, sizeof(body), "{\"category\":\"%s\",\"phone\":\"%s\"}", category, phone);
    /* Durable, with the outbox's idempotency key in the body: a request made offline is sent
     * when the server is back, and a resend after a lost reply is still one request. */
    return net_request_durable(n, "POST", "/api/v1/requests", body, API_REQ_CREATE, 1);
}

int64_t api_requests_list(struct net *n, int page, int per_page)
{
    char path[96];
    if (page < 1 || per_page < 1 || per_page > SVC_LIST_MAX)
        return -EINVAL;
    snprintf(path, sizeof(path), "/api/v1/requests?page=%d&per_page=%d", page, per_page);
    return net_request(n, "GET", path, NULL, API_REQ_LIST);
}

int64_t api_request_get(struct net *n, int64_t id)
{
    char path[64];
    if (id <= 0)
        return -EINVAL;
    snprintf(path, sizeof(path), "/api/v1/requests/%" PRId64, id);
    return net_request(n, "GET", path, NULL, API_REQ_GET);
}

int api_parse_categories(const char *json, struct svc_category *out, int max, int *n, char *err,
                         size_t errlen)
{
    struct jcheck c;
    *n = 0;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *arr, *it;
    int count;
    int rc = jcheck_array(&c, root, "categories", "", max, &arr, &count);
    for (int i = 0; rc == 0 && i < count; i++) {
        char path[48];
        rc = jcheck_entry(&c, arr, i, "categories", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_string(&c, it, "key", path, out[i].key, sizeof(out[i].key));
        if (rc == 0 && !key_ok(out[i].key))
            rc = jcheck_fail(&c, "%s.key: not a category key", path);
        if (rc == 0)
            rc = jcheck_string(&c, it, "title", path, out[i].title, sizeof(out[i].title));
        if (rc == 0)
            *n = i + 1;
    }
    cJSON_Delete(root);
    if (rc < 0)
        *n = 0;
    return rc;
}

static int parse_req(struct jcheck *c, const cJSON *it, const char *path, struct svc_request *r)
{
    int64_t v = 0;
    memset(r, 0, sizeof(*r));
    int rc = jcheck_int(c, it, "id", path, 1, JCHECK_INT_LIMIT, &r->id);
    if (rc == 0)
        rc = jcheck_string(c, it, "category_title", path, r->category_title,
                           sizeof(r->category_title));
    if (rc == 0)
        rc = jcheck_string_opt(c, it, "phone", path, r->phone, sizeof(r->phone));
    if (rc == 0)
        rc = jcheck_string(c, it, "state", path, r->state, sizeof(r->state));
    if (rc == 0)
        rc = jcheck_string_opt(c, it, "created_at", path, r->created_at, sizeof(r->created_at));
    if (rc == 0)
        rc = jcheck_string_opt(c, it, "deadline_at", path, r->deadline_at, sizeof(r->deadline_at));
    if (rc == 0)
        rc = jcheck_int_opt(c, it, "reply_count", path, 0, 100000, 0, &v);
    r->reply_count = (int)v;
    r->overdue = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "overdue"));
    return rc;
}

int api_parse_request(const char *json, struct svc_request *out, char *err, size_t errlen)
{
    struct jcheck c;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    int rc = parse_req(&c, root, "request", out);
    cJSON_Delete(root);
    return rc;
}

int api_parse_requests(const char *json, struct svc_list *out, char *err, size_t errlen)
{
    struct jcheck c;
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *arr, *it;
    int count;
    int64_t total = 0;
    int rc = jcheck_array(&c, root, "items", "", SVC_LIST_MAX, &arr, &count);
    for (int i = 0; rc == 0 && i < count; i++) {
        char path[48];
        rc = jcheck_entry(&c, arr, i, "items", path, sizeof(path), &it);
        if (rc == 0)
            rc = parse_req(&c, it, path, &out->items[i]);
        if (rc == 0)
            out->n = i + 1;
    }
    if (rc == 0)
        rc = jcheck_int_opt(&c, root, "total", "", 0, 1e9, out->n, &total);
    out->total = (int)total;
    cJSON_Delete(root);
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

int api_parse_request_detail(const char *json, struct svc_detail *out, char *err, size_t errlen)
{
    struct jcheck c;
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    int rc = parse_req(&c, root, "request", &out->req);
    const cJSON *arr = NULL, *it;
    int count = 0;
    if (rc == 0 && cJSON_GetObjectItemCaseSensitive(root, "replies"))
        rc = jcheck_array(&c, root, "replies", "", 1000, &arr, &count);
    /* The newest replies matter most on a TV: keep the last SVC_REPLIES_MAX. */
    int first = count > SVC_REPLIES_MAX ? count - SVC_REPLIES_MAX : 0;
    for (int i = first; rc == 0 && i < count; i++) {
        char path[48];
        struct svc_reply *r = &out->replies[i - first];
        rc = jcheck_entry(&c, arr, i, "replies", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_string_opt(&c, it, "author", path, r->author, sizeof(r->author));
        if (rc == 0)
            rc = jcheck_string(&c, it, "body", path, r->body, sizeof(r->body));
        if (rc == 0)
            rc = jcheck_string_opt(&c, it, "created_at", path, r->created_at,
                                   sizeof(r->created_at));
        if (rc == 0)
            out->n_replies = i - first + 1;
    }
    cJSON_Delete(root);
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

const char *svc_phone_problem(const char *d, char *buf, size_t size)
{
    size_t len = d ? strlen(d) : 0;
    for (size_t i = 0; i < len; i++) {
        if (d[i] < '0' || d[i] > '9') {
            snprintf(buf, size, "号码里只能有数字");
            return buf;
        }
    }
    if (len == 0) {
        snprintf(buf, size, "请输入电话号码");
    } else if (d[0] == '1') {
        if (len < 11)
            snprintf(buf, size, "手机号是11位，还少%zu位", 11 - len);
        else if (len > 11)
            snprintf(buf, size, "手机号是11位，多了%zu位", len - 11);
        else if (d[1] < '3')
            snprintf(buf, size, "手机号要以13到19开头");
        else
            return NULL;
    } else if (d[0] == '0') {
        if (len < 10)
            snprintf(buf, size, "座机号要带区号，号码太短");
        else if (len > 12)
            snprintf(buf, size, "号码太长");
        else
            return NULL;
    } else {
        snprintf(buf, size, "电话号码要以1或0开头");
    }
    return buf;
}

const char *svc_state_text(const char *state)
{
    if (strcmp(state, "open") == 0)
        return "等待处理";
    if (strcmp(state, "assigned") == 0)
        return "正在处理";
    if (strcmp(state, "replied") == 0)
        return "已回复";
    if (strcmp(state, "closed") == 0)
        return "已办结";
    return "状态不明";
}
