/* What a box reads: section lists with paging, item details (finance ledgers with their running
 * balance, courses, pioneers, questionnaires and quizzes without their answers), and the course
 * catalogue by category. Everything is scoped to the box's village and township; an item outside
 * that scope is 404, as if it did not exist. */
#define LOG_TAG "api"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/course_category.h"
#include "api/input.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"

enum { LIVE_MAX = 100, CATALOGUE_MAX = 300, CATEGORIES_MAX = 32 };

static int sections_items(const struct caller *who, const struct api_request *req, cJSON **out);
static int sections_categories(const struct caller *who, const struct api_request *req,
                               cJSON **out);
/* A dues disclosure's "dues" (rows and their total) or a new-member disclosure's
 * "candidates", by the item's kind. */
static int add_disclosure_rows(const struct api_request *req, const struct store_item *it,
                               cJSON *j)
{
    int dues = strcmp(it->kind, "党费公示") == 0;
    if (!dues && strcmp(it->kind, "发展党员公示") != 0)
        return 0;
    struct store_disclosure_row *rows = NULL;
    int n = 0;
    int rc = store_disclosure_rows(req->store, it->id, &rows, &n);
    if (rc < 0 || n == 0)
        return rc;
    int64_t total = 0;
    cJSON *o = cJSON_AddObjectToObject(j, dues ? "dues" : "candidates");
    cJSON *arr = o ? cJSON_AddArrayToObject(o, "rows") : NULL;
    rc = arr ? 0 : -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++) {
        const struct store_disclosure_row *r = &rows[i];
        cJSON *x = api_array_add_object(arr);
        int ok = x && cJSON_AddNumberToObject(x, "row_no", r->row_no) &&
                 cJSON_AddStringToObject(x, "name", r->name);
        if (ok && dues)
            ok = cJSON_AddStringToObject(x, "month", r->day) &&
                 cJSON_AddNumberToObject(x, "amount_fen", (double)r->amount_fen);
        else if (ok)
            ok = cJSON_AddStringToObject(x, "stage", r->stage) &&
                 cJSON_AddStringToObject(x, "date", r->day);
        total += r->amount_fen;
        if (!ok)
            rc = -ENOMEM;
    }
    if (rc == 0 && dues && !cJSON_AddNumberToObject(o, "amount_fen", (double)total))
        rc = -ENOMEM;
    free(rows);
    return rc;
}

