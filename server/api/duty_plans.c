/* Random duty checks planned ahead: staff give a time window (their working hours) and the
 * villages to draw from; the server draws COUNT different villages and a random moment in the
 * window for each, and keeps them as plans that duty/planner.c sends when due. The cadres never
 * see a plan, only the check when it comes. Staff list their township's plans still waiting and
 * may cancel one. */
#define LOG_TAG "api"
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/desk.h"
#include "api/input.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"
#include "util/isotime.h"

enum {
    PLAN_VILLAGES_MAX = 200,
    PLAN_COUNT_MAX = 50,
    PLAN_WINDOW_MAX_S = 7 * 86400, /* a window of at most a week */
    PLAN_AHEAD_MAX_S = 31 * 86400, /* starting within a month */
    PLAN_PAST_SLACK_S = 60,        /* a window may start up to a minute ago (clock skew) */
    PLANS_LIST_MAX = 200,
};

static int create(const struct caller *who, const struct api_request *req, cJSON **out);
static int list(const struct caller *who, const struct api_request *req, cJSON **out);
static int cancel(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_duty_plan_routes[] = {
    { "POST", "/api/v1/staff/duty-plans", ACCESS_STAFF, create },
    { "GET", "/api/v1/staff/duty-plans", ACCESS_STAFF, list },
    { "DELETE", "/api/v1/staff/duty-plans/{id}", ACCESS_STAFF, cancel },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field create_fields[] = {
    { "from", API_STR, 1, 20, 20 },
    { "to", API_STR, 1, 20, 20 },
    { "count", API_INT, 1, 1, PLAN_COUNT_MAX },
    { "village_ids", API_ARRAY, 1, 1, PLAN_VILLAGES_MAX },
};

static cJSON *plan_json(const struct store_duty_plan *p)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)p->id) ||
        api_add_ref(j, "village", p->village_id, p->village) < 0 ||
        api_add_ref(j, "planned_by", p->planned_by, p->planned_by_name) < 0 ||
        api_add_time(j, "due_at", p->due_at) < 0 || !cJSON_AddStringToObject(j, "state", p->state) ||
        !(p->check_id ? cJSON_AddNumberToObject(j, "check_id", (double)p->check_id)
                      : cJSON_AddNullToObject(j, "check_id"))) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *plan_view(const void *row, const void *ctx)
{
    (void)ctx;
    return plan_json(row);
}

/* The window [*FROM, *TO] of BODY, checked against NOW. 0 or an error reply. */
static int window_of(const cJSON *body, time_t now, time_t *from, time_t *to, cJSON **out)
{
    if (isotime_parse(api_json_str(body, "from"), from) < 0)
        return api_fail(out, -EINVAL, "from: must be like 2026-12-08T00:30:00Z");
    if (isotime_parse(api_json_str(body, "to"), to) < 0)
        return api_fail(out, -EINVAL, "to: must be like 2026-12-08T09:30:00Z");
    if (*from < now - PLAN_PAST_SLACK_S)
        return api_fail(out, -EINVAL, "from: the window has begun already");
    if (*from > now + PLAN_AHEAD_MAX_S)
        return api_fail(out, -EINVAL, "from: at most 31 days ahead");
    if (*to <= *from || *to - *from > PLAN_WINDOW_MAX_S)
        return api_fail(out, -EINVAL, "to: after from, and at most 7 days after it");
    return 0;
}

/* The ids of BODY's village_ids, each a different village of WHO's township, into IDS. */
static int villages_of(const struct caller *who, const struct api_request *req,
                       const cJSON *body, int64_t *ids, int *n, cJSON **out)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(body, "village_ids");
    const cJSON *v;
    *n = 0;
    cJSON_ArrayForEach(v, arr)
    {
        double d = cJSON_IsNumber(v) ? v->valuedouble : 0;
        if (d < 1 || d > 9007199254740992.0 || d != (double)(int64_t)d)
            return api_fail(out, -EINVAL, "village_ids: each must be a village id");
        int64_t id = (int64_t)d;
        for (int i = 0; i < *n; i++)
            if (ids[i] == id)
                return api_fail(out, -EINVAL, "village_ids: a village is named twice");
        int rc = api_own_village(who, req, id, NULL, out);
        if (rc < 0)
            return rc;
        ids[(*n)++] = id;
    }
    return 0;
}

