/* Checked field access for server replies; see jcheck.h. */
#include "net/jcheck.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void jcheck_init(struct jcheck *c, enum jcheck_text text, char *err, size_t errlen)
{
    c->err = err;
    c->errlen = errlen;
    c->text = text;
    if (err && errlen)
        err[0] = '\0';
}

int jcheck_fail(struct jcheck *c, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

const char *jcheck_type(const cJSON *v)
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

/* "path.name", or "name" at the top, for the messages. */
static const char *field(char *buf, size_t len, const char *path, const char *name)
{
    snprintf(buf, len, "%s%s%s", path, *path ? "." : "", name);
    return buf;
}

cJSON *jcheck_parse_object(struct jcheck *c, const char *json)
{
    if (!json) {
        jcheck_fail(c, "no body");
        return NULL;
    }
    const char *end = NULL; /* on failure: where parsing stopped (unlike the global error ptr) */
    cJSON *root = cJSON_ParseWithOpts(json, &end, 1); /* 1: trailing garbage is an error */
    if (!root) {
        long off = end && end >= json ? (long)(end - json) : -1;
        jcheck_fail(c, "not valid JSON (near byte %ld)", off);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        jcheck_fail(c, "expected a JSON object at the top, got %s", jcheck_type(root));
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

cJSON *jcheck_open(struct jcheck *c, const char *json, char *err, size_t errlen)
{
    jcheck_init(c, JCHECK_PRINTABLE, err, errlen);
    return jcheck_parse_object(c, json);
}

/* ---- containers ------------------------------------------------------------------------ */

int jcheck_object(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                  const cJSON **out)
{
    char f[128];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsObject(v))
        return jcheck_fail(c, "%s: expected an object, got %s", field(f, sizeof(f), path, name),
                           jcheck_type(v));
    *out = v;
    return 0;
}

int jcheck_object_opt(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                      const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    return jcheck_object(c, obj, name, path, out);
}

int jcheck_array(struct jcheck *c, const cJSON *obj, const char *name, const char *path, int max,
                 const cJSON **out, int *count)
{
    char f[128];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsArray(v))
        return jcheck_fail(c, "%s: expected an array, got %s", field(f, sizeof(f), path, name),
                           jcheck_type(v));
    int n = cJSON_GetArraySize(v);
    if (n > max)
        return jcheck_fail(c, "%s: %d entries, at most %d allowed", field(f, sizeof(f), path, name),
                           n, max);
    *out = v;
    *count = n;
    return 0;
}

int jcheck_entry(struct jcheck *c, const cJSON *arr, int i, const char *arr_path, char *path,
                 size_t pathlen, const cJSON **out)
{
    const cJSON *v = cJSON_GetArrayItem(arr, i);
    snprintf(path, pathlen, "%s[%d]", arr_path, i);
    if (!cJSON_IsObject(v))
        return jcheck_fail(c, "%s: expected an object, got %s", path, jcheck_type(v));
    *out = v;
    return 0;
}

/* ---- strings --------------------------------------------------------------------------- */

/* What is wrong with s under the parse's text rule, or NULL. */
static const char *text_problem(const char *s, enum jcheck_text rule)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (rule == JCHECK_PRINTABLE && ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f))
            return "has a control character";
        uint32_t cp;
        size_t n = utf8_decode((const char *)p, 4, &cp); /* stops at a NUL: no overrun */
        if (!n)
            return "not valid UTF-8";
        p += n;
    }
    return NULL;
}

/* Copy valid UTF-8 src into dst[size], cutting before a character that does not fit. */
static void utf8_copy(char *dst, size_t size, const char *src)
{
    size_t len = utf8_prefix(src, strlen(src), size - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The checked text of a required string field, or NULL (reason written). */
static const char *text_field(struct jcheck *c, const cJSON *obj, const char *name,
                              const char *path)
{
    char f[128];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(v) || !v->valuestring) {
        jcheck_fail(c, "%s: expected a string, got %s", field(f, sizeof(f), path, name),
                    jcheck_type(v));
        return NULL;
    }
    const char *why = text_problem(v->valuestring, c->text);
    if (why) {
        jcheck_fail(c, "%s: %s", field(f, sizeof(f), path, name), why);
        return NULL;
    }
    return v->valuestring;
}

int jcheck_string(struct jcheck *c, const cJSON *obj, const char *name, const char *path, char *dst,
                  size_t size)
{
    const char *s = text_field(c, obj, name, path);
    if (!s)
        return -EINVAL;
    utf8_copy(dst, size, s);
    return 0;
}

int jcheck_string_opt(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                      char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    dst[0] = '\0';
    if (!v || cJSON_IsNull(v))
        return 0;
    return jcheck_string(c, obj, name, path, dst, size);
}

int jcheck_string_dup(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                      size_t max, char **out)
{
    *out = NULL;
    const char *s = text_field(c, obj, name, path);
    if (!s)
        return -EINVAL;
    size_t len = strlen(s);
    size_t size = (len < max ? len : max) + 1;
    *out = malloc(size);
    if (!*out)
        return jcheck_fail(c, "out of memory");
    utf8_copy(*out, size, s);
    return 0;
}

/* ---- integers -------------------------------------------------------------------------- */

int jcheck_int(struct jcheck *c, const cJSON *obj, const char *name, const char *path, double min,
               double max, int64_t *out)
{
    char f[128];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsNumber(v))
        return jcheck_fail(c, "%s: expected an integer, got %s", field(f, sizeof(f), path, name),
                           jcheck_type(v));
    double d = v->valuedouble;
    if (d != d || d < -JCHECK_INT_LIMIT || d > JCHECK_INT_LIMIT || d != (double)(int64_t)d)
        return jcheck_fail(c, "%s: expected an integer, got %g", field(f, sizeof(f), path, name),
                           d);
    if (d < min || d > max)
        return jcheck_fail(c, "%s: %" PRId64 " is out of range [%.0f, %.0f]",
                           field(f, sizeof(f), path, name), (int64_t)d, min, max);
    *out = (int64_t)d;
    return 0;
}

int jcheck_int_opt(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                   double min, double max, int64_t dflt, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v || cJSON_IsNull(v)) {
        *out = dflt;
        return 0;
    }
    return jcheck_int(c, obj, name, path, min, max, out);
}
