/* A course's quiz from the dashboard: checked field by field, written as its own study item (a
 * 测验 or 考试 that the box opens on its form screen) with questions and options. */
#include "api/quiz_spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"

enum { PASS_MARK_DEFAULT = 60 };

static const struct api_field QUIZ_FIELDS[] = {
    { "type", API_STR, 1, 1, 7 },
    { "title", API_STR, 0, 1, STORE_TITLE_MAX - 1 },
    { "pass_mark", API_INT, 0, 0, 100 },
    { "time_limit_s", API_INT, 0, QUIZ_LIMIT_MIN_S, QUIZ_LIMIT_MAX_S },
    { "questions", API_ARRAY, 1, 1, QUIZ_QUESTIONS_MAX },
};
static const struct api_field QUESTION_FIELDS[] = {
    { "prompt", API_STR, 1, 1, STORE_TITLE_MAX - 1 },
    { "multiple", API_BOOL, 0, 0, 0 },
    { "options", API_ARRAY, 1, 2, QUIZ_OPTIONS_MAX },
};
static const struct api_field OPTION_FIELDS[] = {
    { "label", API_STR, 1, 1, STORE_TITLE_MAX - 1 },
    { "correct", API_BOOL, 0, 0, 0 },
};

/* Prefix the message of a failed check in *ERR with WHERE ("quiz.questions[2]"). */
static int named(cJSON **err, int rc, const char *where)
{
    if (!err || !*err)
        return rc;
    cJSON *m = cJSON_GetObjectItemCaseSensitive(*err, "message");
    char msg[300];
    snprintf(msg, sizeof(msg), "%s.%s", where, cJSON_IsString(m) ? m->valuestring : "bad value");
    cJSON_Delete(*err);
    *err = NULL;
    return api_fail(err, rc, msg);
}

static int bad(cJSON **err, const char *where, const char *what)
{
    char msg[300];
    snprintf(msg, sizeof(msg), "%s.%s", where, what);
    return api_fail(err, -EINVAL, msg);
}

static int parse_question(const cJSON *obj, int n, struct quiz_question *q, cJSON **err)
{
    char where[48];
    snprintf(where, sizeof(where), "quiz.questions[%d]", n);
    if (!cJSON_IsObject(obj))
        return api_fail(err, -EINVAL, "quiz.questions: each question must be an object");
    int rc = api_json_check(obj, QUESTION_FIELDS,
                            (int)(sizeof(QUESTION_FIELDS) / sizeof(QUESTION_FIELDS[0])), err);
    if (rc < 0)
        return named(err, rc, where);
    q->prompt = api_json_str(obj, "prompt");
    q->multiple = api_json_bool(obj, "multiple", 0);
    int right = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(obj, "options"))
    {
        char at[64];
        snprintf(at, sizeof(at), "quiz.questions[%d].options[%d]", n, q->n_options + 1);
        if (!cJSON_IsObject(o))
            return bad(err, where, "options: each option must be {label, correct}");
        rc = api_json_check(o, OPTION_FIELDS,
                            (int)(sizeof(OPTION_FIELDS) / sizeof(OPTION_FIELDS[0])), err);
        if (rc < 0)
            return named(err, rc, at);
        struct quiz_option *opt = &q->options[q->n_options++];
        opt->label = api_json_str(o, "label");
        opt->correct = api_json_bool(o, "correct", 0);
        right += opt->correct;
        for (int k = 0; k < q->n_options - 1; k++)
            if (strcmp(q->options[k].label, opt->label) == 0)
                return bad(err, at, "label: two options read the same");
    }
    if (right == 0)
        return bad(err, where, "options: mark the right option (correct: true)");
    if (!q->multiple && right > 1)
        return bad(err, where, "options: one right option only, or set multiple: true");
    return 0;
}

