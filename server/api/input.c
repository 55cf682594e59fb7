/* Strict input checks shared by the handlers. */
#include "api/input.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

enum { QUERY_NAMES_MAX = 8 };

/* Fail with "FIELD: WHAT". */
static int bad(cJSON **err, const char *field, const char *what)
{
    char msg[160];
    snprintf(msg, sizeof(msg), "%s: %s", field, what);
    return api_fail(err, -EINVAL, msg);
}

int api_text_ok(const char *s, size_t len, int multiline)
{
    uint32_t cp;
    for (size_t i = 0, n; i < len; i += n) {
        n = utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return 0;
        /* The C0 controls (but a text's newlines and tabs), DEL, and the C1 controls. */
        if ((cp < 0x20 && !(multiline && (cp == '\n' || cp == '\t'))) ||
            (cp >= 0x7f && cp < 0xa0))
            return 0;
    }
    return 1;
}

int api_idem_key_ok(const char *key)
{
    for (const char *p = key; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              *p == '-' || *p == '_'))
            return 0;
    }
    return 1;
}

static int whole(const cJSON *v, long long lo, long long hi, long long *out)
{
    if (!cJSON_IsNumber(v))
        return 0;
    double d = v->valuedouble;
    if (!isfinite(d) || d != floor(d) || d < (double)lo || d > (double)hi)
        return 0;
    *out = (long long)d;
    return 1;
}

static int check_field(const cJSON *v, const struct api_field *f, cJSON **err)
{
    long long n;
    char what[96];
    switch (f->type) {
    case API_STR:
    case API_TEXT: {
        if (!cJSON_IsString(v))
            return bad(err, f->name, "must be a string");
        size_t len = strlen(v->valuestring);
        if ((long long)len < f->min || (long long)len > f->max) {
            snprintf(what, sizeof(what), "must be %lld to %lld bytes long", f->min, f->max);
            return bad(err, f->name, what);
        }
        if (!api_text_ok(v->valuestring, len, f->type == API_TEXT))
            return bad(err, f->name, "must be UTF-8 text without control characters");
        return 0;
    }
    case API_ID:
        if (!whole(v, 1, (1LL << 53), &n))
            return bad(err, f->name, "must be a positive whole number");
        return 0;
    case API_INT:
        if (!whole(v, f->min, f->max, &n)) {
            snprintf(what, sizeof(what), "must be a whole number from %lld to %lld", f->min,
                     f->max);
            return bad(err, f->name, what);
        }
        return 0;
    case API_BOOL:
        return cJSON_IsBool(v) ? 0 : bad(err, f->name, "must be true or false");
    case API_ARRAY: {
        if (!cJSON_IsArray(v))
            return bad(err, f->name, "must be an array");
        int items = cJSON_GetArraySize(v);
        if (items < f->min || items > f->max) {
            snprintf(what, sizeof(what), "must have %lld to %lld items", f->min, f->max);
            return bad(err, f->name, what);
        }
        return 0;
    }
    }
    return bad(err, f->name, "unexpected type");
}

int api_json_check(const cJSON *obj, const struct api_field *fields, int n, cJSON **err)
{
    if (!cJSON_IsObject(obj))
        return api_fail(err, -EINVAL, "the body must be a JSON object");
    const cJSON *v;
    cJSON_ArrayForEach(v, obj)
    {
        const struct api_field *f = NULL;
        for (int i = 0; i < n && !f; i++)
            if (strcmp(fields[i].name, v->string) == 0)
                f = &fields[i];
        if (!f) {
            char name[48];
            snprintf(name, sizeof(name), "%.40s", v->string);
            return bad(err, api_text_ok(name, strlen(name), 0) ? name : "?", "unknown field");
        }
        for (const cJSON *w = obj->child; w != v; w = w->next)
            if (strcmp(w->string, v->string) == 0)
                return bad(err, f->name, "given twice");
        int rc = check_field(v, f, err);
        if (rc < 0)
            return rc;
    }
    for (int i = 0; i < n; i++)
        if (fields[i].required && !cJSON_GetObjectItemCaseSensitive(obj, fields[i].name))
            return bad(err, fields[i].name, "is required");
    return 0;
}

const char *api_json_str(const cJSON *obj, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

int64_t api_json_int(const cJSON *obj, const char *name, int64_t def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : def;
}

int api_json_bool(const cJSON *obj, const char *name, int def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

int api_body_fields(const struct api_request *req, const struct api_field *fields, int n,
                    cJSON **json, cJSON **err)
{
    int rc = api_body_json(req, json);
    if (rc == -EBADMSG)
        return api_fail(err, rc, "the body is not valid JSON");
    if (rc < 0)
        return api_fail(err, rc, "the body must be a JSON object");
    rc = api_json_check(*json, fields, n, err);
    if (rc < 0) {
        cJSON_Delete(*json);
        *json = NULL;
    }
    return rc;
}

int api_query_check(const struct api_request *req, const char *const *names, int n,
                    cJSON **err)
{
    if (req->query_overflow)
        return api_fail(err, -EINVAL, "too many query arguments");
    for (int i = 0; i < req->n_query; i++) {
        const char *key = req->query[i].key;
        int known = 0;
        for (int k = 0; k < n && !known; k++)
            known = strcmp(names[k], key) == 0;
        if (!known)
            return api_fail(err, -EINVAL, "unknown query argument");
        for (int j = 0; j < i; j++)
            if (strcmp(req->query[j].key, key) == 0)
                return api_fail(err, -EINVAL, "a query argument is given twice");
    }
    return 0;
}

const char *api_query_get(const struct api_request *req, const char *name)
{
    for (int i = 0; i < req->n_query; i++)
        if (strcmp(req->query[i].key, name) == 0)
            return req->query[i].value ? req->query[i].value : "";
    return NULL;
}

int api_query_int(const struct api_request *req, const char *name, int def, int lo, int hi,
                  int *out, cJSON **err)
{
    const char *v = api_query_get(req, name);
    if (!v) {
        *out = def;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long n = (*v >= '0' && *v <= '9') ? strtol(v, &end, 10) : 0;
    if (!end || errno || *end != '\0' || n < lo || n > hi) {
        char msg[96];
        snprintf(msg, sizeof(msg), "%s must be a whole number from %d to %d", name, lo, hi);
        return api_fail(err, -EINVAL, msg);
    }
    *out = (int)n;
    return 0;
}

int api_paging(const struct api_request *req, const char *const *extra, int n_extra, int *page,
               int *per_page, cJSON **err)
{
    const char *names[QUERY_NAMES_MAX] = { "page", "per_page" };
    int n = 2;
    for (int i = 0; i < n_extra && n < QUERY_NAMES_MAX; i++)
        names[n++] = extra[i];
    int rc = api_query_check(req, names, n, err);
    if (rc == 0)
        rc = api_query_int(req, "page", 1, 1, API_PAGE_MAX, page, err);
    if (rc == 0)
        rc = api_query_int(req, "per_page", API_PER_PAGE_DEFAULT, 1, API_PER_PAGE_MAX, per_page,
                           err);
    return rc;
}

int api_target_id(const struct api_request *req, const char *name, int64_t *id, cJSON **out)
{
    int rc = api_param_id(req, name, id);
    if (rc < 0)
        return rc == -EINVAL ? rc : -ENOENT;
    return api_query_check(req, NULL, 0, out);
}

int api_body_empty(const struct api_request *req, cJSON **out)
{
    if (!req->body_len)
        return 0;
    cJSON *body = NULL;
    int rc = api_body_fields(req, NULL, 0, &body, out);
    cJSON_Delete(body);
    return rc;
}
