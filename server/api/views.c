/* JSON views of store rows shared by several handlers. */
#include "api/views.h"

#include <errno.h>
#include <string.h>

#include "util/isotime.h"

static const struct {
    const char *key;
    const char *title;
} sections[] = {
    { "affairs", "党务公开" },  { "live", "党群直播" },     { "study", "党教园地" },
    { "video", "今日南湖" },    { "pioneers", "时代先锋" }, { "evaluation", "党风评议" },
};

const char *api_section_title(const char *key)
{
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        if (strcmp(sections[i].key, key) == 0)
            return sections[i].title;
    return NULL;
}

int api_add_time(cJSON *obj, const char *key, time_t t)
{
    char iso[ISOTIME_LEN];
    if (t == 0 || isotime_format(t, iso, sizeof(iso)) < 0)
        return cJSON_AddNullToObject(obj, key) ? 0 : -ENOMEM;
    return cJSON_AddStringToObject(obj, key, iso) ? 0 : -ENOMEM;
}

int api_add_str_or_null(cJSON *obj, const char *key, const char *s)
{
    cJSON *v = s && *s ? cJSON_AddStringToObject(obj, key, s) : cJSON_AddNullToObject(obj, key);
    return v ? 0 : -ENOMEM;
}

cJSON *api_broadcast_json(const struct store_broadcast *b)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)b->id) ||
        !cJSON_AddStringToObject(j, "title", b->title) ||
        !cJSON_AddStringToObject(j, "state", b->state) ||
        !cJSON_AddNumberToObject(j, "org_id", (double)b->org_id) ||
        !cJSON_AddStringToObject(j, "scope", b->scope_name) ||
        api_add_time(j, "started_at", b->started_at) < 0 ||
        api_add_time(j, "ended_at", b->ended_at) < 0 ||
        api_add_str_or_null(j, "playback_url", b->playback_url) < 0 ||
        api_add_str_or_null(j, "recording_url", b->recording_url) < 0 ||
        api_add_str_or_null(j, "recording_state", b->recording_state) < 0 ||
        api_add_str_or_null(j, "multicast_url", b->multicast_url) < 0 ||
        !(b->replay_item_id > 0 ? cJSON_AddNumberToObject(j, "replay_item_id", (double)b->replay_item_id)
                                : cJSON_AddNullToObject(j, "replay_item_id"))) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

cJSON *api_item_json(const struct store_item *it)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)it->id) ||
        !cJSON_AddStringToObject(j, "section", it->section) ||
        !cJSON_AddStringToObject(j, "kind", it->kind) ||
        !cJSON_AddStringToObject(j, "title", it->title) ||
        api_add_time(j, "published_at", it->published_at) < 0 ||
        !cJSON_AddStringToObject(j, "scope", it->scope_name) ||
        api_add_str_or_null(j, "picture", it->picture) < 0 ||
        api_add_str_or_null(j, "category", it->category) < 0 ||
        !(it->duration_s > 0 ? cJSON_AddNumberToObject(j, "duration_s", it->duration_s)
                             : cJSON_AddNullToObject(j, "duration_s"))) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

cJSON *api_rollcall_json(const struct store_rollcall *r)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)r->id) ||
        !cJSON_AddNumberToObject(j, "broadcast_id", (double)r->broadcast_id) ||
        !cJSON_AddStringToObject(j, "title", r->title) ||
        !cJSON_AddNumberToObject(j, "org_id", (double)r->org_id) ||
        api_add_time(j, "opened_at", r->opened_at) < 0 ||
        api_add_time(j, "closed_at", r->closed_at) < 0 ||
        !cJSON_AddStringToObject(j, "state", r->closed_at ? "closed" : "open") ||
        !cJSON_AddNumberToObject(j, "expected", r->expected) ||
        !cJSON_AddNumberToObject(j, "checked_in", r->checked_in)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

int api_add_views(cJSON *arr, const void *rows, size_t size, int n, api_view_fn view,
                  const void *ctx)
{
    for (int i = 0; i < n; i++) {
        cJSON *x = view((const char *)rows + (size_t)i * size, ctx);
        if (!x || !cJSON_AddItemToArray(arr, x)) {
            cJSON_Delete(x);
            return -ENOMEM;
        }
    }
    return 0;
}

