/* Typed API calls and strict parsers for their replies (cJSON). A parser never trusts the
 * server: every field is type-checked, every string checked as UTF-8 and cut to its field
 * on a character boundary, every array bounded. */
#define LOG_TAG "api"

#include "net/api.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Integers in JSON arrive as doubles; beyond 2^53 they are no longer exact. */
#define API_INT_LIMIT 9007199254740992.0

int64_t api_fetch_home(struct net *n)
{
    return net_request(n, "GET", "/api/v1/home", NULL, API_HOME);
}

int64_t api_resume_get(struct net *n, int64_t item_id)
{
    char path[64];
    if (item_id <= 0)
        return -EINVAL;
    snprintf(path, sizeof(path), "/api/v1/resume/%" PRId64, item_id);
    return net_request(n, "GET", path, NULL, API_RESUME_GET);
}

int64_t api_resume_put(struct net *n, int64_t item_id, double position_s)
{
    char path[64], body[64];
    if (item_id <= 0 || !(position_s >= 0) || position_s > API_RESUME_MAX_S)
        return -EINVAL;
    snprintf(path, sizeof(path), "/api/v1/resume/%" PRId64, item_id);
    snprintf(body, sizeof(body), "{\"position_ms\":%" PRId64 "}", (int64_t)(position_s * 1000.0));
    return net_request(n, "PUT", path, body, API_RESUME_PUT);
}

int64_t api_broadcast_heartbeat(struct net *n, int64_t broadcast_id)
{
    char path[80];
    if (broadcast_id <= 0)
        return -EINVAL;
    snprintf(path, sizeof(path), "/api/v1/broadcasts/%" PRId64 "/heartbeat", broadcast_id);
    return net_request(n, "POST", path, NULL, API_HEARTBEAT);
}

/* ---- UTF-8 ---------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one: no overlongs,
 * no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

static int utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq_len(p); /* a NUL inside a sequence fails its check, so no overrun */
        if (!n)
            return 0;
        p += n;
    }
    return 1;
}

/* Copy valid UTF-8 src into dst[size], cutting before a character that does not fit. */
static void utf8_copy(char *dst, size_t size, const char *src)
{
    size_t len = strlen(src);
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
            len--; /* src[len] would be the first byte dropped: back up to a lead byte */
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* ---- checked field access -------------------------------------------------------------- */

struct jctx {
    char *err; /* borrowed, may be NULL */
    size_t errlen;
};

static int jfail(struct jctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int jfail(struct jctx *c, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

static const char *jtype(const cJSON *v)
{
    if (!v)
        return "nothing";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "an unknown value";
}

static int jobject(struct jctx *c, const cJSON *parent, const char *name, const char *path,
                   const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);
    if (!cJSON_IsObject(v))
        return jfail(c, "%s%s%s: expected an object, got %s", path, *path ? "." : "", name,
                     jtype(v));
    *out = v;
    return 0;
}

static int jarray(struct jctx *c, const cJSON *parent, const char *name, const char *path,
                  int max, const cJSON **out, int *count)
{
    const char *dot = *path ? "." : "";
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);
    if (!cJSON_IsArray(v))
        return jfail(c, "%s%s%s: expected an array, got %s", path, dot, name, jtype(v));
    int n = cJSON_GetArraySize(v);
    if (n > max)
        return jfail(c, "%s%s%s: %d entries, at most %d allowed", path, dot, name, n, max);
    *out = v;
    *count = n;
    return 0;
}

/* A required string field, copied (cut to size) into dst. */
static int jstring(struct jctx *c, const cJSON *obj, const char *name, const char *path,
                   char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(v) || !v->valuestring)
        return jfail(c, "%s.%s: expected a string, got %s", path, name, jtype(v));
    if (!utf8_valid(v->valuestring))
        return jfail(c, "%s.%s: not valid UTF-8", path, name);
    utf8_copy(dst, size, v->valuestring);
    return 0;
}

