/* Content items from JSON, shared by api/admin.c and import/import.c. The kind decides the
 * section and which extras an item may carry; a field of another kind is refused by name. */
#include "api/item_spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/course_category.h"
#include "api/input.h"
#include "api/views.h"
#include "util/isotime.h"

struct kind_info {
    const char *kind;
    const char *section;
    unsigned extras;
};

/* The kinds of the data model that an admin or a manifest may write (questionnaires, quizzes and
 * exams are made elsewhere). */
static const struct kind_info KINDS[] = {
    { "通知公告", "affairs", 0 },       { "党务公开", "affairs", 0 },
    { "村务公开", "affairs", 0 },       { "财务公示", "affairs", ITEM_LEDGER },
    { "党费公示", "affairs", ITEM_DUES }, { "发展党员公示", "affairs", ITEM_CANDIDATES },
    { "督查通报", "affairs", 0 },       { "课程", "study", ITEM_COURSE },
    { "致富信息", "study", ITEM_COURSE }, { "视频", "video", ITEM_COURSE },
    { "优秀党员", "pioneers", ITEM_PIONEER }, { "模范家庭", "pioneers", ITEM_PIONEER },
    { "先进党组织", "pioneers", ITEM_PIONEER },
};
enum { N_KINDS = (int)(sizeof(KINDS) / sizeof(KINDS[0])) };

enum { FILE_NAME_MAX = 255, MONEY_MAX_FEN = 1000000000000LL };

#define COMMON_FIELDS                                                                          \
    { "kind", API_STR, 1, 1, STORE_KIND_MAX - 1 },                                             \
        { "section", API_STR, 0, 1, STORE_KEY_MAX - 1 },                                       \
        { "title", API_STR, 1, 1, STORE_TITLE_MAX - 1 },                                       \
        { "body", API_TEXT, 0, 0, ITEM_BODY_MAX },                                             \
        { "published_at", API_STR, 0, 20, 20 },                                                \
        { "category", API_STR, 0, 1, STORE_NAME_MAX - 1 },                                     \
        { "duration_s", API_INT, 0, 0, 86400 },                                                \
        { "citation", API_TEXT, 0, 1, STORE_TEXT_MAX - 1 },                                    \
        { "ledger", API_ARRAY, 0, 1, ITEM_LEDGER_MAX },                                        \
        { "dues", API_ARRAY, 0, 1, ITEM_ROWS_MAX },                                            \
        { "candidates", API_ARRAY, 0, 1, ITEM_ROWS_MAX }

static const struct api_field ADMIN_FIELDS[] = {
    COMMON_FIELDS,
    { "village_id", API_ID, 0, 0, 0 },
    { "poster", API_STR, 0, 1, STORE_URL_MAX - 1 },
    { "photo", API_STR, 0, 1, STORE_URL_MAX - 1 },
    { "media_url", API_STR, 0, 1, STORE_URL_MAX - 1 },
};
static const struct api_field IMPORT_FIELDS[] = {
    COMMON_FIELDS,
    { "key", API_STR, 1, 1, ITEM_KEY_MAX - 1 },
    { "township", API_STR, 0, 1, STORE_NAME_MAX - 1 },
    { "village", API_STR, 0, 1, STORE_NAME_MAX - 1 },
    { "poster", API_STR, 0, 1, FILE_NAME_MAX },
    { "photo", API_STR, 0, 1, FILE_NAME_MAX },
    { "video", API_STR, 0, 1, FILE_NAME_MAX },
};
static const struct api_field LEDGER_FIELDS[] = {
    { "date", API_STR, 1, 10, 10 },
    { "item", API_STR, 1, 1, STORE_TITLE_MAX - 1 },
    { "income_fen", API_INT, 0, 0, MONEY_MAX_FEN },
    { "expense_fen", API_INT, 0, 0, MONEY_MAX_FEN },
};

static const struct api_field DUES_FIELDS[] = {
    { "name", API_STR, 1, 1, STORE_NAME_MAX - 1 },
    { "month", API_STR, 1, 7, 7 },
    { "amount_fen", API_INT, 1, 1, MONEY_MAX_FEN },
};
static const struct api_field CANDIDATE_FIELDS[] = {
    { "name", API_STR, 1, 1, STORE_NAME_MAX - 1 },
    { "stage", API_STR, 1, 1, STORE_NAME_MAX - 1 },
    { "date", API_STR, 1, 10, 10 },
};
/* The stages a new member passes, in order (发展党员 procedure). */
static const char *const STAGES[] = { "入党积极分子", "发展对象", "预备党员", "正式党员" };

