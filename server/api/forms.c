/* Answering from a box: a questionnaire (党风评议) or a quiz or exam, for one member of the
 * household. Every question must be answered once: one option, or one or more for a
 * multiple-choice question.
 *
 * Anonymous questionnaires store no link from answer to member: the answer is only a vote
 * counter on each chosen option (no row per answer, no time), and a separate ballot row holds
 * SHA-256(salt of the questionnaire ":" item ":" member) to refuse a second vote. The ballot
 * says who has voted (as a paper voter roll does), never how. Named questionnaires keep who
 * answered what. Quizzes are scored by the server; passing an exam earns credits. */
#define LOG_TAG "api"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"

enum { EXAM_POINTS = 2, CHOICES_MAX = 600 };

static int answer_questionnaire(const struct caller *who, const struct api_request *req,
                                cJSON **out);
static int attempt_quiz(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_form_routes[] = {
    { "POST", "/api/v1/questionnaires/{id}/responses", ACCESS_BOX, answer_questionnaire },
    { "POST", "/api/v1/quizzes/{id}/attempts", ACCESS_BOX, attempt_quiz },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

/* Answers may carry the box's idempotency key: its offline outbox may send them twice. */
static const struct api_field answer_fields[] = {
    { "member_id", API_ID, 1, 0, 0 },
    { "answers", API_ARRAY, 1, 1, 200 },
    { "idempotency_key", API_STR, 0, 8, STORE_IDEM_KEY_MAX - 1 },
};
/* An empty option_ids is a quiz question left unanswered (scored wrong): what a box sends
 * when an exam's time runs out. A questionnaire needs every question answered. */
static const struct api_field one_answer_fields[] = {
    { "question_id", API_ID, 1, 0, 0 },
    { "option_ids", API_ARRAY, 1, 0, 30 },
};

/* The checked submission: option ids chosen, per question in the form's order. */
struct submission {
    struct store_form form;
    int64_t member_id;
    int64_t *chosen; /* owned: n_chosen option ids, grouped by question */
    int n_chosen;
    int *first;      /* owned: first[q] = index in chosen of question q's options; [n] = end */
    char key[STORE_IDEM_KEY_MAX]; /* the box's idempotency key, "" = none */
};

static void submission_fini(struct submission *s)
{
    store_form_fini(&s->form);
    free(s->chosen);
    free(s->first);
}

/* The option of question Q with id ID, or NULL. */
static const struct store_option *option_of(const struct store_question *q, int64_t id)
{
    for (int i = 0; i < q->n_options; i++)
        if (q->options[i].id == id)
            return &q->options[i];
    return NULL;
}

/* Check ANSWERS against the form: each question once, each option of its question, the right
 * number of options. Fills s->chosen/first in question order. */
static int check_answers(struct submission *s, const cJSON *answers, cJSON **err)
{
    const struct store_form *f = &s->form;
    int nq = f->n_questions;
    if (cJSON_GetArraySize(answers) != nq)
        return api_fail(err, -EINVAL, "answers: answer every question once");
    s->first = calloc((size_t)nq + 1, sizeof(*s->first));
    s->chosen = calloc(CHOICES_MAX, sizeof(*s->chosen));
    if (!s->first || !s->chosen)
        return -ENOMEM;
    for (int q = 0; q < nq; q++) {
        const struct store_question *qu = &f->questions[q];
        const cJSON *a = NULL, *it;
        cJSON_ArrayForEach(it, answers)
        {
            int rc = api_json_check(it, one_answer_fields, 2, err);
            if (rc < 0)
                return rc;
            if (api_json_int(it, "question_id", 0) == qu->id) {
                if (a)
                    return api_fail(err, -EINVAL, "answers: a question is answered twice");
                a = it;
            }
        }
        if (!a)
            return api_fail(err, -EINVAL, "answers: a question is not answered");
        const cJSON *ids = cJSON_GetObjectItemCaseSensitive(a, "option_ids");
        int n = cJSON_GetArraySize(ids);
        if (n == 0 && strcmp(f->type, "questionnaire") == 0)
            return api_fail(err, -EINVAL, "answers: choose an option for every question");
        if (!qu->multiple && n > 1)
            return api_fail(err, -EINVAL, "answers: choose one option for this question");
        s->first[q] = s->n_chosen;
        cJSON_ArrayForEach(it, ids)
        {
            double d = cJSON_IsNumber(it) ? it->valuedouble : 0;
            int64_t id = d >= 1 && d <= 9007199254740992.0 && d == (double)(int64_t)d
                             ? (int64_t)d : 0;
            if (!id || !option_of(qu, id))
                return api_fail(err, -EINVAL, "answers: an option is not of its question");
            for (int k = s->first[q]; k < s->n_chosen; k++)
                if (s->chosen[k] == id)
                    return api_fail(err, -EINVAL, "answers: an option is chosen twice");
            if (s->n_chosen == CHOICES_MAX)
                return api_fail(err, -EINVAL, "answers: too many options chosen");
            s->chosen[s->n_chosen++] = id;
        }
    }
    s->first[nq] = s->n_chosen;
    return 0;
}

/* Parse and check a submission for item ID of TYPE ("questionnaire" or a quiz). */
static int load(const struct caller *who, const struct api_request *req, int quiz,
                struct submission *s, cJSON **out)
{
    int64_t id = 0;
    cJSON *body = NULL;
    memset(s, 0, sizeof(*s));
    int rc = api_target_id(req, "id", &id, out);
    if (rc == 0)
        rc = api_body_fields(req, answer_fields, 3, &body, out);
    if (rc < 0)
        return rc;
    const char *key = api_json_str(body, "idempotency_key");
    if (key && !api_idem_key_ok(key)) {
        cJSON_Delete(body);
        return api_fail(out, -EINVAL, "idempotency_key: letters, digits, - and _ only");
    }
    snprintf(s->key, sizeof(s->key), "%s", key ? key : "");
    struct store_scope scope = { who->village_id, who->township_id };
    struct store_item it;
    rc = store_item_get(req->store, &scope, req->now, id, &it);
    store_item_fini(&it);
    if (rc == 0)
        rc = store_form_get(req->store, id, &s->form);
    if (rc == 0 && (strcmp(s->form.type, "questionnaire") == 0) == quiz)
        rc = -ENOENT;
    if (rc == -ENOENT)
        rc = api_fail(out, rc, quiz ? "no such quiz" : "no such questionnaire");
    s->member_id = api_json_int(body, "member_id", 0);
    if (rc == 0)
        rc = api_household_member(who, req, s->member_id,
                                  "only a member of this household can answer here", NULL,
                                  out);
    if (rc == 0)
        rc = check_answers(s, cJSON_GetObjectItemCaseSensitive(body, "answers"), out);
    cJSON_Delete(body);
    return rc;
}

struct answer_job {
    const struct submission *s; /* borrowed */
    int64_t box_id, household_id;
    time_t at;
    char voter_hash[STORE_HASH_HEX]; /* anonymous only */
    int repeat;    /* out: the box sent this answer before (same key): taken then */
    int key_clash; /* out: the box used the key for something else */
};

static int answer_run(struct store_tx *tx, void *arg)
{
    struct answer_job *j = arg;
    const struct submission *s = j->s;
    int64_t response = 0;
    j->repeat = j->key_clash = 0; /* a write may run again after a busy database */
    int rc = s->key[0] ? store_response_key(tx, j->box_id, j->household_id, s->key,
                                            s->form.content_id)
                       : 0;
    if (rc == 1) {
        j->repeat = 1;
        return 0;
    }
    j->key_clash = rc == -EEXIST;
    if (rc == 0)
        rc = s->form.anonymous
                 ? store_ballot_add(tx, s->form.content_id, j->voter_hash)
                 : store_response_add(tx, s->form.content_id, s->member_id, j->box_id,
                                      j->at, &response);
    for (int i = 0; rc == 0 && i < s->n_chosen; i++) {
        rc = store_option_vote(tx, s->chosen[i]);
        if (rc == 0 && !s->form.anonymous)
            rc = store_response_choice_add(tx, response, s->chosen[i]);
    }
    return rc;
}

void api_form_voter_hash(const struct store_form *f, int64_t member_id, char out[STORE_HASH_HEX])
{
    char text[160];
    unsigned char h[crypto_hash_sha256_BYTES];
    int n = snprintf(text, sizeof(text), "%s:%lld:%lld", f->ballot_salt,
                     (long long)f->content_id, (long long)member_id);
    crypto_hash_sha256(h, (const unsigned char *)text, (unsigned long long)n);
    sodium_bin2hex(out, STORE_HASH_HEX, h, sizeof(h));
}

static int answer_questionnaire(const struct caller *who, const struct api_request *req,
                                cJSON **out)
{
    struct submission s;
    int rc = load(who, req, 0, &s, out);
    struct answer_job j = { .s = &s, .box_id = who->box_id, .household_id = who->household_id,
                            .at = req->now };
    if (rc == 0 && s.form.anonymous)
        api_form_voter_hash(&s.form, s.member_id, j.voter_hash);
    if (rc == 0)
        rc = store_write(req->store, answer_run, &j);
    if (rc == -EEXIST && j.key_clash)
        rc = api_fail(out, rc, "idempotency_key: this box used it for something else");
    else if (rc == -EEXIST)
        rc = api_fail_code(out, rc, "already_answered", "this member has already answered");
    if (rc == 0 && j.repeat)
        log_info("box %lld sent questionnaire answer %s again: taken once",
                 (long long)who->box_id, s.key);
    if (rc == 0) {
        *out = cJSON_CreateObject();
        if (!*out || !cJSON_AddNumberToObject(*out, "questionnaire_id",
                                              (double)s.form.content_id) ||
            !cJSON_AddBoolToObject(*out, "accepted", 1) ||
            !cJSON_AddBoolToObject(*out, "anonymous", s.form.anonymous))
            rc = -ENOMEM;
    }
    submission_fini(&s);
    return rc;
}

struct attempt_job {
    struct store_attempt a;
    int exam;
    int credited; /* out */
    int repeat;   /* out: the box sent this attempt before (same key): scored then */
};

static int attempt_run(struct store_tx *tx, void *arg)
{
    struct attempt_job *j = arg;
    j->repeat = j->credited = 0; /* a write may run again after a busy database */
    int rc = store_attempt_add(tx, &j->a, NULL);
    if (rc == 1) {
        j->repeat = 1;
        return 0;
    }
    if (rc == 0 && j->a.passed && j->exam)
        rc = store_credit_add(tx, j->a.member_id, STORE_CREDIT_EXAM, j->a.content_id,
                              EXAM_POINTS, j->a.at, &j->credited);
    return rc;
}

/* 1 when the options chosen for question Q are exactly its right ones. */
static int right(const struct submission *s, int q)
{
    const struct store_question *qu = &s->form.questions[q];
    int want = 0;
    for (int i = 0; i < qu->n_options; i++)
        want += qu->options[i].correct;
    if (want != s->first[q + 1] - s->first[q])
        return 0;
    for (int k = s->first[q]; k < s->first[q + 1]; k++)
        if (!option_of(qu, s->chosen[k])->correct)
            return 0;
    return 1;
}

static int attempt_reply(const struct submission *s, const struct attempt_job *j, cJSON **out)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "score", j->a.score) ||
        !cJSON_AddNumberToObject(o, "correct", j->a.correct) ||
        !cJSON_AddNumberToObject(o, "questions", j->a.questions) ||
        !cJSON_AddNumberToObject(o, "pass_mark", s->form.pass_mark) ||
        !cJSON_AddBoolToObject(o, "passed", j->a.passed) ||
        !cJSON_AddBoolToObject(o, "credited", j->credited))
        goto fail;
    cJSON *results = cJSON_AddArrayToObject(o, "results");
    if (!results)
        goto fail;
    for (int q = 0; q < s->form.n_questions; q++) {
        const struct store_question *qu = &s->form.questions[q];
        cJSON *r = cJSON_CreateObject();
        if (!r)
            goto fail;
        cJSON_AddItemToArray(results, r);
        cJSON *ids = cJSON_AddArrayToObject(r, "answer_option_ids");
        if (!ids || !cJSON_AddNumberToObject(r, "question_id", (double)qu->id) ||
            !cJSON_AddBoolToObject(r, "right", right(s, q)))
            goto fail;
        for (int i = 0; i < qu->n_options; i++) {
            cJSON *id = qu->options[i].correct ? cJSON_CreateNumber((double)qu->options[i].id)
                                               : NULL;
            if (qu->options[i].correct && !id)
                goto fail;
            if (id)
                cJSON_AddItemToArray(ids, id);
        }
    }
    *out = o;
    return 0;

