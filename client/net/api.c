/* Typed API calls and strict parsers for their replies (field checks: net/jcheck.h). */
#define LOG_TAG "api"

#include "net/api.h"

#include <cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/jcheck.h"

/* Section keys are identifiers the UI matches on and puts into request paths: [a-z0-9_]. */
static int key_chars_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return 0;
    }
    return 1;
}

/* A request on one record: prefix + id + suffix, e.g. "/api/v1/items/" 7 "". */
static int64_t request_on_id(struct net *n, const char *method, const char *prefix, int64_t id,
                             const char *suffix, const char *body, enum api_kind kind)
{
    char path[96];
    if (id <= 0)
        return -EINVAL;
    snprintf(path, sizeof(path), "%s%" PRId64 "%s", prefix, id, suffix);
    return net_request(n, method, path, body, kind);
}

int64_t api_fetch_home(struct net *n)
{
    return net_request(n, "GET", "/api/v1/home", NULL, API_HOME);
}

int64_t api_resume_get(struct net *n, int64_t item_id)
{
    return request_on_id(n, "GET", "/api/v1/resume/", item_id, "", NULL, API_RESUME_GET);
}

int64_t api_resume_put(struct net *n, int64_t item_id, double position_s)
{
    char body[64];
    if (!(position_s >= 0) || position_s > API_RESUME_MAX_S)
        return -EINVAL;
    snprintf(body, sizeof(body), "{\"position_ms\":%" PRId64 "}", (int64_t)(position_s * 1000.0));
    return request_on_id(n, "PUT", "/api/v1/resume/", item_id, "", body, API_RESUME_PUT);
}

int64_t api_broadcast_heartbeat(struct net *n, int64_t broadcast_id)
{
    return request_on_id(n, "POST", "/api/v1/broadcasts/", broadcast_id, "/heartbeat", NULL,
                         API_HEARTBEAT);
}

int64_t api_section_items(struct net *n, const char *key, int page, int per_page)
{
    return api_section_items_in(n, key, NULL, page, per_page);
}

int64_t api_section_items_in(struct net *n, const char *key, const char *category, int page,
                             int per_page)
{
    char path[512];
    size_t len = key ? strlen(key) : 0;
    if (len == 0 || len > 31 || !key_chars_ok(key, len) || page < 1 || page > 100000 ||
        per_page < 1 || per_page > 50 || (category && strlen(category) > 127))
        return -EINVAL;
    int at = snprintf(path, sizeof(path), "/api/v1/sections/%s/items?page=%d&per_page=%d", key,
                      page, per_page);
    if (category && *category) {
        /* libcurl's escaping: every byte but unreserved ones as %XX (UTF-8 Chinese included). */
        char *q = curl_easy_escape(NULL, category, (int)strlen(category));
        if (!q)
            return -ENOMEM;
        int more = snprintf(path + at, sizeof(path) - (size_t)at, "&category=%s", q);
        curl_free(q);
        if (more < 0 || (size_t)more >= sizeof(path) - (size_t)at)
            return -EINVAL;
    }
    return net_request(n, "GET", path, NULL, API_SECTION_ITEMS);
}

int64_t api_section_categories(struct net *n, const char *key)
{
    char path[128];
    size_t len = key ? strlen(key) : 0;
    if (len == 0 || len > 31 || !key_chars_ok(key, len))
        return -EINVAL;
    snprintf(path, sizeof(path), "/api/v1/sections/%s/categories", key);
    return net_request(n, "GET", path, NULL, API_SECTION_CATEGORIES);
}

int64_t api_item_get(struct net *n, int64_t item_id)
{
    return request_on_id(n, "GET", "/api/v1/items/", item_id, "", NULL, API_ITEM);
}

/* ---- /api/v1/home ---------------------------------------------------------------------- */

/* A section key is never cut: a shorter key would be another section. */
static int jkey(struct jcheck *c, const cJSON *obj, const char *path, char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "key");
    if (!cJSON_IsString(v) || !v->valuestring)
        return jcheck_fail(c, "%s.key: expected a string, got %s", path, jcheck_type(v));
    const char *s = v->valuestring;
    size_t len = strlen(s);
    if (len == 0 || len >= size)
        return jcheck_fail(c, "%s.key: must be 1 to %zu characters", path, size - 1);
    if (!key_chars_ok(s, len))
        return jcheck_fail(c, "%s.key: only a-z, 0-9 and _ are allowed", path);
    memcpy(dst, s, len + 1);
    return 0;
}

static int parse_members(struct jcheck *c, const cJSON *household, struct home_model *m)
{
    const cJSON *arr, *it;
    int n;
    int rc = jcheck_array(c, household, "members", "household", API_MEMBERS_MAX, &arr, &n);
    if (rc < 0 || n == 0)
        return rc;
    m->members = calloc((size_t)n, sizeof(*m->members));
    if (!m->members)
        return jcheck_fail(c, "out of memory");
    for (int i = 0; i < n; i++) {
        struct home_member *mb = &m->members[i];
        char path[48];
        int64_t v;
        rc = jcheck_entry(c, arr, i, "household.members", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_int(c, it, "id", path, 1, JCHECK_INT_LIMIT, &mb->id);
        if (rc == 0)
            rc = jcheck_string(c, it, "name", path, mb->name, sizeof(mb->name));
        /* The server sends null for a member whose birth year it does not know. */
        v = 0;
        if (rc == 0 && !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(it, "birth_year")))
            rc = jcheck_int(c, it, "birth_year", path, 1850, 2200, &v);
        if (rc == 0)
            rc = jcheck_string_opt(c, it, "photo", path, mb->photo, sizeof(mb->photo));
        if (rc < 0)
            return rc;
        mb->birth_year = (int)v;
        m->n_members = i + 1;
    }
    return 0;
}