static int item_get(const struct caller *who, const struct api_request *req, cJSON **out);
static int courses(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_content_routes[] = {
    { "GET", "/api/v1/sections/{key}/items", ACCESS_BOX, sections_items },
    { "GET", "/api/v1/sections/{key}/categories", ACCESS_BOX, sections_categories },
    { "GET", "/api/v1/items/{id}", ACCESS_BOX, item_get },
    { "GET", "/api/v1/courses", ACCESS_BOX, courses },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static struct store_scope scope_of(const struct caller *who)
{
    return (struct store_scope){ .village_id = who->village_id, .township_id = who->township_id };
}

static const char *param(const struct api_request *req, const char *name)
{
    for (int i = 0; i < req->n_params; i++)
        if (req->params[i].name_len == strlen(name) &&
            memcmp(req->params[i].name, name, req->params[i].name_len) == 0)
            return req->params[i].value;
    return NULL;
}

/* The page header of a list reply. */
static cJSON *page_json(const char *key, int total, int page, int per_page)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddStringToObject(j, "section", key) ||
        !cJSON_AddStringToObject(j, "title", api_section_title(key)) ||
        !cJSON_AddNumberToObject(j, "total", total) ||
        !cJSON_AddNumberToObject(j, "page", page) ||
        !cJSON_AddNumberToObject(j, "per_page", per_page) ||
        !cJSON_AddArrayToObject(j, "items")) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* A past meeting's replay poster and length (from its 会议回放 item) as "picture" and
 * "duration_s", null when it has no replay (yet): the TV's poster grid and watched bar. */
static int add_replay_pictures(const struct api_request *req, cJSON *items,
                               const struct store_broadcast *b, int from, int to)
{
    for (int i = from; i < to; i++) {
        cJSON *x = cJSON_GetArrayItem(items, i - from);
        struct store_course c = { 0 };
        int rc = b[i].replay_item_id > 0 ? store_course_get(req->store, b[i].replay_item_id, &c)
                                         : -ENOENT;
        if (rc < 0 && rc != -ENOENT)
            return rc;
        if (!x || api_add_str_or_null(x, "picture", rc == 0 ? c.poster : NULL) < 0 ||
            !(rc == 0 && c.duration_s > 0 ? cJSON_AddNumberToObject(x, "duration_s", c.duration_s)
                                          : cJSON_AddNullToObject(x, "duration_s")))
            return -ENOMEM;
    }
    return 0;
}

/* The live section lists broadcasts (live first, then scheduled, then the past meetings that
 * have a replay, newest first), paged like the others. */
static int live_items(const struct caller *who, const struct api_request *req, int page,
                      int per_page, cJSON **out)
{
    struct store_scope scope = scope_of(who);
    struct store_broadcast *b = calloc(LIVE_MAX, sizeof(*b));
    int n = 0, past = 0;
    int rc = b ? store_broadcast_list_scope(req->store, &scope, b, LIVE_MAX, &n) : -ENOMEM;
    if (rc == 0 && n < LIVE_MAX)
        rc = store_broadcast_list_past(req->store, &scope, b + n, LIVE_MAX - n, &past);
    n += past;
    cJSON *j = rc == 0 ? page_json("live", n, page, per_page) : NULL;
    if (rc == 0 && !j)
        rc = -ENOMEM;
    cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
    int end = n < page * per_page ? n : page * per_page;
    if (rc == 0)
        rc = api_add_broadcasts(items, b, (page - 1) * per_page, end);
    if (rc == 0)
        rc = add_replay_pictures(req, items, b, (page - 1) * per_page, end);
    free(b);
    return api_reply(j, rc, out);
}

/* A category to filter a section's courses by: a short text; in the study section one of the
 * fixed categories (api/course_category.h). 0 (with *CATEGORY NULL when none asked) or an error
 * reply. */
static int category_arg(const struct api_request *req, const char *key, const char **category,
                        cJSON **out)
{
    *category = api_query_get(req, "category");
    const char *c = *category;
    if (!c)
        return 0;
    if (strcmp(key, "live") == 0)
        return api_fail(out, -EINVAL, "category: the live section has no categories");
    if (!*c || strlen(c) >= STORE_NAME_MAX || !api_text_ok(c, strlen(c), 0))
        return api_fail(out, -EINVAL, "category must be a short text");
    if (strcmp(key, "study") == 0 && course_category_index(c) < 0)
        return api_fail(out, -EINVAL, "category: not a category of the study section");
    return 0;
}

static int sections_items(const struct caller *who, const struct api_request *req, cJSON **out)
{
    static const char *const extra[] = { "category" };
    const char *key = param(req, "key");
    const char *category = NULL;
    int page = 1, per_page = API_PER_PAGE_DEFAULT;
    if (!key || !api_section_title(key))
        return api_fail(out, -ENOENT, "no such section");
    int rc = api_paging(req, extra, 1, &page, &per_page, out);
    if (rc == 0)
        rc = category_arg(req, key, &category, out);
    if (rc < 0)
        return rc;
    if (strcmp(key, "live") == 0)
        return live_items(who, req, page, per_page, out);
    struct store_scope scope = scope_of(who);
    struct store_item *items = calloc((size_t)per_page, sizeof(*items));
    int n = 0, total = 0;
    if (!items)
        return -ENOMEM;
    rc = store_item_list_category(req->store, &scope, key, category, req->now,
                                  (page - 1) * per_page, per_page, items, &n, &total);
    cJSON *j = rc == 0 ? page_json(key, total, page, per_page) : NULL;
    if (rc == 0 && !j)
        rc = -ENOMEM;
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "items");
    if (rc == 0)
        rc = api_add_items(arr, items, 0, n);
    free(items);
    return api_reply(j, rc, out);
}

/* A category's place on the TV: the fixed ones in their order, any other after them. */
static int category_rank(const char *name)
{
    int i = course_category_index(name);
    return i < 0 ? COURSE_CATEGORY_COUNT : i;
}

/* The categories of a section's courses with how many each has for this box; the study
 * section lists only its fixed categories (the ones a box may filter by), in their order,
 * others every category by name. */