fail:
    cJSON_Delete(o);
    return -ENOMEM;
}

static int attempt_quiz(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct submission s;
    int rc = load(who, req, 1, &s, out);
    if (rc == 0 && s.form.n_questions == 0)
        rc = api_fail(out, -ENOENT, "the quiz has no questions yet");
    struct attempt_job j = { .exam = rc == 0 && strcmp(s.form.type, "exam") == 0 };
    if (rc == 0) {
        int correct = 0;
        for (int q = 0; q < s.form.n_questions; q++)
            correct += right(&s, q);
        j.a = (struct store_attempt){ .content_id = s.form.content_id, .member_id = s.member_id,
                                      .box_id = who->box_id, .correct = correct,
                                      .questions = s.form.n_questions, .at = req->now,
                                      .household_id = who->household_id };
        snprintf(j.a.idempotency_key, sizeof(j.a.idempotency_key), "%s", s.key);
        j.a.score = correct * 100 / s.form.n_questions;
        j.a.passed = j.a.score >= s.form.pass_mark;
        rc = store_write(req->store, attempt_run, &j);
    }
    if (rc == -EEXIST)
        rc = api_fail(out, rc, "idempotency_key: this box used it for something else");
    if (rc == 0 && j.repeat)
        log_info("box %lld sent quiz attempt %s again: scored once", (long long)who->box_id,
                 s.key);
    if (rc == 0)
        rc = attempt_reply(&s, &j, out);
    submission_fini(&s);
    return rc;
}
