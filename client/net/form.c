/* Forms: parse an item's "form", send the answers, parse a quiz's score (see form.h). */
#include "net/form.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/jcheck.h"

/* A question of five options "1星" … "5星" is drawn as a star rating. */
static int is_star_rating(const struct form_question *q)
{
    if (q->multiple || q->n_options != 5)
        return 0;
    for (int i = 0; i < 5; i++) {
        char want[16];
        snprintf(want, sizeof(want), "%d星", i + 1);
        if (strncmp(q->options[i].label, want, strlen(want)) != 0)
            return 0;
    }
    return 1;
}

static int parse_bool(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                      int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v || cJSON_IsNull(v)) {
        *out = 0;
        return 0;
    }
    if (!cJSON_IsBool(v))
        return jcheck_fail(c, "%s.%s: expected true or false, got %s", path, name,
                           jcheck_type(v));
    *out = cJSON_IsTrue(v);
    return 0;
}

static int parse_question(struct jcheck *c, const cJSON *q, const char *path,
                          struct form_question *out)
{
    const cJSON *opts, *o;
    int n = 0;
    char opath[96];
    int r = jcheck_int(c, q, "id", path, 1, JCHECK_INT_LIMIT, &out->id);
    if (r == 0)
        r = jcheck_string(c, q, "prompt", path, out->prompt, sizeof(out->prompt));
    if (r == 0)
        r = parse_bool(c, q, "multiple", path, &out->multiple);
    if (r == 0)
        r = jcheck_array(c, q, "options", path, FORM_OPTIONS_MAX, &opts, &n);
    if (r == 0 && n < 1)
        r = jcheck_fail(c, "%s.options: a question needs options", path);
    char apath[80];
    snprintf(apath, sizeof(apath), "%s.options", path);
    for (int i = 0; r == 0 && i < n; i++) {
        r = jcheck_entry(c, opts, i, apath, opath, sizeof(opath), &o);
        if (r == 0)
            r = jcheck_int(c, o, "id", opath, 1, JCHECK_INT_LIMIT, &out->options[i].id);
        if (r == 0)
            r = jcheck_string(c, o, "label", opath, out->options[i].label,
                              sizeof(out->options[i].label));
    }
    out->n_options = n;
    out->stars = r == 0 && is_star_rating(out);
    return r;
}

int form_parse_item(const char *json, struct form_model *out, char *err, size_t errlen)
{
    struct jcheck c;
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *f = NULL, *qs = NULL;
    char type[32] = "";
    int64_t pass = 0, limit = 0;
    int n = 0;
    int r = jcheck_int(&c, root, "id", "", 1, JCHECK_INT_LIMIT, &out->item_id);
    if (r == 0)
        r = jcheck_string(&c, root, "title", "", out->title, sizeof(out->title));
    if (r == 0)
        r = jcheck_object_opt(&c, root, "form", "", &f);
    if (r == 0 && !f) {
        cJSON_Delete(root);
        return -ENOENT;
    }
    if (r == 0)
        r = jcheck_string(&c, f, "type", "form", type, sizeof(type));
    if (r == 0) {
        if (strcmp(type, "questionnaire") == 0)
            out->type = FORM_QUESTIONNAIRE;
        else if (strcmp(type, "quiz") == 0)
            out->type = FORM_QUIZ;
        else if (strcmp(type, "exam") == 0)
            out->type = FORM_EXAM;
        else
            r = jcheck_fail(&c, "form.type: unknown \"%s\"", type);
    }
    if (r == 0)
        r = parse_bool(&c, f, "anonymous", "form", &out->anonymous);
    if (r == 0)
        r = jcheck_int_opt(&c, f, "pass_mark", "form", 0, 100, 0, &pass);
    if (r == 0)
        r = jcheck_int_opt(&c, f, "time_limit_s", "form", 0, 86400, 0, &limit);
    const cJSON *by = NULL;
    int n_by = 0;
    if (r == 0 && cJSON_GetObjectItemCaseSensitive(f, "answered_by"))
        r = jcheck_array(&c, f, "answered_by", "form", API_MEMBERS_MAX, &by, &n_by);
    for (int i = 0; r == 0 && i < n_by; i++) {
        const cJSON *v = cJSON_GetArrayItem(by, i);
        double d = cJSON_IsNumber(v) ? v->valuedouble : 0;
        if (d < 1 || d > JCHECK_INT_LIMIT || d != (double)(int64_t)d)
            r = jcheck_fail(&c, "form.answered_by[%d]: expected a member id", i);
        else
            out->answered_by[out->n_answered_by++] = (int64_t)d;
    }
    if (r == 0)
        r = jcheck_array(&c, f, "questions", "form", FORM_QUESTIONS_MAX, &qs, &n);
    if (r == 0 && n > 0) {
        out->questions = calloc((size_t)n, sizeof(*out->questions));
        if (!out->questions)
            r = -ENOMEM;
    }
    char qpath[64];
    for (int i = 0; r == 0 && i < n; i++) {
        const cJSON *q;
        r = jcheck_entry(&c, qs, i, "form.questions", qpath, sizeof(qpath), &q);
        if (r == 0)
            r = parse_question(&c, q, qpath, &out->questions[i]);
    }
    cJSON_Delete(root);
    if (r < 0) {
        form_model_free(out);
        return r;
    }
    out->n_questions = n;
    out->pass_mark = (int)pass;
    out->time_limit_s = out->type == FORM_QUESTIONNAIRE ? 0 : (int)limit;
    return 0;
}

