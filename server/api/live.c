/* Broadcasts seen from a box: the list of those in its scope (live first, then scheduled), and
 * the playback heartbeat a box sends while it plays a live broadcast (the roll call accepts a
 * check-in only from a box whose heartbeat for that broadcast is under a minute old). */
#define LOG_TAG "api"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/heartbeat.h"
#include "api/input.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"

enum { LIST_MAX = 100 };

static int broadcasts(const struct caller *who, const struct api_request *req, cJSON **out);
static int heartbeat(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_live_routes[] = {
    { "GET", "/api/v1/broadcasts", ACCESS_BOX, broadcasts },
    { "POST", "/api/v1/broadcasts/{id}/heartbeat", ACCESS_BOX, heartbeat },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static int broadcasts(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    struct store_scope scope = { who->village_id, who->township_id };
    struct store_broadcast *b = calloc(LIST_MAX, sizeof(*b));
    int n = 0;
    rc = b ? store_broadcast_list_scope(req->store, &scope, b, LIST_MAX, &n) : -ENOMEM;
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "broadcasts") : NULL;
    if (rc == 0 && !arr)
        rc = -ENOMEM;
    if (rc == 0)
        rc = api_add_broadcasts(arr, b, 0, n);
    free(b);
    return api_reply(j, rc, out);
}

struct hb_job {
    int64_t box_id;
    int64_t broadcast_id;
    time_t at;
};

static int hb_run(struct store_tx *tx, void *arg)
{
    const struct hb_job *j = arg;
    return store_heartbeat_put(tx, j->box_id, j->broadcast_id, j->at);
}

static int hb_reply(void *arg, int rc, cJSON **out)
{
    const struct hb_job *j = arg;
    if (rc < 0)
        return rc;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "broadcast_id", (double)j->broadcast_id) ||
        api_add_time(o, "at", j->at) < 0) {
        cJSON_Delete(o);
        return -ENOMEM;
    }
    *out = o;
    return 0;
}

int api_heartbeat_defer(const struct api_request *req, int64_t box_id, int64_t broadcast_id,
                        cJSON **out)
{
    struct hb_job *j = malloc(sizeof(*j));
    if (!j)
        return -ENOMEM;
    *j = (struct hb_job){ box_id, broadcast_id, req->now };
    const struct api_deferred d = { hb_run, hb_reply, free, j };
    return api_defer(req, &d, out);
}

static int heartbeat(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc < 0)
        return rc;
    rc = api_body_empty(req, out);
    if (rc < 0)
        return rc;
    struct store_broadcast b;
    rc = store_broadcast_get(req->store, id, &b);
    if (rc == 0 && b.org_id != who->village_id && b.org_id != who->township_id)
        rc = -ENOENT; /* not this box's to watch */
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such broadcast");
    if (rc < 0)
        return rc;
    if (strcmp(b.state, "live") != 0)
        return api_fail_code(out, -EEXIST, "broadcast_not_live", "the broadcast is not live");
    return api_heartbeat_defer(req, who->box_id, id, out);
}