static cJSON *broadcast_view(const void *row, const void *ctx)
{
    (void)ctx;
    return api_broadcast_json(row);
}

static cJSON *item_view(const void *row, const void *ctx)
{
    (void)ctx;
    return api_item_json(row);
}

int api_add_broadcasts(cJSON *arr, const struct store_broadcast *rows, int from, int to)
{
    return api_add_views(arr, rows + from, sizeof(*rows), to - from, broadcast_view, NULL);
}

int api_add_items(cJSON *arr, const struct store_item *rows, int from, int to)
{
    return api_add_views(arr, rows + from, sizeof(*rows), to - from, item_view, NULL);
}

cJSON *api_array_add_object(cJSON *arr)
{
    cJSON *x = arr ? cJSON_CreateObject() : NULL;
    if (x && !cJSON_AddItemToArray(arr, x)) {
        cJSON_Delete(x);
        return NULL;
    }
    return x;
}

int api_add_questions(cJSON *obj, const struct store_form *f, int counts)
{
    cJSON *qs = cJSON_AddArrayToObject(obj, "questions");
    for (int i = 0; qs && i < f->n_questions; i++) {
        const struct store_question *q = &f->questions[i];
        cJSON *qo = api_array_add_object(qs);
        cJSON *opts = NULL;
        if (!qo || !cJSON_AddNumberToObject(qo, "id", (double)q->id) ||
            !cJSON_AddStringToObject(qo, "prompt", q->prompt) ||
            !cJSON_AddBoolToObject(qo, "multiple", q->multiple) ||
            !(opts = cJSON_AddArrayToObject(qo, "options")))
            return -ENOMEM;
        for (int k = 0; k < q->n_options; k++) {
            const struct store_option *o = &q->options[k];
            cJSON *oo = api_array_add_object(opts);
            if (!oo || !cJSON_AddNumberToObject(oo, "id", (double)o->id) ||
                !cJSON_AddStringToObject(oo, "label", o->label) ||
                (counts && !cJSON_AddNumberToObject(oo, "count", o->votes)))
                return -ENOMEM;
        }
    }
    return qs ? 0 : -ENOMEM;
}

cJSON *api_page_json(int total, const char *count_key, int count, int page, int per_page,
                     cJSON **items)
{
    cJSON *j = cJSON_CreateObject();
    *items = j ? cJSON_AddArrayToObject(j, "items") : NULL;
    if (!*items || !cJSON_AddNumberToObject(j, "total", total) ||
        (count_key && !cJSON_AddNumberToObject(j, count_key, count)) ||
        !cJSON_AddNumberToObject(j, "page", page) ||
        !cJSON_AddNumberToObject(j, "per_page", per_page)) {
        cJSON_Delete(j);
        *items = NULL;
        return NULL;
    }
    return j;
}

int api_request_overdue(const struct store_request *r, time_t now)
{
    return (strcmp(r->state, "open") == 0 || strcmp(r->state, "assigned") == 0) &&
           now > r->deadline_at;
}

int api_add_request_times(cJSON *j, const struct store_request *r, time_t now)
{
    if (api_add_time(j, "created_at", r->created_at) < 0 ||
        api_add_time(j, "deadline_at", r->deadline_at) < 0 ||
        api_add_time(j, "closed_at", r->closed_at) < 0 ||
        !cJSON_AddBoolToObject(j, "overdue", api_request_overdue(r, now)) ||
        !cJSON_AddNumberToObject(j, "reply_count", r->n_replies))
        return -ENOMEM;
    return 0;
}

cJSON *api_request_reply_json(const struct store_reply *p, int staff)
{
    cJSON *j = cJSON_CreateObject();
    int ok = j != NULL;
    if (ok && staff)
        ok = cJSON_AddNumberToObject(j, "id", (double)p->id) &&
             (p->account_id ? cJSON_AddNumberToObject(j, "account_id", (double)p->account_id)
                            : cJSON_AddNullToObject(j, "account_id"));
    if (!ok || !cJSON_AddStringToObject(j, "author", p->author) ||
        !cJSON_AddStringToObject(j, "body", p->body) ||
        api_add_time(j, "created_at", p->created_at) < 0) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

int api_reply(cJSON *j, int rc, cJSON **out)
{
    if (rc < 0) {
        cJSON_Delete(j);
        return rc;
    }
    *out = j;
    return 0;
}
