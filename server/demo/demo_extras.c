/* The optional parts of a demo content item, by kind: "course", "pioneer", "ledger", "dues",
 * "candidates" and "form"
 * (format: see content.json's _comment). Each is checked strictly; a bad one stops the demo
 * with a message naming the item. */
#define LOG_TAG "demo"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "demo/demo_internal.h"
#include "log.h"
#include "store/store.h"

enum {
    DAY = 86400,
    BEIJING_OFFSET = 8 * 3600,
    LEDGER_MAX = 200,
    ROWS_MAX = 200,
    QUESTIONS_MAX = 50,
    OPTIONS_MAX = 10,
    AMOUNT_MAX = 2000000000, /* fen: 20 million yuan a line is plenty for a village */
};

static int bad(const struct demo_ctx *c, const char *where, const char *what)
{
    log_error("%s: %s: %s", c->file, where, what);
    return -EINVAL;
}

/* An optional string (NULL when absent); -EINVAL when present and not a string. */
static int opt_str(const struct demo_ctx *c, const cJSON *o, const char *key, const char *where,
                   const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v)
        return 0;
    if (!cJSON_IsString(v))
        return bad(c, where, "an optional text is not a string");
    *out = v->valuestring;
    return 0;
}

static int opt_bool(const struct demo_ctx *c, const cJSON *o, const char *key, const char *where,
                    int def, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = def;
    if (!v)
        return 0;
    if (!cJSON_IsBool(v))
        return bad(c, where, "a flag is not true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

static int add_course(struct demo_ctx *c, const cJSON *o, const char *where, int64_t id)
{
    const char *cat = NULL, *poster = NULL, *media = NULL;
    struct store_course k = { .content_id = id };
    int rc = demo_json_str(c, o, "category", where, &cat);
    if (rc == 0)
        rc = demo_json_int(c, o, "duration_s", where, 1, 24 * 3600, &k.duration_s);
    if (rc == 0)
        rc = opt_str(c, o, "poster", where, &poster);
    if (rc == 0)
        rc = opt_str(c, o, "media_url", where, &media);
    if (rc < 0)
        return rc;
    snprintf(k.category, sizeof(k.category), "%s", cat);
    snprintf(k.poster, sizeof(k.poster), "%s", poster ? poster : "");
    snprintf(k.media_url, sizeof(k.media_url), "%s", media ? media : "");
    return store_course_set(c->tx, &k);
}

static int add_pioneer(struct demo_ctx *c, const cJSON *o, const char *where, int64_t id)
{
    const char *citation = NULL, *photo = NULL;
    struct store_pioneer p;
    int rc = demo_json_str(c, o, "citation", where, &citation);
    if (rc == 0)
        rc = opt_str(c, o, "photo", where, &photo);
    if (rc < 0)
        return rc;
    snprintf(p.citation, sizeof(p.citation), "%s", citation);
    snprintf(p.photo, sizeof(p.photo), "%s", photo ? photo : "");
    return store_pioneer_set(c->tx, id, &p);
}

static int add_ledger(struct demo_ctx *c, const cJSON *arr, const char *where, int64_t id,
                      time_t published)
{
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n < 1 || n > LEDGER_MAX)
        return bad(c, where, "\"ledger\" must be a list of 1 to 200 lines");
    const cJSON *it;
    int line = 0;
    cJSON_ArrayForEach(it, arr)
    {
        struct store_ledger_line l = { .line_no = ++line };
        const char *item;
        int days, income = 0, expense = 0;
        int rc = demo_json_int(c, it, "days_before", where, 0, 366, &days);
        if (rc == 0)
            rc = demo_json_str(c, it, "item", where, &item);
        if (rc == 0 && cJSON_GetObjectItemCaseSensitive(it, "income_fen"))
            rc = demo_json_int(c, it, "income_fen", where, 0, AMOUNT_MAX, &income);
        if (rc == 0 && cJSON_GetObjectItemCaseSensitive(it, "expense_fen"))
            rc = demo_json_int(c, it, "expense_fen", where, 0, AMOUNT_MAX, &expense);
        if (rc < 0)
            return rc;
        /* The date of the line in Beijing time. */
        time_t local = published - (time_t)days * DAY + BEIJING_OFFSET;
        struct tm tm;
        gmtime_r(&local, &tm);
        /* The modulos only tell the compiler the widths; the values are already in range. */
        snprintf(l.date, sizeof(l.date), "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
                 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
        snprintf(l.item, sizeof(l.item), "%s", item);
        l.income_fen = income;
        l.expense_fen = expense;
        rc = store_ledger_add(c->tx, id, &l);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The day DAYS before PUBLISHED in Beijing time as "YYYY-MM-DD" (MONTHS_ONLY: "YYYY-MM",
 * DAYS then counts months). */
static void day_before(time_t published, int days, int months_only, char out[STORE_DATE_LEN])
{
    time_t local = published - (months_only ? 0 : (time_t)days * DAY) + BEIJING_OFFSET;
    struct tm tm;
    gmtime_r(&local, &tm);
    int month = tm.tm_year * 12 + tm.tm_mon - (months_only ? days : 0);
    /* The modulos only tell the compiler the widths; the values are already in range. */
    if (months_only)
        snprintf(out, STORE_DATE_LEN, "%04u-%02u", (unsigned)(month / 12 + 1900) % 10000u,
                 (unsigned)(month % 12 + 1) % 100u);
    else
        snprintf(out, STORE_DATE_LEN, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
                 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

/* "dues": [{name, months_before, amount_fen}] or "candidates": [{name, stage, days_before}]. */
static int add_rows(struct demo_ctx *c, const cJSON *arr, int dues, const char *where,
                    int64_t id, time_t published)
{
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n < 1 || n > ROWS_MAX)
        return bad(c, where, "\"dues\" and \"candidates\" must be lists of 1 to 200 rows");
    const cJSON *it;
    int row = 0;
    cJSON_ArrayForEach(it, arr)
    {
        struct store_disclosure_row r = { .row_no = ++row };
        const char *name, *stage = NULL;
        int before = 0, amount = 0;
        int rc = demo_json_str(c, it, "name", where, &name);
        if (rc == 0 && dues)
            rc = demo_json_int(c, it, "months_before", where, 0, 24, &before);
        if (rc == 0 && dues)
            rc = demo_json_int(c, it, "amount_fen", where, 1, AMOUNT_MAX, &amount);
        if (rc == 0 && !dues)
            rc = demo_json_str(c, it, "stage", where, &stage);
        if (rc == 0 && !dues)
            rc = demo_json_int(c, it, "days_before", where, 0, 366, &before);
        if (rc < 0)
            return rc;
        snprintf(r.name, sizeof(r.name), "%s", name);
        snprintf(r.stage, sizeof(r.stage), "%s", stage ? stage : "");
        day_before(published, before, dues, r.day);
        r.amount_fen = amount;
        rc = store_disclosure_row_add(c->tx, id, &r);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* One question with its options; QUIZ: "answer" lists the indexes of the right options. */
static int add_question(struct demo_ctx *c, const cJSON *q, const char *where, int64_t id,
                        int position, int quiz)
{
    const char *prompt = NULL;
    int multiple = 0;
    int64_t qid = 0;
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(q, "options");
    const cJSON *answer = cJSON_GetObjectItemCaseSensitive(q, "answer");
    int n = cJSON_GetArraySize(opts);
    int rc = demo_json_str(c, q, "prompt", where, &prompt);
    if (rc == 0)
        rc = opt_bool(c, q, "multiple", where, 0, &multiple);
    if (rc < 0)
        return rc;
    if (!cJSON_IsArray(opts) || n < 2 || n > OPTIONS_MAX)
        return bad(c, where, "\"options\" must be a list of 2 to 10 texts");
    if (quiz != (answer != NULL) || (answer && !cJSON_IsArray(answer)) ||
        (answer && (cJSON_GetArraySize(answer) < 1 ||
                    (!multiple && cJSON_GetArraySize(answer) != 1))))
        return bad(c, where, "quiz questions need \"answer\" (option indexes), others none");
    rc = store_question_add(c->tx, id, position, prompt, multiple, &qid);
    int k = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, opts)
    {
        if (rc < 0)
            return rc;
        if (!cJSON_IsString(o) || !o->valuestring[0])
            return bad(c, where, "an option is not a text");
        int correct = 0;
        const cJSON *a;
        cJSON_ArrayForEach(a, answer)
        {
            if (!cJSON_IsNumber(a) || a->valueint < 0 || a->valueint >= n)
                return bad(c, where, "an answer index is out of range");
            correct |= a->valueint == k;
        }
        rc = store_option_add(c->tx, qid, ++k, o->valuestring, correct, NULL);
    }
    return rc;
}

static int add_form(struct demo_ctx *c, const cJSON *f, const char *where, int64_t id)
{
    const char *type;
    int rc = demo_json_str(c, f, "type", where, &type);
    if (rc < 0)
        return rc;
    int quiz = strcmp(type, "quiz") == 0 || strcmp(type, "exam") == 0;
    if (!quiz && strcmp(type, "questionnaire") != 0)
        return bad(c, where, "form type must be questionnaire, quiz or exam");
    if (quiz) {
        int pass, limit = 0;
        rc = demo_json_int(c, f, "pass_mark", where, 0, 100, &pass);
        if (rc == 0 && cJSON_GetObjectItemCaseSensitive(f, "time_limit_s"))
            rc = demo_json_int(c, f, "time_limit_s", where, 10, 10800, &limit);
        if (rc == 0)
            rc = store_quiz_set(c->tx, id, type, pass, limit);
    } else {
        int anonymous;
        unsigned char salt[32];
        char hex[65];
        randombytes_buf(salt, sizeof(salt));
        sodium_bin2hex(hex, sizeof(hex), salt, sizeof(salt));
        rc = opt_bool(c, f, "anonymous", where, 1, &anonymous);
        if (rc == 0)
            rc = store_questionnaire_set(c->tx, id, anonymous, anonymous ? hex : NULL);
    }
    const cJSON *qs = cJSON_GetObjectItemCaseSensitive(f, "questions");
    int n = cJSON_GetArraySize(qs);
    if (rc == 0 && (!cJSON_IsArray(qs) || n < 1 || n > QUESTIONS_MAX))
        return bad(c, where, "\"questions\" must be a list of 1 to 50 questions");
    int pos = 0;
    const cJSON *q;
    cJSON_ArrayForEach(q, qs)
    {
        if (rc < 0)
            break;
        rc = add_question(c, q, where, id, ++pos, quiz);
    }
    return rc;
}

int demo_extras_add(struct demo_ctx *c, const cJSON *it, const char *where, int64_t id,
                    time_t published)
{
    const cJSON *course = cJSON_GetObjectItemCaseSensitive(it, "course");
    const cJSON *pioneer = cJSON_GetObjectItemCaseSensitive(it, "pioneer");
    const cJSON *ledger = cJSON_GetObjectItemCaseSensitive(it, "ledger");
    const cJSON *form = cJSON_GetObjectItemCaseSensitive(it, "form");
    const cJSON *dues = cJSON_GetObjectItemCaseSensitive(it, "dues");
    const cJSON *candidates = cJSON_GetObjectItemCaseSensitive(it, "candidates");
    int rc = 0;
    if (course)
        rc = cJSON_IsObject(course) ? add_course(c, course, where, id)
                                    : bad(c, where, "\"course\" must be an object");
    if (rc == 0 && pioneer)
        rc = cJSON_IsObject(pioneer) ? add_pioneer(c, pioneer, where, id)
                                     : bad(c, where, "\"pioneer\" must be an object");
    if (rc == 0 && ledger)
        rc = add_ledger(c, ledger, where, id, published);
    if (rc == 0 && dues)
        rc = add_rows(c, dues, 1, where, id, published);
    if (rc == 0 && candidates)
        rc = add_rows(c, candidates, 0, where, id, published);
    if (rc == 0 && form)
        rc = cJSON_IsObject(form) ? add_form(c, form, where, id)
                                  : bad(c, where, "\"form\" must be an object");
    return rc;
}