static int sections_categories(const struct caller *who, const struct api_request *req,
                               cJSON **out)
{
    const char *key = param(req, "key");
    if (!key || !api_section_title(key))
        return api_fail(out, -ENOENT, "no such section");
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    struct store_scope scope = scope_of(who);
    struct store_category_count c[CATEGORIES_MAX];
    int n = 0;
    rc = store_course_categories(req->store, &scope, key, req->now, c, CATEGORIES_MAX, &n);
    int study = strcmp(key, "study") == 0;
    for (int i = 1; study && i < n; i++) { /* insertion sort by the fixed order */
        struct store_category_count x = c[i];
        int at = i;
        for (; at > 0 && category_rank(c[at - 1].name) > category_rank(x.name); at--)
            c[at] = c[at - 1];
        c[at] = x;
    }
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *arr = j && cJSON_AddStringToObject(j, "section", key)
                     ? cJSON_AddArrayToObject(j, "categories")
                     : NULL;
    if (rc == 0 && !arr)
        rc = -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++) {
        if (study && course_category_index(c[i].name) < 0)
            continue; /* an older free-text category: its courses are under 全部 only */
        cJSON *x = api_array_add_object(arr);
        if (!x || !cJSON_AddStringToObject(x, "name", c[i].name) ||
            !cJSON_AddNumberToObject(x, "count", c[i].count))
            rc = -ENOMEM;
    }
    return api_reply(j, rc, out);
}

/* "ledger": every line with its running balance, and the totals. */
static int add_ledger(const struct api_request *req, int64_t id, cJSON *j)
{
    struct store_ledger_line *lines = NULL;
    int n = 0;
    int rc = store_ledger_list(req->store, id, &lines, &n);
    if (rc < 0 || n == 0)
        return rc;
    int64_t income = 0, expense = 0;
    cJSON *l = cJSON_AddObjectToObject(j, "ledger");
    cJSON *arr = l ? cJSON_AddArrayToObject(l, "lines") : NULL;
    rc = arr ? 0 : -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++) {
        cJSON *x = api_array_add_object(arr);
        income += lines[i].income_fen;
        expense += lines[i].expense_fen;
        if (!x || !cJSON_AddNumberToObject(x, "line_no", lines[i].line_no) ||
            !cJSON_AddStringToObject(x, "date", lines[i].date) ||
            !cJSON_AddStringToObject(x, "item", lines[i].item) ||
            !cJSON_AddNumberToObject(x, "income_fen", (double)lines[i].income_fen) ||
            !cJSON_AddNumberToObject(x, "expense_fen", (double)lines[i].expense_fen) ||
            !cJSON_AddNumberToObject(x, "balance_fen", (double)lines[i].balance_fen))
            rc = -ENOMEM;
    }
    if (rc == 0 && (!cJSON_AddNumberToObject(l, "income_fen", (double)income) ||
                    !cJSON_AddNumberToObject(l, "expense_fen", (double)expense) ||
                    !cJSON_AddNumberToObject(l, "balance_fen", (double)lines[n - 1].balance_fen)))
        rc = -ENOMEM;
    free(lines);
    return rc;
}

static int add_course(const struct api_request *req, int64_t id, cJSON *j)
{
    struct store_course c;
    int rc = store_course_get(req->store, id, &c);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    cJSON *o = cJSON_AddObjectToObject(j, "course");
    if (!o || !cJSON_AddStringToObject(o, "category", c.category) ||
        api_add_str_or_null(o, "poster", c.poster) < 0 ||
        !cJSON_AddNumberToObject(o, "duration_s", c.duration_s) ||
        api_add_str_or_null(o, "media_url", c.media_url) < 0)
        return -ENOMEM;
    return 0;
}

static int add_pioneer(const struct api_request *req, int64_t id, cJSON *j)
{
    struct store_pioneer p;
    int rc = store_pioneer_get(req->store, id, &p);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    cJSON *o = cJSON_AddObjectToObject(j, "pioneer");
    if (!o || api_add_str_or_null(o, "photo", p.photo) < 0 ||
        !cJSON_AddStringToObject(o, "citation", p.citation))
        return -ENOMEM;
    return 0;
}

/* A questionnaire's "answered_by": the members of the asking box's household who have
 * answered it (each may answer once), so the TV says so before they start. */
static int add_answered_by(const struct caller *who, const struct api_request *req,
                           const struct store_form *f, cJSON *form)
{
    cJSON *ids = cJSON_AddArrayToObject(form, "answered_by");
    if (!ids)
        return -ENOMEM;
    struct store_household h = { 0 };
    int rc = who->household_id ? store_household_get(req->store, who->household_id, &h) : 0;
    for (int i = 0; rc == 0 && i < h.n_members; i++) {
        char hash[STORE_HASH_HEX];
        int answered = 0;
        if (f->anonymous)
            api_form_voter_hash(f, h.members[i].id, hash);
        rc = store_form_answered(req->store, f->content_id, h.members[i].id,
                                 f->anonymous ? hash : NULL, &answered);
        cJSON *id = rc == 0 && answered ? cJSON_CreateNumber((double)h.members[i].id) : NULL;
        if (id)
            cJSON_AddItemToArray(ids, id);
        else if (rc == 0 && answered)
            rc = -ENOMEM;
    }
    store_household_fini(&h);
    return rc;
}

