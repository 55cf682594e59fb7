/* Study credits: POST /api/v1/courses/{item_id}/completed — a member says they watched a course
 * to the end, and earns its credit once. As with the roll call, the box vouches only for its own
 * household's members, and only for what that household has in fact watched: the household's
 * resume position (saved by the player every 10 s and on exit) must have reached
 * COMPLETE_PERMILLE of the course. */
#define LOG_TAG "api"
#include <errno.h>
#include <stdlib.h>

#include "api/api.h"
#include "api/input.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"

enum {
    COURSE_POINTS = 1,        /* credits per course completed */
    COMPLETE_PERMILLE = 900,  /* watched this far (per mille of the duration) counts as done */
    COMPLETE_SLACK_S = 30,    /* ... or to within this many seconds of the end */
};

static int course_completed(const struct caller *who, const struct api_request *req,
                            cJSON **out);

const struct api_route api_study_routes[] = {
    { "POST", "/api/v1/courses/{item_id}/completed", ACCESS_BOX, course_completed },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field completed_fields[] = {
    { "member_id", API_INT, 1, 1, INT32_MAX },
};

struct completed_job {
    int64_t member_id;
    int64_t item_id;
    time_t at;
    int created; /* out: this request wrote the credit */
};

static int completed_run(struct store_tx *tx, void *arg)
{
    struct completed_job *j = arg;
    return store_credit_add(tx, j->member_id, STORE_CREDIT_COURSE, j->item_id, COURSE_POINTS,
                            j->at, &j->created);
}

static int completed_reply(void *arg, int rc, cJSON **out)
{
    const struct completed_job *j = arg;
    if (rc < 0)
        return rc;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "item_id", (double)j->item_id) ||
        !cJSON_AddNumberToObject(o, "member_id", (double)j->member_id) ||
        !cJSON_AddNumberToObject(o, "points", j->created ? COURSE_POINTS : 0) ||
        !cJSON_AddBoolToObject(o, "first", j->created))
        rc = -ENOMEM;
    return api_reply(o, rc, out);
}

/* 1 when POSITION_MS is far enough into a course of DURATION_S to count as watched. */
static int watched_to_the_end(int64_t position_ms, int duration_s)
{
    if (duration_s <= 0)
        return 0; /* unknown length: nothing to measure against */
    int64_t total_ms = (int64_t)duration_s * 1000;
    return position_ms * 1000 >= total_ms * COMPLETE_PERMILLE ||
           position_ms >= total_ms - (int64_t)COMPLETE_SLACK_S * 1000;
}

static int course_completed(const struct caller *who, const struct api_request *req,
                            cJSON **out)
{
    int64_t id = 0;
    cJSON *body = NULL;
    int rc = api_target_id(req, "item_id", &id, out);
    if (rc == 0)
        rc = api_body_fields(req, completed_fields, 1, &body, out);
    if (rc < 0)
        return rc;
    int64_t member_id = api_json_int(body, "member_id", 0);
    cJSON_Delete(body);

    /* The course must be one this box may see. */
    struct store_scope scope = { who->village_id, who->township_id };
    struct store_item it;
    rc = store_item_get(req->store, &scope, req->now, id, &it);
    store_item_fini(&it);
    struct store_course c;
    if (rc == 0)
        rc = store_course_get(req->store, id, &c);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such course");
    if (rc < 0)
        return rc;
    rc = api_household_member(who, req, member_id,
                              "only a box of the member's own household may report their study",
                              NULL, out);
    if (rc < 0)
        return rc;
    int64_t position_ms = 0;
    time_t updated = 0;
    rc = store_resume_get(req->store, who->household_id, id, &position_ms, &updated);
    if (rc < 0 && rc != -ENOENT)
        return rc;
    if (!watched_to_the_end(position_ms, c.duration_s))
        return api_fail_code(out, -EEXIST, "not_finished",
                             "the household has not watched this course to the end");
    struct completed_job *j = malloc(sizeof(*j));
    if (!j)
        return -ENOMEM;
    *j = (struct completed_job){ .member_id = member_id, .item_id = id, .at = req->now };
    const struct api_deferred d = { completed_run, completed_reply, free, j };
    return api_defer(req, &d, out);
}
