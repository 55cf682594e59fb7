/* Duty checks (值班坐班): township staff ask whether a cadre is on duty in a village service
 * office, instead of driving there; the village's cadre answers from their tool within
 * 10 minutes, or the check counts as absent.
 *
 * "absent" is computed on read (a check still requested 10 minutes after it was asked reads
 * absent; GETs never write), and written for good when a late answer comes (through the
 * writer, like every write). So the stored state may still say "requested" for an expired check
 * nobody answered; every read of the API shows "absent".
 *
 * Events (duty.check {check_id, village_id, state}): a new check goes to the village (its
 * cadre's session streams and its boxes); an answer, in time or late, to the township's staff. */
#define LOG_TAG "api"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/desk.h"
#include "api/input.h"
#include "api/views.h"
#include "duty/planner.h"
#include "events/events.h"
#include "log.h"
#include "store/store.h"

enum { ANSWER_WINDOW_S = DUTY_ANSWER_WINDOW_S, OPEN_MAX = 16 };

static int create(const struct caller *who, const struct api_request *req, cJSON **out);
static int list(const struct caller *who, const struct api_request *req, cJSON **out);
static int mine(const struct caller *who, const struct api_request *req, cJSON **out);
static int answer(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_duty_routes[] = {
    { "POST", "/api/v1/staff/duty-checks", ACCESS_STAFF, create },
    { "GET", "/api/v1/staff/duty-checks", ACCESS_STAFF, list },
    { "GET", "/api/v1/cadre/duty-checks", ACCESS_CADRE, mine },
    { "POST", "/api/v1/cadre/duty-checks/{id}/answer", ACCESS_CADRE, answer },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field create_fields[] = {
    { "village_id", API_ID, 1, 0, 0 },
};

/* Checks asked before this, and not answered, are absent at NOW. */
static time_t expired_before(time_t now)
{
    return now - ANSWER_WINDOW_S;
}

static cJSON *check_json(const struct store_duty_check *d)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)d->id) ||
        api_add_ref(j, "village", d->village_id, d->village) < 0 ||
        api_add_ref(j, "checked_by", d->checked_by, d->checked_by_name) < 0 ||
        !cJSON_AddStringToObject(j, "state", d->state) ||
        api_add_time(j, "requested_at", d->requested_at) < 0 ||
        api_add_time(j, "answer_by", d->requested_at + ANSWER_WINDOW_S) < 0 ||
        api_add_time(j, "answered_at", d->answered_at) < 0) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* duty.check {check_id, village_id, state} to TO. Best effort: the write is done. */
static void publish(const struct api_request *req, const struct event_scope *to,
                    const struct store_duty_check *d)
{
    cJSON *ev = cJSON_CreateObject();
    char *text = NULL;
    if (ev && cJSON_AddNumberToObject(ev, "check_id", (double)d->id) &&
        cJSON_AddNumberToObject(ev, "village_id", (double)d->village_id) &&
        cJSON_AddStringToObject(ev, "state", d->state))
        text = cJSON_PrintUnformatted(ev);
    cJSON_Delete(ev);
    int64_t seq = text ? events_publish(req->events, to, "duty.check", text) : -ENOMEM;
    if (seq < 0)
        log_warn("event duty.check not published (%lld)", (long long)seq);
    free(text);
}

struct duty_job {
    int64_t id, village_id, account_id;
    time_t now;
    enum store_duty_result res;
};

static int create_run(struct store_tx *tx, void *arg)
{
    struct duty_job *j = arg;
    return store_duty_add(tx, j->village_id, j->account_id, j->now, expired_before(j->now),
                          &j->id);
}

static int answer_run(struct store_tx *tx, void *arg)
{
    struct duty_job *j = arg;
    return store_duty_answer(tx, j->id, j->now, expired_before(j->now), &j->res);
}