static int parse_sections(struct jcheck *c, const cJSON *root, struct home_model *m)
{
    const cJSON *arr, *it;
    int n;
    int rc = jcheck_array(c, root, "sections", "", API_SECTIONS, &arr, &n);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        struct home_section *s = &m->sections[i];
        char path[32];
        int64_t v;
        rc = jcheck_entry(c, arr, i, "sections", path, sizeof(path), &it);
        if (rc == 0)
            rc = jkey(c, it, path, s->key, sizeof(s->key));
        if (rc == 0)
            rc = jcheck_string(c, it, "title", path, s->title, sizeof(s->title));
        if (rc == 0)
            rc = jcheck_int(c, it, "count", path, 0, INT_MAX, &v);
        if (rc < 0)
            return rc;
        s->count = (int)v;
        for (int j = 0; j < i; j++) {
            if (strcmp(m->sections[j].key, s->key) == 0)
                return jcheck_fail(c, "%s.key: \"%s\" appears twice", path, s->key);
        }
        m->n_sections = i + 1;
    }
    return 0;
}

static int parse_live(struct jcheck *c, const cJSON *root, struct home_model *m)
{
    const cJSON *arr, *it;
    int n;
    int rc = jcheck_array(c, root, "live_now", "", API_LIVE_MAX, &arr, &n);
    if (rc < 0 || n == 0)
        return rc;
    m->live = calloc((size_t)n, sizeof(*m->live));
    if (!m->live)
        return jcheck_fail(c, "out of memory");
    for (int i = 0; i < n; i++) {
        struct home_live *l = &m->live[i];
        char path[32];
        rc = jcheck_entry(c, arr, i, "live_now", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_int(c, it, "id", path, 1, JCHECK_INT_LIMIT, &l->id);
        if (rc == 0)
            rc = jcheck_string(c, it, "title", path, l->title, sizeof(l->title));
        if (rc == 0)
            rc = jcheck_string(c, it, "scope", path, l->scope, sizeof(l->scope));
        if (rc < 0)
            return rc;
        m->n_live = i + 1;
    }
    return 0;
}

/* Optional; when present it must be a short string (an ISO 8601 time), never cut. */
static int parse_server_time(struct jcheck *c, const cJSON *root, struct home_model *m)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "server_time");
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return jcheck_fail(c, "server_time: expected a string, got %s", jcheck_type(v));
    const char *s = v->valuestring;
    if (strlen(s) >= sizeof(m->server_time))
        return jcheck_fail(c, "server_time: longer than %zu characters",
                           sizeof(m->server_time) - 1);
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            return jcheck_fail(c, "server_time: not a plain ASCII time");
    }
    memcpy(m->server_time, s, strlen(s) + 1);
    return 0;
}

/* A name inside a required object, e.g. township.name. */
static int parse_named(struct jcheck *c, const cJSON *root, const char *name, char *dst,
                       size_t size, const cJSON **obj)
{
    int rc = jcheck_object(c, root, name, "", obj);
    return rc < 0 ? rc : jcheck_string(c, *obj, "name", name, dst, size);
}

int api_parse_home(const char *json, struct home_model *out, char *err, size_t errlen)
{
    struct jcheck c;
    const cJSON *obj;
    jcheck_init(&c, JCHECK_UTF8, err, errlen);
    if (!out)
        return jcheck_fail(&c, "no model to fill");
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_parse_object(&c, json);
    if (!root)
        return -EINVAL;
    int rc = parse_named(&c, root, "township", out->township, sizeof(out->township), &obj);
    if (rc == 0)
        rc = parse_named(&c, root, "village", out->village, sizeof(out->village), &obj);
    if (rc == 0)
        rc = parse_named(&c, root, "household", out->household, sizeof(out->household), &obj);
    if (rc == 0)
        rc = parse_members(&c, obj, out);
    if (rc == 0)
        rc = parse_sections(&c, root, out);
    if (rc == 0)
        rc = parse_live(&c, root, out);
    if (rc == 0)
        rc = parse_server_time(&c, root, out);
    cJSON_Delete(root);
    if (rc < 0)
        home_model_free(out);
    return rc;
}

/* ---- /api/v1/resume ------------------------------------------------------------------- */

int api_parse_resume(const char *json, double *position_s, char *err, size_t errlen)
{
    struct jcheck c;
    jcheck_init(&c, JCHECK_UTF8, err, errlen);
    if (!position_s)
        return jcheck_fail(&c, "no position to fill");
    *position_s = 0;
    cJSON *root = jcheck_parse_object(&c, json);
    if (!root)
        return -EINVAL;
    /* The server speaks milliseconds; seconds are accepted too. */
    int rc = 0;
    int64_t v = 0;
    if (cJSON_GetObjectItemCaseSensitive(root, "position_ms")) {
        rc = jcheck_int(&c, root, "position_ms", "resume", 0, API_RESUME_MAX_S * 1000.0, &v);
        *position_s = rc == 0 ? (double)v / 1000.0 : 0;
    } else {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "position_s");
        if (!cJSON_IsNumber(s) || !(s->valuedouble >= 0) || s->valuedouble > API_RESUME_MAX_S)
            rc = jcheck_fail(&c, "resume: expected position_ms or position_s, got %s",
                             jcheck_type(s));
        else
            *position_s = s->valuedouble;
    }
    cJSON_Delete(root);
    return rc;
}

void home_model_free(struct home_model *m)
{
    if (!m)
        return;
    free(m->members);
    free(m->live);
    memset(m, 0, sizeof(*m));
}
