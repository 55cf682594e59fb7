/* Forms a member answers on the TV: a questionnaire (党风评议), a quiz or an exam. The model
 * comes from an item's "form" (GET /api/v1/items/{id}); answers go to
 * POST /api/v1/questionnaires/{id}/responses or POST /api/v1/quizzes/{id}/attempts, and a
 * quiz's score comes back. Parsers are pure (no I/O) and strict like net/jcheck.h. */
#ifndef DJTV_FORM_H
#define DJTV_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "net/api.h"

enum {
    FORM_QUESTIONS_MAX = 50, /* the server's own cap */
    FORM_OPTIONS_MAX = 9,    /* digits 1-9 choose; more would not fit one page anyway */
    FORM_PROMPT_MAX = 512,
    API_FORM_SUBMIT = 100,   /* net kind of an answer sent (enum api_kind goes on from 1) */
};

enum form_type { FORM_QUESTIONNAIRE, FORM_QUIZ, FORM_EXAM };

struct form_option {
    int64_t id;
    char label[API_TITLE_MAX];
};

struct form_question {
    int64_t id;
    char prompt[FORM_PROMPT_MAX];
    int multiple; /* any number of options (at least one); else exactly one */
    int stars;    /* a 1-5 star rating: five options labelled "1星" … "5星" */
    struct form_option options[FORM_OPTIONS_MAX];
    int n_options;
};

struct form_model {
    int64_t item_id;
    char title[API_TITLE_MAX];
    enum form_type type;
    int anonymous;     /* questionnaires: nothing links the answer to the member */
    int pass_mark;     /* quizzes: percent */
    int time_limit_s;  /* exams: 0 = no limit */
    struct form_question *questions; /* owned, n_questions */
    int n_questions;
    /* Questionnaires: the household's members who have answered already (once each). */
    int64_t answered_by[API_MEMBERS_MAX];
    int n_answered_by;
};

/* Which options a member chose for one question: bit i = option i. 0 = not answered. */
typedef uint32_t form_choice;

/* Parse an item reply that has a form. Returns 0, -ENOENT when the item has no form, or
 * -EINVAL with a reason in err. On error nothing to free. */
int form_parse_item(const char *json, struct form_model *out, char *err, size_t errlen);
void form_model_free(struct form_model *f);

/* 1 if member_id has answered the questionnaire already. */
int form_answered_by(const struct form_model *f, int64_t member_id);

/* 1 when choice is a complete answer to q (one option, or at least one when multiple). */
int form_choice_complete(const struct form_question *q, form_choice c);

/* Send the answers of member_id (choices[n_questions]). A quiz may leave questions out
 * (choice 0: scored wrong — the time of an exam ran out); a questionnaire may not. Durable:
 * without a server the answers wait in the outbox (the result says queued) and are sent,
 * once, when it is back. Returns the serial or a negative errno. */
int64_t api_form_submit(struct net *n, const struct form_model *f, int64_t member_id,
                        const form_choice *choices);

/* A quiz's or exam's score (the reply of api_form_submit for a quiz). */
struct form_score {
    int score;     /* percent */
    int correct, questions, pass_mark;
    int passed;
    int credited;  /* this attempt earned the exam's credits */
};
int form_parse_score(const char *json, struct form_score *out, char *err, size_t errlen);

#endif