/* A required integer field within [min, max]. */
static int jint(struct jctx *c, const cJSON *obj, const char *name, const char *path,
                double min, double max, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsNumber(v))
        return jfail(c, "%s.%s: expected an integer, got %s", path, name, jtype(v));
    double d = v->valuedouble;
    if (d != d || d < -API_INT_LIMIT || d > API_INT_LIMIT || d != (double)(int64_t)d)
        return jfail(c, "%s.%s: expected an integer, got %g", path, name, d);
    if (d < min || d > max)
        return jfail(c, "%s.%s: %" PRId64 " is out of range [%.0f, %.0f]", path, name,
                     (int64_t)d, min, max);
    *out = (int64_t)d;
    return 0;
}

/* Section keys are identifiers the UI matches on: never cut, only [a-z0-9_]. */
static int jkey(struct jctx *c, const cJSON *obj, const char *path, char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "key");
    if (!cJSON_IsString(v) || !v->valuestring)
        return jfail(c, "%s.key: expected a string, got %s", path, jtype(v));
    const char *s = v->valuestring;
    size_t len = strlen(s);
    if (len == 0 || len >= size)
        return jfail(c, "%s.key: must be 1 to %zu characters", path, size - 1);
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return jfail(c, "%s.key: only a-z, 0-9 and _ are allowed", path);
    }
    memcpy(dst, s, len + 1);
    return 0;
}

/* ---- /api/v1/home ---------------------------------------------------------------------- */

static int parse_members(struct jctx *c, const cJSON *household, struct home_model *m)
{
    const cJSON *arr;
    int n;
    int rc = jarray(c, household, "members", "household", API_MEMBERS_MAX, &arr, &n);
    if (rc < 0 || n == 0)
        return rc;
    m->members = calloc((size_t)n, sizeof(*m->members));
    if (!m->members)
        return jfail(c, "out of memory");
    for (int i = 0; i < n; i++) {
        const cJSON *it = cJSON_GetArrayItem(arr, i);
        struct home_member *mb = &m->members[i];
        char path[48];
        int64_t v;
        snprintf(path, sizeof(path), "household.members[%d]", i);
        if (!cJSON_IsObject(it))
            return jfail(c, "%s: expected an object, got %s", path, jtype(it));
        rc = jint(c, it, "id", path, 1, API_INT_LIMIT, &mb->id);
        if (rc == 0)
            rc = jstring(c, it, "name", path, mb->name, sizeof(mb->name));
        if (rc == 0)
            rc = jint(c, it, "birth_year", path, 1850, 2200, &v);
        if (rc < 0)
            return rc;
        mb->birth_year = (int)v;
        m->n_members = i + 1;
    }
    return 0;
}

static int parse_sections(struct jctx *c, const cJSON *root, struct home_model *m)
{
    const cJSON *arr;
    int n;
    int rc = jarray(c, root, "sections", "", API_SECTIONS, &arr, &n);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        const cJSON *it = cJSON_GetArrayItem(arr, i);
        struct home_section *s = &m->sections[i];
        char path[32];
        int64_t v;
        snprintf(path, sizeof(path), "sections[%d]", i);
        if (!cJSON_IsObject(it))
            return jfail(c, "%s: expected an object, got %s", path, jtype(it));
        rc = jkey(c, it, path, s->key, sizeof(s->key));
        if (rc == 0)
            rc = jstring(c, it, "title", path, s->title, sizeof(s->title));
        if (rc == 0)
            rc = jint(c, it, "count", path, 0, INT_MAX, &v);
        if (rc < 0)
            return rc;
        s->count = (int)v;
        for (int j = 0; j < i; j++) {
            if (strcmp(m->sections[j].key, s->key) == 0)
                return jfail(c, "%s.key: \"%s\" appears twice", path, s->key);
        }
        m->n_sections = i + 1;
    }
    return 0;
}

static int parse_live(struct jctx *c, const cJSON *root, struct home_model *m)
{
    const cJSON *arr;
    int n;
    int rc = jarray(c, root, "live_now", "", API_LIVE_MAX, &arr, &n);
    if (rc < 0 || n == 0)
        return rc;
    m->live = calloc((size_t)n, sizeof(*m->live));
    if (!m->live)
        return jfail(c, "out of memory");
    for (int i = 0; i < n; i++) {
        const cJSON *it = cJSON_GetArrayItem(arr, i);
        struct home_live *l = &m->live[i];
        char path[32];
        snprintf(path, sizeof(path), "live_now[%d]", i);
        if (!cJSON_IsObject(it))
            return jfail(c, "%s: expected an object, got %s", path, jtype(it));
        rc = jint(c, it, "id", path, 1, API_INT_LIMIT, &l->id);
        if (rc == 0)
            rc = jstring(c, it, "title", path, l->title, sizeof(l->title));
        if (rc == 0)
            rc = jstring(c, it, "scope", path, l->scope, sizeof(l->scope));
        if (rc < 0)
            return rc;
        m->n_live = i + 1;
    }
    return 0;
}