int quiz_spec_parse(const cJSON *obj, const char *course_title, struct quiz_spec *q, cJSON **err)
{
    memset(q, 0, sizeof(*q));
    if (!cJSON_IsObject(obj))
        return api_fail(err, -EINVAL, "quiz: must be an object");
    int rc = api_json_check(obj, QUIZ_FIELDS,
                            (int)(sizeof(QUIZ_FIELDS) / sizeof(QUIZ_FIELDS[0])), err);
    if (rc < 0)
        return named(err, rc, "quiz");
    const char *type = api_json_str(obj, "type");
    if (strcmp(type, "quiz") != 0 && strcmp(type, "exam") != 0)
        return bad(err, "quiz", "type: quiz (练习测验) or exam (考试, earns credits)");
    snprintf(q->type, sizeof(q->type), "%s", type);
    q->pass_mark = (int)api_json_int(obj, "pass_mark", PASS_MARK_DEFAULT);
    q->time_limit_s = (int)api_json_int(obj, "time_limit_s", 0);
    if (q->time_limit_s && strcmp(type, "exam") != 0)
        return bad(err, "quiz", "time_limit_s: only an exam has a time limit");
    const char *title = api_json_str(obj, "title");
    const char *head = strcmp(type, "exam") == 0 ? "课后考试：" : "课后测验：";
    if (!title && strlen(head) + strlen(course_title) >= sizeof(q->title))
        return bad(err, "quiz", "title: the course's title is too long to name the quiz by it");
    snprintf(q->title, sizeof(q->title), "%s%s", title ? "" : head, title ? title : course_title);
    const cJSON *qs = cJSON_GetObjectItemCaseSensitive(obj, "questions");
    q->questions = calloc((size_t)cJSON_GetArraySize(qs), sizeof(*q->questions));
    if (!q->questions)
        return -ENOMEM;
    const cJSON *it;
    cJSON_ArrayForEach(it, qs)
    {
        rc = parse_question(it, q->n_questions + 1, &q->questions[q->n_questions], err);
        if (rc < 0)
            return rc;
        q->n_questions++;
    }
    return 0;
}

void quiz_spec_fini(struct quiz_spec *q)
{
    if (!q)
        return;
    free(q->questions);
    q->questions = NULL;
    q->n_questions = 0;
}

static const char *kind_of(const struct quiz_spec *q)
{
    return strcmp(q->type, "exam") == 0 ? "考试" : "测验";
}

int quiz_spec_write(struct store_tx *tx, struct quiz_spec *q, int64_t org_id, time_t when)
{
    char body[160];
    snprintf(body, sizeof(body), "共%d道题，用遥控器数字键作答，%d分及格。", q->n_questions,
             q->pass_mark);
    struct store_content_new c = { .org_id = org_id, .section = "study", .kind = kind_of(q),
                                   .title = q->title, .body = body, .published_at = when };
    int rc = store_content_add(tx, &c, &q->id);
    if (rc == 0)
        rc = store_quiz_set(tx, q->id, q->type, q->pass_mark, q->time_limit_s);
    for (int i = 0; rc == 0 && i < q->n_questions; i++) {
        const struct quiz_question *qu = &q->questions[i];
        int64_t qid = 0;
        rc = store_question_add(tx, q->id, i + 1, qu->prompt, qu->multiple, &qid);
        for (int k = 0; rc == 0 && k < qu->n_options; k++)
            rc = store_option_add(tx, qid, k + 1, qu->options[k].label, qu->options[k].correct,
                                  NULL);
    }
    return rc;
}

cJSON *quiz_spec_json(const struct quiz_spec *q)
{
    cJSON *j = cJSON_CreateObject();
    int ok = j && cJSON_AddNumberToObject(j, "id", (double)q->id) &&
             cJSON_AddStringToObject(j, "kind", kind_of(q)) &&
             cJSON_AddStringToObject(j, "title", q->title) &&
             cJSON_AddStringToObject(j, "type", q->type) &&
             cJSON_AddNumberToObject(j, "pass_mark", q->pass_mark) &&
             (q->time_limit_s ? cJSON_AddNumberToObject(j, "time_limit_s", q->time_limit_s) != NULL
                              : cJSON_AddNullToObject(j, "time_limit_s") != NULL) &&
             cJSON_AddNumberToObject(j, "questions", q->n_questions);
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}