struct plan_job {
    const int64_t *villages; /* borrowed: the drawn villages */
    const time_t *due;       /* borrowed: and their times */
    int n;
    int64_t account_id;
    int64_t *ids; /* out */
};

static int plan_run(struct store_tx *tx, void *arg)
{
    struct plan_job *j = arg;
    int rc = 0;
    for (int i = 0; rc == 0 && i < j->n; i++)
        rc = store_duty_plan_add(tx, j->villages[i], j->account_id, j->due[i], &j->ids[i]);
    return rc;
}

static int by_due(const void *a, const void *b)
{
    const struct store_duty_plan *x = a, *y = b;
    return x->due_at < y->due_at ? -1 : x->due_at > y->due_at;
}

static int create(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    int64_t villages[PLAN_VILLAGES_MAX], ids[PLAN_COUNT_MAX];
    time_t due[PLAN_COUNT_MAX], from = 0, to = 0;
    int n = 0;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0)
        rc = api_body_fields(req, create_fields, 4, &body, out);
    if (rc == 0)
        rc = window_of(body, req->now, &from, &to, out);
    if (rc == 0)
        rc = villages_of(who, req, body, villages, &n, out);
    int count = body ? (int)api_json_int(body, "count", 0) : 0;
    cJSON_Delete(body);
    if (rc < 0)
        return rc;
    if (count > n)
        return api_fail(out, -EINVAL, "count: more checks than villages to draw from");
    /* Draw COUNT different villages (a partial Fisher-Yates shuffle) and a moment each. */
    for (int i = 0; i < count; i++) {
        int k = i + (int)randombytes_uniform((uint32_t)(n - i));
        int64_t t = villages[i];
        villages[i] = villages[k];
        villages[k] = t;
        due[i] = from + (time_t)randombytes_uniform((uint32_t)(to - from) + 1);
    }
    struct plan_job j = { .villages = villages, .due = due, .n = count,
                          .account_id = who->account_id, .ids = ids };
    rc = store_write(req->store, plan_run, &j);
    struct store_duty_plan plans[PLAN_COUNT_MAX];
    for (int i = 0; rc == 0 && i < count; i++)
        rc = store_duty_plan_get(req->store, ids[i], &plans[i]);
    if (rc < 0)
        return rc;
    qsort(plans, (size_t)count, sizeof(plans[0]), by_due);
    log_info("account %lld planned %d random duty check(s)", (long long)who->account_id, count);
    cJSON *j2 = cJSON_CreateObject();
    cJSON *arr = j2 ? cJSON_AddArrayToObject(j2, "plans") : NULL;
    rc = arr ? api_add_views(arr, plans, sizeof(plans[0]), count, plan_view, NULL) : -ENOMEM;
    return api_reply(j2, rc, out);
}

static int list(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    struct store_duty_plan *rows = calloc(PLANS_LIST_MAX, sizeof(*rows));
    int n = 0;
    rc = rows ? store_duty_plans(req->store, who->township_id, 0, rows, PLANS_LIST_MAX, &n)
              : -ENOMEM;
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "plans") : NULL;
    if (rc == 0)
        rc = arr ? api_add_views(arr, rows, sizeof(*rows), n, plan_view, NULL) : -ENOMEM;
    free(rows);
    return api_reply(j, rc, out);
}

static int cancel_run(struct store_tx *tx, void *arg)
{
    return store_duty_plan_mark(tx, *(const int64_t *)arg, "cancelled", 0);
}

static int cancel(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc == 0)
        rc = api_body_empty(req, out);
    struct store_duty_plan p;
    if (rc == 0)
        rc = store_duty_plan_get(req->store, id, &p);
    if (rc == 0 && p.township_id != who->township_id)
        rc = -ENOENT; /* another township's: as if it did not exist */
    if (rc == 0)
        rc = store_write(req->store, cancel_run, &id);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such plan");
    if (rc == -ESTALE)
        return api_fail_code(out, -EEXIST, "duty_plan_done", "the plan was sent or cancelled");
    if (rc == 0)
        rc = store_duty_plan_get(req->store, id, &p);
    if (rc < 0)
        return rc;
    log_info("account %lld cancelled duty plan %lld", (long long)who->account_id, (long long)id);
    *out = plan_json(&p);
    return *out ? 0 : -ENOMEM;
}
