/* One-key service (一键服务) from a box: a member picks a need, enters a phone number with the
 * remote, and someone calls back within 24 hours. Create, list the household's own, read one
 * with its replies, and the list of categories (the seven used in Nanhu). */
#define LOG_TAG "api"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/views.h"
#include "events/events.h"
#include "log.h"
#include "store/store.h"

enum { DEADLINE_S = 24 * 3600, NOTE_MAX = 500 };

static const struct {
    const char *key;
    const char *title;
} categories[] = {
    { "agri_tech", "农业技术服务" }, { "farm_policy", "惠农政策" },
    { "consult", "咨询" },           { "culture", "文化休闲需求" },
    { "dispute", "邻里纠纷" },       { "complaint", "问题举报投诉" },
    { "income", "致富误工指导" },
};
enum { N_CATEGORIES = (int)(sizeof(categories) / sizeof(categories[0])) };

static int create(const struct caller *who, const struct api_request *req, cJSON **out);
static int list(const struct caller *who, const struct api_request *req, cJSON **out);
static int detail(const struct caller *who, const struct api_request *req, cJSON **out);
static int list_categories(const struct caller *who, const struct api_request *req,
                           cJSON **out);

const struct api_route api_request_routes[] = {
    { "POST", "/api/v1/requests", ACCESS_BOX, create },
    { "GET", "/api/v1/requests", ACCESS_BOX, list },
    { "GET", "/api/v1/requests/categories", ACCESS_BOX, list_categories },
    { "GET", "/api/v1/requests/{id}", ACCESS_BOX, detail },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field create_fields[] = {
    { "category", API_STR, 1, 1, 31 },
    { "phone", API_STR, 1, 7, 16 },
    { "member_id", API_ID, 0, 0, 0 },
    { "note", API_TEXT, 0, 0, NOTE_MAX },
    { "idempotency_key", API_STR, 0, 8, STORE_IDEM_KEY_MAX - 1 },
};

static const char *category_title(const char *key)
{
    for (int i = 0; i < N_CATEGORIES; i++)
        if (strcmp(categories[i].key, key) == 0)
            return categories[i].title;
    return NULL;
}

const char *api_request_category_title(const char *key)
{
    return key ? category_title(key) : NULL;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* A mainland mobile number (11 digits, 13x-19x) or a landline: area code 0 + 2 or 3 digits,
 * an optional '-', then 7 or 8 digits. */
static int phone_ok(const char *p)
{
    size_t n = strlen(p);
    if (n == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9' && digits(p, n))
        return 1;
    if (p[0] != '0')
        return 0;
    const char *dash = strchr(p, '-');
    size_t area = dash ? (size_t)(dash - p) : 0;
    if (dash) {
        size_t rest = n - area - 1;
        return (area == 3 || area == 4) && digits(p, area) && (rest == 7 || rest == 8) &&
               digits(dash + 1, rest);
    }
    return n >= 10 && n <= 12 && digits(p, n);
}

static cJSON *request_json(const struct store_request *r, time_t now)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)r->id) ||
        !cJSON_AddStringToObject(j, "category", r->category) ||
        !cJSON_AddStringToObject(j, "category_title", category_title(r->category)) ||
        !cJSON_AddStringToObject(j, "phone", r->phone) ||
        !(r->member_id ? cJSON_AddNumberToObject(j, "member_id", (double)r->member_id)
                       : cJSON_AddNullToObject(j, "member_id")) ||
        !cJSON_AddStringToObject(j, "note", r->note) ||
        !cJSON_AddStringToObject(j, "state", r->state) || api_add_request_times(j, r, now) < 0) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *request_view(const void *row, const void *now)
{
    return request_json(row, *(const time_t *)now);
}

static cJSON *reply_view(const void *row, const void *ctx)
{
    (void)ctx;
    return api_request_reply_json(row, 0);
}

struct create_job {
    struct store_request r;
    int64_t id;
    int repeat; /* the box sent this idempotency key before: nothing new */
};

static int create_run(struct store_tx *tx, void *arg)
{
    struct create_job *j = arg;
    int rc = store_request_add(tx, &j->r, &j->id);
    j->repeat = rc == 1;
    return rc == 1 ? 0 : rc;
}

