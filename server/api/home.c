/* GET /api/v1/home: what a set-top box shows on its home screen. Everything is scoped to what
 * the box may see: its own village plus township-wide items. */
#define LOG_TAG "api"
#include <errno.h>
#include <string.h>

#include "api/api.h"
#include "api/box_report.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"
#include "util/isotime.h"

const struct api_route api_home_routes[] = {
    { "GET", "/api/v1/home", ACCESS_BOX, api_home },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

/* The six sections of the home screen, in the fixed order of the contract. */
static const struct {
    const char *key;
    const char *title;
} sections[] = {
    { "affairs", "党务公开" },  { "live", "党群直播" },     { "study", "党教园地" },
    { "video", "今日南湖" },    { "pioneers", "时代先锋" }, { "evaluation", "党风评议" },
};
enum { N_SECTIONS = (int)(sizeof(sections) / sizeof(sections[0])), LIVE_NOW_MAX = 8 };

static cJSON *org_json(const struct store_org *o)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)o->id) ||
        !cJSON_AddStringToObject(j, "name", o->name)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *household_json(const struct store_household *h)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *members = NULL;
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)h->id) ||
        !cJSON_AddStringToObject(j, "name", h->name))
        goto fail;
    members = cJSON_AddArrayToObject(j, "members");
    if (!members)
        goto fail;
    /* Members' phone numbers and party dates stay on the server: the TV does not need them. */
    for (int i = 0; i < h->n_members; i++) {
        const struct store_member *m = &h->members[i];
        cJSON *mj = cJSON_CreateObject();
        if (!mj)
            goto fail;
        cJSON_AddItemToArray(members, mj);
        if (!cJSON_AddNumberToObject(mj, "id", (double)m->id) ||
            !cJSON_AddStringToObject(mj, "name", m->name) ||
            !(m->birth_year > 0 ? cJSON_AddNumberToObject(mj, "birth_year", m->birth_year)
                                : cJSON_AddNullToObject(mj, "birth_year")) ||
            api_add_str_or_null(mj, "photo", m->photo) < 0)
            goto fail;
    }
    return j;

fail:
    cJSON_Delete(j);
    return NULL;
}

static int sections_json(const struct api_request *req, const struct store_scope *scope,
                         cJSON *parent)
{
    struct store_count counts[N_SECTIONS * 2];
    int n_counts = 0, live = 0;
    int rc = store_content_count_by_section(req->store, scope, req->now, counts,
                                            (int)(sizeof(counts) / sizeof(counts[0])), &n_counts);
    if (rc == 0)
        rc = store_broadcast_count_active(req->store, scope, &live);
    if (rc < 0)
        return rc;
    cJSON *arr = cJSON_AddArrayToObject(parent, "sections");
    if (!arr)
        return -ENOMEM;
    for (int i = 0; i < N_SECTIONS; i++) {
        int count = 0;
        if (strcmp(sections[i].key, "live") == 0) {
            count = live; /* the live section counts broadcasts not yet ended */
        } else {
            for (int k = 0; k < n_counts; k++)
                if (strcmp(counts[k].key, sections[i].key) == 0)
                    count = counts[k].count;
        }
        cJSON *s = cJSON_CreateObject();
        if (!s)
            return -ENOMEM;
        cJSON_AddItemToArray(arr, s);
        if (!cJSON_AddStringToObject(s, "key", sections[i].key) ||
            !cJSON_AddStringToObject(s, "title", sections[i].title) ||
            !cJSON_AddNumberToObject(s, "count", count))
            return -ENOMEM;
    }
    return 0;
}

static int live_now_json(const struct api_request *req, const struct store_scope *scope,
                         cJSON *parent)
{
    struct store_broadcast live[LIVE_NOW_MAX];
    int n = 0;
    int rc = store_broadcast_list_live(req->store, scope, live, LIVE_NOW_MAX, &n);
    if (rc < 0)
        return rc;
    cJSON *arr = cJSON_AddArrayToObject(parent, "live_now");
    if (!arr)
        return -ENOMEM;
    for (int i = 0; i < n; i++) {
        cJSON *b = cJSON_CreateObject();
        if (!b)
            return -ENOMEM;
        cJSON_AddItemToArray(arr, b);
        if (!cJSON_AddNumberToObject(b, "id", (double)live[i].id) ||
            !cJSON_AddStringToObject(b, "title", live[i].title) ||
            !cJSON_AddStringToObject(b, "scope", live[i].scope_name))
            return -ENOMEM;
    }
    return 0;
}

int api_home(const struct caller *who, const struct api_request *req, cJSON **out)
{
    if (!who || who->kind != CALLER_BOX)
        return -EPERM;
    api_box_report(who, req); /* best effort: the home screen does not wait on it failing */
    struct store_org township, village;
    struct store_household household = { 0 };
    char now[ISOTIME_LEN];
    cJSON *j = NULL, *item = NULL;
    int rc = store_org_get(req->store, who->township_id, &township);
    if (rc == 0)
        rc = store_org_get(req->store, who->village_id, &village);
    if (rc == 0)
        rc = store_household_get(req->store, who->household_id, &household);
    if (rc == -ENOENT) {
        /* The box resolved a moment ago, so its rows exist: a missing one is corruption. */
        log_error("home: box %lld points at a missing org or household", (long long)who->box_id);
        rc = -EIO;
    }
    if (rc < 0)
        goto fail;
    rc = -ENOMEM;
    j = cJSON_CreateObject();
    if (!j)
        goto fail;
    item = org_json(&township);
    if (!item || !cJSON_AddItemToObject(j, "township", item))
        goto fail;
    item = org_json(&village);
    if (!item || !cJSON_AddItemToObject(j, "village", item))
        goto fail;
    item = household_json(&household);
    if (!item || !cJSON_AddItemToObject(j, "household", item))
        goto fail;
    item = NULL;
    const struct store_scope scope = { .village_id = who->village_id,
                                       .township_id = who->township_id };
    rc = sections_json(req, &scope, j);
    if (rc == 0)
        rc = live_now_json(req, &scope, j);
    if (rc < 0)
        goto fail;
    rc = -ENOMEM;
    if (isotime_format(req->now, now, sizeof(now)) < 0 ||
        !cJSON_AddStringToObject(j, "server_time", now))
        goto fail;
    store_household_fini(&household);
    *out = j;
    return 0;

fail:
    cJSON_Delete(item);
    cJSON_Delete(j);
    store_household_fini(&household);
    return rc;
}
