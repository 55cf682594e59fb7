/* A member's record, as the TV shows it: attendance at each roll call they were called to (or
 * signed in at), and the credits ledger with its total. Only for a member of the box's own
 * household; township staff (the dashboard) read the records of their own township's members. */
#define LOG_TAG "api"
#include <errno.h>
#include <stdlib.h>

#include "api/api.h"
#include "api/input.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"

static int record(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_record_routes[] = {
    { "GET", "/api/v1/members/{member_id}/record", ACCESS_BOX, record },
    { "GET", "/api/v1/staff/members/{member_id}/record", ACCESS_STAFF, record },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static int attendance_json(const struct store_attendance *a, int n, cJSON *j)
{
    int attended = 0;
    cJSON *arr = cJSON_AddArrayToObject(j, "attendance");
    if (!arr)
        return -ENOMEM;
    for (int i = 0; i < n; i++) {
        cJSON *x = cJSON_CreateObject();
        if (!x)
            return -ENOMEM;
        cJSON_AddItemToArray(arr, x);
        attended += a[i].checked_in_at != 0;
        if (!cJSON_AddNumberToObject(x, "rollcall_id", (double)a[i].rollcall_id) ||
            !cJSON_AddNumberToObject(x, "broadcast_id", (double)a[i].broadcast_id) ||
            !cJSON_AddStringToObject(x, "title", a[i].title) ||
            api_add_time(x, "opened_at", a[i].opened_at) < 0 ||
            api_add_time(x, "closed_at", a[i].closed_at) < 0 ||
            api_add_time(x, "checked_in_at", a[i].checked_in_at) < 0 ||
            !cJSON_AddBoolToObject(x, "attended", a[i].checked_in_at != 0))
            return -ENOMEM;
    }
    if (!cJSON_AddNumberToObject(j, "meetings_called", n) ||
        !cJSON_AddNumberToObject(j, "meetings_attended", attended))
        return -ENOMEM;
    return 0;
}

static int credits_json(const struct store_credit *k, int n, int total, cJSON *j)
{
    cJSON *c = cJSON_AddObjectToObject(j, "credits");
    cJSON *arr = c ? cJSON_AddArrayToObject(c, "items") : NULL;
    if (!arr || !cJSON_AddNumberToObject(c, "total", total))
        return -ENOMEM;
    for (int i = 0; i < n; i++) {
        cJSON *x = cJSON_CreateObject();
        if (!x)
            return -ENOMEM;
        cJSON_AddItemToArray(arr, x);
        if (!cJSON_AddStringToObject(x, "reason", k[i].reason) ||
            !cJSON_AddNumberToObject(x, "ref_id", (double)k[i].ref_id) ||
            !cJSON_AddStringToObject(x, "title", k[i].title) ||
            !cJSON_AddNumberToObject(x, "points", k[i].points) ||
            api_add_time(x, "earned_at", k[i].earned_at) < 0)
            return -ENOMEM;
    }
    return 0;
}

/* Staff: a member of one of their township's villages (another is 404, as if not there). */
static int township_member(const struct caller *who, const struct api_request *req, int64_t id,
                           struct store_member *m)
{
    struct store_household h = { 0 };
    struct store_org village;
    int rc = store_member_get(req->store, id, m);
    if (rc == 0)
        rc = store_household_get(req->store, m->household_id, &h);
    if (rc == 0)
        rc = store_org_get(req->store, h.village_id, &village);
    if (rc == 0 && village.parent_id != who->township_id)
        rc = -ENOENT;
    store_household_fini(&h);
    return rc;
}

static int record(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    int rc = api_target_id(req, "member_id", &id, out);
    if (rc < 0)
        return rc;
    struct store_member m;
    if (who->kind == CALLER_BOX)
        rc = api_household_member(who, req, id, "a box sees the records of its own household only",
                                  &m, out);
    else
        rc = township_member(who, req, id, &m);
    if (rc < 0)
        return rc;
    struct store_attendance *a = NULL;
    struct store_credit *k = NULL;
    int na = 0, nk = 0, total = 0;
    rc = store_attendance_list(req->store, id, &a, &na);
    if (rc == 0)
        rc = store_credit_list(req->store, id, &k, &nk, &total);
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *mj = j ? cJSON_AddObjectToObject(j, "member") : NULL;
    if (rc == 0 && (!mj || !cJSON_AddNumberToObject(mj, "id", (double)m.id) ||
                    !cJSON_AddStringToObject(mj, "name", m.name)))
        rc = -ENOMEM;
    if (rc == 0)
        rc = attendance_json(a, na, j);
    if (rc == 0)
        rc = credits_json(k, nk, total, j);
    free(a);
    free(k);
    return api_reply(j, rc, out);
}