static int create(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0)
        rc = api_body_fields(req, create_fields, 5, &body, out);
    if (rc < 0)
        return rc;
    struct create_job *j = calloc(1, sizeof(*j));
    if (!j) {
        cJSON_Delete(body);
        return -ENOMEM;
    }
    const char *category = api_json_str(body, "category");
    const char *phone = api_json_str(body, "phone");
    const char *note = api_json_str(body, "note");
    int64_t member = api_json_int(body, "member_id", 0);
    const char *key = api_json_str(body, "idempotency_key");
    if (key && !api_idem_key_ok(key)) {
        rc = api_fail(out, -EINVAL, "idempotency_key: letters, digits, - and _ only");
    } else if (!category_title(category)) {
        rc = api_fail(out, -EINVAL, "category: unknown (see /api/v1/requests/categories)");
    } else if (!phone_ok(phone)) {
        rc = api_fail(out, -EINVAL,
                      "phone: an 11-digit mobile number or a landline such as 0633-1234567");
    } else if (member) {
        rc = api_household_member(who, req, member, "member_id is not of this household", NULL,
                                  out);
    }
    if (rc == 0) {
        j->r = (struct store_request){ .household_id = who->household_id, .box_id = who->box_id,
                                       .member_id = member, .village_id = who->village_id,
                                       .created_at = req->now,
                                       .deadline_at = req->now + DEADLINE_S };
        snprintf(j->r.category, sizeof(j->r.category), "%s", category);
        snprintf(j->r.phone, sizeof(j->r.phone), "%s", phone);
        snprintf(j->r.note, sizeof(j->r.note), "%s", note ? note : "");
        snprintf(j->r.idempotency_key, sizeof(j->r.idempotency_key), "%s", key ? key : "");
        rc = store_write(req->store, create_run, j);
    }
    cJSON_Delete(body);
    struct store_request r;
    if (rc == -EEXIST)
        rc = api_fail(out, -EEXIST, "idempotency_key: this box used it for another household");
    if (rc == 0)
        rc = store_request_get(req->store, j->id, &r);
    if (rc == 0 && j->repeat) {
        log_info("box %lld sent request %lld again (same idempotency key)",
                 (long long)who->box_id, (long long)r.id);
        *out = request_json(&r, req->now);
        rc = *out ? 0 : -ENOMEM;
    } else if (rc == 0) {
        log_info("box %lld asked for %s (request %lld)", (long long)who->box_id, r.category,
                 (long long)r.id);
        *out = request_json(&r, req->now);
        rc = *out ? 0 : -ENOMEM;
        /* The service desk's list grows at once: request.created {request_id, village_id}. */
        char text[96];
        snprintf(text, sizeof(text), "{\"request_id\":%lld,\"village_id\":%lld}",
                 (long long)r.id, (long long)who->village_id);
        const struct event_scope to = { EVENT_TO_STAFF, who->township_id, who->village_id, 0 };
        if (rc == 0 && events_publish(req->events, &to, "request.created", text) < 0)
            log_warn("could not announce request %lld", (long long)r.id);
    }
    free(j);
    return rc;
}

static int list(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int page = 1, per_page = API_PER_PAGE_DEFAULT, n = 0, total = 0;
    int rc = api_paging(req, NULL, 0, &page, &per_page, out);
    if (rc < 0)
        return rc;
    struct store_request *r = calloc((size_t)per_page, sizeof(*r));
    if (!r)
        return -ENOMEM;
    rc = store_request_list_household(req->store, who->household_id, (page - 1) * per_page,
                                      per_page, r, &n, &total);
    cJSON *items = NULL;
    cJSON *j = rc == 0 ? api_page_json(total, NULL, 0, page, per_page, &items) : NULL;
    if (rc == 0)
        rc = j ? api_add_views(items, r, sizeof(*r), n, request_view, &req->now) : -ENOMEM;
    free(r);
    return api_reply(j, rc, out);
}

static int detail(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc < 0)
        return rc;
    struct store_request r;
    rc = store_request_get(req->store, id, &r);
    if (rc == 0 && r.household_id != who->household_id)
        rc = -ENOENT; /* another household's: as if it did not exist */
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such request");
    struct store_reply *replies = NULL;
    int n = 0;
    if (rc == 0)
        rc = store_reply_list(req->store, id, &replies, &n);
    cJSON *j = rc == 0 ? request_json(&r, req->now) : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "replies") : NULL;
    if (rc == 0)
        rc = arr ? api_add_views(arr, replies, sizeof(*replies), n, reply_view, NULL) : -ENOMEM;
    free(replies);
    return api_reply(j, rc, out);
}

static int list_categories(const struct caller *who, const struct api_request *req,
                           cJSON **out)
{
    (void)who;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    cJSON *j = cJSON_CreateObject();
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "categories") : NULL;
    rc = arr ? 0 : -ENOMEM;
    for (int i = 0; rc == 0 && i < N_CATEGORIES; i++) {
        cJSON *x = api_array_add_object(arr);
        if (!x || !cJSON_AddStringToObject(x, "key", categories[i].key) ||
            !cJSON_AddStringToObject(x, "title", categories[i].title))
            rc = -ENOMEM;
    }
    return api_reply(j, rc, out);
}