/* "form": the questions and options; never which options are right, never the votes. */
static int add_form(const struct caller *who, const struct api_request *req, int64_t id,
                    cJSON *j)
{
    struct store_form f = { 0 };
    int rc = store_form_get(req->store, id, &f);
    if (rc == -ENOENT) {
        store_form_fini(&f);
        return 0;
    }
    cJSON *o = rc == 0 ? cJSON_AddObjectToObject(j, "form") : NULL;
    if (rc == 0 && (!o || !cJSON_AddStringToObject(o, "type", f.type) ||
                    !cJSON_AddBoolToObject(o, "anonymous", f.anonymous) ||
                    !(strcmp(f.type, "questionnaire") == 0
                          ? cJSON_AddNullToObject(o, "pass_mark")
                          : cJSON_AddNumberToObject(o, "pass_mark", f.pass_mark)) ||
                    !(f.time_limit_s > 0
                          ? cJSON_AddNumberToObject(o, "time_limit_s", f.time_limit_s)
                          : cJSON_AddNullToObject(o, "time_limit_s"))))
        rc = -ENOMEM;
    if (rc == 0)
        rc = api_add_questions(o, &f, 0);
    if (rc == 0 && strcmp(f.type, "questionnaire") == 0)
        rc = add_answered_by(who, req, &f, o);
    store_form_fini(&f);
    return rc;
}

static int item_get(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc < 0)
        return rc;
    struct store_scope scope = scope_of(who);
    struct store_item it;
    rc = store_item_get(req->store, &scope, req->now, id, &it);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such item");
    cJSON *j = rc == 0 ? api_item_json(&it) : NULL;
    if (rc == 0 && (!j || !cJSON_AddStringToObject(j, "body", it.body)))
        rc = -ENOMEM;
    if (rc == 0)
        rc = add_ledger(req, id, j);
    if (rc == 0)
        rc = add_disclosure_rows(req, &it, j);
    if (rc == 0)
        rc = add_course(req, id, j);
    if (rc == 0)
        rc = add_pioneer(req, id, j);
    if (rc == 0)
        rc = add_form(who, req, id, j);
    store_item_fini(&it);
    return api_reply(j, rc, out);
}

/* The catalogue: courses grouped by category, each group newest first. */
static int courses(const struct caller *who, const struct api_request *req, cJSON **out)
{
    static const char *const names[] = { "category" };
    int rc = api_query_check(req, names, 1, out);
    if (rc < 0)
        return rc;
    const char *category = api_query_get(req, "category");
    if (category && (!*category || strlen(category) >= STORE_NAME_MAX ||
                     !api_text_ok(category, strlen(category), 0)))
        return api_fail(out, -EINVAL, "category must be a short text");
    struct store_scope scope = scope_of(who);
    struct store_course *c = calloc(CATALOGUE_MAX, sizeof(*c));
    int n = 0;
    rc = c ? store_course_list(req->store, &scope, req->now, category, c, CATALOGUE_MAX, &n)
           : -ENOMEM;
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *cats = j ? cJSON_AddArrayToObject(j, "categories") : NULL;
    if (rc == 0 && !cats)
        rc = -ENOMEM;
    cJSON *list = NULL;
    for (int i = 0; rc == 0 && i < n; i++) {
        if (i == 0 || strcmp(c[i].category, c[i - 1].category) != 0) {
            cJSON *cat = api_array_add_object(cats);
            list = cat && cJSON_AddStringToObject(cat, "name", c[i].category)
                       ? cJSON_AddArrayToObject(cat, "courses")
                       : NULL;
            if (!list) {
                rc = -ENOMEM;
                break;
            }
        }
        cJSON *x = api_array_add_object(list);
        if (!x || !cJSON_AddNumberToObject(x, "id", (double)c[i].content_id) ||
            !cJSON_AddStringToObject(x, "title", c[i].title) ||
            api_add_str_or_null(x, "poster", c[i].poster) < 0 ||
            !cJSON_AddNumberToObject(x, "duration_s", c[i].duration_s) ||
            api_add_str_or_null(x, "media_url", c[i].media_url) < 0)
            rc = -ENOMEM;
    }
    free(c);
    return api_reply(j, rc, out);
}
