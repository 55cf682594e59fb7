/* A course's quiz or exam as staff write it on the dashboard: its questions with their options
 * and which options are right, checked strictly (every refusal names the field, such as
 * "quiz.questions[2].options: ..."), and written as a study item with its form in the store job
 * of the caller. See server/API.md "POST /api/v1/staff/courses". */
#ifndef DJTV_API_QUIZ_SPEC_H
#define DJTV_API_QUIZ_SPEC_H

#include <cJSON.h>
#include <stdint.h>

#include "store/store.h"

enum {
    QUIZ_QUESTIONS_MAX = 50,
    QUIZ_OPTIONS_MAX = 10,
    QUIZ_LIMIT_MIN_S = 10,     /* an exam's time limit, as the quizzes table allows */
    QUIZ_LIMIT_MAX_S = 10800,
};

struct quiz_option {
    const char *label; /* borrowed from the JSON */
    int correct;
};

struct quiz_question {
    const char *prompt; /* borrowed from the JSON */
    int multiple;
    struct quiz_option options[QUIZ_OPTIONS_MAX];
    int n_options;
};

struct quiz_spec {
    char type[8];              /* "quiz" or "exam" */
    char title[STORE_TITLE_MAX];
    int pass_mark;             /* percent */
    int time_limit_s;          /* exams: 0 = no limit */
    struct quiz_question *questions; /* owned, n_questions entries */
    int n_questions;
    int64_t id;                /* out: the quiz item written */
};

/* Check OBJ (the "quiz" object) for the course titled COURSE_TITLE and fill OUT (free with
 * quiz_spec_fini, also after an error; strings stay borrowed from OBJ). -EINVAL with
 * {"message": "quiz...: reason"} in *ERR, or -ENOMEM. */
int quiz_spec_parse(const cJSON *obj, const char *course_title, struct quiz_spec *out,
                    cJSON **err);
void quiz_spec_fini(struct quiz_spec *q);

/* In a store job: add the quiz as a study item of ORG_ID published at WHEN, with its form.
 * Fills q->id. */
int quiz_spec_write(struct store_tx *tx, struct quiz_spec *q, int64_t org_id, time_t when);

/* The quiz as written: {id, kind, title, type, pass_mark, time_limit_s, questions}. */
cJSON *quiz_spec_json(const struct quiz_spec *q);

#endif
