/* A course with its quiz, published by township staff from the dashboard in one request: the
 * course is the item JSON of api/item_spec.c (kind 课程 or 致富信息), its quiz or exam the
 * "quiz" object of api/quiz_spec.c. Both are written in one transaction, so a box never sees
 * a course whose quiz failed to save. */
#define LOG_TAG "api"
#include <errno.h>
#include <string.h>

#include "api/api.h"
#include "api/catalogue_event.h"
#include "api/input.h"
#include "api/item_spec.h"
#include "api/quiz_spec.h"
#include "log.h"
#include "store/store.h"

static int create(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_staff_course_routes[] = {
    { "POST", "/api/v1/staff/courses", ACCESS_STAFF, create },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

struct course_job {
    struct item_spec course;
    struct quiz_spec quiz;
    int has_quiz;
};

static int course_run(struct store_tx *tx, void *arg)
{
    struct course_job *j = arg;
    int rc = item_spec_write(tx, &j->course);
    if (rc == 0 && j->has_quiz)
        rc = quiz_spec_write(tx, &j->quiz, j->course.c.org_id, j->course.c.published_at);
    return rc;
}

static cJSON *reply_of(const struct course_job *j)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *course = item_spec_json(&j->course);
    cJSON *quiz = j->has_quiz ? quiz_spec_json(&j->quiz) : cJSON_CreateNull();
    if (!o || !course || !quiz) {
        cJSON_Delete(o);
        cJSON_Delete(course);
        cJSON_Delete(quiz);
        return NULL;
    }
    cJSON_AddItemToObject(o, "course", course);
    cJSON_AddItemToObject(o, "quiz", quiz);
    return o;
}

/* The course's kind: 课程 when the body names none; only the study kinds may carry a quiz. */
static int course_kind(cJSON *body, cJSON **out)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(body, "kind");
    if (!kind)
        return cJSON_AddStringToObject(body, "kind", "课程") ? 0 : -ENOMEM;
    if (cJSON_IsString(kind) &&
        (strcmp(kind->valuestring, "课程") == 0 || strcmp(kind->valuestring, "致富信息") == 0))
        return 0;
    return api_fail(out, -EINVAL, "kind: a course is 课程 or 致富信息");
}

static int create(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL, *quiz = NULL;
    struct course_job j = { .has_quiz = 0 };
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    rc = api_body_json(req, &body);
    if (rc < 0)
        return api_fail(out, rc, rc == -EBADMSG ? "the body is not valid JSON"
                                                : "the body must be a JSON object");
    quiz = cJSON_DetachItemFromObjectCaseSensitive(body, "quiz");
    rc = course_kind(body, out);
    if (rc == 0)
        rc = item_spec_parse(body, ITEM_SPEC_ADMIN, req->store, who->township_id, req->now,
                             &j.course, out);
    if (rc == 0 && quiz) {
        j.has_quiz = 1;
        rc = quiz_spec_parse(quiz, j.course.c.title, &j.quiz, out);
    }
    if (rc == 0)
        rc = store_write(req->store, course_run, &j);
    if (rc == 0) {
        log_info("account %lld published course %lld with quiz %lld",
                 (long long)who->account_id, (long long)j.course.id, (long long)j.quiz.id);
        catalogue_event_publish(req->events, req->store, j.course.c.org_id, j.course.section,
                                j.course.id, CATALOGUE_ADDED);
        *out = reply_of(&j);
        rc = *out ? 0 : -ENOMEM;
    }
    quiz_spec_fini(&j.quiz);
    item_spec_fini(&j.course);
    cJSON_Delete(quiz);
    cJSON_Delete(body);
    return rc;
}