static int bad(cJSON **err, const char *field, const char *what)
{
    char msg[200];
    snprintf(msg, sizeof(msg), "%s: %s", field, what);
    return api_fail(err, -EINVAL, msg);
}

/* A URL the client can open: a path on this server's /media/ or an https:// address. */
static int url_ok(const char *u)
{
    if (strncmp(u, "/media/", 7) != 0 && strncmp(u, "https://", 8) != 0)
        return 0;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\\')
            return 0;
    return strstr(u, "/../") == NULL && strstr(u, "/./") == NULL;
}

/* A file name relative to the manifest's folder, without a way out of it. */
static int file_ok(const char *f)
{
    if (f[0] == '/')
        return 0;
    const char *p = f;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += n;
        if (*p == '/')
            p++;
    }
    return 1;
}

/* A key: letters, digits, '.', '_' and '-', not starting with '.' (it names a media folder). */
static int key_ok(const char *k)
{
    if (!k[0] || k[0] == '.')
        return 0;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

static int date_ok(const char *d)
{
    char iso[ISOTIME_LEN];
    time_t t;
    char back[ISOTIME_LEN];
    snprintf(iso, sizeof(iso), "%.10sT00:00:00Z", d);
    /* Formatting the parsed time back catches days that do not exist (2026-02-30). */
    return strlen(d) == 10 && isotime_parse(iso, &t) == 0 &&
           isotime_format(t, back, sizeof(back)) == 0 && strncmp(back, d, 10) == 0;
}

/* ERR's message prefixed with the row: "dues[3].month: ...". */
static int name_row(cJSON **err, int rc, const char *list, int row)
{
    if (!err || !*err)
        return rc;
    cJSON *m = cJSON_GetObjectItemCaseSensitive(*err, "message");
    char msg[240];
    snprintf(msg, sizeof(msg), "%s[%d].%s", list, row,
             cJSON_IsString(m) ? m->valuestring : "bad row");
    cJSON_Delete(*err);
    *err = NULL;
    return api_fail(err, rc, msg);
}

static int parse_ledger(const cJSON *arr, struct item_spec *sp, cJSON **err)
{
    int n = cJSON_GetArraySize(arr);
    sp->ledger = calloc((size_t)n, sizeof(*sp->ledger));
    if (!sp->ledger)
        return -ENOMEM;
    const cJSON *line;
    cJSON_ArrayForEach(line, arr)
    {
        int rc = api_json_check(line, LEDGER_FIELDS,
                                (int)(sizeof(LEDGER_FIELDS) / sizeof(LEDGER_FIELDS[0])), err);
        if (rc < 0)
            return name_row(err, rc, "ledger", sp->n_ledger + 1); /* "ledger[3].date: ..." */
        struct store_ledger_line *l = &sp->ledger[sp->n_ledger];
        const char *date = api_json_str(line, "date");
        if (!date_ok(date))
            return bad(err, "ledger", "date must be a real day as YYYY-MM-DD");
        l->line_no = sp->n_ledger + 1;
        snprintf(l->date, sizeof(l->date), "%s", date);
        snprintf(l->item, sizeof(l->item), "%s", api_json_str(line, "item"));
        l->income_fen = api_json_int(line, "income_fen", 0);
        l->expense_fen = api_json_int(line, "expense_fen", 0);
        if (l->income_fen == 0 && l->expense_fen == 0)
            return bad(err, "ledger", "a line needs income_fen or expense_fen");
        sp->n_ledger++;
    }
    return 0;
}

static int row_bad(cJSON **err, const char *list, int row, const char *field, const char *what)
{
    char msg[240];
    snprintf(msg, sizeof(msg), "%s[%d].%s: %s", list, row, field, what);
    return api_fail(err, -EINVAL, msg);
}

/* 党费公示 "dues": [{name, month "YYYY-MM", amount_fen > 0}], or 发展党员公示 "candidates":
 * [{name, stage (one of STAGES), date "YYYY-MM-DD"}]. */
static int parse_rows(const cJSON *arr, int dues, struct item_spec *sp, cJSON **err)
{
    const char *list = dues ? "dues" : "candidates";
    int n = cJSON_GetArraySize(arr);
    sp->rows = calloc((size_t)n, sizeof(*sp->rows));
    if (!sp->rows)
        return -ENOMEM;
    const cJSON *row;
    cJSON_ArrayForEach(row, arr)
    {
        int at = sp->n_rows + 1;
        int rc = dues ? api_json_check(row, DUES_FIELDS,
                                       (int)(sizeof(DUES_FIELDS) / sizeof(DUES_FIELDS[0])), err)
                      : api_json_check(row, CANDIDATE_FIELDS,
                                       (int)(sizeof(CANDIDATE_FIELDS) / sizeof(CANDIDATE_FIELDS[0])),
                                       err);
        if (rc < 0)
            return name_row(err, rc, list, at);
        struct store_disclosure_row *r = &sp->rows[sp->n_rows];
        r->row_no = at;
        snprintf(r->name, sizeof(r->name), "%s", api_json_str(row, "name"));
        if (dues) {
            const char *month = api_json_str(row, "month");
            char day[16];
            snprintf(day, sizeof(day), "%.7s-01", month);
            if (!date_ok(day))
                return row_bad(err, list, at, "month", "must be a month as YYYY-MM");
            snprintf(r->day, sizeof(r->day), "%s", month);
            r->amount_fen = api_json_int(row, "amount_fen", 0);
        } else {
            const char *stage = api_json_str(row, "stage"), *date = api_json_str(row, "date");
            size_t k = 0;
            while (k < sizeof(STAGES) / sizeof(STAGES[0]) && strcmp(STAGES[k], stage) != 0)
                k++;
            if (k == sizeof(STAGES) / sizeof(STAGES[0]))
                return row_bad(err, list, at, "stage",
                               "one of 入党积极分子, 发展对象, 预备党员, 正式党员");
            if (!date_ok(date))
                return row_bad(err, list, at, "date", "must be a real day as YYYY-MM-DD");
            snprintf(r->stage, sizeof(r->stage), "%s", stage);
            snprintf(r->day, sizeof(r->day), "%s", date);
        }
        sp->n_rows++;
    }
    return 0;
}

/* Refuse the extras' fields that KIND does not carry. */
static int check_extras(const cJSON *obj, const struct kind_info *k, cJSON **err)
{
    static const struct {
        const char *name;
        unsigned extra;
    } owned[] = {
        { "category", ITEM_COURSE }, { "duration_s", ITEM_COURSE }, { "poster", ITEM_COURSE },
        { "media_url", ITEM_COURSE }, { "video", ITEM_COURSE },     { "photo", ITEM_PIONEER },
        { "citation", ITEM_PIONEER }, { "ledger", ITEM_LEDGER },     { "dues", ITEM_DUES },
        { "candidates", ITEM_CANDIDATES },
    };
    for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
        if (!(k->extras & owned[i].extra) && cJSON_GetObjectItemCaseSensitive(obj, owned[i].name)) {
            char what[96];
            snprintf(what, sizeof(what), "not a field of kind %s", k->kind);
            return bad(err, owned[i].name, what);
        }
    }
    if ((k->extras & ITEM_COURSE) && !api_json_str(obj, "category"))
        return bad(err, "category", "required for kind 课程, 致富信息 and 视频");
    if ((k->extras & ITEM_COURSE) && strcmp(k->section, "study") == 0 &&
        course_category_index(api_json_str(obj, "category")) < 0) {
        char what[160];
        snprintf(what, sizeof(what), "a study course is one of %s", course_category_list());
        return bad(err, "category", what);
    }
    if ((k->extras & ITEM_PIONEER) && !api_json_str(obj, "citation"))
        return bad(err, "citation", "required for this kind");
    if ((k->extras & ITEM_LEDGER) && !cJSON_GetObjectItemCaseSensitive(obj, "ledger"))
        return bad(err, "ledger", "required for kind 财务公示");
    return 0;
}

