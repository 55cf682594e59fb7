/* What is live in the staff's township right now: the live broadcasts of the township and of
 * its villages, each with its open roll calls (whose members each calls). The dashboard lists
 * them so staff can open a roll call on a village's behalf (POST /api/v1/broadcasts/{id}/
 * rollcalls with a village_id, api/cadre.c) when its cadre cannot. */
#define LOG_TAG "api"
#include <errno.h>
#include <stdlib.h>

#include "api/api.h"
#include "api/desk.h"
#include "api/input.h"
#include "api/views.h"
#include "store/store.h"

enum { LIVE_MAX = 100, OPEN_PER_BROADCAST_MAX = 64 };

static int live(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_staff_live_routes[] = {
    { "GET", "/api/v1/staff/broadcasts", ACCESS_STAFF, live },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

/* The open roll calls of BROADCAST_ID into BJ's "rollcalls", each with its org's name. */
static int add_open_rollcalls(const struct api_request *req, int64_t broadcast_id, cJSON *bj)
{
    int64_t ids[OPEN_PER_BROADCAST_MAX];
    int n = 0;
    cJSON *arr = cJSON_AddArrayToObject(bj, "rollcalls");
    if (!arr)
        return -ENOMEM;
    int rc = store_rollcall_open_ids(req->store, broadcast_id, ids, OPEN_PER_BROADCAST_MAX, &n);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct store_rollcall r;
        struct store_org o;
        rc = store_rollcall_get(req->store, ids[i], &r);
        if (rc == 0)
            rc = store_org_get(req->store, r.org_id, &o);
        if (rc == -ENOENT) {
            rc = 0; /* gone meanwhile */
            continue;
        }
        if (rc < 0)
            break;
        cJSON *rj = api_rollcall_json(&r);
        if (!rj || api_add_ref(rj, "scope", o.id, o.name) < 0 || !cJSON_AddItemToArray(arr, rj)) {
            cJSON_Delete(rj);
            rc = -ENOMEM;
        }
    }
    return rc;
}

static int live(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    struct store_broadcast *b = calloc(LIVE_MAX, sizeof(*b));
    int n = 0;
    rc = b ? store_broadcast_list_township_live(req->store, who->township_id, b, LIVE_MAX, &n)
           : -ENOMEM;
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "broadcasts") : NULL;
    if (rc == 0 && !arr)
        rc = -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++) {
        cJSON *bj = api_broadcast_json(&b[i]);
        if (!bj || !cJSON_AddItemToArray(arr, bj)) {
            cJSON_Delete(bj);
            rc = -ENOMEM;
            break;
        }
        rc = add_open_rollcalls(req, b[i].id, bj);
    }
    free(b);
    return api_reply(j, rc, out);
}
