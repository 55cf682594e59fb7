/* Township staff's overviews for the dashboard, each for the caller's own township only
 * (another township's box or questionnaire is 404, as if it did not exist):
 *  - the set-top boxes with household, village and when each last played something; unpairing
 *    one revokes its token at once and ends its event streams;
 *  - the questionnaires (党风评议) and their results: answers counted per option. Results never
 *    say who answered (an anonymous questionnaire cannot: it keeps only counters), and a
 *    questionnaire with fewer than OVERVIEW_MIN_ANSWERS answers is withheld, so a count cannot
 *    single out one or two people's votes;
 *  - who is watching a roll call's broadcast right now: households per village whose box sent a
 *    heartbeat in the last minute. */
#define LOG_TAG "api"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "api/api.h"
#include "api/desk.h"
#include "api/input.h"
#include "api/views.h"
#include "events/events.h"
#include "log.h"
#include "store/store.h"

enum {
    OVERVIEW_MIN_ANSWERS = 5,
    WATCHING_WINDOW_S = 60, /* a heartbeat this fresh: the box is playing (the check-in rule) */
};

static int boxes(const struct caller *who, const struct api_request *req, cJSON **out);
static int unpair(const struct caller *who, const struct api_request *req, cJSON **out);
static int forms(const struct caller *who, const struct api_request *req, cJSON **out);
static int results(const struct caller *who, const struct api_request *req, cJSON **out);
static int watching(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_overview_routes[] = {
    { "GET", "/api/v1/staff/boxes", ACCESS_STAFF, boxes },
    { "DELETE", "/api/v1/staff/boxes/{id}", ACCESS_STAFF, unpair },
    { "GET", "/api/v1/staff/questionnaires", ACCESS_STAFF, forms },
    { "GET", "/api/v1/staff/questionnaires/{id}/results", ACCESS_STAFF, results },
    { "GET", "/api/v1/staff/rollcalls/{id}/watching", ACCESS_STAFF, watching },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static int box_view(cJSON *o, const void *row)
{
    const struct store_box_row *b = row;
    if (!cJSON_AddNumberToObject(o, "id", (double)b->id) ||
        api_add_ref(o, "household", b->household_id, b->household) < 0 ||
        api_add_ref(o, "village", b->village_id, b->village) < 0 ||
        api_add_str_or_null(o, "label", b->label) < 0 ||
        !cJSON_AddBoolToObject(o, "paired", !b->revoked) ||
        api_add_time(o, "last_seen", b->last_seen) < 0 ||
        api_add_str_or_null(o, "version", b->version) < 0)
        return -ENOMEM;
    return 0;
}

static int boxes(const struct caller *who, const struct api_request *req, cJSON **out)
{
    static const char *const args[] = { "village" };
    struct store_box_row *rows = NULL;
    int n = 0, village = 0;
    int rc = api_query_check(req, args, 1, out);
    if (rc == 0)
        rc = api_query_int(req, "village", 0, 1, INT_MAX, &village, out);
    if (rc == 0 && village)
        rc = api_own_village(who, req, village, NULL, out);
    if (rc == 0)
        rc = store_box_list(req->store, who->township_id, 0, &rows, &n);
    if (rc < 0)
        return rc;
    cJSON *j = cJSON_CreateObject();
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "boxes") : NULL;
    int shown = 0;
    rc = arr ? 0 : -ENOMEM;
    for (int i = 0; i < n && rc == 0; i++) {
        if (village && rows[i].village_id != village)
            continue;
        cJSON *o = api_array_add_object(arr);
        rc = o ? box_view(o, &rows[i]) : -ENOMEM;
        shown++;
    }
    free(rows);
    if (rc == 0 && !cJSON_AddNumberToObject(j, "total", shown))
        rc = -ENOMEM;
    return api_reply(j, rc, out);
}

static int revoke_run(struct store_tx *tx, void *arg)
{
    return store_box_revoke(tx, *(const int64_t *)arg);
}

static int unpair(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    struct store_box_row *row = NULL;
    int n = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc == 0)
        rc = api_body_empty(req, out);
    if (rc == 0)
        rc = store_box_list(req->store, who->township_id, id, &row, &n);
    if (rc == 0 && n == 0)
        rc = -ENOENT;
    if (rc == 0 && row[0].revoked)
        rc = api_fail_code(out, -EEXIST, "box_unpaired", "the box is already unpaired");
    free(row);
    if (rc == 0)
        rc = store_write(req->store, revoke_run, &id);
    if (rc < 0)
        return rc;
    struct caller box = { .kind = CALLER_BOX, .box_id = id };
    int ended = events_end_streams_of(req->events, &box);
    log_info("account %lld unpaired box %lld (%d event stream(s) ended)",
             (long long)who->account_id, (long long)id, ended);
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)id) ||
        !cJSON_AddBoolToObject(j, "paired", 0))
        rc = -ENOMEM;
    return api_reply(j, rc, out);
}

