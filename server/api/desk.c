/* The township's service desk: staff (and admins) see the one-key service requests of their
 * township's villages, give one to a colleague, reply (the household's boxes are told at once)
 * and close it. Requests of another township are 404, as if they did not exist.
 *
 * States: open → assigned → replied → closed; a reply may come without an assignment, an
 * assignment after a reply keeps "replied", nothing changes a closed request (409
 * request_closed). Overdue: past the 24 h deadline and not closed. */
#define LOG_TAG "api"
#include "api/desk.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api/input.h"
#include "api/views.h"
#include "events/events.h"
#include "log.h"
#include "store/store.h"

enum { REPLY_MAX = 1000, ASSIGNEES_MAX = 200 };

static int list(const struct caller *who, const struct api_request *req, cJSON **out);
static int detail(const struct caller *who, const struct api_request *req, cJSON **out);
static int assign(const struct caller *who, const struct api_request *req, cJSON **out);
static int reply(const struct caller *who, const struct api_request *req, cJSON **out);
static int close_request(const struct caller *who, const struct api_request *req, cJSON **out);
static int staff(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_desk_routes[] = {
    { "GET", "/api/v1/desk/requests", ACCESS_STAFF, list },
    { "GET", "/api/v1/desk/requests/{id}", ACCESS_STAFF, detail },
    { "POST", "/api/v1/desk/requests/{id}/assign", ACCESS_STAFF, assign },
    { "POST", "/api/v1/desk/requests/{id}/reply", ACCESS_STAFF, reply },
    { "POST", "/api/v1/desk/requests/{id}/close", ACCESS_STAFF, close_request },
    { "GET", "/api/v1/desk/staff", ACCESS_STAFF, staff },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field assign_fields[] = {
    { "assignee_id", API_ID, 1, 0, 0 },
};
static const struct api_field reply_fields[] = {
    { "body", API_TEXT, 1, 1, REPLY_MAX },
};
static const struct api_field close_fields[] = {
    { "note", API_TEXT, 0, 1, REPLY_MAX },
};

int api_own_village(const struct caller *who, const struct api_request *req, int64_t village_id,
                    struct store_org *out, cJSON **err)
{
    struct store_org o;
    int rc = store_org_get(req->store, village_id, &o);
    if (rc == 0 && (strcmp(o.kind, "village") != 0 || o.parent_id != who->township_id))
        rc = -ENOENT;
    if (rc == -ENOENT)
        return api_fail(err, rc, "no such village in this township");
    if (rc == 0 && out)
        *out = o;
    return rc;
}

int api_add_ref(cJSON *obj, const char *key, int64_t id, const char *name)
{
    if (id == 0)
        return cJSON_AddNullToObject(obj, key) ? 0 : -ENOMEM;
    cJSON *j = cJSON_AddObjectToObject(obj, key);
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)id) ||
        !cJSON_AddStringToObject(j, "name", name))
        return -ENOMEM;
    return 0;
}

static cJSON *desk_json(const struct store_desk_request *d, time_t now)
{
    const struct store_request *r = &d->r;
    const char *title = api_request_category_title(r->category);
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)r->id) ||
        api_add_ref(j, "village", r->village_id, d->village) < 0 ||
        api_add_ref(j, "household", r->household_id, d->household) < 0 ||
        api_add_ref(j, "member", r->member_id, d->member) < 0 ||
        !cJSON_AddStringToObject(j, "phone", r->phone) ||
        !cJSON_AddStringToObject(j, "category", r->category) ||
        !cJSON_AddStringToObject(j, "category_title", title ? title : r->category) ||
        !cJSON_AddStringToObject(j, "note", r->note) ||
        !cJSON_AddStringToObject(j, "state", r->state) ||
        api_add_ref(j, "assignee", r->assignee_id, d->assignee) < 0 ||
        api_add_request_times(j, r, now) < 0) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *desk_view(const void *row, const void *now)
{
    return desk_json(row, *(const time_t *)now);
}

static cJSON *reply_view(const void *row, const void *ctx)
{
    (void)ctx;
    return api_request_reply_json(row, 1);
}

static const char *const list_args[] = { "state", "overdue", "village" };

static int state_ok(const char *s)
{
    return strcmp(s, "open") == 0 || strcmp(s, "assigned") == 0 ||
           strcmp(s, "replied") == 0 || strcmp(s, "closed") == 0;
}