/* The org: a village of TOWNSHIP_ID named or numbered in OBJ, or the township itself. */
static int resolve_org(const cJSON *obj, enum item_spec_mode mode, struct store *s,
                       int64_t township_id, struct item_spec *sp, cJSON **err)
{
    sp->c.org_id = township_id;
    struct store_org o;
    int rc;
    if (mode == ITEM_SPEC_ADMIN) {
        int64_t vid = api_json_int(obj, "village_id", 0);
        if (vid == 0)
            return 0;
        rc = store_org_get(s, vid, &o);
        if (rc == -ENOENT || (rc == 0 && strcmp(o.kind, "village") != 0))
            return bad(err, "village_id", "no such village");
        if (rc == 0 && o.parent_id != township_id)
            return api_fail(err, -EPERM, "village_id: a village of another township");
    } else {
        const char *name = api_json_str(obj, "village");
        if (!name)
            return 0;
        rc = store_org_find(s, township_id, name, &o);
        if (rc == -ENOENT)
            return bad(err, "village", "no village of that name in the township");
    }
    if (rc == 0)
        sp->c.org_id = o.id;
    return rc;
}

static void copy_url(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

int item_spec_parse(const cJSON *obj, enum item_spec_mode mode, struct store *s,
                    int64_t township_id, time_t now, struct item_spec *sp, cJSON **err)
{
    memset(sp, 0, sizeof(*sp));
    int admin = mode == ITEM_SPEC_ADMIN;
    int rc = admin ? api_json_check(obj, ADMIN_FIELDS,
                                    (int)(sizeof(ADMIN_FIELDS) / sizeof(ADMIN_FIELDS[0])), err)
                   : api_json_check(obj, IMPORT_FIELDS,
                                    (int)(sizeof(IMPORT_FIELDS) / sizeof(IMPORT_FIELDS[0])), err);
    if (rc < 0)
        return rc;
    const char *kind = api_json_str(obj, "kind");
    const struct kind_info *k = NULL;
    for (int i = 0; i < N_KINDS && !k; i++)
        if (strcmp(KINDS[i].kind, kind) == 0)
            k = &KINDS[i];
    if (!k)
        return bad(err, "kind", "unknown kind (通知公告, 党务公开, 村务公开, 财务公示, 党费公示, "
                                "发展党员公示, 督查通报, 课程, 致富信息, 视频, 优秀党员, "
                                "模范家庭, 先进党组织)");
    const char *section = api_json_str(obj, "section");
    if (section && strcmp(section, k->section) != 0)
        return bad(err, "section", "does not match the kind");
    rc = check_extras(obj, k, err);
    if (rc < 0)
        return rc;
    snprintf(sp->kind, sizeof(sp->kind), "%s", k->kind);
    snprintf(sp->section, sizeof(sp->section), "%s", k->section);
    sp->extras = k->extras;
    sp->c.kind = sp->kind;
    sp->c.section = sp->section;
    sp->c.title = api_json_str(obj, "title");
    sp->c.body = api_json_str(obj, "body");
    if (!sp->c.body)
        sp->c.body = "";
    const char *when = api_json_str(obj, "published_at");
    sp->c.published_at = now;
    if (when && isotime_parse(when, &sp->c.published_at) < 0)
        return bad(err, "published_at", "must be UTC time as YYYY-MM-DDTHH:MM:SSZ");
    static const char *const url_fields[] = { "poster", "photo", "media_url" };
    static const char *const file_fields[] = { "poster", "photo", "video" };
    for (int i = 0; i < 3; i++) {
        const char *v = api_json_str(obj, admin ? url_fields[i] : file_fields[i]);
        if (v && admin && !url_ok(v))
            return bad(err, url_fields[i], "must be a /media/... path or an https:// URL");
        if (v && !admin && !file_ok(v))
            return bad(err, file_fields[i], "must be a file name inside the manifest's folder");
    }
    if (!admin) {
        sp->key = api_json_str(obj, "key");
        if (!key_ok(sp->key))
            return bad(err, "key", "only letters, digits, '.', '_' and '-' (not first '.')");
        sp->poster_file = api_json_str(obj, "poster");
        sp->photo_file = api_json_str(obj, "photo");
        sp->video_file = api_json_str(obj, "video");
    }
    if (k->extras & ITEM_COURSE) {
        snprintf(sp->course.category, sizeof(sp->course.category), "%s",
                 api_json_str(obj, "category"));
        sp->course.duration_s = (int)api_json_int(obj, "duration_s", 0);
        if (admin) {
            copy_url(sp->course.poster, sizeof(sp->course.poster), api_json_str(obj, "poster"));
            copy_url(sp->course.media_url, sizeof(sp->course.media_url),
                     api_json_str(obj, "media_url"));
        }
    }
    if (k->extras & ITEM_PIONEER) {
        snprintf(sp->pioneer.citation, sizeof(sp->pioneer.citation), "%s",
                 api_json_str(obj, "citation"));
        if (admin)
            copy_url(sp->pioneer.photo, sizeof(sp->pioneer.photo), api_json_str(obj, "photo"));
    }
    if (k->extras & ITEM_LEDGER) {
        rc = parse_ledger(cJSON_GetObjectItemCaseSensitive(obj, "ledger"), sp, err);
        if (rc < 0)
            return rc;
    }
    if (k->extras & (ITEM_DUES | ITEM_CANDIDATES)) {
        int dues = (k->extras & ITEM_DUES) != 0;
        const cJSON *rows = cJSON_GetObjectItemCaseSensitive(obj, dues ? "dues" : "candidates");
        rc = rows ? parse_rows(rows, dues, sp, err) : 0; /* optional: a text-only notice */
        if (rc < 0)
            return rc;
    }
    if (!admin) {
        const char *township = api_json_str(obj, "township");
        if (township) {
            struct store_org t;
            rc = store_org_find(s, 0, township, &t);
            if (rc == -ENOENT)
                return bad(err, "township", "no township of that name");
            if (rc < 0)
                return rc;
            township_id = t.id;
        }
    }
    return resolve_org(obj, mode, s, township_id, sp, err);
}

int item_spec_kind_known(const char *kind)
{
    for (int i = 0; i < N_KINDS; i++)
        if (strcmp(KINDS[i].kind, kind) == 0)
            return 1;
    return 0;
}

void item_spec_fini(struct item_spec *sp)
{
    if (!sp)
        return;
    free(sp->ledger);
    sp->ledger = NULL;
    sp->n_ledger = 0;
    free(sp->rows);
    sp->rows = NULL;
    sp->n_rows = 0;
}

int item_spec_write(struct store_tx *tx, void *arg)
{
    struct item_spec *sp = arg;
    int rc;
    sp->created = sp->id == 0;
    if (sp->created) {
        rc = store_content_add(tx, &sp->c, &sp->id);
        if (rc == 0 && sp->key)
            rc = store_content_set_source(tx, sp->id, sp->key);
    } else {
        rc = store_content_replace(tx, sp->id, &sp->c);
    }
    if (rc == 0 && (sp->extras & ITEM_COURSE)) {
        sp->course.content_id = sp->id;
        rc = store_course_set(tx, &sp->course);
    }
    if (rc == 0 && (sp->extras & ITEM_PIONEER))
        rc = store_pioneer_set(tx, sp->id, &sp->pioneer);
    for (int i = 0; rc == 0 && i < sp->n_ledger; i++)
        rc = store_ledger_add(tx, sp->id, &sp->ledger[i]);
    for (int i = 0; rc == 0 && i < sp->n_rows; i++)
        rc = store_disclosure_row_add(tx, sp->id, &sp->rows[i]);
    return rc;
}

cJSON *item_spec_json(const struct item_spec *sp)
{
    cJSON *j = cJSON_CreateObject();
    int ok = j && cJSON_AddNumberToObject(j, "id", (double)sp->id) &&
             cJSON_AddNumberToObject(j, "org_id", (double)sp->c.org_id) &&
             cJSON_AddStringToObject(j, "section", sp->section) &&
             cJSON_AddStringToObject(j, "kind", sp->kind) &&
             cJSON_AddStringToObject(j, "title", sp->c.title) &&
             cJSON_AddStringToObject(j, "body", sp->c.body) &&
             api_add_time(j, "published_at", sp->c.published_at) == 0;
    if (ok && (sp->extras & ITEM_COURSE))
        ok = cJSON_AddStringToObject(j, "category", sp->course.category) &&
             cJSON_AddNumberToObject(j, "duration_s", sp->course.duration_s) &&
             cJSON_AddStringToObject(j, "poster", sp->course.poster) &&
             cJSON_AddStringToObject(j, "media_url", sp->course.media_url);
    if (ok && (sp->extras & ITEM_PIONEER))
        ok = cJSON_AddStringToObject(j, "photo", sp->pioneer.photo) &&
             cJSON_AddStringToObject(j, "citation", sp->pioneer.citation);
    if (ok && (sp->extras & ITEM_LEDGER))
        ok = cJSON_AddNumberToObject(j, "ledger_lines", sp->n_ledger) != NULL;
    if (ok && (sp->extras & (ITEM_DUES | ITEM_CANDIDATES)))
        ok = cJSON_AddNumberToObject(j, "rows", sp->n_rows) != NULL;
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}