static int summary_view(cJSON *o, const void *row)
{
    const struct store_form_summary *f = row;
    if (!cJSON_AddNumberToObject(o, "id", (double)f->content_id) ||
        !cJSON_AddStringToObject(o, "title", f->title) ||
        api_add_ref(o, "scope", f->org_id, f->scope) < 0 ||
        !cJSON_AddBoolToObject(o, "anonymous", f->anonymous) ||
        api_add_time(o, "published_at", f->published_at) < 0 ||
        !cJSON_AddNumberToObject(o, "respondents", f->respondents) ||
        !cJSON_AddBoolToObject(o, "withheld", f->respondents < OVERVIEW_MIN_ANSWERS))
        return -ENOMEM;
    return 0;
}

static int forms(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_form_summary *rows = NULL;
    int n = 0;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0)
        rc = store_form_summaries(req->store, who->township_id, &rows, &n);
    if (rc < 0)
        return rc;
    cJSON *j = cJSON_CreateObject();
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "questionnaires") : NULL;
    rc = arr ? 0 : -ENOMEM;
    for (int i = 0; i < n && rc == 0; i++) {
        cJSON *o = api_array_add_object(arr);
        rc = o ? summary_view(o, &rows[i]) : -ENOMEM;
    }
    free(rows);
    if (rc == 0 && !cJSON_AddNumberToObject(j, "min_answers", OVERVIEW_MIN_ANSWERS))
        rc = -ENOMEM;
    return api_reply(j, rc, out);
}

static int results(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    struct store_form_summary *rows = NULL;
    struct store_form form = { 0 };
    int n = 0;
    const struct store_form_summary *mine = NULL;
    int rc = api_target_id(req, "id", &id, out);
    if (rc == 0)
        rc = store_form_summaries(req->store, who->township_id, &rows, &n);
    for (int i = 0; rc == 0 && i < n && !mine; i++)
        if (rows[i].content_id == id)
            mine = &rows[i];
    if (rc == 0 && !mine)
        rc = -ENOENT; /* not a questionnaire of this township */
    if (rc == 0)
        rc = store_form_get(req->store, id, &form);
    cJSON *j = NULL;
    if (rc == 0) {
        int withheld = mine->respondents < OVERVIEW_MIN_ANSWERS;
        j = cJSON_CreateObject();
        rc = j ? summary_view(j, mine) : -ENOMEM;
        if (rc == 0)
            rc = withheld ? (cJSON_AddNullToObject(j, "questions") ? 0 : -ENOMEM)
                          : api_add_questions(j, &form, 1);
    }
    store_form_fini(&form);
    free(rows);
    return api_reply(j, rc, out);
}

/* The roll call ID if it is of WHO's township (the township's own or one of its villages'). */
static int rollcall_of_township(const struct caller *who, const struct api_request *req,
                                int64_t id, struct store_rollcall *r)
{
    struct store_org org;
    int rc = store_rollcall_state(req->store, id, r);
    if (rc == 0)
        rc = store_org_get(req->store, r->org_id, &org);
    if (rc == 0 && org.id != who->township_id && org.parent_id != who->township_id)
        rc = -ENOENT;
    return rc;
}

static int watching(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    struct store_rollcall r;
    struct store_watching *rows = NULL;
    int n = 0, total = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc == 0)
        rc = rollcall_of_township(who, req, id, &r);
    if (rc == 0)
        rc = store_broadcast_watching(req->store, r.broadcast_id, req->now - WATCHING_WINDOW_S,
                                      &rows, &n);
    if (rc < 0)
        return rc;
    cJSON *j = cJSON_CreateObject();
    cJSON *arr = NULL;
    if (!j || !cJSON_AddNumberToObject(j, "rollcall_id", (double)id) ||
        !cJSON_AddNumberToObject(j, "window_s", WATCHING_WINDOW_S) ||
        !(arr = cJSON_AddArrayToObject(j, "villages")))
        rc = -ENOMEM;
    for (int i = 0; i < n && rc == 0; i++) {
        if (r.org_id != who->township_id && rows[i].village_id != r.org_id)
            continue; /* a village's roll call: only its own households */
        cJSON *o = api_array_add_object(arr);
        if (!o || !cJSON_AddNumberToObject(o, "village_id", (double)rows[i].village_id) ||
            !cJSON_AddNumberToObject(o, "households", rows[i].households))
            rc = -ENOMEM;
        total += rows[i].households;
    }
    free(rows);
    if (rc == 0 && !cJSON_AddNumberToObject(j, "households", total))
        rc = -ENOMEM;
    return api_reply(j, rc, out);
}