void form_model_free(struct form_model *f)
{
    if (!f)
        return;
    free(f->questions);
    f->questions = NULL;
    f->n_questions = 0;
}

int form_answered_by(const struct form_model *f, int64_t member_id)
{
    for (int i = 0; i < f->n_answered_by; i++)
        if (f->answered_by[i] == member_id)
            return 1;
    return 0;
}

int form_choice_complete(const struct form_question *q, form_choice c)
{
    form_choice all = q->n_options >= 32 ? ~0u : (1u << q->n_options) - 1;
    if (c == 0 || (c & ~all))
        return 0;
    return q->multiple || (c & (c - 1)) == 0;
}

int64_t api_form_submit(struct net *n, const struct form_model *f, int64_t member_id,
                        const form_choice *choices)
{
    if (!n || !f || !choices || member_id <= 0 || f->item_id <= 0)
        return -EINVAL;
    cJSON *body = cJSON_CreateObject();
    cJSON *answers = body ? cJSON_AddArrayToObject(body, "answers") : NULL;
    int64_t rc = answers && cJSON_AddNumberToObject(body, "member_id", (double)member_id)
                     ? 0 : -ENOMEM;
    for (int q = 0; rc == 0 && q < f->n_questions; q++) {
        const struct form_question *qu = &f->questions[q];
        if (f->type == FORM_QUESTIONNAIRE && !form_choice_complete(qu, choices[q])) {
            rc = -EINVAL;
            break;
        }
        cJSON *a = cJSON_CreateObject();
        cJSON *ids = a ? cJSON_AddArrayToObject(a, "option_ids") : NULL;
        if (!ids || !cJSON_AddNumberToObject(a, "question_id", (double)qu->id)) {
            cJSON_Delete(a);
            rc = -ENOMEM;
            break;
        }
        cJSON_AddItemToArray(answers, a);
        for (int i = 0; i < qu->n_options; i++) {
            if (!(choices[q] & (1u << i)))
                continue;
            cJSON *id = cJSON_CreateNumber((double)qu->options[i].id);
            if (!id) {
                rc = -ENOMEM;
                break;
            }
            cJSON_AddItemToArray(ids, id);
        }
    }
    char *text = rc == 0 ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (rc < 0)
        return rc;
    if (!text)
        return -ENOMEM;
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/%s/%" PRId64 "/%s",
             f->type == FORM_QUESTIONNAIRE ? "questionnaires" : "quizzes", f->item_id,
             f->type == FORM_QUESTIONNAIRE ? "responses" : "attempts");
    /* Durable, with the outbox's idempotency key in the body: answers given offline are sent
     * when the server is back, and a resend after a lost reply is scored once. */
    rc = net_request_durable(n, "POST", path, text, API_FORM_SUBMIT, 1);
    cJSON_free(text);
    return rc;
}

int form_parse_score(const char *json, struct form_score *out, char *err, size_t errlen)
{
    struct jcheck c;
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    int64_t v[4] = { 0 };
    static const char *const names[4] = { "score", "correct", "questions", "pass_mark" };
    int r = 0;
    for (int i = 0; r == 0 && i < 4; i++)
        r = jcheck_int(&c, root, names[i], "", 0, i == 0 || i == 3 ? 100 : 1000, &v[i]);
    if (r == 0)
        r = parse_bool(&c, root, "passed", "", &out->passed);
    if (r == 0)
        r = parse_bool(&c, root, "credited", "", &out->credited);
    cJSON_Delete(root);
    if (r < 0)
        return r;
    out->score = (int)v[0];
    out->correct = (int)v[1];
    out->questions = (int)v[2];
    out->pass_mark = (int)v[3];
    return 0;
}