static int create(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0)
        rc = api_body_fields(req, create_fields, 1, &body, out);
    if (rc < 0)
        return rc;
    struct duty_job j = { .village_id = api_json_int(body, "village_id", 0),
                          .account_id = who->account_id, .now = req->now };
    cJSON_Delete(body);
    rc = api_own_village(who, req, j.village_id, NULL, out);
    if (rc == 0)
        rc = store_write(req->store, create_run, &j);
    if (rc == -EEXIST)
        return api_fail_code(out, rc, "duty_check_open",
                             "this village has a check waiting for its answer");
    struct store_duty_check d;
    if (rc == 0)
        rc = store_duty_get(req->store, j.id, expired_before(req->now), &d);
    if (rc < 0)
        return rc;
    log_info("account %lld asked village %lld for duty (check %lld)", (long long)who->account_id,
             (long long)d.village_id, (long long)d.id);
    struct event_scope to = { .audience = EVENT_TO_CADRES | EVENT_TO_BOXES,
                              .township_id = d.township_id, .village_id = d.village_id };
    publish(req, &to, &d);
    *out = check_json(&d);
    return *out ? 0 : -ENOMEM;
}

static cJSON *check_view(const void *row, const void *ctx)
{
    (void)ctx;
    return check_json(row);
}

static const char *const list_args[] = { "village" };

static int list(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int page = 1, per_page = API_PER_PAGE_DEFAULT, village = 0;
    int rc = api_paging(req, list_args, 1, &page, &per_page, out);
    if (rc == 0)
        rc = api_query_int(req, "village", 0, 1, INT_MAX, &village, out);
    if (rc == 0 && village)
        rc = api_own_village(who, req, village, NULL, out);
    if (rc < 0)
        return rc;
    struct store_duty_check *rows = calloc((size_t)per_page, sizeof(*rows));
    int n = 0, total = 0;
    if (!rows)
        return -ENOMEM;
    rc = store_duty_list(req->store, who->township_id, village, expired_before(req->now),
                         (page - 1) * per_page, per_page, rows, &n, &total);
    cJSON *items = NULL;
    cJSON *j = rc == 0 ? api_page_json(total, NULL, 0, page, per_page, &items) : NULL;
    if (rc == 0)
        rc = j ? api_add_views(items, rows, sizeof(*rows), n, check_view, NULL) : -ENOMEM;
    free(rows);
    return api_reply(j, rc, out);
}

/* The cadre side is for a village's cadre: staff and admins have no village to answer for. */
static int cadre_only(const struct caller *who, cJSON **out)
{
    if (who->kind == CALLER_CADRE)
        return 0;
    return api_fail(out, -EPERM, "only the village's cadre answers duty checks");
}

static int mine(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int rc = cadre_only(who, out);
    if (rc == 0)
        rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    struct store_duty_check rows[OPEN_MAX];
    int n = 0;
    rc = store_duty_open(req->store, who->village_id, expired_before(req->now), rows, OPEN_MAX,
                         &n);
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "checks") : NULL;
    if (rc == 0)
        rc = arr ? api_add_views(arr, rows, sizeof(*rows), n, check_view, NULL) : -ENOMEM;
    return api_reply(j, rc, out);
}

static int answer(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    int rc = cadre_only(who, out);
    if (rc == 0)
        rc = api_target_id(req, "id", &id, out);
    if (rc == 0)
        rc = api_body_empty(req, out);
    struct store_duty_check d;
    if (rc == 0)
        rc = store_duty_get(req->store, id, expired_before(req->now), &d);
    if (rc == 0 && d.township_id != who->township_id)
        rc = -ENOENT; /* another township's: as if it did not exist */
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such duty check");
    if (rc == 0 && d.village_id != who->village_id)
        rc = api_fail(out, -EPERM, "a duty check of another village");
    if (rc < 0)
        return rc;
    struct duty_job j = { .id = id, .now = req->now };
    rc = store_write(req->store, answer_run, &j);
    if (rc == 0)
        rc = store_duty_get(req->store, id, expired_before(req->now), &d);
    if (rc < 0)
        return rc;
    struct event_scope staff = { .audience = EVENT_TO_STAFF, .township_id = d.township_id };
    if (j.res == STORE_DUTY_ON_DUTY || j.res == STORE_DUTY_LATE) {
        log_info("village %lld answered duty check %lld: %s", (long long)d.village_id,
                 (long long)d.id, d.state);
        publish(req, &staff, &d);
    }
    if (j.res == STORE_DUTY_LATE || j.res == STORE_DUTY_ABSENT)
        return api_fail_code(out, -EEXIST, "duty_check_expired",
                             "the check was not answered within 10 minutes: it is absent");
    *out = check_json(&d);
    return *out ? 0 : -ENOMEM;
}