static int list(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int page = 1, per_page = API_PER_PAGE_DEFAULT, only_overdue = 0, village = 0;
    int rc = api_paging(req, list_args, 3, &page, &per_page, out);
    if (rc == 0)
        rc = api_query_int(req, "overdue", 0, 0, 1, &only_overdue, out);
    if (rc == 0)
        rc = api_query_int(req, "village", 0, 1, INT_MAX, &village, out);
    const char *state = rc == 0 ? api_query_get(req, "state") : NULL;
    if (state && !state_ok(state))
        rc = api_fail(out, -EINVAL, "state must be open, assigned, replied or closed");
    if (rc == 0 && village)
        rc = api_own_village(who, req, village, NULL, out);
    if (rc < 0)
        return rc;
    struct store_desk_filter f = { .township_id = who->township_id, .village_id = village,
                                   .state = state, .overdue_only = only_overdue,
                                   .now = req->now };
    struct store_desk_request *rows = calloc((size_t)per_page, sizeof(*rows));
    if (!rows)
        return -ENOMEM;
    int n = 0, total = 0, n_overdue = 0;
    rc = store_request_desk_list(req->store, &f, (page - 1) * per_page, per_page, rows, &n,
                                 &total, &n_overdue);
    cJSON *items = NULL;
    cJSON *j = rc == 0 ? api_page_json(total, "overdue", n_overdue, page, per_page, &items) : NULL;
    if (rc == 0)
        rc = j ? api_add_views(items, rows, sizeof(*rows), n, desk_view, &req->now) : -ENOMEM;
    free(rows);
    return api_reply(j, rc, out);
}

/* The request of the path if it is of WHO's township: 0, or an error reply. */
static int desk_target(const struct caller *who, const struct api_request *req,
                       struct store_desk_request *d, cJSON **out)
{
    int64_t id = 0;
    int rc = api_param_id(req, "id", &id);
    if (rc < 0)
        return rc == -EINVAL ? rc : -ENOENT;
    rc = store_request_desk_get(req->store, id, d);
    if (rc == 0 && d->township_id != who->township_id)
        rc = -ENOENT; /* another township's: as if it did not exist */
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such request");
    return rc;
}

/* The request ID with its replies into *OUT; *LAST (may be NULL) gets the newest reply. */
static int detail_json(const struct api_request *req, int64_t id, cJSON **out,
                       cJSON **last)
{
    struct store_desk_request d;
    struct store_reply *replies = NULL;
    int n = 0;
    int rc = store_request_desk_get(req->store, id, &d);
    if (rc == 0)
        rc = store_reply_list(req->store, id, &replies, &n);
    cJSON *j = rc == 0 ? desk_json(&d, req->now) : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "replies") : NULL;
    if (rc == 0)
        rc = arr ? api_add_views(arr, replies, sizeof(*replies), n, reply_view, NULL) : -ENOMEM;
    if (rc == 0 && last && n > 0) {
        *last = api_request_reply_json(&replies[n - 1], 1);
        if (!*last)
            rc = -ENOMEM;
    }
    free(replies);
    return api_reply(j, rc, out);
}

static int detail(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_desk_request d;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0)
        rc = desk_target(who, req, &d, out);
    if (rc < 0)
        return rc;
    return detail_json(req, d.r.id, out, NULL);
}

/* Tell the household's boxes: request.reply {request_id, state, reply} (REPLY consumed; NULL
 * for a close without a note). Best effort: the write is done. */
static void publish_reply(const struct api_request *req, const struct store_desk_request *d,
                          const char *state, cJSON *reply_obj)
{
    struct event_scope to = { .audience = EVENT_TO_BOXES, .township_id = d->township_id,
                              .village_id = d->r.village_id,
                              .household_id = d->r.household_id };
    cJSON *ev = cJSON_CreateObject();
    char *text = NULL;
    if (ev && cJSON_AddNumberToObject(ev, "request_id", (double)d->r.id) &&
        cJSON_AddStringToObject(ev, "state", state)) {
        if (reply_obj)
            cJSON_AddItemToObject(ev, "reply", reply_obj);
        else
            cJSON_AddNullToObject(ev, "reply");
        reply_obj = NULL;
        text = cJSON_PrintUnformatted(ev);
    }
    cJSON_Delete(reply_obj);
    cJSON_Delete(ev);
    int64_t seq = text ? events_publish(req->events, &to, "request.reply", text) : -ENOMEM;
    if (seq < 0)
        log_warn("event request.reply not published (%lld)", (long long)seq);
    free(text);
}

/* Parse the body against FIELDS (BODY_OPTIONAL: none at all is fine), then load the request of
 * the path; a closed one is 409. 0 with *BODY (owned, may be NULL) or an error reply. */
static int desk_change(const struct caller *who, const struct api_request *req,
                       const struct api_field *fields, int n, int body_optional,
                       struct store_desk_request *d, cJSON **body, cJSON **out)
{
    *body = NULL;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0 && (req->body_len || !body_optional))
        rc = api_body_fields(req, fields, n, body, out);
    if (rc == 0)
        rc = desk_target(who, req, d, out);
    if (rc == 0 && strcmp(d->r.state, "closed") == 0)
        rc = api_fail_code(out, -EEXIST, "request_closed", "the request is closed");
    if (rc < 0) {
        cJSON_Delete(*body);
        *body = NULL;
    }
    return rc;
}