/* Optional; when present it must be a short string (an ISO 8601 time). */
static int parse_server_time(struct jctx *c, const cJSON *root, struct home_model *m)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "server_time");
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return jfail(c, "server_time: expected a string, got %s", jtype(v));
    const char *s = v->valuestring;
    if (strlen(s) >= sizeof(m->server_time))
        return jfail(c, "server_time: longer than %zu characters", sizeof(m->server_time) - 1);
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            return jfail(c, "server_time: not a plain ASCII time");
    }
    memcpy(m->server_time, s, strlen(s) + 1);
    return 0;
}

int api_parse_home(const char *json, struct home_model *out, char *err, size_t errlen)
{
    struct jctx c = { err, errlen };
    cJSON *root = NULL;
    const cJSON *obj;
    int rc;

    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return jfail(&c, "no model to fill");
    memset(out, 0, sizeof(*out));
    if (!json)
        return jfail(&c, "no body");
    const char *end = NULL; /* on failure: where parsing stopped (unlike the global error ptr) */
    root = cJSON_ParseWithOpts(json, &end, 1); /* 1: trailing garbage is an error */
    if (!root) {
        long off = end && end >= json ? (long)(end - json) : -1;
        rc = jfail(&c, "not valid JSON (near byte %ld)", off);
        goto fail;
    }
    if (!cJSON_IsObject(root)) {
        rc = jfail(&c, "expected a JSON object at the top, got %s", jtype(root));
        goto fail;
    }
    rc = jobject(&c, root, "township", "", &obj);
    if (rc == 0)
        rc = jstring(&c, obj, "name", "township", out->township, sizeof(out->township));
    if (rc == 0)
        rc = jobject(&c, root, "village", "", &obj);
    if (rc == 0)
        rc = jstring(&c, obj, "name", "village", out->village, sizeof(out->village));
    if (rc == 0)
        rc = jobject(&c, root, "household", "", &obj);
    if (rc == 0)
        rc = jstring(&c, obj, "name", "household", out->household, sizeof(out->household));
    if (rc == 0)
        rc = parse_members(&c, obj, out);
    if (rc == 0)
        rc = parse_sections(&c, root, out);
    if (rc == 0)
        rc = parse_live(&c, root, out);
    if (rc == 0)
        rc = parse_server_time(&c, root, out);
    if (rc < 0)
        goto fail;
    cJSON_Delete(root);
    return 0;
fail:
    cJSON_Delete(root);
    home_model_free(out);
    return rc;
}

/* ---- /api/v1/resume ------------------------------------------------------------------- */

int api_parse_resume(const char *json, double *position_s, char *err, size_t errlen)
{
    struct jctx c = { err, errlen };
    if (err && errlen)
        err[0] = '\0';
    if (!json || !position_s)
        return jfail(&c, "no body");
    *position_s = 0;
    cJSON *root = cJSON_ParseWithOpts(json, NULL, 1);
    int rc = 0;
    if (!cJSON_IsObject(root)) {
        rc = jfail(&c, "expected a JSON object");
        goto fail;
    }
    /* The server speaks milliseconds; seconds are accepted too. */
    int64_t v = 0;
    if (cJSON_GetObjectItemCaseSensitive(root, "position_ms")) {
        rc = jint(&c, root, "position_ms", "resume", 0, API_RESUME_MAX_S * 1000.0, &v);
        *position_s = rc == 0 ? (double)v / 1000.0 : 0;
    } else {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "position_s");
        if (!cJSON_IsNumber(s) || !(s->valuedouble >= 0) || s->valuedouble > API_RESUME_MAX_S)
            rc = jfail(&c, "resume: expected position_ms or position_s, got %s", jtype(s));
        else
            *position_s = s->valuedouble;
    }
fail:
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
