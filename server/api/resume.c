/* Resume positions: where a household stopped watching an item, so any box of the household
 * offers to go on from there. GET /api/v1/resume/{item_id} reads it, PUT saves it (the player
 * saves every 10 s and on exit: a deferred write, answered after the commit). */
#define LOG_TAG "api"
#include <errno.h>
#include <stdlib.h>

#include "api/api.h"
#include "api/input.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"

enum { POSITION_MAX_MS = 48 * 3600 * 1000 }; /* longer than any item */

static int resume_get(const struct caller *who, const struct api_request *req, cJSON **out);
static int resume_put(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_resume_routes[] = {
    { "GET", "/api/v1/resume/{item_id}", ACCESS_BOX, resume_get },
    { "PUT", "/api/v1/resume/{item_id}", ACCESS_BOX, resume_put },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field put_fields[] = {
    { "position_ms", API_INT, 1, 0, POSITION_MAX_MS },
};

struct resume_job {
    int64_t household_id;
    int64_t item_id;
    int64_t position_ms;
    time_t at;
};

static cJSON *resume_json(int64_t item_id, int64_t position_ms, time_t updated)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "item_id", (double)item_id) ||
        !cJSON_AddNumberToObject(j, "position_ms", (double)position_ms) ||
        api_add_time(j, "updated_at", updated) < 0) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* The item of the path, if the box may see it: 0, or -ENOENT / -EINVAL. */
static int visible_item(const struct caller *who, const struct api_request *req, int64_t *id,
                        cJSON **out)
{
    int rc = api_target_id(req, "item_id", id, out);
    if (rc < 0)
        return rc;
    struct store_scope scope = { who->village_id, who->township_id };
    struct store_item it;
    rc = store_item_get(req->store, &scope, req->now, *id, &it);
    store_item_fini(&it);
    return rc == -ENOENT ? api_fail(out, rc, "no such item") : rc;
}

static int resume_get(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0, pos = 0;
    time_t updated = 0;
    int rc = visible_item(who, req, &id, out);
    if (rc < 0)
        return rc;
    rc = store_resume_get(req->store, who->household_id, id, &pos, &updated);
    if (rc < 0 && rc != -ENOENT) /* -ENOENT: never watched, start at 0 */
        return rc;
    *out = resume_json(id, pos, updated);
    return *out ? 0 : -ENOMEM;
}

static int put_run(struct store_tx *tx, void *arg)
{
    const struct resume_job *j = arg;
    return store_resume_put(tx, j->household_id, j->item_id, j->position_ms, j->at);
}

static int put_reply(void *arg, int rc, cJSON **out)
{
    const struct resume_job *j = arg;
    if (rc < 0)
        return rc;
    *out = resume_json(j->item_id, j->position_ms, j->at);
    return *out ? 0 : -ENOMEM;
}

static int resume_put(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    cJSON *body = NULL;
    int rc = visible_item(who, req, &id, out);
    if (rc == 0)
        rc = api_body_fields(req, put_fields, 1, &body, out);
    if (rc < 0)
        return rc;
    struct resume_job *j = malloc(sizeof(*j));
    if (!j) {
        cJSON_Delete(body);
        return -ENOMEM;
    }
    *j = (struct resume_job){ who->household_id, id, api_json_int(body, "position_ms", 0),
                              req->now };
    cJSON_Delete(body);
    const struct api_deferred d = { put_run, put_reply, free, j };
    return api_defer(req, &d, out);
}