struct desk_job {
    int64_t id, account_id, assignee_id;
    const char *text; /* borrowed: a reply, or a close's note (NULL = none) */
    int close;
    time_t now;
};

static int assign_run(struct store_tx *tx, void *arg)
{
    const struct desk_job *j = arg;
    return store_request_assign(tx, j->id, j->assignee_id);
}

/* A reply, or a close with its note as the last reply. */
static int reply_run(struct store_tx *tx, void *arg)
{
    const struct desk_job *j = arg;
    int rc = 0;
    if (j->text)
        rc = store_reply_add(tx, j->id, j->account_id, j->text, j->now, NULL);
    if (rc == 0 && j->close)
        rc = store_request_close(tx, j->id, j->now);
    return rc;
}

static int write_error(int rc, cJSON **out)
{
    if (rc == -ESTALE)
        return api_fail_code(out, -EEXIST, "request_closed", "the request is closed");
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such request");
    return rc;
}

/* 1 when ID is an enabled staff account of TOWNSHIP, 0, or a negative errno. */
static int is_township_staff(const struct api_request *req, int64_t township, int64_t id)
{
    struct store_assignee *a = calloc(ASSIGNEES_MAX, sizeof(*a));
    int n = 0, found = 0;
    if (!a)
        return -ENOMEM;
    int rc = store_request_assignees(req->store, township, a, ASSIGNEES_MAX, &n);
    for (int i = 0; rc == 0 && i < n && !found; i++)
        found = a[i].id == id;
    free(a);
    return rc < 0 ? rc : found;
}

static int assign(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_desk_request d;
    cJSON *body = NULL;
    int rc = desk_change(who, req, assign_fields, 1, 0, &d, &body, out);
    if (rc < 0)
        return rc;
    struct desk_job j = { .id = d.r.id, .assignee_id = api_json_int(body, "assignee_id", 0) };
    cJSON_Delete(body);
    rc = is_township_staff(req, who->township_id, j.assignee_id);
    if (rc == 0)
        return api_fail_code(out, -EINVAL, "not_township_staff",
                             "assignee_id: not a staff account of this township "
                             "(see /api/v1/desk/staff)");
    if (rc < 0)
        return rc;
    rc = write_error(store_write(req->store, assign_run, &j), out);
    if (rc < 0)
        return rc;
    log_info("account %lld gave request %lld to account %lld", (long long)who->account_id,
             (long long)j.id, (long long)j.assignee_id);
    return detail_json(req, j.id, out, NULL);
}

/* 1 when S holds something besides spaces and line breaks. */
static int has_words(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
            return 1;
    return 0;
}

/* Reply (CLOSE 0) or close (CLOSE 1), then tell the household's boxes. */
static int answer(const struct caller *who, const struct api_request *req, int close,
                  cJSON **out)
{
    struct store_desk_request d;
    cJSON *body = NULL;
    int rc = close ? desk_change(who, req, close_fields, 1, 1, &d, &body, out)
                   : desk_change(who, req, reply_fields, 1, 0, &d, &body, out);
    if (rc < 0)
        return rc;
    struct desk_job j = { .id = d.r.id, .account_id = who->account_id, .close = close,
                          .now = req->now,
                          .text = api_json_str(body, close ? "note" : "body") };
    if (j.text && !has_words(j.text))
        rc = api_fail(out, -EINVAL, close ? "note: empty" : "body: empty");
    if (rc == 0)
        rc = write_error(store_write(req->store, reply_run, &j), out);
    cJSON_Delete(body);
    cJSON *last = NULL;
    if (rc == 0)
        rc = detail_json(req, j.id, out, j.text ? &last : NULL);
    if (rc < 0) {
        cJSON_Delete(last);
        return rc;
    }
    log_info("account %lld %s request %lld", (long long)who->account_id,
             close ? "closed" : "replied to", (long long)j.id);
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(*out, "state");
    publish_reply(req, &d, cJSON_IsString(state) ? state->valuestring : "", last);
    return 0;
}

static int reply(const struct caller *who, const struct api_request *req, cJSON **out)
{
    return answer(who, req, 0, out);
}

static int close_request(const struct caller *who, const struct api_request *req, cJSON **out)
{
    return answer(who, req, 1, out);
}

static int staff(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    struct store_assignee *a = calloc(ASSIGNEES_MAX, sizeof(*a));
    int n = 0;
    if (!a)
        return -ENOMEM;
    rc = store_request_assignees(req->store, who->township_id, a, ASSIGNEES_MAX, &n);
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "staff") : NULL;
    if (rc == 0 && !arr)
        rc = -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++) {
        cJSON *x = api_array_add_object(arr);
        if (!x || !cJSON_AddNumberToObject(x, "id", (double)a[i].id) ||
            !cJSON_AddStringToObject(x, "name", a[i].name))
            rc = -ENOMEM;
    }
    free(a);
    return api_reply(j, rc, out);
}
